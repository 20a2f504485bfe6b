"""Budgets and actuals kept in Excel: ``budgets/YYYY.xlsx`` and ``actuals/YYYY.xlsx``.

The layout and the spreadsheet rule are the reference's (section 2): keys such as ``year``
above the table, a header row (the first with a ``name`` cell), then rows that are empty, say
their ``kind``, are totals (checked against the rows they close, then skipped), or are
refused. kn never reads meaning from a row's name: a row named ``Totalkostnad`` is a total
only if it adds up. Each cell is read as a person reads it (:func:`shown`). The rows become
the dict the YAML gives, so that YAML and Excel share every check
(:mod:`koordination.io.budget`), and problems are placed at their cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from koordination.core.errors import DataError, KnError, Problem
from koordination.core.models import Actuals, Budget
from koordination.core.money import to_decimal
from koordination.io.budget import build_actuals, build_budget
from koordination.io.gate import read
from koordination.io.statistics import plain_number
from koordination.io.table import Cell, Row, Table, column_letter, read_xlsx, uncalculated

T = TypeVar("T")
BUDGET_COLUMNS = ("kind", "group", "name", "amount", "overhead_percent", "rate", "per_month",
                  "quantity")
ACTUALS_COLUMNS = ("kind", "name", "amount", "forecast", "date")
IGNORED_COLUMNS = ("note", "notes", "kommentar", "comment")
BUDGET_KINDS = {"line": "lines", "funding": "funding"}
ACTUALS_KINDS = {"line": "lines", "one_off": "one_off", "funding": "funding"}
BUDGET_KEYS = ("year", "start", "end", "basis")
ACTUALS_KEYS = ("year", "through")
#: Columns that hold a percentage: a cell formatted as one (38,46 %) holds 0.3846.
PERCENT_COLUMNS = ("overhead_percent", "index")
#: Columns that hold a date (a date cell) or text YYYY-MM-DD.
DATE_COLUMNS = ("date", "start", "end", "through")
#: Columns that hold money or another number.
NUMBER_COLUMNS = ("amount", "overhead_percent", "rate", "per_month", "quantity", "year",
                  "forecast")


@dataclass
class SheetRows:
    """A budget or actuals sheet as the dict its YAML would give, and the place in the sheet
    of each key a problem may name (``lines[3].amount`` -> ``Budget!D7 (amount)``)."""

    sheet: str
    data: dict[str, Any]
    where: dict[str, str] = field(default_factory=dict)

    def build(self, build: Callable[[dict[str, Any], str, int | None], T], file: str,
              year: int | None) -> T:
        """``build(data, file, year)`` (:func:`build_budget`, :func:`build_actuals`), each
        problem placed at its cell."""
        try:
            return build(self.data, file, year)
        except KnError as err:
            raise DataError([Problem(p.message, p.file, self.where.get(p.where or "", p.where))
                             for p in err.problems]) from None


def _decimals_shown(number_format: str) -> int | None:
    """How many decimals a number format shows ("0.00" -> 2, "#,##0" -> 0), or None for
    General and anything kn cannot read with certainty."""
    section = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format.split(";")[0])
    if "e" in section.lower() or not re.search(r"[0#?]", section):  # General, 1E+03, text
        return None
    _, point, rest = section.partition(".")
    return len(re.match(r"[0#?]*", rest).group(0)) if point else 0  # type: ignore[union-attr]


def shown(value: Any, number_format: str, column: str) -> Any:
    """What a person reads in a cell, where it differs in meaning from the stored value
    (reference section 2, what kn reads): a percentage cell (38,46 %) holds 0.3846 and means
    38.46; a date cell is a date, and a number in a date column is not; a number shown with
    fewer decimals (1 234 kr for 1234.4) means what is shown. Raises ValueError saying what
    the cell shows when it does not fit the column."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, datetime) and value.time() == time():
        value = value.date()
    if isinstance(value, (date, time)):
        if column in NUMBER_COLUMNS:
            raise ValueError(f"the cell shows a date ({value.isoformat()}), but {column} is a "
                             "number; format the cell as a number")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if column in DATE_COLUMNS:
        raise ValueError(f"the cell holds the number {value}, not a date; format it as a date "
                         "or type the date as YYYY-MM-DD")
    percent = "%" in re.sub(r'"[^"]*"|\\.', "", number_format)
    if percent and column not in PERCENT_COLUMNS:
        raise ValueError(f"the cell shows a percentage ({value * 100:g} %), but {column} is "
                         "not a percentage; format the cell as a number")
    if percent:
        exact = Decimal(repr(float(value))) * 100
        places = _decimals_shown(number_format.replace("%", ""))
        exact = exact if places is None else to_decimal(Fraction(exact), places)
        return exact.normalize() if exact == exact.to_integral() else exact
    places = _decimals_shown(number_format)
    if isinstance(value, float) and places is not None and column in ("amount", "rate", "forecast"):
        exact = Decimal(repr(value))
        rounded = to_decimal(Fraction(exact), places)
        if rounded != exact:
            return rounded
    return value


