"""The settlement arithmetic (reference 3.9-3.10) on the pure core."""

from __future__ import annotations

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
    ActualLine,
    Actuals,
    AdministratorTerm,
    Budget,
    BudgetLine,
    Funding,
    Member,
    Network,
    OneOff,
    Snapshot,
)
from koordination.core.money import round_half_up
from koordination.core.municipalities import by_code
from koordination.core.settlement import carried_amounts, members_in, settle

CODES = ["0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0128", "0136"]


def network(members: list[Member], **rules: object) -> Network:
    return Network(
        name="Test",
        administrators=(AdministratorTerm(members[0].code, members[0].name),),
        members=tuple(members),
        **rules,  # type: ignore[arg-type]
    )


def member(code: str, **dates: date) -> Member:
    muni = by_code(code)
    assert muni is not None
    return Member(code=code, name=muni.name, **dates)  # type: ignore[arg-type]


def snapshot(populations: dict[str, int]) -> Snapshot:
    return Snapshot(date(2014, 12, 31), populations, {c: c for c in populations})


def budget(amount: int, year: int = 2015) -> Budget:
    return Budget(year, date(year, 1, 1), date(year, 12, 31), "annual",
                  (BudgetLine("Lön", "Lön", amount=Decimal(amount)),))


def actuals(amount: str, *one_off: OneOff, funding: str | None = None) -> Actuals:
    return Actuals(
        year=2015,
        lines=(ActualLine("Lön", Decimal(amount)),),
        one_off=one_off,
        funding=(Funding("Projektmedel", Decimal(funding)),) if funding else (),
    )


