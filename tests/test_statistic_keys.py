"""Keys on statistics (reference 7): any weighted sum of an equal part, population and named
statistics, and rounding each member on its own. Exact shares are computed independently
here with fractions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koordination.core.allocation import allocate
from koordination.core.errors import DataError
from koordination.core.keyplan import make_plan
from koordination.core.models import (
    AdministratorTerm,
    Budget,
    BudgetLine,
    Key,
    Member,
    Network,
    Snapshot,
    Statistic,
)
from koordination.core.money import round_half_up
from koordination.core.municipalities import register

CODES = sorted(register())[:10]
START, END = date(2015, 1, 1), date(2015, 12, 31)


def network(codes: list[str], key: Key, method: str = "largest_remainder",
            members: list[Member] | None = None) -> Network:
    listed = members or [Member(code=c, name=c) for c in codes]
    return Network(
        name="Test",
        administrators=(AdministratorTerm(listed[0].code, listed[0].name),),
        members=tuple(listed),
        key=key,
        rounding_method=method,  # type: ignore[arg-type]
    )


def snapshot(pops: dict[str, int]) -> Snapshot:
    return Snapshot(date(2014, 12, 31), pops, {c: c for c in pops})


def statistic(name: str, values: dict[str, Decimal], source: str = "") -> Statistic:
    return Statistic(name, date(2014, 12, 31), values, {c: c for c in values}, source)


def budget(total: int) -> Budget:
    return Budget(2015, START, END, "annual", (BudgetLine("A", "Lön", Decimal(total)),))


def weights_strategy() -> st.SearchStrategy[tuple[int, int, list[int]]]:
    """(equal, population, [statistic weights]) summing to 100, one or two statistics."""
    def split(cuts: list[int]) -> tuple[int, int, list[int]]:
        points = [0, *sorted(cuts), 100]
        parts = [b - a for a, b in zip(points, points[1:], strict=False)]
        return parts[0], parts[1], parts[2:]

    return st.lists(st.integers(0, 100), min_size=2, max_size=3).map(split)


values = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False,
                     allow_infinity=False)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Key, list[str], dict[str, int], dict[str, Statistic], int]:
    equal, population, stat_weights = draw(weights_strategy())
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=8, unique=True))
    pops = {c: draw(st.integers(1, 10**6)) for c in codes}
    stats = {}
    for i, _ in enumerate(stat_weights):
        name = f"stat-{i}"
        vals = {c: draw(values) for c in codes}
        if all(v == 0 for v in vals.values()):
            vals[codes[0]] = Decimal(1)
        stats[name] = statistic(name, vals)
    key = Key("weighted", Decimal(equal), Decimal(population),
              tuple((f"stat-{i}", Decimal(w)) for i, w in enumerate(stat_weights)))
    total = draw(st.integers(1, 10**8))
    return key, codes, pops, stats, total


def exact_share(key: Key, codes: list[str], pops: dict[str, int],
                stats: dict[str, Statistic], code: str) -> Fraction:
    """e/100 × 1/n + p/100 × pop/Σpop + Σ w/100 × x/Σx, written out."""
    share = Fraction(key.equal) / 100 / len(codes)
    share += Fraction(key.population) / 100 * Fraction(pops[code], sum(pops[c] for c in codes))
    for name, w in key.statistics:
        if not w:
            continue
        x = stats[name].values
        share += Fraction(w) / 100 * Fraction(x[code]) / sum(Fraction(x[c]) for c in codes)
    return share


@settings(max_examples=150, deadline=None)
@given(cases())
def test_weighted_key_sums_to_total_within_one_unit(
    case: tuple[Key, list[str], dict[str, int], dict[str, Statistic], int],
) -> None:
    key, codes, pops, stats, total = case
    plan = make_plan(network(codes, key), snapshot(pops), START, END, None, stats)
    alloc = allocate(plan, budget(total))
    assert sum(m.fee for m in alloc.members) == total
    for m in alloc.members:
        exact = total * exact_share(key, codes, pops, stats, m.code)
        assert m.exact == exact
        assert abs(Fraction(m.fee) - exact) < 1


@settings(max_examples=150, deadline=None)
@given(cases())
def test_each_rounds_every_member_on_its_own(
    case: tuple[Key, list[str], dict[str, int], dict[str, Statistic], int],
) -> None:
    key, codes, pops, stats, total = case
    plan = make_plan(network(codes, key, "each"), snapshot(pops), START, END, None, stats)
    alloc = allocate(plan, budget(total))
    for m in alloc.members:
        exact = total * exact_share(key, codes, pops, stats, m.code)
        assert Fraction(m.fee) == round_half_up(exact)
    assert alloc.total == total
    assert alloc.rounding_difference == sum(m.fee for m in alloc.members) - total


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(CODES), min_size=1, max_size=8, unique=True),
       st.lists(st.integers(1, 10**6), min_size=8, max_size=8), st.integers(1, 10**7))
def test_a_statistic_equal_to_population_gives_the_population_key(
    codes: list[str], figures: list[int], total: int
) -> None:
    pops = dict(zip(codes, figures, strict=False))
    same = statistic("folk", {c: Decimal(p) for c, p in pops.items()})
    weighted = Key("weighted", Decimal(0), Decimal(0), (("folk", Decimal(100)),))
    a = allocate(make_plan(network(codes, Key()), snapshot(pops), START, END), budget(total))
    b = allocate(make_plan(network(codes, weighted), snapshot(pops), START, END, None,
                           {"folk": same}), budget(total))
    assert [(m.code, m.fee) for m in a.members] == [(m.code, m.fee) for m in b.members]


def test_two_factors_by_hand() -> None:
    """{equal: 20, population: 40, skatt: 40}; populations 100 and 300, skatt 30 and 20,
    total 1,000 kr: A = 100 + 400 × 100/400 + 400 × 30/50 = 100 + 100 + 240 = 440;
    B = 100 + 300 + 160 = 560."""
    a, b = CODES[0], CODES[1]
    key = Key("weighted", Decimal(20), Decimal(40), (("skatt", Decimal(40)),))
    stats = {"skatt": statistic("skatt", {a: Decimal(30), b: Decimal(20)})}
    plan = make_plan(network([a, b], key), snapshot({a: 100, b: 300}), START, END, None, stats)
    alloc = allocate(plan, budget(1000))
    assert {m.code: m.exact for m in alloc.members} == {a: 440, b: 560}
    assert {m.code: m.fee for m in alloc.members} == {a: 440, b: 560}


def test_statistic_factor_over_segments_by_hand() -> None:
    """2016 (366 days): A all year, B joins 2016-07-01; key {skatt: 100}, skatt A 1, B 3;
    36,600 kr. 1 Jan-30 Jun (182 days, 18,200) all to A; 1 Jul-31 Dec (184 days, 18,400)
    1:3. A pays 18,200 + 4,600 = 22,800, B 13,800."""
    a, b = CODES[0], CODES[1]
    members = [Member(code=a, name=a), Member(code=b, name=b, joined=date(2016, 7, 1))]
    key = Key("weighted", Decimal(0), Decimal(0), (("skatt", Decimal(100)),))
    stats = {"skatt": statistic("skatt", {a: Decimal(1), b: Decimal(3)})}
    plan = make_plan(network([a, b], key, members=members), snapshot({a: 5, b: 5}),
                     date(2016, 1, 1), date(2016, 12, 31), None, stats)
    bud = Budget(2016, date(2016, 1, 1), date(2016, 12, 31), "annual",
                 (BudgetLine("A", "Lön", Decimal(36600)),))
    alloc = allocate(plan, bud)
    assert {m.code: m.fee for m in alloc.members} == {a: 22800, b: 13800}


def test_each_shows_the_difference() -> None:
    """Three equal members share 100 kr: 33.33 each is 33 each rounded on its own; the
    sum is 99, one krona short of the total, which stays 100."""
    codes = CODES[:3]
    key = Key("weighted", Decimal(0), Decimal(0), (("x", Decimal(100)),))
    stats = {"x": statistic("x", {c: Decimal("2.5") for c in codes})}
    plan = make_plan(network(codes, key, "each"), snapshot({c: 10 for c in codes}), START,
                     END, None, stats)
    alloc = allocate(plan, budget(100))
    assert [m.fee for m in alloc.members] == [33, 33, 33]
    assert alloc.total == 100
    assert alloc.rounding_difference == -1


def test_cap_applies_to_population_only() -> None:
    a, b = CODES[0], CODES[1]
    key = Key("weighted", Decimal(0), Decimal(50), (("x", Decimal(50)),))
    stats = {"x": statistic("x", {a: Decimal(900), b: Decimal(100)})}
    net = replace(network([a, b], key), population_cap=100)
    plan = make_plan(net, snapshot({a: 900, b: 100}), START, END, None, stats)
    alloc = allocate(plan, budget(1000))
    # population part: 500 × 100/200 each; statistic part uncapped: 450 and 50
    assert {m.code: m.fee for m in alloc.members} == {a: 700, b: 300}


def test_a_statistic_of_zeros_is_refused() -> None:
    a, b = CODES[0], CODES[1]
    key = Key("weighted", Decimal(50), Decimal(0), (("x", Decimal(50)),))
    stats = {"x": statistic("x", {a: Decimal(0), b: Decimal(0)}, "statistics/x/2014-12-31.csv")}
    with pytest.raises(DataError) as err:
        make_plan(network([a, b], key), snapshot({a: 1, b: 1}), START, END, None, stats)
    assert [str(p) for p in err.value.problems] == [
        "statistics/x/2014-12-31.csv: every member present has 0 in statistic x; a key on x "
        "needs a value above 0 for at least one member (check the file, or take the factor "
        "out of the key)"]


@st.composite
def changing_cases(draw: st.DrawFn) -> tuple[Key, list[Member], dict[str, int],
                                             dict[str, Statistic], int]:
    key, codes, pops, stats, total = draw(cases())
    members = []
    for i, code in enumerate(codes):
        joined = left = None
        if i and draw(st.booleans()):
            joined = START + timedelta(days=draw(st.integers(1, 300)))
        if i and draw(st.booleans()):
            left = (joined or START) + timedelta(days=draw(st.integers(1, 60)))
        members.append(Member(code=code, name=code, joined=joined, left=left))
    return key, members, pops, stats, total


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(changing_cases())
def test_weighted_key_over_segments_day_by_day(
    case: tuple[Key, list[Member], dict[str, int], dict[str, Statistic], int],
) -> None:
    """Members join and leave: each member's exact amount is the sum over the days of the
    year of total/365 × its share among the members of that day (computed here day by day),
    and the rounded amounts sum to the total within one unit each."""
    key, members, pops, stats, total = case
    net = network([m.code for m in members], key, members=members)
    try:
        plan = make_plan(net, snapshot(pops), START, END, None, stats)
    except DataError:
        return  # a segment whose members all have 0 in a statistic: refused, as it must be
    alloc = allocate(plan, budget(total))
    expected = {m.code: Fraction(0) for m in alloc.members}
    day = START
    while day <= END:
        present = [m.code for m in members if m.is_member_on(day, 12)]
        for code in present:
            expected[code] += Fraction(total, 365) * exact_share(key, present, pops, stats, code)
        day += timedelta(days=1)
    assert {m.code: m.exact for m in alloc.members} == expected
    assert sum(m.fee for m in alloc.members) == total
    assert all(abs(Fraction(m.fee) - m.exact) < 1 for m in alloc.members)
