"""The key in force over a period: segments, weights and shares, reused by every amount
that is shared among the members (the year's fee, a settlement, a one-off cost)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from koordination.core.errors import DataError, Problem
from koordination.core.keys import fixed_shares, linear_share, weight
from koordination.core.models import Member, Network, Snapshot, Statistic, days_inclusive
from koordination.core.money import apportion, round_half_up
from koordination.core.municipalities import swedish_sort_key
from koordination.core.segments import Segment, cut_segments


@dataclass(frozen=True)
class KeyPlan:
    """How amounts of the period ``start``..``end`` are shared.

    Attributes:
        network, snapshot: the inputs. statistics: the statistic snapshots the key counts,
            by name (reference 7).
        members: the parties that are not municipalities (reference 13), in the order
            listed, then the members with at least one day in the period, in Swedish order.
        segments: the period cut where membership changes.
        segment_keys: per segment, ``(base, per_unit)``: a present member's share is
            ``base + Σ_f per_unit[f] × values[code][f]``
            (see :func:`~koordination.core.keys.linear_share`).
        values: what the key counts per member, one value per factor of the key (its
            weight, each statistic's value, or its fixed share).
        member_segments: per member, the indices of the segments it is in.
        weights: the population each member counts (after the cap).
        days: each member's days in the period (a party's: the whole period).
        parties: each party's fixed part of every amount shared (its percent / 100): it takes
            that part first, rounded half up on its own, not prorated by segments; the
            municipal members share the rest by the key (reference 13).

    Every amount is computed in time linear in members plus segments (times factors): a
    member's exact amount is ``A + Σ_f B_f × value_f`` with ``A``, ``B_f`` sums over its
    segments, shared by every member in the same segments.
    """

    network: Network
    snapshot: Snapshot
    start: date
    end: date
    members: tuple[Member, ...]
    segments: tuple[Segment, ...]
    segment_keys: tuple[tuple[Fraction, tuple[Fraction, ...]], ...]
    values: Mapping[str, tuple[Fraction | int, ...]]
    member_segments: Mapping[str, tuple[int, ...]]
    weights: Mapping[str, int]
    days: Mapping[str, int]
    statistics: Mapping[str, Statistic] = field(default_factory=dict)
    parties: Mapping[str, Fraction] = field(default_factory=dict)

    @property
    def period_days(self) -> int:
        return days_inclusive(self.start, self.end)

    @property
    def unit(self) -> Decimal:
        return self.network.rounding

    def population(self, code: str) -> int:
        """The snapshot's figure for a municipality (0 for a party, which has none)."""
        if code in self.parties:
            return 0
        return self.snapshot.populations[code]

    def is_party(self, code: str) -> bool:
        return code in self.parties

    @property
    def municipal(self) -> tuple[Member, ...]:
        """The municipal members (every member but the parties)."""
        return tuple(m for m in self.members if m.code not in self.parties)

    def party_amounts(self, total: Fraction) -> dict[str, Fraction]:
        """Each party's part of ``total``, rounded half up to the unit on its own."""
        return {code: round_half_up(total * part, self.unit)
                for code, part in self.parties.items()}

    def municipal_rest(self, total: Fraction) -> Fraction:
        """What the municipal members share: ``total`` less the parties' rounded parts."""
        return total - sum(self.party_amounts(total).values(), Fraction(0))

    def statistic_value(self, name: str, code: str) -> Decimal:
        """Member ``code``'s value in the statistic ``name`` the key counts."""
        return self.statistics[name].values[code]

    def is_partial(self) -> bool:
        """True when some member was in for only part of the period."""
        return any(d != self.period_days for d in self.days.values())

    def tie_key(self, code: str) -> tuple[int, str]:
        """Ties in rounding go to the larger population, then the lower SCB code."""
        return (-self.population(code), code)

    def _share(self, i: int, code: str) -> Fraction:
        base, per_unit = self.segment_keys[i]
        value = self.values[code]
        if len(per_unit) == 1:
            return base + per_unit[0] * value[0]
        return base + sum((u * x for u, x in zip(per_unit, value, strict=True)), Fraction(0))

    @cached_property
    def segment_shares(self) -> tuple[Mapping[str, Fraction], ...]:
        """Per segment, each present member's exact share (summing to 1)."""
        return tuple(
            {code: self._share(i, code) for code in segment.members}
            for i, segment in enumerate(self.segments)
        )

    def exact(self, total: Fraction) -> dict[str, Fraction]:
        """``total`` shared over the segments by days, and within each by the key; with
        parties, each party's exact part first and the municipal members sharing what is
        left once the parties' parts are rounded."""
        if self.parties:
            result = {code: total * part for code, part in self.parties.items()}
            result.update(self._exact(self.municipal_rest(total)))
            return result
        return self._exact(total)

    def _exact(self, total: Fraction) -> dict[str, Fraction]:
        period = self.period_days
        # prefix[k] = sums over segments < k of cost × base and of cost × per_unit (per factor)
        width = len(self.segment_keys[0][1]) if self.segment_keys else 0
        prefix: list[tuple[Fraction, tuple[Fraction, ...]]] = [
            (Fraction(0), (Fraction(0),) * width)
        ]
        for segment, (base, per_unit) in zip(self.segments, self.segment_keys, strict=True):
            cost = total * segment.days / period
            a, b = prefix[-1]
            prefix.append((
                a + cost * base if base else a,
                tuple(bf + cost * u for bf, u in zip(b, per_unit, strict=True)),
            ))
        sums: dict[tuple[int, ...], tuple[Fraction, tuple[Fraction, ...]]] = {}
        result: dict[str, Fraction] = {}
        for m in self.members:
            if m.code in self.parties:
                continue
            spans = self.member_segments[m.code]
            pair = sums.get(spans)
            if pair is None:
                pair = sums[spans] = _span_sums(prefix, spans)
            a, b = pair
            value = self.values[m.code]
            if width == 1:  # the usual key: one factor, one product
                result[m.code] = a + b[0] * value[0]
            else:
                result[m.code] = a + sum(
                    (bf * x for bf, x in zip(b, value, strict=True)), Fraction(0))
        return result

    def equal_parts(self, total: Fraction) -> dict[str, Fraction]:
        """The part of each municipal member's exact amount of ``total`` that the key's equal
        part gives: over its segments, the segment's cost × e/100 × 1/n (none: empty)."""
        rest = self.municipal_rest(total) if self.parties else total
        period = self.period_days
        result: dict[str, Fraction] = {}
        for segment, (base, _) in zip(self.segments, self.segment_keys, strict=True):
            if not base:
                continue
            part = rest * segment.days / period * base
            for code in segment.members:
                result[code] = result.get(code, Fraction(0)) + part
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
        result.update({code: total * part for code, part in self.parties.items()})
        rest = self.municipal_rest(total)
        for code in self.segments[i].members:
            result[code] = rest * self._share(i, code)
        return result

    def round(self, total: Fraction, exact: Mapping[str, Fraction]) -> dict[str, Fraction]:
        """Round exact amounts to the network's unit, summing to ``total`` (reference 3.7);
        a party's part is rounded half up on its own and the municipal members' amounts by
        the largest remainder to the rest (reference 13)."""
        parties = {c: round_half_up(e, self.unit) for c, e in exact.items() if c in self.parties}
        codes = [c for c in exact if c not in self.parties]
        rest = total - sum(parties.values(), Fraction(0))
        rounded = apportion(
            rest, [exact[c] for c in codes], self.unit, [self.tie_key(c) for c in codes]
        )
        found = dict(zip(codes, rounded, strict=True))
        return {c: parties[c] if c in parties else found[c] for c in exact}

    def round_fees(self, total: Fraction, exact: Mapping[str, Fraction]) -> dict[str, Fraction]:
        """Round a year's fees by the network's ``rounding_method`` (reference 7):
        ``largest_remainder`` as :meth:`round`; ``each``: every exact amount rounded half up
        to the unit on its own (the sum may then differ from ``total``)."""
        if self.network.rounding_method == "each" and not self.parties:
            return {c: round_half_up(e, self.unit) for c, e in exact.items()}
        return self.round(total, exact)


