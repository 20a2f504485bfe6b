"""Budgets and actuals kept in Excel: ``budgets/YYYY.xlsx`` and ``actuals/YYYY.xlsx``.

Layout (one sheet, the one named "Budget" / "Utfall" / "Actuals", else the only visible one):

    year   | 2015                 optional rows above the table: year, start, end, basis
    start  | 2015-01-01           (budgets); the year defaults to the file name's
    kind   | group | name | amount | overhead_percent | rate | per_month | quantity | date
    line   | Lönekostnader | Lön strateg | 480000 | 38.46
    funding|               | Projektmedel | 100000
           |               | Summa        | 480000      a total: checked, then skipped

The header row is the first row with a ``name`` cell; its columns are the keys of the YAML
lines (``note`` and ``kommentar`` columns are not read); a column named twice is refused.

**The spreadsheet rule.** Every row below the header is one of: empty; a row whose ``kind``
(``line``, ``funding``, ``one_off`` for actuals) says what it is; a total or subtotal, known
only by its numbers: it has no kind, and its amount equals the sum of the amounts of the rows
it closes (a subtotal closes the rows since the previous total, a grand total every row above
it; the sum is of the lines, of the funding, of the one-off costs, of all of them, or the lines
less the funding): checked, then skipped; anything else is refused with its row and what would
fix it. kn never reads meaning from a row's name.

Sheets written before rows had to say their kind (no ``kind`` column, or a kind column in which
no row says ``line``, where an empty kind meant a line) stay readable: there a row without a
kind is a line, unless its amount is the sum of the rows it closes. Such a row is a total
(skipped) when the spreadsheet computes it from those rows (``=SUM(D7:D9)``, ``=D7+D8``,
``=SUBTOTAL(9,D7:D9)``); typed as a number it is refused, since a line and a total cannot be
told apart, and so is a row computed as such a sum that does not equal the rows it closes.
An earlier row of kind ``total`` is checked like any total.

Each cell is read as a person reads it where the stored value differs in meaning: a
percentage cell (38,46 %) in ``overhead_percent`` is 38.46 and is refused in any other column;
a date cell is refused in a number column and a number in a date column; an amount shown
with fewer decimals than it holds is read as shown. Otherwise the cell's *value* is read (for
a formula, the value the spreadsheet last calculated); a formula without a calculated value,
a merged range over the table's cells, and hidden or filtered-out rows and columns that hold
a value are refused (:mod:`koordination.io.table` reads the sheet, from the bytes the gate
read).

The rows become the same dict the YAML gives, and :func:`koordination.io.budget.build_budget`
checks it: YAML and Excel share every check; problems are located by cell (``Budget!D7``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from koordination.core.errors import DataError, KnError, Problem
from koordination.core.models import Budget
from koordination.core.money import to_decimal
from koordination.io.gate import read
from koordination.io.statistics import plain_number
from koordination.io.table import Cell, Row, Table, column_letter, read_xlsx, uncalculated

BUDGET_COLUMNS = ("kind", "group", "name", "amount", "overhead_percent", "rate", "per_month",
                  "quantity")
ACTUALS_COLUMNS = ("kind", "name", "amount", "forecast", "date")
IGNORED_COLUMNS = ("note", "notes", "kommentar", "comment")
BUDGET_KINDS = {"line": "lines", "funding": "funding"}
ACTUALS_KINDS = {"line": "lines", "one_off": "one_off", "funding": "funding"}
BUDGET_KEYS = ("year", "start", "end", "basis")
ACTUALS_KEYS = ("year", "through")


@dataclass
class SheetRows:
    """The rows of a budget or actuals sheet as the YAML's dict, and where each came from."""

    sheet: str
    data: dict[str, Any]
    rows: dict[tuple[str, int], tuple[int, dict[str, str]]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    def locate(self, problem: Problem) -> Problem:
        """``lines[3].amount`` -> ``Budget!D7 (amount)``."""
        where = problem.where or ""
        match = re.match(r"^(lines|funding|one_off)\[(\d+)\](?:\.(\w+))?", where)
        if match:
            section, index, key = match.group(1), int(match.group(2)), match.group(3)
            found = self.rows.get((section, index))
            if found:
                row, cells = found
                if key and key in cells:
                    where = f"{self.sheet}!{cells[key]} ({key})"
                elif key:
                    where = f"{self.sheet}!row {row} ({key})"
                else:
                    where = f"{self.sheet}!row {row}"
        elif where.split(".")[0] in self.keys:
            where = f"{self.sheet}!{self.keys[where.split('.')[0]]} ({where})"
        elif where == "period" and "start" in self.keys:
            where = f"{self.sheet}!{self.keys['start']} (start, end)"
        return Problem(problem.message, problem.file, where or None)


#: Columns that hold a percentage: a cell formatted as one (38,46 %) holds 0.3846.
PERCENT_COLUMNS = ("overhead_percent", "index")
#: Columns that hold a date (a date cell) or text YYYY-MM-DD.
DATE_COLUMNS = ("date", "start", "end", "through")
#: Columns that hold money or another number.
NUMBER_COLUMNS = ("amount", "overhead_percent", "rate", "per_month", "quantity", "year",
                  "forecast")


def _decimals_shown(number_format: str) -> int | None:
    """How many decimals a number format shows ("0.00" -> 2, "#,##0" -> 0), or None for
    General and anything kn cannot read with certainty."""
    section = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format.split(";")[0])
    if not section or section.lower() == "general" or "e" in section.lower():
        return None
    if not re.search(r"[0#?]", section):
        return None
    _, point, rest = section.partition(".")
    return len(re.match(r"[0#?]*", rest).group(0)) if point else 0  # type: ignore[union-attr]


