"""Membership over a period: who is in on which days, cut into segments (reference 3.4-3.5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from koordination.core.errors import DataError, Problem
from koordination.core.models import Member, days_inclusive


@dataclass(frozen=True)
class Segment:
    """Days ``start``..``end`` (both included) during which ``members`` (codes) are all in."""

    start: date
    end: date
    members: tuple[str, ...]

    @property
    def days(self) -> int:
        return days_inclusive(self.start, self.end)


def cut_segments(
    start: date, end: date, members: Sequence[Member], notice_months: int
) -> list[Segment]:
    """Cut ``start``..``end`` wherever the set of members changes.

    A member is in from ``joined`` (inclusive) until the day before its first day out.
    Members with no day in the period appear in no segment. A segment with no member at all
    is an error. Runs in O(changes × members).
    """
    bounds: list[tuple[date, date | None, str]] = []
    cuts = {start}
    for m in members:
        first_in = m.joined if m.joined is not None and m.joined > start else start
        out = m.first_day_out(notice_months)
        if out is not None and out <= first_in:
            continue
        if first_in > end:
            continue
        bounds.append((first_in, out, m.code))
        if first_in > start:
            cuts.add(first_in)
        if out is not None and start < out <= end:
            cuts.add(out)
    ordered = sorted(cuts)
    segments: list[Segment] = []
    for i, seg_start in enumerate(ordered):
        seg_end = ordered[i + 1] - timedelta(days=1) if i + 1 < len(ordered) else end
        codes = tuple(
            code
            for first_in, out, code in bounds
            if first_in <= seg_start and (out is None or seg_start < out)
        )
        if not codes:
            raise DataError(
                Problem(
                    f"no member is in the cooperation from {seg_start} to {seg_end}; "
                    "check the members' joined, notice and left dates"
                )
            )
        segments.append(Segment(seg_start, seg_end, codes))
    return segments
