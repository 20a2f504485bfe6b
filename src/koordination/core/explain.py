"""Why a member pays what it pays: every step from the inputs to one fee (reference 3.1-3.8).

:func:`rounding_steps` reconstructs the largest-remainder rounding of an allocation member by
member (truncated amount, remainder, the remainder's rank, whether the member got one of the
units left over and whether the tie rule decided it); :func:`explain` collects, for one member,
its population and weight, its share in each segment (the equal part and the population part
apart), the segment costs, its exact amount, the rounding, and what the cap or the equal part
changed compared with a plain population key. Pure: no I/O, no rendering.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from koordination.core.allocation import Allocation
from koordination.core.keyplan import KeyPlan, make_plan
from koordination.core.models import Key, KeyKind, Statistic
from koordination.core.money import ZERO, round_half_up, truncate


@dataclass(frozen=True)
class RoundingStep:
    """How one member's exact amount became its fee.

    Attributes:
        code: the member. exact: its exact amount. truncated: the exact amount cut toward
        zero to the unit. remainder: exact - truncated (for a negative total: its mirror,
        truncated - exact, so that larger always means "closer to the next unit").
        rank: 1 for the largest remainder; ties ordered by the tie rule. extra: the unit
        added (+unit, -unit for a negative total, or 0). tie: True when another member has
        the same remainder and the tie rule decided which of them got a unit.
        fee: truncated + extra.
    """

    code: str
    exact: Fraction
    truncated: Fraction
    remainder: Fraction
    rank: int
    extra: Fraction
    tie: bool
    fee: Fraction

    @property
    def adjustment(self) -> Fraction:
        return self.fee - self.exact


@dataclass(frozen=True)
class RoundingReport:
    """The rounding of a whole allocation.

    Attributes:
        unit: the rounding unit. total: the rounded total. left_over: how many units were
        left after cutting every amount toward zero (each went to one of the largest
        remainders). steps: per municipal member, in the plan's order. parties: per party
        that is not a municipality, its part rounded half up on its own (reference 13; rank
        0, never part of the largest remainder).
    """

    unit: Fraction
    total: Fraction
    left_over: int
    steps: tuple[RoundingStep, ...]
    each: bool = False
    parties: tuple[RoundingStep, ...] = ()

    def step(self, code: str) -> RoundingStep:
        return next(s for s in self.steps + self.parties if s.code == code)

    @property
    def largest(self) -> RoundingStep:
        """The member whose fee is farthest from its exact amount (lowest code on a tie)."""
        return min(self.steps, key=lambda s: (-abs(s.adjustment), s.code))

    @property
    def sums_to_total(self) -> bool:
        return sum((s.fee for s in self.steps), ZERO) == self.total


def rounding_steps(
    total: Fraction,
    exact: Mapping[str, Fraction],
    unit: Fraction | Decimal,
    tie_keys: Mapping[str, tuple[int, str]],
) -> RoundingReport:
    """Reconstruct :func:`koordination.core.money.apportion` step by step (reference 3.7)."""
    unit = Fraction(unit)
    sign = -1 if total < 0 else 1
    codes = list(exact)
    mirrored = {c: sign * exact[c] for c in codes}
    base = {c: truncate(mirrored[c], unit) for c in codes}
    remainders = {c: mirrored[c] - base[c] for c in codes}
    left = int((sign * total - sum(base.values(), ZERO)) / unit)
    # remainders over one common denominator: integer keys sort and group as the fractions do
    common = math.lcm(*(r.denominator for r in remainders.values())) if codes else 1
    scaled = {c: r.numerator * (common // r.denominator) for c, r in remainders.items()}
    order = sorted(codes, key=lambda c: (-scaled[c], tie_keys[c]))
    given = set(order[:left])
    alike: dict[int, list[str]] = {}  # codes by remainder: ties in one look-up each
    for c in codes:
        alike.setdefault(scaled[c], []).append(c)
    steps = []
    for rank, code in enumerate(order, start=1):
        same = [c for c in alike[scaled[code]] if c != code]
        tie = any((c in given) != (code in given) for c in same)
        extra = unit if code in given else ZERO
        steps.append(
            RoundingStep(
                code=code,
                exact=exact[code],
                truncated=sign * base[code],
                remainder=remainders[code],
                rank=rank,
                extra=sign * extra,
                tie=tie,
                fee=sign * (base[code] + extra),
            )
        )
    by_code = {s.code: s for s in steps}
    return RoundingReport(unit, total, left, tuple(by_code[c] for c in codes))


def each_steps(total: Fraction, exact: Mapping[str, Fraction],
               unit: Fraction | Decimal) -> RoundingReport:
    """The rounding of ``rounding_method: each`` (reference 7): every exact amount rounded
    half up on its own; no unit is left over or handed out, no tie matters. ``rank`` is 0."""
    unit = Fraction(unit)
    steps = []
    for code, value in exact.items():
        cut = truncate(value, unit)
        fee = round_half_up(value, unit)
        mirror = -1 if value < 0 else 1
        steps.append(RoundingStep(code=code, exact=value, truncated=cut,
                                  remainder=mirror * (value - cut), rank=0, extra=fee - cut,
                                  tie=False, fee=fee))
    return RoundingReport(unit, total, 0, tuple(steps), each=True)


def allocation_rounding(alloc: Allocation) -> RoundingReport:
    """The rounding report of an allocation's fees."""
    plan = alloc.plan
    exact = {m.code: m.exact for m in alloc.members if not m.party}
    if plan.network.rounding_method == "each" and not plan.parties:
        return each_steps(Fraction(alloc.total), exact, plan.unit)
    if plan.network.fee is not None:  # each rate's fee is rounded half up on its own
        return each_steps(Fraction(alloc.total), exact, plan.unit)
    shared = Fraction(alloc.total) - sum((Fraction(m.fee) for m in alloc.parties), ZERO)
    report = rounding_steps(shared, exact, plan.unit, {c: plan.tie_key(c) for c in exact})
    if not alloc.parties:
        return report
    parties = each_steps(ZERO, {m.code: m.exact for m in alloc.parties}, plan.unit).steps
    return replace(report, parties=parties)