def shown(value: Any, number_format: str, column: str) -> Any:
    """What a person reads in a cell, where it differs in meaning from the stored value
    (reference section 2, what kn reads): a percentage cell (38,46 %) holds 0.3846 and means
    38.46; a date cell is a date, and a number in a date column is not; a number shown with
    fewer decimals (1 234 kr for 1234.4) means what is shown. Raises ValueError saying what
    the cell shows when it does not fit the column."""
    value = _plain(value)
    fmt = str(number_format or "General")
    percent = "%" in re.sub(r'"[^"]*"|\\.', "", fmt)
    if isinstance(value, datetime) or (hasattr(value, "isoformat") and not isinstance(value,
                                                                                      str)):
        if column in NUMBER_COLUMNS:
            raise ValueError(f"the cell shows a date ({value.isoformat()}), but {column} is a "
                             "number; format the cell as a number")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if column in DATE_COLUMNS:
        raise ValueError(f"the cell holds the number {value}, not a date; format it as a date "
                         "or type the date as YYYY-MM-DD")
    if percent:
        if column not in PERCENT_COLUMNS:
            raise ValueError(f"the cell shows a percentage ({value * 100:g} %), but {column} is "
                             "not a percentage; format the cell as a number")
        exact = Decimal(repr(float(value))) * 100
        places = _decimals_shown(fmt.replace("%", ""))
        if places is not None:
            exact = to_decimal(Fraction(exact), places)
        return exact.normalize() if exact == exact.to_integral() else exact
    places = _decimals_shown(fmt)
    if isinstance(value, float) and places is not None and column in ("amount", "rate", "forecast"):
        exact = Decimal(repr(value))
        rounded = to_decimal(Fraction(exact), places)
        if rounded != exact:
            return rounded
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value



def _file_year(path: Path) -> int | None:
    return int(path.stem) if re.fullmatch(r"\d{4}", path.stem) else None


def _header(value: Any) -> str:
    return str(value or "").strip().lower().replace(" ", "_").replace("-", "_")


