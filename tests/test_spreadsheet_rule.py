"""The spreadsheet rule: a row below the header is empty, says its kind, is a total kn checks
against the rows it closes, or is refused with its row. kn never reads meaning from a row's
name; hidden rows and columns, merged ranges over the table and duplicate headers are refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from koordination.core.errors import DataError
from koordination.io.excel import load_budget_xlsx, read_actuals_xlsx_data

TOTAL_NAMES = ["Totalkostnad", "Kostnader totalt", "Totala kostnader", "Totalsumma", "Tot.",
               "Summa", "Budget 2015", "", "Lön strateg"]


def book(path: Path, rows: list[list[Any]], title: str = "Budget", setup: Any = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    if setup is not None:
        setup(ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def refusal(path: Path, year: int = 2015) -> list[str]:
    with pytest.raises(DataError) as err:
        load_budget_xlsx(path, year=year)
    return [str(p) for p in err.value.problems]


def amounts(path: Path) -> list[Decimal | None]:
    budget = load_budget_xlsx(path, year=2015)
    return [line.amount for line in budget.lines] + [f.amount for f in budget.funding]


@pytest.mark.parametrize("name", TOTAL_NAMES)
def test_a_total_is_known_by_its_numbers_whatever_its_name(tmp_path: Path, name: str) -> None:
    path = book(tmp_path / "2015.xlsx", [
        ["kind", "name", "amount"],
        ["line", "Lön strateg", 480000],
        ["line", "Lokaler", 36000],
        [None, name, 516000],
        ["funding", "Projektmedel", 100000],
    ])
    assert amounts(path) == [480000, 36000, 100000]


def test_subtotals_close_the_rows_since_the_previous_total(tmp_path: Path) -> None:
    path = book(tmp_path / "2015.xlsx", [
        ["kind", "group", "name", "amount"],
        ["line", "Lön", "Lön strateg", 480000],
        ["line", "Lön", "Sociala avgifter", 150000],
        [None, None, "Lönekostnader", 630000],
        ["line", "Lokaler", "Hyra", 36000],
        ["line", "Lokaler", "El", 4000],
        [None, None, "Lokalkostnader", 40000],
        [None, None, "Kostnader totalt", 670000],
        ["funding", None, "Projektmedel", 100000],
        [None, None, "Netto", 570000],
    ])
    assert amounts(path) == [480000, 150000, 36000, 4000, 100000]


def test_a_total_that_does_not_add_up_is_refused(tmp_path: Path) -> None:
    path = book(tmp_path / "2015.xlsx", [
        ["kind", "name", "amount"],
        ["line", "Lön strateg", 480000],
        ["line", "Lokaler", 36000],
        [None, "Totalt", 526000],
        [None, "Resor", 12000],
        [None, "Rubrik utan belopp"],
    ])
    assert refusal(path) == [
        f"{path}: Budget!row 4: the row has no kind, and its amount 526000 is not the sum of "
        "the rows it closes (rows 2-3: 516000); write line or funding in its kind cell, or "
        "correct or delete the total",
        f"{path}: Budget!row 5: the row has no kind, and its amount 12000 is not the sum of "
        "the rows it closes (rows 2-3: 516000); write line or funding in its kind cell, or "
        "correct or delete the total",
        f"{path}: Budget!row 6: the row has no kind and no amount; write line or funding in "
        "its kind cell, or delete the row",
    ]


@pytest.mark.parametrize("name", ["Totalkostnad", "Kostnader totalt", "Tot.", "Resor"])
def test_a_typed_total_in_a_sheet_without_kinds_is_refused_not_added(tmp_path: Path,
                                                                      name: str) -> None:
    path = book(tmp_path / "2015.xlsx", [
        ["name", "amount"], ["Lön strateg", 480000], ["Lokaler", 36000], [name, 516000]])
    assert refusal(path) == [
        f"{path}: Budget!row 4: the row has no kind, and its amount 516000 is the sum of the "
        "rows it closes (rows 2-3), typed rather than computed from them: kn cannot tell a "
        "total from a line here; write line in the kind column of every line (a total's kind "
        "stays empty), or delete the total"]


def _cached(path: Path, values: dict[str, Any]) -> None:
    """Store the values a spreadsheet program stores beside formulas when it saves."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, value in values.items():
        sheet, count = re.subn(rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f>(<v\s*/>|<v></v>)?',
                               rf"\1<f>\2</f><v>{value}</v>", sheet)
        assert count == 1
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)


