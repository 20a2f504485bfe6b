"""kn plan (docs/reference.md section 6): the budget year's fees and the plan years after it.

The expected fees are computed here independently, day by day with fractions.Fraction: the
cost of each day of the year shared among the members of that day by population, the
remainders rounded by largest remainder (ties: larger population, then lower code).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.models import Budget, BudgetLine, PlanRules, YearIndex
from koordination.core.planning import exact_decimal, indexed_budget, trend_figure
from tests.conftest import MakeData, snapshot_csv, write

# Upplands Väsby all along; Vallentuna gives notice on 2016-09-30 and is out from 2017-09-30
# (12 months); Värmdö joins on 2017-07-01; Österåker all along.
NETWORK = """
    name: Plansamverkan
    administrator: Österåker
    notice_months: 12
    members:
      - kommun: Upplands Väsby
      - kommun: Vallentuna
        notice: 2016-09-30
      - kommun: Värmdö
        joined: 2017-07-01
      - kommun: Österåker
"""
CODES = ("0114", "0115", "0120", "0117")
JOINED = {"0120": date(2017, 7, 1)}
OUT = {"0115": date(2017, 9, 30)}

BUDGET_2016 = """
    year: 2016
    lines:
      - {group: Lönekostnader, name: Lön strateg, amount: 400000, overhead_percent: 38.46}
      - {group: Övrigt, name: Lokaler, amount: 36001}
      - {group: Övrigt, name: Budgetuppföljning, rate: 550, per_month: 4}
    funding:
      - {name: Projektmedel, amount: 50000}
    plan:
      index:
        default: {2017: 2.7, 2018: 2.8}
        Lönekostnader: 3.1
      population: POPULATION
