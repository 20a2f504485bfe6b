"""``kn allocate YEAR``: every member's fee, on screen and as the council workbook."""

from __future__ import annotations

import json
import sys
from pathlib import Path

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
        from koordination.cli.whatif import run_what_if

        run_what_if(data, year, with_ or [], without or [], as_json, lang.value, output)
        return
    from koordination.io.datadir import DataDir
    from koordination.io.files import check_writable, run_lock
    from koordination.jobs.allocation import run_allocation
    from koordination.jobs.decision import check

    data_dir = DataDir.resolve(data)
    if output is not None:
        data_dir.check_output(output)
    with run_lock(data_dir.root, create=False):
        run = run_allocation(data_dir, year)
        decision = check(data_dir, run, asked, lang.code)  # refuses before anything is written
        target: Path | None = output
        if target is None and not as_json:
            target = data_dir.reports(year) / f"fordelning-{year}.xlsx"
        if target is not None:
            from koordination.render.xlsx.allocation import allocation_workbook

            check_writable(target)
            decision.workbooks.insert(0, (target, allocation_workbook(run, lang.code)))
        notes = decision.commit()  # every workbook, then the record (reference section 9)
    if as_json:
        from koordination.render.terminal import clean

        for note in notes:
            sys.stderr.write(clean(note, newlines=False) + "\n")
        from koordination.render.json import allocation_json
        from koordination.render.terminal import json_text

        text = json.dumps(allocation_json(run.allocation), ensure_ascii=False)
        sys.stdout.write(json_text(text) + "\n")
        return
    from koordination.render.labels import label
    from koordination.render.text.tables import allocation_table, console, print_table

    out = console()
    print_table(out, allocation_table(run.allocation, lang.code))
    out.print(label("written", lang.code, path=target), soft_wrap=True, markup=False)
    for note in notes:
        out.print(note, soft_wrap=True)
