"""Budgets and actuals from Excel: the same budget in YAML and xlsx gives the same Budget and
the same allocation; formulas never calculated are errors naming the cell."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from koordination.cli.app import app
from koordination.core.errors import DataError
from koordination.io.budget import load_budget_yaml
from koordination.io.excel import load_budget_xlsx, read_actuals_xlsx_data
from tests.conftest import write

BUDGET_YAML = """
year: 2015
period: {start: 2015-01-01, end: 2015-12-31}
basis: annual
lines:
  - {group: Lönekostnader, name: Lön strateg, amount: 480000, overhead_percent: 38.46}
  - {group: Externa tjänster, name: Externa tjänster, amount: 60000}
  - {group: Externa tjänster, name: OH kostnader för ledning/chef, amount: 72000}
  - {group: Externa tjänster, name: Budgetuppföljning, rate: 550, per_month: 4}
  - {group: Lokalkostnader, name: Lokalkostnader, amount: 36000}
  - {group: Resekostnader, name: Resekostnader, amount: 12000}
  - {group: Aktiviteter strateg och nätverk, name: Aktiviteter strateg och nätverk, amount: 15000}
  - {group: Aktiviteter strateg och nätverk, name: Kringkostnader möten (fika etc), amount: 4000}
  - {group: Aktiviteter, name: Deltagarersättning, rate: 1500, quantity: 40}
  - {group: Övriga kostnader, name: Material/expenser, amount: 5000.50}
  - {group: Övriga kostnader, name: IT & Telefoni, amount: 6000}
funding:
  - {name: Projektmedel, amount: 100000}
