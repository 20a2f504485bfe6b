"""The ``kn`` application: global options and the list of commands."""

from __future__ import annotations

import gc
from typing import Annotated, Any

import typer
import typer.core

from koordination import __version__
from koordination.cli import (
    allocate,
    budget,
    compare,
    explain,
    init,
    invoices,
    plan,
    population,
    report,
    settle,
    statistic,
    validate,
)
from koordination.cli.common import bad_command_line, state


class KnGroup(typer.core.TyperGroup):
    """The top-level command: ``--debug`` is accepted anywhere on the command line
    (``kn allocate 2015 --debug`` as ``kn --debug allocate 2015``), up to a ``--``; a bad
    command line, of any command, is one ``error:`` line and exit 2 (:func:`bad_command_line`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[1:end]:
            head = [a for a in args[:end] if a != "--debug"]
            args = ["--debug", *head, *args[end:]]
        return list(super().parse_args(ctx, args))

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None,
                     **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except Exception as err:
            bad_command_line(err)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as err:
            bad_command_line(err)
            raise


app = typer.Typer(
    name="kn",
    cls=KnGroup,
    help="Share the yearly budget of an inter-municipal cooperation among its members by SCB "
    "population, and write the workbook the councils decide on.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kn {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show kn's version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback when something fails (also "
                           "with KN_DEBUG=1).", envvar="KN_DEBUG", show_envvar=False)
    ] = False,
) -> None:
    """Share the yearly budget of an inter-municipal cooperation by SCB population."""
    state["debug"] = debug


allocate.register(app)
budget.register(app)
compare.register(app)
explain.register(app)
init.register(app)
invoices.register(app)
plan.register(app)
report.register(app)
population.register(app)
settle.register(app)
statistic.register(app)
validate.register(app)


def main() -> None:
    # One short run, whose objects are freed by reference counting. By default the cycle
    # collector runs every 700 new objects and rescans the young ones again and again; with
    # a threshold of 100 000 it still ran once in a 290-member allocation, over everything
    # imported until then (37 ms). A run of kn never holds a million new objects: collect
    # only then (mypy raises the threshold the same way).
    gc.set_threshold(1_000_000, 50, 50)
    try:
        app(prog_name="kn")
    finally:
        # The command is done and the process ends: spare it the full collection at exit,
        # which walks every object the imports made (tens of milliseconds, nothing to free).
        gc.freeze()
