"""Shared workbook plumbing: looks registered once per workbook, safe text cells, formulas that
carry their values, page frames within Excel's limits, and deterministic bytes.

Every workbook kn writes goes through XlsxWriter: it stores a formula together with its
calculated value (so a preview, a phone, pandas or Power Query shows the totals Excel shows)
and writes a workbook several times faster than openpyxl, which stays the reader of the
workbooks users give kn. Rows and columns are counted from 1 here, as a reader counts them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from koordination.core.money import to_decimal

_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# money: thousands separated, a true minus sign (U+2212), never a plain hyphen
KR = "#,##0;−#,##0;0"
KR_ORE = "#,##0.00;−#,##0.00;0.00"
INT = "#,##0"
PCT = "0.00%"
EXACT = "#,##0.0000"
DATE = "yyyy-mm-dd"

FONT_NAME = "Calibri"  # named on every cell, so that Excel and LibreOffice print alike
Look = Mapping[str, Any]  # a part of a cell's look, as XlsxWriter's format properties
PLAIN: Look = {}
BOLD: Look = {"bold": True}
TITLE: Look = {"bold": True, "font_size": 14}
ITALIC: Look = {"italic": True}
HEADER_FILL: Look = {"pattern": 1, "bg_color": "#DDE5F0"}
TOTAL_FILL: Look = {"pattern": 1, "bg_color": "#F2F2F2"}
FILL_IN: Look = {"pattern": 1, "bg_color": "#FFF2CC"}
_GREY = "#808080"
BOX: Look = {"border": 1, "border_color": _GREY}
TOTAL_BOX: Look = {"left": 1, "right": 1, "left_color": _GREY, "right_color": _GREY,
                   "top": 2, "bottom": 2, "top_color": "#404040", "bottom_color": "#404040"}
WRAP: Look = {"text_wrap": True, "valign": "top"}
TOP: Look = {"valign": "top"}
LEFT: Look = {"align": "left"}
HEADER_ALIGN: Look = {"text_wrap": True, "valign": "vcenter"}
_PARTS = ("font", "fill", "border", "alignment")

HEADER_MAX = 255  # Excel's limit for a page header or footer, codes included
A4 = 9  # Excel's paper size code
CM_PX = 96 / 2.54  # pixels per centimetre, as XlsxWriter sizes charts


def money_format(unit: Decimal, kr: bool = False) -> str:
    """Thousands separated, öre shown when the network rounds to öre; with ``kr`` the unit
    follows every figure (for a sheet whose column headings cannot carry it)."""
    text = KR if unit >= 1 else KR_ORE
    return with_kr(text) if kr else text


def with_kr(fmt: str) -> str:
    """``fmt`` with the unit after every figure, in every section (for figures whose column
    heading names no unit)."""
    return ";".join(f'{part}" kr"' for part in fmt.split(";"))


def signed_format(fmt: str) -> str:
    """``fmt`` with its sign always shown: +1 234 to pay, −1 234 to get back."""
    positive = fmt.split(";")[0]
    return f"+{positive};−{positive};" + ("0.00" if "." in positive else "0")


def number(value: Fraction | Decimal | int, places: int | None = None) -> Decimal | int:
    """A value stored as a number; Fractions become Decimals (never floats), rounded as the
    terminal and the JSON round them (:func:`koordination.core.money.to_decimal`)."""
    if isinstance(value, Fraction):
        return to_decimal(value, 6 if places is None else places)
    return value


def stored_number(value: Fraction | Decimal | int) -> Decimal | int:
    """A number as a cell stores it: a whole number as an integer ("905000", not
    "905000.00"), a Fraction as a Decimal, never a float."""
    value = number(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def clean(text: str) -> str:
    """``text`` without the control characters XML 1.0 cannot hold."""
    return _XML_ILLEGAL.sub("", text)


class Book:
    """One workbook being written: its sheets and its looks, each registered once."""

    def __init__(self, created: date) -> None:
        self.out = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.out, {
            "in_memory": True,  # no temporary files, and fixed times in the zip
            "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False,
        })
        self.wb.set_properties({
            "author": "kn", "created": datetime(created.year, created.month, created.day),
        })
        self.sheets: list[Sheet] = []
        self._by_parts: dict[tuple[Any, ...], tuple[Format | None, tuple[Any, ...]]] = {}
        self._by_content: dict[tuple[Any, ...], Format] = {}

    def sheet(self, name: str) -> Sheet:
        sheet = Sheet(self, self.wb.add_worksheet(clean(name)))
        self.sheets.append(sheet)
        return sheet

    def look(self, fmt: str | None, style: Mapping[str, Look | None]) -> Format | None:
        """The format of a number format and style parts (font, fill, border, alignment),
        created once per workbook."""
        get = style.get
        parts = (get("font"), get("fill"), get("border"), get("alignment"))
        key = (fmt, id(parts[0]), id(parts[1]), id(parts[2]), id(parts[3]))
        known = self._by_parts.get(key)
        if known is not None:
            return known[0]
        if set(style) - set(_PARTS):
            raise TypeError(f"not a cell style: {', '.join(sorted(set(style) - set(_PARTS)))}")
        props: dict[str, Any] = {}
        for part in parts:
            if part:
                props.update(part)
        if fmt:
            props["num_format"] = fmt
        content = tuple(sorted(props.items()))
        found: Format | None = None
        if props:
            found = self._by_content.get(content)
            if found is None:
                found = self._by_content[content] = self.wb.add_format(props)
        self._by_parts[key] = (found, parts)  # the parts kept: their ids stay theirs
        return found

    def chart(self, options: dict[str, Any]) -> Any:
        return self.wb.add_chart(options)


class Sheet:
    """A worksheet and what kn needs to know of it while writing: the numbers in its cells
    (a formula's value is what any spreadsheet calculates from them), its page frame."""

    def __init__(self, book: Book, ws: Worksheet) -> None:
        self.book = book
        self.ws = ws
        self.values: dict[tuple[int, int], Any] = {}
        self.looks: dict[tuple[int, int], Format | None] = {}
        self.header = ""
        self.status = ""
        self.footer_left = ""
        self.page_of = ""
        self.widths: list[float] = []

    @property
    def title(self) -> str:
        return str(self.ws.get_name())


def put(ws: Sheet, row: int, col: int, value: Any, fmt: str | None = None,
        **style: Look | None) -> None:
    """Write one cell. Text is always text: a name starting with =, +, - or @ never becomes a
    formula (only :func:`formula` writes formulas); control characters are dropped. A date
    without a number format reads as one (yyyy-mm-dd)."""
    if isinstance(value, date) and fmt is None:
        fmt = DATE
    look = ws.book.look(fmt, style) if (fmt or style) else None
    put_raw(ws, row, col, value, look)


def put_raw(ws: Sheet, row: int, col: int, value: Any, look: Format | None) -> None:
    r, c = row - 1, col - 1
    sheet = ws.ws
    if value is None or value == "":
        value = None  # an empty text is an empty cell
        if look is not None:
            sheet.write_blank(r, c, None, look)
    elif isinstance(value, str):
        if not value.isprintable():  # only then can it hold a control character
            value = clean(value)
        sheet.write_string(r, c, value, look)
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value, look)
    elif isinstance(value, date):
        sheet.write_datetime(r, c, value, look)
    else:
        value = stored_number(value)
        sheet.write_number(r, c, value, look)
    ws.values[row, col] = value
    ws.looks[row, col] = look