def _file_year(path: Path) -> int | None:
    return int(path.stem) if re.fullmatch(r"\d{4}", path.stem) else None


def _header(value: Any) -> str:
    return str(value or "").strip().lower().replace(" ", "_").replace("-", "_")


def _money(cell: Cell | None) -> Decimal | None:
    """An amount cell's stored number as an exact Decimal, or None when it holds no number."""
    return Decimal(repr(cell.value)) if cell is not None and cell.is_number else None


#: A formula that only adds cells: =SUM(D7:D9), =D7+D8, =SUBTOTAL(9,D7:D9), =SUMMA(...).
_ADDS = re.compile(r"^=\s*(?:[+(),;\s]|\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?"
                   r"|(?:SUM|SUMMA|SUBTOTAL|DELSUMMA)\s*\(\s*(?:\d+\s*[,;])?)+$", re.IGNORECASE)
_CELL = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)", re.IGNORECASE)


def _adds_rows(cell: Cell | None) -> bool:
    """True when ``cell``'s formula only adds cells of the same column in other rows."""
    if cell is None or not cell.formula or not _ADDS.match(cell.formula):
        return False
    formula = cell.formula
    refs = _CELL.findall(formula.split("(", 1)[-1] if "(" in formula else formula[1:])
    letter = column_letter(cell.col)
    return bool(refs) and all(col.upper() == letter for col, _ in refs) and any(
        int(row) != cell.row for _, row in refs)


@dataclass
class _Item:
    """A row below the header that holds something: its values by column, and their cells."""

    number: int
    kind: str | None
    entry: dict[str, Any]
    cells: dict[str, Cell]


def _sums(items: Iterable[_Item]) -> set[Decimal]:
    """What a total of ``items`` may be: the sum of the lines, of the funding, of the one-off
    costs, of all of them, or the lines less the funding (kinds present only)."""
    by: dict[str | None, Decimal] = {}
    for item in items:
        by[item.kind] = by.get(item.kind, Decimal(0)) + (_money(item.cells.get("amount")) or 0)
    found = set(by.values())
    if by:
        found.add(sum(by.values(), Decimal(0)))
    if "line" in by and "one_off" in by:
        found.add(by["line"] + by["one_off"])
    if "line" in by and "funding" in by:
        found.add(by["line"] - by["funding"])
    return found


def _span(items: list[_Item]) -> str:
    first, last = items[0].number, items[-1].number
    return f"row {first}" if first == last else f"rows {first}-{last}"


def _refusal(item: _Item, block: list[_Item], above: list[_Item], kinds: dict[str, str]) -> str:
    """Why a row without a kind is neither a line nor a total, and what would fix it."""
    named = f"{', '.join(list(kinds)[:-1])} or {list(kinds)[-1]}"
    amount = item.cells.get("amount")
    total = _money(amount)
    if total is None:
        return f"the row has no kind and no amount; write {named} in its kind cell, or delete " \
            "the row"
    if total in _sums(block) | _sums(above):
        summed = _span(block if total in _sums(block) else above)
        return (f"the row has no kind, and its amount {plain_number(total)} is the sum of the "
                f"rows it closes ({summed}), typed rather than computed from them: kn cannot "
                "tell a total from a line here; write line in the kind column of every line (a "
                "total's kind stays empty), or delete the total")
    formula = f" ({amount.formula})" if amount is not None and _adds_rows(amount) else ""
    closes = f"{_span(block)}: {' or '.join(sorted(plain_number(v) for v in _sums(block)))}" \
        if block else "none"
    return (f"the row has no kind, and its amount {plain_number(total)}{formula} is not the sum "
            f"of the rows it closes ({closes}); write {named} in its kind cell, or correct or "
            "delete the total")


def _header_at(rows: tuple[Row, ...], key: str) -> int | None:
    """The index of a sheet's header row: the first with a cell headed ``key``."""
    return next((i for i, row in enumerate(rows) if any(
        isinstance(c.value, str) and _header(c.value) == key for c in row.cells)), None)


def _columns(header: Row, columns: tuple[str, ...], title: str, file: str,
             problems: list[Problem]) -> dict[int, str]:
    """The column of each heading of ``header`` that kn reads; a heading written twice, or
    one kn does not know, is a problem (``note`` and ``kommentar`` columns are not read)."""
    found: dict[int, str] = {}
    named: dict[str, str] = {}
    for cell in header.cells:
        name = _header(cell.value)
        if name in named:
            problems.append(Problem(
                f"column {name!r} is named twice ({named[name]} and {cell.ref}); keep one, or "
                "rename the other", file, f"{title}!{cell.ref}"))
            continue
        named[name] = cell.ref
        if name in columns:
            found[cell.col] = name
        elif name and name not in IGNORED_COLUMNS:
            problems.append(Problem(f"unknown column {cell.value!r}; the columns are "
                                    f"{', '.join(columns)}", file, f"{title}!{cell.ref}"))
    return found


