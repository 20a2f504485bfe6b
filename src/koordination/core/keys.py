"""Allocation keys (reference 3.6 and 7): each member's share of a segment's cost, as exact
fractions.

* ``population``: weight = population, capped at ``population_cap``;
* ``equal_population`` and ``weighted``: e/100 × 1/n + Σ over factors f of
  w_f/100 × x_f(k) / Σ x_f, the sums over the segment's members; the factors are the
  (capped) population and the named statistics;
* ``fixed``: the members' ``share``, renormalised over the segment's members.

Every key is linear in the members' factor values: a member's share is
``base + Σ_f per_unit_f × x_f(k)``, with ``base`` and ``per_unit_f`` the same for every
member of the segment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from koordination.core.errors import DataError, Problem
from koordination.core.models import Key, Member

#: Per factor, each member's value: the counted population, a statistic, or a fixed share.
FactorValues = Mapping[str, Fraction | int]


def weight(population: int, cap: int | None) -> int:
    """The population a key counts: the snapshot figure, at most ``cap``."""
    return population if cap is None else min(population, cap)


def factor_weights(key: Key) -> tuple[Fraction, ...]:
    """Each factor's weight as a fraction of 1, in the order of :attr:`Key.factors`
    (``fixed``: one factor, the shares, weighing 1)."""
    if key.kind == "fixed":
        return (Fraction(1),)
    return tuple(Fraction(w) / 100 for _, w in key.factors)


def linear_share(
    key: Key,
    codes: Sequence[str],
    values: Sequence[FactorValues],
    sources: Sequence[str | None] = (),
) -> tuple[Fraction, tuple[Fraction, ...]]:
    """``(base, per_unit)`` such that each of ``codes`` has the share
    ``base + Σ_f per_unit[f] × values[f][code]``.

    ``values`` holds one mapping per factor, in the order of :func:`factor_weights`;
    ``sources`` names the file of each factor, for the error when its values of the members
    present sum to zero. So a member's amount over many segments is a few sums, not one
    product per segment.
    """
    n = len(codes)
    if key.kind == "fixed":
        total = sum(values[0][c] for c in codes)
        if total <= 0:
            raise DataError(Problem("the fixed shares of the members present sum to zero"))
        return Fraction(0), (1 / Fraction(total),)
    per_unit: list[Fraction] = []
    for i, ((name, _), w) in enumerate(zip(key.factors, factor_weights(key), strict=True)):
        column = values[i]
        sigma = sum(column[c] for c in codes)  # ints stay ints: fast for population
        if sigma <= 0:
            if name == "population":
                raise DataError(Problem(
                    "the members present have no population together; a population key "
                    "needs one"))
            raise DataError(Problem(
                f"every member present has 0 in statistic {name}; a key on {name} needs a "
                "value above 0 for at least one member (check the file, or take the factor "
                "out of the key)", sources[i] if i < len(sources) else None))
        per_unit.append(w / Fraction(sigma))
    base = Fraction(key.equal) / 100 / n if key.kind != "population" else Fraction(0)
    return base, tuple(per_unit)


def fixed_shares(members: Sequence[Member]) -> dict[str, Fraction]:
    return {m.code: Fraction(m.share) if m.share is not None else Fraction(0) for m in members}
