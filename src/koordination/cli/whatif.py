"""``kn allocate YEAR --with KOMMUN / --without KOMMUN``: each member's fee beside today's if a
municipality joined or left for the whole year. Prints only; writes no file."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from koordination.core.municipalities import Municipality
    from koordination.core.whatif import WhatIf
    from koordination.render.labels import Lang

WithOption = Annotated[
    list[str] | None,
    typer.Option("--with", help="What if this municipality were a member all year (repeatable). "
                 "Prints the fees beside today's and writes no file.", show_default=False,
                 metavar="KOMMUN"),
]
WithoutOption = Annotated[
    list[str] | None,
    typer.Option("--without", help="What if this member were out all year (repeatable). "
                 "Prints the fees beside today's and writes no file.", show_default=False,
                 metavar="KOMMUN"),
]


def _municipalities(given: Sequence[str], option: str) -> list[Municipality]:
    from koordination.core.errors import DataError, Problem
    from koordination.core.municipalities import UnknownMunicipality, lookup

    found, problems = [], []
    for text in given:
        try:
            found.append(lookup(text))
        except UnknownMunicipality as err:
            problems.append(Problem(str(err), None, option))
    if problems:
        raise DataError(problems)
    return found


def run_what_if(data: Path | None, year: int, add: Sequence[str], remove: Sequence[str],
                as_json: bool, lang: Lang, output: Path | None = None) -> None:
    """Load the year's inputs, compute the what-if and print it (no file is written)."""
    from koordination.core.errors import DataError, Problem
    from koordination.core.whatif import what_if
    from koordination.io.datadir import (
        DataDir,
        load_budget,
        load_network,
        snapshot_for,
        statistics_for,
    )

    if output is not None:
        raise DataError(Problem("a what-if (--with/--without) writes no file; leave out -o",
                                None, "-o"))

    data_dir = DataDir.resolve(data)
    network = load_network(data_dir)
    added = _municipalities(add, "--with")
    removed = _municipalities(remove, "--without")
    budget, budget_path = load_budget(data_dir, year)
    snapshot, snapshot_path = snapshot_for(data_dir, network, year)
    statistics = statistics_for(data_dir, network, year)
    result = what_if(network, snapshot, budget, added, removed, str(snapshot_path),
                     str(budget_path), {name: stat for name, (stat, _) in statistics.items()})
    if as_json:
        from koordination.render.terminal import json_text

        sys.stdout.write(json_text(json.dumps(what_if_json(result), ensure_ascii=False)) + "\n")
        return
    from koordination.render.text.tables import console

    console().print(what_if_table(result, lang))


def _changes(result: WhatIf, lang: Lang) -> str:
    from koordination.render.labels import label

    parts = []
    if result.added:
        parts.append(label("w_joins", lang, names=", ".join(m.name for m in result.added)))
    if result.removed:
        parts.append(label("w_leaves", lang, names=", ".join(m.name for m in result.removed)))
    return label("w_and", lang).join(parts)


def what_if_table(result: WhatIf, lang: Lang) -> Any:
    from decimal import Decimal

    from rich.table import Table

    from koordination.render.labels import label
    from koordination.render.text.tables import integer, kr

    today, changed = result.today, result.changed
    plan = today.plan
    unit = plan.unit
    table = Table(
        title=label("w_title", lang, changes=_changes(result, lang), network=plan.network.name,
                    year=today.year),
        caption=label("w_caption", lang, start=plan.start.isoformat(), end=plan.end.isoformat(),
                      date=plan.snapshot.date.isoformat()),
        show_footer=True,
    )
    rows = result.rows()
    table.add_column(label("col_kommun", lang), label("total", lang))
    table.add_column(label("col_population", lang, date=plan.snapshot.date.isoformat()), "",
                     justify="right")
    table.add_column(label("w_today", lang), kr(today.total, unit), justify="right")
    table.add_column(label("w_changed", lang), kr(changed.total, unit), justify="right")
    table.add_column(label("w_difference", lang),
                     _signed(sum((r.difference for r in rows), Decimal(0)), unit),
                     justify="right")
    for row in rows:
        table.add_row(
            row.name,
            integer(row.population),
            "–" if row.today is None else kr(row.today, unit),
            "–" if row.what_if is None else kr(row.what_if, unit),
            _signed(row.difference, unit),
        )
    return table


def _signed(value: Any, unit: Any) -> str:
    from koordination.render.text.tables import kr

    text = kr(value, unit)
    return "+" + text if value > 0 else text


def what_if_json(result: WhatIf) -> dict[str, Any]:
    from koordination.core.money import plain_money as money

    plan = result.today.plan
    unit = plan.unit
    return {
        "network": plan.network.name,
        "year": result.today.year,
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        "population_date": plan.snapshot.date.isoformat(),
        "with": [{"kommunkod": m.code, "kommun": m.name} for m in result.added],
        "without": [{"kommunkod": m.code, "kommun": m.name} for m in result.removed],
        "total": money(result.today.total, unit),
        "members": [
            {
                "kommunkod": r.code,
                "kommun": r.name,
                "population": r.population,
                "today": None if r.today is None else money(r.today, unit),
                "what_if": None if r.what_if is None else money(r.what_if, unit),
                "difference": money(r.difference, unit),
            }
            for r in result.rows()
        ],
    }
