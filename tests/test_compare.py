"""kn compare YEAR_A YEAR_B: fee per member in two years, change in kr and %."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.compare import compare, percent_change
from koordination.io.datadir import DataDir
from koordination.jobs.allocation import run_allocation
from tests.conftest import MakeData, write
from tests.small import NETWORK, small_data

JOINED = NETWORK.replace("      - kommun: Vallentuna\n",
                         "      - {kommun: Vallentuna, joined: 2015-01-01}\n")


def test_core_compare_with_a_new_member(make_data: MakeData) -> None:
    data = DataDir(small_data(make_data, network=JOINED))
    comp = compare(run_allocation(data, 2014).allocation, run_allocation(data, 2015).allocation)
    rows = [(m.name, m.a, m.b, m.fee_change, m.fee_change_percent, m.population_change)
            for m in comp.members]
    assert [(r[0], r[3], r[4], r[5]) for r in rows] == [
        ("Upplands Väsby", Decimal(200), Decimal("7.14"), 20),
        ("Vallentuna", Decimal(1000), None, None),
        ("Österåker", Decimal(-200), Decimal("-3.23"), -20),
    ]
    assert rows[1][1] is None and rows[1][2] is not None
    assert (comp.total_a, comp.total_b, comp.total_change) == (9000, 10000, 1000)
    assert comp.total_change_percent == Decimal("11.11")
    assert (comp.population_a, comp.population_b, comp.population_change) == (900, 1000, 100)


def test_percent_change_rounds_half_up() -> None:
    assert percent_change(Decimal(8), Decimal(9)) == Decimal("12.50")
    assert percent_change(Decimal(3), Decimal(2)) == Decimal("-33.33")
    assert percent_change(Decimal(0), Decimal(2)) is None
    assert percent_change(None, Decimal(2)) is None


def test_compare_command_table_and_workbook(make_data: MakeData, runner: CliRunner) -> None:
    data = small_data(make_data)
    result = runner.invoke(app, ["compare", "2014", "2015", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    nb = "\u00a0"
    assert "Jämförelse av avgifter för Testsamverkan 2014 och 2015" in result.stdout
    line = next(x for x in result.stdout.splitlines() if "Upplands Väsby" in x)
    assert [cell.strip() for cell in line.split("│")[1:-1]] == [
        "Upplands Väsby", "280", "300", "+20", f"2{nb}520", f"3{nb}000", "+480", f"+19,05{nb}%"]
    target = data / "reports" / "2015" / "jamforelse-2014-2015.xlsx"
    assert result.stdout.splitlines()[-1] == f"Sparad: {target}"
    ws = load_workbook(target)["Jämförelse 2014–2015"]
    assert [c.value for c in ws[4]] == [
        "Kommun", "Kommunkod", "Befolkning 2014", "Befolkning 2015", "Förändring befolkning",
        "Avgift 2014", "Avgift 2015", "Förändring kr", "Förändring %", "Anmärkning"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=8)] == [
        ["Upplands Väsby", "0114", 280, 300, 20, 2520, 3000, 480, 0.1905, None],
        ["Vallentuna", "0115", 100, 100, 0, 900, 1000, 100, 0.1111, None],
        ["Österåker", "0117", 620, 600, -20, 5580, 6000, 420, 0.0753, None],
        ["Totalt", None, "=SUM(C5:C7)", "=SUM(D5:D7)", "=D8-C8", "=SUM(F5:F7)",
         "=SUM(G5:G7)", "=SUM(H5:H7)", 0.1111, None],
    ]
    assert ws["F5"].number_format == "#,##0"
    assert ws["I5"].number_format == "0.00%"


def test_compare_json_with_a_member_of_one_year(make_data: MakeData, runner: CliRunner) -> None:
    data = small_data(make_data, network=JOINED)
    result = runner.invoke(app, ["compare", "2014", "2015", "--data", str(data), "--json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["total"] == {"a": 9000, "b": 10000, "change": 1000, "change_percent": "11.11",
                            "population_change": 100}
    assert out["members"][1] == {
        "kommunkod": "0115", "kommun": "Vallentuna", "a": None,
        "b": {"population": 100, "fee": 1000}, "change": 1000, "change_percent": None,
        "population_change": None}
    assert not (data / "reports").exists()


def test_compare_marks_members_of_one_year(make_data: MakeData, runner: CliRunner,
                                           tmp_path: Path) -> None:
    data = small_data(make_data, network=JOINED)
    out = tmp_path / "cmp.xlsx"
    result = runner.invoke(app, ["compare", "2014", "2015", "--data", str(data), "-o", str(out),
                                 "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    assert "member in 2015 only" in result.stdout
    ws = load_workbook(out).active
    assert [c.value for c in ws[6]][:10] == [
        "Vallentuna", "0115", None, 100, None, None, 1000, 1000, None, "member in 2015 only"]


def test_compare_reports_both_years_problems(make_data: MakeData, runner: CliRunner) -> None:
    data = small_data(make_data)
    result = runner.invoke(app, ["compare", "2013", "2016", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {data / 'budgets' / '2013.yaml'}: no budget for 2013; write budgets/2013.yaml "
        "(or .xlsx)",
        f"error: {data / 'budgets' / '2016.yaml'}: no budget for 2016; write budgets/2016.yaml "
        "(or .xlsx)",
    ]
    assert not (data / "reports").exists()


def test_compare_2014_2015_on_the_shipped_data(shipped_data: Path, runner: CliRunner) -> None:
    if not (shipped_data / "budgets" / "2014.yaml").exists():
        write(shipped_data / "budgets" / "2014.yaml", """
            year: 2014
            period: {start: 2014-04-15, end: 2014-12-31}
            lines:
              - {group: Lönekostnader, name: Lön strateg, amount: 480000, overhead_percent: 38.46}
        """)
    result = runner.invoke(app, ["compare", "2014", "2015", "--data", str(shipped_data),
                                 "--json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["population_dates"] == ["2012-12-31", "2014-12-31"]
    assert len(out["members"]) == 15
    assert out["total"]["b"] == 905000
    danderyd = out["members"][0]
    assert danderyd["kommun"] == "Danderyd"
    assert (danderyd["a"]["population"], danderyd["b"]["population"]) == (31960, 32295)
    assert danderyd["population_change"] == 335


def test_compare_notes_a_year_whose_decision_differs(make_data: MakeData,
                                                     runner: CliRunner) -> None:
    data = small_data(make_data)
    final = ["allocate", "2014", "--data", str(data), "--final", "--decision-date", "2013-11-01"]
    assert runner.invoke(app, final).exit_code == 0
    same = runner.invoke(app, ["compare", "2014", "2015", "--data", str(data)])
    assert "note:" not in same.stdout
    (data / "budgets" / "2014.yaml").write_text(
        "year: 2014\nlines:\n  - {name: Lön, amount: 9900}\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", "2014", "2015", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        f"note: the fees of 2014 computed today differ from the decision of 2013-11-01 "
        f"({data / 'decisions' / '2014.json'}); this report shows the computed fees")
