"""``kn plan YEAR``: every member's fee for the budget year and the plan years after it."""

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
    YearArgument,
    reports_errors,
)

YearsOption = Annotated[
    int,
    typer.Option("--years", help="How many plan years after YEAR (1-5).", show_default=True),
]


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_command)


@reports_errors
def plan_command(
    year: YearArgument,
    years: YearsOption = 2,
    data: DataOption = None,
    output: OutOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.sv,
) -> None:
    """Fees for the budget year YEAR and the plan years after it, printed and as a workbook."""
    if not 1 <= years <= 5:
        raise typer.BadParameter(f"{years} is outside 1-5; a plan covers one to five years "
                                 "after the budget year", param_hint="'--years'")
    from koordination.io.datadir import DataDir
    from koordination.jobs.plan import default_target, plan_years

    data_dir = DataDir.resolve(data)
    if output is not None:
        data_dir.check_output(output)
    target = output
    if target is None and not as_json:
        target = default_target(data_dir, year, years)
    run = plan_years(data_dir, year, years, target, lang.code)
    if as_json:
        from koordination.render.json import json_line, plan_json

        sys.stdout.write(json_line(plan_json(run.plan)))
        return
    from koordination.render.labels import label
    from koordination.render.text.plan import plan_table
    from koordination.render.text.tables import console, print_table

    out = console()
    print_table(out, plan_table(run.plan, lang.code))
    out.print(label("written", lang.code, path=target), soft_wrap=True, markup=False)
