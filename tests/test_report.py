"""``kn report YEAR``: budget against outcome per line and group, the fees, the settlement per
member, what was carried and the cost per inhabitant; terminal, JSON and workbook."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from tests.conftest import MakeData

NETWORK = """
    name: Rapportsamverkan
    administrator: Upplands Väsby
    rounding: 1
    surplus: carry_forward
    deficit: charge
    members:
      - kommun: Upplands Väsby
      - kommun: Vallentuna
        joined: 2015-07-01
      - kommun: Österåker
"""
POPS = {"0114": 300, "0115": 200, "0117": 100}
BUDGET = """
    year: {year}
    lines:
      - {{group: Lön, name: Lön strateg, amount: 365000}}
      - {{group: Övrigt, name: Resor, amount: 36500}}
      - {{group: Övrigt, name: Tryck, rate: 500, quantity: 10}}
    funding:
      - {{name: Projektmedel, amount: 20000}}
"""
ACTUALS_2015 = """
    year: 2015
    lines:
      - {name: Lön strateg, amount: 350000}
      - {name: resor, amount: 40100.50}
      - {name: Konferens, amount: 3000}
    funding:
      - {name: Projektmedel, amount: 20000}
"""


def data(make_data: MakeData) -> Path:
    return make_data(network=NETWORK,
                     budgets={2015: BUDGET.format(year=2015), 2016: BUDGET.format(year=2016)},
                     populations={"2014-12-31": POPS, "2015-12-31": POPS},
                     actuals={2015: ACTUALS_2015})


def half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def test_report_json_every_figure(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data)
    result = runner.invoke(app, ["report", "2015", "--data", str(root), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["year"] == 2015 and out["forecast"] is None
    assert out["lines"] == [
        {"group": "Lön", "name": "Lön strateg", "budget": "365000.00", "outcome": "350000.00",
         "variance": "-15000.00", "variance_percent": "-4.11"},
        {"group": "Övrigt", "name": "Resor", "budget": "36500.00", "outcome": "40100.50",
         "variance": "3600.50", "variance_percent": "9.86"},
        # a budget line without an outcome: outcome 0
        {"group": "Övrigt", "name": "Tryck", "budget": "5000.00", "outcome": "0.00",
         "variance": "-5000.00", "variance_percent": "-100.00"},
        # an outcome line the budget does not have: its own row, budget 0, no group
        {"group": None, "name": "Konferens", "budget": "0.00", "outcome": "3000.00",
         "variance": "3000.00", "variance_percent": None},
    ]
    assert out["groups"] == [
        {"group": "Lön", "budget": "365000.00", "outcome": "350000.00",
         "variance": "-15000.00", "variance_percent": "-4.11"},
        {"group": "Övrigt", "budget": "41500.00", "outcome": "40100.50",
         "variance": "-1399.50", "variance_percent": "-3.37"},
        {"group": None, "budget": "0.00", "outcome": "3000.00", "variance": "3000.00",
         "variance_percent": None},
    ]
    assert out["total"] == {"budget": "406500.00", "outcome": "393100.50",
                            "variance": "-13399.50", "variance_percent": "-3.30"}
    assert out["funding"]["budget"] == out["funding"]["outcome"] == "20000.00"
    assert out["net"]["outcome"] == "373100.50"
    # independently: the fee total, the settlement and each member's share
    fees = half_up(Fraction(406500 - 20000))
    difference = half_up(Fraction("373100.50") - fees)
    assert out["fees"] == {"total": fees, "from": "recomputed"}
    assert (fees, difference) == (386500, -13400)
    # 2015: 181 days Väsby+Österåker (3:1), 184 days all three (3:2:1)
    first, second = Fraction(difference * 181, 365), Fraction(difference * 184, 365)
    exact = {"0114": first * 3 / 4 + second / 2, "0115": second / 3,
             "0117": first / 4 + second / 6}
    members = {m["kommunkod"]: m for m in out["settlement"]["members"]}
    for code, value in exact.items():
        assert abs(Fraction(members[code]["amount"]) - value) < 1
    assert sum(m["amount"] for m in members.values()) == difference
    assert out["settlement"]["total"] == difference
    assert out["settlement"]["from"] is None  # not decided
    # surplus: carry_forward: every member is in 2016, so all of it is carried
    assert out["carried"] == {"from_previous": 0, "to_next": difference}
    assert [m["carried_forward"] for m in out["settlement"]["members"]] == \
        [m["amount"] for m in out["settlement"]["members"]]
    assert out["per_inhabitant"] == {
        "population": 600, "fees": f"{Decimal(fees) / 600:.2f}",
        "outcome": f"{Decimal(fees + difference) / 600:.2f}"}
    assert out["per_inhabitant"]["outcome"] == "621.83"  # 373 100 kr for 600 inhabitants


def test_the_next_year_reports_what_was_carried_in(make_data: MakeData,
                                                   runner: CliRunner) -> None:
    root = data(make_data)
    (root / "actuals" / "2016.yaml").write_text(
        "year: 2016\nlines:\n  - {name: Lön strateg, amount: 406500}\n"
        "funding:\n  - {name: Projektmedel, amount: 20000}\n", encoding="utf-8")
    out = json.loads(runner.invoke(app, ["report", "2016", "--data", str(root),
                                         "--json"]).stdout)
    assert out["carried"] == {"from_previous": -13400, "to_next": 0}
    assert out["fees"]["total"] == 386500  # fees without what was carried in
    assert out["settlement"]["total"] == 0


def test_report_workbook_and_terminal(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data)
    result = runner.invoke(app, ["report", "2015", "--data", str(root)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.replace("\u00a0", " ").replace("\u202f", " ").splitlines()
    assert "Ekonomisk rapport 2015 för Rapportsamverkan" in lines[0]
    assert any("Övrigt" in x and "41 500,00 kr" in x and "−1 399,50 kr" in x and "−3,37 %" in x
               for x in lines)
    assert any("Ej i budgeten" in x and "+3 000,00 kr" in x for x in lines)
    assert any("Förs till avgiften 2016" in x and "−13 400 kr" in x for x in lines)
    target = root / "reports" / "2015" / "rapport-2015.xlsx"
    assert lines[-1] == f"Sparad: {target}"
    wb = load_workbook(target)
    assert wb.sheetnames == ["Rapport 2015"]
    ws = wb["Rapport 2015"]
    assert ws["A1"].value == "Ekonomisk rapport 2015 för Rapportsamverkan"
    assert [c.value for c in ws[6]][:5] == ["Grupp", "Budget (kr)", "Utfall (kr)",
                                            "Avvikelse (kr)", "Avvikelse %"]
    assert [ws.cell(row=8, column=c).value for c in range(1, 6)] == [
        "Övrigt", 41500, 40100.5, -1399.5, -0.0337]  # as read back (openpyxl gives floats)
    assert ws["A9"].value == "Ej i budgeten" and ws["E9"].value is None
    assert ws.oddHeader.center.text == "Rapportsamverkan: Rapport 2015"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    fees_row = next(r for r in range(1, ws.max_row + 1)
                    if ws.cell(row=r, column=1).value == "Debiterade avgifter 2015")
    assert ws.cell(row=fees_row, column=2).value == 386500
    assert ws.cell(row=fees_row, column=2).number_format == '#,##0" kr";−#,##0" kr";0" kr"'
    per = next(r for r in range(1, ws.max_row + 1)
               if ws.cell(row=r, column=1).value == "Kostnad per invånare")
    assert ws.cell(row=per, column=2).value == 621.83
    assert len(ws._charts) == 1  # noqa: SLF001 - openpyxl keeps a sheet's charts there
    en = root / "reports" / "2015" / "en.xlsx"
    assert runner.invoke(app, ["report", "2015", "--data", str(root), "--lang", "en",
                               "-o", str(en)]).exit_code == 0
    ws = load_workbook(en)["Report 2015"]
    assert ws["A1"].value == "Financial report 2015 of Rapportsamverkan"
    assert ws["A9"].value == "Not in the budget"


def test_a_report_on_a_forecast_says_so(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data)
    (root / "actuals" / "2015.yaml").write_text(
        "year: 2015\nthrough: 2015-09-30\nlines:\n  - {name: Lön strateg, amount: 270000}\n",
        encoding="utf-8")
    out = json.loads(runner.invoke(app, ["report", "2015", "--data", str(root),
                                         "--json"]).stdout)
    assert out["forecast"] == {"through": "2015-09-30"}
    # the expected outcome: every budget line at its budget, funding as written (none)
    assert out["total"]["outcome"] == "406500.00" and out["funding"]["outcome"] == "0.00"
    assert out["settlement"]["total"] == 20000
    result = runner.invoke(app, ["report", "2015", "--data", str(root), "--lang", "en"])
    assert "Financial report 2015 of Rapportsamverkan: forecast as of 2015-09-30" in \
        result.stdout


def test_report_needs_actuals(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data)
    result = runner.invoke(app, ["report", "2016", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {root / 'actuals' / '2016.yaml'}: no actuals for 2016; write "
        "actuals/2016.yaml (or .xlsx) with the year's actual costs\n")
    assert not (root / "reports").exists()
