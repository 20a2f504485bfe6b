"""The allocation workbook: sheets, values, number formats and formulas (reference section 5).

The golden file ``tests/golden/fordelning-2015.json`` holds every non-empty cell of the
workbook for the shipped 2015 data: value (formulas as text) and number format. After an
intended change of the workbook, rewrite it with
``KN_UPDATE_GOLDEN=1 pytest tests/test_workbook.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app

GOLDEN = Path(__file__).parent / "golden" / "fordelning-2015.json"


def cells(path: Path) -> dict[str, dict[str, list[Any]]]:
    wb = load_workbook(path)
    result: dict[str, dict[str, list[Any]]] = {}
    for ws in wb.worksheets:
        sheet: dict[str, list[Any]] = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                value = cell.value
                if isinstance(value, float):
                    value = str(Decimal(repr(value)))
                elif not isinstance(value, (str, int, bool)):
                    value = str(value)
                sheet[cell.coordinate] = [value, cell.number_format]
        result[ws.title] = sheet
    return result


def allocate(data: Path, out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(app, ["allocate", "2015", "--data", str(data), "-o", str(out),
                                      *extra])
    assert result.exit_code == 0, result.stderr
    return out


def normalise(found: dict[str, dict[str, list[Any]]], data: Path) -> dict[str, Any]:
    text = json.dumps(found, ensure_ascii=False, sort_keys=True)
    return json.loads(text.replace(str(data), "DATA"))  # type: ignore[no-any-return]


def test_workbook_matches_the_golden_one(shipped_data: Path, tmp_path: Path) -> None:
    found = normalise(cells(allocate(shipped_data, tmp_path / "f.xlsx")), shipped_data)
    if os.environ.get("KN_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                          encoding="utf-8")
    assert found == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_fordelning_sheet_values_formats_and_sums(shipped_data: Path, tmp_path: Path) -> None:
    wb = load_workbook(allocate(shipped_data, tmp_path / "f.xlsx"))
    assert wb.sheetnames == ["Fördelning 2015", "Budget 2015", "Underlag", "Metod"]
    ws = wb["Fördelning 2015"]
    assert ws["A1"].value == "Fördelning av kostnader för Koordination Norrort 2015"
    assert [ws.cell(4, c).value for c in range(1, 5)] == [
        "Kommun", "Befolkningsmängd (2014-12-31)", "Befolkning %",
        "Kostnad Koordination Norrort"]
    assert ws["A5"].value == "Danderyd" and ws["B5"].value == 32295
    assert ws["B5"].number_format == "#,##0"
    assert ws["C5"].value == 0.0473 and ws["C5"].number_format == "0.00%"
    assert ws["D5"].value == 42781 and ws["D5"].number_format == '#,##0" kr";−#,##0" kr";0" kr"'
    assert ws["A19"].value == "Österåker"
    assert ws["A20"].value == "Totalt"
    assert ws["B20"].value == "=SUM(B5:B19)"
    assert ws["D20"].value == "=SUM(D5:D19)"
    # the formulas equal the values
    assert sum(ws.cell(r, 4).value for r in range(5, 20)) == 905000
    assert sum(ws.cell(r, 2).value for r in range(5, 20)) == 683183
    assert round(sum(Decimal(repr(ws.cell(r, 3).value)) for r in range(5, 20)), 4) == 1
    assert ws.freeze_panes == "B5"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"


def test_budget_and_basis_sheets(shipped_data: Path, tmp_path: Path) -> None:
    wb = load_workbook(allocate(shipped_data, tmp_path / "f.xlsx"))
    budget = wb["Budget 2015"]
    assert budget["B5"].value == "Lön strateg"
    assert budget["D5"].value == 664608 and budget["E5"].value == 664608
    total_row = next(r for r in range(5, 40) if budget.cell(r, 1).value == "TOTALT")
    assert budget.cell(total_row, 4).value == f"=SUM(D5:D{total_row - 1})"
    basis = wb["Underlag"]
    assert [basis.cell(4, c).value for c in (1, 2, 3, 5, 7)] == [
        "0162", "Danderyd", 32295, 365, 42781]
    assert basis["F4"].value == 42780.59465765
    assert basis["H4"].value == 0.40534235
    # the exact amounts are stored precisely enough that their shown sum is the total
    exact_sum = sum(Decimal(repr(basis.cell(r, 6).value)) for r in range(4, 19))
    assert round(exact_sum, 4) == 905000
    text = [str(c.value) for row in basis.iter_rows() for c in row if c.value is not None]
    assert "kn 1.0.0" in " ".join(text)
    assert any(len(t) == 64 and all(ch in "0123456789abcdef" for ch in t) for t in text)
    method = wb["Metod"]
    assert "SCB" in method["A3"].value


def test_funding_columns_and_days(make_data: Any, tmp_path: Path) -> None:
    data = make_data(
        network="""
        name: Test
        administrator: Danderyd
        members: [{kommun: Danderyd}, {kommun: Täby, joined: 2015-07-01}]
        """,
        budgets={2015: """
        year: 2015
        lines: [{name: Lön, amount: 36500}]
        funding: [{name: Projektmedel, amount: 3650}]
        """},
        populations={"2014-12-31": {"0162": 1, "0160": 1}},
    )
    ws = load_workbook(allocate(data, tmp_path / "f.xlsx"))["Fördelning 2015"]
    assert [ws.cell(4, c).value for c in range(1, 7)] == [
        "Kommun", "Befolkningsmängd (2014-12-31)", "Andel %", "Kostnad Test", "Projektmedel",
        "Dagar"]
    assert [ws.cell(5, c).value for c in range(1, 7)] == ["Danderyd", 1, 0.7479, 24570, 2730, 365]
    assert [ws.cell(6, c).value for c in range(1, 7)] == ["Täby", 1, 0.2521, 8280, 920, 184]
    assert ws["E7"].value == "=SUM(E5:E6)"


def test_same_inputs_give_the_same_bytes(shipped_data: Path, tmp_path: Path) -> None:
    first = allocate(shipped_data, tmp_path / "a.xlsx").read_bytes()
    second = allocate(shipped_data, tmp_path / "b.xlsx").read_bytes()
    assert first == second


def test_a_name_starting_with_equals_is_text_not_formula(make_data: Any, tmp_path: Path) -> None:
    data = make_data(
        network="""
        name: "=HYPERLINK(\\"http://x\\")"
        administrator: Danderyd
        members: [{kommun: Danderyd}]
        """,
        budgets={2015: "year: 2015\nlines: [{group: '@x', name: '=1+1', amount: 10}]\n"},
        populations={"2014-12-31": {"0162": 1}},
    )
    wb = load_workbook(allocate(data, tmp_path / "f.xlsx"))
    budget = wb["Budget 2015"]
    assert budget["B5"].value == "=1+1" and budget["B5"].data_type == "s"
    assert budget["A5"].value == "@x" and budget["A5"].data_type == "s"