def formula(ws: Sheet, row: int, col: int, text: str, fmt: str | None, value: Any,
            **style: Look | None) -> None:
    """Write a formula with its calculated ``value`` (a number or a text)."""
    look = ws.book.look(fmt, style) if (fmt or style) else None
    if not isinstance(value, (str, bool)):
        value = stored_number(value)
    stored = clean(value) if isinstance(value, str) else value
    ws.ws.write_formula(row - 1, col - 1, text, look, stored)
    ws.values[row, col] = value
    ws.looks[row, col] = look


def cell(row: int, col: int) -> str:
    """``B7`` for row 7, column 2."""
    return str(xl_rowcol_to_cell(row - 1, col - 1))


def letter(col: int) -> str:
    return str(xl_col_to_name(col - 1))


def total(ws: Sheet, row: int, col: int, rows: Iterable[int], fmt: str | None,
          **style: Look | None) -> None:
    """``=SUM(...)`` of column ``col`` over ``rows`` (a range written as one), with the sum
    of the numbers in those cells as its value."""
    rows = list(rows)
    name = letter(col)
    if not rows:
        text = "=0"
    elif rows == list(range(rows[0], rows[-1] + 1)):
        text = f"=SUM({name}{rows[0]}:{name}{rows[-1]})"
    else:
        text = "=SUM(" + ",".join(f"{name}{r}" for r in rows) + ")"
    figures = [ws.values.get((r, col)) for r in rows]
    value = sum((v for v in figures if isinstance(v, (int, Decimal)) and
                 not isinstance(v, bool)), Decimal(0))
    formula(ws, row, col, text, fmt, value, **style)


