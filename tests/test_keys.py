"""Allocation keys (reference 3.6-3.7): exact amounts computed independently here with fractions,
the reference's worked examples, and properties that hold for every key."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koordination.core.explain import rounding_steps
from koordination.core.keyplan import make_plan
from koordination.core.models import AdministratorTerm, Key, Member, Network, Snapshot
from koordination.core.municipalities import register

CODES = sorted(register())[:12]
YEAR_START, YEAR_END = date(2015, 1, 1), date(2015, 12, 31)


POPULATION_KEY = Key()


def network(members: list[Member], key: Key = POPULATION_KEY, cap: int | None = None,
            rounding: Decimal = Decimal(1)) -> Network:
    return Network(
        name="Test",
        administrators=(AdministratorTerm(members[0].code, members[0].name),),
        members=tuple(members),
        key=key,
        population_cap=cap,
        rounding=rounding,
    )


def snapshot(pops: dict[str, int]) -> Snapshot:
    return Snapshot(date(2014, 12, 31), pops, {c: c for c in pops})


def fees(net: Network, pops: dict[str, int], total: int, start: date = YEAR_START,
         end: date = YEAR_END) -> dict[str, Fraction]:
    plan = make_plan(net, snapshot(pops), start, end)
    t = Fraction(total)
    return plan.round(t, plan.exact(t))


def largest_remainder(total: int, exact: dict[str, Fraction],
                      pops: dict[str, int]) -> dict[str, int]:
    """An independent reference for reference 3.7 in whole kronor (positive totals)."""
    base = {c: int(e) for c, e in exact.items()}  # int() cuts toward zero
    left = total - sum(base.values())
    order = sorted(exact, key=lambda c: (-(exact[c] - base[c]), -pops[c], c))
    return {c: base[c] + (1 if c in order[:left] else 0) for c in exact}


def m(code: str, **kw: object) -> Member:
    return Member(code=code, name=code, **kw)  # type: ignore[arg-type]


# --- the reference's worked examples -------------------------------------------------------------

def test_spec_ties_go_to_the_lowest_code_and_refunds_mirror() -> None:
    pops = {"0114": 500, "0115": 500, "0117": 500}
    net = network([m(c) for c in pops])
    assert fees(net, pops, 100) == {"0114": 34, "0115": 33, "0117": 33}
    plan = make_plan(net, snapshot(pops), YEAR_START, YEAR_END)
    refund = Fraction(-100)
    assert plan.round(refund, plan.exact(refund)) == {"0114": -34, "0115": -33, "0117": -33}
    report = rounding_steps(refund, plan.exact(refund), Decimal(1),
                            {c: plan.tie_key(c) for c in pops})
    assert [(s.code, s.rank, s.extra, s.tie) for s in report.steps] == [
        ("0114", 1, -1, True), ("0115", 2, 0, True), ("0117", 3, 0, True)]
    assert report.left_over == 1


def test_spec_segments_2016() -> None:
    pops = {"0114": 300, "0115": 100}
    net = network([m("0114"), m("0115", joined=date(2016, 7, 1))])
    result = fees(net, pops, 36600, date(2016, 1, 1), date(2016, 12, 31))
    assert result == {"0114": 32000, "0115": 4600}


def test_spec_equal_plus_population_30_70() -> None:
    pops = {"0114": 100, "0115": 300}
    net = network([m(c) for c in pops], Key("equal_population", Decimal(30), Decimal(70)))
    assert fees(net, pops, 1000) == {"0114": 325, "0115": 675}


# --- each key against an independent computation -----------------------------------------

REAL = {  # SCB population on 2014-12-31 (data/populations/2014-12-31.csv)
    "0114": 41816, "0115": 31969, "0117": 41180, "0160": 67334, "0187": 11329,
}


def test_population_key_with_cap_exact() -> None:
    cap = 40000
    net = network([m(c) for c in REAL], cap=cap)
    total = 905000
    w = {c: min(p, cap) for c, p in REAL.items()}
    exact = {c: Fraction(total) * w[c] / sum(w.values()) for c in REAL}
    plan = make_plan(net, snapshot(REAL), YEAR_START, YEAR_END)
    assert plan.exact(Fraction(total)) == exact
    assert fees(net, REAL, total) == largest_remainder(total, exact, REAL)
    # Σw = 163 298; three members are capped at 40 000 and have the same exact amount
    # 221 680.608...; after cutting, 3 kronor are left: the largest remainder (0115, .684)
    # gets one, and of the three tied capped members the two with the larger *population*
    # (0160: 67 334, 0114: 41 816) get the others, not 0117 (41 180).
    assert fees(net, REAL, total) == {
        "0114": 221681, "0115": 177173, "0117": 221680, "0160": 221681, "0187": 62785}


def test_equal_population_key_exact() -> None:
    key = Key("equal_population", Decimal("25"), Decimal("75"))
    net = network([m(c) for c in REAL], key)
    total = 1234567
    sigma = sum(REAL.values())
    exact = {c: Fraction(total) * (Fraction(1, 4) / 5 + Fraction(3, 4) * Fraction(p, sigma))
             for c, p in REAL.items()}
    assert fees(net, REAL, total) == largest_remainder(total, exact, REAL)
    assert sum(fees(net, REAL, total).values()) == total


def test_fixed_key_exact_and_renormalised_when_a_member_leaves() -> None:
    shares = {"0114": "50", "0115": "30", "0117": "20"}
    pops = {c: 1000 for c in shares}
    members = [m(c, share=Decimal(s)) for c, s in shares.items()]
    net = network(members, Key("fixed"))
    assert fees(net, pops, 1001) == {"0114": 501, "0115": 300, "0117": 200}
    # 0117 leaves on 2015-07-01: the first 181 days are shared 50:30:20, the other 184 days
    # 50:30 (renormalised to 5/8 and 3/8).
    net = replace(net, members=(members[0], members[1], replace(members[2],
                                                                left=date(2015, 7, 1))))
    total = 36500
    first, second = Fraction(total * 181, 365), Fraction(total * 184, 365)
    exact = {
        "0114": first * Fraction(1, 2) + second * Fraction(5, 8),
        "0115": first * Fraction(3, 10) + second * Fraction(3, 8),
        "0117": first * Fraction(1, 5),
    }
    assert fees(net, pops, total) == largest_remainder(total, exact, pops)
    assert fees(net, pops, total) == {"0114": 20550, "0115": 12330, "0117": 3620}


# --- properties ------------------------------------------------------------------------------

keys = st.one_of(
    st.just(Key()),
    st.integers(0, 100).map(lambda e: Key("equal_population", Decimal(e), Decimal(100 - e))),
    st.just(Key("fixed")),
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(
    pops=st.lists(st.integers(1, 2_000_000), min_size=1, max_size=len(CODES)),
    key=keys,
    cap=st.one_of(st.none(), st.integers(1, 2_000_000)),
    total=st.integers(1, 10**9),
    unit=st.sampled_from([Decimal("0.01"), Decimal(1), Decimal(100)]),
    seed=st.randoms(use_true_random=False),
    data=st.data(),
)
def test_every_key_sums_exactly_within_one_unit_independent_of_order(
    pops: list[int], key: Key, cap: int | None, total: int, unit: Decimal,
    seed: object, data: st.DataObject,
) -> None:
    codes = CODES[: len(pops)]
    population = dict(zip(codes, pops, strict=True))
    raw = data.draw(st.lists(st.integers(1, 1000), min_size=len(codes), max_size=len(codes)))
    members = [m(c, share=Decimal(r) if key.kind == "fixed" else None)
               for c, r in zip(codes, raw, strict=True)]
    if key.kind == "fixed":
        cap = None
    total_f = Fraction(total) * Fraction(unit)
    net = network(members, key, cap, unit)
    plan = make_plan(net, snapshot(population), YEAR_START, YEAR_END)
    exact = plan.exact(total_f)
    assert sum(exact.values()) == total_f
    rounded = plan.round(total_f, exact)
    assert sum(rounded.values()) == total_f
    for c in codes:
        assert abs(rounded[c] - exact[c]) < Fraction(unit)
        assert (rounded[c] / Fraction(unit)).denominator == 1
    shuffled = list(members)
    seed.shuffle(shuffled)  # type: ignore[attr-defined]
    other = make_plan(replace(net, members=tuple(shuffled)), snapshot(population),
                      YEAR_START, YEAR_END)
    assert other.round(total_f, other.exact(total_f)) == rounded
    report = rounding_steps(total_f, exact, unit, {c: plan.tie_key(c) for c in codes})
    assert {s.code: s.fee for s in report.steps} == rounded
    assert sorted(s.rank for s in report.steps) == list(range(1, len(codes) + 1))
    assert report.sums_to_total


@settings(max_examples=60, deadline=None)
@given(
    pops=st.lists(st.integers(1, 500_000), min_size=2, max_size=6),
    key=keys,
    cap=st.one_of(st.none(), st.integers(1, 500_000)),
    total=st.integers(1, 10**8),
    joined=st.integers(0, 364),
)
def test_explain_agrees_with_the_allocation(
    pops: list[int], key: Key, cap: int | None, total: int, joined: int
) -> None:
    """Every member's explanation: segments add up to its exact amount, and its fee and
    rounding equal the allocation's (the same figures ``kn explain`` and ``kn allocate`` print).
    """
    from datetime import timedelta

    from koordination.core.allocation import allocate
    from koordination.core.explain import explain
    from koordination.core.models import Budget, BudgetLine

    codes = CODES[: len(pops)]
    population = dict(zip(codes, pops, strict=True))
    members = [m(c, share=Decimal(10 + i) if key.kind == "fixed" else None)
               for i, c in enumerate(codes)]
    if joined:
        members[-1] = replace(members[-1], joined=YEAR_START + timedelta(days=joined))
    net = network(members, key, None if key.kind == "fixed" else cap)
    budget = Budget(2015, YEAR_START, YEAR_END, "annual",
                    (BudgetLine("A", "A", amount=Decimal(total)),))
    alloc = allocate(make_plan(net, snapshot(population), YEAR_START, YEAR_END), budget)
    for fee in alloc.members:
        x = explain(alloc, fee.code)
        assert sum((s.amount for s in x.segments), Fraction(0)) == fee.exact == x.exact
        assert x.step.fee == Fraction(fee.fee) and x.fee == fee.fee
        assert x.step.adjustment == fee.adjustment
        for s in x.segments:
            if key.kind == "equal_population" and s.present:
                assert s.equal_part + s.population_part == s.share
