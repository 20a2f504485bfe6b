"""``kn settle YEAR``: the year-end settlement per member, on screen and as a workbook."""

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
    app.command("settle")(settle_command)


@reports_errors
def settle_command(
    year: YearArgument,
    data: DataOption = None,
    output: OutOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.sv,
) -> None:
    """Settle YEAR: actual costs against the fees charged, shared by the year's key; print
    the table and write the workbook. Actuals with through: DATE give the forecast
    (prognos-YEAR.xlsx): the settlement the year is expected to end with."""
    from koordination.io.datadir import DataDir
    from koordination.jobs.settle import settle_year

    data_dir = DataDir.resolve(data)
    if output is not None:
        data_dir.check_output(output)
    run, target = settle_year(data_dir, year, output, lang.code, default=not as_json)
    if as_json:
        from koordination.render.json import json_line, settlement_json

        payload = settlement_json(run.settlement)
        payload["charged_from"] = run.charged.source
        sys.stdout.write(json_line(payload))
        return
    from koordination.render.labels import label
    from koordination.render.text.tables import console, settlement_summary, settlement_table

    out = console()
    out.print(settlement_table(run.settlement, lang.code))
    out.print(settlement_summary(run.settlement, lang.code))
    if run.settlement.forecast is not None:
        out.print(label("f_note", lang.code), soft_wrap=True, markup=False)
    if run.charged.source != "recomputed":
        out.print(label("sm_charged_decision", lang.code, year=year, file=run.charged.source),
                  soft_wrap=True, markup=False)
    out.print(label("written", lang.code, path=target), soft_wrap=True, markup=False)
