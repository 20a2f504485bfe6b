"""``kn allocate YEAR``: every member's fee, on screen and as the council workbook."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from koordination.cli.common import (
    DataOption,
    JsonOption,
    Language,
    LangOption,
    OutOption,
    YearArgument,
    reports_errors,
)


def register(app: typer.Typer) -> None:
    app.command("allocate")(allocate_command)


@reports_errors
def allocate_command(
    year: YearArgument,
    data: DataOption = None,
    output: OutOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.sv,
) -> None:
    """Compute every member's fee for YEAR, print the table and write the workbook."""
    from koordination.datadir import DataDir
    from koordination.io.files import atomic_write, run_lock
    from koordination.jobs import run_allocation

    data_dir = DataDir.resolve(data)
    run = run_allocation(data_dir, year)
    target: Path | None = output
    if target is None and not as_json:
        target = data_dir.reports(year) / f"fordelning-{year}.xlsx"
    if target is not None:
        from koordination.io.workbook import allocation_workbook

        content = allocation_workbook(run, lang.value)
        with run_lock(data_dir.root):
            atomic_write(target, content)
    if as_json:
        from koordination.report import allocation_json

        sys.stdout.write(json.dumps(allocation_json(run.allocation), ensure_ascii=False) + "\n")
        return
    from koordination.render import allocation_table, console, print_table

    out = console()
    print_table(out, allocation_table(run.allocation, lang.value))
    out.print(f"{target}")
