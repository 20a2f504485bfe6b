"""The key in force over a period: segments, weights and shares, reused by every amount
that is shared among the members (the year's fee, a settlement, a one-off cost)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from koordination.core.errors import DataError, Problem
from koordination.core.keys import fixed_shares, linear_share, weight
from koordination.core.models import Member, Network, Snapshot, days_inclusive
from koordination.core.money import apportion
from koordination.core.municipalities import swedish_sort_key
from koordination.core.segments import Segment, cut_segments


@dataclass(frozen=True)
class KeyPlan:
    """How amounts of the period ``start``..``end`` are shared.

    Attributes:
        network, snapshot: the inputs.
        members: the members with at least one day in the period, in Swedish order.
        segments: the period cut where membership changes.
        segment_keys: per segment, ``(base, per_unit)``: a present member's share is
            ``base + per_unit × values[code]`` (see :func:`~koordination.core.keys.linear_share`).
        values: what the key counts per member: its weight, or its fixed share.
        member_segments: per member, the indices of the segments it is in.
        weights: the population each member counts (after the cap).
        days: each member's days in the period.

    Every amount is computed in time linear in members plus segments: a member's exact amount
    is ``A + B × value`` with ``A``, ``B`` sums over its segments, shared by every member in
    the same segments.
    """

    network: Network
    snapshot: Snapshot
    start: date
    end: date
    members: tuple[Member, ...]
    segments: tuple[Segment, ...]
    segment_keys: tuple[tuple[Fraction, Fraction], ...]
    values: Mapping[str, Fraction | int]
    member_segments: Mapping[str, tuple[int, ...]]
    weights: Mapping[str, int]
    days: Mapping[str, int]

    @property
    def period_days(self) -> int:
        return days_inclusive(self.start, self.end)

    @property
    def unit(self) -> Decimal:
        return self.network.rounding

    def population(self, code: str) -> int:
        return self.snapshot.populations[code]

    def is_partial(self) -> bool:
        """True when some member was in for only part of the period."""
        return any(d != self.period_days for d in self.days.values())

    def tie_key(self, code: str) -> tuple[int, str]:
        """Ties in rounding go to the larger population, then the lower SCB code."""
        return (-self.snapshot.populations[code], code)

    @cached_property
    def segment_shares(self) -> tuple[Mapping[str, Fraction], ...]:
        """Per segment, each present member's exact share (summing to 1)."""
        return tuple(
            {code: base + per_unit * self.values[code] for code in segment.members}
            for segment, (base, per_unit) in zip(self.segments, self.segment_keys, strict=True)
        )

    def exact(self, total: Fraction) -> dict[str, Fraction]:
        """``total`` shared over the segments by days, and within each by the key."""
        period = self.period_days
        # prefix[k] = sums over segments < k of cost × base and cost × per_unit
        prefix: list[tuple[Fraction, Fraction]] = [(Fraction(0), Fraction(0))]
        for segment, (base, per_unit) in zip(self.segments, self.segment_keys, strict=True):
            cost = total * segment.days / period
            a, b = prefix[-1]
            prefix.append((a + cost * base if base else a, b + cost * per_unit))
        sums: dict[tuple[int, ...], tuple[Fraction, Fraction]] = {}
        result: dict[str, Fraction] = {}
        for m in self.members:
            spans = self.member_segments[m.code]
            pair = sums.get(spans)
            if pair is None:
                pair = sums[spans] = _span_sums(prefix, spans)
            result[m.code] = pair[0] + pair[1] * self.values[m.code]
        return result

    def segment_of(self, day: date) -> int | None:
        for i, segment in enumerate(self.segments):
            if segment.start <= day <= segment.end:
                return i
        return None

    def exact_on(self, day: date, total: Fraction) -> dict[str, Fraction]:
        """``total`` shared among the members of one day, by the key."""
        i = self.segment_of(day)
        if i is None:
            raise DataError(Problem(f"{day} is outside the period {self.start} to {self.end}"))
        result = {m.code: Fraction(0) for m in self.members}
        base, per_unit = self.segment_keys[i]
        for code in self.segments[i].members:
            result[code] = total * (base + per_unit * self.values[code])
        return result

    def round(self, total: Fraction, exact: Mapping[str, Fraction]) -> dict[str, Fraction]:
        """Round exact amounts to the network's unit, summing to ``total`` (reference 3.7)."""
        codes = list(exact)
        rounded = apportion(
            total, [exact[c] for c in codes], self.unit, [self.tie_key(c) for c in codes]
        )
        return dict(zip(codes, rounded, strict=True))


def _span_sums(
    prefix: list[tuple[Fraction, Fraction]], spans: tuple[int, ...]
) -> tuple[Fraction, Fraction]:
    """The sums over the segments ``spans`` from the prefix sums (a run of segments: two
    subtractions; membership is one run, since a member joins once and leaves once)."""
    if not spans:
        return Fraction(0), Fraction(0)
    first, last = spans[0], spans[-1]
    if last - first + 1 == len(spans):
        (a0, b0), (a1, b1) = prefix[first], prefix[last + 1]
        return a1 - a0, b1 - b0
    a = sum((prefix[i + 1][0] - prefix[i][0] for i in spans), Fraction(0))
    b = sum((prefix[i + 1][1] - prefix[i][1] for i in spans), Fraction(0))
    return a, b


def make_plan(
    network: Network,
    snapshot: Snapshot,
    start: date,
    end: date,
    snapshot_file: str | None = None,
) -> KeyPlan:
    """Cut the period into segments and compute every member's share in each."""
    segments = cut_segments(start, end, network.members, network.notice_months)
    present = {code for segment in segments for code in segment.members}
    members = tuple(
        sorted(
            (m for m in network.members if m.code in present),
            key=lambda m: swedish_sort_key(m.name),
        )
    )
    missing = [m for m in members if m.code not in snapshot.populations]
    if missing:
        raise DataError(
            [
                Problem(
                    f"member {m.name} ({m.code}) is missing from the snapshot; "
                    "import a complete SCB snapshot",
                    snapshot_file or snapshot.source or None,
                )
                for m in missing
            ]
        )
    weights = {
        m.code: weight(snapshot.populations[m.code], network.population_cap) for m in members
    }
    fixed = fixed_shares(network.members) if network.key.kind == "fixed" else None
    values: Mapping[str, Fraction | int] = fixed if fixed is not None else weights
    segment_keys = tuple(linear_share(network.key, s.members, weights, fixed) for s in segments)
    days = {m.code: 0 for m in members}
    in_segments: dict[str, list[int]] = {m.code: [] for m in members}
    for i, segment in enumerate(segments):
        seg_days = segment.days
        for code in segment.members:
            days[code] += seg_days
            in_segments[code].append(i)
    return KeyPlan(
        network=network,
        snapshot=snapshot,
        start=start,
        end=end,
        members=members,
        segments=tuple(segments),
        segment_keys=segment_keys,
        values={m.code: values[m.code] for m in members},
        member_segments={code: tuple(ix) for code, ix in in_segments.items()},
        weights=weights,
        days=days,
    )
