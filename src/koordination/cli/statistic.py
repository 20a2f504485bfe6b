"""``kn statistic ...``: the statistic snapshots a key may count (reference 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from koordination.cli.common import (
    CommandGroup,
    DataOption,
    LangOption,
    Language,
    check_date,
    parse_date,
    reports_errors,
)

statistic_app = typer.Typer(
    cls=CommandGroup,
    help="List and import statistic snapshots (statistics/NAME/YYYY-MM-DD.csv) for keys on "
    "more than population.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(statistic_app, name="statistic")


@statistic_app.command("list")
@reports_errors
def list_command(data: DataOption = None, lang: LangOption = Language.sv) -> None:
    """List the statistic snapshots: name, reference date, municipalities, sum of the values,
    members present, and whether the key counts the statistic."""
    from koordination.io.datadir import DataDir, load_network
    from koordination.jobs.statistic import list_statistic_files
    from koordination.render.labels import label
    from koordination.render.text.statistic import missing_lines, statistics_table
    from koordination.render.text.tables import console, print_table

    lg = lang.code
    data_dir = DataDir.resolve(data)
    network = load_network(data_dir)
    files = list_statistic_files(data_dir, network)
    out = console()
    if files:
        print_table(out, statistics_table(network, data_dir.statistics, files, lg))
    else:
        out.print(label("stat_none", lg, path=data_dir.statistics))
    for line in missing_lines(network, files, lg):
        out.print(line)


def _check_name(value: str) -> str:
    from koordination.core.models import STATISTIC_NAME

    if not STATISTIC_NAME.match(value):
        raise typer.BadParameter(f"{value!r} is not a statistic's name: lower case letters, "
                                 "digits and hyphens, such as befolkning-16-64")
    return value


def _check_age(value: str | None) -> str | None:
    if value is not None:
        from koordination.jobs.statistic import parse_age_band

        try:
            parse_age_band(value)
        except ValueError as err:
            raise typer.BadParameter(str(err)) from None
    return value


@statistic_app.command("import")
@reports_errors
def import_command(
    name: Annotated[str, typer.Argument(
        help="The statistic's name, its folder under statistics/ (lower case letters, digits "
        "and hyphens), e.g. befolkning-16-64 or skatteunderlag.", callback=_check_name,
        show_default=False)],
    file: Annotated[Path, typer.Argument(
        help="The table: Statistikdatabasen's CSV or xlsx export (also by age), a CSV with "
        "kommunkod and value columns (such as Kolada's), or json-stat2.", dir_okay=False,
        show_default=False)],
    day: Annotated[str, typer.Option(
        "--date", help="The reference date YYYY-MM-DD of the figures.", show_default=False,
        callback=check_date)],
    age: Annotated[str | None, typer.Option(
        "--age", help="Sum a table by age over this band, FROM-TO or FROM+ (0-100+), e.g. "
        "16-64.", show_default=False, callback=_check_age)] = None,
    column: Annotated[str | None, typer.Option(
        "--column", help="The heading of the column of figures (default: the one headed "
        "value, värde, antal or folkmängd, or the year's column).", show_default=False)] = None,
    data: DataOption = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing snapshot that has different values.")] = False,
    lang: LangOption = Language.sv,
) -> None:
    """Import an SCB or Kolada table as statistics/NAME/<date>.csv."""
    import sys

    from koordination.io.datadir import DataDir
    from koordination.jobs.statistic import import_statistic, parse_age_band
    from koordination.render.terminal import clean
    from koordination.render.text.statistic import import_report

    band = parse_age_band(age) if age is not None else None
    result = import_statistic(DataDir.resolve(data), name, file, parse_date(day),
                              band, column, force)
    sys.stdout.write(clean(import_report(result, lang.code), newlines=False) + "\n")
