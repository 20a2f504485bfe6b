"""The key in force over a period: segments, weights and shares, reused by every amount
that is shared among the members (the year's fee, a settlement, a one-off cost)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from koordination.core.keys import fixed_shares, shares, weight
from koordination.core.segments import Segment, cut_segments
from koordination.errors import DataError, Problem
from koordination.models import Member, Network, Snapshot, days_inclusive
from koordination.money import apportion
from koordination.municipalities import swedish_sort_key


@dataclass(frozen=True)
class KeyPlan:
    """How amounts of the period ``start``..``end`` are shared.

    Attributes:
        network, snapshot: the inputs.
        members: the members with at least one day in the period, in Swedish order.
        segments: the period cut where membership changes.
        segment_shares: per segment, each present member's exact share (summing to 1).
        weights: the population each member counts (after the cap).
        days: each member's days in the period.
    """

    network: Network
    snapshot: Snapshot
    start: date
    end: date
    members: tuple[Member, ...]
    segments: tuple[Segment, ...]
    segment_shares: tuple[Mapping[str, Fraction], ...]
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

    def exact(self, total: Fraction) -> dict[str, Fraction]:
        """``total`` shared over the segments by days, and within each by the key."""
        result = {m.code: Fraction(0) for m in self.members}
        period = self.period_days
        for segment, seg_shares in zip(self.segments, self.segment_shares, strict=True):
            cost = total * segment.days / period
            for code, share in seg_shares.items():
                result[code] += cost * share
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
        for code, share in self.segment_shares[i].items():
            result[code] = total * share
        return result

    def round(self, total: Fraction, exact: Mapping[str, Fraction]) -> dict[str, Fraction]:
        """Round exact amounts to the network's unit, summing to ``total`` (SPEC 3.7)."""
        codes = list(exact)
        rounded = apportion(
            total, [exact[c] for c in codes], self.unit, [self.tie_key(c) for c in codes]
        )
        return dict(zip(codes, rounded, strict=True))


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
    seg_shares = tuple(shares(network.key, s.members, weights, fixed) for s in segments)
    days = {m.code: 0 for m in members}
    for segment in segments:
        for code in segment.members:
            days[code] += segment.days
    return KeyPlan(
        network=network,
        snapshot=snapshot,
        start=start,
        end=end,
        members=members,
        segments=tuple(segments),
        segment_shares=seg_shares,
        weights=weights,
        days=days,
    )
