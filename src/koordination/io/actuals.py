"""Reading the outcome of a year (``actuals/YYYY.yaml`` or ``.xlsx``) into
:class:`~koordination.core.models.Actuals`.

The file holds the actual cost per line (names may differ from the budget), the actual
funding, and one-off costs with the date whose members share them (reference section 2).
With ``through: DATE`` it is the outcome so far, and a line may give ``forecast``, its
expected cost for the whole year (reference section 14).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from koordination.core.errors import DataError, Problem
from koordination.core.models import ActualLine, Actuals, Funding, OneOff, name_key
from koordination.io.validation import (
    Day,
    Money,
    Name,
    Strict,
    Year,
    problems_from,
    split_decimals,
    year_problem,
)
from koordination.io.yamlfile import read_yaml


class ActualLineEntry(Strict):
    name: Name
    amount: Money
    forecast: Money | None = None


class OneOffEntry(Strict):
    name: Name
    amount: Money
    date: Day


class FundingEntry(Strict):
    name: Name
    amount: Money


class ActualsFile(Strict):
    year: Year
    through: Day | None = None
    lines: list[ActualLineEntry] = Field(min_length=1)
    one_off: list[OneOffEntry] = Field(default_factory=list)
    funding: list[FundingEntry] = Field(default_factory=list)


def _check(raw: ActualsFile, file: str, file_year: int | None) -> list[Problem]:
    problems: list[Problem] = []
    if file_year is not None and raw.year != file_year:
        problems.append(year_problem(raw.year, file_year, file))
    if raw.through is not None and raw.through.year != raw.year:
        problems.append(Problem(f"{raw.through} is not in {raw.year}; through: is the last day "
                                f"of {raw.year} the outcome so far covers", file, "through"))
    seen: dict[str, int] = {}
    for i, line in enumerate(raw.lines):
        where = f"lines[{i}]"
        if line.amount < 0:
            problems.append(Problem(f"actual cost must not be negative (got {line.amount}); "
                                    "enter grants and refunds under funding", file,
                                    f"{where}.amount"))
        if line.forecast is not None and raw.through is None:
            problems.append(Problem("a forecast belongs to an outcome so far; add through: "
                                    "YYYY-MM-DD (the last day the amounts cover), or remove "
                                    "forecast once the year is closed", file,
                                    f"{where}.forecast"))
        elif line.forecast is not None and line.forecast < 0:
            problems.append(Problem(f"a forecast cost must not be negative (got "
                                    f"{line.forecast}); enter grants and refunds under "
                                    "funding", file, f"{where}.forecast"))
        key = name_key(line.name)
        if key in seen:
            problems.append(Problem(f"'{line.name}' is already lines[{seen[key]}]; combine the "
                                    "two or name them apart", file, f"{where}.name"))
        else:
            seen[key] = i
    for i, cost in enumerate(raw.one_off):
        where = f"one_off[{i}]"
        if cost.amount < 0:
            problems.append(Problem(f"a one-off cost must not be negative (got {cost.amount})",
                                    file, f"{where}.amount"))
        if cost.date.year != raw.year:
            problems.append(Problem(f"{cost.date} is not in {raw.year}; a one-off cost is "
                                    "settled in the year of its date", file, f"{where}.date"))
    problems.extend(Problem(f"funding must not be negative (got {source.amount})", file,
                            f"funding[{i}].amount")
                    for i, source in enumerate(raw.funding) if source.amount < 0)
    return problems


def build_actuals(data: Any, file: str, file_year: int | None) -> Actuals:
    """Check parsed actuals (from YAML or Excel) and build :class:`Actuals`; every problem of
    the file is reported at once."""
    if data is None:
        raise DataError(Problem("file is empty; see the actuals format in the README", file))
    if not isinstance(data, dict):
        raise DataError(Problem("expected keys year, lines and optionally through, one_off, "
                                "funding", file))
    split = split_decimals(data, file)
    try:
        raw = ActualsFile.model_validate(data)
    except ValidationError as err:
        raise DataError(split + problems_from(err, file)) from None
    problems = split + _check(raw, file, file_year)
    if problems:
        raise DataError(problems)
    return Actuals(year=raw.year, through=raw.through,
                   lines=tuple(ActualLine(e.name, e.amount, e.forecast) for e in raw.lines),
                   one_off=tuple(OneOff(e.name, e.amount, e.date) for e in raw.one_off),
                   funding=tuple(Funding(e.name, e.amount) for e in raw.funding))


def load_actuals(path: Path, name: str | None = None, year: int | None = None) -> Actuals:
    """Read ``actuals/YYYY.yaml`` or ``.xlsx`` (the workbook is read by
    :mod:`koordination.io.excel` into the same keys)."""
    file = name or str(path)
    if path.suffix == ".xlsx":
        from koordination.io.excel import read_actuals_xlsx_data

        data = read_actuals_xlsx_data(path, file)
    else:
        data = read_yaml(path, file)
    return build_actuals(data, file, year)