def merge(ws: Sheet, start_row: int, start_column: int, end_row: int, end_column: int
          ) -> None:
    """Merge the range; its top-left cell keeps its value and look."""
    if (start_row, start_column) == (end_row, end_column):
        return
    value = ws.values.get((start_row, start_column))
    look = ws.looks.get((start_row, start_column))
    # the top-left cell as put wrote it (its value is already the stored one: text without
    # control characters, a number as a cell stores it); the other cells blank, in its look
    ws.ws.merge_range(start_row - 1, start_column - 1, end_row - 1, end_column - 1,
                      "" if value is None else value, look)


def header_row(ws: Sheet, row: int, titles: Sequence[str]) -> None:
    for col, title in enumerate(titles, start=1):
        put(ws, row, col, title, font=BOLD, fill=HEADER_FILL, border=BOX,
            alignment=HEADER_ALIGN)


def widths(ws: Sheet, sizes: Sequence[float]) -> None:
    ws.widths = list(sizes)
    for col, size in enumerate(sizes):
        ws.ws.set_column(col, col, size)


def hide_column(ws: Sheet, col: int, width: float) -> None:
    ws.ws.set_column(col - 1, col - 1, width, None, {"hidden": True})


def height(ws: Sheet, row: int, points: float) -> None:
    ws.ws.set_row(row - 1, points)


def freeze(ws: Sheet, row: int, col: int = 1) -> None:
    """Rows above ``row`` and columns left of ``col`` stay in view."""
    ws.ws.freeze_panes(row - 1, col - 1)


def repeat_rows(ws: Sheet, first: int, last: int | None = None) -> None:
    """Rows printed on top of every page."""
    ws.ws.repeat_rows(first - 1, (last or first) - 1)


def print_area(ws: Sheet, last_row: int, last_col: int) -> None:
    ws.ws.print_area(0, 0, last_row - 1, last_col - 1)


def a4(ws: Sheet, landscape: bool = False) -> None:
    """A4, one page wide, as many pages down as it takes, centred."""
    ws.ws.set_paper(A4)
    if landscape:
        ws.ws.set_landscape()
    else:
        ws.ws.set_portrait()
    ws.ws.fit_to_pages(1, 0)
    ws.ws.center_horizontally()
    ws.ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)


def header_text(text: str) -> str:
    """Text for a page header or footer: ``&`` starts a code there, so it is doubled."""
    return clean(text).replace("&", "&&")


