"""The forecast (prognos): actuals with ``through:`` settled as the year is expected to end."""

from __future__ import annotations

import json
import textwrap
from datetime import date as date_
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.allocation import LineAmount
from koordination.core.forecast import expected_outcome, forecast_lines
from koordination.core.models import ActualLine, Actuals, BudgetLine, Funding, OneOff
from koordination.io.datadir import DataDir
from koordination.jobs.allocation import run_allocation, run_settlement
from tests.conftest import MakeData

NETWORK = """
    name: Test
    administrator: Upplands Väsby
    rounding: 1
    surplus: {surplus}
    deficit: charge
    members:
      - kommun: Upplands Väsby
      - kommun: Vallentuna
      - kommun: Österåker
        {extra}
"""
POPS = {"0114": 300, "0115": 200, "0117": 100}
BUDGET_2015 = """
    year: 2015
    period: {start: 2015-04-15, end: 2015-12-31}
    lines:
      - {group: Lön, name: Lön strateg, amount: 365000}
      - {group: Övrigt, name: Resor, amount: 36500}
      - {group: Övrigt, name: IT, rate: 550, per_month: 4}
"""
BUDGET_2016 = """
    year: 2016
    lines:
      - {group: Lön, name: Lön strateg, amount: 365000}
"""


def line(name: str, group: str, yearly: Fraction, days: int = 261) -> LineAmount:
    return LineAmount(BudgetLine(group, name, amount=Decimal(1)), yearly,
                      yearly * Fraction(days, 365))


def test_forecast_lines_take_the_forecast_else_the_budget_else_the_outcome_so_far() -> None:
    budget = [line("Lön strateg", "Lön", Fraction(365000)),
              line("Resor", "Övrigt", Fraction(36500)),
              line("IT", "Övrigt", Fraction(26400))]
    actuals = Actuals(2015, (
        ActualLine("lön  STRATEG", Decimal("150000"), Decimal("270000.50")),
        ActualLine("Resor", Decimal("9000")),
        ActualLine("Konferens", Decimal("12500")),
        ActualLine("Tryck", Decimal("1000"), Decimal("4000")),
    ), through=date_(2015, 8, 31))
    lines = forecast_lines(actuals, budget)
    assert [(x.name, x.group, x.so_far, x.expected, x.source) for x in lines] == [
        ("Lön strateg", "Lön", Decimal("150000"), Decimal("270000.50"), "forecast"),
        # 36 500 × 261/365 = 26 100, the budget for the period
        ("Resor", "Övrigt", Decimal("9000"), Decimal("26100.00"), "budget"),
        # 26 400 × 261/365 = 18 877.81 (18 877.808...), no outcome yet
        ("IT", "Övrigt", None, Decimal("18877.81"), "budget"),
        ("Konferens", None, Decimal("12500"), Decimal("12500"), "so_far"),
        ("Tryck", None, Decimal("1000"), Decimal("4000"), "forecast"),
    ]
    assert lines[2].budget == Fraction(26400 * 261, 365)


def test_the_expected_outcome_keeps_funding_and_one_offs_as_written() -> None:
    one_off = OneOff("Avveckling", Decimal("1000"), date_(2015, 11, 30))
    actuals = Actuals(2015, (ActualLine("Lön strateg", Decimal("5")),), (one_off,),
                      (Funding("Projektmedel", Decimal("700")),), date_(2015, 5, 31))
    outcome, basis = expected_outcome(actuals, [line("Lön strateg", "Lön", Fraction(365))])
    assert outcome.lines == (ActualLine("Lön strateg", Decimal("261.00")),)
    assert outcome.one_off == (one_off,) and outcome.funding == actuals.funding
    assert basis.through == date_(2015, 5, 31) and basis.so_far_total == Decimal(5)


def data(make_data: MakeData, actuals: str, surplus: str = "refund",
         extra: str = "") -> Path:
    return make_data(
        network=NETWORK.format(surplus=surplus, extra=extra),
        budgets={2015: BUDGET_2015, 2016: BUDGET_2016},
        populations={"2014-12-31": POPS, "2015-12-31": POPS},
        actuals={2015: actuals},
    )


