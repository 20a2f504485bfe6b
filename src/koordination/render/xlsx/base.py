"""Shared workbook plumbing: styles, safe text cells, deterministic bytes."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

FIXED_TIME = datetime(2000, 1, 1)
_XML_ILLEGAL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
KR = "#,##0"
KR_ORE = "#,##0.00"
INT = "#,##0"
PCT = "0.00%"
EXACT = "#,##0.0000"

FONT_NAME = "Calibri"  # named on every cell, so that Excel and LibreOffice print alike
PLAIN = Font(name=FONT_NAME, size=11)
BOLD = Font(name=FONT_NAME, size=11, bold=True)
TITLE = Font(name=FONT_NAME, bold=True, size=14)
ITALIC = Font(name=FONT_NAME, size=11, italic=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOTAL_BOX = Border(left=THIN, right=THIN, top=Side(style="medium", color="404040"),
                   bottom=Side(style="medium", color="404040"))
WRAP = Alignment(wrap_text=True, vertical="top")


def money_format(unit: Decimal, kr: bool = False) -> str:
    """Thousands separated, öre shown when the network rounds to öre; with ``kr`` the unit
    follows every figure (for a sheet whose column headings cannot carry it)."""
    text = KR if unit >= 1 else KR_ORE
    return f'{text}" kr"' if kr else text


def number(value: Fraction | Decimal | int, places: int | None = None) -> Decimal | int:
    """A value openpyxl stores as a number; Fractions become Decimals (never floats)."""
    if isinstance(value, Fraction):
        places = 6 if places is None else places
        q = Decimal(1).scaleb(-places)
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(q)
    return value


def put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None, **style: Any) -> Any:
    """Write one cell. Text is always text: a name starting with =, +, - or @ never becomes a
    formula (only :func:`formula` writes formulas); control characters are dropped."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XML cannot hold
        cell.data_type = "s"  # "=..." stays the text it is
    else:
        cell.value = number(value) if isinstance(value, Fraction) else value
    _style(cell, fmt, style)
    return cell


def merge(ws: Worksheet, start_row: int, start_column: int, end_row: int, end_column: int
          ) -> None:
    """Merge the range; its top-left cell keeps its value and look."""
    ws.merge_cells(start_row=start_row, start_column=start_column, end_row=end_row,
                   end_column=end_column)


def formula(ws: Worksheet, row: int, col: int, text: str, fmt: str | None = None,
            **style: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    cell.value = text
    _style(cell, fmt, style)
    return cell


def _style(cell: Any, fmt: str | None, style: dict[str, Any]) -> None:
    """Give ``cell`` a number format and style objects (font, fill, border, alignment)."""
    if fmt:
        cell.number_format = fmt
    for name, obj in style.items():
        setattr(cell, name, obj)


def header_row(ws: Worksheet, row: int, titles: list[str]) -> None:
    for col, title in enumerate(titles, start=1):
        put(ws, row, col, title, font=BOLD, fill=HEADER_FILL, border=BOX,
            alignment=Alignment(wrap_text=True, vertical="center"))


def widths(ws: Worksheet, sizes: list[int]) -> None:
    for col, size in enumerate(sizes, start=1):
        ws.column_dimensions[get_column_letter(col)].width = size


def a4(ws: Worksheet, landscape: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5


def header_text(text: str) -> str:
    """Text for a page header or footer: ``&`` starts a code there, so it is doubled."""
    return text.replace("&", "&&")


def page_frame(ws: Worksheet, header: str, footer_left: str, page_of: str,
               status: str = "") -> None:
    """The printed page's frame: ``header`` centred on top (bold), ``status`` (what the
    document rests on: "Förslag", "Beslutad 2015-03-01") on top at the right, ``footer_left``
    at the bottom left and the page number at the bottom right. ``page_of`` holds ``{page}``
    and ``{pages}`` (e.g. "Sida {page} av {pages}")."""
    ws.oddHeader.center.text = "&B" + header_text(header)
    ws.oddHeader.center.size = 10
    ws.oddHeader.center.font = FONT_NAME
    if status:
        ws.oddHeader.right.text = header_text(status)
        ws.oddHeader.right.size = 9
        ws.oddHeader.right.font = FONT_NAME
    ws.oddFooter.left.font = ws.oddFooter.right.font = FONT_NAME
    ws.oddFooter.left.text = header_text(footer_left)
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = header_text(page_of).format(page="&P", pages="&N")
    ws.oddFooter.right.size = 8
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3


def stamp(wb: Workbook, short: str, long: str, row: int = 3) -> None:
    """Say on every page what the document rests on: ``short`` ("Förslag", "Beslutad
    2015-03-01") in every sheet's page header, ``long`` (who decided, when, §) in bold on
    ``row`` of the first sheet."""
    for ws in wb.worksheets:
        ws.oddHeader.right.text = header_text(short)
        ws.oddHeader.right.size = 9
        ws.oddHeader.right.font = FONT_NAME
    if wb.worksheets:
        put(wb.worksheets[0], row, 1, long, font=BOLD)


def text_height(text: str, width: int) -> float:
    """The height in points of a row whose wrapped ``text`` fills a cell ``width`` wide
    (spreadsheets do not grow rows for wrapped text they did not lay out themselves)."""
    per_line = max(1, width)
    lines = max(1, -(-len(text) // per_line))
    return 15.0 * lines + 2


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "kn"
    wb.properties.lastModifiedBy = "kn"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return wb


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry the same time and mode, however openpyxl adds them."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        name = (
            zinfo_or_arcname.filename
            if isinstance(zinfo_or_arcname, zipfile.ZipInfo)
            else zinfo_or_arcname
        )
        fixed = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
        fixed.compress_type = zipfile.ZIP_DEFLATED
        fixed.external_attr = 0o644 << 16
        if name.endswith((".xml", ".rels")):
            # Text from files (a name in a page header, a chart title) may hold control
            # characters that XML 1.0 cannot; a workbook holding them would not open.
            content = data.encode("utf-8") if isinstance(data, str) else data
            data = _XML_ILLEGAL.sub(b"", content)
        super().writestr(fixed, data)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        with open(filename, "rb") as f:
            self.writestr(arcname or filename, f.read())


def to_bytes(wb: Workbook) -> bytes:
    """The workbook's bytes, identical for identical content (fixed times in the document
    properties and in every zip entry), with no character XML 1.0 forbids; written once,
    compressed once."""
    out = io.BytesIO()
    with _FixedTimeZip(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return out.getvalue()
