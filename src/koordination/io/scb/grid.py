"""A table file as a grid of text cells, read by pandas.

pandas reads the bytes (``read_csv`` for comma, semicolon or tab separated text,
``read_excel`` with openpyxl for workbooks); kn then finds the table in the grid
(:mod:`koordination.io.scb.exports`). Every CSV cell is read as text (``dtype=str``, no
missing-value guessing), so a code keeps its leading zero and no figure passes through a
float. A workbook stores numbers as binary doubles: a number cell is kept as the shortest
decimal text of the stored double (``44605``, ``12.5``) and marked as such, so the figure
reader knows its point is a decimal point.

Every cell is cleaned the same way: Unicode NFC (a decomposed ``Va\u0308rmdo\u0308`` is
``Värmdö``), zero-width characters and byte order marks removed, spaces (also no-break and
thin spaces) trimmed at both ends.

pandas is imported inside the readers only, so commands that read no export never load it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from koordination.core.errors import DataError, Problem

#: Characters that are no part of any text in a table: zero-width space, non-joiner and
#: joiner, word joiner, soft hyphen, byte order mark.
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\u00ad\ufeff]")
_SPACES = " \t\r\n\u00a0\u202f\u2009\u2007\u3000"


def clean(text: str) -> str:
    """NFC, without invisible characters, trimmed of spaces of every kind."""
    if text.isascii():
        return text.strip(_SPACES)
    return _clean(text)


@lru_cache(maxsize=1 << 14)
def _clean(text: str) -> str:
    return INVISIBLE.sub("", unicodedata.normalize("NFC", text)).strip(_SPACES)


@dataclass(frozen=True)
class Grid:
    """The cells of one sheet (or CSV file) as text, row by row; row ``i`` is the file's
    row ``i + 1``. ``numeric`` holds the (row, column) of workbook cells that held a number.
    """

    rows: list[list[str]]
    numeric: frozenset[tuple[int, int]]
    format: str
    sheet: str | None = None

    def cell(self, row: int, col: int | None) -> str:
        line = self.rows[row]
        return line[col] if col is not None and col < len(line) else ""

    def is_number(self, row: int, col: int) -> bool:
        return (row, col) in self.numeric


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
        counts = [len(next(csv.reader([line], delimiter=delim))) for line in lines]
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        # Lines split into the most common column count (the table's rows) weigh most.
        common = max(set(multi), key=multi.count)
        score = multi.count(common) * 10 + common
        if score > best_score:
            best, best_score = delim, score
    return best


#: More columns than any table of municipalities has (101 ages, or decades of years).
MAX_COLUMNS = 1000
_UNCLOSED = re.compile(r"EOF inside string starting at row (\d+)")


def read_csv_grid(text: str, file: str) -> Grid:
    """The cells of a CSV text (comma, semicolon or tab separated, sniffed)."""
    import pandas as pd

    delim = sniff_delimiter(text)
    # Lines may differ in length (a title line above the table); give pandas as many columns
    # as the longest line could hold, and drop the ones that stay empty.
    width = max((line.count(delim) for line in text.splitlines()), default=0) + 1
    if width > MAX_COLUMNS:
        line = next(i for i, t in enumerate(text.splitlines()) if t.count(delim) + 1 == width)
        raise DataError(Problem(f"a line of {width} cells; a table of municipalities has at "
                                f"most {MAX_COLUMNS} columns (is it the right file?)", file,
                                f"row {line + 1}"))
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delim, header=None, names=range(width),
                            dtype=str, keep_default_na=False, na_filter=False,
                            skip_blank_lines=False, quotechar='"', engine="c")
    except pd.errors.ParserError as err:
        unclosed = _UNCLOSED.search(str(err))
        where = f"row {int(unclosed.group(1)) + 1}" if unclosed else None
        what = ("a quotation mark opened here is never closed" if unclosed
                else "the lines cannot be split into cells")
        raise DataError(Problem(f"not valid CSV ({what}); save the table again as CSV", file,
                                where)) from None
    except pd.errors.EmptyDataError:
        return Grid([], frozenset(), _csv_format(delim))
    rows = [[clean(cell) for cell in row] for row in frame.to_numpy(dtype=object).tolist()]
    return Grid(_trim(rows), frozenset(), _csv_format(delim))


def _csv_format(delim: str) -> str:
    return f"CSV ({ {',': 'comma', ';': 'semicolon', chr(9): 'tab'}[delim]} separated)"


def _trim(rows: list[list[str]]) -> list[list[str]]:
    width = max((i + 1 for row in rows for i, cell in enumerate(row) if cell), default=0)
    return [row[:width] for row in rows]


def _cell_text(value: Any) -> tuple[str, bool]:
    """A workbook cell as text, and whether it held a number."""
    if value is None or (isinstance(value, float) and value != value):  # empty (NaN)
        return "", False
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        if value in (float("inf"), float("-inf")):
            return str(value), False
        exact = Decimal(repr(value))
        return (str(int(exact)) if exact == exact.to_integral_value() else repr(value)), True
    if isinstance(value, (datetime, date)):
        return value.isoformat()[:10] if isinstance(value, datetime) else value.isoformat(), \
            False
    return clean(str(value)), False


def read_xlsx_grids(content: bytes, file: str) -> list[Grid]:
    """The sheets of a workbook (its bytes, read through the gate), each as a grid. The
    bytes are checked first (:func:`koordination.io.safe_zip.check_xlsx_bytes`: zip bomb,
    XML entities), then pandas reads them."""
    import pandas as pd

    from koordination.io.safe_zip import check_xlsx_bytes, require_defusedxml, workbook_problem

    require_defusedxml()
    check_xlsx_bytes(content, file)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (styles, validation): not our business.
            warnings.simplefilter("ignore")
            sheets = pd.read_excel(io.BytesIO(content), sheet_name=None, header=None,
                                   dtype=object, engine="openpyxl")
    except DataError:
        raise
    except Exception as err:  # openpyxl raises anything from KeyError to XML errors
        raise DataError(Problem(workbook_problem(err), file)) from None
    grids = []
    for title, frame in sheets.items():
        rows: list[list[str]] = []
        numeric: set[tuple[int, int]] = set()
        for r, values in enumerate(frame.to_numpy(dtype=object).tolist()):
            row = []
            for c, value in enumerate(values):
                text, number = _cell_text(value)
                row.append(text)
                if number:
                    numeric.add((r, c))
            rows.append(row)
        grids.append(Grid(_trim(rows), frozenset(numeric), "xlsx",
                          str(title) if len(sheets) > 1 else None))
    return grids
