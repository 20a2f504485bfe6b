"""Budgets and actuals kept in Excel: ``budgets/YYYY.xlsx`` and ``actuals/YYYY.xlsx``.

Layout (one sheet, the one named "Budget" / "Utfall" / "Actuals", else the first):

    year   | 2015                 optional rows above the table: year, start, end, basis
    start  | 2015-01-01           (budgets); the year defaults to the file name's
    kind   | group | name | amount | overhead_percent | rate | per_month | quantity | date
    line   | Lönekostnader | Lön strateg | 480000 | 38.46
    funding|               | Projektmedel | 100000

The header row is the first row with a ``name`` cell; its columns are the keys of the YAML
lines. ``kind`` is ``line`` (the default when the column is absent or the cell empty),
``funding``, or for actuals ``one_off`` (with a ``date``). A row of kind ``total``, and a row
whose amount is ``=SUM(...)`` (or SUBTOTAL) of cells in the amount column of the same sheet,
is a sum and is skipped: kn computes every total itself. A row *named* like a sum ("Summa",
"S:a …", "Totalt", "Delsumma") without such a formula is refused with a line that says to
delete it or mark it ``total``: kn never adds a sum again. Columns ``note`` and ``kommentar``
are ignored.

The sheet read is the one named "Budget" / "Utfall" / "Actuals", else the only visible sheet;
a hidden sheet is never read, and several visible sheets without such a name are refused.

Each cell is read as a person reads it where the stored value differs in meaning: a
percentage cell (38,46 %) in ``overhead_percent`` is 38.46 and is refused in any other column;
a date cell is refused in a number column and a number in a date column; an amount shown
with fewer decimals than it holds is read as shown. Otherwise the cell's *value* is read (for
a formula, the value the spreadsheet last calculated). A
formula cell without a calculated value — a file written by a program and never opened in a
spreadsheet — is an error naming the cell, never a silent zero. Files go through openpyxl with
defusedxml installed (guarding against XML bombs), and read through the gate (a workbook
larger than its limit is refused before it is read).

The rows become the same dict the YAML gives, and :func:`koordination.io.budget.build_budget`
checks it: YAML and Excel share every check; problems are located by cell (``Budget!D7``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from koordination.core.errors import DataError, KnError, Problem
from koordination.core.models import Budget

BUDGET_COLUMNS = ("kind", "group", "name", "amount", "overhead_percent", "rate", "per_month",
                  "quantity")
ACTUALS_COLUMNS = ("kind", "name", "amount", "forecast", "date")
IGNORED_COLUMNS = ("note", "notes", "kommentar", "comment")
BUDGET_KINDS = {"line": "lines", "funding": "funding"}
ACTUALS_KINDS = {"line": "lines", "one_off": "one_off", "funding": "funding"}
BUDGET_KEYS = ("year", "start", "end", "basis")
ACTUALS_KEYS = ("year", "through")


def open_workbook(path: Path, file: str, data_only: bool = True) -> Any:
    """Open an xlsx workbook safely, through the gate: the size limit of a workbook, zip
    bombs and XML entity declarations refused, XML parsed through defusedxml
    (:func:`koordination.io.safe_zip.open_workbook`)."""
    from koordination.io.safe_zip import open_workbook as open_checked

    return open_checked(path, file, data_only=data_only)


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


#: A row whose name says it is a sum: "Summa", "S:a lönekostnader", "Totalt", "Delsumma".
SUM_NAME = re.compile(r"^(summa|s:a|s\.a\.?|totalt?|delsumma|subtotal|sum|summering)"
                      r"(?![^\W\d_])", re.IGNORECASE)
_SUM_FORMULA = re.compile(r"^=\s*(SUM|SUMMA|SUBTOTAL|DELSUMMA)\s*\((.*)\)\s*$", re.IGNORECASE)
_REFERENCE = re.compile(r"(?:(\S+)!)?\$?([A-Z]{1,3})\$?[0-9]+(?::\$?([A-Z]{1,3})\$?[0-9]+)?")
#: Columns that hold a percentage: a cell formatted as one (38,46 %) holds 0.3846.
PERCENT_COLUMNS = ("overhead_percent",)
#: Columns that hold a date (a date cell) or text YYYY-MM-DD.
DATE_COLUMNS = ("date", "start", "end", "through")
#: Columns that hold money or another number.
NUMBER_COLUMNS = ("amount", "overhead_percent", "rate", "per_month", "quantity", "year",
                  "forecast")


def sums_column(formula: Any, letter: str) -> bool:
    """True when ``formula`` is ``=SUM(...)`` (or SUBTOTAL) of cells in column ``letter`` of
    the same sheet only: the row is a sum of other rows, recognised without doubt."""
    if not isinstance(formula, str):
        return False
    match = _SUM_FORMULA.match(formula.strip())
    if not match:
        return False
    refs = _REFERENCE.findall(match.group(2))
    if not refs:
        return False
    return all(not sheet and first == letter and (not last or last == letter)
               for sheet, first, last in refs)


def choose_sheet(book: Any, sheet_names: tuple[str, ...], file: str) -> str:
    """The sheet to read: the one named for its content ("Budget", "Utfall"), else the only
    visible sheet. A hidden sheet is never read, and several visible sheets without such a
    name are refused rather than one guessed."""
    sheets = list(book.worksheets)
    for wanted in sheet_names:
        for ws in sheets:
            if ws.title.strip().lower() == wanted:
                if ws.sheet_state != "visible":
                    raise DataError(Problem(
                        f"sheet {ws.title!r} is hidden; kn reads only what can be seen: show "
                        "the sheet (unhide it) and save", file, ws.title))
                return str(ws.title)
    visible = [ws for ws in sheets if ws.sheet_state == "visible"]
    if len(visible) == 1:
        return str(visible[0].title)
    named = " or ".join(repr(n.capitalize()) for n in sheet_names)
    if not visible:
        raise DataError(Problem(f"every sheet is hidden; kn reads only what can be seen: show "
                                f"the sheet {named}", file))
    raise DataError(Problem(
        f"the workbook has {len(visible)} sheets ({', '.join(ws.title for ws in visible)}) "
        f"and none is named {named}; name the sheet to read {named}", file))


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
    from decimal import ROUND_HALF_UP, Decimal

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
            exact = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return exact.normalize() if exact == exact.to_integral() else exact
    places = _decimals_shown(fmt)
    if isinstance(value, float) and places is not None and column in ("amount", "rate", "forecast"):
        exact = Decimal(repr(value))
        rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
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


def _header(value: Any) -> str:
    return str(value or "").strip().lower().replace(" ", "_").replace("-", "_")


def read_rows(path: Path, file: str, columns: tuple[str, ...], kinds: dict[str, str],
              keys: tuple[str, ...], sheet_names: tuple[str, ...]) -> SheetRows:
    """Read the sheet into the YAML's dict; every problem of the sheet at once."""
    values_wb = open_workbook(path, file, data_only=True)
    formulas_wb = open_workbook(path, file, data_only=False)
    try:
        title = choose_sheet(values_wb, sheet_names, file)
        values, formulas = values_wb[title], formulas_wb[title]
        problems: list[Problem] = []

        def value_of(row: int, col: int, column: str = "") -> Any:
            cell = values.cell(row=row, column=col)
            if cell.value is None:
                raw = formulas.cell(row=row, column=col)
                if raw.data_type == "f" or (isinstance(raw.value, str)
                                            and raw.value.startswith("=")):
                    problems.append(Problem(
                        f"formula {raw.value} has no calculated value (the file was written by "
                        "a program and never opened in a spreadsheet); open it in Excel or "
                        "LibreOffice and save it, or type the number", file,
                        f"{title}!{raw.coordinate}"))
            try:
                return shown(cell.value, cell.number_format, column)
            except ValueError as err:
                problems.append(Problem(str(err), file, f"{title}!{cell.coordinate} ({column})"))
                return None

        result = SheetRows(title, {})
        header_row = None
        max_row, max_col = values.max_row, values.max_column
        for r in range(1, max_row + 1):
            first = _header(values.cell(row=r, column=1).value)
            cells = [_header(values.cell(row=r, column=c).value) for c in range(1, max_col + 1)]
            if "name" in cells:
                header_row = r
                break
            if first in keys:
                result.data[first] = value_of(r, 2, first)
                result.keys[first] = f"B{r}"
        if header_row is None:
            raise DataError(Problem(f"no header row with a 'name' column; columns are "
                                    f"{', '.join(columns)} (see the README)", file, title))
        header: dict[int, str] = {}
        for c in range(1, max_col + 1):
            name = _header(values.cell(row=header_row, column=c).value)
            if not name or name in IGNORED_COLUMNS:
                continue
            if name not in columns:
                problems.append(Problem(
                    f"unknown column {values.cell(row=header_row, column=c).value!r}; the "
                    f"columns are {', '.join(columns)}", file,
                    f"{title}!{values.cell(row=header_row, column=c).coordinate}"))
                continue
            header[c] = name
        for section in dict.fromkeys(kinds.values()):
            result.data[section] = []
        by_name = {name: c for c, name in header.items()}
        for r in range(header_row + 1, max_row + 1):
            entry: dict[str, Any] = {}
            where: dict[str, str] = {}
            kind_cell = values.cell(row=r, column=by_name["kind"]).value if "kind" in by_name \
                else None
            name_cell = values.cell(row=r, column=by_name["name"]).value if "name" in by_name \
                else None
            if str(kind_cell or "").strip().lower() == "total":
                continue  # marked as a total: kn computes totals itself
            amount_col = by_name.get("amount")
            if amount_col is not None and sums_column(
                    formulas.cell(row=r, column=amount_col).value,
                    values.cell(row=r, column=amount_col).column_letter):
                continue  # =SUM(...) of the rows above or below: a sum, never a line
            if isinstance(name_cell, str) and SUM_NAME.match(name_cell.strip()):
                problems.append(Problem(
                    f"row {r} ({name_cell.strip()!r}) looks like a sum of other rows; kn adds "
                    "the lines itself and never adds a sum again: delete the row, or set its "
                    "kind to total", file, f"{title}!row {r}"))
                continue
            for c, name in header.items():
                value = value_of(r, c, name)
                if value is not None:
                    entry[name] = value
                    where[name] = values.cell(row=r, column=c).coordinate
            if not entry:
                continue
            kind = str(entry.pop("kind", "line")).strip().lower().replace("-", "_")
            if kind not in kinds:
                problems.append(Problem(
                    f"kind {kind!r} is unknown; use {', '.join(kinds)}", file,
                    f"{title}!{where['kind']}"))
                continue
            section = kinds[kind]
            result.rows[(section, len(result.data[section]))] = (r, where)
            result.data[section].append(entry)
        if problems:
            raise DataError(problems)
        return result
    finally:
        values_wb.close()
        formulas_wb.close()


