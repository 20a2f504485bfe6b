"""``kn allocate YEAR``: every member's fee, on screen and as the council workbook."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from koordination.cli.common import (
    DataOption,
    JsonOption,
    LangOption,
    Language,
    OutOption,
    YearArgument,
    reports_errors,
)
from koordination.cli.decision_options import (
    DecidedByOption,
    DecisionDateOption,
    FinalOption,
    RefOption,
    ReviseOption,
    request,
)
from koordination.cli.whatif import WithOption, WithoutOption

if TYPE_CHECKING:
    from koordination.core.results import AllocationRun
    from koordination.render.labels import Lang


def register(app: typer.Typer) -> None:
    app.command("allocate")(allocate_command)


@reports_errors
def allocate_command(
    year: YearArgument,
    data: DataOption = None,
    output: OutOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.sv,
    with_: WithOption = None,
    without: WithoutOption = None,
    final: FinalOption = False,
    revise: ReviseOption = False,
    decided_by: DecidedByOption = None,
    decision_date: DecisionDateOption = None,
    ref: RefOption = None,
) -> None:
    """Compute every member's fee for YEAR, print the table and write the workbook."""
    asked = request(final, revise, decided_by, decision_date, ref)
    if with_ or without:
        if final or revise:
            raise typer.BadParameter("--with/--without write nothing and cannot be combined "
                                     "with --final or --revise")
        from koordination.cli.whatif import what_if_command

        what_if_command(data, year, with_ or [], without or [], as_json, lang.code, output)
        return
    from koordination.io.datadir import DataDir
    from koordination.jobs.allocate import allocate_year, default_target

    data_dir = DataDir.resolve(data)
    if output is not None:
        data_dir.check_output(output)
    target = output
    if target is None and not as_json:
        target = default_target(data_dir, year)
    result = allocate_year(data_dir, year, target, asked, lang.code)
    if as_json:
        from koordination.render.json import allocation_json, json_line
        from koordination.render.terminal import clean

        for note in [*result.notes, *_sheet_note(result.run, lang.code)]:
            sys.stderr.write(clean(note, newlines=False) + "\n")
        sys.stdout.write(json_line(allocation_json(result.run.allocation)))
        return
    from koordination.render.labels import label
    from koordination.render.text.tables import allocation_table, console, print_table

    out = console()
    print_table(out, allocation_table(result.run.allocation, lang.code))
    out.print(label("written", lang.code, path=result.written), soft_wrap=True, markup=False)
    for note in result.notes:
        out.print(note, soft_wrap=True)
    for note in _sheet_note(result.run, lang.code):
        out.print(note, soft_wrap=True, markup=False)


def _sheet_note(run: AllocationRun, lang: Lang) -> list[str]:
    """Which sheet a workbook budget was read from (reference section 2): said every time."""
    from koordination.render.labels import label

    sheet = run.allocation.budget.sheet
    path = next((p for kind, p in run.inputs.files if kind == "budget"), None)
    return [label("read_sheet", lang, sheet=sheet, path=path)] if sheet else []
