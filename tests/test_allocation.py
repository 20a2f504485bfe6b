"""The core allocation (reference section 3), with the reference's worked examples."""

from datetime import date
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
    Funding,
    Key,
    Member,
    Network,
    Snapshot,
    add_months,
)


def network(members: list[Member], **rules: object) -> Network:
    admin = AdministratorTerm(members[0].code, members[0].name)
    return Network(name="Test", administrators=(admin,), members=tuple(members), **rules)  # type: ignore[arg-type]


def snapshot(pops: dict[str, int], day: date = date(2014, 12, 31)) -> Snapshot:
    return Snapshot(day, pops, {c: c for c in pops})


def budget(amount: int | str, year: int = 2015, start: date | None = None,
           end: date | None = None, basis: str = "period",
           funding: tuple[Funding, ...] = ()) -> Budget:
    return Budget(
        year=year,
        start=start or date(year, 1, 1),
        end=end or date(year, 12, 31),
        basis=basis,  # type: ignore[arg-type]
        lines=(BudgetLine("G", "L", amount=Decimal(amount)),),
        funding=funding,
    )


def fees(net: Network, snap: Snapshot, bud: Budget) -> dict[str, Decimal]:
    plan = make_plan(net, snap, bud.start, bud.end)
    return {m.code: m.fee for m in allocate(plan, bud).members}


def test_spec_ties_three_equal_members() -> None:
    members = [Member("0114", "Upplands Väsby"), Member("0115", "Vallentuna"),
               Member("0117", "Österåker")]
    result = fees(network(members), snapshot({"0114": 10, "0115": 10, "0117": 10}), budget(100))
    assert result == {"0114": 34, "0115": 33, "0117": 33}


def test_spec_segments_member_joining_on_1_july() -> None:
    a = Member("0114", "A")
    b = Member("0115", "B", joined=date(2016, 7, 1))
    bud = budget(36600, year=2016)
    snap = snapshot({"0114": 300, "0115": 100})
    plan = make_plan(network([a, b]), snap, bud.start, bud.end)
    assert [(s.start, s.end, s.days) for s in plan.segments] == [
        (date(2016, 1, 1), date(2016, 6, 30), 182),
        (date(2016, 7, 1), date(2016, 12, 31), 184),
    ]
    alloc = allocate(plan, bud)
    assert {m.code: (m.fee, m.days) for m in alloc.members} == {
        "0114": (32000, 366), "0115": (4600, 184)}


def test_spec_equal_plus_population_30_70() -> None:
    members = [Member("0114", "A"), Member("0115", "B")]
    net = network(members, key=Key("equal_population", Decimal(30), Decimal(70)))
    assert fees(net, snapshot({"0114": 100, "0115": 300}), budget(1000)) == {
        "0114": 325, "0115": 675}


def test_spec_notice_is_clamped_to_month_end() -> None:
    assert add_months(date(2015, 8, 31), 6) == date(2016, 2, 29)
    m = Member("0114", "A", notice=date(2015, 8, 31))
    assert m.first_day_out(6) == date(2016, 2, 29)
    assert m.is_member_on(date(2016, 2, 28), 6)
    assert not m.is_member_on(date(2016, 2, 29), 6)


def test_spec_proration_261_of_365() -> None:
    members = [Member("0114", "A")]
    bud = budget(365000, year=2014, start=date(2014, 4, 15), basis="annual")
    assert bud.days == 261
    assert fees(network(members), snapshot({"0114": 1}), bud) == {"0114": 261000}


def test_population_cap_limits_the_weight_but_not_the_shown_population() -> None:
    members = [Member("0114", "A"), Member("0115", "B")]
    net = network(members, population_cap=50000)
    snap = snapshot({"0114": 100000, "0115": 50000})
    plan = make_plan(net, snap, date(2015, 1, 1), date(2015, 12, 31))
    alloc = allocate(plan, budget(1000))
    assert [(m.population, m.weight, m.fee) for m in alloc.members] == [
        (100000, 50000, 500), (50000, 50000, 500)]
    assert not alloc.percent_is_population_share


