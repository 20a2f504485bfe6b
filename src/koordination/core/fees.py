"""Fee models beside a shared budget (reference 13): a rate per inhabitant, per unit of a
statistic and per member; a fee by population band; parties that pay a fixed part of the
total; and limits on a member's fee (a first part per member, a floor, a ceiling and how much
a fee may fall or rise from the year before).

Every function is exact (fractions) and states its rule. Days are a member's days in the
period, so every rule holds for a partial year and for members joining or leaving.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from koordination.core.errors import DataError, Problem
from koordination.core.models import Band, FeeRate, Limits
from koordination.core.money import ZERO, apportion, round_half_up, to_decimal

HUNDRED = Fraction(100)


def counted_inhabitants(population: int, max_inhabitants: int | None) -> int:
    """The inhabitants a rate counts: the snapshot's figure, at most ``max_inhabitants``."""
    return population if max_inhabitants is None else min(population, max_inhabitants)


def band_of(population: int, bands: Sequence[Band]) -> Band:
    """The member's band: the first band whose ``below`` its population is under; the last
    band (no ``below``) takes every population above the others."""
    for band in bands:
        if band.below is None or population < band.below:
            return band
    raise ValueError("the bands have no last, open band")


def yearly_rate(rate: FeeRate, population: int, statistics: Mapping[str, Decimal]) -> Fraction:
    """A member's fee for a whole year under a rate: its band's amount; else
    per_inhabitant × inhabitants (at most ``max_inhabitants``) + Σ per_unit × the member's
    value of that statistic + base."""
    if rate.bands:
        return Fraction(band_of(population, rate.bands).amount)
    fee = Fraction(rate.per_inhabitant) * counted_inhabitants(population, rate.max_inhabitants)
    for name, per_unit in rate.per_unit:
        fee += Fraction(per_unit) * Fraction(statistics[name])
    return fee + Fraction(rate.base)


def prorated_fee(yearly: Fraction, days: int, year_days: int, unit: Decimal) -> Fraction:
    """A rate's fee for the days a member is in: yearly × days / days of the year, rounded
    half up to ``unit`` on its own (the total is the sum of these fees)."""
    return round_half_up(yearly * days / year_days, unit)


def party_amounts(total: Fraction, shares: Sequence[Decimal], unit: Decimal) -> list[Fraction]:
    """Each party's fixed part of ``total``: total × share / 100, rounded half up to ``unit``
    on its own (not prorated by segments); the municipal members share what is left, so the
    sum is exact. A negative total (a refund) gives the mirror amounts."""
    return [round_half_up(total * Fraction(share) / HUNDRED, unit) for share in shares]


@dataclass(frozen=True)
class Bounds:
    """A member's bounds for the year (None: unbounded on that side).

    Attributes:
        lower: the least fee: max(floor × days / year's days, (1 − max decrease %) × last
            year's fee), rounded up to the unit.
        upper: the greatest fee: min(ceiling × days / year's days, (1 + max increase %) × last
            year's fee), rounded down to the unit.
        last: last year's fee the change limits were taken from (None: none).
    """

    lower: Fraction | None
    upper: Fraction | None
    last: Fraction | None = None


