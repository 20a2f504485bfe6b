"""The what-if job of ``kn allocate --with/--without``: the year's allocation beside the one
with municipalities joined or gone for the whole period. Nothing is written."""

from __future__ import annotations

from collections.abc import Sequence

from koordination.core.errors import DataError, Problem
from koordination.core.municipalities import Municipality, UnknownMunicipality, lookup
from koordination.core.whatif import WhatIf, what_if
from koordination.io.datadir import (
    DataDir,
    load_network,
    snapshot_for,
    statistics_for,
)
from koordination.jobs.allocation import last_year_fees, year_budget


def municipalities(given: Sequence[str], option: str) -> list[Municipality]:
    """The municipalities ``given`` names; every unknown name is one problem of ``option``."""
    found, problems = [], []
    for text in given:
        try:
            found.append(lookup(text))
        except UnknownMunicipality as err:
            problems.append(Problem(str(err), None, option))
    if problems:
        raise DataError(problems)
    return found


def run_what_if(data: DataDir, year: int, add: Sequence[str], remove: Sequence[str]) -> WhatIf:
    """Load the year's network, budget, snapshot and the statistics the key counts once and
    compute the what-if; a joining municipality takes its values from the same snapshots."""
    network = load_network(data)
    added = municipalities(add, "--with")
    removed = municipalities(remove, "--without")
    budget, budget_path = year_budget(data, network, year)
    budget_file = str(budget_path) if budget_path is not None else None
    snapshot, snapshot_path = snapshot_for(data, network, year)
    statistics = statistics_for(data, network, year)
    return what_if(network, snapshot, budget, added, removed, str(snapshot_path),
                   budget_file, {name: stat for name, (stat, _) in statistics.items()},
                   last_year_fees(data, network, year))
