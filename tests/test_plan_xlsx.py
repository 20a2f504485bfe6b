"""``kn plan`` on a budget kept in Excel: the sheet Plan gives the index and the population
rule, as ``plan:`` does in YAML; ``kn budget new`` writes it so."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.errors import DataError
from koordination.core.models import PlanRules, YearIndex
from koordination.io.excel import load_budget_xlsx
from tests.conftest import MakeData

NETWORK = """
    name: Plan i Excel
    administrator: Upplands Väsby
    members:
      - kommun: Upplands Väsby
      - kommun: Vallentuna
"""
POPS = {"0114": 300, "0115": 100}
YAML_2016 = """
    year: 2016
    lines:
      - {group: Lönekostnader, name: Lön strateg, amount: 400000, overhead_percent: 38.46}
      - {group: Övrigt, name: Lokaler, amount: 36001}
    plan:
      index:
        default: {2017: 2.7, 2018: 2.8}
        Lönekostnader: 3.1
      population: latest
"""


def workbook(path: Path, plan_rows: list[list[object]] | None, population: str = "latest",
             percent_cells: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["year", 2016])
    ws.append(["kind", "group", "name", "amount", "overhead_percent"])
    ws.append(["line", "Lönekostnader", "Lön strateg", 400000, 38.46])
    ws.append(["line", "Övrigt", "Lokaler", 36001, None])
    if plan_rows is not None:
        ps = wb.create_sheet("Plan")
        ps.append(["population", population])
        ps.append([])
        ps.append(["group", "year", "index"])
        for row in plan_rows:
            ps.append(row)
            if percent_cells and isinstance(row[2], float):
                cell = ps.cell(row=ps.max_row, column=3)
                cell.value = row[2] / 100
                cell.number_format = "0.0%"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


PLAN_ROWS: list[list[object]] = [["default", 2017, 2.7], ["default", 2018, 2.8],
                                 ["Lönekostnader", None, 3.1]]


def test_the_plan_sheet_is_the_plan_section(tmp_path: Path) -> None:
    budget = load_budget_xlsx(workbook(tmp_path / "2016.xlsx", PLAN_ROWS), year=2016)
    assert budget.plan == PlanRules(
        index={"Lönekostnader": YearIndex(every=Decimal("3.1"))},
        default=YearIndex(by_year={2017: Decimal("2.7"), 2018: Decimal("2.8")}),
        population="latest")
    as_percent = load_budget_xlsx(workbook(tmp_path / "p.xlsx", PLAN_ROWS, "trend",
                                           percent_cells=True), year=2016)
    assert as_percent.plan == PlanRules(index=budget.plan.index if budget.plan else {},
                                        default=budget.plan.default if budget.plan else None,
                                        population="trend")
    assert load_budget_xlsx(workbook(tmp_path / "none.xlsx", None), year=2016).plan is None


def test_kn_plan_reads_an_excel_budget_as_a_yaml_one(make_data: MakeData,
                                                     runner: CliRunner) -> None:
    snapshots = {"2015-12-31": POPS}
    yaml_root = make_data(network=NETWORK, budgets={2016: YAML_2016}, populations=snapshots,
                          name="yaml")
    xlsx_root = make_data(network=NETWORK, populations=snapshots, name="xlsx")
    workbook(xlsx_root / "budgets" / "2016.xlsx", PLAN_ROWS)
    out = {}
    for name, root in (("yaml", yaml_root), ("xlsx", xlsx_root)):
        result = runner.invoke(app, ["plan", "2016", "--data", str(root), "--json"])
        assert result.exit_code == 0, result.output
        out[name] = json.loads(result.stdout)
    assert out["xlsx"]["total"] == out["yaml"]["total"]
    assert [m["fee"] for m in out["xlsx"]["members"]] == [m["fee"] for m in out["yaml"]["members"]]
    # independently: 2017 = 553 840 × 1.031 + 36 001 × 1.027, the whole year
    salary = Decimal(400000) * Decimal("1.3846")
    expected = salary * Decimal("1.031") + Decimal(36001) * Decimal("1.027")
    assert out["xlsx"]["total"]["2017"] == int(expected + Decimal("0.5"))


def test_plan_sheet_problems_name_their_cells(make_data: MakeData, runner: CliRunner) -> None:
    root = make_data(network=NETWORK, populations={"2015-12-31": POPS})
    path = workbook(root / "budgets" / "2016.xlsx",
                    [["Lokalkostnader", 2017, 2.0], ["default", None, 2.5],
                     ["default", 2017, 2.6], ["Övrigt", 2016, 2.0]], population="guess")
    result = runner.invoke(app, ["plan", "2016", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {path}: Plan!row 6: default has an index for 2017 already; give each "
        "group's index once per year",
    ]
    path = workbook(root / "budgets" / "2016.xlsx", PLAN_ROWS, population="guess")
    result = runner.invoke(app, ["plan", "2016", "--data", str(root)])
    assert result.stderr == (f"error: {path}: Plan!B1: must be 'latest', 'trend' or "
                             "'forecast', found the text 'guess'\n")
    path = workbook(root / "budgets" / "2016.xlsx",
                    [["Lokalkostnader", 2017, 2.0], ["Övrigt", 2016, 2.0]])
    result = runner.invoke(app, ["plan", "2016", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {path}: Plan!C4: the budget has no line group 'Lokalkostnader'; index one "
        "of its groups (Lönekostnader, Övrigt) or use default",
        f"error: {path}: Plan!B5: 2016 is not a plan year of the 2016 budget; plan years "
        "start in 2017",
    ]


def test_an_excel_budget_without_a_plan_sheet_says_what_to_add(make_data: MakeData,
                                                               runner: CliRunner) -> None:
    root = make_data(network=NETWORK, populations={"2015-12-31": POPS})
    path = workbook(root / "budgets" / "2016.xlsx", None)
    result = runner.invoke(app, ["plan", "2016", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {path}: Plan: no plan index to index plan year 2017 from; add a sheet named "
        "Plan to the 2016 budget workbook (columns group, year, index; group default for the "
        "other groups), or write budgets/2017.xlsx\n")


def test_budget_new_from_an_excel_budget_keeps_its_plan(make_data: MakeData,
                                                        runner: CliRunner) -> None:
    root = make_data(network=NETWORK, populations={"2015-12-31": POPS})
    workbook(root / "budgets" / "2016.xlsx", PLAN_ROWS)
    result = runner.invoke(app, ["budget", "new", "2017", "--data", str(root)])
    assert result.exit_code == 0, result.output
    new = load_budget_xlsx(root / "budgets" / "2017.xlsx", year=2017)
    assert new.plan == PlanRules(index={"Lönekostnader": YearIndex(every=Decimal("3.1"))},
                                 default=YearIndex(by_year={2018: Decimal("2.8")}),
                                 population="latest")
    assert [line.amount for line in new.lines] == [Decimal(412400), Decimal("36973.03")]
    assert (new.start, new.end) == (date(2017, 1, 1), date(2017, 12, 31))


def test_an_uncalculated_plan_index_is_refused_at_its_cell(make_data: MakeData,
                                                          runner: CliRunner) -> None:
    root = make_data(network=NETWORK, populations={"2015-12-31": POPS})
    path = workbook(root / "budgets" / "2016.xlsx",
                    [["default", 2017, "=2.5+0.2"], ["Lönekostnader", None, 3.1]])
    result = runner.invoke(app, ["plan", "2016", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {path}: Plan!C4: formula =2.5+0.2 has no calculated value (the file was "
        "written by a program and never opened in a spreadsheet); open it in Excel or "
        "LibreOffice and save it, or type the number",
    ]


def test_a_range_merged_over_the_plan_table_is_refused(make_data: MakeData,
                                                       runner: CliRunner) -> None:
    """The sheet shows 2017 beside both rows; the second row holds no year, and would be read
    as the index of every year."""
    root = make_data(network=NETWORK, populations={"2015-12-31": POPS})
    path = workbook(root / "budgets" / "2016.xlsx",
                    [["default", 2017, 2.7], ["Lönekostnader", 2017, 3.1], ["Övrigt", None, 2.7]])
    wb = load_workbook(path)
    wb["Plan"].merge_cells("B5:B6")
    wb.save(path)
    result = runner.invoke(app, ["plan", "2016", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {path}: Plan!B5:B6: B5:B6 is merged over cells kn reads; unmerge it (kn reads "
        "every cell on its own)",
    ]


def test_a_plan_table_under_no_group_heading_is_refused_not_ignored(tmp_path: Path) -> None:
    path = workbook(tmp_path / "2016.xlsx", [])
    wb = load_workbook(path)
    wb["Plan"]["A3"] = "grupp"  # the header row, in Swedish: kn finds no 'group' column
    wb["Plan"].append(["default", None, 2.7])
    wb.save(path)
    with pytest.raises(DataError) as err:
        load_budget_xlsx(path, year=2016)
    assert str(err.value) == (f"{path}: Plan: no header row with a 'group' column; columns are "
                              "group, year, index (see the README)")
    only_population = workbook(tmp_path / "p.xlsx", [], population="trend")
    wb = load_workbook(only_population)
    wb["Plan"].delete_rows(2, 5)
    wb.save(only_population)
    assert load_budget_xlsx(only_population, year=2016).plan == PlanRules(population="trend")
