"""Whatever the populations and the budget, the invoice bases add up to the allocation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from koordination.core.allocation import allocate
from koordination.core.invoices import allocation_invoices, invoiced_total
from koordination.core.keyplan import make_plan
from koordination.core.models import (
    AdministratorTerm,
    Budget,
    BudgetLine,
    Member,
    Network,
    Snapshot,
)

CODES = ["0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127"]


@settings(max_examples=60, deadline=None)
@given(
    populations=st.lists(st.integers(min_value=0, max_value=1_000_000), min_size=2,
                         max_size=len(CODES)).filter(lambda p: sum(p) > 0),
    amount=st.integers(min_value=1, max_value=10_000_000),
    admin=st.integers(min_value=0, max_value=len(CODES) - 1),
)
def test_bases_sum_to_the_allocation(populations: list[int], amount: int, admin: int) -> None:
    codes = CODES[: len(populations)]
    admin_code = codes[admin % len(codes)]
    network = Network(
        name="N",
        administrators=(AdministratorTerm(admin_code, admin_code),),
        members=tuple(Member(code, code) for code in codes),
    )
    snapshot = Snapshot(date(2014, 12, 31), dict(zip(codes, populations, strict=True)),
                        {c: c for c in codes})
    budget = Budget(2015, date(2015, 1, 1), date(2015, 12, 31), "annual",
                    (BudgetLine("G", "L", amount=Decimal(amount)),))
    alloc = allocate(make_plan(network, snapshot, budget.start, budget.end), budget)
    bases = allocation_invoices(alloc, date(2015, 2, 1), "Avgift")
    assert len(bases) == len(codes)
    assert [b.own_share for b in bases] == [False] * (len(codes) - 1) + [True]
    assert bases[-1].recipient.code == admin_code
    assert {b.recipient.code: b.total for b in bases} == {m.code: m.amount for m in alloc.members}
    own = bases[-1].total
    assert invoiced_total(bases) + own == alloc.total == Decimal(amount)
    # drafts: no number, OCR or due date until a decided record is issued
    assert all(b.draft and (b.reference, b.ocr, b.due_date) == (None, None, None)
               for b in bases[:-1])
