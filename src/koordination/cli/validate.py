"""``kn validate``: every problem in every file of the data directory, at once."""

from __future__ import annotations

import typer

from koordination.cli.common import DataOption, LangOption, Language, reports_errors


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_command)


@reports_errors
def validate_command(data: DataOption = None, lang: LangOption = Language.sv) -> None:
    """Check network.yaml, every snapshot, budget, actuals file and decision record; list every
    problem, and what the next run still needs (notes)."""
    from koordination.core.errors import DataError
    from koordination.io.datadir import DataDir
    from koordination.jobs.validation import validate_dir
    from koordination.render.labels import label
    from koordination.render.terminal import clean
    from koordination.render.text.tables import console

    data_dir = DataDir.resolve(data)
    report = validate_dir(data_dir)
    out = console()
    for note in report.notes:
        out.print(f"note: {clean(str(note), newlines=False)}",
                  soft_wrap=True, markup=False, highlight=False)
    if report.problems:
        raise DataError(report.problems)
    key = "validate_notes" if report.notes else "validate_ok"
    out.print(label(key, lang.code, path=data_dir.root, count=report.checked,
                    notes=len(report.notes)), soft_wrap=True, markup=False, highlight=False)
