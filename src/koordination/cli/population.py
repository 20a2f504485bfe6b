"""``kn population ...``: the SCB snapshots of the data directory."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from koordination.cli.common import (
    CommandGroup,
    DataOption,
    LangOption,
    Language,
    check_date,
    parse_date,
    reports_errors,
    whole_number,
)

if TYPE_CHECKING:
    from koordination.core.snapshot_results import UpdateResult
    from koordination.render.labels import Lang


class MonthDay(StrEnum):
    dec31 = "12-31"
    nov1 = "11-01"

population_app = typer.Typer(
    cls=CommandGroup, help="List, import and fetch SCB population snapshots.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(population_app, name="population")


@population_app.command("list")
@reports_errors
def list_command(data: DataOption = None, lang: LangOption = Language.sv) -> None:
    """List the snapshots: reference date, municipalities, total population, members present."""
    from koordination.io.datadir import DataDir
    from koordination.jobs.population import list_populations
    from koordination.render.labels import label
    from koordination.render.text.population import missing_lines, snapshots_table
    from koordination.render.text.tables import console

    listing = list_populations(DataDir.resolve(data))
    out = console()
    if not listing.entries:
        out.print(label("pop_none", lang.code, path=listing.folder))
    else:
        out.print(snapshots_table(listing, lang.code))
    for line in missing_lines(listing, lang.code):
        out.print(line, soft_wrap=True, markup=False, highlight=False)


def _report(result: UpdateResult, lang: Lang) -> None:
    from koordination.render.terminal import clean
    from koordination.render.text.population import update_report

    sys.stdout.write(clean(update_report(result, lang), newlines=False) + "\n")


@population_app.command("import")
@reports_errors
def import_command(
    file: Annotated[Path, typer.Argument(help="The table: Statistikdatabasen's CSV or xlsx "
                                         "export, a CSV with kommunkod and folkmängd columns, "
                                         "or json-stat2; - reads it from standard input.",
                                         dir_okay=False, show_default=False)],
    day: Annotated[str | None, typer.Option(
        "--date", help="The reference date YYYY-MM-DD (default: 31 December of the file's year).",
        show_default=False, callback=check_date)] = None,
    column: Annotated[str | None, typer.Option(
        "--column", help="The heading of the column of figures, when the table holds more "
        "than one for the year (Folkmängd 2024 beside Folkökning 2024).",
        show_default=False)] = None,
    data: DataOption = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing snapshot that has different numbers.")] = False,
    lang: LangOption = Language.sv,
) -> None:
    """Import an SCB population table as populations/<date>.csv."""
    from koordination.io.datadir import DataDir
    from koordination.jobs.population import import_file

    when = parse_date(day) if day else None
    _report(import_file(DataDir.resolve(data), file, when, force, column), lang.code)


@population_app.command("fetch")
@reports_errors
def fetch_command(
    year: Annotated[int, typer.Argument(help="The year of the figures, e.g. 2024.",
                                        parser=whole_number(1968, 2100, "a year", 2024),
                                        metavar="YEAR")],
    day: Annotated[MonthDay, typer.Option(
        "--date", help="31 December (TAB638, from 2025 TAB5557) or 1 November (TAB1267).")
    ] = MonthDay.dec31,
    data: DataOption = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing snapshot that has different numbers.")] = False,
    lang: LangOption = Language.sv,
    api: Annotated[str | None, typer.Option(
        "--api", help="The address of SCB's PxWebApi 2.0 (default: $KN_SCB_API, else SCB's "
        "public address).", envvar="KN_SCB_API", show_envvar=False, metavar="URL",
        show_default=False)] = None,
    timeout: Annotated[int, typer.Option(
        "--timeout", help="Give up when SCB has not answered in full within this many "
        "seconds; nothing is written.", parser=whole_number(1, 3600, "a number of seconds", 60),
        metavar="SECONDS")] = 60,
) -> None:
    """Fetch the population of every municipality from SCB's API (PxWebApi 2.0) and write
    populations/<date>.csv."""
    from koordination.io.datadir import DataDir
    from koordination.jobs.population import fetch

    data_dir = DataDir.resolve(data)
    if not sys.stderr.isatty():
        _report(fetch(data_dir, year, day.value, force, base=api, deadline=timeout), lang.code)
        return
    from koordination.render.labels import label
    from koordination.render.text.tables import console

    with console(stderr=True).status(label("pu_fetching", lang.code, year=year)) as status:
        result = fetch(data_dir, year, day.value, force, progress=status.update, base=api,
                       deadline=timeout)
    _report(result, lang.code)
