"""Allocation keys (reference 3.6): each member's share of a segment's cost, as exact fractions.

* ``population``: weight = population, capped at ``population_cap``;
* ``equal_population``: e/100 × 1/n + p/100 × w/Σw over the segment's members;
* ``fixed``: the members' ``share``, renormalised over the segment's members.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from koordination.core.errors import DataError, Problem
from koordination.core.models import Key, Member


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
    base, per_unit = linear_share(key, codes, weights, fixed)
    values = fixed if key.kind == "fixed" else weights
    assert values is not None
    return {c: base + per_unit * values[c] for c in codes}


def linear_share(
    key: Key,
    codes: Sequence[str],
    weights: Mapping[str, int],
    fixed: Mapping[str, Fraction] | None = None,
) -> tuple[Fraction, Fraction]:
    """``(base, per_unit)`` such that each of ``codes`` has the share ``base + per_unit × x``,
    ``x`` being its weight (its fixed share under ``fixed``). Every key is of this form, so a
    member's amount over many segments is two sums, not one product per segment."""
    n = len(codes)
    if key.kind == "fixed":
        assert fixed is not None
        total = sum((fixed[c] for c in codes), Fraction(0))
        if total <= 0:
            raise DataError(Problem("the fixed shares of the members present sum to zero"))
        return Fraction(0), 1 / total
    sigma = sum(weights[c] for c in codes)
    if sigma <= 0:
        raise DataError(
            Problem("the members present have no population together; a population key needs one")
        )
    if key.kind == "population":
        return Fraction(0), Fraction(1, sigma)
    e = Fraction(key.equal) / 100
    p = Fraction(key.population) / 100
    return e / n, p / sigma


def fixed_shares(members: Sequence[Member]) -> dict[str, Fraction]:
    return {m.code: Fraction(m.share) if m.share is not None else Fraction(0) for m in members}
