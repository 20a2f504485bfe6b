"""Swedish organisation numbers (organisationsnummer): NNNNNN-NNNN with a mod-10 check digit."""

from __future__ import annotations

import re

_ORGNR = re.compile(r"^(\d{6})-?(\d{4})$")


def mod10_check_digit(digits: str) -> int:
    """The Luhn (mod 10) check digit of ``digits``, as Bolagsverket and Bankgirot use it."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        value = int(ch) * (2 if i % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def orgnr_problem(text: str) -> str | None:
    """What is wrong with an organisation number, or None when it is valid."""
    match = _ORGNR.match(text.strip())
    if match is None:
        return f"{text!r} is not an organisation number; write it NNNNNN-NNNN, e.g. 212000-0142"
    digits = match.group(1) + match.group(2)
    expected = mod10_check_digit(digits[:9])
    if int(digits[9]) != expected:
        return (f"{text!r} has the check digit {digits[9]}, but its first nine digits give "
                f"{expected}; check the number against the municipality's invoices")
    return None


def valid_orgnr(text: str) -> bool:
    """True for NNNNNN-NNNN (or ten digits) whose last digit is the mod-10 check digit."""
    return orgnr_problem(text) is None