@pytest.mark.parametrize("formula", ["=B2+B3", "=SUM(B2:B3)", "=SUBTOTAL(109,B2:B3)",
                                     "=$B$2+$B$3"])
def test_a_computed_total_in_a_sheet_without_kinds_is_skipped(tmp_path: Path,
                                                               formula: str) -> None:
    path = book(tmp_path / "2015.xlsx", [
        ["name", "amount"], ["Lön strateg", 480000], ["Lokaler", 36000],
        ["Totalkostnad", formula]])
    _cached(path, {"B4": 516000})
    assert amounts(path) == [480000, 36000]


def test_a_computed_sum_that_does_not_add_up_is_refused(tmp_path: Path) -> None:
    path = book(tmp_path / "2015.xlsx", [
        ["name", "amount"], ["Lön strateg", 480000], ["Lokaler", 36000], ["Resor", 12000],
        ["Totalt", "=B2+B3"]])
    _cached(path, {"B5": 516000})
    assert refusal(path) == [
        f"{path}: Budget!row 5: the row has no kind, and its amount 516000 (=B2+B3) is not the "
        "sum of the rows it closes (rows 2-4: 528000); write line or funding in its kind cell, "
        "or correct or delete the total"]


def test_a_line_computed_from_another_line_is_a_line(tmp_path: Path) -> None:
    path = book(tmp_path / "2015.xlsx", [
        ["name", "amount"], ["Lön strateg", 480000], ["OH", "=B2*0.15"]])
    _cached(path, {"B3": 72000})
    assert amounts(path) == [480000, 72000]


def test_an_actuals_total_row_is_not_charged(tmp_path: Path) -> None:
    path = book(tmp_path / "2015.xlsx", [
        ["kind", "name", "amount"],
        ["line", "Lön strateg", 100000],
        ["line", "Lokaler", 5900],
        [None, "Utfall totalt", 105900],
    ], title="Utfall")
    assert read_actuals_xlsx_data(path)["lines"] == [
        {"name": "Lön strateg", "amount": 100000}, {"name": "Lokaler", "amount": 5900}]


def test_a_column_named_twice_is_refused(tmp_path: Path) -> None:
    path = book(tmp_path / "2015.xlsx", [
        ["kind", "name", "amount", "Amount"], ["line", "Lön strateg", 100000, 1000]])
    assert refusal(path) == [
        f"{path}: Budget!D1: column 'amount' is named twice (C1 and D1); keep one, or rename "
        "the other"]


def test_hidden_and_filtered_rows_and_hidden_columns_with_values_are_refused(
        tmp_path: Path) -> None:
    def hide(ws: Any) -> None:
        ws.row_dimensions[3].hidden = True  # hidden by hand
        ws.auto_filter.ref = "A1:D5"
        ws.row_dimensions[4].hidden = True  # filtered out
        ws.column_dimensions["E"].hidden = True

    path = book(tmp_path / "2015.xlsx", [
        ["kind", "name", "amount", "note"],
        ["line", "Lön strateg", 100000, None],
        ["line", "Gammal rad", 300000],
        ["line", "Bortfiltrerad", 1000],
        ["line", "Resor", 1, None, "dold anteckning"],
    ], setup=hide)
    assert refusal(path) == [
        f"{path}: Budget!row 3: row 3 is hidden or filtered out and holds 'line' (A3); kn reads "
        "only what can be seen: unhide or delete it",
        f"{path}: Budget!row 4: row 4 is hidden or filtered out and holds 'line' (A4); kn reads "
        "only what can be seen: unhide or delete it",
        f"{path}: Budget!E5: column E is hidden and holds 'dold anteckning' (E5); kn reads only "
        "what can be seen: unhide or delete it",
    ]


