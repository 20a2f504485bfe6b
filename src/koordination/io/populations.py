"""Population snapshots in kn's own format: ``populations/YYYY-MM-DD.csv``.

UTF-8, header ``kommunkod,kommun,folkmangd``; the file name is the SCB reference date.
Read with the csv module (no pandas): this is on the path of every allocation.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import TypeVar

from koordination.core.dates import parse_date
from koordination.core.errors import DataError, Problem
from koordination.core.models import MAX_POPULATION, MAX_POPULATION_TEXT, Forecast, Snapshot
from koordination.core.municipalities import by_code, names_agree
from koordination.io.gate import read_text
from koordination.io.table import read_csv

HEADER = ["kommunkod", "kommun", "folkmangd"]
FORECAST_HEADER = ["kommunkod", "kommun", "year", "folkmangd"]
FORECAST_NAME = "forecast.csv"
FILE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.csv$")
T = TypeVar("T")


def list_snapshots(directory: Path) -> list[tuple[date, Path]]:
    """The snapshot files of a populations or statistic directory, by date (files not named
    by a date are left for the stray files' check)."""
    paths = directory.iterdir() if directory.is_dir() else iter(())
    return sorted((day, path) for path in paths if (day := _named_day(path)) is not None)


def _named_day(path: Path) -> date | None:
    """The date a snapshot's file name gives (``YYYY-MM-DD.csv``), if it is one."""
    match = FILE_NAME.match(path.name)
    try:
        return parse_date(match.group(1)) if match else None
    except ValueError:
        return None


def code_rows(text: str, header: list[str], file: str, problems: list[Problem], hint: str = ""
              ) -> Iterator[tuple[str, list[str]]]:
    """The rows of a CSV file keyed by SCB code (a snapshot, a statistic, a forecast): each
    row's place ("row 7") and its cells, stripped, with the code first. The header must be
    ``header``; a row with another number of columns or a code that is no municipality's is
    added to ``problems``, in file order with the caller's own; blank rows are passed over.
    ``hint`` follows the header's problem."""
    expected = ",".join(header)
    table = read_csv(text, file, ",")
    first = table.rows[0] if table.rows else None
    if first is None:
        raise DataError(Problem(f"file is empty; expected header {expected}", file))
    if first.number != 1 or [c.text for c in first.cells] != header:
        shown = ",".join(c.text for c in first.cells) if first.number == 1 else ""
        raise DataError(Problem(f"header is {shown!r}; expected {expected}{hint}", file,
                                "row 1"))
    for row in table.rows[1:]:
        where = f"row {row.number}"
        if row.width != len(header):
            problems.append(Problem(f"expected {len(header)} columns, found {row.width}", file,
                                    where))
            continue
        cells = [c.text for c in row.cells]
        muni = by_code(cells[0]) if re.fullmatch(r"[0-9]{4}", cells[0]) else None
        if muni is None:
            problems.append(Problem(f"kommunkod {cells[0]!r} is not a Swedish municipality's "
                                    "4-digit SCB code", file, where))
            continue
        if cells[1] and not names_agree(muni.name, cells[1]):
            problems.append(Problem(f"kommunkod {cells[0]} is {muni.name}'s, but the name is "
                                    f"{cells[1][:60]!r}; correct the code or the name", file,
                                    where))
            continue
        yield where, cells


def code_values(text: str, header: list[str], file: str, hint: str,
                read: Callable[[str], T]) -> tuple[dict[str, T], dict[str, str]]:
    """The figure and the name per code of a file of kn's own (a snapshot, a statistic):
    ``read`` turns a value's text into its figure or raises ValueError with what is wrong.
    Every bad row is a problem: a value ``read`` refuses, a code twice, none at all."""
    problems: list[Problem] = []
    values: dict[str, T] = {}
    names: dict[str, str] = {}
    for where, (code, name, raw) in code_rows(text, header, file, problems, hint):
        try:
            value = read(raw)
        except ValueError as err:
            problems.append(Problem(str(err), file, where))
            continue
        if code in values:
            problems.append(Problem(f"kommunkod {code} appears twice", file, where))
            continue
        values[code] = value
        names[code] = name
    if problems:
        raise DataError(problems)
    if not values:
        raise DataError(Problem("no municipalities in the file", file))
    return values, names


def _persons(value: str) -> int:
    """A snapshot's folkmangd: a whole number of persons, 0 to :data:`MAX_POPULATION`."""
    if not re.fullmatch(r"[0-9]+", value):
        kind = "negative" if value.startswith("-") and value[1:].replace(".", "").isdigit() \
            else "decimal" if re.fullmatch(r"\d+[.,]\d+", value) else "not a number"
        raise ValueError(f"folkmangd {value!r} is {kind}; expected a whole number of persons, "
                         "0 or more")
    if len(value.lstrip("0")) > 8 or int(value) > MAX_POPULATION:
        raise ValueError(f"folkmangd {value[:20]}{'...' if len(value) > 20 else ''} is more "
                         f"than any municipality has (at most {MAX_POPULATION_TEXT}); check "
                         "the digits")
    return int(value)


def read_dated_csv(path: Path, file: str, what: str, kind: str) -> tuple[date, str]:
    """The date a snapshot's file name gives (``YYYY-MM-DD.csv``) and its text, read as an
    input (a regular file of bounded size) and decoded as UTF-8. ``what`` and ``kind`` name
    the file in messages ("snapshot", "population snapshot")."""
    day = _named_day(path)
    if day is None:
        raise DataError(Problem(f"a {what}'s file name must be its date, YYYY-MM-DD.csv", file))
    return day, read_text(path, "snapshot", file, kind)


def read_snapshot(path: Path, name: str | None = None) -> Snapshot:
    """Read and check ``populations/YYYY-MM-DD.csv``; every bad row is a problem."""
    file = name or str(path)
    day, text = read_dated_csv(path, file, "snapshot", "population snapshot")
    populations, names = code_values(text, HEADER, file,
                                     " (use 'kn population import' for SCB exports)", _persons)
    return Snapshot(date=day, populations=populations, names=names, source=file)


def format_snapshot(populations: Mapping[str, int]) -> bytes:
    """The bytes of a snapshot file, codes in order, names from the register."""
    return code_csv(HEADER, {code: str(n) for code, n in populations.items()})


def code_csv(header: list[str], values: Mapping[str, str]) -> bytes:
    """The bytes of a file of kn's own by SCB code (a snapshot, a statistic): ``header``, then
    a row per code in order, with its name from the register and its value as written."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for code in sorted(values):
        muni = by_code(code)
        writer.writerow([code, muni.name if muni else code, values[code]])
    return out.getvalue().encode("utf-8")


def read_forecast(path: Path, name: str | None = None) -> Forecast:
    """Read and check ``populations/forecast.csv`` (``kommunkod,kommun,year,folkmangd``): one
    whole number of persons per municipality and year; every bad row is a problem."""
    file = name or str(path)
    if not os.path.lexists(path):
        raise DataError(Problem(
            "file not found; plan.population is forecast, so write the municipalities' "
            "forecasts here (header kommunkod,kommun,year,folkmangd)", file))
    text = read_text(path, "forecast", file)
    problems: list[Problem] = []
    figures: dict[int, dict[str, int]] = {}
    names: dict[str, str] = {}
    for where, (code, kommun, year_text, value) in code_rows(text, FORECAST_HEADER, file,
                                                             problems):
        if not re.fullmatch(r"\d{4}", year_text):
            problems.append(Problem(f"year {year_text!r} is not a year (YYYY)", file, where))
            continue
        if not re.fullmatch(r"\d+", value):
            problems.append(Problem(f"folkmangd {value!r} is not a whole number of persons, "
                                    "0 or more", file, where))
            continue
        year = int(year_text)
        if code in figures.setdefault(year, {}):
            problems.append(Problem(f"kommunkod {code} appears twice for {year}; give one "
                                    "figure per municipality and year", file, where))
            continue
        figures[year][code] = int(value)
        names[code] = kommun
    if problems:
        raise DataError(problems)
    if not figures:
        raise DataError(Problem("no forecasts in the file", file))
    return Forecast(figures=figures, names=names, source=file)
