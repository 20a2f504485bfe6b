"""Next year's budget from a year's (reference section 14, ``kn budget new``).

Every line's money (its ``amount``, or its ``rate``) is multiplied by the index and rounded
half up to the öre; an overhead percentage, hours per month and quantities stay as written.
The index is ``--index`` (one percent, applied once), else the base budget's plan index
(section 6) of each year from the base year + 1 to the new year, per line group. The new
budget covers the whole new year; funding is not copied (it is granted year by year); the
``plan:`` section is copied without the years that are no longer plan years.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from koordination.core.errors import DataError, Problem
from koordination.core.models import MAX_INDEX, Budget, PlanRules, YearIndex
from koordination.core.money import to_decimal
from koordination.core.planning import IndexStep, index_steps


@dataclass(frozen=True)
class NextBudget:
    """The new budget, the budget it was made from, and the index applied to each group
    (``given``: the ``--index`` percent; else ``steps`` per group, from the plan)."""

    budget: Budget
    base: Budget
    given: Decimal | None
    steps: dict[str, tuple[IndexStep, ...]]

    def factor(self, group: str) -> Fraction:
        if self.given is not None:
            return 1 + Fraction(self.given) / 100
        result = Fraction(1)
        for step in self.steps[group]:
            result *= step.factor
        return result


def plain(value: Decimal) -> Decimal:
    """``493440.00`` -> ``493440``; ``1234.50`` stays ``1234.50``."""
    return Decimal(int(value)) if value == value.to_integral_value() else value


def indexed(value: Decimal | None, factor: Fraction) -> Decimal | None:
    """``value`` × ``factor``, rounded half up to the öre."""
    return None if value is None else plain(to_decimal(Fraction(value) * factor, 2))


def later_years(rule: YearIndex, year: int) -> YearIndex | None:
    """``rule`` without the years up to ``year`` (None when nothing is left)."""
    if rule.every is not None:
        return rule
    kept = {y: p for y, p in rule.by_year.items() if y > year}
    return YearIndex(by_year=kept) if kept else None


def carried_plan(plan: PlanRules | None, year: int) -> PlanRules | None:
    """The plan section for the budget of ``year``: its plan years come after ``year``."""
    if plan is None:
        return None
    index = {g: r for g, rule in plan.index.items() if (r := later_years(rule, year))}
    default = None if plan.default is None else later_years(plan.default, year)
    return PlanRules(index=index, default=default, population=plan.population)


def next_budget(base: Budget, year: int, index: Decimal | None,
                file: str | None = None) -> NextBudget:
    """The budget of ``year`` from ``base`` (see the module's text); ``index`` in percent."""
    if year <= base.year:
        raise DataError(Problem(
            f"the new budget's year {year} is not after {base.year}; give --from a year before "
            f"{year}", None, "--from"))
    whole = (base.start, base.end) == (date(base.year, 1, 1), date(base.year, 12, 31))
    if base.basis == "period" and not whole:
        raise DataError(Problem(
            f"the amounts are for the period {base.start} to {base.end} (basis: period), not "
            f"for a year; set basis: annual with yearly amounts, or write budgets/{year} by "
            "hand", file, "basis"))
    if index is not None and not -MAX_INDEX <= index <= MAX_INDEX:
        raise DataError(Problem(
            f"--index {index} is outside -{MAX_INDEX} to {MAX_INDEX}; give the index in percent "
            "(2.8 for 2.8 %)", None, "--index"))
    steps: dict[str, tuple[IndexStep, ...]] = {}
    if index is None and base.plan is None and (file or "").lower().endswith(".xlsx"):
        raise DataError(Problem(
            f"no index for {year}: the {base.year} budget workbook has no sheet Plan; give "
            "--index PERCENT, or add a sheet named Plan (columns group, year, index; group "
            "default for the other groups)", file, "Plan"))
    if index is None and base.plan is None:
        raise DataError(Problem(
            f"no index for {year}: the {base.year} budget has no plan section; give --index "
            f"PERCENT, or add plan: {{index: {{default: PERCENT}}}} to the {base.year} budget",
            file, "plan"))
    if index is None:
        problems: list[Problem] = []
        for group in dict.fromkeys(line.group for line in base.lines):
            try:
                steps[group] = index_steps(base.plan, group, base.year, year, file)
            except DataError as err:
                problems.extend(err.problems)
        if problems:
            raise DataError(problems)
    result = NextBudget(base, base, index, steps)
    lines = tuple(
        replace(line, amount=indexed(line.amount, result.factor(line.group)),
                rate=indexed(line.rate, result.factor(line.group)))
        for line in base.lines
    )
    budget = Budget(year=year, start=date(year, 1, 1), end=date(year, 12, 31),
                    basis=base.basis, lines=lines, funding=(),
                    plan=carried_plan(base.plan, year))
    return replace(result, budget=budget)

