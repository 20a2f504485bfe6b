"""Options shared by every command, and the one place errors become exit codes.

Only typer is imported here: ``kn --help`` must not pay for pandas, openpyxl or pydantic.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from koordination.cli.interrupt import Interrupted
from koordination.core.errors import KnError

if TYPE_CHECKING:  # the labels themselves are loaded by the commands that print them
    from koordination.render.labels import Lang

F = TypeVar("F", bound=Callable[..., Any])

DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="The cooperation's data directory (default: $KN_DATA or ./data).",
                 show_default=False),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print only JSON on stdout; write a workbook only with -o.")
]
OutOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Write the workbook here instead of the default place.",
                 show_default=False),
]


class Language(StrEnum):
    sv = "sv"
    en = "en"

    @property
    def code(self) -> Lang:
        return "en" if self is Language.en else "sv"


LangOption = Annotated[
    Language, typer.Option("--lang", help="Language of workbook labels and tables.")
]
YearArgument = Annotated[
    int, typer.Argument(help="The fee year, e.g. 2015.", min=1971, max=2100, metavar="YEAR")
]

state = {"debug": False}

def parse_date(value: str | date) -> date:
    """A date option, read by the one date parser (:func:`koordination.core.dates.parse_date`);
    a bad one is a bad command line (exit 2)."""
    from koordination.core.dates import parse_date as parse

    if isinstance(value, date):
        return value
    try:
        return parse(value)
    except ValueError as err:
        raise typer.BadParameter(str(err)) from None


def check_date(value: str | None) -> str | None:
    """Option callback for a date kept as text: :func:`parse_date`'s check."""
    if value is not None:
        parse_date(value)
    return value


def debug_enabled() -> bool:
    return state["debug"] or os.environ.get("KN_DEBUG") == "1"


def _clean(text: str) -> str:
    """Strip control characters from text bound for a terminal (one line)."""
    from koordination.render.terminal import clean

    return clean(text, newlines=False)


def print_error(err: KnError) -> None:
    for problem in err.problems:
        sys.stderr.write(f"error: {_clean(str(problem))}\n")
    sys.stderr.flush()


def interrupted() -> None:
    """End a run stopped with Ctrl-C: one line, exit 130, no traceback. Every write kn makes
    is to a temporary file renamed into place, removed when the write is interrupted."""
    from koordination.cli.interrupt import INTERRUPTED, INTERRUPTED_LINE

    sys.stderr.write(INTERRUPTED_LINE)
    sys.stderr.flush()
    raise SystemExit(INTERRUPTED)


def reports_errors(func: F) -> F:
    """Run a command: a :class:`KnError` becomes one stderr line per problem and its exit code
    (1); anything unexpected becomes one line too, with the traceback only under --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from koordination.io.gate import run

        try:
            with run():  # one run: every file read, and parsed, at most once
                return func(*args, **kwargs)
        except KnError as err:
            if debug_enabled():
                raise
            print_error(err)
            raise typer.Exit(err.exit_code) from None
        except (KeyboardInterrupt, Interrupted):
            if debug_enabled():
                raise
            interrupted()
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise  # exit codes, and bad command lines (exit 2) that click reports
        except OSError as err:  # a file the operating system refused, in the user's words
            if debug_enabled():
                raise
            from koordination.io.gate import why

            where = f"{_clean(str(err.filename))}: " if err.filename else ""
            sys.stderr.write(f"error: {where}{_clean(why(err))}\n")
            raise typer.Exit(1) from None
        except Exception as err:  # a bug in kn: say so in one line
            if debug_enabled():
                raise
            sys.stderr.write(
                f"error: internal error ({type(err).__name__}: {_clean(str(err))}); "
                "run again with --debug for details and report it\n"
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]
