"""Plain-data views of results (the ``--json`` output), shared by CLI and tests."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from koordination.core.allocation import Allocation
from koordination.core.invoices import InvoiceBasis
from koordination.core.money import plain_money as money
from koordination.core.money import to_decimal
from koordination.core.records import Record
from koordination.core.settlement import Settlement


def two(value: Fraction | Decimal) -> str:
    """Two decimals, half up, as text."""
    return f"{to_decimal(Fraction(value), 2)}"


def allocation_json(alloc: Allocation) -> dict[str, Any]:
    unit = alloc.plan.unit
    return {
        "network": alloc.plan.network.name,
        "year": alloc.year,
        "period": {"start": alloc.plan.start.isoformat(), "end": alloc.plan.end.isoformat()},
        "population_date": alloc.plan.snapshot.date.isoformat(),
        "total": money(alloc.amount_total, unit),
        "fee_total": money(alloc.total, unit),
        "members": [
            {
                "kommunkod": m.code,
                "kommun": m.name,
                "population": m.population,
                "days": m.days,
                "exact": two(m.exact),
                "fee": money(m.fee, unit),
                "carried": money(m.carried, unit),
                "amount": money(m.amount, unit),
                "percent": f"{m.percent}",
            }
            for m in alloc.members
        ],
    }


def exact_money(value: Fraction, unit: Decimal) -> int | str:
    """An exact sum as written in the files: a JSON integer for whole-krona networks when it
    is whole, else a two-decimal string (an actual cost may carry öre)."""
    if unit >= 1 and value.denominator == 1:
        return int(value)
    return two(value)


def settlement_json(settlement: Settlement) -> dict[str, Any]:
    """``kn settle --json`` (reference section 4)."""
    plan = settlement.plan
    unit = plan.unit
    return {
        "network": plan.network.name,
        "year": settlement.year,
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        "population_date": plan.snapshot.date.isoformat(),
        "charged": money(settlement.charged, unit),
        "carried_in": money(settlement.carried_in, unit),
        "actual": exact_money(settlement.actual, unit),
        "funding": exact_money(settlement.funding, unit),
        "difference": money(settlement.difference, unit),
        "one_off": money(settlement.one_off_total, unit),
        "total": money(settlement.total, unit),
        "carried_forward": money(settlement.carried_forward, unit),
        "to_invoice": money(settlement.to_invoice, unit),
        "one_offs": [
            {
                "name": o.cost.name,
                "date": o.cost.date.isoformat(),
                "amount": money(o.total, unit),
                "members": list(o.members),
            }
            for o in settlement.one_offs
        ],
        "members": [
            {
                "kommunkod": m.code,
                "kommun": m.name,
                "population": m.population,
                "days": m.days,
                "charged": money(m.charged, unit),
                "exact": two(m.exact),
                "settlement": money(m.settlement, unit),
                "one_off": money(m.one_off_total, unit),
                "amount": money(m.amount, unit),
                "carried_forward": money(m.carried_forward, unit),
                "to_invoice": money(m.to_invoice, unit),
            }
            for m in settlement.members
        ],
    }


def invoices_json(bases: Sequence[InvoiceBasis], unit: Decimal,
                  decision: Record | None) -> dict[str, Any]:
    """``kn invoices YEAR --json`` (reference 8): the invoices and credit notes, then the
    administrator's own share apart (it is not an invoice), and the decision they rest on."""

    def entry(basis: InvoiceBasis) -> dict[str, Any]:
        kind = "own_share" if basis.own_share else "credit_note" if basis.is_credit else "invoice"
        recipient = basis.recipient
        return {
            "reference": basis.reference,
            "ocr": basis.ocr,
            "kind": kind,
            "recipient": {"kommunkod": recipient.code, "name": recipient.name,
                          "orgnr": recipient.orgnr, "reference": recipient.reference},
            "amount": money(basis.total, unit),
            "invoice_date": basis.invoice_date.isoformat(),
            "due_date": basis.due_date.isoformat() if basis.due_date else None,
            "corrects": basis.corrects,
        }

    own = [entry(b) for b in bases if b.own_share]
    return {
        "invoices": [entry(b) for b in bases if not b.own_share],
        "own_share": own[0] if own else None,
        "decision": None if decision is None else {
            "revision": decision.number, "decision_date": decision.decision_date,
            "decided_by": decision.decided_by, "ref": decision.ref},
    }
