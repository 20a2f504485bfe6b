"""Reading tables of municipal figures as they come: SCB's exports, Kolada's, json-stat2.

Formats recognised by :func:`read_statistic_file` (and :func:`read_population_file`, the
population on top of it):

- the CSV that Statistikdatabasen's web table exports: a quoted header such as
  ``"region","2017"``, rows such as ``"0114 Upplands Väsby",44605``; Latin-1 or UTF-8 (with or
  without BOM), CRLF or LF, comma, semicolon or tab separated; title lines above the table;
- the same table exported as xlsx (title and note rows above and below the table);
- a table with a code column and a value column, such as Kolada's
  ``kommunkod,folkmangd,ar,kalla`` (a year column is optional), in Swedish or English
  (``region,Population,year``); a year may stand in the value column's name
  (``Folkmängd 2024``);
- SCB's tables by age: one row per municipality and age (``"0114 Upplands Väsby","16 år"``,
  up to ``"100+ år"``), or the ages as columns; an :class:`AgeBand` sums the ages of a band;
- json-stat2 as SCB's PxWebApi 2.0 returns it (and the json-stat of API v1).

Every format becomes one table in long form, a row per region and dimension (sex, age) with
its figure's text (pandas melts an export's columns of figures; json-stat2 is long already).
Figures are read exactly (:mod:`koordination.io.scb.figures`); pandas sums them over sex and
over the ages of the band, and a total beside the parts must equal their sum. Two contents
for one time, or two columns of figures, are refused unless ``column`` names one: a column
is never taken because it comes first.

Riket (code 00) and counties (2-digit codes, names ending in "län") are left out; codes that
lost their leading zero (``114``) are padded. A region that is no municipality, a code whose
name is another municipality's, the same municipality twice with different numbers, or a
missing-value mark (``..``, ``-``) where a figure is needed are problems, one line each.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from koordination.core.ages import ALL_AGES_LOW, AgeBand, AgeGroup, age_group, uncovered
from koordination.core.errors import DataError, Problem
from koordination.core.models import MAX_POPULATION
from koordination.core.municipalities import UnknownMunicipality, by_code, lookup, names_agree
from koordination.io.gate import Input, read
from koordination.io.safe_zip import OLD_OR_PROTECTED, OLE2
from koordination.io.scb.figures import Figure, read_column
from koordination.io.scb.jsonstat import JsonStat, JsonStatError, decode_jsonstat, time_year
from koordination.io.table import Table, clean, decode_text, read_csv, read_xlsx, uncalculated

KNOWN_FORMATS = (
    "Statistikdatabasen's CSV or xlsx export (region and year columns), "
    "a CSV with kommunkod and folkmängd columns (such as Kolada's), "
    "or json-stat2 from SCB's API"
)
MISSING_MARKS = {"..", "-", "…", ".", "–", "\u2212"}

_GAPS = re.compile("[ \u00a0\u202f]")
_YEAR = re.compile(r"^(19[7-9]\d|20\d\d)$")
_YEAR_IN = re.compile(r"(?<!\d)(19[7-9]\d|20\d\d)(?!\d)")
_REGION = re.compile(r"^(\d{1,4})(?:\s+(.*))?$")
_CODE_HEADERS = {"kommunkod", "kod", "regionkod", "kommun_kod", "kommunkod_scb", "region_code",
                 "code", "municipality_code", "kommunid", "kommun_id", "region", "region_id",
                 "municipality_id"}
_VALUE_HEADERS = {"folkmangd", "folkmängd", "befolkning", "befolkningsmangd",
                  "befolkningsmängd", "population", "antal", "value", "varde", "värde",
                  "folkmangd_31dec", "n01951"}
_YEAR_HEADERS = {"ar", "år", "year", "tid", "period"}
_NAME_HEADERS = {"kommun", "kommunnamn", "namn", "name", "municipality", "region_name",
                 "municipality_name"}
_AGE_HEADERS = {"alder", "ålder", "age", "alder_(ar)", "ålder_(år)"}
_SEX_HEADERS = {"kon", "kön", "sex"}
_SPLIT_HEADERS = _AGE_HEADERS | _SEX_HEADERS | {"civilstand", "civilstånd"}
#: The words of a sex dimension: each part, and the total of both.
_SEXES = {"män": "män", "man": "män", "men": "män", "male": "män", "males": "män",
          "kvinnor": "kvinnor", "kvinna": "kvinnor", "women": "kvinnor", "woman": "kvinnor",
          "female": "kvinnor", "females": "kvinnor", "totalt": "totalt", "total": "totalt",
          "båda könen": "totalt", "both sexes": "totalt", "män och kvinnor": "totalt",
          "men and women": "totalt", "samtliga": "totalt", "alla": "totalt", "1": "män",
          "2": "kvinnor", "1+2": "totalt"}
_AGE_HEADER = re.compile(r"^\d{1,3}\s*(?:\+|[-–]\s*\d{1,3})?\s*(?:år|years?)$")


def sex_of(text: str) -> str | None:
    """``män``, ``kvinnor`` or ``totalt`` for the words of a sex dimension (Swedish or
    English, SCB's codes 1, 2 and 1+2), else None."""
    return _SEXES.get(re.sub(r"\s+", " ", clean(text).lower()).strip(" .:,"))


# -- what a file holds ------------------------------------------------------------------------


@dataclass(frozen=True)
class StatisticTable:
    """Figures by SCB code, read exactly: what :func:`read_statistic_file` returns (and
    :func:`read_population_file`, whose figures are whole persons).

    Attributes:
        values: figure per 4-digit code (municipalities only), summed over sex and the band.
        year: the year named in the file (header, year column or time dimension), if any.
        month_day: ``"11-01"`` when the file says it is SCB's 1 November table, else None.
        format: a short name of the format read, for the report.
        column: the heading of the column the figures were read from.
        ages: the age band summed, if one was asked for.
        left_out: regions recognised and left out (Riket, counties).
        missing: codes with SCB's missing-value mark, and the row it was on.
    """

    values: dict[str, Decimal]
    year: int | None
    month_day: str | None
    format: str
    column: str
    ages: AgeBand | None = None
    left_out: tuple[str, ...] = ()
    missing: dict[str, str] = field(default_factory=dict)

    @property
    def populations(self) -> dict[str, int]:
        """The figures as numbers of persons (a table read as a population is whole)."""
        return {code: int(value) for code, value in self.values.items()}

    def reference_date(self, given: date | None, file: str) -> date:
        """The snapshot date: ``--date`` if given (it must agree with the file's year), else
        the file's year on 31 December (1 November for SCB's November table)."""
        if given is not None:
            if self.year is not None and self.year != given.year:
                raise DataError(Problem(f"the file holds figures for {self.year} but --date is "
                                        f"{given}; give --date {self.year}-"
                                        f"{self.month_day or '12-31'} or the file for "
                                        f"{given.year}", file))
            return given
        if self.year is None:
            raise DataError(Problem("the file names no year; give the reference date with "
                                    "--date YYYY-MM-DD", file))
        month, day = (int(p) for p in (self.month_day or "12-31").split("-"))
        return date(self.year, month, day)


#: A population: a table of whole numbers of persons.
PopulationTable = StatisticTable


@dataclass(frozen=True)
class _Spec:
    """What to read: which column, which year, which ages, and what a figure may be."""

    column: str | None = None
    want_year: int | None = None
    ages: AgeBand | None = None
    what: str = "value"
    whole: bool = False
    maximum: int | None = None


# -- entry points -----------------------------------------------------------------------------


def read_population_file(source: Path | Input, file: str | None = None,
                         want_year: int | None = None,
                         column: str | None = None) -> PopulationTable:
    """Detect the format of ``source`` and read the population of every municipality in it.
    ``want_year`` picks one year from a file that holds several, ``column`` one column of
    figures from a table that holds several for the year. A figure must be a whole number of
    persons from 0 to :data:`MAX_POPULATION`."""
    return read_statistic_file(source, file, column=column, want_year=want_year,
                               what="population", whole=True, maximum=MAX_POPULATION)


def read_statistic_file(source: Path | Input, file: str | None = None, *, column: str | None = None,
                        want_year: int | None = None, ages: AgeBand | None = None,
                        what: str = "value", whole: bool = False,
                        maximum: int | None = None) -> StatisticTable:
    """Detect the format of ``source`` (a file, read through the gate, or an input already
    read, such as standard input) and read one figure per municipality, exactly.

    ``column`` names the column of figures (its heading, in any case; by default the one
    headed folkmängd, population, antal, value or värde, or in SCB's region-by-year table the
    year's column). ``want_year`` picks one year from a file that holds several. ``ages``
    sums the ages of a band in a table by age (ages as rows or as columns); a file whose ages
    do not cover the band is refused. Figures may have decimals unless ``whole``; a negative
    one, or one above ``maximum``, is refused. ``what`` names the figure in messages
    (``population``).
    """
    got = source if isinstance(source, Input) else read(source, "export", file)
    name, raw = got.file, got.data
    spec = _Spec(column, want_year, ages, what, whole, maximum)
    if raw.startswith(b"PK\x03\x04"):
        return _one_sheet(read_xlsx(raw, name), name, spec)
    if raw.startswith(OLE2):
        raise DataError(Problem(OLD_OR_PROTECTED, name))
    text = decode_text(raw)
    stripped = text.lstrip().lstrip("\ufeff")
    if stripped.startswith("{"):
        try:
            doc = json.loads(stripped, parse_float=Decimal)
        except json.JSONDecodeError as err:
            raise DataError(Problem(f"looks like JSON but is not valid JSON ({err.msg} at line "
                                    f"{err.lineno})", name)) from None
        except ValueError:  # an integer of thousands of digits
            raise DataError(Problem("looks like JSON but holds a number of thousands of "
                                    "digits, which no table of municipalities has", name)
                            ) from None
        except RecursionError:
            raise DataError(Problem("looks like JSON but is nested too deeply to be a table",
                                    name)) from None
        return _from_jsonstat(doc, name, spec)
    if not stripped or "\x00" in text or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError(Problem(f"not a population table kn knows; it reads {KNOWN_FORMATS}",
                                name))
    return _interpret(Grid.of(read_csv(text, name), name), name, spec)


def _one_sheet(tables: Sequence[Table], file: str, spec: _Spec) -> StatisticTable:
    """The table of the one visible sheet that holds a table kn reads. Two such sheets are
    two contents, and a sheet that holds a table with problems is refused, even beside
    another: kn never takes one because it comes first."""
    read: dict[str, StatisticTable] = {}
    first_error: _NoTable | None = None
    for table in tables:
        if not any(row.cells for row in table.rows):
            continue
        try:
            read[table.sheet or ""] = _interpret(Grid.of(table, file), file, spec)
        except _NoTable as err:  # a sheet of notes: another sheet may hold the table
            first_error = first_error or err
    if len(read) > 1:
        raise DataError(Problem(f"the workbook has {len(read)} sheets with a table ("
                                f"{', '.join(read)}); kn never takes one because it comes "
                                "first: keep only the sheet to read (delete or hide the "
                                "others)", file))
    if not read:
        raise first_error or DataError(Problem("the workbook is empty", file))
    return next(iter(read.values()))


# -- finding the table in a grid --------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """A table's cells as text, row by row (row ``i`` is the file's row ``i + 1``);
    ``numeric`` holds the (row, column) of workbook cells that held a number, whose point is
    a decimal point."""

    rows: list[list[str]]
    numeric: frozenset[tuple[int, int]]
    format: str
    sheet: str | None = None

    @classmethod
    def of(cls, table: Table, file: str) -> Grid:
        """The grid of ``table``; a formula never calculated is refused wherever it stands."""
        never = [uncalculated(c, file, f"{table.sheet}!{c.ref}" if table.sheet else c.ref)
                 for row in table.rows for c in row.cells if c.uncalculated]
        if never:
            raise DataError(never)
        rows = [[cell.text if cell is not None else "" for cell in row] for row in table.grid()]
        numeric = frozenset((c.row - 1, c.col - 1) for row in table.rows for c in row.cells
                            if c.is_number)
        return cls(rows, numeric, table.format, table.sheet)


def _norm_header(text: str) -> str:
    return re.sub(r"\s+", "_", text.strip().strip('"').lower()).replace("-", "_")


def _header_year(header: str) -> int | None:
    """The year a heading names: ``2024``, ``2024M12``, ``Folkmängd 2024``."""
    if _YEAR.match(header) or re.fullmatch(r"(19|20)\d\dm12", header):
        return int(header[:4])
    if re.search(r"[a-zåäö]", header):
        found = _YEAR_IN.findall(header)
        if len(found) == 1:
            return int(found[0])
    return None


def _is_region_cell(text: str) -> bool:
    """``0114 Upplands Väsby``, ``01 Stockholms län``, ``00 Riket``: a row's region, never a
    heading."""
    match = _REGION.match(text)
    if not match or not match.group(2):
        return False
    digits, rest = match.group(1), match.group(2).strip().lower()
    if len(digits) <= 2:
        return rest.endswith("län") or rest in ("riket", "sverige", "hela riket")
    return by_code(digits.zfill(4)) is not None


def _could_be_header(row: Sequence[str]) -> bool:
    """A heading row has words and years, no figures and no region of a data row (a code such
    as 2080, Falun's, is no year when the row also holds a figure)."""
    for cell in row:
        if not cell:
            continue
        if _is_region_cell(cell):
            return False
        if not re.search(r"[^\d\s.,\u2212+-]", cell) and not _YEAR.match(cell):
            return False
    return any(row)


@dataclass
class _Layout:
    header: int
    kind: str  # "wide" (a column per year), "long" (a value column), "ages" (ages as columns)
    region: int
    values: dict[int, AgeGroup | None]  # column -> the age group it holds (None: no age)
    column: str
    name: int | None
    year_col: int | None
    year: int | None
    age_col: int | None
    sex_col: int | None
    sexes: dict[int, str]  # column -> män, kvinnor, totalt
    splits: list[int]


class _NoTable(DataError):
    """The text holds no table kn knows (no header row found)."""


def _interpret(grid: Grid, file: str, spec: _Spec) -> StatisticTable:
    """Find the table in ``grid`` and read it."""
    for index in range(len(grid.rows)):
        layout = _layout(grid, index, file, spec)
        if layout is not None:
            return _read(grid, layout, file, spec)
    raise _NoTable(Problem(f"not a population table kn knows: found no header with a region "
                           f"and a year column, nor kommunkod and folkmängd columns; it reads "
                           f"{KNOWN_FORMATS}", file))


def _layout(grid: Grid, index: int, file: str, spec: _Spec) -> _Layout | None:
    """The table whose header is row ``index``, if it is the header of a table kn reads."""
    row = grid.rows[index]
    if not _could_be_header(row):
        return None
    headers = [_norm_header(c) for c in row]

    def first(names: set[str], among: Iterable[int] = range(len(headers))) -> int | None:
        return next((i for i in among if headers[i] in names), None)

    wanted = _norm_header(spec.column) if spec.column else None
    named = next((i for i, h in enumerate(headers) if wanted and h == wanted), None)
    years = {i: y for i, h in enumerate(headers) if (y := _header_year(h)) is not None}
    age_cols = {i: g for i, c in enumerate(row)
                if _AGE_HEADER.match(c.strip().lower()) and isinstance(g := age_group(c), AgeGroup)}
    code_col = first(_CODE_HEADERS - {"region"})
    if code_col is None:
        code_col = first({"region"})
    labels = [i for i, h in enumerate(headers) if h and i not in years and i not in age_cols]
    year, sexes = None, {}
    values: dict[int, AgeGroup | None]
    if len(age_cols) >= 2 and (code_col is not None or labels):
        kind, values, column = "ages", dict(age_cols), "ages"
        region = code_col if code_col is not None else labels[0]
    elif years and (named is None or named in years) and (
            labels or (not headers[0] and index + 1 < len(grid.rows)
                       and _REGION.match(grid.rows[index + 1][0]))):
        kind = "wide"
        labels = labels or [0]  # a region column without a heading (xlsx): the first one
        preferred = first({"region", "kommun", "kommunkod"}, labels)
        region = labels[0] if preferred is None else preferred
        if named is not None:
            year = years[named]
        else:
            year = _choose_year(list(years.values()), spec.want_year, file)
        same = [named] if named is not None else [i for i, y in years.items() if y == year]
        sexes = _sex_columns(row, same, year, file) if len(same) > 1 else {}
        values = dict.fromkeys(same)
        column = " + ".join(row[i] for i in same if sexes.get(i) != "totalt")
    elif code_col is not None:
        found = [named] if named is not None else [i for i, h in enumerate(headers)
                                                   if h in _VALUE_HEADERS]
        if not found:
            return None
        if len(found) > 1:
            shown = ", ".join(repr(row[i]) for i in found)
            raise DataError(Problem(
                f"the table has {len(found)} columns of figures ({shown}); kn never takes one "
                f"because it comes first: name the one to read with --column (such as --column "
                f"{row[found[0]]!r})", file))
        if wanted and named is None:
            shown = ", ".join(c for c in row if c)
            raise DataError(Problem(f"the table has no column {spec.column!r} (its columns: "
                                    f"{shown}); name one of them", file, _where(grid, index)))
        kind, region, values, column = "long", code_col, {found[0]: None}, row[found[0]]
    else:
        return None
    name = first(_NAME_HEADERS)
    name = None if name == region else name
    year_col, sex_col = first(_YEAR_HEADERS, labels), first(_SEX_HEADERS, labels)
    age_col = None if kind == "ages" else first(_AGE_HEADERS)
    if spec.ages is not None and kind != "ages" and age_col is None:
        raise DataError(Problem(f"the table is not by age, so kn cannot sum the ages "
                                f"{spec.ages}; export the table by age (ålder)", file))
    dims = (region, name, year_col, age_col, sex_col)
    splits = [i for i in labels if i not in dims and (kind != "long" or headers[i] in
                                                       _SPLIT_HEADERS)]
    return _Layout(index, kind, region, values, column, name, year_col, year, age_col, sex_col,
                   sexes, splits)


def _sex_columns(row: Sequence[str], same: list[int], year: int, file: str) -> dict[int, str]:
    """The columns for one year split by sex (``män 2024``, ``kvinnor 2024``, and perhaps
    ``totalt 2024``): column -> män, kvinnor or totalt. Columns of other contents for the
    same year (``Folkökning 2024`` beside ``Folkmängd 2024``) are refused: kn never takes one
    because it comes first."""
    sexes = {i: sex_of(re.sub(rf"(?<!\d){year}(?:M12)?(?!\d)", "", row[i])) for i in same}
    shown = ", ".join(repr(row[i]) for i in same)
    if not all(sexes.values()):
        raise DataError(Problem(
            f"the table has {len(same)} columns for {year} ({shown}); kn never takes one "
            f"because it comes first: name the one to read with --column (such as --column "
            f"{row[same[0]]!r})", file))
    parts = sorted(str(sex) for sex in sexes.values() if sex != "totalt")
    if parts != ["kvinnor", "män"]:
        raise DataError(Problem(
            f"the columns for {year} ({shown}) are not one for män and one for kvinnor; "
            "export the table by sex with both, or its total only", file))
    return {i: sex for i, sex in sexes.items() if sex is not None}


def _where(grid: Grid, index: int) -> str:
    row = f"row {index + 1}"
    return f"{grid.sheet}!{row}" if grid.sheet else row


def _month_day(rows: Sequence[Sequence[str]]) -> str | None:
    """``"11-01"`` when the rows before the table (its title) or after it (notes) name SCB's
    1 November table."""
    title = " ".join(" ".join(r) for r in [*rows[:5], *rows[-8:]]).lower()
    return "11-01" if re.search(r"1\s*nov", title) else None


def _table_year(grid: Grid, layout: _Layout, file: str, spec: _Spec) -> int | None:
    """The year of the figures: the heading's (wide), checked against a year column if the
    table has one, or the one the year column holds (``want_year`` of several)."""
    if layout.year_col is None:
        return layout.year
    found = [int(row[layout.year_col][:4]) for row in grid.rows[layout.header + 1:]
             if re.match(r"^(19|20)\d\d", row[layout.year_col])]
    if not found:
        return layout.year
    if layout.kind != "wide":
        return _choose_year(found, spec.want_year, file)
    other = sorted(set(found) - {layout.year})
    if other:
        header = grid.rows[layout.header]
        raise DataError(Problem(f"the column {header[next(iter(layout.values))]!r} holds "
                                f"figures for {layout.year}, but the column "
                                f"{header[layout.year_col]!r} says {other[0]}; export one "
                                "year", file))
    return layout.year


def _read(grid: Grid, layout: _Layout, file: str, spec: _Spec) -> StatisticTable:
    """Melt the rows below the header to one row per region and column of figures, with the
    sex and age it stands for (a column's, else its row's; "" for none), and read them. A
    row is refused (one problem, its first) for a figure without a region, a split kn does
    not sum, a sex or an age kn does not know, or a region that is no municipality."""
    import pandas as pd

    reading = _Collector(file, spec, lambda order: _where(grid, order))
    header = grid.rows[layout.header]
    year = _table_year(grid, layout, file, spec)
    values = list(layout.values)
    frame = pd.DataFrame(grid.rows[layout.header + 1:], columns=range(len(header)),
                         index=pd.RangeIndex(layout.header + 1, len(grid.rows), name="order"),
                         dtype=object).assign(sex="", age="")

    def figures(rows: Any) -> Any:
        return (rows[values] != "").any(axis=1)

    def refuse(rows: Any, wrong: Any, col: int, message: Callable[[str, str], str]) -> Any:
        """``rows`` without the ``wrong`` ones, each a problem about its cell in ``col``:
        ``message(heading, text)``."""
        for order, text in rows.loc[wrong, col].items():
            reading.problem(order, message(header[col], _short(text)))
        return rows[~wrong]

    def each(read: Callable[[str], Any], texts: Any) -> Any:
        """``read`` of every text (NaN where it reads nothing), each text once: a column
        repeats its words (an age per row)."""
        return texts.map({text: read(text) for text in texts.unique()})

    keep = (frame[list(range(len(header)))] != "").any(axis=1)
    if layout.kind == "wide":  # not a note below the table ("Källa: SCB", footnotes)
        keep &= figures(frame) | frame[layout.region].map(lambda text: bool(_REGION.match(text)))
    if year is not None and layout.year_col is not None:
        keep &= frame[layout.year_col].str[:4] == str(year)
    frame = frame[keep]
    what = "region" if layout.kind == "wide" else "kommunkod"
    unnamed = frame[layout.region] == ""
    for order, texts in frame.loc[unnamed & figures(frame), values].iterrows():
        reading.problem(order, f"a figure ({next(t for t in texts if t)}) with no {what}")
    frame = frame[~unnamed]
    for col in layout.splits:
        total = frame[col].str.lower().str.startswith(("total", "samtliga"))
        frame = refuse(frame, (frame[col] != "") & ~total, col,
                       lambda heading, text: f"the table is split by {heading!r} ({text!r}); "
                                             "export the total for each region only")
    if layout.sex_col is not None:
        frame["sex"] = each(sex_of, frame[layout.sex_col])
        frame = refuse(frame, (frame[layout.sex_col] != "") & frame["sex"].isna(),
                       layout.sex_col, lambda heading, text: f"{heading} {text!r} is neither "
                                                             "män, kvinnor nor totalt")
        frame["sex"] = frame["sex"].fillna("")
    if layout.age_col is not None:
        frame["age"] = each(age_group, frame[layout.age_col])
        blank = (frame[layout.age_col] == "") & ~figures(frame)
        frame = frame[~(((frame["age"] == "total") & (spec.ages is not None)) | blank)]
        frame = refuse(frame, frame["age"].isna(), layout.age_col,
                       lambda _, text: f"age {text!r} is no age kn reads (such as '16 år' or "
                                       "'100+ år')")
    names = frame[layout.name] if layout.name is not None else [""] * len(frame)
    frame["code"] = [reading.region_code(order, region, name) for order, region, name
                     in zip(frame.index, frame[layout.region], names, strict=True)]
    frame = frame[frame["code"].notna()]
    cells = frame.melt(id_vars=["code", "sex", "age"], value_vars=values, var_name="col",
                       value_name="text", ignore_index=False
                       ).reset_index().sort_values(["order", "col"], ignore_index=True)
    cells["sex"] = cells["col"].map(layout.sexes).astype(object).fillna(cells["sex"])
    cells["age"] = cells["col"].map(layout.values).astype(object).fillna(cells["age"])
    cells["machine"] = [(order, col) in grid.numeric
                        for order, col in zip(cells["order"], cells["col"], strict=True)]
    band = spec.ages or AgeBand(ALL_AGES_LOW, None)
    inside = cells["age"].map(lambda age: age.inside(band) if isinstance(age, AgeGroup)
                              else True)
    for order, age in cells.loc[inside.isna(), ["order", "age"]].itertuples(index=False):
        reading.problem(order, f"the age group {age.text!r} is partly in the band {band} and "
                               "partly outside; export single years of age")
    cells = cells[inside.map(lambda answer: answer is True).astype(bool)]
    fmt = {"wide": "region by year", "long": "kommunkod and folkmängd columns",
           "ages": "ages as columns"}[layout.kind]
    if layout.kind == "long" and spec.what != "population":
        fmt = f"kommunkod and {layout.column} columns"
    if layout.kind != "ages" and layout.age_col is not None:
        fmt = f"{fmt}, by age"
    if cells["sex"].isin(["män", "kvinnor"]).any():
        fmt = f"{fmt}, by sex"
    return reading.result(cells, year, _month_day(grid.rows), f"{grid.format}, {fmt}",
                          layout.column)


# -- the figures, in long form ----------------------------------------------------------------


def _is_missing(text: str) -> bool:
    """No figure: an empty cell or SCB's missing-value mark (``..``, ``-``)."""
    return not text or (len(text) < 8 and _GAPS.sub("", text) in MISSING_MARKS)


def _wrong(value: Decimal, whole: bool) -> str:
    """What is wrong with a figure of a municipality, or "" if nothing is."""
    if whole and value != value.to_integral_value():
        return "is not a whole number of persons"
    return "is negative; no municipality has a figure below 0" if value < 0 else ""


@dataclass
class _Collector:
    """Reads a table in long form (a row per region and dimension: ``order``, ``code``,
    ``sex``, ``age``, ``text``, ``machine``), with every problem on the way; ``where`` names
    the place of a row (by its ``order``) in messages."""

    file: str
    spec: _Spec
    where: Callable[[int], str]
    left_out: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[int, Problem]] = field(default_factory=list)

    def problem(self, order: int, message: str) -> None:
        self.problems.append((order, Problem(message, self.file, self.where(order))))

    def region_code(self, order: int, region: str, name: str = "") -> str | None:
        """The municipality code of a row, or None for Riket/counties (left out) or a problem.
        ``region`` is ``0114 Upplands Väsby``, a code or a name; ``name`` a name column's."""
        kind, said = _region(region, name)
        if kind == "code":
            return said
        if kind == "left out":
            self.left_out.append(said)
        else:
            self.problem(order, said)
        return None

    def result(self, cells: Any, year: int | None, month_day: str | None, fmt: str,
               column: str) -> StatisticTable:
        """The figures of ``cells`` read exactly, checked, summed over sex and age."""
        spec = self.spec
        missing = cells["text"].map(_is_missing).astype(bool)
        for code, order in cells.loc[missing, ["code", "order"]].itertuples(index=False):
            self.missing.setdefault(code, self.where(order))
        cells = cells[~missing]
        wheres = [self.where(order) for order in cells["order"]]
        values, number_problems = read_column(
            [Figure(where, text, machine) for where, text, machine in
             zip(wheres, cells["text"], cells["machine"], strict=True)], spec.whole)
        at = dict(zip(wheres, zip(cells["order"], cells["code"], strict=True), strict=True))
        for where, message, about_figure in number_problems:
            order, code = at[where]
            self.problem(order, f"{_label(code)}: {spec.what} {message}" if about_figure
                         else message)
        cells = cells.assign(value=values).dropna(subset=["value"])
        cells["wrong"] = [_wrong(value, spec.whole) for value in cells["value"]]
        said: list[tuple[int, int, str]] = []  # (cell, row, message), said in the cells' order
        wrong = cells[cells["wrong"] != ""]
        for cell, order, code, text, why in wrong[["order", "code", "text", "wrong"]].itertuples():
            said.append((cell, order, f"{_label(code)}: {spec.what} {text!r} {why}"))
        cells = cells[cells["wrong"] == ""]
        keys = ["code", "sex", "age"]
        first = cells.drop_duplicates(keys)
        again = cells[cells.duplicated(keys)].reset_index().merge(first, on=keys,
                                                                  suffixes=("", "_first"))
        for row in again[again["value"] != again["value_first"]].itertuples(index=False):
            at_age = f" at age {row.age.text!r}" if isinstance(row.age, AgeGroup) else ""
            for_sex = f" for {row.sex}" if row.sex else ""
            said.append((row.index, row.order,
                         f"{_label(row.code)} appears twice{for_sex}{at_age} with different "
                         f"numbers: {row.value_first:f} ({self.where(row.order_first)}) and "
                         f"{row.value:f}; keep one"))
        for _, order, message in sorted(said):
            self.problem(order, message)
        frame = first[["code", "sex", "age", "value", "order"]].replace(
            {"sex": {"": "totalt"}, "age": {"": "total"}})
        by_age = any(isinstance(age, AgeGroup) for age in frame["age"])
        sums = self._sum(frame)
        for code, total, order in sums[["code", "value", "order"]].itertuples(index=False):
            if spec.maximum is not None and total > spec.maximum:
                self.problem(order, f"{_label(code)}: {spec.what} {total:f} is more than any "
                                    f"municipality has (at most {spec.maximum}); is it the "
                                    "right column?")
        if self.problems:
            raise DataError([p for _, p in sorted(self.problems, key=lambda op: op[0])])
        if sums.empty and not self.missing:
            raise DataError(Problem("the table holds no municipality (only "
                                    f"{', '.join(self.left_out[:3]) or 'empty rows'}); export "
                                    "the table by kommun", self.file))
        values_by_code = {code: total for code, total in zip(sums["code"], sums["value"],
                                                             strict=True)
                          if not (by_age and code in self.missing)}  # a sum lacking an age
        return StatisticTable(dict(sorted(values_by_code.items())), year, month_day, fmt,
                              column, spec.ages, tuple(dict.fromkeys(self.left_out)),
                              dict(self.missing))

    def _sum(self, frame: Any) -> Any:
        """The figures summed per code with pandas (``code``, ``value``, and the ``order`` of
        its first row): män and kvinnor are added (a totalt beside them must equal their
        sum), then the ages of the band (an all-ages total beside them likewise)."""
        parts = frame[frame["sex"] != "totalt"]
        alone = parts[~parts.duplicated(["code", "age"], keep=False)]
        for code, sex, order in alone[["code", "sex", "order"]].itertuples(index=False):
            other = "kvinnor" if sex == "män" else "män"
            self.problem(order, f"{_label(code)} has a figure for {sex} but none for {other}; "
                                "export the table by sex with both, or its total only")
        frame = self._add_up(frame, "sex", "totalt", "män + kvinnor")
        ages = frame[frame["age"].map(lambda age: isinstance(age, AgeGroup)).astype(bool)]
        if (not ages.empty or self.spec.ages is not None) and not self.problems:
            self._check_ages(ages.groupby("code", sort=False)["age"].agg(set).to_dict(),
                             self.spec.ages or AgeBand(ALL_AGES_LOW, None))
        return self._add_up(frame, "age", "total", "its ages")

    def _add_up(self, frame: Any, dim: str, total: str, added: str) -> Any:
        """``frame`` summed over ``dim`` per code (and age, when ``dim`` is sex): the parts
        are added, and a ``total`` row beside them must equal their sum."""
        import pandas as pd

        keys = ["code", "age"] if dim == "sex" else ["code"]
        is_part = frame[dim] != total
        if not is_part.any():
            return frame
        summed = frame[is_part].groupby(keys, sort=False, dropna=False).agg(
            value=("value", "sum"), order=("order", "min"))
        totals = frame[~is_part].join(summed["value"].rename("parts"), on=keys)
        checked = totals["parts"].notna()
        wrong = totals[checked & (totals["parts"] != totals["value"])]
        for code, value, parts, order in wrong[["code", "value", "parts", "order"]].itertuples(
                index=False):
            self.problem(order, f"{_label(code)}: the {total} {value:f} is not the sum of "
                                f"{added} ({parts:f}); export the table again")
        columns = [*keys, "value", "order"]
        return pd.concat([summed.reset_index()[columns], totals.loc[~checked, columns]],
                         ignore_index=True)

    def _check_ages(self, groups: dict[str, set[AgeGroup]], band: AgeBand) -> None:
        every = set().union(*groups.values())
        gaps = uncovered(every, band)
        if gaps:
            found = sorted(every, key=lambda g: g.low)
            have = "none" if not found else found[0].text if len(found) == 1 else \
                f"{found[0].text} to {found[-1].text}"
            raise DataError(Problem(f"the file's ages in the band {band} ({have}) do not cover "
                                    f"it: no figures for ages {', '.join(gaps)}; export every "
                                    "age of the band", self.file))
        for code, has in groups.items():
            lacking = sorted(every - has, key=lambda g: g.low)
            if lacking:
                shown = ", ".join(g.text for g in lacking[:5])
                more = f" and {len(lacking) - 5} more" if len(lacking) > 5 else ""
                self.problems.append((10 ** 9, Problem(
                    f"{_label(code)} has no figure for {shown}{more}; export every age of the "
                    f"band {band}", self.file)))


@lru_cache(maxsize=4096)
def _region(region: str, name: str) -> tuple[str, str]:
    """What a row's region (and name) denote: ("code", code), ("left out", label) for Riket
    and counties, or ("problem", what is wrong). A table repeats its regions (once per age or
    year), so the answers are kept."""
    text = clean(region)
    match = _REGION.match(text)
    if match:
        digits, named = match.group(1), clean(match.group(2) or "")
        if len(digits) <= 2:
            return "left out", text if named else f"{digits} {clean(name)}".strip()
        code = digits.zfill(4)
        muni = by_code(code)
        if muni is None:
            return "problem", (f"region {_short(text)!r} is no municipality: {code} is not an "
                               "SCB code of any of Sweden's 290 municipalities")
        for said in (named, clean(name)):
            if said and not names_agree(muni.name, said):
                return "problem", (f"the code {digits} is {muni.name}'s, but the name is "
                                   f"{_short(said)!r}; correct the code or the name")
        return "code", code
    folded = text.lower()
    if folded in ("riket", "sverige", "hela riket", "sweden") or folded.endswith(" län") \
            or folded.endswith(" county"):
        return "left out", text
    if len(text) > 60:
        return "problem", f"region {_short(text)!r} is no municipality"
    try:
        return "code", lookup(text).code
    except UnknownMunicipality as err:
        hint = f" (did you mean {' or '.join(err.suggestions)}?)" if err.suggestions else ""
        return "problem", f"region {_short(text)!r} is no municipality{hint}"


def _short(text: str) -> str:
    return text if len(text) <= 60 else f"{text[:57]}..."


def _label(code: str) -> str:
    muni = by_code(code)
    return f"{code} {muni.name}" if muni else code


def _choose_year(years: Sequence[int], want_year: int | None, file: str) -> int:
    shown = ", ".join(str(y) for y in sorted(set(years)))
    if want_year is not None:
        if want_year in years:
            return want_year
        raise DataError(Problem(f"the file holds figures for {shown}, not for "
                                f"{want_year}; choose a year the file has with --date", file))
    if len(set(years)) == 1:
        return years[0]
    raise DataError(Problem(f"the file holds figures for {shown}; choose one with "
                            f"--date YYYY-MM-DD (e.g. --date {max(years)}-12-31)", file))


# -- json-stat2 -------------------------------------------------------------------------------


def populations_from_jsonstat(doc: Any, file: str, want_year: int | None = None) -> PopulationTable:
    """The municipal population of a json-stat dataset (a document, or one decoded already)
    by region and year; every other dimension must be a single category (the total), or sex
    (summed)."""
    return _from_jsonstat(doc, file, _Spec(None, want_year, None, "population", True,
                                           MAX_POPULATION))


def _jsonstat_content(data: JsonStat, spec: _Spec, file: str) -> tuple[str | None, str | None]:
    """The contents dimension of a json-stat table (``ContentsCode``) and the content to
    read: the only one, or the one ``--column`` names (by code or label); two contents
    without ``--column`` are refused, never the first taken."""
    dim = next((d for d in data.dimensions if d.id.lower() in ("contentscode", "contents")),
               None)
    if dim is None or (len(dim.codes) == 1 and spec.column is None):
        return None, None
    wanted = (spec.column or "").strip().lower()
    chosen = [c for c in dim.codes if wanted and wanted in (c.lower(),
                                                            dim.labels.get(c, "").lower())]
    if chosen:
        return dim.id, chosen[0]
    shown = ", ".join(f"{c} ({dim.labels.get(c, c)})" for c in dim.codes)
    if spec.column is not None:
        raise DataError(Problem(f"the table has no content {spec.column!r} (its contents: "
                                f"{shown}); name one of them", file))
    raise DataError(Problem(f"the table holds {len(dim.codes)} contents ({shown}); kn never "
                            "takes one because it comes first: name the one to read with "
                            f"--column (such as --column {dim.codes[0]})", file))


def _from_jsonstat(doc: Any, file: str, spec: _Spec) -> StatisticTable:
    try:
        data = doc if isinstance(doc, JsonStat) else decode_jsonstat(doc)
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
    if spec.ages is not None:
        raise DataError(Problem(f"kn sums ages ({spec.ages}) in CSV and xlsx exports only; "
                                "export the table by age as CSV from Statistikdatabasen", file))
    sex_id = next((d.id for d in data.dimensions if d.id.lower() in _SEX_HEADERS
                   and len(d.codes) > 1), None)
    contents_id, content = _jsonstat_content(data, spec, file)
    for dim in data.dimensions:
        if dim.id not in (region_id, time_id, sex_id, contents_id) and len(dim.codes) > 1:
            more = ", ..." if len(dim.codes) > 4 else ""
            raise DataError(Problem(f"the table is split by {dim.id} ({len(dim.codes)} values: "
                                    f"{', '.join(dim.codes[:4])}{more}); select its total only",
                                    file))
    times = {code: time_year(code) for code in data.dimension(time_id).codes}
    years = [y for y in times.values() if y is not None]
    if not years:
        shown = ", ".join(list(times)[:5])
        raise DataError(Problem(f"the table's time codes ({shown}) are not years; kn "
                                "needs yearly figures", file))
    year = _choose_year(years, spec.want_year, file)
    region_dim = data.dimension(region_id)
    import pandas as pd

    reading = _Collector(file, spec, lambda order: f"{region_id} {region_dim.codes[order]}")
    sexes: dict[str, str | None] = {}
    if sex_id is not None:
        dim = data.dimension(sex_id)
        sexes = {c: sex_of(dim.labels.get(c, "")) or sex_of(c) for c in dim.codes}
        if set(sexes.values()) - {"totalt"} != {"män", "kvinnor"}:
            raise DataError(Problem(f"the table is split by {sex_id} ({', '.join(dim.codes)}), "
                                    "not into män and kvinnor; select its total only", file))
    regions = {}
    for order, code in enumerate(region_dim.codes):
        label = clean(region_dim.labels.get(code, ""))
        region = code if _REGION.match(code) else label or code
        regions[code] = (order, reading.region_code(order, region, label))
    cells = []
    for coords, value, mark in data.cells():
        order, municipality = regions[coords[region_id]]
        if municipality is None or times.get(coords[time_id]) != year or (
                contents_id is not None and coords[contents_id] != content):
            continue
        text = mark or ".." if value is None else \
            repr(value) if isinstance(value, float) else str(value)
        # a JSON number that is no integer: its point is a decimal point
        cells.append((order, municipality, sexes[coords[sex_id]] if sex_id else "", "", text,
                      value is not None and not isinstance(value, int)))
    table_id = data.table_id
    title = f"{data.label} {table_id}".lower()
    month_day = "11-01" if table_id.upper() == "TAB1267" or "november" in title else None
    return reading.result(pd.DataFrame(cells, columns=["order", "code", "sex", "age", "text",
                                                       "machine"]),
                          year, month_day, f"json-stat2{f' ({table_id})' if table_id else ''}",
                          region_id)
