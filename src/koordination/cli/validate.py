"""``kn validate``: every problem in every file of the data directory, at once."""

from __future__ import annotations

import typer

from koordination.cli.common import DataOption, LangOption, Language, reports_errors


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_command)


@reports_errors
def validate_command(data: DataOption = None, lang: LangOption = Language.sv) -> None:
    """Check network.yaml, every snapshot, budget and actuals file; list all problems."""
    from koordination.core.errors import DataError
    from koordination.io.datadir import DataDir
    from koordination.jobs.validation import invoicing_notes, validate_dir
    from koordination.render.labels import label
    from koordination.render.text.tables import console

    data_dir = DataDir.resolve(data)
    problems, checked = validate_dir(data_dir)
    if problems:
        raise DataError(problems)
    import sys

    from koordination.render.terminal import clean

    for note in invoicing_notes(data_dir):
        sys.stderr.write(clean(note, newlines=False) + "\n")
    console().print(label("validate_ok", lang.code, path=data_dir.root, count=checked),
                    soft_wrap=True, markup=False)
