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
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
import typer.core

from koordination.cli import interrupt
from koordination.cli.interrupt import Interrupted
from koordination.core.errors import KnError

if TYPE_CHECKING:  # the labels themselves are loaded by the commands that print them
    from koordination.render.labels import Lang

F = TypeVar("F", bound=Callable[..., Any])

DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="The cooperation's data directory (default: $KN_DATA, else "
                 "./data).", envvar="KN_DATA", show_envvar=False, show_default=False),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print only JSON on stdout; write a workbook only with -o.")
]
#: ``--json`` of a command that writes no workbook.
PrintJsonOption = Annotated[bool, typer.Option("--json", help="Print only JSON on stdout.")]
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
#: The fee years kn computes.
FIRST_YEAR, LAST_YEAR = 1971, 2100


def whole_number(low: int, high: int, what: str, example: int) -> Callable[[str | int], int]:
    """A parser of a whole-number argument or option from ``low`` to ``high``: digits only,
    refused in the user's words ("'abc' is not a year; ...")."""

    def parse(value: str | int) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()):
            raise typer.BadParameter(f"{text!r} is not {what}; write it in digits, e.g. "
                                     f"{example}")
        number = int(text)
        if not low <= number <= high:
            raise typer.BadParameter(f"{text} is outside {low}-{high}; give {what} from {low} "
                                     f"to {high}")
        return number

    return parse


fee_year = whole_number(FIRST_YEAR, LAST_YEAR, "a year", 2015)

YearArgument = Annotated[
    int, typer.Argument(help="The fee year, e.g. 2015.", parser=fee_year, metavar="YEAR")
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
    return state["debug"] or os.environ.get("KN_DEBUG", "").lower() in ("1", "true", "yes", "on")


def _clean(text: str) -> str:
    """Strip control characters from text bound for a terminal (one line)."""
    from koordination.render.terminal import clean

    return clean(text, newlines=False)


def _hint(err: Exception) -> str | None:
    """The argument or option a command-line error is about, as the user types it."""
    hint = getattr(err, "param_hint", None)
    if isinstance(hint, (list, tuple)):
        hint = "/".join(str(h) for h in hint)
    if not hint:
        param = getattr(err, "param", None)
        opts = [o for o in getattr(param, "opts", []) if o.startswith("-")]
        name = getattr(param, "name", None)
        hint = (max(opts, key=len) if opts else getattr(param, "metavar", None)
                or (name.upper() if isinstance(name, str) else None))
    return str(hint).strip("'\"{}") if hint else None


def _words(message: str) -> str:
    """A library's message about a value, in kn's words."""
    import re

    text = message.strip().removeprefix("Value error, ").rstrip(".")
    if "valid integer" in text:
        return "not a whole number; write it in digits"
    choice = re.fullmatch(r"(.*) is not one of (.*)", text, re.S)
    if choice:
        options = ", ".join(o.strip().strip("'\"") for o in choice.group(2).split(","))
        return f"{choice.group(1)} is not one of {options}"
    return text[:1].lower() + text[1:]


def bad_command_line(err: Exception, command: str | None = None) -> None:
    """A command-line error of click or typer (a usage error: exit code 2, with a message)
    becomes one line on stderr, ``error: kn COMMAND: OPTION: what is wrong``, and exit 2;
    ``command`` ("kn population fetch") names the command when the error does not. Anything
    else is left to the caller; a request for help (``kn`` alone) is shown as such."""
    if isinstance(err, (typer.Exit, typer.Abort)) or getattr(err, "exit_code", None) != 2 \
            or not callable(getattr(err, "format_message", None)):
        return
    ctx = getattr(err, "ctx", None)
    message = str(getattr(err, "message", None) or err.format_message())  # type: ignore[attr-defined]
    if ctx is not None and message == ctx.get_help():
        return  # a group given no command: its help
    kind = type(err).__name__
    hint = _hint(err)
    if kind == "NoSuchOption":
        words = f"no such option: {getattr(err, 'option_name', '')}"
        possible = sorted(getattr(err, "possibilities", None) or [])
        if possible:
            words += f" (did you mean {' or '.join(possible)}?)"
        hint = None
    elif kind == "MissingParameter" and hint:
        words, hint = f"{hint} is missing", None
    else:
        words = _words(message)
    path = getattr(ctx, "command_path", None) or command or "kn"
    where = f"{path}: {hint}: " if hint else f"{path}: "
    sys.stderr.write(f"error: {_clean(where + words)} (see '{path} --help')\n")
    sys.stderr.flush()
    raise typer.Exit(2) from None


class CommandGroup(typer.core.TyperGroup):
    """A group of commands (kn itself, kn population, ...) whose bad command lines are one
    ``error:`` line and exit 2 (:func:`bad_command_line`), naming the command being run, and
    whose mistyped command names get the closest command offered."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        commands = self.list_commands(ctx)
        if name and not name.startswith("-") and name not in commands:
            from difflib import get_close_matches

            close = get_close_matches(name, commands, n=1)
            if close:
                ctx.fail(f"No such command {name!r} (did you mean {close[0]}?)")
        return super().resolve_command(ctx, args)

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
            # a command's option without its value is found before the command's context
            # exists: the line names the command all the same
            sub = ctx.invoked_subcommand
            bad_command_line(err, f"{ctx.command_path} {sub}" if sub else None)
            raise


def print_error(err: KnError) -> None:
    for problem in err.problems:
        sys.stderr.write(f"error: {_clean(str(problem))}\n")
    sys.stderr.flush()


def _report(err: Exception) -> NoReturn:
    """A :class:`KnError` as one stderr line per problem and its exit code (1); a file the
    operating system refused, in the user's words; anything else, a bug in kn, in one line."""
    if isinstance(err, KnError):
        print_error(err)
        raise typer.Exit(err.exit_code) from None
    if isinstance(err, OSError):
        from koordination.io.gate import why

        where = f"{_clean(str(err.filename))}: " if err.filename else ""
        sys.stderr.write(f"error: {where}{_clean(why(err))}\n")
    else:
        sys.stderr.write(f"error: internal error ({type(err).__name__}: {_clean(str(err))}); "
                         "run again with --debug for details and report it\n")
    raise typer.Exit(1) from None


def reports_errors(func: F) -> F:
    """Run a command: a :class:`KnError` becomes one stderr line per problem and its exit code
    (1); anything unexpected becomes one line too, with the traceback only under --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from koordination.io.gate import run

        try:
            with run():  # one run: every file read, and parsed, at most once
                return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise  # exit codes, and bad command lines (exit 2) that click reports
        except (Exception, KeyboardInterrupt, Interrupted) as err:
            if debug_enabled():
                raise
            if isinstance(err, Exception) and not interrupt.received:
                _report(err)
            interrupt.end()  # Ctrl-C, also when a library turned it into an error of its own

    return wrapper  # type: ignore[return-value]
