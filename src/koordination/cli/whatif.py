"""``kn allocate YEAR --with KOMMUN / --without KOMMUN``: each member's fee beside today's if a
municipality joined or left for the whole year. Prints only; writes no file."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from koordination.render.labels import Lang

WithOption = Annotated[
    list[str] | None,
    typer.Option("--with", help="What if this municipality were a member all year (repeatable). "
                 "Prints the fees beside today's and writes no file.", show_default=False,
                 metavar="KOMMUN"),
]
WithoutOption = Annotated[
    list[str] | None,
    typer.Option("--without", help="What if this member were out all year (repeatable). "
                 "Prints the fees beside today's and writes no file.", show_default=False,
                 metavar="KOMMUN"),
]


def what_if_command(data: Path | None, year: int, add: Sequence[str], remove: Sequence[str],
                    as_json: bool, lang: Lang, output: Path | None = None) -> None:
    """Compute the what-if and print it (no file is written)."""
    from koordination.core.errors import DataError, Problem
    from koordination.io.datadir import DataDir
    from koordination.jobs.whatif import run_what_if

    if output is not None:
        raise DataError(Problem("a what-if (--with/--without) writes no file; leave out -o",
                                None, "-o"))
    result = run_what_if(DataDir.resolve(data), year, add, remove)
    if as_json:
        from koordination.render.json import json_line, what_if_json

        sys.stdout.write(json_line(what_if_json(result)))
        return
    from koordination.render.text.tables import console
    from koordination.render.text.whatif import what_if_table

    console().print(what_if_table(result, lang))