def page_frame(ws: Sheet, header: str, footer_left: str, page_of: str,
               status: str = "") -> None:
    """The printed page's frame: ``header`` centred on top (bold), ``status`` (what the
    document rests on: "Förslag", "Beslutad 2015-03-01") on top at the right, ``footer_left``
    at the bottom left and the page number at the bottom right. ``page_of`` holds ``{page}``
    and ``{pages}`` (e.g. "Sida {page} av {pages}")."""
    ws.header, ws.footer_left, ws.page_of = header, footer_left, page_of
    if status:
        ws.status = status


def stamp(book: Book, short: str, long: str, row: int = 3) -> None:
    """Say on every page what the document rests on: ``short`` ("Förslag", "Beslutad
    2015-03-01") in every sheet's page header, ``long`` (who decided, when, §) in bold on
    ``row`` of the first sheet."""
    for ws in book.sheets:
        ws.status = short
    if book.sheets:
        first = book.sheets[0]
        put(first, row, 1, long, font=BOLD, alignment=WRAP)
        # across the table's width, wrapped: a long decision line is never cut at the edge
        columns = len(first.widths) or 1
        merge(first, row, 1, row, columns)
        height(first, row, text_height(long, sum(first.widths[:columns]) or 60))


def _shortened(text: str, room: int) -> str:
    """``text`` escaped for a page header in at most ``room`` characters, cut with "…"."""
    escaped = header_text(text)
    if len(escaped) <= room:
        return escaped
    cut = text
    while cut and len(header_text(cut).rstrip("&")) + 1 > room:
        cut = cut[:-1]
    return header_text(cut.rstrip()) + "…" if room > 0 else ""


def frame_codes(header: str, status: str, footer_left: str, page_of: str
                ) -> tuple[str, str]:
    """The page header and footer as Excel codes, each within Excel's 255 characters: a long
    name is shortened (the whole name stays in the sheet's title)."""
    # the size before the font: a size code right before text starting with a digit
    # ("&9" "2014: Förslag") would read as one number
    status_part = f'&R&9&"{FONT_NAME},Regular"{_shortened(status, 80)}' if status else ""
    head = f'&C&10&"{FONT_NAME},Bold"'
    head += _shortened(header, HEADER_MAX - len(head) - len(status_part)) + status_part
    pages = header_text(page_of).format(page="&P", pages="&N")
    right = f'&R&8&"{FONT_NAME},Regular"{pages}'
    left = f'&L&8&"{FONT_NAME},Regular"'
    foot = left + _shortened(footer_left, HEADER_MAX - len(left) - len(right)) + right
    return head, foot


def _finish(ws: Sheet) -> None:
    if ws.header or ws.status or ws.footer_left:
        head, foot = frame_codes(ws.header, ws.status, ws.footer_left, ws.page_of)
        ws.ws.set_header(head, {"margin": 0.3})
        ws.ws.set_footer(foot, {"margin": 0.3})


def new_workbook(created: date) -> Book:
    """A workbook whose document properties say it was created on ``created`` (the first day
    of the year it is about), so that the same inputs give the same bytes."""
    return Book(created)


def to_bytes(book: Book) -> bytes:
    """The workbook's bytes, identical for identical content (XlsxWriter writes every zip
    entry with the same time; the document's dates are fixed by :func:`new_workbook`)."""
    for ws in book.sheets:
        _finish(ws)
    book.wb.close()
    return book.out.getvalue()


def text_height(text: str, width: float) -> float:
    """The height in points of a row whose wrapped ``text`` fills a cell ``width`` wide
    (spreadsheets do not grow rows for wrapped text they did not lay out themselves)."""
    per_line = max(1, int(width))
    lines = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
    return 15.0 * lines + 2


def figure(ws: Sheet, row: int, col: int) -> Decimal:
    """The number written in a cell (0 for an empty or text cell), for a formula's value."""
    value = ws.values.get((row, col))
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return Decimal(0)
    return Decimal(value)