def test_funding_lowers_the_total_and_is_shared_by_the_key() -> None:
    members = [Member("0114", "A"), Member("0115", "B")]
    bud = budget(10000, funding=(Funding("Projektmedel", Decimal(1000)),))
    plan = make_plan(network(members), snapshot({"0114": 1, "0115": 2}), bud.start, bud.end)
    alloc = allocate(plan, bud)
    assert alloc.total == 9000
    assert [(m.fee, m.funding) for m in alloc.members] == [
        (3000, (Decimal(333),)), (6000, (Decimal(667),))]


def test_funding_above_costs_is_an_error() -> None:
    members = [Member("0114", "A")]
    bud = budget(1000, funding=(Funding("F", Decimal(1500)),))
    plan = make_plan(network(members), snapshot({"0114": 1}), bud.start, bud.end)
    with pytest.raises(DataError) as err:
        allocate(plan, bud, budget_file="b.yaml")
    assert str(err.value.problems[0]) == (
        "b.yaml: funding: funding (1500.00) is not less than the costs of the period "
        "(1000.00); nothing is left to allocate"
    )


def test_member_missing_from_snapshot_names_the_file() -> None:
    members = [Member("0114", "Upplands Väsby"), Member("0115", "Vallentuna")]
    with pytest.raises(DataError) as err:
        make_plan(network(members), snapshot({"0114": 1}), date(2015, 1, 1),
                  date(2015, 12, 31), "pop.csv")
    assert str(err.value.problems[0]) == (
        "pop.csv: member Vallentuna (0115) is missing from the snapshot; "
        "import a complete SCB snapshot"
    )


def test_a_segment_without_members_is_an_error() -> None:
    members = [Member("0114", "A", left=date(2015, 6, 1)),
               Member("0115", "B", joined=date(2015, 7, 1))]
    with pytest.raises(DataError) as err:
        make_plan(network(members), snapshot({"0114": 1, "0115": 1}), date(2015, 1, 1),
                  date(2015, 12, 31))
    assert str(err.value.problems[0]) == (
        "no member is in the cooperation from 2015-06-01 to 2015-06-30; "
        "check the members' joined, notice and left dates"
    )


codes = ["0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127"]
day_in_2016 = st.integers(min_value=0, max_value=365).map(
    lambda n: date.fromordinal(date(2016, 1, 1).toordinal() + n))


@st.composite
def memberships(draw: st.DrawFn) -> list[tuple[Member, int]]:
    n = draw(st.integers(min_value=1, max_value=len(codes)))
    result = [(Member(codes[0], "M0"), draw(st.integers(min_value=0, max_value=10**6)))]
    for i in range(1, n):
        joined = draw(st.none() | day_in_2016)
        left = draw(st.none() | day_in_2016)
        if joined is not None and left is not None and left <= joined:
            left = None
        pop = draw(st.integers(min_value=0, max_value=10**6))
        result.append((Member(codes[i], f"M{i}", joined=joined, left=left), pop))
    return result


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(memberships(), st.integers(min_value=1, max_value=10**7))
def test_partial_membership_properties(members: list[tuple[Member, int]], total: int) -> None:
    pops = {m.code: p for m, p in members}
    if pops[codes[0]] == 0:
        pops[codes[0]] = 1
    net = network([m for m, _ in members])
    snap = snapshot(pops)
    bud = budget(total, year=2016)
    plan = make_plan(net, snap, bud.start, bud.end)
    alloc = allocate(plan, bud)
    assert sum(m.fee for m in alloc.members) == total
    listed = [m for m, _ in members]
    for m in alloc.members:
        assert abs(Fraction(m.fee) - m.exact) < 1
        # the same member as a full-year member (everyone else unchanged) pays at least as much
        as_full = [Member(x.code, x.name) if x.code == m.code else x for x in listed]
        full = allocate(make_plan(network(as_full), snap, bud.start, bud.end), bud)
        full_exact = next(f.exact for f in full.members if f.code == m.code)
        assert m.exact <= full_exact
        assert m.fee <= full_exact + 1
