"""The ``kn budget`` job: a year's budget, its lines for the period and the total."""

from __future__ import annotations

from dataclasses import dataclass

from koordination.core.allocation import BudgetSummary, budget_summary
from koordination.core.models import Budget, Network
from koordination.io.datadir import DataDir, load_budget, load_network


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