def round_up(value: Fraction, unit: Decimal) -> Fraction:
    """``value`` rounded up to a multiple of ``unit``."""
    step = Fraction(unit)
    q = value / step
    return -((-q.numerator) // q.denominator) * step


def round_down(value: Fraction, unit: Decimal) -> Fraction:
    """``value`` rounded down to a multiple of ``unit``."""
    step = Fraction(unit)
    q = value / step
    return (q.numerator // q.denominator) * step


def member_bounds(
    limits: Limits, days: int, year_days: int, last: Fraction | None, unit: Decimal
) -> Bounds:
    """A member's bounds: lower = max(floor prorated by days / the year's days,
    (1 − max_decrease_percent / 100) × last year's fee), rounded up to ``unit``; upper =
    min(ceiling prorated, (1 + max_increase_percent / 100) × last year's fee), rounded down.
    A member without a fee last year (``last`` None) has no change limit."""
    part = Fraction(days, year_days)
    lows: list[Fraction] = []
    highs: list[Fraction] = []
    if limits.floor is not None:
        lows.append(Fraction(limits.floor) * part)
    if limits.ceiling is not None:
        highs.append(Fraction(limits.ceiling) * part)
    if last is not None:
        if limits.max_decrease_percent is not None:
            lows.append((1 - Fraction(limits.max_decrease_percent) / HUNDRED) * last)
        if limits.max_increase_percent is not None:
            highs.append((1 + Fraction(limits.max_increase_percent) / HUNDRED) * last)
    lower = round_up(max(lows), unit) if lows else None
    upper = round_down(min(highs), unit) if highs else None
    return Bounds(lower, upper, last)


def base_and_shares(
    segment_totals: Sequence[Fraction],
    segment_days: Sequence[int],
    segment_shares: Sequence[Mapping[str, Fraction]],
    base_per_member: Decimal,
    year_days: int,
) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    """Each member's first part and its share of the rest: in each segment every member
    present gets base_per_member × the segment's days / the year's days, and the rest of the
    segment's total is shared by the key (``segment_shares``, summing to 1 per segment).
    Returns ``(base, share)`` with ``share`` each member's part of the rest, as a part of
    the whole rest (the shares sum to 1). A segment whose first parts exceed its total is
    refused: a member's share of the rest can never be negative."""
    base: dict[str, Fraction] = {}
    part: dict[str, Fraction] = {}
    rest = ZERO
    for total, days, shares in zip(segment_totals, segment_days, segment_shares, strict=True):
        first = Fraction(base_per_member) * days / year_days
        left = total - first * len(shares)
        if left < 0:
            # A member's part of the rest would be negative: the first parts alone are more
            # than this stretch of the period carries.
            raise DataError(Problem(
                f"base_per_member gives the {len(shares)} members of a stretch of {days} days "
                "more than that stretch's part of the total; lower base_per_member",
                None, "limits.base_per_member"))
        rest += left
        for code, share in shares.items():
            base[code] = base.get(code, ZERO) + first
            part[code] = part.get(code, ZERO) + left * share
    if rest <= 0:
        raise DataError(Problem(
            "base_per_member leaves nothing of the total to share by the key; lower "
            "base_per_member", None, "limits.base_per_member"))
    return base, {code: p / rest for code, p in part.items()}


@dataclass(frozen=True)
class Limited:
    """The fees under limits before rounding.

    Attributes:
        c: the one factor c ≥ 0 such that the fees sum to the total.
        exact: each member's fee min(upper, max(lower, base + c × share)).
        held: the members at a bound, ``"lower"`` or ``"upper"``.
    """

    c: Fraction
    exact: Mapping[str, Fraction]
    held: Mapping[str, str]


def _clamp(value: Fraction, bounds: Bounds) -> Fraction:
    if bounds.lower is not None and value < bounds.lower:
        return bounds.lower
    if bounds.upper is not None and value > bounds.upper:
        return bounds.upper
    return value


def fill_to_total(
    total: Fraction,
    base: Mapping[str, Fraction],
    share: Mapping[str, Fraction],
    bounds: Mapping[str, Bounds],
    names: Mapping[str, str] | None = None,
) -> Limited:
    """The fees fee_i = min(upper_i, max(lower_i, base_i + c × share_i)) with the one c ≥ 0
    that makes them sum to ``total``: members held at a bound, the rest shared by the key
    again until no member crosses a bound. Bounds that cannot all hold (Σ lower > total or
    Σ upper < total) are an error that says so."""
    codes = list(base)
    shown = _kr(total)
    for code in codes:
        b = bounds[code]
        if b.lower is not None and b.upper is not None and b.lower > b.upper:
            raise DataError(Problem(
                f"the limits cannot all hold for {(names or {}).get(code, code)}: its least fee "
                f"{_kr(b.lower)} kr is above its greatest {_kr(b.upper)} kr; loosen the floor, "
                "ceiling or change limits", None, "limits"))
    lows = sum((b.lower for b in (bounds[c] for c in codes) if b.lower is not None), ZERO)
    if lows > total:
        raise DataError(Problem(
            f"the limits cannot all hold: the members' least fees sum to {_kr(lows)} kr, more "
            f"than the total {shown} kr; lower the floor or max_decrease_percent",
            None, "limits"))
    lowest = sum((_clamp(base[c], bounds[c]) for c in codes), ZERO)
    if lowest > total:
        raise DataError(Problem(
            f"the limits cannot all hold: the first parts alone come to {_kr(lowest)} kr, more "
            f"than the total {shown} kr; lower base_per_member", None, "limits"))
    if not any(share[c] > 0 and bounds[c].upper is None for c in codes):
        highest = sum((_top(base[c], share[c], bounds[c]) for c in codes), ZERO)
        if highest < total:
            raise DataError(Problem(
                f"the limits cannot all hold: the members' greatest fees sum to "
                f"{_kr(highest)} kr, less than the total {shown} kr; raise the ceiling or "
                "max_increase_percent", None, "limits"))
    # Each member's fee is linear in c between its breakpoints: find the piece on which the
    # sum reaches the total, then solve for c on it.
    points = {ZERO}
    for c in codes:
        s = share[c]
        if s <= 0:
            continue
        for bound in (bounds[c].lower, bounds[c].upper):
            if bound is not None and (bound - base[c]) / s > 0:
                points.add((bound - base[c]) / s)
    ordered = sorted(points)

    def total_at(c: Fraction) -> Fraction:
        return sum((_clamp(base[k] + c * share[k], bounds[k]) for k in codes), ZERO)

    low = ordered[0]
    c_value: Fraction | None = None
    if total_at(low) >= total:
        c_value = low
    else:
        for high in ordered[1:]:
            if total_at(high) >= total:
                c_value = _solve(low, high, total, total_at)
                break
            low = high
        if c_value is None:  # beyond the last breakpoint: only unbounded members still grow
            slope = sum((share[k] for k in codes
                         if share[k] > 0 and bounds[k].upper is None), ZERO)
            c_value = low + (total - total_at(low)) / slope
    exact: dict[str, Fraction] = {}
    held: dict[str, str] = {}
    for k in codes:
        free = base[k] + c_value * share[k]
        b = bounds[k]
        exact[k] = _clamp(free, b)
        if b.lower is not None and free <= b.lower:
            held[k] = "lower"
        elif b.upper is not None and free >= b.upper:
            held[k] = "upper"
    return Limited(c_value, exact, held)


def _top(base: Fraction, share: Fraction, bounds: Bounds) -> Fraction:
    """The most a member can pay as c grows: its upper bound, or its clamped first part when
    the key gives it nothing."""
    if share > 0 and bounds.upper is not None:
        return bounds.upper
    return _clamp(base, bounds)


def _solve(low: Fraction, high: Fraction, total: Fraction,
           total_at: Callable[[Fraction], Fraction]) -> Fraction:
    """The c in [low, high] where the piecewise-linear sum reaches ``total`` (linear there)."""
    a, b = total_at(low), total_at(high)
    return low + (total - a) * (high - low) / (b - a)


def round_limited(
    total: Fraction,
    limited: Limited,
    unit: Decimal,
    tie_keys: Mapping[str, Hashable],
) -> dict[str, Fraction]:
    """The fees rounded: a member at a bound gets exactly its bound (a multiple of the unit);
    the others' exact fees (first part and key share together) are rounded by rule 7
    (largest remainder) to what is left of the total."""
    fees = {code: limited.exact[code] for code in limited.held}
    others = [code for code in limited.exact if code not in limited.held]
    rest = total - sum(fees.values(), ZERO)
    if others:
        rounded = apportion(rest, [limited.exact[c] for c in others], unit,
                            [tie_keys[c] for c in others])
        fees.update(zip(others, rounded, strict=True))
    return {code: fees[code] for code in limited.exact}


def _kr(value: Fraction) -> str:
    """An amount in the plain style of an error line (no grouping; öre when there are any)."""
    text = f"{to_decimal(value)}"
    return text[:-3] if text.endswith(".00") else text