def _file_year(path: Path) -> int | None:
    return int(path.stem) if re.fullmatch(r"\d{4}", path.stem) else None


def read_budget_xlsx_data(path: Path, file: str | None = None,
                          year: int | None = None) -> SheetRows:
    """The budget sheet as the dict ``budgets/YYYY.yaml`` would give."""
    name = file or str(path)
    rows = read_rows(path, name, BUDGET_COLUMNS, BUDGET_KINDS, BUDGET_KEYS, ("budget",))
    data = rows.data
    data.setdefault("year", year if year is not None else _file_year(path))
    start, end = data.pop("start", None), data.pop("end", None)
    if start is not None or end is not None:
        data["period"] = {"start": start, "end": end}
    if not data["funding"]:
        del data["funding"]
    if data.get("basis") is None:
        data.pop("basis", None)
    return rows


def load_budget_xlsx(path: Path, name: str | None = None, year: int | None = None) -> Budget:
    """``budgets/YYYY.xlsx`` -> :class:`Budget`, with the same checks as the YAML budget."""
    from koordination.io.budget import build_budget

    file = name or str(path)
    rows = read_budget_xlsx_data(path, file, year)
    try:
        budget = build_budget(rows.data, file, year)
    except KnError as err:
        raise DataError([rows.locate(p) for p in err.problems]) from None
    return replace(budget, sheet=rows.sheet)


def read_actuals_xlsx_data(path: Path, file: str | None = None) -> dict[str, Any]:
    """``actuals/YYYY.xlsx`` as the dict ``actuals/YYYY.yaml`` would give:
    ``{"year": ..., "lines": [...], "one_off": [...], "funding": [...]}``."""
    return read_actuals_xlsx(path, file).data


def read_actuals_xlsx(path: Path, file: str | None = None) -> SheetRows:
    """Like :func:`read_actuals_xlsx_data`, with the cell of each entry (``locate``)."""
    name = file or str(path)
    rows = read_rows(path, name, ACTUALS_COLUMNS, ACTUALS_KINDS, ACTUALS_KEYS,
                     ("utfall", "actuals"))
    rows.data.setdefault("year", _file_year(path))
    return rows
