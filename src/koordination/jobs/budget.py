"""The ``kn budget`` job: a year's budget, its lines for the period and the total."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from koordination.core.allocation import BudgetSummary, budget_summary
from koordination.core.errors import Problem, RefusedError
from koordination.core.models import Budget, Network
from koordination.core.nextyear import NextBudget
from koordination.io.datadir import DataDir, load_budget, load_network
from koordination.render.labels import Lang


@dataclass(frozen=True)
class BudgetRun:
    network: Network
    budget: Budget
    summary: BudgetSummary


def run_budget(data: DataDir, year: int) -> BudgetRun:
    """Load the network and ``year``'s budget; sum it, the total rounded to the network's
    unit (reference 3.2-3.3)."""
    network = load_network(data)
    budget, _ = load_budget(data, year)
    return BudgetRun(network, budget, budget_summary(budget, network.rounding))


@dataclass(frozen=True)
class NewBudgetRun:
    """What ``kn budget new`` wrote: the new budget (with how it was indexed) and its file."""

    result: NextBudget
    path: Path
    source: Path


def new_budget(data: DataDir, year: int, from_year: int | None, index: Decimal | None,
               lang: Lang) -> NewBudgetRun:
    """Write ``budgets/YEAR.yaml`` (or ``.xlsx``, as the base budget is) from the budget of
    ``from_year`` (default ``year - 1``), indexed (reference 14). Never overwrites: a budget
    for ``year`` in either format is refused, and nothing is written."""
    from koordination.core.nextyear import next_budget
    from koordination.io.files import run_lock, write_new

    base_year = year - 1 if from_year is None else from_year
    network = load_network(data)
    existing = data.year_file(data.budgets, year, "budget")
    if existing is not None:
        raise RefusedError(Problem(
            f"the budget for {year} already exists; kn budget new never overwrites a budget: "
            "edit it, or move it away first", str(existing)))
    base, base_path = load_budget(data, base_year)
    result = next_budget(base, year, index, str(base_path))
    target = data.budgets / f"{year}{base_path.suffix}"
    source = f"budgets/{base_path.name}"
    if base_path.suffix == ".xlsx":
        from koordination.render.budget_file import how_indexed
        from koordination.render.xlsx.budget_form import next_budget_workbook

        content = next_budget_workbook(network.name, result, source, how_indexed(result, lang),
                                       lang)
    else:
        from koordination.render.budget_file import next_budget_yaml

        content = next_budget_yaml(network.name, result, source).encode("utf-8")
    with run_lock(data.root, create=False):
        write_new(target, content)
    return NewBudgetRun(result, target, base_path)
