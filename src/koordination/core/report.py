"""The year's financial report for the steering group (reference section 14): budget against
outcome per line and group, funding, the fees charged, the settlement per member, what was
carried, and kronor per inhabitant.

Everything is taken from the year's allocation (the budget, the fees charged: the decided ones
when the year is decided) and its settlement (or forecast); nothing is computed twice. Budget
and outcome lines are matched by name (case and spacing aside); a budget line without an
outcome counts an outcome of 0, an outcome line the budget does not have is its own row with
a budget of 0 and no group (``group`` None), after the budget's lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from koordination.core.allocation import Allocation
from koordination.core.models import name_key
from koordination.core.money import ZERO, to_decimal
from koordination.core.settlement import Settlement


def variance_percent(variance: Fraction, budget: Fraction) -> Decimal | None:
    """variance / budget × 100, two decimals (half up); None when the budget is 0."""
    if budget == 0:
        return None
    return to_decimal(variance / budget * 100, 2)


@dataclass(frozen=True)
class ReportRow:
    """A line or a group: its budget for the period and its outcome (exact).

    ``group`` is the line's group (None: a line the budget does not have); for a group row
    ``name`` is the group's name (None: the lines not in the budget)."""

    group: str | None
    name: str | None
    budget: Fraction
    outcome: Fraction

    @property
    def variance(self) -> Fraction:
        """outcome − budget: positive is an overrun."""
        return self.outcome - self.budget

    @property
    def variance_percent(self) -> Decimal | None:
        return variance_percent(self.variance, self.budget)


@dataclass(frozen=True)
class Report:
    """The year's report.

    Attributes:
        allocation: the year's allocation (its fees are the ones charged).
        settlement: the year's settlement, or its forecast (``settlement.forecast``).
        fees_source: where the fees charged come from ("recomputed" or the decision file).
        lines: every budget line, then the outcome lines the budget does not have.
        groups: per group in the budget's order, then (if any) the lines not in the budget.
        funding_budget, funding_outcome: Σ funding in the budget and in the outcome.
        settlement_source: the settlement decision the settlement agrees with (None: the
        settlement is not decided).
    """

    allocation: Allocation
    settlement: Settlement
    fees_source: str
    lines: tuple[ReportRow, ...]
    groups: tuple[ReportRow, ...]
    funding_budget: Fraction
    funding_outcome: Fraction
    settlement_source: str | None = None

    @property
    def year(self) -> int:
        return self.settlement.year

    @property
    def total(self) -> ReportRow:
        return ReportRow(None, None, sum((r.budget for r in self.lines), ZERO),
                         sum((r.outcome for r in self.lines), ZERO))

    @property
    def net(self) -> ReportRow:
        """Costs less funding, budget against outcome."""
        total = self.total
        return ReportRow(None, None, total.budget - self.funding_budget,
                         total.outcome - self.funding_outcome)

    @property
    def fees(self) -> Decimal:
        """Σ fee charged for the year (without what was carried in)."""
        return self.settlement.charged

    @property
    def carried_in(self) -> Decimal:
        """The settlement of the year before carried into this year's fees."""
        return self.settlement.carried_in

    @property
    def carried_forward(self) -> Decimal:
        """This year's settlement carried into next year's fees."""
        return self.settlement.carried_forward

    @property
    def members_total(self) -> Decimal:
        """What the members bear for the year: fees charged + settlement + one-off costs."""
        return self.settlement.charged + self.settlement.total

    @property
    def population(self) -> int:
        """The members' population in the year's snapshot (every member of the year once)."""
        return sum(m.population for m in self.settlement.members)

    @property
    def fees_per_inhabitant(self) -> Decimal | None:
        return self._per_inhabitant(Fraction(self.fees))

    @property
    def outcome_per_inhabitant(self) -> Decimal | None:
        """What the members bear for the year per inhabitant."""
        return self._per_inhabitant(Fraction(self.members_total))

    def _per_inhabitant(self, amount: Fraction) -> Decimal | None:
        return None if not self.population else to_decimal(amount / self.population, 2)


def make_report(allocation: Allocation, settlement: Settlement, fees_source: str,
                settlement_source: str | None = None) -> Report:
    """The report of ``settlement``'s year: its lines against ``allocation``'s budget."""
    outcome = {name_key(line.name): line for line in settlement.actuals.lines}
    used: set[str] = set()
    lines: list[ReportRow] = []
    for amount in allocation.lines:
        key = name_key(amount.line.name)
        actual = outcome.get(key) if key not in used else None
        used.add(key)
        lines.append(ReportRow(amount.line.group, amount.line.name, amount.period,
                               ZERO if actual is None else Fraction(actual.amount)))
    for actual in settlement.actuals.lines:
        if name_key(actual.name) not in used:
            lines.append(ReportRow(None, actual.name, ZERO, Fraction(actual.amount)))
    groups: list[ReportRow] = []
    for group in dict.fromkeys(row.group for row in lines):
        rows = [row for row in lines if row.group == group]
        groups.append(ReportRow(group, group, sum((r.budget for r in rows), ZERO),
                                sum((r.outcome for r in rows), ZERO)))
    return Report(
        allocation=allocation,
        settlement=settlement,
        fees_source=fees_source,
        lines=tuple(lines),
        groups=tuple(groups),
        funding_budget=allocation.funding_total,
        funding_outcome=settlement.funding,
        settlement_source=settlement_source,
    )
