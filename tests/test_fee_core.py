"""The fee models' core (reference 13), each rule against an independent exact computation:
rates and bands, parties' fixed parts, and limits (bounds, the one factor c, rounding)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from koordination.core.errors import DataError
from koordination.core.fees import (
    Bounds,
    band_of,
    base_and_shares,
    fill_to_total,
    member_bounds,
    party_amounts,
    prorated_fee,
    round_limited,
    yearly_rate,
)
from koordination.core.models import Band, FeeRate, Limits

SAMBRUK = (
    Band(7000, Decimal(5000)), Band(15000, Decimal(10000)), Band(None, Decimal(80000)),
)


def test_band_is_the_first_the_population_is_below() -> None:
    assert band_of(6999, SAMBRUK).amount == 5000
    assert band_of(7000, SAMBRUK).amount == 10000
    assert band_of(14999, SAMBRUK).amount == 10000
    assert band_of(15000, SAMBRUK).amount == 80000
    assert band_of(10_000_000, SAMBRUK).amount == 80000


def test_rate_counts_at_most_max_inhabitants_and_adds_units_and_base() -> None:
    rate = FeeRate(per_inhabitant=Decimal(414), max_inhabitants=100000,
                   per_unit=(("landareal-km2", Decimal(17000)),), base=Decimal(25000))
    assert yearly_rate(rate, 150000, {"landareal-km2": Decimal("12.5")}) == (
        414 * 100000 + 17000 * Fraction(25, 2) + 25000)
    assert yearly_rate(rate, 1000, {"landareal-km2": Decimal(0)}) == 414 * 1000 + 25000


def test_prorated_fee_is_rounded_half_up_on_its_own() -> None:
    # 365 000 × 261 / 365 = 261 000; 1 000 × 1 / 365 = 2.739… -> 3; to tens: 0
    assert prorated_fee(Fraction(365000), 261, 365, Decimal(1)) == 261000
    assert prorated_fee(Fraction(1000), 1, 365, Decimal(1)) == 3
    assert prorated_fee(Fraction(1000), 1, 365, Decimal(10)) == 0
    assert prorated_fee(Fraction(5), 1, 2, Decimal(1)) == 3  # 2.5 -> 3


@given(st.integers(-10**9, 10**9), st.lists(st.integers(1, 3300), min_size=1, max_size=4),
       st.sampled_from([Decimal("0.01"), Decimal(1), Decimal(100)]))
def test_parties_take_their_percent_rounded_half_up(total: int, hundredths: list[int],
                                                    unit: Decimal) -> None:
    shares = [Decimal(h).scaleb(-2) for h in hundredths]
    amounts = party_amounts(Fraction(total), shares, unit)
    for share, amount in zip(shares, amounts, strict=True):
        exact = Fraction(total) * Fraction(share) / 100
        assert (amount / Fraction(unit)).denominator == 1
        assert abs(amount - exact) <= Fraction(unit) / 2
        if abs(amount - exact) == Fraction(unit) / 2:  # a half goes away from zero
            assert abs(amount) > abs(exact)


def test_bounds_prorate_floor_and_ceiling_and_round_inward() -> None:
    limits = Limits(floor=Decimal(35000), ceiling=Decimal(500000),
                    max_decrease_percent=Decimal(10), max_increase_percent=Decimal(5))
    # half a year (183 of 365 days): floor 17 547.9… -> 17 548 up; ceiling 250 684.9… down
    b = member_bounds(limits, 183, 365, None, Decimal(1))
    assert (b.lower, b.upper) == (17548, 250684)
    # last year 100 001: at least 90 000.9 -> 90 001, at most 105 001.05 -> 105 001
    b = member_bounds(limits, 365, 365, Fraction(100001), Decimal(1))
    assert (b.lower, b.upper) == (90001, 105001)
    # the tighter of each pair wins: last year 30 000 -> up to 31 500, at least the floor
    b = member_bounds(limits, 365, 365, Fraction(30000), Decimal(100))
    assert (b.lower, b.upper) == (35000, 31500)
    assert member_bounds(Limits(), 365, 365, Fraction(5), Decimal(1)) == Bounds(None, None, 5)


def test_base_per_member_is_per_segment_and_the_rest_by_the_key() -> None:
    # Two segments of 182 and 184 days (2016); B joins for the second. 36 600 kr, base
    # 3 660 a year: segment 1 gives A 1 820 of 18 200, segment 2 gives each 1 840 of 18 400.
    base, share = base_and_shares(
        [Fraction(18200), Fraction(18400)], [182, 184],
        [{"A": Fraction(1)}, {"A": Fraction(3, 4), "B": Fraction(1, 4)}],
        Decimal(3660), 366)
    assert base == {"A": 3660, "B": 1840}
    rest = Fraction(18200 - 1820 + 18400 - 2 * 1840)
    assert share == {"A": (16380 + Fraction(3, 4) * 14720) / rest,
                     "B": Fraction(1, 4) * 14720 / rest}


def limits_case() -> st.SearchStrategy[tuple[int, list[tuple[int, int, int | None, int | None]]]]:
    """A total and members (base, key weight, lower, upper) whose bounds can all hold."""
    member = st.tuples(st.integers(0, 5000), st.integers(0, 100),
                       st.one_of(st.none(), st.integers(0, 60000)),
                       st.one_of(st.none(), st.integers(0, 60000)))
    return st.tuples(st.integers(1, 200000), st.lists(member, min_size=1, max_size=8))


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(limits_case(), st.randoms(use_true_random=False))
def test_limits_hold_sum_exactly_and_hold_members_exactly(case: tuple[int, list[tuple[
        int, int, int | None, int | None]]], rnd: object) -> None:
    total_int, rows = case
    total = Fraction(total_int)
    codes = [f"{i:04d}" for i in range(len(rows))]
    weights = sum(w for _, w, _, _ in rows)
    base = {c: Fraction(r[0]) for c, r in zip(codes, rows, strict=True)}
    share = {c: (Fraction(r[1], weights) if weights else Fraction(0))
             for c, r in zip(codes, rows, strict=True)}
    bounds = {c: Bounds(None if r[2] is None else Fraction(r[2]),
                        None if r[3] is None else Fraction(r[3]))
              for c, r in zip(codes, rows, strict=True)}
    try:
        limited = fill_to_total(total, base, share, bounds)
    except DataError:
        # infeasible: no c ≥ 0 reaches the total (checked at 0 and as c grows without end)
        at_zero = sum((_clamp(base[k], bounds[k]) for k in codes), Fraction(0))
        growing = any(share[k] > 0 and bounds[k].upper is None for k in codes)
        at_top = sum(((bounds[k].upper if share[k] > 0 and bounds[k].upper is not None
                       else _clamp(base[k], bounds[k])) for k in codes), Fraction(0))
        crossed = any(b.lower is not None and b.upper is not None and b.lower > b.upper
                      for b in bounds.values())
        assert crossed or at_zero > total or (not growing and at_top < total)
        return
    assert limited.c >= 0
    assert sum(limited.exact.values()) == total
    for k in codes:
        value = limited.exact[k]
        free = base[k] + limited.c * share[k]
        b = bounds[k]
        assert b.lower is None or value >= b.lower
        assert b.upper is None or value <= b.upper
        if k in limited.held:
            assert value == (b.lower if limited.held[k] == "lower" else b.upper)
        else:
            assert value == free
    # the order of the members does not matter
    order = list(codes)
    rnd.shuffle(order)  # type: ignore[attr-defined]
    again = fill_to_total(total, {k: base[k] for k in order}, {k: share[k] for k in order},
                          {k: bounds[k] for k in order})
    assert dict(again.exact) == dict(limited.exact)
    # rounding: held members exactly at their bound, the sum exact, each within one krona
    ties = {k: (0, k) for k in codes}
    fees = round_limited(total, limited, Decimal(1), ties)
    assert sum(fees.values()) == total
    for k in codes:
        if k in limited.held:
            assert fees[k] == limited.exact[k]
        assert abs(fees[k] - limited.exact[k]) < 1
        b = bounds[k]
        assert b.lower is None or fees[k] >= b.lower
        assert b.upper is None or fees[k] <= b.upper
    shuffled = round_limited(total, again, Decimal(1), ties)
    assert shuffled == fees


def _clamp(value: Fraction, b: Bounds) -> Fraction:
    if b.lower is not None and value < b.lower:
        return b.lower
    if b.upper is not None and value > b.upper:
        return b.upper
    return value


@settings(max_examples=200, deadline=None)
@given(limits_case())
def test_limits_agree_with_holding_and_sharing_again(case: tuple[int, list[tuple[
        int, int, int | None, int | None]]]) -> None:
    """Without a first part the rule is the one told in words: members that cross a floor
    or ceiling are held there and the rest is shared by the key again; the closed form with
    one c gives the same fees."""
    total_int, rows = case
    total = Fraction(total_int)
    codes = [f"{i:04d}" for i in range(len(rows))]
    weights = [max(1, r[1]) for r in rows]
    base = {c: Fraction(0) for c in codes}
    share = {c: Fraction(w, sum(weights)) for c, w in zip(codes, weights, strict=True)}
    bounds = {c: Bounds(None if r[2] is None else Fraction(r[2]),
                        None if r[3] is None else Fraction(r[3]))
              for c, r in zip(codes, rows, strict=True)}
    try:
        limited = fill_to_total(total, base, share, bounds)
    except DataError:
        return
    expected = _proportional_with_bounds(total, share, bounds)
    assert dict(limited.exact) == expected


def _proportional_with_bounds(total: Fraction, share: dict[str, Fraction],
                              bounds: dict[str, Bounds]) -> dict[str, Fraction]:
    """Fees c × share clamped to the bounds: c found by trying, for every way of holding
    members, the c it implies, and keeping the one consistent with the holds (exhaustive
    over the members' breakpoints: an independent search, not the module's sweep)."""
    candidates = {Fraction(0)}
    for k, s in share.items():
        for bound in (bounds[k].lower, bounds[k].upper):
            if bound is not None:
                candidates.add(bound / s)
    points = sorted(candidates)

    def at(c: Fraction) -> Fraction:
        return sum((_clamp(c * share[k], bounds[k]) for k in share), Fraction(0))

    for low, high in zip(points, points[1:] + [None], strict=True):
        if at(low) == total:
            c = low
            break
        if high is None or at(high) > total:
            # linear between low and high: the free members' shares are the slope
            slope = sum((share[k] for k in share
                         if _clamp(low * share[k], bounds[k]) == low * share[k]
                         and (bounds[k].upper is None or low * share[k] < bounds[k].upper)),
                        Fraction(0))
            c = low + (total - at(low)) / slope
            break
    return {k: _clamp(c * share[k], bounds[k]) for k in share}


def test_infeasible_limits_say_so() -> None:
    bounds = {"0114": Bounds(Fraction(600), None), "0115": Bounds(Fraction(500), None)}
    with pytest.raises(DataError) as err:
        fill_to_total(Fraction(1000), {"0114": Fraction(0), "0115": Fraction(0)},
                      {"0114": Fraction(1, 2), "0115": Fraction(1, 2)}, bounds)
    assert str(err.value.problems[0].message) == (
        "the limits cannot all hold: the members' least fees sum to 1100 kr, more than the "
        "total 1000 kr; lower the floor or max_decrease_percent")
    bounds = {"0114": Bounds(None, Fraction(400)), "0115": Bounds(None, Fraction(500))}
    with pytest.raises(DataError) as err:
        fill_to_total(Fraction(1000), {"0114": Fraction(0), "0115": Fraction(0)},
                      {"0114": Fraction(1, 2), "0115": Fraction(1, 2)}, bounds)
    assert str(err.value.problems[0].message) == (
        "the limits cannot all hold: the members' greatest fees sum to 900 kr, less than the "
        "total 1000 kr; raise the ceiling or max_increase_percent")


def test_a_floor_lifts_a_small_member_and_the_rest_is_shared_again() -> None:
    # 100 000 kr by population 1 : 9; floor 35 000 holds the small one, the other pays the rest
    base = {"0114": Fraction(0), "0115": Fraction(0)}
    share = {"0114": Fraction(1, 10), "0115": Fraction(9, 10)}
    bounds = {k: Bounds(Fraction(35000), Fraction(500000)) for k in base}
    limited = fill_to_total(Fraction(100000), base, share, bounds)
    assert limited.exact == {"0114": 35000, "0115": 65000}
    assert limited.held == {"0114": "lower"}
    assert limited.c == Fraction(650000, 9)


# -- the rules through the allocation: parties, rates and bands, limits -------------------

from dataclasses import replace  # noqa: E402
from datetime import date, timedelta  # noqa: E402

from koordination.core.allocation import allocate  # noqa: E402
from koordination.core.keyplan import make_plan  # noqa: E402
from koordination.core.models import (  # noqa: E402
    AdministratorTerm,
    Budget,
    BudgetLine,
    Member,
    Network,
    Snapshot,
)
from koordination.core.municipalities import register  # noqa: E402

CODES = sorted(register())[:8]


def network_of(members: list[Member], **kw: object) -> Network:
    return Network(name="T", administrators=(AdministratorTerm(members[0].code, "x"),),
                   members=tuple(members), **kw)  # type: ignore[arg-type]


def budget_of(total: int) -> Budget:
    return Budget(2016, date(2016, 1, 1), date(2016, 12, 31), "annual",
                  (BudgetLine("G", "L", amount=Decimal(total)),))


members_strategy = st.lists(
    st.tuples(st.integers(1, 300000), st.one_of(st.none(), st.integers(2, 365))),
    min_size=1, max_size=6)


def build(rows: list[tuple[int, int | None]]) -> tuple[list[Member], dict[str, int]]:
    members, pops = [], {}
    for code, (pop, joined_day) in zip(CODES, rows, strict=False):
        joined = None if joined_day is None or not members else (
            date(2016, 1, 1) + timedelta(joined_day - 1))  # the first is in all year
        members.append(Member(code=code, name=code, joined=joined))
        pops[code] = pop
    return members, pops


@settings(max_examples=100, deadline=None)
@given(members_strategy, st.lists(st.integers(1, 3000), min_size=1, max_size=3),
       st.integers(1000, 10**8), st.randoms(use_true_random=False))
def test_parties_take_their_part_and_the_sum_is_exact(rows: list[tuple[int, int | None]],
                                                      hundredths: list[int], total: int,
                                                      rnd: object) -> None:
    members, pops = build(rows)
    parties = tuple(Member(code=f"P{i + 1}", name=f"Part {i}", party=True,
                           share=Decimal(h).scaleb(-2)) for i, h in enumerate(hundredths))
    net = network_of(members, parties=parties)
    snap = Snapshot(date(2015, 12, 31), pops, {c: c for c in pops})
    alloc = allocate(make_plan(net, snap, date(2016, 1, 1), date(2016, 12, 31)),
                     budget_of(total))
    fees = {m.code: m.fee for m in alloc.members}
    assert sum(fees.values()) == total
    for p in parties:
        assert fees[p.code] == round_half_up_int(Fraction(total) * Fraction(p.share or 0) / 100)
    rest = total - sum(fees[p.code] for p in parties)
    # municipal members: rule 7 on the rest, by population over the segments
    municipal = [m for m in alloc.members if not m.party]
    assert sum(m.fee for m in municipal) == rest
    for m in municipal:
        assert abs(Fraction(m.fee) - m.exact) < 1
    order = list(members)
    rnd.shuffle(order)  # type: ignore[attr-defined]
    again = allocate(make_plan(replace(net, members=tuple(order)), snap, date(2016, 1, 1),
                               date(2016, 12, 31)), budget_of(total))
    assert {m.code: m.fee for m in again.members} == fees


def round_half_up_int(value: Fraction) -> int:
    whole = value.numerator // value.denominator
    return whole + (1 if value - whole >= Fraction(1, 2) else 0)


@settings(max_examples=100, deadline=None)
@given(members_strategy, st.integers(0, 1000), st.one_of(st.none(), st.integers(1, 300000)),
       st.integers(0, 100000), st.randoms(use_true_random=False))
def test_rate_fees_each_rounded_and_summed(rows: list[tuple[int, int | None]], per: int,
                                           cap: int | None, base: int, rnd: object) -> None:
    members, pops = build(rows)
    rate = FeeRate(per_inhabitant=Decimal(per), max_inhabitants=cap, base=Decimal(base))
    net = network_of(members, fee=rate)
    snap = Snapshot(date(2015, 12, 31), pops, {c: c for c in pops})
    empty = Budget(2016, date(2016, 1, 1), date(2016, 12, 31), "annual", ())
    alloc = allocate(make_plan(net, snap, date(2016, 1, 1), date(2016, 12, 31)), empty,
                     budget_given=False)
    for m, member in zip(sorted(alloc.members, key=lambda m: m.code),
                         sorted(members, key=lambda m: m.code), strict=True):
        days = 366 if member.joined is None else (date(2016, 12, 31) - member.joined).days + 1
        counted = pops[m.code] if cap is None else min(pops[m.code], cap)
        assert m.fee == round_half_up_int(Fraction(per * counted + base) * days / 366)
    assert alloc.total == sum(m.fee for m in alloc.members)
    order = list(members)
    rnd.shuffle(order)  # type: ignore[attr-defined]
    again = allocate(make_plan(replace(net, members=tuple(order)), snap, date(2016, 1, 1),
                               date(2016, 12, 31)), empty, budget_given=False)
    assert {m.code: m.fee for m in again.members} == {m.code: m.fee for m in alloc.members}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 10**6), min_size=1, max_size=6), st.integers(0, 10**7))
def test_bands_against_the_schedule(limits: list[int], population: int) -> None:
    below = sorted(set(limits))
    bands = tuple(Band(b, Decimal(i * 1000)) for i, b in enumerate(below)) + (
        Band(None, Decimal(len(below) * 1000)),)
    expected = next((i for i, b in enumerate(below) if population < b), len(below)) * 1000
    assert band_of(population, bands).amount == expected


@settings(max_examples=100, deadline=None)
@given(members_strategy, st.integers(100000, 10**7), st.integers(0, 60000),
       st.one_of(st.none(), st.integers(100000, 10**7)), st.integers(0, 20000))
# first parts that outgrow one stretch of the period though not the whole of it
@example([(1, None)] * 5 + [(1, 2)], 100000, 0, None, 16671)
def test_limits_through_the_allocation(rows: list[tuple[int, int | None]], total: int,
                                       floor: int, ceiling: int | None, first: int) -> None:
    members, pops = build(rows)
    limits = Limits(base_per_member=Decimal(first), floor=Decimal(floor),
                    ceiling=None if ceiling is None else Decimal(ceiling))
    net = network_of(members, limits=limits)
    snap = Snapshot(date(2015, 12, 31), pops, {c: c for c in pops})
    try:
        alloc = allocate(make_plan(net, snap, date(2016, 1, 1), date(2016, 12, 31)),
                         budget_of(total))
    except DataError as err:
        assert err.problems[0].message.startswith("the limits cannot all hold") or \
            err.problems[0].where == "limits.base_per_member"
        return
    assert alloc.total == total == sum(m.fee for m in alloc.members)
    applied = alloc.limits
    assert applied is not None
    for m in alloc.members:
        bounds = applied.bounds[m.code]
        assert bounds.lower is None or m.fee >= bounds.lower
        assert bounds.upper is None or m.fee <= bounds.upper
        if m.code in applied.held:
            held = bounds.lower if applied.held[m.code] == "lower" else bounds.upper
            assert m.fee == held
        # floor and ceiling are prorated by the member's days, lower up and upper down
        assert bounds.lower == -((-floor * m.days) // 366)
        if ceiling is not None:
            assert bounds.upper == (ceiling * m.days) // 366
