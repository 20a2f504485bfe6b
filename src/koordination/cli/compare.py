"""``kn compare YEAR_A YEAR_B``: fee per member in two years, change in kronor and percent."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from koordination.cli.common import (
    DataOption,
    JsonOption,
    LangOption,
    Language,
    OutOption,
    fee_year,
    reports_errors,
)

YearA = Annotated[int, typer.Argument(help="The earlier fee year, e.g. 2014.", parser=fee_year,
                                      metavar="YEAR_A")]
YearB = Annotated[int, typer.Argument(help="The later fee year, e.g. 2015.", parser=fee_year,
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
    from koordination.io.datadir import DataDir
    from koordination.jobs.compare import default_target, run_compare

    data_dir = DataDir.resolve(data)
    if output is not None:
        data_dir.check_output(output)
    target = output
    if target is None and not as_json:
        target = default_target(data_dir, year_a, year_b)
    run = run_compare(data_dir, year_a, year_b, target, lang.code)
    if as_json:
        from koordination.render.json import comparison_json, json_line

        sys.stdout.write(json_line(comparison_json(run.comparison)))
        for note in run.notes:
            sys.stderr.write(note + "\n")
        return
    from koordination.render.labels import label
    from koordination.render.text.compare import comparison_table
    from koordination.render.text.tables import console

    out = console()
    out.print(comparison_table(run.comparison, lang.code))
    out.print(label("written", lang.code, path=run.written), soft_wrap=True)
    for note in run.notes:
        out.print(note, soft_wrap=True)
