"""Shared workbook plumbing: styles, safe text cells, deterministic bytes."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet import _writer as sheet_writer
from openpyxl.worksheet.merge import MergedCellRange
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
    cell = _cell(ws, row, col)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XML cannot hold
        if len(text) <= 32767:  # what openpyxl would check again; bound directly
            cell._value, cell.data_type = text, "s"
        else:
            cell.value = text  # openpyxl's own error
            cell.data_type = "s"
    elif type(value) is int or type(value) is Decimal:
        cell._value, cell.data_type = value, "n"
    elif isinstance(value, Fraction):
        cell.value = number(value)
    else:
        cell.value = value
    _style(cell, fmt, style)
    return cell


def _cell(ws: Worksheet, row: int, col: int) -> Any:
    """``ws.cell(row, col)`` without its checks, for the cells kn writes (a workbook of 290
    members has four thousand)."""
    cell = ws._cells.get((row, col))
    if cell is None:
        if row < 1 or col < 1:
            return ws.cell(row=row, column=col)  # openpyxl's own message
        cell = ws._cells[(row, col)] = Cell(ws, row=row, column=col)
        if row > ws._current_row:
            ws._current_row = row
    return cell


def merge(ws: Worksheet, start_row: int, start_column: int, end_row: int, end_column: int
          ) -> None:
    """``ws.merge_cells`` for a range whose top-left cell is written and whose other cells are
    not: openpyxl's border work is done once per look of the top-left cell and then copied
    (one merged row per segment would otherwise cost a millisecond each)."""
    start = ws._cells.get((start_row, start_column))
    others = [(r, c) for r in range(start_row, end_row + 1)
              for c in range(start_column, end_column + 1) if (r, c) != (start_row, start_column)]
    if start is None or type(start) is not Cell or any(rc in ws._cells for rc in others):
        ws.merge_cells(start_row=start_row, start_column=start_column, end_row=end_row,
                       end_column=end_column)
        return
    look = start._style.tobytes() if start._style is not None else b""
    key = (end_row - start_row, end_column - start_column, look)
    cache = ws.parent.__dict__.setdefault("_kn_merges", {})
    if key not in cache:
        ws.merge_cells(start_row=start_row, start_column=start_column, end_row=end_row,
                       end_column=end_column)
        cache[key] = [(r - start_row, c - start_column, _copy_style(ws._cells[(r, c)]))
                      for r, c in others]
        return
    span = f"{get_column_letter(start_column)}{start_row}:{get_column_letter(end_column)}{end_row}"
    ws.merged_cells.add(MergedCellRange(ws, span))
    for dr, dc, style in cache[key]:
        cell = MergedCell(ws, start_row + dr, start_column + dc)
        cell._style = None if style is None else style.__copy__()
        ws._cells[(start_row + dr, start_column + dc)] = cell


def _copy_style(cell: Any) -> Any:
    return None if cell._style is None else cell._style.__copy__()


def formula(ws: Worksheet, row: int, col: int, text: str, fmt: str | None = None,
            **style: Any) -> Any:
    cell = _cell(ws, row, col)
    cell.value = text
    _style(cell, fmt, style)
    return cell


_CACHEABLE = frozenset({"font", "fill", "border", "alignment", "protection"})


def _style(cell: Any, fmt: str | None, style: dict[str, Any]) -> None:
    """Give ``cell`` a number format and style objects.

    openpyxl hashes every style object on every assignment; a workbook of 290 members makes
    thousands of them. The first fresh cell with a combination is styled the usual way and its
    style indices are kept (with the objects, so their ids stay theirs) for the next ones.
    """
    if not fmt and not style:
        return
    cacheable = (cell._style is None or not any(cell._style)) and style.keys() <= _CACHEABLE
    if cacheable:
        ws = cell.parent
        cache = ws.__dict__.get("_kn_styles")
        if cache is None:
            cache = ws._kn_styles = {}
        key = (fmt, *style, *map(id, style.values()))
        hit = cache.get(key)
        if hit is not None:
            cell._style = hit[1].__copy__()
            return
    if fmt:
        cell.number_format = fmt
    for name, obj in style.items():
        setattr(cell, name, obj)
    if cacheable:
        cache[key] = (tuple(style.values()), cell._style.__copy__())


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


def _plain_cells(stock: Callable[..., Any]) -> Callable[..., Any]:
    """openpyxl's cell writer, with the XML of plain cells (whole numbers and Decimals, text,
    formulas) written as one string: the same bytes at half the cost, which is most of the
    time a 290-member workbook takes. Any other cell goes to openpyxl's own ``stock``."""

    styles: dict[bytes, str] = {}  # a style's attribute, once openpyxl has registered it

    def write_cell(xf: Any, worksheet: Any, cell: Any, styled: bool | None = None) -> Any:
        write = getattr(xf, "_file", None)
        if write is None or type(cell) is not Cell or cell._hyperlink is not None:
            return stock(xf, worksheet, cell, styled)
        value, kind = cell._value, cell.data_type
        if value is None or value == "":
            return stock(xf, worksheet, cell, styled)
        style = ""
        if styled:
            key = cell._style.tobytes()
            style = styles.get(key) or styles.setdefault(key, f' s="{cell.style_id}"')
        if kind == "n" and (type(value) is int or type(value) is Decimal and value.is_finite()):
            number = "%.16g" % value  # noqa: UP031 - openpyxl's own text for numbers
            write(f'<c r="{cell.coordinate}"{style} t="n"><v>{number}</v></c>')
        elif kind == "s" and type(value) is str:
            stripped = value.strip()
            space = ' xml:space="preserve"' if stripped and stripped != value else ""
            write(f'<c r="{cell.coordinate}"{style} t="inlineStr"><is><t{space}>'
                  f"{_escape(value)}</t></is></c>")
        elif kind == "f" and type(value) is str:
            write(f'<c r="{cell.coordinate}"{style}><f>{_escape(value[1:])}</f><v /></c>')
        else:
            return stock(xf, worksheet, cell, styled)
        return None

    return write_cell


def _plain_rows(stock: Callable[..., Any]) -> Callable[..., Any]:
    """openpyxl's row writer, with the tags of rows without row attributes written directly
    (the cells inside go through the same cell writer); any other row goes to ``stock``."""

    def write_row(self: Any, xf: Any, row: Any, row_idx: int) -> None:
        write = getattr(xf, "_file", None)
        if write is None or row_idx in self.ws.row_dimensions or any(
            cell._comment is not None for cell in row
        ):
            return stock(self, xf, row, row_idx)  # type: ignore[no-any-return]
        write(f'<row r="{row_idx}">')
        for cell in row:
            styled = cell.has_style
            if cell._value is None and not styled:
                continue
            sheet_writer.write_cell(xf, self.ws, cell, styled)
        write("</row>")
        return None

    return write_row


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_bytes(wb: Workbook) -> bytes:
    """The workbook's bytes, identical for identical content (fixed times in the document
    properties and in every zip entry), with no character XML 1.0 forbids; written once,
    compressed once."""
    out = io.BytesIO()
    stock, stock_row = sheet_writer.write_cell, sheet_writer.WorksheetWriter.write_row
    sheet_writer.write_cell = _plain_cells(stock)
    sheet_writer.WorksheetWriter.write_row = _plain_rows(stock_row)
    try:
        with _FixedTimeZip(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(wb, archive).save()
    finally:
        sheet_writer.write_cell = stock
        sheet_writer.WorksheetWriter.write_row = stock_row
    return out.getvalue()
