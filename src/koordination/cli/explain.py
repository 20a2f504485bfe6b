"""``kn explain YEAR KOMMUN``: every step from the inputs to one member's fee."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from koordination.cli.common import (
    DataOption,
    LangOption,
    Language,
    PrintJsonOption,
    YearArgument,
    reports_errors,
)

KommunArgument = Annotated[
    str, typer.Argument(help="The member, by name or SCB code, e.g. Vallentuna or 0115.")
]


PlanOption = Annotated[
    bool, typer.Option("--plan", help="Explain the fee of YEAR and of each plan year after it "
                       "(see kn plan).")
]
YearsOption = Annotated[
    int, typer.Option("--years", help="With --plan: how many plan years (1-5).")
]


def register(app: typer.Typer) -> None:
    app.command("explain")(explain_command)


@reports_errors
def explain_command(
    year: YearArgument,
    kommun: KommunArgument,
    data: DataOption = None,
    as_json: PrintJsonOption = False,
    lang: LangOption = Language.sv,
    plan: PlanOption = False,
    years: YearsOption = 2,
) -> None:
    """Explain one member's fee for YEAR: population, key, segments, exact amount, rounding."""
    from koordination.io.datadir import DataDir

    if plan:
        if not 1 <= years <= 5:
            raise typer.BadParameter(f"{years} is outside 1-5; a plan covers one to five years "
                                     "after the budget year", param_hint="'--years'")
        from koordination.jobs.explain import run_explain_plan

        planned, code = run_explain_plan(DataDir.resolve(data), year, years, kommun)
        if as_json:
            from koordination.render.json import json_line, plan_explanation_json

            sys.stdout.write(json_line(plan_explanation_json(planned.plan, code)))
            return
        from koordination.render.terminal import clean
        from koordination.render.text.plan import plan_explanation

        sys.stdout.write(clean(plan_explanation(planned.plan, code, lang.code)) + "\n")
        return
    from koordination.jobs.explain import run_explain

    run = run_explain(DataDir.resolve(data), year, kommun)
    if as_json:
        from koordination.render.json import explanation_json, json_line

        sys.stdout.write(json_line(explanation_json(run.explanation)))
        return
    from koordination.render.terminal import clean
    from koordination.render.text.explain import explanation_text

    text = explanation_text(run.explanation, str(run.snapshot_path), lang.code)
    sys.stdout.write(clean(text) + "\n")