def _money(value: Any) -> Decimal | None:
    """An amount cell's value as an exact Decimal, or None when it holds no number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return None


#: A formula that only adds cells: =SUM(D7:D9), =D7+D8, =SUBTOTAL(9,D7:D9), =SUMMA(...).
_ADDS = re.compile(r"^=\s*(?:[+(),;\s]|\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?"
                   r"|(?:SUM|SUMMA|SUBTOTAL|DELSUMMA)\s*\(\s*(?:\d+\s*[,;])?)+$", re.IGNORECASE)
_CELL = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)", re.IGNORECASE)


def _adds_rows(formula: str | None, cell: Cell) -> bool:
    """True when ``formula`` only adds cells of the same column in other rows."""
    if not formula or not _ADDS.match(formula):
        return False
    refs = _CELL.findall(formula.split("(", 1)[-1] if "(" in formula else formula[1:])
    letter = column_letter(cell.col)
    return bool(refs) and all(col.upper() == letter for col, _ in refs) and any(
        int(row) != cell.row for _, row in refs)


@dataclass
class _Item:
    number: int
    kind: str | None
    entry: dict[str, Any]
    where: dict[str, str]
    amount: Cell | None


def _sums(items: Iterable[_Item]) -> set[Decimal]:
    """What a total of ``items`` may be: the sum of the lines, of the funding, of the one-off
    costs, of all of them, or the lines less the funding (kinds present only)."""
    by: dict[str, Decimal] = {}
    for item in items:
        value = _money(item.amount.value) if item.amount is not None else None
        by[item.kind or "line"] = by.get(item.kind or "line", Decimal(0)) + (value or 0)
    found = set(by.values())
    if by:
        found.add(sum(by.values(), Decimal(0)))
    if "line" in by and "one_off" in by:
        found.add(by["line"] + by["one_off"])
    if "line" in by and "funding" in by:
        found.add(by["line"] - by["funding"])
    return found


def _span(items: list[_Item]) -> str:
    if not items:
        return "none"
    first, last = items[0].number, items[-1].number
    return f"row {first}" if first == last else f"rows {first}-{last}"


def _header_at(rows: list[Row], key: str) -> int | None:
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
              keys: tuple[str, ...], sheet_names: tuple[str, ...]) -> SheetRows:
    """Read the sheet into the YAML's dict by the spreadsheet rule; every problem at once."""
    title = table.sheet or sheet_names[0].capitalize()
    problems: list[Problem] = []

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

    broken: set[int] = set()
    result = SheetRows(title, {})
    rows = list(table.rows)
    header_at = _header_at(rows, "name")
    if header_at is None:
        raise DataError(Problem(f"no header row with a 'name' column; columns are "
                                f"{', '.join(columns)} (see the README)", file, title))
    for row in rows[:header_at]:
        first, second = row.get(1), row.get(2)
        key = _header(first.value) if first is not None else ""
        if key in keys and second is not None:
            result.data[key] = value_of(second, key)
            result.keys[key] = second.ref
    header_row = rows[header_at]
    header = _columns(header_row, columns, title, file, problems)
    for first_row, first_col, last_row, last_col, ref in table.merged:
        if last_row >= header_row.number and any(first_col <= c <= last_col for c in header):
            problems.append(Problem(f"{ref} is merged over cells kn reads; unmerge it (kn "
                                    "reads every cell on its own)", file, f"{title}!{ref}"))
            broken.update(range(first_row, last_row + 1))
    items: list[_Item] = []
    for row in rows[header_at + 1:]:
        entry: dict[str, Any] = {}
        where: dict[str, str] = {}
        amount: Cell | None = None
        for cell in row.cells:
            column = header.get(cell.col)
            if column is None:
                continue
            value = value_of(cell, column)
            if column == "amount":
                amount = cell
            if value is not None:
                entry[column] = value
                where[column] = cell.ref
        if not entry or row.number in broken:
            continue
        kind = entry.pop("kind", None)
        kind = str(kind).strip().lower().replace("-", "_") if kind is not None else None
        if kind is not None and kind not in kinds and kind != "total":
            problems.append(Problem(f"kind {kind!r} is unknown; use {', '.join(kinds)}", file,
                                    f"{title}!{where['kind']}"))
            continue
        items.append(_Item(row.number, kind, entry, where, amount))
    strict = any(item.kind == "line" for item in items)
    named_kinds = f"{', '.join(list(kinds)[:-1])} or {list(kinds)[-1]}"
    block: list[_Item] = []
    above: list[_Item] = []
    for item in items:
        if item.kind in kinds:
            block.append(item)
            above.append(item)
            continue
        total = _money(item.amount.value) if item.amount is not None else None
        sums = _sums(block) | _sums(above)
        adds = item.amount is not None and _adds_rows(item.amount.formula, item.amount)
        at = f"{title}!row {item.number}"
        closes = f"{_span(block)}: {' or '.join(sorted(plain_number(v) for v in _sums(block)))}" \
            if block else "none"
        if total is not None and total in sums and (strict or item.kind or adds):
            block = []  # a total, checked: kn adds the lines itself
            continue
        if not strict and item.kind is None and total is not None and total in sums:
            rows_summed = _span(block if total in _sums(block) else above)
            problems.append(Problem(
                f"the row has no kind, and its amount {plain_number(total)} is the sum of the "
                f"rows it closes ({rows_summed}), typed rather than computed from them: kn "
                "cannot tell a total from a line here; write line in the kind column of every "
                "line (a total's kind stays empty), or delete the total", file, at))
            continue
        if not strict and item.kind is None and not adds:
            item.kind = "line"  # a sheet whose lines say no kind: a line
            block.append(item)
            above.append(item)
            continue
        if total is None:
            problems.append(Problem(
                f"the row has no kind and no amount; write {named_kinds} in its kind "
                "cell, or delete the row", file, at))
        else:
            formula = f" ({item.amount.formula})" if adds and item.amount is not None else ""
            problems.append(Problem(
                f"the row has no kind, and its amount {plain_number(total)}{formula} is not "
                f"the sum of the rows it closes ({closes}); write {named_kinds} in its kind "
                "cell, or correct or delete the total", file, at))
    for section in dict.fromkeys(kinds.values()):
        result.data[section] = []
    for item in items:
        if item.kind in kinds:
            section = kinds[item.kind]
            result.rows[(section, len(result.data[section]))] = (item.number, item.where)
            result.data[section].append(item.entry)
    if problems:
        raise DataError(problems)
    return result


