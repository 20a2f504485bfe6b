"""``kn report YEAR``: the year's financial report for the steering group."""

from __future__ import annotations

import sys

import typer

from koordination.cli.common import (
    DataOption,
    JsonOption,
    LangOption,
    Language,
    OutOption,
    YearArgument,
    reports_errors,
)


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)


@reports_errors
def report_command(
    year: YearArgument,
    data: DataOption = None,
    output: OutOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.sv,
) -> None:
    """The financial report of YEAR for the steering group: budget against outcome per line
    and group, funding, the fees charged, the settlement per member, what was carried and
    the cost per inhabitant; printed, and as a workbook (rapport-YEAR.xlsx)."""
    from koordination.io.datadir import DataDir
    from koordination.jobs.report import default_target, report_year

    data_dir = DataDir.resolve(data)
    if output is not None:
        data_dir.check_output(output)
    target = output
    if target is None and not as_json:
        target = default_target(data_dir, year)
    run = report_year(data_dir, year, target, lang.code)
    if as_json:
        from koordination.render.json import json_line, report_json

        sys.stdout.write(json_line(report_json(run.report)))
        return
    from koordination.render.labels import label
    from koordination.render.text.report import groups_table, key_figures
    from koordination.render.text.tables import console, print_table

    out = console()
    print_table(out, groups_table(run.report, lang.code))
    out.print(key_figures(run.report, lang.code))
    out.print(label("written", lang.code, path=target), soft_wrap=True, markup=False)
