"""The ``kn explain`` job: allocate the year and explain one member's fee (with ``--plan``,
the plan years after it too)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from koordination.core.allocation import Allocation
from koordination.core.errors import DataError, KnError, Problem
from koordination.core.explain import Explanation, explain, nearest
from koordination.core.municipalities import UnknownMunicipality, lookup
from koordination.core.results import PlanRun
from koordination.io.datadir import DataDir, load_network
from koordination.jobs.allocation import decided_allocation
from koordination.jobs.plan import run_plan


@dataclass(frozen=True)
class ExplainRun:
    """One member's explanation and the snapshot file its population came from."""

    explanation: Explanation
    snapshot_path: Path


def find_member(alloc: Allocation, given: str) -> str:
    """The code of the member ``given`` names, or a one-line error with suggestions."""
    network = alloc.plan.network
    folded = " ".join(given.split()).casefold()
    party = next((m for m in alloc.members if m.party and m.name.casefold() == folded), None)
    if party is not None:
        return party.code
    try:
        muni = lookup(given)
    except UnknownMunicipality as err:
        names = [m.name for m in alloc.members]
        close = nearest(names, given) or err.suggestions
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        raise DataError(Problem(f"unknown municipality '{given}'{hint}", None, "KOMMUN")) from None
    if any(m.code == muni.code for m in alloc.members):
        return muni.code
    names = [m.name for m in alloc.members]
    if network.member(muni.code) is not None:
        reason = f"{muni.name} has no day as a member of {network.name} in {alloc.year}"
    else:
        reason = f"{muni.name} is not a member of {network.name}"
    hint = f"the members in {alloc.year} are {', '.join(names)}"
    raise DataError(Problem(f"{reason}; {hint}", None, "KOMMUN"))


def run_explain(data: DataDir, year: int, kommun: str) -> ExplainRun:
    """Allocate ``year`` (network read once) and explain the fee of the member ``kommun``
    names (by name or SCB code)."""
    run = decided_allocation(data, year, load_network(data))  # a decided year: its record's
    return ExplainRun(explain(run.allocation, find_member(run.allocation, kommun)),
                      run.snapshot_path)


def run_explain_plan(data: DataDir, year: int, years: int, kommun: str) -> tuple[PlanRun, str]:
    """The plan of ``year`` and ``years`` plan years (``kn plan``), and the code of the
    member ``kommun`` names: a member of any of those years (the error of the last year
    when it is a member of none)."""
    run = run_plan(data, year, years)
    for plan_year in run.plan.years:
        try:
            return run, find_member(plan_year.allocation, kommun)
        except KnError:
            if plan_year is run.plan.years[-1]:
                raise
    raise AssertionError("a plan has at least its budget year")