def _span_sums(
    prefix: list[tuple[Fraction, tuple[Fraction, ...]]], spans: tuple[int, ...]
) -> tuple[Fraction, tuple[Fraction, ...]]:
    """The sums over the segments ``spans`` from the prefix sums (a run of segments: two
    subtractions; membership is one run, since a member joins once and leaves once)."""
    width = len(prefix[0][1])
    if not spans:
        return Fraction(0), tuple(Fraction(0) for _ in range(width))
    first, last = spans[0], spans[-1]
    if last - first + 1 == len(spans):
        (a0, b0), (a1, b1) = prefix[first], prefix[last + 1]
        return a1 - a0, tuple(y - x for x, y in zip(b0, b1, strict=True))
    a = sum((prefix[i + 1][0] - prefix[i][0] for i in spans), Fraction(0))
    b = tuple(
        sum((prefix[i + 1][1][f] - prefix[i][1][f] for i in spans), Fraction(0))
        for f in range(width)
    )
    return a, b


def _counter(network: Network, name: str) -> str:
    """Which part of the network counts statistic ``name``: the key, else the fee rate."""
    return "key" if name in network.key.statistic_names else "fee"


def make_plan(
    network: Network,
    snapshot: Snapshot,
    start: date,
    end: date,
    snapshot_file: str | None = None,
    statistics: Mapping[str, Statistic] | None = None,
) -> KeyPlan:
    """Cut the period into segments and compute every member's share in each.

    ``statistics`` holds a snapshot of every statistic the key names (reference 7); each
    must hold every member present.
    """
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
    statistics = dict(statistics or {})
    key = network.key
    used = {name: statistics.get(name) for name in network.statistic_names}
    absent = [name for name, stat in used.items() if stat is None]
    if absent:
        raise DataError([Problem(f"the {_counter(network, name)} counts statistic {name}, "
                                 "but no snapshot of it was given", None,
                                 _counter(network, name)) for name in absent])
    problems = [
        Problem(f"member {m.name} ({m.code}) is missing from the {name} snapshot of "
                f"{stat.date}; add its value (kn statistic import {name} FILE --date "
                f"{stat.date})", stat.source or None)
        for name, stat in used.items() if stat is not None
        for m in members if m.code not in stat.values
    ]
    if problems:
        raise DataError(problems)
    weights = {
        m.code: weight(snapshot.populations[m.code], network.population_cap) for m in members
    }
    factor_values: list[Mapping[str, Fraction | int]] = []
    sources: list[str | None] = []
    if key.kind == "fixed":
        fixed = fixed_shares(network.members)
        factor_values.append(fixed)
        sources.append(None)
    else:
        for name, _ in key.factors:
            if name == "population":
                factor_values.append(weights)
                sources.append(snapshot_file or snapshot.source or None)
            else:
                stat = statistics[name]
                factor_values.append({m.code: Fraction(stat.values[m.code]) for m in members})
                sources.append(stat.source or None)
    segment_keys = tuple(
        linear_share(key, s.members, factor_values, sources) for s in segments
    )
    days = {m.code: 0 for m in members}
    in_segments: dict[str, list[int]] = {m.code: [] for m in members}
    for i, segment in enumerate(segments):
        seg_days = segment.days
        for code in segment.members:
            days[code] += seg_days
            in_segments[code].append(i)
    parties = network.parties
    period_days = days_inclusive(start, end)
    days.update({p.code: period_days for p in parties})
    weights.update({p.code: 0 for p in parties})  # a party counts no population
    in_segments.update({p.code: [] for p in parties})
    return KeyPlan(
        network=network,
        snapshot=snapshot,
        start=start,
        end=end,
        members=tuple(parties) + members,
        segments=tuple(segments),
        segment_keys=segment_keys,
        values={m.code: tuple(v[m.code] for v in factor_values) for m in members},
        member_segments={code: tuple(ix) for code, ix in in_segments.items()},
        weights=weights,
        days=days,
        statistics={name: stat for name, stat in used.items() if stat is not None},
        parties={p.code: Fraction(p.share or 0) / 100 for p in parties},
    )