def read_rows(table: Table, file: str, columns: tuple[str, ...], kinds: dict[str, str],
              keys: tuple[str, ...], heading: str = "name") -> SheetRows:
    """Read the sheet into the YAML's dict by the spreadsheet rule; every problem at once.
    The header row is the first with a cell headed ``heading``; a sheet without one may hold
    only keys."""
    title = table.sheet or ""
    problems: list[Problem] = []
    broken: set[int] = set()  # rows with a cell refused: not read further

    def value_of(cell: Cell, column: str) -> Any:
        if cell.uncalculated:
            broken.add(cell.row)
            problems.append(uncalculated(cell, file, f"{title}!{cell.ref}"))
            return None
        try:
            return shown(cell.value, cell.number_format, column)
        except ValueError as err:
            broken.add(cell.row)
            problems.append(Problem(str(err), file, f"{title}!{cell.ref} ({column})"))
            return None

    def key_of(row: Row) -> str | None:
        first = row.get(1)
        key = _header(first.value) if first is not None else ""
        return key if key in keys else None

    result = SheetRows(title, {section: [] for section in kinds.values()})
    rows = table.rows
    header_at = _header_at(rows, heading)
    if header_at is None and not (rows and all(key_of(row) for row in rows)):
        raise DataError(Problem(f"no header row with a {heading!r} column; columns are "
                                f"{', '.join(columns)} (see the README)", file, title))
    for row in rows[:header_at]:
        key, second = key_of(row), row.get(2)
        if key is not None and second is not None:
            result.data[key] = value_of(second, key)
            result.where[key] = f"{title}!{second.ref} ({key})"
            if key == "start":  # a budget's period is placed at its start
                result.where["period"] = f"{title}!{second.ref} (start, end)"
    if header_at is None:
        if problems:
            raise DataError(problems)
        return result
    header_row = rows[header_at]
    header = _columns(header_row, columns, title, file, problems)
    for first_row, first_col, last_row, last_col, ref in table.merged:
        if last_row >= header_row.number and any(first_col <= c <= last_col for c in header):
            problems.append(Problem(f"{ref} is merged over cells kn reads; unmerge it (kn "
                                    "reads every cell on its own)", file, f"{title}!{ref}"))
            broken.update(range(first_row, last_row + 1))
    items: list[_Item] = []
    for row in rows[header_at + 1:]:
        cells = {header[cell.col]: cell for cell in row.cells if cell.col in header}
        entry: dict[str, Any] = {}
        for column, cell in cells.items():
            value = value_of(cell, column)
            if value is not None:
                entry[column] = value
        if not entry or row.number in broken:
            continue
        kind = entry.pop("kind", None)
        kind = str(kind).strip().lower().replace("-", "_") if kind is not None else None
        if kind is not None and kind not in kinds and kind != "total":
            problems.append(Problem(f"kind {kind!r} is unknown; use {', '.join(kinds)}", file,
                                    f"{title}!{cells['kind'].ref}"))
            continue
        items.append(_Item(row.number, kind, entry, cells))
    # Sheets in which no row says line are the earlier form: a row without a kind is a line.
    strict = any(item.kind == "line" for item in items)
    block: list[_Item] = []  # the rows since the previous total
    above: list[_Item] = []
    for item in items:
        kind = item.kind
        if kind not in kinds:
            amount = item.cells.get("amount")
            total, adds = _money(amount), _adds_rows(amount)
            sums = _sums(block) | _sums(above)
            if total in sums and (strict or kind or adds):
                block = []  # a total, checked: kn adds the lines itself
                continue
            if strict or kind or adds or total in sums:
                problems.append(Problem(_refusal(item, block, above, kinds), file,
                                        f"{title}!row {item.number}"))
                continue
            kind = item.kind = "line"
        block.append(item)
        above.append(item)
        section = kinds[kind]
        key, row_at = f"{section}[{len(result.data[section])}]", f"{title}!row {item.number}"
        result.where[key] = row_at
        for column in columns:
            place = f"{title}!{item.cells[column].ref}" if column in item.entry else row_at
            result.where[f"{key}.{column}"] = f"{place} ({column})"
        result.data[section].append(item.entry)
    if problems:
        raise DataError(problems)
    return result


#: The plan sheet of a budget workbook (reference 14): ``population`` and its method in the
#: rows above the table, then the table group | year | index (``default`` for the other
#: groups; an empty year: the same index every year).
PLAN_SHEET = "plan"
PLAN_COLUMNS = ("group", "year", "index")


