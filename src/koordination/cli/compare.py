"""``kn compare YEAR_A YEAR_B``: fee per member in two years, change in kronor and percent."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from koordination.cli.common import (
    DataOption,
    JsonOption,
    LangOption,
    Language,
    OutOption,
    reports_errors,
)

YearA = Annotated[int, typer.Argument(help="The earlier fee year, e.g. 2014.", min=1971,
                                      max=2100, metavar="YEAR_A")]
YearB = Annotated[int, typer.Argument(help="The later fee year, e.g. 2015.", min=1971, max=2100,
                                      metavar="YEAR_B")]


def register(app: typer.Typer) -> None:
    app.command("compare")(compare_command)


@reports_errors
def compare_command(
    year_a: YearA,
    year_b: YearB,
    data: DataOption = None,
    output: OutOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.sv,
) -> None:
    """Compare every member's fee in YEAR_A and YEAR_B: change in kronor and percent,
    population change; members of only one year are marked."""
    from koordination.core.compare import compare
    from koordination.core.errors import DataError, KnError
    from koordination.io.datadir import DataDir
    from koordination.io.files import atomic_write, run_lock
    from koordination.jobs.allocation import run_allocation

    data_dir = DataDir.resolve(data)
    if output is not None:
        data_dir.check_output(output)
    with run_lock(data_dir.root, create=False):
        runs = []
        problems = []
        for year in (year_a, year_b):
            try:
                runs.append(run_allocation(data_dir, year))
            except KnError as err:
                problems += [p for p in err.problems if p not in problems]
        if problems:
            raise DataError(problems)
        comparison = compare(runs[0].allocation, runs[1].allocation)
        from koordination.jobs.decision import departures

        notes = [note for note in (departures(data_dir, run) for run in runs) if note]
        target: Path | None = output
        if target is None and not as_json:
            target = data_dir.reports(year_b) / f"jamforelse-{year_a}-{year_b}.xlsx"
        if target is not None:
            from koordination.render.xlsx.compare import compare_workbook

            atomic_write(target, compare_workbook(comparison, lang.code))
    if as_json:
        from koordination.render.terminal import json_text
        from koordination.render.text.compare import comparison_json

        text = json.dumps(comparison_json(comparison), ensure_ascii=False)
        sys.stdout.write(json_text(text) + "\n")
        for note in notes:
            sys.stderr.write(note + "\n")
        return
    from koordination.render.labels import label
    from koordination.render.text.compare import comparison_table
    from koordination.render.text.tables import console

    out = console()
    out.print(comparison_table(comparison, lang.code))
    out.print(label("written", lang.code, path=target), soft_wrap=True)
    for note in notes:
        out.print(note, soft_wrap=True)
