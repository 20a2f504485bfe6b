"""The one reader of tables: the rows of cells of a workbook's sheet or of a CSV text, from
bytes already read (never from a path). What a row *means* is the callers' business
(:mod:`koordination.io.excel`, :mod:`koordination.io.scb.exports`, the snapshot readers).

Workbooks are read by openpyxl, with defusedxml, after :mod:`koordination.io.safe_zip` has
checked the archive. Only cells that hold something are read: a stray format at row 1 048 576
costs nothing. A hidden or filtered-out row or column that holds a value is refused, since a
person would not see what kn reads. A formula whose value was never calculated is kept as a
cell without a value, for the caller to refuse where it reads it (:func:`uncalculated`), and
merged ranges are handed to the caller likewise (:attr:`Table.merged`).

CSV is read with the csv module (comma, semicolon or tab, sniffed), every cell as text. Text
is cleaned alike in both: Unicode NFC (a decomposed ``Va\u0308rmdo\u0308`` is ``Värmdö``),
zero-width characters and byte order marks removed, spaces (no-break and thin ones too)
trimmed at both ends.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from koordination.core.errors import DataError, Problem

#: Characters that are no part of any text in a table: zero-width space, non-joiner and
#: joiner, word joiner, soft hyphen, byte order mark.
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\u00ad\ufeff]")
_SPACES = " \t\r\n\u00a0\u202f\u2009\u2007\u3000"
#: More columns than any table kn reads has (101 ages, or decades of years).
MAX_COLUMNS = 1000


def clean(text: str) -> str:
    """NFC, without invisible characters, trimmed of spaces of every kind."""
    if text.isascii():
        return text.strip(_SPACES)
    return _clean(text)


@lru_cache(maxsize=1 << 14)
def _clean(text: str) -> str:
    return INVISIBLE.sub("", unicodedata.normalize("NFC", text)).strip(_SPACES)


def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell that holds something.

    Attributes:
        row, col: its place, from 1.
        value: text (cleaned; may be empty in CSV only), a number (int or float, as the
            workbook stores it), a date or datetime, a bool; None only for a formula whose
            value was never calculated.
        number_format: the workbook's number format ("General" in CSV).
        formula: the formula's text (``=SUM(D7:D9)``), if the cell holds one.
    """

    row: int
    col: int
    value: Any
    number_format: str = "General"
    formula: str | None = None

    @property
    def ref(self) -> str:
        return f"{column_letter(self.col)}{self.row}"

    @property
    def text(self) -> str:
        """The cell as text: a whole number without a point, a date as YYYY-MM-DD."""
        value = self.value
        if value is None:
            return ""
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        if isinstance(value, date):  # a datetime too
            return value.isoformat()[:10]
        return str(value)

    @property
    def uncalculated(self) -> bool:
        """A formula whose value the spreadsheet never calculated: what it shows is unknown."""
        return self.value is None and self.formula is not None

    @property
    def is_number(self) -> bool:
        """True for a number a workbook stores (its point is a decimal point)."""
        return isinstance(self.value, (int, float)) and not isinstance(self.value, bool)


def uncalculated(cell: Cell, file: str, where: str) -> Problem:
    """The one line for a formula without a calculated value (:attr:`Cell.uncalculated`)."""
    return Problem(f"formula {cell.formula} has no calculated value (the file was written by a "
                   "program and never opened in a spreadsheet); open it in Excel or LibreOffice "
                   "and save it, or type the number", file, where)


@dataclass(frozen=True)
class Row:
    """A row that holds something: its number (from 1), its cells in column order, and for
    CSV its width (the number of cells written, empty ones included)."""

    number: int
    cells: tuple[Cell, ...]
    width: int = 0

    def get(self, col: int) -> Cell | None:
        return next((cell for cell in self.cells if cell.col == col), None)


