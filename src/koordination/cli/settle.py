"""``kn settle YEAR``: the year-end settlement per member, on screen and as a workbook; with
``--final`` the settlement decision that settlement invoices rest on."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

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
    RefOption,
    request,
)

if TYPE_CHECKING:
    from koordination.jobs.settle import Settled
    from koordination.render.labels import Lang

SettleFinalOption = Annotated[
    bool,
    typer.Option("--final", help="Record the settlement as decided in "
                 "decisions/settlement-YEAR.json (never overwritten); the settlement's "
                 "invoices rest on it."),
]


def register(app: typer.Typer) -> None:
    app.command("settle")(settle_command)


@reports_errors
def settle_command(
    year: YearArgument,
    data: DataOption = None,
    output: OutOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.sv,
    final: SettleFinalOption = False,
    decided_by: DecidedByOption = None,
    decision_date: DecisionDateOption = None,
    ref: RefOption = None,
) -> None:
    """Settle YEAR: actual costs against the fees charged, shared by the year's key; print
    the table and write the workbook. Actuals with through: DATE give the forecast
    (prognos-YEAR.xlsx): the settlement the year is expected to end with. With --final, record
    the settlement decision that settlement invoices rest on."""
    from koordination.io.datadir import DataDir
    from koordination.jobs.settle import settle_year

    if not final and (decided_by or decision_date or ref):
        raise typer.BadParameter("--decided-by, --decision-date and --ref describe a "
                                 "decision; give them with --final")
    asked = request(final, False, decided_by, decision_date, ref)
    data_dir = DataDir.resolve(data)
    if output is not None:
        data_dir.check_output(output)
    settled = settle_year(data_dir, year, output, lang.code, default=not as_json,
                          request=asked)
    run, target = settled.run, settled.target
    notes = _notes(settled, lang.code)
    if as_json:
        from koordination.render.json import json_line, settlement_json

        payload = settlement_json(run.settlement)
        source = run.charged.source
        payload["charged_from"] = source if source == "recomputed" \
            else run.inputs.shown(source)
        record = settled.record
        payload["decision"] = None if record is None else {
            "file": record.path.name, "decision_date": record.decision_date,
            "decided_by": record.decided_by, "ref": record.ref}
        sys.stdout.write(json_line(payload))
        for note in notes:
            sys.stderr.write(note + "\n")
        return
    from koordination.render.labels import label
    from koordination.render.text.tables import console, settlement_summary, settlement_table

    out = console()
    out.print(settlement_table(run.settlement, lang.code))
    out.print(settlement_summary(run.settlement, lang.code))
    if run.settlement.forecast is not None:
        out.print(label("f_note", lang.code), soft_wrap=True, markup=False)
    if run.charged.source != "recomputed":
        out.print(label("sm_charged_decision", lang.code, year=year, file=run.charged.source),
                  soft_wrap=True, markup=False)
    out.print(label("written", lang.code, path=target), soft_wrap=True, markup=False)
    for note in notes:
        out.print(note, soft_wrap=True, markup=False)


def _notes(settled: Settled, lang: Lang) -> list[str]:
    """What the run did about the settlement decision, one line each."""
    from koordination.render.labels import label
    from koordination.render.text.decision import describe, who

    record = settled.record
    if record is None:
        return []
    if settled.recorded is not None:
        return [label("d_settlement_recorded", lang, when=record.decision_date + who(record),
                      path=settled.recorded)]
    return [label("d_settlement_matches", lang, record=describe(record, lang),
                  path=record.path)]
