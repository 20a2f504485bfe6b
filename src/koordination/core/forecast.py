"""The forecast (prognos, reference section 14): the expected settlement of a year that has
not closed yet.

Actuals with ``through: DATE`` hold the outcome so far. The expected outcome of the whole
year is, per budget line, the line's ``forecast`` when the actuals give one, else the budget's
amount for the period (the line's yearly amount prorated, to the öre); a line in the actuals
but not in the budget counts with its ``forecast``, else as written; funding and one-off costs
count as written. That expected outcome is settled by
:func:`koordination.core.settlement.settle`, the one settlement rule (3.9-3.10): a forecast
is the settlement of the outcome the year is expected to have.

Lines are matched by name (case and spacing aside), as the budget against outcome sheet
matches them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from koordination.core.allocation import LineAmount
from koordination.core.errors import Problem, RefusedError
from koordination.core.keyplan import KeyPlan
from koordination.core.models import ActualLine, Actuals, name_key
from koordination.core.money import to_decimal
from koordination.core.settlement import ForecastBasis, ForecastLine, Settlement, settle


def forecast_lines(actuals: Actuals, budget: Sequence[LineAmount]) -> tuple[ForecastLine, ...]:
    """Each line's expected outcome for the year: budget lines first, in the budget's order,
    then the lines only the actuals have, in the file's order."""
    by_name = {name_key(line.name): line for line in actuals.lines}
    used: set[str] = set()
    lines: list[ForecastLine] = []
    for amount in budget:
        key = name_key(amount.line.name)
        actual = by_name.get(key) if key not in used else None
        used.add(key)
        so_far = None if actual is None else actual.amount
        if actual is not None and actual.forecast is not None:
            lines.append(ForecastLine(amount.line.name, amount.line.group, amount.period,
                                      so_far, actual.forecast, "forecast"))
        else:
            lines.append(ForecastLine(amount.line.name, amount.line.group, amount.period,
                                      so_far, to_decimal(amount.period, 2), "budget"))
    for actual in actuals.lines:
        if name_key(actual.name) in used:
            continue
        if actual.forecast is not None:
            lines.append(ForecastLine(actual.name, None, None, actual.amount, actual.forecast,
                                      "forecast"))
        else:
            lines.append(ForecastLine(actual.name, None, None, actual.amount, actual.amount,
                                      "so_far"))
    return tuple(lines)


def expected_outcome(actuals: Actuals, budget: Sequence[LineAmount]) -> tuple[Actuals,
                                                                             ForecastBasis]:
    """The outcome the year is expected to have, as actuals a settlement reads (every line at
    its expected amount, funding and one-off costs as written), and what it was made of."""
    if actuals.through is None:
        raise ValueError("not a forecast: the actuals have no through date")
    lines = forecast_lines(actuals, budget)
    outcome = Actuals(
        year=actuals.year,
        lines=tuple(ActualLine(line.name, line.expected) for line in lines),
        one_off=actuals.one_off,
        funding=actuals.funding,
        through=actuals.through,
    )
    return outcome, ForecastBasis(actuals.through, actuals, lines)


def forecast(
    plan: KeyPlan,
    actuals: Actuals,
    budget: Sequence[LineAmount],
    charged: Mapping[str, Decimal],
    carried_in: Mapping[str, Decimal] | None = None,
    continuing: Collection[str] = (),
    actuals_file: str | None = None,
) -> Settlement:
    """The expected settlement of the year (reference 14): :func:`settle` on the expected
    outcome, the result marked with what it was made of (``Settlement.forecast``)."""
    outcome, basis = expected_outcome(actuals, budget)
    settled = settle(plan, outcome, charged, carried_in, continuing, actuals_file)
    return replace(settled, forecast=basis)


def refuse_forecast(settlement: Settlement, what: str, file: str | None = None) -> None:
    """Refuse ``what`` (a settlement decision, settlement invoices) on a forecast: it rests on
    the outcome of a closed year only."""
    if settlement.forecast is None:
        return
    through = settlement.forecast.through
    raise RefusedError(Problem(
        f"the actuals are a forecast (through: {through}); {what} needs the outcome of the "
        f"whole year: when {settlement.year} has closed, write the year's actual costs and "
        "remove through: and forecast", file, "through"))