#: The plan sheet of a budget workbook (reference 14): ``population`` and its method in the
#: rows above the table, then the table group | year | index (``default`` for the other
#: groups; an empty year: the same index every year).
PLAN_SHEET = "plan"
PLAN_COLUMNS = ("group", "year", "index")


def read_plan_sheet(table: Table | None, file: str) -> tuple[dict[str, Any] | None,
                                                              dict[str, str]]:
    """The sheet ``Plan`` of a budget workbook as the YAML's ``plan:`` mapping (None when the
    workbook has no such sheet), and the cell each key came from (``plan.index.default`` ->
    ``Plan!C4``); every problem of the sheet at once."""
    if table is None:
        return None, {}
    title = table.sheet or "Plan"
    problems: list[Problem] = []
    plan: dict[str, Any] = {"index": {}}
    where: dict[str, str] = {}
    rows = list(table.rows)
    header_at = _header_at(rows, "group")
    for row in rows[: len(rows) if header_at is None else header_at]:
        first, second = row.get(1), row.get(2)
        if first is not None and _header(first.value) == "population" and second is not None:
            plan["population"] = second.text.strip().lower()
            where["plan.population"] = f"{title}!{second.ref}"
    if header_at is None:
        if "population" not in plan:
            raise DataError(Problem(
                "no header row with a 'group' column; the sheet Plan has the columns group, "
                "year, index (and population with its method above them)", file, title))
        return plan, where
    columns = _columns(rows[header_at], PLAN_COLUMNS, title, file, problems)
    every: dict[str, int] = {}
    for row in rows[header_at + 1:]:
        entry: dict[str, Cell] = {columns[c.col]: c for c in row.cells
                                  if c.col in columns and c.value not in (None, "")}
        if not entry:
            continue
        at = f"{title}!row {row.number}"
        if "group" not in entry or "index" not in entry:
            problems.append(Problem("a row of the plan needs a group and an index (and a year, "
                                    "or none for every year); fill it in or delete the row",
                                    file, at))
            continue
        group = entry["group"].text.strip()
        try:
            percent = shown(entry["index"].value, entry["index"].number_format, "index")
        except ValueError as err:
            problems.append(Problem(str(err), file, f"{title}!{entry['index'].ref} (index)"))
            continue
        key = f"plan.index.{group}"
        known = plan["index"].get(group)
        if "year" not in entry:
            if known is not None:
                problems.append(Problem(
                    f"{group} has an index already (row {every.get(group, '?')}); give one "
                    "index for every year (no year) or one per year, not both", file, at))
                continue
            plan["index"][group] = percent
            every[group] = row.number
            where[key] = f"{title}!{entry['index'].ref}"
            continue
        year_text = entry["year"].text.strip()
        if group in every or (known is not None and year_text in known):
            problems.append(Problem(
                f"{group} has an index for {year_text or 'every year'} already; give each "
                "group's index once per year", file, at))
            continue
        plan["index"].setdefault(group, {})[year_text] = percent
        where.setdefault(key, f"{title}!{entry['index'].ref}")
        where[f"{key}.{year_text}"] = f"{title}!{entry['year'].ref}"
    if problems:
        raise DataError(problems)
    return plan, where


