"""The mod 10 (Luhn) check digit, as Bolagsverket, Bankgirot and Plusgirot use it
(organisation numbers themselves are checked by :mod:`koordination.io.identifiers`)."""

from __future__ import annotations


def mod10_check_digit(digits: str) -> int:
    """The Luhn (mod 10) check digit of ``digits``: ``"212000014"`` -> 2."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        value = int(ch) * (2 if i % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10
