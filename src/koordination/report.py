"""Plain-data views of results (the ``--json`` output), shared by CLI and tests."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from koordination.core.allocation import Allocation
from koordination.money import to_decimal


def money(value: Decimal, unit: Decimal) -> int | str:
    """A JSON integer for whole-krona networks, a two-decimal string for öre."""
    if unit >= 1:
        return int(value)
    return f"{value.quantize(Decimal('0.01'))}"


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