def run(net: Network, pops: dict[str, int], fee_total: int, outcome: Actuals,
        continuing: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    plan = make_plan(net, snapshot(pops), date(2015, 1, 1), date(2015, 12, 31))
    alloc = allocate(plan, budget(fee_total))
    charged = {m.code: m.fee for m in alloc.members}
    return settle(plan, outcome, charged, None, continuing, "actuals/2015.yaml")


THREE = {"0114": 300, "0115": 200, "0117": 100}


def test_overrun_is_charged_by_population_largest_remainder() -> None:
    net = network([member(c) for c in THREE])
    result = run(net, THREE, 60000, actuals("66001"))
    assert result.charged == Decimal(60000)
    assert result.difference == Decimal(6001)
    # exact 3000.50, 2000.33, 1000.17: the unit left over goes to the largest remainder
    assert [(m.name, m.charged, m.settlement) for m in result.members] == [
        ("Upplands Väsby", Decimal(30000), Decimal(3001)),
        ("Vallentuna", Decimal(20000), Decimal(2000)),
        ("Österåker", Decimal(10000), Decimal(1000)),
    ]
    by = {m.code: m for m in result.members}
    assert by["0114"].settlement == 3001
    assert by["0115"].settlement == 2000
    assert by["0117"].settlement == 1000
    assert by["0114"].share_of_actual == 33001
    assert all(not m.carried for m in result.members)
    assert result.total == result.to_invoice == Decimal(6001)


def test_surplus_is_refunded_with_negative_amounts() -> None:
    net = network([member(c) for c in THREE])
    result = run(net, THREE, 60000, actuals("60000", funding="6000"))
    assert result.difference == Decimal(-6000)
    by = {m.code: m for m in result.members}
    assert (by["0114"].amount, by["0115"].amount, by["0117"].amount) == (-3000, -2000, -1000)
    assert result.carried_forward == 0
    assert result.to_invoice == -6000


def test_refund_ties_mirror_the_spec_example() -> None:
    pops = {"0114": 100, "0115": 100, "0117": 100}
    net = network([member(c) for c in pops])
    result = run(net, pops, 300, actuals("200"))
    assert [(m.code, m.settlement) for m in sorted(result.members, key=lambda m: m.code)] == [
        ("0114", Decimal(-34)), ("0115", Decimal(-33)), ("0117", Decimal(-33))
    ]


def test_difference_is_rounded_half_up_to_the_unit() -> None:
    net = network([member(c) for c in THREE])
    assert run(net, THREE, 60000, actuals("60000.50")).difference == 1
    assert run(net, THREE, 60000, actuals("59999.50")).difference == -1
    assert run(net, THREE, 60000, actuals("59999.51")).difference == 0


def test_surplus_carried_forward_for_members_still_in_next_year() -> None:
    net = network([member(c) for c in THREE], surplus="carry_forward")
    result = run(net, THREE, 60000, actuals("54000"), frozenset({"0114", "0115"}))
    by = {m.code: m for m in result.members}
    assert by["0114"].carried and by["0115"].carried and not by["0117"].carried
    assert carried_amounts(result) == {"0114": Decimal(-3000), "0115": Decimal(-2000)}
    assert by["0114"].to_invoice == 0
    assert by["0117"].to_invoice == -1000  # not in next year: refunded now
    assert result.carried_forward == -5000
    assert result.to_invoice == -1000


def test_overrun_is_not_carried_under_surplus_carry_forward() -> None:
    net = network([member(c) for c in THREE], surplus="carry_forward")
    result = run(net, THREE, 60000, actuals("66000"), frozenset(THREE))
    assert carried_amounts(result) == {}
    assert result.to_invoice == 6000


def test_deficit_carried_forward() -> None:
    net = network([member(c) for c in THREE], deficit="carry_forward")
    result = run(net, THREE, 60000, actuals("66000"), frozenset(THREE))
    assert carried_amounts(result) == {"0114": 3000, "0115": 2000, "0117": 1000}


def test_one_off_after_a_member_left_is_shared_by_the_others() -> None:
    members = [member("0114"), member("0115"), member("0117", left=date(2015, 7, 1))]
    net = network(members)
    cost = OneOff("Avvecklingskostnad", Decimal("10000"), date(2015, 11, 30))
    result = run(net, THREE, 60000, actuals("60000", cost))
    by = {m.code: m for m in result.members}
    assert (by["0114"].one_off, by["0115"].one_off, by["0117"].one_off) == (
        (Decimal(6000),), (Decimal(4000),), (Decimal(0),)
    )
    assert result.one_offs[0].members == ("0114", "0115")
    assert result.one_off_total == 10000
    assert by["0117"].days == 181


def test_one_off_on_the_last_day_of_a_member_includes_it() -> None:
    members = [member("0114"), member("0115"), member("0117", left=date(2015, 7, 1))]
    cost = OneOff("X", Decimal("600"), date(2015, 6, 30))
    result = run(network(members), THREE, 60000, actuals("60000", cost))
    assert {m.code: m.one_off[0] for m in result.members} == {
        "0114": 300, "0115": 200, "0117": 100}


def test_one_off_is_always_invoiced_under_carry_forward() -> None:
    net = network([member(c) for c in THREE], surplus="carry_forward")
    cost = OneOff("X", Decimal("600"), date(2015, 3, 1))
    result = run(net, THREE, 60000, actuals("54000", cost), frozenset(THREE))
    by = {m.code: m for m in result.members}
    assert by["0114"].to_invoice == 300
    assert result.to_invoice == 600


def test_one_off_on_a_day_with_no_members_is_an_error() -> None:
    members = [member(c, joined=date(2015, 3, 1)) for c in THREE]
    net = network(members)
    plan = make_plan(net, snapshot(THREE), date(2015, 3, 1), date(2015, 12, 31))
    cost = OneOff("Startkostnad", Decimal("1000"), date(2015, 2, 1))
    with pytest.raises(DataError) as err:
        settle(plan, actuals("1000", cost), {c: Decimal(0) for c in THREE}, None, (),
               "actuals/2015.yaml")
    assert [str(p) for p in err.value.problems] == [
        "actuals/2015.yaml: one_off[0].date: no member shares costs on 2015-02-01: it is "
        "outside 2015's period 2015-03-01 to 2015-12-31; date the cost inside the period"
    ]


def test_members_in_next_period() -> None:
    members = [member("0114"), member("0115", notice=date(2015, 6, 30)),
               member("0117", joined=date(2017, 1, 1))]
    net = network(members)
    assert members_in(net, date(2016, 1, 1), date(2016, 12, 31)) == {"0114", "0115"}
    assert members_in(net, date(2016, 7, 1), date(2016, 12, 31)) == {"0114"}
    assert members_in(net, date(2017, 1, 1), date(2017, 12, 31)) == {"0114", "0117"}


# ---------------------------------------------------------------- properties


@st.composite
def cases(draw: st.DrawFn) -> tuple[Network, dict[str, int], int, Actuals, frozenset[str]]:
    n = draw(st.integers(1, 8))
    codes = CODES[:n]
    pops = {c: draw(st.integers(1, 200_000)) for c in codes}
    if sum(pops.values()) == 0:
        pops[codes[0]] = 1
    members = []
    for i, code in enumerate(codes):
        kwargs: dict[str, date] = {}
        if i > 0 and draw(st.booleans()):
            kwargs["joined"] = date(2015, 1, 1) + timedelta(days=draw(st.integers(1, 300)))
        if i > 0 and draw(st.booleans()):
            kwargs["left"] = date(2015, 12, 31) - timedelta(days=draw(st.integers(0, 50)))
        members.append(member(code, **kwargs))
    unit = draw(st.sampled_from([Decimal("0.01"), Decimal(1), Decimal(10), Decimal(1000)]))
    surplus = draw(st.sampled_from(["refund", "carry_forward"]))
    net = network(members, rounding=unit, surplus=surplus)
    fee_total = draw(st.integers(10_000, 5_000_000))
    actual = Decimal(draw(st.integers(0, 1_000_000_000))) / 100
    funding = Decimal(draw(st.integers(0, 10_000_000))) / 100
    one_offs = tuple(
        OneOff(f"c{i}", Decimal(draw(st.integers(0, 10_000_000))) / 100,
               date(2015, 1, 1) + timedelta(days=draw(st.integers(0, 364))))
        for i in range(draw(st.integers(0, 2)))
    )
    outcome = Actuals(2015, (ActualLine("a", actual),), one_offs,
                      (Funding("f", funding),))
    continuing = frozenset(draw(st.sets(st.sampled_from(codes))))
    return net, pops, fee_total, outcome, continuing


@settings(max_examples=150, deadline=None)
@given(cases())
def test_settlements_sum_to_the_difference_and_to_the_actual_net_cost(
    case: tuple[Network, dict[str, int], int, Actuals, frozenset[str]],
) -> None:
    net, pops, fee_total, outcome, continuing = case
    result = run(net, pops, fee_total, outcome, continuing)
    unit = net.rounding
    assert sum(m.settlement for m in result.members) == result.difference
    # charged + settlements = the actual net cost, to the unit (the difference is rounded
    # half away from zero, so an exact half is rounded on the difference, not on the cost)
    charged = Fraction(sum(m.charged for m in result.members))
    covered = Fraction(sum(m.charged + m.settlement for m in result.members))
    assert covered == charged + round_half_up(result.actual - result.funding - charged, unit)
    assert abs(covered - (result.actual - result.funding)) <= Fraction(unit) / 2
    for m in result.members:
        assert abs(Fraction(m.settlement) - m.exact) < Fraction(unit)
    for i, share in enumerate(result.one_offs):
        assert sum(m.one_off[i] for m in result.members) == share.total
        assert Fraction(share.total) == round_half_up(Fraction(share.cost.amount), unit)
    assert sum(m.to_invoice for m in result.members) == result.to_invoice
    assert result.total == result.difference + result.one_off_total
    for m in result.members:
        assert m.carried == (
            result.difference < 0 and net.surplus == "carry_forward"
            and m.code in continuing and m.settlement != 0
        )