@dataclass(frozen=True)
class Table:
    """The rows of one sheet or CSV text that hold something.

    Attributes:
        sheet: the sheet's title (None for CSV).
        format: "xlsx" or "CSV (comma separated)" and the like, for reports.
        rows: the rows holding something, in order.
        merged: the merged ranges of the sheet as (first row, first column, last row, last
            column), with their text (``A5:H5``).
    """

    sheet: str | None
    format: str
    rows: tuple[Row, ...]
    merged: tuple[tuple[int, int, int, int, str], ...] = ()

    def grid(self) -> list[list[Cell | None]]:
        """The rows as a dense grid: ``grid[r - 1][c - 1]`` is the cell at row r, column c."""
        width = max((c.col for row in self.rows for c in row.cells), default=0)
        height = self.rows[-1].number if self.rows else 0
        grid: list[list[Cell | None]] = [[None] * width for _ in range(height)]
        for row in self.rows:
            for cell in row.cells:
                grid[row.number - 1][cell.col - 1] = cell
        return grid


# -- CSV --------------------------------------------------------------------------------------


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Latin-1 (Statistikdatabasen's CSV is ISO-8859-1)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first lines most consistently."""
    lines = [line for line in text.splitlines() if line.strip()][:20]
    best, best_score = ",", -1
    for delim in (",", ";", "\t"):
        try:
            counts = [len(next(csv.reader([line], delimiter=delim))) for line in lines]
        except csv.Error:
            continue
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        # Lines split into the most common column count (the table's rows) weigh most.
        common = max(set(multi), key=multi.count)
        score = multi.count(common) * 10 + common
        if score > best_score:
            best, best_score = delim, score
    return best


_FORMATS = {",": "comma", ";": "semicolon", "\t": "tab"}


def read_csv(text: str, file: str, delimiter: str | None = None) -> Table:
    """The rows of a CSV text, every cell as cleaned text; ``delimiter`` is sniffed when not
    given. A row of blank cells only is left out."""
    delim = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows: list[Row] = []
    try:
        for number, cells in enumerate(reader, start=1):
            if len(cells) > MAX_COLUMNS:
                raise DataError(Problem(
                    f"a line of {len(cells)} cells; a table of municipalities has at most "
                    f"{MAX_COLUMNS} columns (is it the right file?)", file, f"row {number}"))
            texts = [clean(cell) for cell in cells]
            if any(texts):
                rows.append(Row(number, tuple(Cell(number, c, t) for c, t in enumerate(texts, 1)),
                                len(texts)))
    except csv.Error as err:
        what = ("a quotation mark opened here is never closed" if "EOF" in str(err)
                else str(err))
        raise DataError(Problem(f"not valid CSV ({what}); save the table again as CSV",
                                file, f"row {len(rows) + 1}")) from None
    return Table(None, f"CSV ({_FORMATS[delim]} separated)", tuple(rows))


# -- xlsx -------------------------------------------------------------------------------------


def choose_sheet(titles: list[tuple[str, bool]], sheet_names: tuple[str, ...], file: str) -> str:
    """The sheet to read of ``titles`` (title, visible): the one named for its content
    ("Budget", "Utfall"), else the only visible sheet. A hidden sheet is never read, and
    several visible sheets without such a name are refused rather than one guessed."""
    for wanted in sheet_names:
        for title, visible in titles:
            if title.strip().lower() == wanted:
                if not visible:
                    raise DataError(Problem(
                        f"sheet {title!r} is hidden; kn reads only what can be seen: show "
                        "the sheet (unhide it) and save", file, title))
                return title
    shown = [title for title, visible in titles if visible]
    if len(shown) == 1:
        return shown[0]
    named = " or ".join(repr(n.capitalize()) for n in sheet_names)
    if not shown:
        raise DataError(Problem(f"every sheet is hidden; kn reads only what can be seen: show "
                                f"the sheet {named}", file))
    raise DataError(Problem(
        f"the workbook has {len(shown)} sheets ({', '.join(shown)}) and none is named "
        f"{named}; name the sheet to read {named}", file))


def read_xlsx(content: bytes, file: str, sheet_names: tuple[str, ...] | None = None,
              also: tuple[str, ...] = ()) -> list[Table]:
    """The sheets of a workbook, from one parse: the one :func:`choose_sheet` picks when
    ``sheet_names`` is given, then the visible sheets named one of ``also`` (a budget's
    Plan); else every visible sheet. Raises :class:`DataError` with every hidden row or
    column that holds a value."""
    from koordination.io.safe_zip import check_xlsx_bytes, require_defusedxml, workbook_problem

    require_defusedxml()
    check_xlsx_bytes(content, file)
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        # openpyxl warns about features it drops (data validation, styles): not our business
        # when reading values, and warnings are errors under the test suite.
        warnings.simplefilter("ignore")
        try:
            values = load_workbook(io.BytesIO(content), data_only=True)
            formulas = load_workbook(io.BytesIO(content), data_only=False, read_only=True)
            with closing(values), closing(formulas):
                titles = [(str(ws.title), ws.sheet_state == "visible") for ws in values.worksheets]
                if sheet_names is None:
                    chosen = [title for title, visible in titles if visible]
                else:
                    chosen = [choose_sheet(titles, sheet_names, file)]
                    chosen += [title for title, visible in titles if visible
                               and title not in chosen and title.strip().lower() in also]
                named = len(titles) > 1 or sheet_names is not None
                return [_sheet(values[title], formulas[title], file, named) for title in chosen]
        except DataError:
            raise
        except Exception as err:  # openpyxl raises anything from KeyError to XML errors, also
            # while the streaming pass parses a damaged sheet
            raise DataError(Problem(workbook_problem(err), file)) from None


def _hidden_columns(ws: Any) -> set[int]:
    hidden: set[int] = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden or (dim.customWidth and dim.width == 0):
            hidden.update(range(dim.min or 1, (dim.max or dim.min or 1) + 1))
    return hidden


def _sheet(ws: Any, raw: Any, file: str, named: bool) -> Table:
    """One sheet: the cells the streaming pass over the formulas finds, with the values the
    spreadsheet last calculated."""
    title = str(ws.title)
    at = f"{title}!" if named else ""
    hidden_cols = _hidden_columns(ws)  # each is reported once, at its first value
    problems: list[Problem] = []
    raw.reset_dimensions()  # read the rows that are there, not the sheet's declared size
    rows: list[Row] = []
    for found in raw.iter_rows():
        cells = []
        for source in found:
            stored = source.value
            if stored is None:
                continue
            formula = None
            if source.data_type == "f" or (isinstance(stored, str) and stored.startswith("=")):
                formula = stored if isinstance(stored, str) else str(getattr(stored, "text", ""))
            cell = ws.cell(row=source.row, column=source.column)
            value = cell.value
            if isinstance(value, str):
                value = clean(value)
                if not value:
                    continue
            if value is None and formula is None:
                continue
            cells.append(Cell(source.row, source.column, value, str(cell.number_format or
                                                                    "General"), formula))
        if not cells:
            continue
        number = cells[0].row
        dim = ws.row_dimensions.get(number)
        if dim is not None and (dim.hidden or (dim.customHeight and dim.ht == 0)):
            shown = cells[0]
            problems.append(Problem(
                f"row {number} is hidden or filtered out and holds {shown.text or shown.formula!r}"
                f" ({shown.ref}); kn reads only what can be seen: unhide or delete it", file,
                f"{at}row {number}"))
            continue
        for cell in cells:
            if cell.col in hidden_cols:
                hidden_cols.discard(cell.col)
                problems.append(Problem(
                    f"column {column_letter(cell.col)} is hidden and holds "
                    f"{cell.text or cell.formula!r} ({cell.ref}); kn reads only what can be seen: "
                    f"unhide or delete it", file, f"{at}{cell.ref}"))
        rows.append(Row(number, tuple(cells)))
    if problems:
        raise DataError(problems)
    merged = tuple((r.min_row, r.min_col, r.max_row, r.max_col, r.coord)
                   for r in ws.merged_cells.ranges)
    return Table(title if named else None, "xlsx", tuple(rows), merged)
