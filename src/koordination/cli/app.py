"""The ``kn`` application: global options and the list of commands."""

from __future__ import annotations

import gc
import importlib
from typing import Annotated, Any

import typer
import typer.core
import typer.main

from koordination import __version__
from koordination.cli.common import CommandGroup, state

#: Every command, in the order ``kn --help`` lists them, and the first paragraph of its help,
#: which ``kn --help`` shows cut to the terminal's width. Each command has its module of the
#: same name in koordination.cli, whose ``register`` adds it to an app. A run builds only the
#: command it invokes, so it imports that command's module alone; tests/test_help.py checks
#: that each line here is the first paragraph of its command's own help.
COMMANDS: dict[str, str] = {
    "allocate": "Compute every member's fee for YEAR, print the table and write "
                "the workbook.",
    "compare": "Compare every member's fee in YEAR_A and YEAR_B: change in kronor "
               "and percent, population change; members of only one year are marked.",
    "explain": "Explain one member's fee for YEAR: population, key, segments, "
               "exact amount, rounding.",
    "init": "Start a new cooperation: a commented network.yaml, a budget to fill in, "
            "and what to run next. Never overwrites a file.",
    "invoices": "Issue the invoices (fakturaunderlag) of YEAR's decided fees, or "
                "with --settlement of its decided settlement, register them in "
                "decisions/invoices-YEAR.json and write them; after a revision, the "
                "corrections. Running again issues nothing new and writes the same "
                "documents. Invoicing details network.yaml lacks are printed as 'saknas'.",
    "plan": "Fees for the budget year YEAR and the plan years after it, printed and "
            "as a workbook.",
    "report": "The financial report of YEAR for the steering group: budget against "
              "outcome per line and group, funding, the fees charged, the settlement per "
              "member, what was carried and the cost per inhabitant; printed, and as a "
              "workbook (rapport-YEAR.xlsx).",
    "settle": "Settle YEAR: actual costs against the fees charged, shared by the "
              "year's key; print the table and write the workbook. Actuals with through: "
              "DATE give the forecast (prognos-YEAR.xlsx): the settlement the year is "
              "expected to end with. With --final, record the settlement decision that "
              "settlement invoices rest on.",
    "validate": "Check network.yaml, every snapshot, budget, actuals file and "
                "decision record; list every problem, and what the next run still needs "
                "(notes).",
    "budget": "Show a year's budget (kn budget YEAR), or write next year's from it "
              "(kn budget new YEAR).",
    "population": "List, import and fetch SCB population snapshots.",
    "statistic": "List and import statistic snapshots "
                 "(statistics/NAME/YYYY-MM-DD.csv) for keys on more than population.",
}


def build_command(name: str) -> Any:
    """The click command ``name``, built from its module alone."""
    module = importlib.import_module(f"koordination.cli.{name}")
    single = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False,
                         add_completion=False)
    module.register(single)
    built = typer.main.get_command(single)
    if isinstance(built, typer.core.TyperGroup):
        # A command group (kn budget, kn population) comes inside a group of its own.
        built = built.commands.get(name, built)
    built.name = name
    return built


class KnGroup(CommandGroup):
    """The top-level command: ``--debug`` is accepted anywhere on the command line
    (``kn allocate 2015 --debug`` as ``kn --debug allocate 2015``), up to a ``--``; a bad
    command line, of any command, is one ``error:`` line and exit 2 (:class:`CommandGroup`).
    Commands are built when they are invoked (:data:`COMMANDS`), so that a run imports only
    its own command and ``kn --help`` none."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            self.add_command(build_command(cmd_name), cmd_name)
        return self.commands[cmd_name]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # The lines of the table, cut as each command would cut its own help.
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, typer.core.TyperCommand(name, help=help_).get_short_help_str(limit))
                for name, help_ in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[1:end]:
            head = [a for a in args[:end] if a != "--debug"]
            args = ["--debug", *head, *args[end:]]
        return list(super().parse_args(ctx, args))



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
