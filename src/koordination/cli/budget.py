"""``kn budget YEAR``: the budget lines, prorated to the period, with the total."""

from __future__ import annotations

import typer

from koordination.cli.common import DataOption, LangOption, Language, YearArgument, reports_errors


def register(app: typer.Typer) -> None:
    app.command("budget")(budget_command)


@reports_errors
def budget_command(
    year: YearArgument, data: DataOption = None, lang: LangOption = Language.sv
) -> None:
    """Show YEAR's budget lines, their amounts for the period, funding and the total."""
    from koordination.io.datadir import DataDir
    from koordination.jobs.budget import run_budget
    from koordination.render.text.budget import budget_table
    from koordination.render.text.tables import console

    run = run_budget(DataDir.resolve(data), year)
    console().print(budget_table(run.network.name, run.budget, run.summary, lang.code))
