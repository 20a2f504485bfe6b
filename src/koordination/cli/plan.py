"""``kn plan YEAR``: every member's fee for the budget year and the plan years after it."""

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
    from koordination.io.files import atomic_write, check_writable, run_lock
    from koordination.jobs.plan import run_plan

    data_dir = DataDir.resolve(data)
    with run_lock(data_dir.root, create=False):
        run = run_plan(data_dir, year, years)
        target: Path | None = output
        if target is None and not as_json:
            target = data_dir.reports(year) / f"plan-{year}-{year + years}.xlsx"
        if target is not None:
            from koordination.render.xlsx.plan import plan_workbook

            content = plan_workbook(run, lang.code)
            check_writable(target)
            atomic_write(target, content)
    if as_json:
        from koordination.render.json import plan_json
        from koordination.render.terminal import json_text

        text = json.dumps(plan_json(run.plan), ensure_ascii=False)
        sys.stdout.write(json_text(text) + "\n")
        return
    from koordination.render.labels import label
    from koordination.render.text.plan import plan_table
    from koordination.render.text.tables import console, print_table

    out = console()
    print_table(out, plan_table(run.plan, lang.code))
    out.print(label("written", lang.code, path=target), soft_wrap=True, markup=False)