def read_plan_sheet(table: Table, file: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The sheet ``Plan`` of a budget workbook as the YAML's ``plan:`` mapping, and the cell
    each key came from (``plan.index.default`` -> ``Plan!C4``); every problem at once. The
    sheet is read by the spreadsheet rule (:func:`read_rows`): each row of the table is one
    group's index."""
    rows = read_rows(table, file, PLAN_COLUMNS, {"line": "rows"}, ("population",), "group")
    problems: list[Problem] = []
    plan: dict[str, Any] = {"index": {}}
    where: dict[str, str] = {}

    def cell(key: str) -> str:  # Plan!C4, not Plan!C4 (index): a plan names its cells so
        return rows.where[key].rsplit(" (", 1)[0]

    if "population" in rows.data:
        plan["population"] = str(rows.data["population"]).lower()
        where["plan.population"] = cell("population")
    first: dict[str, str] = {}  # the row each group is first given an index in
    for i, entry in enumerate(rows.data["rows"]):
        at = rows.where[f"rows[{i}]"]
        if "group" not in entry or "index" not in entry:
            problems.append(Problem("a row of the plan needs a group and an index (and a year, "
                                    "or none for every year); fill it in or delete the row",
                                    file, at))
            continue
        # a group or year as the cell shows it (2017, not 2017.0)
        group, percent = Cell(0, 0, entry["group"]).text, entry["index"]
        key, given = f"plan.index.{group}", plan["index"].get(group)
        if "year" not in entry:
            if given is not None:
                problems.append(Problem(
                    f"{group} has an index already ({first[group]}); give one index for every "
                    "year (no year) or one per year, not both", file, at))
                continue
            plan["index"][group] = percent
            where[key] = cell(f"rows[{i}].index")
        else:
            year = Cell(0, 0, entry["year"]).text
            if given is not None and (not isinstance(given, dict) or year in given):
                problems.append(Problem(f"{group} has an index for {year} already; give each "
                                        "group's index once per year", file, at))
                continue
            plan["index"].setdefault(group, {})[year] = percent
            where.setdefault(key, cell(f"rows[{i}].index"))
            where[f"{key}.{year}"] = cell(f"rows[{i}].year")
        first.setdefault(group, at.rpartition("!")[2])
    if problems:
        raise DataError(problems)
    return plan, where


def load_budget_xlsx(path: Path, name: str | None = None, year: int | None = None) -> Budget:
    """``budgets/YYYY.xlsx`` -> :class:`Budget` (the year defaults to the file name's), with
    the YAML budget's checks: the budget sheet as the dict ``budgets/YYYY.yaml`` would give,
    and the sheet Plan, if the workbook has one, as its ``plan:`` section."""
    file = name or str(path)
    year = year if year is not None else _file_year(path)
    sheet, *plan_sheet = read_xlsx(read(path, "workbook", file).data, file, ("budget",),
                                   also=(PLAN_SHEET,))
    rows = read_rows(sheet, file, BUDGET_COLUMNS, BUDGET_KINDS, BUDGET_KEYS)
    data = rows.data
    data.setdefault("year", year)
    start, end = data.pop("start", None), data.pop("end", None)
    if start is not None or end is not None:
        data["period"] = {"start": start, "end": end}
    if not data["funding"]:
        del data["funding"]
    if data.get("basis") is None:
        data.pop("basis", None)
    if plan_sheet:
        data["plan"], plan_cells = read_plan_sheet(plan_sheet[0], file)
        rows.where.update(plan_cells)
    return replace(rows.build(build_budget, file, year), sheet=rows.sheet)


def _actuals_rows(path: Path, file: str, year: int | None) -> SheetRows:
    sheet = read_xlsx(read(path, "workbook", file).data, file, ("utfall", "actuals"))[0]
    rows = read_rows(sheet, file, ACTUALS_COLUMNS, ACTUALS_KINDS, ACTUALS_KEYS)
    rows.data.setdefault("year", year if year is not None else _file_year(path))
    return rows


def read_actuals_xlsx_data(path: Path, file: str | None = None) -> dict[str, Any]:
    """``actuals/YYYY.xlsx`` as the dict ``actuals/YYYY.yaml`` would give
    (``{"year": ..., "lines": [...], "one_off": [...], "funding": [...]}``)."""
    return _actuals_rows(path, file or str(path), None).data


def load_actuals_xlsx(path: Path, name: str | None = None, year: int | None = None) -> Actuals:
    """``actuals/YYYY.xlsx`` -> :class:`Actuals`, with the YAML's checks, each problem placed
    at its cell as in a budget workbook."""
    file = name or str(path)
    return _actuals_rows(path, file, year).build(build_actuals, file, year)