def _plan_place(problem: Problem, cells: dict[str, str]) -> Problem:
    """A problem of the ``plan:`` section located at its cell of the sheet Plan."""
    where = problem.where or ""
    if where in cells:
        return Problem(problem.message, problem.file, cells[where])
    return problem


def load_budget_xlsx(path: Path, name: str | None = None, year: int | None = None) -> Budget:
    """``budgets/YYYY.xlsx`` -> :class:`Budget` (the year defaults to the file name's), with
    the YAML budget's checks: the budget sheet as the dict ``budgets/YYYY.yaml`` would give,
    and the sheet Plan, if the workbook has one, as its ``plan:`` section."""
    from koordination.io.budget import build_budget

    file = name or str(path)
    year = year if year is not None else _file_year(path)
    sheet, *plan_sheet = read_xlsx(read(path, "workbook", file).data, file, ("budget",),
                                   also=(PLAN_SHEET,))
    rows = read_rows(sheet, file, BUDGET_COLUMNS, BUDGET_KINDS, BUDGET_KEYS, ("budget",))
    data = rows.data
    data.setdefault("year", year)
    start, end = data.pop("start", None), data.pop("end", None)
    if start is not None or end is not None:
        data["period"] = {"start": start, "end": end}
    if not data["funding"]:
        del data["funding"]
    if data.get("basis") is None:
        data.pop("basis", None)
    plan, plan_cells = read_plan_sheet(plan_sheet[0] if plan_sheet else None, file)
    if plan is not None:
        data["plan"] = plan
    try:
        budget = build_budget(data, file, year)
    except KnError as err:
        raise DataError([_plan_place(rows.locate(p), plan_cells) for p in err.problems]
                        ) from None
    return replace(budget, sheet=rows.sheet)


def read_actuals_xlsx_data(path: Path, file: str | None = None) -> dict[str, Any]:
    """``actuals/YYYY.xlsx`` as the dict ``actuals/YYYY.yaml`` would give
    (``{"year": ..., "lines": [...], "one_off": [...], "funding": [...]}``)."""
    name = file or str(path)
    sheets = ("utfall", "actuals")
    rows = read_rows(read_xlsx(read(path, "workbook", name).data, name, sheets)[0], name,
                     ACTUALS_COLUMNS, ACTUALS_KINDS, ACTUALS_KEYS, sheets)
    rows.data.setdefault("year", _file_year(path))
    return rows.data