def test_an_empty_hidden_row_is_no_problem(tmp_path: Path) -> None:
    def hide(ws: Any) -> None:
        ws.row_dimensions[3].hidden = True

    path = book(tmp_path / "2015.xlsx", [
        ["kind", "name", "amount"], ["line", "Lön strateg", 100000], [], ["line", "Resor", 1]],
        setup=hide)
    assert amounts(path) == [100000, 1]


def test_a_merged_range_over_the_table_is_refused_with_its_range(tmp_path: Path) -> None:
    def merge(ws: Any) -> None:
        ws.merge_cells("A1:C1")  # a title above the header: fine
        ws.merge_cells("A3:C3")  # a section heading across the table

    path = book(tmp_path / "2015.xlsx", [
        ["Budget 2015"],
        ["kind", "name", "amount"],
        ["Lönekostnader"],
        ["line", "Lön strateg", 100000],
    ], setup=merge)
    assert refusal(path) == [
        f"{path}: Budget!A3:C3: A3:C3 is merged over cells kn reads; unmerge it (kn reads every "
        "cell on its own)"]


def test_a_stray_format_at_the_last_row_costs_nothing(tmp_path: Path) -> None:
    def stray(ws: Any) -> None:
        ws.cell(row=1_048_576, column=16_384).number_format = "0.00"

    path = book(tmp_path / "2015.xlsx", [
        ["kind", "name", "amount"], ["line", "Lön strateg", 480000], ["line", "Resor", 12000.5],
        [None, "Totalt", 492000.5]], setup=stray)
    assert path.stat().st_size < 10_000
    assert amounts(path) == [480000, Decimal("12000.5")]


def test_a_formula_never_calculated_is_refused(tmp_path: Path) -> None:
    path = book(tmp_path / "2015.xlsx", [
        ["kind", "name", "amount"], ["line", "Lön strateg", 480000], [None, "Totalt", "=C2"]])
    assert refusal(path) == [
        f"{path}: Budget!C3: formula =C2 has no calculated value (the file was written by a "
        "program and never opened in a spreadsheet); open it in Excel or LibreOffice and save "
        "it, or type the number"]


def actuals_refusal(path: Path) -> list[str]:
    from koordination.io.excel import load_actuals_xlsx

    with pytest.raises(DataError) as err:
        load_actuals_xlsx(path, year=2015)
    return [str(p) for p in err.value.problems]


def test_an_actuals_workbook_places_its_problems_at_their_cells(tmp_path: Path) -> None:
    from datetime import date

    path = book(tmp_path / "2015.xlsx", [
        ["year", 2015],
        ["kind", "name", "amount", "forecast", "date"],
        ["line", "Lön strateg", -5000],
        ["line", "Lokaler", 5900, 6000],
        ["one_off", "Avveckling", 1200, None, date(2016, 1, 15)],
        ["funding", "Bidrag", -1],
    ], title="Utfall")
    assert actuals_refusal(path) == [
        f"{path}: Utfall!C3 (amount): actual cost must not be negative (got -5000); enter "
        "grants and refunds under funding",
        f"{path}: Utfall!D4 (forecast): a forecast belongs to an outcome so far; add through: "
        "YYYY-MM-DD (the last day the amounts cover), or remove forecast once the year is "
        "closed",
        f"{path}: Utfall!E5 (date): 2016-01-15 is not in 2015; a one-off cost is settled in "
        "the year of its date",
        f"{path}: Utfall!C6 (amount): funding must not be negative (got -1)",
    ]


def test_an_actuals_workbook_of_another_year_says_so_beside_its_other_problems(
        tmp_path: Path) -> None:
    path = book(tmp_path / "2015.xlsx", [
        ["year", 2014], ["through", "2015-13-01"], ["kind", "name", "amount"],
        ["line", "Lön strateg", "mycket"]], title="Utfall")
    problems = actuals_refusal(path)
    assert problems[0] == (f"{path}: Utfall!B1 (year): year is 2014 but the file is for 2015; "
                           "make them agree")
    assert [p.split(": ")[1] for p in problems[1:]] == ["Utfall!B2 (through)",
                                                        "Utfall!C4 (amount)"]
