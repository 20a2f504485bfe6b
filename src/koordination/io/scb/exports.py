"""Reading population tables as they come: SCB's exports, third-party CSV, json-stat2.

Formats recognised by :func:`read_population_file`:

- the CSV that Statistikdatabasen's web table exports: a quoted header such as
  ``"region","2017"``, rows such as ``"0114 Upplands Väsby",44605``; Latin-1 or UTF-8 (with or
  without BOM), CRLF or LF, comma, semicolon or tab separated; title lines above the table;
- the same table exported as xlsx (title and note rows above and below the table);
- CSV with a code column and a population column, such as Kolada's
  ``kommunkod,folkmangd,ar,kalla`` (a year column is optional);
- json-stat2 as SCB's PxWebApi 2.0 returns it (and the json-stat of API v1).

Rows for Riket (the country, code 00) and counties (2-digit codes, names ending in "län") are
recognised and left out. Codes that lost their leading zero (``114``) are padded. A region that
is no municipality, the same municipality twice with different numbers, or a missing-value mark
(``..``, ``-``) where a figure is needed are problems, one line each.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from koordination.core.errors import DataError, Problem
from koordination.core.municipalities import UnknownMunicipality, by_code, lookup

MAX_IMPORT_BYTES = 20 * 1024 * 1024
KNOWN_FORMATS = (
    "Statistikdatabasen's CSV or xlsx export (region and year columns), "
    "a CSV with kommunkod and folkmängd columns (such as Kolada's), "
    "or json-stat2 from SCB's API"
)
MISSING_MARKS = {"..", "-", "…", ".", "–"}

_YEAR = re.compile(r"^(19[7-9]\d|20\d\d)$")
_REGION = re.compile(r"^(\d{1,4})(?:\s+(.*))?$")
_CODE_HEADERS = {"kommunkod", "kod", "regionkod", "kommun_kod", "kommunkod_scb", "region_code",
                 "code", "municipality_code", "kommunid", "kommun_id", "region"}
_VALUE_HEADERS = {"folkmangd", "folkmängd", "befolkning", "befolkningsmangd",
                  "befolkningsmängd", "population", "antal", "value", "varde", "värde",
                  "folkmangd_31dec", "n01951"}
_YEAR_HEADERS = {"ar", "år", "year", "tid", "period"}
_NAME_HEADERS = {"kommun", "kommunnamn", "namn", "name", "municipality"}


@dataclass(frozen=True)
class PopulationTable:
    """What a file holds: population by SCB code, and the date or year it names.

    Attributes:
        populations: figure per 4-digit code (municipalities only).
        year: the year named in the file (header, year column or time dimension), if any.
        month_day: ``"11-01"`` when the file says it is SCB's 1 November table, else None.
        format: a short name of the format read, for the report.
        left_out: regions recognised and left out (Riket, counties).
        missing: codes with SCB's missing-value mark, and the row it was on.
    """

    populations: dict[str, int]
    year: int | None
    month_day: str | None
    format: str
    left_out: tuple[str, ...] = ()
    missing: dict[str, str] = field(default_factory=dict)

    def reference_date(self, given: date | None, file: str) -> date:
        """The snapshot date: ``--date`` if given (it must agree with the file's year), else
        the file's year on 31 December (1 November for SCB's November table)."""
        if given is not None:
            if self.year is not None and self.year != given.year:
                raise DataError(
                    Problem(f"the file holds figures for {self.year} but --date is {given}; "
                            f"give --date {self.year}-{self.month_day or '12-31'} or the "
                            f"file for {given.year}", file)
                )
            return given
        if self.year is None:
            raise DataError(
                Problem("the file names no year; give the reference date with --date "
                        "YYYY-MM-DD", file)
            )
        month, day = (int(p) for p in (self.month_day or "12-31").split("-"))
        return date(self.year, month, day)


# -- entry point ------------------------------------------------------------------------------


def read_population_file(path: Path, file: str | None = None,
                         want_year: int | None = None) -> PopulationTable:
    """Detect the format of ``path`` and read it. ``want_year`` picks one year from a file
    that holds several."""
    name = file or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DataError(Problem("file not found", name)) from None
    except OSError as err:
        raise DataError(Problem(f"cannot read: {err.strerror}", name)) from None
    if path.is_dir():
        raise DataError(Problem("is a directory; give a file", name))
    if size > MAX_IMPORT_BYTES:
        raise DataError(
            Problem(f"file is {size // (1024 * 1024)} MB, more than a population table of "
                    f"{MAX_IMPORT_BYTES // (1024 * 1024)} MB; is it the right file?", name)
        )
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise DataError(Problem(f"cannot read: {err.strerror}", name)) from None
    if raw.startswith(b"PK\x03\x04"):
        return read_xlsx_table(path, name, want_year)
    text = decode_text(raw)
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            doc = json.loads(stripped)
        except json.JSONDecodeError as err:
            raise DataError(
                Problem(f"looks like JSON but is not valid JSON ({err.msg} at line {err.lineno})",
                        name)
            ) from None
        return populations_from_jsonstat(doc, name, want_year)
    if not stripped or "\x00" in text or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError(Problem(f"not a population table kn knows; it reads {KNOWN_FORMATS}",
                                name))
    return read_csv_table(text, name, want_year)


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Latin-1 (Statistikdatabasen's CSV is ISO-8859-1)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


# -- CSV and xlsx: rows of cells --------------------------------------------------------------


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


def read_csv_table(text: str, file: str, want_year: int | None = None) -> PopulationTable:
    delim = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    try:
        rows = [[cell.strip() for cell in row] for row in reader]
    except csv.Error as err:
        raise DataError(Problem(f"not valid CSV ({err}); save the table again as CSV", file,
                                f"row {reader.line_num}")) from None
    kind = {",": "comma", ";": "semicolon", "\t": "tab"}[delim]
    return interpret_rows(rows, file, want_year, f"CSV ({kind} separated)", row_base=1,
                          title=_title_text(rows))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


def read_xlsx_table(path: Path, file: str, want_year: int | None = None) -> PopulationTable:
    from koordination.io.excel import open_workbook

    wb = open_workbook(path, file, data_only=True)
    try:
        first_error: DataError | None = None
        for ws in wb.worksheets:
            rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            if not any(any(cell for cell in row) for row in rows):
                continue
            try:
                return interpret_rows(rows, file, want_year, "xlsx", row_base=1,
                                      sheet=ws.title if len(wb.worksheets) > 1 else None,
                                      title=_title_text(rows))
            except DataError as err:
                first_error = first_error or err
        if first_error is not None:
            raise first_error
        raise DataError(Problem("the workbook is empty", file))
    finally:
        wb.close()


def _title_text(rows: Sequence[Sequence[str]]) -> str:
    """The text of the rows before the table (title) and after it (notes), lower case."""
    return " ".join(" ".join(r) for r in [*rows[:5], *rows[-8:]]).lower()


def _norm_header(text: str) -> str:
    text = text.strip().strip('"').lower().replace(" ", "_").replace("-", "_")
    return text


def _month_day(title: str) -> str | None:
    return "11-01" if re.search(r"1\s*nov", title) else None


def interpret_rows(rows: list[list[str]], file: str, want_year: int | None, fmt: str,
                   row_base: int = 1, sheet: str | None = None,
                   title: str = "") -> PopulationTable:
    """Find the table in ``rows`` (a header with a region column and year columns, or code and
    population columns) and read it."""
    for index, row in enumerate(rows):
        headers = [_norm_header(c) for c in row]
        years = [i for i, h in enumerate(headers) if _YEAR.match(h)]
        if years and any(h and not _YEAR.match(h) for h in headers):
            return _wide(rows, index, years, file, want_year, fmt, row_base, sheet, title)
        if years and not headers[0] and index + 1 < len(rows) and rows[index + 1] \
                and _REGION.match(rows[index + 1][0]):
            # An xlsx export whose region column has no heading: the first column.
            rows[index] = ["region", *rows[index][1:]]
            return _wide(rows, index, years, file, want_year, fmt, row_base, sheet, title)
        code_cols = [i for i, h in enumerate(headers) if h in _CODE_HEADERS]
        value_cols = [i for i, h in enumerate(headers) if h in _VALUE_HEADERS]
        if code_cols and value_cols:
            return _long(rows, index, headers, file, want_year, fmt, row_base, sheet, title)
    raise DataError(
        Problem(f"not a population table kn knows: found no header with a region and a year "
                f"column, nor kommunkod and folkmängd columns; it reads {KNOWN_FORMATS}", file)
    )


@dataclass
class _Collector:
    """Gathers figures row by row and every problem on the way."""

    file: str
    sheet: str | None
    row_base: int
    populations: dict[str, int] = field(default_factory=dict)
    rows_of: dict[str, str] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def where(self, index: int) -> str:
        row = f"row {index + self.row_base}"
        return f"{self.sheet}!{row}" if self.sheet else row

    def problem(self, index: int, message: str) -> None:
        self.problems.append(Problem(message, self.file, self.where(index)))

    def add(self, index: int, region: str, code_text: str | None, value_text: str) -> None:
        code = self.region_code(index, region, code_text)
        if code is None:
            return
        value_text = value_text.replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
        if value_text in MISSING_MARKS:
            self.missing.setdefault(code, self.where(index))
            return
        if not re.fullmatch(r"\d+", value_text):
            if value_text == "":
                self.missing.setdefault(code, self.where(index))
                return
            self.problem(index, f"{_label(code)}: population {value_text!r} is not a whole "
                                "number of persons")
            return
        value = int(value_text)
        if code in self.populations:
            if self.populations[code] != value:
                self.problem(index, f"{_label(code)} appears twice with different numbers: "
                                    f"{self.populations[code]} ({self.rows_of[code]}) and "
                                    f"{value}; keep one")
            return
        self.populations[code] = value
        self.rows_of[code] = self.where(index)

    def region_code(self, index: int, region: str, code_text: str | None) -> str | None:
        """The municipality code of a row, or None for Riket/counties (left out) or a problem."""
        text = (code_text if code_text is not None else region).strip()
        match = _REGION.match(text)
        if match:
            digits = match.group(1)
            if len(digits) <= 2:
                self.left_out.append(text if code_text is None else f"{digits} {region}".strip())
                return None
            code = digits.zfill(4)
            if by_code(code) is None:
                self.problem(index, f"region {text!r} is no municipality: {code} is not an SCB "
                                    "code of any of Sweden's 290 municipalities")
                return None
            return code
        folded = text.lower()
        if folded in ("riket", "sverige", "hela riket", "sweden") or folded.endswith(" län") \
                or folded.endswith(" county"):
            self.left_out.append(text)
            return None
        try:
            return lookup(text).code
        except UnknownMunicipality as err:
            self.problem(index, f"region {text!r} is no municipality{_hint(err)}")
            return None

    def result(self, year: int | None, month_day: str | None, fmt: str) -> PopulationTable:
        if self.problems:
            raise DataError(self.problems)
        if not self.populations and not self.missing:
            raise DataError(Problem("the table holds no municipality (only "
                                    f"{', '.join(self.left_out[:3]) or 'empty rows'}); export "
                                    "the table by kommun", self.file))
        return PopulationTable(dict(sorted(self.populations.items())), year, month_day, fmt,
                               tuple(self.left_out), dict(self.missing))


def _hint(err: UnknownMunicipality) -> str:
    return f" (did you mean {' or '.join(err.suggestions)}?)" if err.suggestions else ""


def _label(code: str) -> str:
    muni = by_code(code)
    return f"{code} {muni.name}" if muni else code


def _choose_year(years: Sequence[int], want_year: int | None, file: str) -> int:
    if want_year is not None:
        if want_year in years:
            return want_year
        raise DataError(
            Problem(f"the file holds figures for {_years_text(years)}, not for {want_year}; "
                    "choose a year the file has with --date", file)
        )
    if len(set(years)) == 1:
        return years[0]
    raise DataError(
        Problem(f"the file holds figures for {_years_text(years)}; choose one with --date "
                f"YYYY-MM-DD (e.g. --date {max(years)}-12-31)", file)
    )


def _years_text(years: Iterable[int]) -> str:
    return ", ".join(str(y) for y in sorted(set(years)))


def _wide(rows: list[list[str]], header: int, year_cols: list[int], file: str,
          want_year: int | None, fmt: str, row_base: int, sheet: str | None,
          title: str) -> PopulationTable:
    headers = [_norm_header(c) for c in rows[header]]
    year = _choose_year([int(headers[i]) for i in year_cols], want_year, file)
    value_col = next(i for i in year_cols if int(headers[i]) == year)
    label_cols = [i for i, h in enumerate(headers) if h and i not in year_cols]
    # The region column: the one whose cells look like "0114 Upplands Väsby" (or a code).
    region_col = label_cols[0]
    for i in label_cols:
        if headers[i] in ("region", "kommun", "kommunkod"):
            region_col = i
            break
    others = [i for i in label_cols if i != region_col]
    collector = _Collector(file, sheet, row_base)
    for index in range(header + 1, len(rows)):
        row = rows[index]
        region = row[region_col] if region_col < len(row) else ""
        value = row[value_col] if value_col < len(row) else ""
        if not region and not value:
            continue
        if not value and not _REGION.match(region):
            continue  # a note below the table ("Källa: SCB", footnotes)
        if not region:
            collector.problem(index, f"a figure ({value}) with no region")
            continue
        for i in others:
            cell = row[i] if i < len(row) else ""
            if cell and not cell.lower().startswith(("total", "samtliga")):
                collector.problem(index, f"the table is split by {rows[header][i]!r} ({cell!r});"
                                         " export the total for each region only")
                break
        else:
            collector.add(index, region, None, value)
    return collector.result(year, _month_day(title), f"{fmt}, region by year")


def _long(rows: list[list[str]], header: int, headers: list[str], file: str,
          want_year: int | None, fmt: str, row_base: int, sheet: str | None,
          title: str) -> PopulationTable:
    def first(names: set[str]) -> int | None:
        return next((i for i, h in enumerate(headers) if h in names), None)

    value_col = first(_VALUE_HEADERS)
    code_col = first(_CODE_HEADERS - {"region"})
    if code_col is None:
        code_col = first({"region"})
    name_col = first(_NAME_HEADERS)
    year_col = first(_YEAR_HEADERS)
    assert value_col is not None and code_col is not None
    body = [(i, rows[i]) for i in range(header + 1, len(rows)) if any(rows[i])]

    def cell(row: list[str], col: int | None) -> str:
        return row[col] if col is not None and col < len(row) else ""

    year: int | None = None
    if year_col is not None:
        years = [int(cell(r, year_col)[:4]) for _, r in body
                 if re.match(r"^(19|20)\d\d", cell(r, year_col))]
        if years:
            year = _choose_year(years, want_year, file)
    collector = _Collector(file, sheet, row_base)
    for index, row in body:
        if year is not None and cell(row, year_col)[:4] != str(year):
            continue
        code = cell(row, code_col)
        value = cell(row, value_col)
        if not code and not value:
            continue
        if not code:
            collector.problem(index, f"a figure ({value}) with no kommunkod")
            continue
        name = cell(row, name_col)
        collector.add(index, name or code, code, value)
    return collector.result(year, _month_day(title), f"{fmt}, kommunkod and folkmängd columns")


# -- json-stat2 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    codes: tuple[str, ...]
    labels: dict[str, str]
    extension: dict[str, Any]


@dataclass(frozen=True)
class JsonStat:
    """A decoded json-stat dataset: dimensions in order, values in row-major order."""

    label: str
    dimensions: tuple[Dimension, ...]
    values: tuple[int | float | None, ...]
    status: dict[int, str]
    roles: dict[str, list[str]]
    extension: dict[str, Any]
    notes: tuple[str, ...]

    def dimension(self, dim_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dim_id)

    def cells(self) -> Iterable[tuple[dict[str, str], int | float | None, str | None]]:
        """Every cell as (code per dimension, value, status mark)."""
        sizes = [len(d.codes) for d in self.dimensions]
        for flat, value in enumerate(self.values):
            rest, coords = flat, {}
            for dim, size in zip(reversed(self.dimensions), reversed(sizes), strict=True):
                rest, pos = divmod(rest, size)
                coords[dim.id] = dim.codes[pos]
            yield coords, value, self.status.get(flat)

    @property
    def table_id(self) -> str:
        px = self.extension.get("px") or {}
        return str(px.get("tableid") or px.get("matrix") or "")


class JsonStatError(ValueError):
    """The document is not json-stat (message says what is missing)."""


def decode_jsonstat(doc: Any, with_values: bool = True) -> JsonStat:
    """Decode json-stat2 (PxWebApi 2.0) or json-stat 1 (``{"dataset": ...}``, API v1).
    ``with_values=False`` reads a metadata response (dimensions, no values)."""
    if isinstance(doc, dict) and "dataset" in doc and isinstance(doc["dataset"], dict):
        doc = dict(doc["dataset"])
        dims = doc.get("dimension") or {}
        doc.setdefault("id", dims.get("id"))
        doc.setdefault("size", dims.get("size"))
        doc.setdefault("role", dims.get("role"))
    if not isinstance(doc, dict) or not isinstance(doc.get("dimension"), dict):
        raise JsonStatError("no 'dimension' object")
    ids, sizes = doc.get("id"), doc.get("size")
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes):
        raise JsonStatError("'id' and 'size' missing or of different lengths")
    dimensions = []
    for dim_id, size in zip(ids, sizes, strict=True):
        raw = doc["dimension"].get(dim_id)
        if not isinstance(raw, dict) or not isinstance(raw.get("category"), dict):
            raise JsonStatError(f"dimension {dim_id!r} has no category")
        category = raw["category"]
        index = category.get("index")
        if isinstance(index, dict):
            codes = tuple(sorted(index, key=lambda k: index[k]))
        elif isinstance(index, list):
            codes = tuple(str(c) for c in index)
        else:
            codes = tuple((category.get("label") or {}).keys())
        if len(codes) != size:
            raise JsonStatError(f"dimension {dim_id!r} has {len(codes)} categories, size {size}")
        labels = {str(k): str(v) for k, v in (category.get("label") or {}).items()}
        dimensions.append(Dimension(str(dim_id), str(raw.get("label", dim_id)), codes, labels,
                                    dict(raw.get("extension") or {})))
    values = doc.get("value")
    total = 1
    for size in sizes:
        total *= int(size)
    if not with_values:
        values = []
    elif isinstance(values, dict):
        values = [values.get(str(i)) for i in range(total)]
    if not isinstance(values, list):
        raise JsonStatError("no 'value' array")
    if with_values and len(values) != total:
        raise JsonStatError(f"{len(values)} values for {total} cells")
    for value in values:
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise JsonStatError(f"value {value!r} is not a number")
    status_raw = doc.get("status") or {}
    if isinstance(status_raw, list):
        status = {i: str(s) for i, s in enumerate(status_raw) if s is not None}
    elif isinstance(status_raw, str):
        status = {i: status_raw for i in range(total)}
    else:
        status = {int(k): str(v) for k, v in status_raw.items()}
    notes = doc.get("note") or []
    return JsonStat(
        label=str(doc.get("label", "")),
        dimensions=tuple(dimensions),
        values=tuple(values),
        status=status,
        roles={k: list(v) for k, v in (doc.get("role") or {}).items()},
        extension=dict(doc.get("extension") or {}),
        notes=tuple(str(n) for n in notes) if isinstance(notes, list) else (str(notes),),
    )


def time_year(code: str) -> int | None:
    match = re.match(r"^((?:19|20)\d\d)(?:M12)?$", code)
    return int(match.group(1)) if match else None


def populations_from_jsonstat(doc: Any, file: str, want_year: int | None = None) -> PopulationTable:
    """The municipal figures of a json-stat dataset by region and year; every other dimension
    must be a single category (the total)."""
    try:
        data = decode_jsonstat(doc)
    except JsonStatError as err:
        raise DataError(Problem(f"not json-stat2: {err}; kn reads {KNOWN_FORMATS}", file)) from None
    region_ids = [d.id for d in data.dimensions if d.id.lower() == "region"] or \
        data.roles.get("geo", [])
    time_ids = data.roles.get("time") or [d.id for d in data.dimensions if d.id == "Tid"]
    if not region_ids:
        raise DataError(Problem("the json-stat2 table has no Region dimension; ask SCB for the "
                                "table by region (kommun)", file))
    if not time_ids:
        raise DataError(Problem("the json-stat2 table has no time dimension (Tid)", file))
    region_id, time_id = region_ids[0], time_ids[0]
    for dim in data.dimensions:
        if dim.id not in (region_id, time_id) and len(dim.codes) > 1:
            raise DataError(
                Problem(f"the table is split by {dim.id} ({len(dim.codes)} values: "
                        f"{', '.join(dim.codes[:4])}{', ...' if len(dim.codes) > 4 else ''}); "
                        "select its total only", file)
            )
    times = {code: time_year(code) for code in data.dimension(time_id).codes}
    years = [y for y in times.values() if y is not None]
    if not years:
        raise DataError(Problem(f"the table's time codes ({', '.join(times)}) are not years; kn "
                                "needs yearly figures", file))
    year = _choose_year(years, want_year, file)
    region_dim = data.dimension(region_id)
    collector = _Collector(file, None, 0)
    collector.where = lambda index: f"{region_id} {region_dim.codes[index]}"  # type: ignore[method-assign]
    position = {code: i for i, code in enumerate(region_dim.codes)}
    for coords, value, mark in data.cells():
        if times.get(coords[time_id]) != year:
            continue
        code = coords[region_id]
        label = region_dim.labels.get(code, "")
        text = _cell_text(value) if value is not None else (mark or "..")
        collector.add(position[code], label or code,
                      code if _REGION.match(code) else label or code, text)
    table_id = data.table_id
    title = f"{data.label} {table_id}".lower()
    month_day = "11-01" if table_id.upper() == "TAB1267" or "november" in title else None
    return collector.result(year, month_day, f"json-stat2{f' ({table_id})' if table_id else ''}")
