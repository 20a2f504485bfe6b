"""``kn explain YEAR KOMMUN``: every step from the inputs to one member's fee."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from koordination.cli.common import (
    DataOption,
    JsonOption,
    LangOption,
    Language,
    YearArgument,
    reports_errors,
)

KommunArgument = Annotated[
    str, typer.Argument(help="The member, by name or SCB code, e.g. Vallentuna or 0115.")
]


def register(app: typer.Typer) -> None:
    app.command("explain")(explain_command)


@reports_errors
def explain_command(
    year: YearArgument,
    kommun: KommunArgument,
    data: DataOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.sv,
) -> None:
    """Explain one member's fee for YEAR: population, key, segments, exact amount, rounding."""
    from koordination.io.datadir import DataDir
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
