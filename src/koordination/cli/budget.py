"""``kn budget YEAR``: the budget lines, prorated to the period, with the total; and
``kn budget new YEAR``: next year's budget file from a year's, indexed."""

from __future__ import annotations

from difflib import get_close_matches
from typing import Annotated, Any

import typer

from koordination.cli.common import (
    CommandGroup,
    DataOption,
    LangOption,
    Language,
    YearArgument,
    reports_errors,
)


class BudgetGroup(CommandGroup):
    """``kn budget YEAR`` is ``kn budget show YEAR``: a first word that is no subcommand
    (a year, or anything else the show command then refuses) goes to ``show``, unless it is
    a subcommand mistyped (``kn budget shw``: did you mean show?)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        first = args[0] if args else "-"
        if first not in self.commands and not first.startswith("-") \
                and (first.isdigit() or not get_close_matches(first, self.commands, n=1)):
            args = ["show", *args]
        return list(super().parse_args(ctx, args))


budget_app = typer.Typer(
    cls=BudgetGroup,
    help="Show a year's budget (kn budget YEAR), or write next year's from it "
    "(kn budget new YEAR).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(budget_app, name="budget")


@budget_app.command("show")
@reports_errors
def budget_command(
    year: YearArgument, data: DataOption = None, lang: LangOption = Language.sv
) -> None:
    """Show YEAR's budget lines, their amounts for the period, funding and the total (also
    as kn budget YEAR)."""
    from koordination.io.datadir import DataDir
    from koordination.jobs.budget import run_budget
    from koordination.render.text.budget import budget_table
    from koordination.render.text.tables import console

    run = run_budget(DataDir.resolve(data), year)
    console().print(budget_table(run.network.name, run.budget, run.summary, lang.code))


def _percent(value: str) -> Any:
    from koordination.core.money import parse_amount

    try:
        return parse_amount(value, what="index")
    except (ValueError, TypeError):
        raise typer.BadParameter(f"{value!r} is not a number; give the index in percent, e.g. "
                                 "2.8 for 2.8 %") from None


@budget_app.command("new")
@reports_errors
def new_command(
    year: Annotated[int, typer.Argument(help="The new budget's fee year, e.g. 2016.", min=1971,
                                        max=2100, metavar="YEAR")],
    from_year: Annotated[int | None, typer.Option(
        "--from", help="The budget to start from (default: YEAR - 1).", min=1971, max=2100,
        show_default=False)] = None,
    index: Annotated[str | None, typer.Option(
        "--index", help="Index every amount and rate by this percent (default: the plan "
        "index of the --from budget for YEAR).", metavar="PERCENT", show_default=False,
        parser=_percent)] = None,
    data: DataOption = None,
    lang: LangOption = Language.sv,
) -> None:
    """Write budgets/YEAR.yaml (or .xlsx, as the --from budget is) from the budget of the
    year before: every line's amount or rate indexed and rounded to the öre, funding left
    out, the plan section kept. Never overwrites a budget."""
    import sys

    from koordination.io.datadir import DataDir
    from koordination.jobs.budget import new_budget
    from koordination.render.budget_file import how_indexed
    from koordination.render.labels import label
    from koordination.render.terminal import clean

    run = new_budget(DataDir.resolve(data), year, from_year, index, lang.code)  # type: ignore[arg-type]
    sys.stdout.write(clean(label("new_written", lang.code, path=run.path,
                                 source=run.source, how=how_indexed(run.result, lang.code))) + "\n")