"""
# synthetic populations (test figures); 2015-12-31 is the budget year's snapshot
SNAPSHOTS = {
    "2012-12-31": {"0114": 40100, "0115": 30200, "0117": 39500, "0120": 38900},
    "2013-12-31": {"0114": 40700, "0115": 30500, "0117": 40100, "0120": 39400},
    "2014-12-31": {"0114": 41300, "0115": 30800, "0117": 40900, "0120": 39900},
    "2015-12-31": {"0114": 42001, "0115": 31003, "0117": 41507, "0120": 40402},
}
FORECAST = {2016: {"0114": 42650, "0115": 31200, "0117": 42300, "0120": 40950},
            2017: {"0114": 43300, "0115": 31400, "0117": 43050, "0120": 41500}}
LINES = [("Lönekostnader", Fraction(400000) * Fraction("1.3846")),
         ("Övrigt", Fraction(36001)), ("Övrigt", Fraction(550 * 4 * 12))]
INDEX = {"Lönekostnader": {2017: Fraction("3.1"), 2018: Fraction("3.1")},
         "Övrigt": {2017: Fraction("2.7"), 2018: Fraction("2.8")}}


def forecast_csv(figures: dict[int, dict[str, int]]) -> str:
    from koordination.core.municipalities import by_code

    rows = ["kommunkod,kommun,year,folkmangd"]
    for year, pops in sorted(figures.items()):
        for code, value in sorted(pops.items()):
            muni = by_code(code)
            assert muni is not None
            rows.append(f"{code},{muni.name},{year},{value}")
    return "\n".join(rows) + "\n"


def plan_data(make_data: MakeData, population: str = "latest", **extra_budgets: str) -> Path:
    budgets = {2016: BUDGET_2016.replace("POPULATION", population)}
    budgets.update({int(k[1:]): v for k, v in extra_budgets.items()})
    root = make_data(network=NETWORK, budgets=budgets, populations=SNAPSHOTS)
    write(root / "populations" / "forecast.csv", forecast_csv(FORECAST))
    return root


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def plan_json(root: Path, *args: str) -> dict:  # type: ignore[type-arg]
    code, out, err = run(["plan", "2016", "--data", str(root), "--json", *args])
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


# --- the independent computation ---------------------------------------------------------

def half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)) // 1)


def is_member(code: str, day: date) -> bool:
    return (code not in JOINED or JOINED[code] <= day) and (code not in OUT or day < OUT[code])


def expected_fees(total: int, year: int, pops: dict[str, int]) -> dict[str, int]:
    """Every member's fee: each day's cost shared by population among that day's members,
    then largest remainder to whole kronor."""
    days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    exact = {c: Fraction(0) for c in CODES}
    day = date(year, 1, 1)
    while day.year == year:
        present = [c for c in CODES if is_member(c, day)]
        weight = sum(pops[c] for c in present)
        for c in present:
            exact[c] += Fraction(total, days) * pops[c] / weight
        day += timedelta(days=1)
    exact = {c: v for c, v in exact.items() if any(is_member(c, date(year, 1, 1) + timedelta(d))
                                                   for d in range(days))}
    fees = {c: int(v // 1) for c, v in exact.items()}
    left = total - sum(fees.values())
    order = sorted(exact, key=lambda c: (-(exact[c] - fees[c]), -pops[c], c))
    for c in order[:left]:
        fees[c] += 1
    return fees


def expected_total(year: int) -> int:
    """The indexed lines of 2016 for ``year`` (whole year, no funding), half up."""
    gross = Fraction(0)
    for group, amount in LINES:
        for y in range(2017, year + 1):
            amount *= 1 + INDEX[group][y] / 100
        gross += amount
    return half_up(gross)


def population(method: str, year: int) -> dict[str, int]:
    """The population of plan year ``year`` (reference date (year-1)-12-31, not shipped)."""
    latest, earlier = SNAPSHOTS["2015-12-31"], SNAPSHOTS["2012-12-31"]
    if method == "latest":
        return dict(latest)
    if method == "trend":
        ahead = year - 1 - 2015
        return {c: half_up(latest[c] + Fraction(ahead * (latest[c] - earlier[c]), 3))
                for c in CODES}
    return dict(FORECAST[year - 1])


BASIS = {"latest": ("latest 2015-12-31", "latest 2015-12-31"),
         "trend": ("trend 2012-12-31 to 2015-12-31", "trend 2012-12-31 to 2015-12-31"),
         "forecast": ("forecast 2016", "forecast 2017")}


@pytest.mark.parametrize("method", ["latest", "trend", "forecast"])
def test_plan_years_are_exact_for_each_population_method(make_data: MakeData,
                                                         method: str) -> None:
    out = plan_json(plan_data(make_data, method))
    assert out["years"] == [2016, 2017, 2018]
    assert out["population_basis"] == {"2016": "2015-12-31", "2017": BASIS[method][0],
                                       "2018": BASIS[method][1]}
    assert out["status"] == {"2016": "proposal", "2017": "plan", "2018": "plan"}
    # the budget year: lines less funding, Vallentuna and Österåker, Upplands Väsby all year
    budget_total = half_up(sum((a for _, a in LINES), Fraction(0)) - 50000)
    assert out["total"]["2016"] == budget_total
    fees = {m["kommunkod"]: m["fee"] for m in out["members"]}
    assert {c: f["2016"] for c, f in fees.items() if f["2016"] is not None} == expected_fees(
        budget_total, 2016, SNAPSHOTS["2015-12-31"])
    assert fees["0120"]["2016"] is None  # Värmdö joins in 2017
    for year in (2017, 2018):
        total = expected_total(year)
        assert out["total"][str(year)] == total
        got = {c: f[str(year)] for c, f in fees.items() if f[str(year)] is not None}
        assert got == expected_fees(total, year, population(method, year))
        assert sum(got.values()) == total
    assert fees["0115"]["2018"] is None  # Vallentuna is out from 2017-09-30
    assert 0 < fees["0120"]["2017"] < fees["0120"]["2018"]  # half a year, then a whole one
    pops = {m["kommunkod"]: m["population"] for m in out["members"]}
    assert pops["0114"] == {"2016": 42001, "2017": population(method, 2017)["0114"],
                            "2018": population(method, 2018)["0114"]}


def test_the_rule_s_own_snapshot_wins_over_the_method(make_data: MakeData) -> None:
    root = plan_data(make_data, "trend")
    write(root / "populations" / "2016-12-31.csv", snapshot_csv(FORECAST[2016]))
    out = plan_json(root)
    assert out["population_basis"]["2017"] == "2016-12-31"
    fees = {m["kommunkod"]: m["fee"]["2017"] for m in out["members"]
            if m["fee"]["2017"] is not None}
    assert fees == expected_fees(expected_total(2017), 2017, FORECAST[2016])


def test_a_plan_year_with_its_own_budget_uses_it_unindexed(make_data: MakeData) -> None:
    own = """
        year: 2018
        lines:
          - {group: Lönekostnader, name: Lön strateg, amount: 500000}
        funding:
          - {name: Projektmedel, amount: 20000}
    """
    out = plan_json(plan_data(make_data, "latest", y2018=own))
    assert out["total"]["2018"] == 480000
    assert out["budget_basis"]["2018"].endswith("budgets/2018.yaml")
    assert out["budget_basis"]["2017"].startswith("indexed ")
    fees = {m["kommunkod"]: m["fee"]["2018"] for m in out["members"]
            if m["fee"]["2018"] is not None}
    assert fees == expected_fees(480000, 2018, SNAPSHOTS["2015-12-31"])


def test_years_option_sets_the_plan_length(make_data: MakeData) -> None:
    root = plan_data(make_data)
    text = (root / "budgets" / "2016.yaml").read_text(encoding="utf-8")
    (root / "budgets" / "2016.yaml").write_text(
        text.replace("default: {2017: 2.7, 2018: 2.8}", "default: 2.5"), encoding="utf-8")
    out = plan_json(root, "--years", "5")
    assert out["years"] == [2016, 2017, 2018, 2019, 2020, 2021]
    gross = Fraction(0)
    for group, amount in LINES:
        gross += amount * (1 + (Fraction("3.1") if group == "Lönekostnader"
                                else Fraction("2.5")) / 100) ** 5
    assert out["total"]["2021"] == half_up(gross)


def test_the_decided_budget_year_is_the_record(make_data: MakeData) -> None:
    root = plan_data(make_data)
    code, _, err = run(["allocate", "2016", "--data", str(root), "--final",
                        "--decided-by", "Förbundsstyrelsen", "--decision-date", "2015-11-20",
                        "--ref", "§ 7"])
    assert code == 0, err
    record = json.loads((root / "decisions" / "2016.json").read_text(encoding="utf-8"))
    out = plan_json(root)
    assert out["status"]["2016"] == "decided"
    decided = {m["kommunkod"]: m["amount"] for m in record["members"]}
    assert {m["kommunkod"]: m["fee"]["2016"] for m in out["members"]
            if m["fee"]["2016"] is not None} == decided
    # the workbook says so
    code, _, err = run(["plan", "2016", "--data", str(root)])
    assert code == 0, err
    wb = load_workbook(root / "reports" / "2016" / "plan-2016-2018.xlsx")
    assert wb["Plan 2016–2018"]["A2"].value == (
        "Budget 2016: beslutad, beslutet 2015-11-20 (Förbundsstyrelsen, § 7).")
    # inputs that now give other fees are refused, as kn allocate refuses them
    budget = root / "budgets" / "2016.yaml"
    budget.write_text(budget.read_text(encoding="utf-8").replace("36001", "46001"),
                      encoding="utf-8")
    code, out_text, err = run(["plan", "2016", "--data", str(root), "--json"])
    assert code == 1 and out_text == ""
    assert err.splitlines()[0] == (
        f"error: {root / 'decisions' / '2016.json'}: the amounts differ from the decision of "
        "2015-11-20 (Förbundsstyrelsen, § 7); nothing was written; if the change is intended, "
        "run again with --revise to record a revision")


def test_the_workbook(make_data: MakeData) -> None:
    root = plan_data(make_data, "trend")
    out = plan_json(root)
    code, stdout, err = run(["plan", "2016", "--data", str(root)])
    assert code == 0, err
    path = root / "reports" / "2016" / "plan-2016-2018.xlsx"
    assert stdout.endswith(f"Sparad: {path}\n")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Plan 2016–2018", "Befolkning", "Budget", "Metod"]
    ws = wb["Plan 2016–2018"]
    assert ws["A1"].value == "Avgifter till Plansamverkan: budget 2016, plan 2017–2018"
    assert ws["A2"].value == "Budget 2016: Förslag, ännu inte beslutad."
    assert "preliminära (Plan)" in ws["A3"].value
    assert [c.value for c in ws[5]] == ["Kommun", "Budget 2016", "Plan 2017 (preliminär)",
                                        "Plan 2018 (preliminär)", "Förändring 2016–2018 kr",
                                        "Förändring 2016–2018 %"]
    members = out["members"]
    assert [ws.cell(row=6 + i, column=1).value for i in range(4)] == [
        m["kommun"] for m in members] == ["Upplands Väsby", "Vallentuna", "Värmdö", "Österåker"]
    for i, m in enumerate(members):
        for col, year in enumerate(("2016", "2017", "2018"), start=2):
            cell = ws.cell(row=6 + i, column=col)
            assert cell.value == (m["fee"][year] if m["fee"][year] is not None
                                  else "ej medlem")
            if m["fee"][year] is not None:
                assert cell.number_format == "#,##0;−#,##0;0"
        change = (m["fee"]["2018"] or 0) - (m["fee"]["2016"] or 0)
        assert ws.cell(row=6 + i, column=5).value == change
    vasby = members[0]["fee"]
    assert ws["F6"].value == pytest.approx((vasby["2018"] - vasby["2016"]) / vasby["2016"],
                                           abs=5e-5)
    assert ws["F6"].number_format == "0.00%"
    assert ws["F8"].value is None  # Värmdö had no fee in 2016
    assert ws["A10"].value == "Totalt"
    assert [ws.cell(row=10, column=c).value for c in range(2, 6)] == [
        "=SUM(B6:B9)", "=SUM(C6:C9)", "=SUM(D6:D9)", "=SUM(E6:E9)"]
    assert ws.freeze_panes == "B6"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth in (None, 1)  # 1, the default, is left out
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$5:$5"
    assert ws.oddHeader.center.text == "Plansamverkan 2016–2018"
    assert ws.oddFooter.right.text == "Sida &P av &N"
    pop = wb["Befolkning"]
    assert [c.value for c in pop[6]] == ["Underlag", "SCB 2015-12-31",
                                         "trend SCB 2012-12-31 – 2015-12-31",
                                         "trend SCB 2012-12-31 – 2015-12-31"]
    assert pop["C7"].value == population("trend", 2017)["0114"]
    assert pop["C7"].number_format == "#,##0"
    budget = wb["Budget"]
    cells = {(r, c): budget.cell(row=r, column=c).value for r in range(1, 60) for c in range(1, 7)}
    rows = [r for r in range(1, 60) if isinstance(cells[(r, 1)], str)
            and cells[(r, 1)].startswith("Plan 2018 (preliminär)")]
    assert len(rows) == 1
    first = rows[0] + 2
    assert cells[(first, 2)] == "Lön strateg"
    assert cells[(first, 3)] == Decimal("553840")
    assert cells[(first, 4)] == "3,1\u00a0% (2017), 3,1\u00a0% (2018)"
    assert cells[(first, 5)] == pytest.approx(553840 * 1.031 * 1.031, abs=0.005)
    assert cells[(first + 1, 4)] == "2,7\u00a0% (2017), 2,8\u00a0% (2018)"
    assert cells[(first + 3, 5)] == f"=SUM(E{first}:E{first + 2})"
    assert cells[(first + 4, 6)] == expected_total(2018)
    method = [c.value for c in wb["Metod"]["A"] if c.value]
    assert any(t.startswith("2018 (plan): raderna i ") and "Lönekostnader 3,1\u00a0% (2017), "
               "3,1\u00a0% (2018); övriga grupper 2,7\u00a0% (2017), 2,8\u00a0% (2018)" in t
               for t in method)
    assert any(t.startswith("2017: SCB per 2016-12-31 finns inte; trend") for t in method)
    # the same inputs give the same bytes
    first_bytes = path.read_bytes()
    run(["plan", "2016", "--data", str(root)])
    assert path.read_bytes() == first_bytes


def test_english_labels(make_data: MakeData) -> None:
    root = plan_data(make_data)
    code, stdout, err = run(["plan", "2016", "--data", str(root), "--lang", "en"])
    assert code == 0, err
    assert "Plan 2017 (preliminary)" in stdout.replace("\n", " ") or "Plan 2017" in stdout
    wb = load_workbook(root / "reports" / "2016" / "plan-2016-2018.xlsx")
    ws = wb["Plan 2016–2018"]
    assert ws["B5"].value == "Budget 2016" and ws["C5"].value == "Plan 2017 (preliminary)"
    assert wb.sheetnames == ["Plan 2016–2018", "Population", "Budget", "Method"]


def error_lines(root: Path, *args: str) -> list[str]:
    code, out, err = run(["plan", "2016", "--data", str(root), *args])
    assert code == 1, (out, err)
    assert not (root / "reports").exists()
    return err.splitlines()


def test_an_index_out_of_range_is_one_line_each(make_data: MakeData) -> None:
    root = plan_data(make_data)
    budget = root / "budgets" / "2016.yaml"
    budget.write_text(budget.read_text(encoding="utf-8").replace(
        "Lönekostnader: 3.1", "Lönekostnader: 60").replace("2018: 2.8", "2018: -51"),
        encoding="utf-8")
    assert error_lines(root) == [
        f"error: {budget}: plan.index.default.2018: index -51 % is outside -50 % to 50 %; "
        "give the index in percent (2.8 for 2.8 %)",
        f"error: {budget}: plan.index.Lönekostnader: index 60 % is outside -50 % to 50 %; "
        "give the index in percent (2.8 for 2.8 %)",
    ]


def test_an_index_for_a_group_the_budget_lacks(make_data: MakeData) -> None:
    root = plan_data(make_data)
    budget = root / "budgets" / "2016.yaml"
    budget.write_text(budget.read_text(encoding="utf-8").replace(
        "Lönekostnader: 3.1", "Lonekostnader: 3.1"), encoding="utf-8")
    assert error_lines(root) == [
        f"error: {budget}: plan.index.Lonekostnader: the budget has no line group "
        "'Lonekostnader'; index one of its groups (Lönekostnader, Övrigt) or use default"]


def test_a_year_without_an_index_is_refused(make_data: MakeData) -> None:
    root = plan_data(make_data)
    assert error_lines(root, "--years", "3") == [
        f"error: {root / 'budgets' / '2016.yaml'}: plan.index.default: no index for 2019 for "
        "the line group 'Övrigt'; plan year 2019 without a budget of its own is indexed from "
        "2016: give 2019: PERCENT, or one percent for every year, or write budgets/2019.yaml"]


def test_latest_without_any_snapshot_of_the_rule_s_day(make_data: MakeData) -> None:
    network = NETWORK.replace("notice_months: 12", "notice_months: 12\n    population:\n"
                              "      date: \"11-01\"\n      by_year: {2016: 2015-12-31}")
    root = make_data(network=network, budgets={2016: BUDGET_2016.replace("POPULATION",
                                                                         "latest")},
                     populations=SNAPSHOTS)
    assert error_lines(root) == [
        f"error: {root / 'populations'}: no snapshot for 2017 (2016-11-01) and none dated "
        "11-01 at all to take the latest population from; import one with 'kn population "
        "import FILE --date DATE' or 'kn population fetch YEAR'"]


def test_a_forecast_missing_a_member_or_a_year(make_data: MakeData) -> None:
    root = plan_data(make_data, "forecast")
    forecast = root / "populations" / "forecast.csv"
    figures = {2016: {c: v for c, v in FORECAST[2016].items() if c != "0115"}}
    write(forecast, forecast_csv(figures))
    assert error_lines(root) == [
        f"error: {forecast}: no forecast for Vallentuna (0115) in 2016; add the row "
        "0115,Vallentuna,2016,FOLKMANGD"]
    write(forecast, forecast_csv({2016: FORECAST[2016]}))
    assert error_lines(root) == [
        f"error: {forecast}: no forecast for {name} ({code}) in 2017; add the row "
        f"{code},{name},2017,FOLKMANGD"
        # plan year 2018 uses the forecast for 2017; Vallentuna is out by then
        for code, name in (("0114", "Upplands Väsby"), ("0120", "Värmdö"),
                           ("0117", "Österåker"))]


def test_a_forecast_is_read_like_a_snapshot(make_data: MakeData) -> None:
    root = plan_data(make_data, "forecast")
    forecast = root / "populations" / "forecast.csv"
    write(forecast, "kommunkod,kommun,year,folkmangd\n0114,Upplands Väsby,2016,42650.5\n"
          "0114,Upplands Väsby,2016,42650\n0114,Upplands Väsby,2016,42651\n"
          "9999,Nowhere,2016,1\n")
    assert error_lines(root) == [
        f"error: {forecast}: row 2: folkmangd '42650.5' is not a whole number of persons, "
        "0 or more",
        f"error: {forecast}: row 4: kommunkod 0114 appears twice for 2016; give one figure per "
        "municipality and year",
        f"error: {forecast}: row 5: kommunkod '9999' is not a Swedish municipality's 4-digit "
        "SCB code",
    ]
    code, out, _ = run(["validate", "--data", str(root)])
    assert code == 1 and f"{forecast}: row 2" in _


@pytest.mark.parametrize("years", ["0", "6"])
def test_years_outside_one_to_five(make_data: MakeData, years: str) -> None:
    root = plan_data(make_data)
    code, _, err = run(["plan", "2016", "--data", str(root), "--years", years])
    assert code == 2
    assert err == (
        f"error: kn plan: --years: {years} is outside 1-5; a plan covers one to five years "
        "after the budget year (see 'kn plan --help')\n")
    assert not (root / "reports").exists()


def test_explain_plan_shows_each_year(make_data: MakeData) -> None:
    root = plan_data(make_data, "trend")
    code, out, err = run(["explain", "2016", "Värmdö", "--plan", "--data", str(root)])
    assert code == 0, err
    fees = {m["kommun"]: m["fee"] for m in plan_json(root)["members"]}
    lines = out.splitlines()
    assert lines[0] == "Värmdö: avgift budget 2016 och plan 2017–2018"
    assert "  inte medlem detta år" in lines
    assert "  dagar som medlem: 184 av 365" in lines
    nb = "\u00a0"
    budget = "budgets/2016.yaml"  # by its path inside the data directory
    assert lines[1:7] == ["", "Budget 2016", f"  budget: {budget}, 616{nb}241,00{nb}kr",
                          f"  finansiering: −50{nb}000,00{nb}kr",
                          f"  total att fördela: 566{nb}241{nb}kr", "  inte medlem detta år"]
    at = lines.index("Plan 2018 (preliminär)")
    total = expected_total(2018)
    weights = sum(v for c, v in population("trend", 2018).items() if c != "0115")
    assert lines[at + 1:at + 5] == [
        f"  budget: 616{nb}241,00{nb}kr ({budget}) uppräknad till 654{nb}590,55{nb}kr "
        f"(Lönekostnader 3,1{nb}% (2017), 3,1{nb}% (2018); övriga grupper 2,7{nb}% (2017), "
        f"2,8{nb}% (2018))",
        f"  total att fördela: {total // 1000}{nb}{total % 1000:03d}{nb}kr",
        f"  befolkning: 41{nb}403 av {weights // 1000}{nb}{weights % 1000:03d} "
        "(trend SCB 2012-12-31 – 2015-12-31)",
        f"  andel: 32,4689 % → exakt 212{nb}538,28{nb}kr → avgift "
        f"{fees['Värmdö']['2018'] // 1000}{nb}{fees['Värmdö']['2018'] % 1000:03d}{nb}kr",
    ]


# --- the arithmetic, as properties --------------------------------------------------------

@given(st.integers(0, 10**7), st.integers(0, 10**7), st.integers(-3, 6))
def test_trend_is_the_line_through_the_two_snapshots(latest: int, earlier: int,
                                                     ahead: int) -> None:
    value = trend_figure(latest, earlier, ahead)
    exact = latest + Fraction(ahead * (latest - earlier), 3)
    assert abs(value - exact) <= Fraction(1, 2)
    assert value - exact < Fraction(1, 2) or exact - value == Fraction(1, 2)


percents = st.decimals(min_value=-50, max_value=50, places=2)


@given(st.lists(percents, min_size=1, max_size=5), st.integers(1, 10**8))
def test_indexed_amounts_are_exact(figures: list[Decimal], amount: int) -> None:
    years = {2016 + i: p for i, p in enumerate(figures, start=1)}
    base = Budget(2016, date(2016, 1, 1), date(2016, 12, 31), "annual",
                  (BudgetLine("G", "L", amount=Decimal(amount)),),
                  plan=PlanRules(default=YearIndex(by_year=years)))
    last = 2016 + len(figures)
    planned = indexed_budget(base, last, "b.yaml")
    expected = Fraction(amount)
    for p in figures:
        expected *= 1 + Fraction(p) / 100
    assert planned.lines[0].yearly == expected
    assert Fraction(planned.budget.lines[0].yearly()) == expected
    assert Fraction(exact_decimal(expected)) == expected
    assert (planned.budget.start, planned.budget.end) == (date(last, 1, 1), date(last, 12, 31))
    assert planned.budget.funding == ()


def test_the_readme_plan_example_is_what_kn_prints(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from tests.conftest import EXAMPLES
    from tests.test_readme import console_block

    target = tmp_path / "examples" / "koordination-norrort-plan"
    shutil.copytree(EXAMPLES / "koordination-norrort-plan", target)
    monkeypatch.chdir(tmp_path)
    command = "kn plan 2016 --data examples/koordination-norrort-plan"
    code, out, err = run(command.split()[1:])
    assert code == 0, err
    shown = [line.rstrip() for line in out.splitlines()]  # as the README shows it
    assert "\n".join(shown) + "\n" == console_block(command)
    assert (target / "reports" / "2016" / "plan-2016-2018.xlsx").is_file()
    code, _, err = run(["validate", "--data", str(target)])
    assert code == 0, err


def test_a_budget_without_a_plan_section_indexes_nothing(make_data: MakeData) -> None:
    root = plan_data(make_data)
    budget = root / "budgets" / "2016.yaml"
    text = budget.read_text(encoding="utf-8")
    budget.write_text(text[:text.index("plan:")], encoding="utf-8")
    assert error_lines(root) == [
        f"error: {budget}: plan: no plan section to index plan year 2017 from; add plan: "
        "{index: {default: PERCENT}} to the 2016 budget, or write budgets/2017.yaml"]


def test_json_writes_a_workbook_only_with_o(make_data: MakeData, tmp_path: Path) -> None:
    root = plan_data(make_data)
    first = plan_json(root)
    assert not (root / "reports").exists()
    target = tmp_path / "plan.xlsx"
    assert plan_json(root, "-o", str(target)) == first
    assert load_workbook(target).sheetnames[0] == "Plan 2016–2018"


def test_explain_plan_json(make_data: MakeData) -> None:
    root = plan_data(make_data, "forecast")
    code, out, err = run(["explain", "2016", "0115", "--plan", "--json", "--data", str(root)])
    assert code == 0, err
    result = json.loads(out)
    assert (result["kommunkod"], result["kommun"]) == ("0115", "Vallentuna")
    years = {y["year"]: y for y in result["years"]}
    assert [years[y]["status"] for y in (2016, 2017, 2018)] == ["proposal", "plan", "plan"]
    assert years[2018]["fee"] is None and years[2018]["days"] is None
    total = expected_total(2017)
    assert years[2017]["total"] == total
    assert years[2017]["fee"] == expected_fees(total, 2017, FORECAST[2016])["0115"]
    assert years[2017]["days"] == 272  # 1 January to 29 September 2017
    assert years[2017]["population"] == FORECAST[2016]["0115"]
    assert years[2017]["population_basis"] == "forecast 2016"
    assert years[2017]["index"][0] == {"line": "Lön strateg", "group": "Lönekostnader",
                                       "index": {"2017": "3.1"}}
    assert years[2016]["funding"] == "50000.00" and years[2017]["funding"] == "0.00"