@dataclass(frozen=True)
class FactorPart:
    """One statistic's term of a member's share in a segment (reference 7).

    Attributes:
        name: the statistic. percent: its weight in the key. value: the member's value.
        total: Σ of the values of the segment's members. part: percent/100 × value / total.
    """

    name: str
    percent: Decimal
    value: Fraction
    total: Fraction
    part: Fraction


@dataclass(frozen=True)
class SegmentStep:
    """One segment of the period as seen by one member.

    Attributes:
        start, end, days: the segment. cost: total × days / period days.
        members: how many members share it. weight_sum: Σ of their counted population.
        share: the member's share (0 when it is not in the segment).
        equal_part, population_part: the two terms of an equal-plus-population share
        (for a population key: 0 and the share; for a fixed key: 0 and 0).
        fixed_sum: Σ of the fixed shares of the members present (fixed key only).
        amount: cost × share.
    """

    start: date
    end: date
    days: int
    cost: Fraction
    members: int
    weight_sum: int
    present: bool
    share: Fraction
    equal_part: Fraction
    population_part: Fraction
    fixed_sum: Fraction
    amount: Fraction
    statistic_parts: tuple[FactorPart, ...] = ()


@dataclass(frozen=True)
class Explanation:
    """Every step from the inputs to one member's fee.

    ``plain_exact`` is what the member's exact amount would be with a plain population key
    and no cap (None when that is the key in force); ``uncapped_exact`` the same with the key
    in force but without the cap (None without a cap).
    """

    alloc: Allocation
    code: str
    name: str
    population: int
    weight: int
    population_date: date
    snapshot_source: str
    key: Key
    cap: int | None
    days: int
    segments: tuple[SegmentStep, ...]
    exact: Fraction
    rounding: RoundingReport
    fee: Decimal
    carried: Decimal
    amount: Decimal
    percent: Decimal
    fixed_share: Decimal | None
    plain_exact: Fraction | None
    uncapped_exact: Fraction | None
    statistics: tuple[Statistic, ...] = ()

    def statistic_value(self, name: str) -> Decimal:
        """The member's value in statistic ``name``."""
        return next(s.values[self.code] for s in self.statistics if s.name == name)

    @property
    def step(self) -> RoundingStep:
        return self.rounding.step(self.code)

    @property
    def member_count(self) -> int:
        return len(self.alloc.members)

    @property
    def capped(self) -> bool:
        return self.weight != self.population

    @property
    def plain_difference(self) -> Fraction | None:
        """exact - plain_exact: what the equal part or the cap adds (negative: saves)."""
        return None if self.plain_exact is None else self.exact - self.plain_exact

    @property
    def uncapped_difference(self) -> Fraction | None:
        """exact - uncapped_exact: what the cap adds (negative: saves)."""
        return None if self.uncapped_exact is None else self.exact - self.uncapped_exact