"""

HEADER = ["kind", "group", "name", "amount", "overhead_percent", "rate", "per_month", "quantity"]
LINES: list[list[Any]] = [
    ["line", "Lönekostnader", "Lön strateg", 480000, 38.46, None, None, None],
    ["line", "Externa tjänster", "Externa tjänster", 60000],
    ["line", "Externa tjänster", "OH kostnader för ledning/chef", 72000],
    ["line", "Externa tjänster", "Budgetuppföljning", None, None, 550, 4],
    ["line", "Lokalkostnader", "Lokalkostnader", 36000],
    ["line", "Resekostnader", "Resekostnader", 12000],
    ["line", "Aktiviteter strateg och nätverk", "Aktiviteter strateg och nätverk", 15000],
    ["line", "Aktiviteter strateg och nätverk", "Kringkostnader möten (fika etc)", 4000],
    ["line", "Aktiviteter", "Deltagarersättning", None, None, 1500, None, 40],
    ["line", "Övriga kostnader", "Material/expenser", 5000.5],
    ["line", "Övriga kostnader", "IT & Telefoni", 6000],
    ["funding", None, "Projektmedel", 100000],
]


def workbook(path: Path, rows: list[list[Any]], title: str = "Budget",
             top: list[list[Any]] | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in top if top is not None else [
        ["Budget Koordination Norrort 2015"],
        ["year", 2015], ["start", date(2015, 1, 1)], ["end", date(2015, 12, 31)],
        ["basis", "annual"], [],
    ]:
        ws.append(row)
    for row in rows:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def budget_xlsx(path: Path, lines: list[list[Any]] | None = None) -> Path:
    rows = [HEADER, *(lines if lines is not None else LINES)]
    if lines is None:
        rows.append([None, None, "TOTALT", 690000.5])  # the sum of the lines' amounts: skipped
    return workbook(path, rows)


def test_defusedxml_guards_openpyxl() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_same_budget_in_yaml_and_xlsx(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from_yaml = load_budget_yaml(write(tmp_path / "2015.yaml", BUDGET_YAML), year=2015)
    from_xlsx = load_budget_xlsx(budget_xlsx(tmp_path / "2015.xlsx"), year=2015)
    assert from_xlsx == from_yaml
    assert from_xlsx.lines[0].overhead_percent == Decimal("38.46")
    assert from_xlsx.lines[9].amount == Decimal("5000.5")
    assert from_xlsx.funding[0].amount == Decimal(100000)


def test_same_allocation_from_yaml_and_xlsx(runner, shipped_data) -> None:  # type: ignore[no-untyped-def]
    write(shipped_data / "budgets" / "2015.yaml", BUDGET_YAML)
    from_yaml = runner.invoke(app, ["allocate", "2015", "--json", "--data", str(shipped_data)])
    assert from_yaml.exit_code == 0, from_yaml.stderr
    (shipped_data / "budgets" / "2015.yaml").unlink()
    budget_xlsx(shipped_data / "budgets" / "2015.xlsx")
    from_xlsx = runner.invoke(app, ["allocate", "2015", "--json", "--data", str(shipped_data)])
    assert from_xlsx.exit_code == 0, from_xlsx.stderr
    a, b = json.loads(from_yaml.stdout), json.loads(from_xlsx.stdout)
    a.pop("inputs", None)
    b.pop("inputs", None)
    assert a == b
    # 480,000 × 1.3846 + 550 × 4 × 12 + 1,500 × 40 + the other lines = 961,008.50;
    # less 100,000 funding, rounded half up: 861,009.
    assert a["total"] == 861_009


def test_budget_year_defaults_to_the_file_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = workbook(tmp_path / "2016.xlsx", [["name", "amount"], ["Lön", 1000]], top=[])
    budget = load_budget_xlsx(path, year=2016)
    assert budget.year == 2016 and budget.start == date(2016, 1, 1)
    assert budget.lines[0].group == "Lön" and budget.lines[0].amount == Decimal(1000)


def test_formula_without_calculated_value_is_an_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [list(LINES[0]), ["line", "Lokal", "Lokalkostnader", "=3000*12"]]
    path = budget_xlsx(tmp_path / "2015.xlsx", lines)
    with pytest.raises(DataError) as err:
        load_budget_xlsx(path, year=2015)
    assert str(err.value) == (
        f"{path}: Budget!D9: formula =3000*12 has no calculated value (the file was written by a "
        "program and never opened in a spreadsheet); open it in Excel or LibreOffice and save "
        "it, or type the number")


def _with_cached_value(path: Path, formula: str, value: str) -> None:
    """Add the value a spreadsheet would have stored beside a formula (as Excel does)."""
    with zipfile.ZipFile(path) as zin:
        items = {name: zin.read(name) for name in zin.namelist()}
    sheet = items["xl/worksheets/sheet1.xml"].decode()
    sheet, count = re.subn(rf"<f>{re.escape(formula)}</f>(<v\s*/>|<v></v>)?",
                           f"<f>{formula}</f><v>{value}</v>", sheet)
    assert count == 1
    items["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in items.items():
            zout.writestr(name, data)


def test_formula_with_calculated_value_is_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [list(LINES[0]), ["line", "Lokal", "Lokalkostnader", "=3000*12"]]
    path = budget_xlsx(tmp_path / "2015.xlsx", lines)
    _with_cached_value(path, "3000*12", "36000")
    budget = load_budget_xlsx(path, year=2015)
    assert budget.lines[1].amount == Decimal(36000)


def test_problems_are_located_by_cell(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [["line", "Lön", "Lön strateg", -5], ["line", "Lön", "Resor", 100, None, 10],
             ["line", "Lön", None, 100]]
    path = budget_xlsx(tmp_path / "2015.xlsx", lines)
    with pytest.raises(DataError) as err:
        load_budget_xlsx(path, year=2015)
    assert [str(p) for p in err.value.problems] == [
        f"{path}: Budget!row 8: amount must not be negative (got -5)",
        f"{path}: Budget!row 9: amount and rate do not make one amount; use exactly one of: "
        "amount; amount + overhead_percent; rate + per_month; rate + quantity",
        f"{path}: Budget!row 10 (name): required but missing",
    ]


def test_problems_of_keys_and_cells_are_placed_at_their_cells(tmp_path: Path) -> None:
    """A key above the table is placed at its value's cell, the period at its start, and a
    problem of a column at that column's cell of the row."""
    top = [["year", 2016], ["start", date(2015, 12, 31)], ["end", date(2015, 1, 1)], []]
    lines = [["line", "Lön", "Lön strateg", 1000, None, 10], ["funding", None, "Bidrag", -5]]
    path = workbook(tmp_path / "2015.xlsx", [HEADER, *lines], top=top)
    with pytest.raises(DataError) as err:
        load_budget_xlsx(path, year=2015)
    assert [str(p) for p in err.value.problems] == [
        f"{path}: Budget!B1 (year): year is 2016 but the file is for 2015; make them agree",
        f"{path}: Budget!row 6: amount and rate do not make one amount; use exactly one of: "
        "amount; amount + overhead_percent; rate + per_month; rate + quantity",
        f"{path}: Budget!D7 (amount): must be at least 0, found the number -5",
    ]
    period = workbook(tmp_path / "b" / "2015.xlsx", [HEADER, lines[0][:4]], top=top[1:])
    with pytest.raises(DataError) as err:
        load_budget_xlsx(period, year=2015)
    assert [str(p) for p in err.value.problems] == [
        f"{period}: Budget!B1 (start, end): ends (2015-01-01) before it starts (2015-12-31)"]


