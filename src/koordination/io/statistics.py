"""Statistic snapshots in kn's own format: ``statistics/NAME/YYYY-MM-DD.csv`` (reference 7).

UTF-8, header ``kommunkod,kommun,value``; the folder is the statistic's name (lower case
letters, digits and hyphens), the file name its reference date. A value is a non-negative
number, possibly with decimals ("1234.5"), read as an exact Decimal. Read with the csv
module: this is on the path of every allocation whose key counts a statistic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

from koordination.core.models import STATISTIC_NAME, Statistic
from koordination.io.populations import (
    FILE_NAME,
    code_csv,
    code_values,
    list_snapshots,
    read_dated_csv,
)

HEADER = ["kommunkod", "kommun", "value"]
VALUE = re.compile(r"^\d+(\.\d+)?$")


def list_statistics(directory: Path) -> dict[str, list[tuple[date, Path]]]:
    """Every statistic folder under ``directory`` (``DIR/statistics``) with its snapshot
    files by date; folders not named as a statistic are left out."""
    folders = sorted(directory.iterdir()) if directory.is_dir() else []
    return {folder.name: list_snapshots(folder) for folder in folders
            if folder.is_dir() and STATISTIC_NAME.match(folder.name)}


def stray_files(directory: Path) -> list[Path]:
    """Files under ``directory`` that are not a statistic snapshot: folders with a name that
    is not a statistic's, and CSV files not named by a date."""
    stray: list[Path] = []
    if not directory.is_dir():
        return stray
    for folder in sorted(directory.iterdir()):
        if not folder.is_dir() or not STATISTIC_NAME.match(folder.name):
            stray.append(folder)
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix == ".csv" and not FILE_NAME.match(path.name):
                stray.append(path)
    return stray


def _value(text: str) -> Decimal:
    """A value as written ("1234", "1234.5"): an exact Decimal."""
    if not VALUE.match(text):
        kind = "negative" if re.fullmatch(r"-\d+(\.\d+)?", text) else "not a number"
        raise ValueError(f"value {text!r} is {kind}; expected a number 0 or more, with a point "
                         "for decimals (1234.5)")
    return Decimal(text)


def read_statistic(path: Path, name: str | None = None) -> Statistic:
    """Read and check ``statistics/NAME/YYYY-MM-DD.csv``, the statistic named by its folder;
    every bad row is a problem."""
    file = name or str(path)
    day, text = read_dated_csv(path, file, "statistic", "statistic snapshot")
    values, names = code_values(text, HEADER, file, " (use 'kn statistic import' for SCB and "
                                "Kolada exports)", _value)
    return Statistic(name=path.parent.name, date=day, values=values, names=names, source=file)


def format_statistic(values: Mapping[str, Decimal]) -> bytes:
    """The bytes of a statistic file, codes in order, names from the register, values as
    exact decimals (no exponent, no trailing zeros after the point)."""
    return code_csv(HEADER, {code: plain_number(value) for code, value in values.items()})


def plain_number(value: Decimal) -> str:
    """``value`` written out in full: 1234, 1234.5 (never 1.2345E+3)."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
