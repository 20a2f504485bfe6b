"""Allocation keys (SPEC 3.6): each member's share of a segment's cost, as exact fractions.

* ``population``: weight = population, capped at ``population_cap``;
* ``equal_population``: e/100 × 1/n + p/100 × w/Σw over the segment's members;
* ``fixed``: the members' ``share``, renormalised over the segment's members.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from koordination.errors import DataError, Problem
from koordination.models import Key, Member


def weight(population: int, cap: int | None) -> int:
    """The population a key counts: the snapshot figure, at most ``cap``."""
    return population if cap is None else min(population, cap)


def shares(
    key: Key,
    codes: Sequence[str],
    weights: Mapping[str, int],
    fixed: Mapping[str, Fraction] | None = None,
) -> dict[str, Fraction]:
    """The share (summing to 1) of each of ``codes`` under ``key``."""
    n = len(codes)
    if key.kind == "fixed":
        assert fixed is not None
        total = sum((fixed[c] for c in codes), Fraction(0))
        if total <= 0:
            raise DataError(Problem("the fixed shares of the members present sum to zero"))
        return {c: fixed[c] / total for c in codes}
    sigma = sum(weights[c] for c in codes)
    if sigma <= 0:
        raise DataError(
            Problem("the members present have no population together; a population key needs one")
        )
    if key.kind == "population":
        return {c: Fraction(weights[c], sigma) for c in codes}
    e = Fraction(key.equal) / 100
    p = Fraction(key.population) / 100
    return {c: e / n + p * Fraction(weights[c], sigma) for c in codes}


def fixed_shares(members: Sequence[Member]) -> dict[str, Fraction]:
    return {m.code: Fraction(m.share) if m.share is not None else Fraction(0) for m in members}