def test_unknown_column_and_kind(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = workbook(tmp_path / "2015.xlsx", [["kind", "name", "belopp"],
                                             ["rad", "Lön", 5]], top=[])
    with pytest.raises(DataError) as err:
        load_budget_xlsx(path, year=2015)
    assert [str(p) for p in err.value.problems] == [
        f"{path}: Budget!C1: unknown column 'belopp'; the columns are kind, group, name, amount, "
        "overhead_percent, rate, per_month, quantity",
        f"{path}: Budget!A2: kind 'rad' is unknown; use line, funding",
    ]


def test_year_in_sheet_must_agree_with_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = workbook(tmp_path / "2015.xlsx", [["name", "amount"], ["Lön", 1]],
                    top=[["year", 2014]])
    with pytest.raises(DataError) as err:
        load_budget_xlsx(path, year=2015)
    assert str(err.value) == (f"{path}: Budget!B1 (year): year is 2014 but the file is for 2015; "
                              "make them agree")


def test_not_a_workbook_and_too_large(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "2015.xlsx", "year: 2015\n")
    with pytest.raises(DataError) as err:
        load_budget_xlsx(path, year=2015)
    assert str(err.value).startswith(f"{path}: not a readable xlsx workbook (")
    assert str(err.value).endswith("); save it again as an Excel workbook (.xlsx)")
    big = tmp_path / "big.xlsx"
    with big.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(20 * 1024 * 1024 + 1)  # sparse: costs no disk
    with pytest.raises(DataError) as err:
        load_budget_xlsx(big, year=2015)
    assert str(err.value) == (f"{big}: file is 20971521 bytes; kn reads a workbook of up to "
                              "20971520 bytes (is this the right file?)")


def test_budget_xlsx_through_the_cli(runner, shipped_data) -> None:  # type: ignore[no-untyped-def]
    lines = [list(LINES[0]), ["line", "Lokal", "Lokalkostnader", "=3000*12"]]
    (shipped_data / "budgets" / "2015.yaml").unlink()
    path = budget_xlsx(shipped_data / "budgets" / "2015.xlsx", lines)
    result = runner.invoke(app, ["allocate", "2015", "--data", str(shipped_data)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {path}: Budget!D9: formula =3000*12 has no calculated value (the file was "
        "written by a program and never opened in a spreadsheet); open it in Excel or "
        "LibreOffice and save it, or type the number\n")
    assert not (shipped_data / "reports" / "2015").exists()


def test_actuals_xlsx_gives_the_yaml_shape(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = workbook(tmp_path / "actuals" / "2015.xlsx", [
        ["kind", "name", "amount", "date", "kommentar"],
        ["line", "Lön strateg", 671200, None, "enligt huvudbok"],
        ["line", "Externa tjänster", 58000.25],
        ["one_off", "Avvecklingskostnad strategtjänst", 120000, date(2015, 11, 30)],
        ["funding", "Projektmedel", 100000],
        [None, "Summa", 729200.25],
    ], title="Utfall", top=[["Utfall 2015"], ["year", 2015]])
    assert read_actuals_xlsx_data(path) == {
        "year": 2015,
        "lines": [{"name": "Lön strateg", "amount": 671200},
                  {"name": "Externa tjänster", "amount": 58000.25}],
        "one_off": [{"name": "Avvecklingskostnad strategtjänst", "amount": 120000,
                     "date": date(2015, 11, 30)}],
        "funding": [{"name": "Projektmedel", "amount": 100000}],
    }


def test_actuals_formula_without_value(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = workbook(tmp_path / "2015.xlsx", [["name", "amount"], ["Lön", "=1+1"]],
                    title="Utfall", top=[])
    with pytest.raises(DataError) as err:
        read_actuals_xlsx_data(path)
    assert str(err.value).startswith(f"{path}: Utfall!B2: formula =1+1 has no calculated value")