MAY = """
    year: 2015
    through: 2015-05-31
    lines:
      - {name: Lön strateg, amount: 46000, forecast: 270000}
      - {name: Konferens, amount: 3000, forecast: 9000}
    funding:
      - {name: Projektmedel, amount: 6000}
"""
FINAL = """
    year: 2015
    lines:
      - {name: Lön strateg, amount: 270000}
      - {name: Resor, amount: 26100}
      - {name: IT, amount: 18877.81}
      - {name: Konferens, amount: 9000}
    funding:
      - {name: Projektmedel, amount: 6000}
"""


def test_a_forecast_that_comes_true_is_the_settlement(make_data: MakeData) -> None:
    """Forecast in May: the salary and a conference forecast, the rest as budgeted. The
    year then ends exactly so: the forecast's figures are the settlement's, member by member."""
    root = data(make_data, MAY)
    fc = run_settlement(DataDir(root), 2015).settlement
    assert fc.forecast is not None and fc.forecast.through == date_(2015, 5, 31)
    # independently: fees charged = round(365000×261/365 + 36500×261/365 + 26400×261/365)
    budget = (Fraction(365000) + 36500 + 26400) * Fraction(261, 365)
    charged = int(budget + Fraction(1, 2))
    assert fc.charged == charged == 305978
    expected = Fraction(270000) + Fraction("26100.00") + Fraction("18877.81") + 9000 - 6000
    assert fc.net == expected
    difference = int(expected - charged + Fraction(1, 2))
    assert fc.difference == difference == 12000
    # shared 300:200:100 (every member all period)
    assert [(m.code, m.settlement) for m in fc.members] == [
        ("0114", difference * 3 // 6), ("0115", difference * 2 // 6),
        ("0117", difference // 6)]
    (root / "actuals" / "2015.yaml").write_text(textwrap.dedent(FINAL),
                                                encoding="utf-8")
    final = run_settlement(DataDir(root), 2015).settlement
    assert final.forecast is None
    assert [(m.code, m.settlement, m.amount) for m in final.members] == \
        [(m.code, m.settlement, m.amount) for m in fc.members]
    assert final.difference == fc.difference and final.net == fc.net


def test_a_forecast_is_never_carried_into_next_year(make_data: MakeData) -> None:
    """surplus: carry_forward: a forecast surplus stays out of next year's fees; the
    settlement of the closed year is carried."""
    low = """
        year: 2015
        through: 2015-09-30
        lines:
          - {name: Lön strateg, amount: 100000, forecast: 200000}
    """
    root = data(make_data, low, surplus="carry_forward")
    fc = run_settlement(DataDir(root), 2015).settlement
    assert fc.difference < 0 and fc.any_carried  # the forecast shows what would be carried
    nxt = run_allocation(DataDir(root), 2016).allocation
    assert [m.carried for m in nxt.members] == [0, 0, 0]
    assert nxt.total == 365000
    (root / "actuals" / "2015.yaml").write_text(
        "year: 2015\nlines:\n  - {name: Lön strateg, amount: 200000}\n", encoding="utf-8")
    closed = run_allocation(DataDir(root), 2016).allocation
    assert sum(m.carried for m in closed.members) == run_settlement(
        DataDir(root), 2015).settlement.difference != 0


def test_kn_settle_on_a_forecast(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data, MAY)
    result = runner.invoke(app, ["settle", "2015", "--data", str(root)])
    assert result.exit_code == 0, result.output
    assert "Prognos 2015 per 2015-05-31: förväntad avräkning för Test" in result.output
    assert "Utfall t.o.m. 2015-05-31" in result.output
    assert "En prognos är inget beslut" in result.output
    target = root / "reports" / "2015" / "prognos-2015.xlsx"
    assert target.exists() and not (root / "reports" / "2015" / "avrakning-2015.xlsx").exists()
    wb = load_workbook(target)
    assert wb.sheetnames[0] == "Prognos 2015"
    for ws in wb.worksheets:
        assert ws.oddHeader.center.text == "Test: Prognos 2015 per 2015-05-31"
    ws = wb["Prognos 2015"]
    assert ws["A1"].value == "Prognos 2015 per 2015-05-31: förväntad avräkning för Test"
    assert ws["D4"].value == "Förväntad avräkning (kr)"
    assert [ws.cell(row=r, column=4).value for r in (5, 6, 7)] == [6000, 4000, 2000]
    sheet = wb["Budget mot utfall"]
    assert sheet["C4"].value == "Prognos helår"
    found = next(r for r in range(1, sheet.max_row + 1)
                 if sheet.cell(row=r, column=1).value == "Prognos 2015 per 2015-05-31")
    assert [sheet.cell(row=found + 1, column=c).value for c in (1, 2, 3, 4)] == [
        "Post", "Utfall t.o.m. 2015-05-31", "Prognos helår", "Prognosen bygger på"]
    assert [[sheet.cell(row=found + r, column=c).value for c in (1, 2, 3, 4)]
            for r in (2, 3, 5, 6)] == [
        ["Lön strateg", 46000, 270000, "Angiven prognos"],
        ["Resor", None, 26100, "Budget för perioden"],
        ["Konferens", 3000, 9000, "Angiven prognos"],
        ["TOTALT", f"=SUM(B{found + 2}:B{found + 5})", f"=SUM(C{found + 2}:C{found + 5})",
         None]]
    values = load_workbook(target, data_only=True)["Budget mot utfall"]
    assert [values.cell(row=found + 6, column=c).value for c in (2, 3)] == [49000, 323977.81]
    method = [c.value for c in wb["Metod"]["A"] if c.value]
    assert method[1].startswith("Prognosen: utfallet t.o.m. 2015-05-31 (49\xa0000 kr) är känt.")
    assert "Ingenting faktureras på en prognos: när året har avräknats faktureras ett " \
        "underskott och ett överskott betalas tillbaka, eller förs till nästa års avgift, " \
        "enligt samverkans regler." in method
    assert "Ett underskott faktureras medlemmarna nu." not in method
    assert any(line.startswith("Förväntad skillnad: de förväntade kostnaderna (323\xa0977,81 "
                               "kr) minus finansieringen (6\xa0000") for line in method)
    en = root / "reports" / "2015" / "en.xlsx"
    result = runner.invoke(app, ["settle", "2015", "--data", str(root), "--lang", "en",
                                 "-o", str(en)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(en)
    assert wb.sheetnames[0] == "Forecast 2015"
    assert all(ws.oddHeader.center.text == "Test: Forecast 2015 as of 2015-05-31"
               for ws in wb.worksheets)


def test_kn_settle_json_says_it_is_a_forecast(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data, MAY)
    result = runner.invoke(app, ["settle", "2015", "--data", str(root), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["forecast"]["through"] == "2015-05-31"
    assert out["forecast"]["so_far"] == "49000.00"
    assert out["forecast"]["expected"] == "323977.81"
    assert out["forecast"]["lines"][1] == {"group": "Övrigt", "name": "Resor",
                                           "budget": "26100.00", "so_far": None,
                                           "expected": "26100.00", "source": "budget"}
    assert out["difference"] == 12000
    assert [m["amount"] for m in out["members"]] == [6000, 4000, 2000]
    assert not (root / "reports").exists()


def test_a_closed_year_has_no_forecast_in_json(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data, FINAL)
    out = json.loads(runner.invoke(app, ["settle", "2015", "--data", str(root),
                                         "--json"]).stdout)
    assert out["forecast"] is None


def test_settlement_invoices_refuse_a_forecast(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data, MAY)
    result = runner.invoke(app, ["invoices", "2015", "--settlement", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {root / 'actuals' / '2015.yaml'}: through: the actuals are a forecast "
        "(through: 2015-05-31); a settlement invoice needs the outcome of the whole year: "
        "when 2015 has closed, write the year's actual costs and remove through: and "
        "forecast\n")
    assert not (root / "reports").exists()


def test_bad_forecast_files_are_refused(make_data: MakeData, runner: CliRunner) -> None:
    bad = """
        year: 2015
        through: 2016-01-31
        lines:
          - {name: Lön strateg, amount: 1000, forecast: -5}
    """
    root = data(make_data, bad)
    result = runner.invoke(app, ["settle", "2015", "--data", str(root)])
    file = root / "actuals" / "2015.yaml"
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {file}: through: 2016-01-31 is not in 2015; through: is the last day of "
        "2015 the outcome so far covers",
        f"error: {file}: lines[0].forecast: a forecast cost must not be negative (got -5); "
        "enter grants and refunds under funding",
    ]
    no_through = "year: 2015\nlines:\n  - {name: Lön strateg, amount: 1000, forecast: 5}\n"
    file.write_text(no_through, encoding="utf-8")
    result = runner.invoke(app, ["settle", "2015", "--data", str(root)])
    assert result.stderr == (
        f"error: {file}: lines[0].forecast: a forecast belongs to an outcome so far; add "
        "through: YYYY-MM-DD (the last day the amounts cover), or remove forecast once the "
        "year is closed\n")


def test_forecast_actuals_in_a_workbook(make_data: MakeData) -> None:
    root = data(make_data, MAY)
    (root / "actuals" / "2015.yaml").unlink()
    wb = Workbook()
    ws = wb.active
    ws.title = "Utfall"
    ws.append(["year", 2015])
    ws.append(["through", date_(2015, 5, 31)])
    ws.append(["kind", "name", "amount", "forecast"])
    ws.append(["line", "Lön strateg", 46000, 270000])
    ws.append(["line", "Konferens", 3000, 9000])
    ws.append(["funding", "Projektmedel", 6000, None])
    wb.save(root / "actuals" / "2015.xlsx")
    fc = run_settlement(DataDir(root), 2015).settlement
    assert fc.forecast is not None and fc.forecast.through == date_(2015, 5, 31)
    assert fc.difference == 12000


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=6),
       st.integers(min_value=1, max_value=365))
def test_without_forecasts_every_budget_line_counts_its_budget(amounts: list[int],
                                                               days: int) -> None:
    budget = [line(f"L{i}", "G", Fraction(a), days) for i, a in enumerate(amounts)]
    actuals = Actuals(2015, (ActualLine("L0", Decimal(1)),), through=date_(2015, 6, 30))
    outcome, _ = expected_outcome(actuals, budget)
    for got, a in zip(outcome.lines, amounts, strict=True):
        exact = Fraction(a) * days / 365
        assert abs(Fraction(got.amount) - exact) <= Fraction(1, 200)
        assert got.amount == Decimal(int(exact * 100 + Fraction(1, 2))) / 100


def test_a_forecast_cannot_be_decided_and_invoices_only_as_drafts(
        make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data, MAY)
    assert runner.invoke(app, ["allocate", "2015", "--data", str(root), "--final",
                               "--decision-date", "2015-02-01"]).exit_code == 0
    result = runner.invoke(app, ["settle", "2015", "--data", str(root), "--final",
                                 "--decided-by", "Styrgruppen", "--decision-date",
                                 "2015-06-10"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {root / 'actuals' / '2015.yaml'}: through: the actuals are a forecast "
        "(through: 2015-05-31); a settlement decision needs the outcome of the whole year: "
        "when 2015 has closed, write the year's actual costs and remove through: and "
        "forecast\n")
    assert not (root / "decisions" / "settlement-2015.json").exists()
    assert not (root / "reports" / "2015" / "prognos-2015.xlsx").exists()
    result = runner.invoke(app, ["invoices", "2015", "--settlement", "--draft", "--data",
                                 str(root), "--invoice-date", "2015-06-10"])
    assert result.exit_code == 0, result.output
    assert "Utkast: inga fakturor, inget har registrerats." in result.stdout
    assert not (root / "decisions" / "invoices-2015.json").exists()