def segment_steps(plan: KeyPlan, total: Fraction, code: str) -> tuple[SegmentStep, ...]:
    """The member's share and amount in each segment of ``plan``."""
    key = plan.network.key
    fixed = {m.code: Fraction(m.share) if m.share is not None else ZERO
             for m in plan.network.members}
    result = []
    for segment, shares in zip(plan.segments, plan.segment_shares, strict=True):
        cost = total * segment.days / plan.period_days
        present = code in shares
        n = len(segment.members)
        sigma = sum(plan.weights[c] for c in segment.members)
        share = shares.get(code, ZERO)
        equal_part = population_part = ZERO
        fixed_sum = ZERO
        parts: list[FactorPart] = []
        if present and key.kind in ("equal_population", "weighted"):
            equal_part = Fraction(key.equal) / 100 / n
            if sigma:
                population_part = (Fraction(key.population) / 100
                                   * Fraction(plan.weights[code], sigma))
            for name, percent in key.statistics:
                values = plan.statistics[name].values
                stat_total = sum((Fraction(values[c]) for c in segment.members), ZERO)
                value = Fraction(values[code])
                part = Fraction(percent) / 100 * value / stat_total if stat_total else ZERO
                parts.append(FactorPart(name, percent, value, stat_total, part))
        elif present and key.kind == "population":
            population_part = share
        if key.kind == "fixed":
            fixed_sum = sum((fixed[c] for c in segment.members), ZERO)
        result.append(
            SegmentStep(
                start=segment.start,
                end=segment.end,
                days=segment.days,
                cost=cost,
                members=n,
                weight_sum=sigma,
                present=present,
                share=share,
                equal_part=equal_part,
                population_part=population_part,
                fixed_sum=fixed_sum,
                amount=cost * share,
                statistic_parts=tuple(parts),
            )
        )
    return tuple(result)


def _exact_with(plan: KeyPlan, total: Fraction, code: str, kind: KeyKind,
                cap: int | None) -> Fraction:
    network = replace(plan.network, key=Key(kind) if kind != plan.network.key.kind
                      else plan.network.key, population_cap=cap)
    other = make_plan(network, plan.snapshot, plan.start, plan.end, None, plan.statistics)
    return other.exact(total)[code]


def explain(alloc: Allocation, code: str) -> Explanation:
    """Explain the fee of member ``code`` (which must be in ``alloc``)."""
    plan = alloc.plan
    fee = next(m for m in alloc.members if m.code == code)
    member = plan.network.member(code)
    assert member is not None
    total = Fraction(alloc.total)
    network = plan.network
    plain: Fraction | None = None
    uncapped: Fraction | None = None
    if network.key.kind in ("equal_population", "weighted") or (
        network.key.kind == "population" and network.population_cap is not None
    ):
        plain = _exact_with(plan, total, code, "population", None)
    if network.population_cap is not None and network.key.kind in ("equal_population",
                                                                   "weighted"):
        uncapped = _exact_with(plan, total, code, network.key.kind, None)
    return Explanation(
        alloc=alloc,
        code=code,
        name=fee.name,
        population=fee.population,
        weight=fee.weight,
        population_date=plan.snapshot.date,
        snapshot_source=plan.snapshot.source,
        key=network.key,
        cap=network.population_cap,
        days=fee.days,
        segments=segment_steps(plan, plan.municipal_rest(total), code),
        exact=fee.exact,
        rounding=allocation_rounding(alloc),
        fee=fee.fee,
        carried=fee.carried,
        amount=fee.amount,
        percent=fee.percent,
        fixed_share=member.share,
        plain_exact=plain,
        uncapped_exact=uncapped,
        statistics=tuple(plan.statistics[name] for name in network.key.statistic_names),
    )


def nearest(names: Sequence[str], given: str) -> list[str]:
    """Up to three of ``names`` closest to ``given`` (for "did you mean")."""
    import difflib

    folded = {n.lower(): n for n in names}
    return [folded[n] for n in difflib.get_close_matches(given.lower(), list(folded), 3, 0.8)]
