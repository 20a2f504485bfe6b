"""A year followed from start to end on the Etablering Södertörn example (real populations,
EXAMPLE budget): budget -> decision (--final) -> forecast in May and in September -> the
year's actuals -> settlement -> report -> next year's budget and its allocation.

Every figure kn prints is checked against a computation made here, independently, with
fractions.Fraction: the period cut where Salem joins (1 July), each segment's money shared
by population, rounded by largest remainder (ties: larger population, then lower code).
The September forecast's lines are the outcome the year then has, so the forecast equals the
settlement, member by member.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from tests.conftest import EXAMPLES

SODERTORN = EXAMPLES / "etablering-sodertorn"
#: The 2015 budget's lines: (group, name, yearly amount) as the example writes them.
LINES = [
    ("Lönekostnader", "Lön strateg", Fraction(540000) * Fraction("1.3846")),
    ("Lönekostnader", "Lön samordnare", Fraction(456000) * Fraction("1.3846")),
    ("Externa tjänster", "Budgetuppföljning", Fraction(550 * 4 * 12)),
    ("Lokalkostnader", "Lokalkostnader", Fraction(60000)),
    ("Resekostnader", "Resekostnader", Fraction(18000)),
    ("Aktiviteter", "Deltagarersättning", Fraction(1500 * 40)),
    ("Aktiviteter", "Kringkostnader möten (fika etc)", Fraction(8000)),
    ("Övriga kostnader", "IT & Telefoni", Fraction(12000)),
]
#: What the year turns out to cost, line by line (the September forecast foresees it).
OUTCOME = {"Lön strateg": Fraction(747684), "Lön samordnare": Fraction(598260),
           "Budgetuppföljning": Fraction(26400), "Lokalkostnader": Fraction(60000),
           "Resekostnader": Fraction(14215), "Deltagarersättning": Fraction(52500),
           "Kringkostnader möten (fika etc)": Fraction("7340.50"),
           "IT & Telefoni": Fraction(11890), "Utbildning": Fraction(9000)}
SALEM = "0128"
JOINED = date(2015, 7, 1)


def half_up(value: Fraction) -> int:
    """Half away from zero."""
    whole = int(abs(value) + Fraction(1, 2))
    return whole if value >= 0 else -whole


def apportion(total: int, exact: dict[str, Fraction], pops: dict[str, int]) -> dict[str, int]:
    """Cut toward zero, then one krona each to the largest remainders (ties: the larger
    population, then the lower code); a negative total as the mirror of its positive."""
    sign = -1 if total < 0 else 1
    positive = {c: v * sign for c, v in exact.items()}
    cut = {c: int(v) for c, v in positive.items()}
    left = abs(total) - sum(cut.values())
    for code in sorted(positive, key=lambda c: (-(positive[c] - cut[c]), -pops[c], c))[:left]:
        cut[code] += 1
    return {c: v * sign for c, v in cut.items()}


def shares(total: int, pops: dict[str, int]) -> dict[str, Fraction]:
    """Each member's exact part of ``total`` over 2015: 181 days without Salem, 184 with."""
    before = {c: p for c, p in pops.items() if c != SALEM}
    part_1, part_2 = Fraction(total * 181, 365), Fraction(total * 184, 365)
    return {c: (part_1 * before.get(c, 0) / sum(before.values()) if c in before else 0)
            + part_2 * p / sum(pops.values()) for c, p in pops.items()}


def populations(day: str, codes: list[str]) -> dict[str, int]:
    rows = (SODERTORN / "populations" / f"{day}.csv").read_text("utf-8").splitlines()[1:]
    found = {line.split(",")[0]: int(line.split(",")[2]) for line in rows}
    return {c: found[c] for c in codes}


def kn(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def test_a_year_from_budget_to_next_years_budget(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "sodertorn"
    (root / "budgets").mkdir(parents=True)
    shutil.copytree(SODERTORN / "populations", root / "populations")
    network = (SODERTORN / "network.yaml").read_text("utf-8").replace(
        "  - kommun: Salem\n", "  - kommun: Salem\n    joined: 2015-07-01\n")
    (root / "network.yaml").write_text(network, "utf-8")
    shutil.copy(SODERTORN / "budgets" / "2015.yaml", root / "budgets" / "2015.yaml")
    data = ("--data", str(root))

    # -- the budget and its decision --------------------------------------------------------
    allocated = json.loads(kn(runner, "allocate", "2015", *data, "--json"))
    codes = [m["kommunkod"] for m in allocated["members"]]
    pops = populations("2014-12-31", codes)
    fee_total = half_up(sum((amount for _, _, amount in LINES), Fraction(0)))
    assert fee_total == allocated["total"] == 1563462
    fees = apportion(fee_total, shares(fee_total, pops), pops)
    assert {m["kommunkod"]: m["fee"] for m in allocated["members"]} == fees
    salem = next(m for m in allocated["members"] if m["kommunkod"] == SALEM)
    assert salem["days"] == 184 and fees[SALEM] == half_up(  # in from 1 July only
        Fraction(fee_total * 184, 365) * pops[SALEM] / sum(pops.values()))
    kn(runner, "allocate", "2015", *data, "--final", "--decided-by", "Styrgruppen",
       "--decision-date", "2015-01-20")
    assert (root / "decisions" / "2015.json").exists()

    def expected_settlement(net: Fraction) -> tuple[int, dict[str, int]]:
        difference = half_up(net - sum(fees.values()))
        return difference, apportion(difference, shares(difference, pops), pops)

    # -- the forecast in May: the coordinator's post is expected to cost less ---------------
    actuals = root / "actuals" / "2015.yaml"
    write(actuals, """
        year: 2015
        through: 2015-05-31
        lines:
          - {name: Lön strateg, amount: 311535}
          - {name: Lön samordnare, amount: 200000, forecast: 600000}
          - {name: Lokalkostnader, amount: 25000}
    """)
    may = json.loads(kn(runner, "settle", "2015", *data, "--json"))
    assert may["forecast"]["through"] == "2015-05-31"
    budget_for = {name: Fraction(half_up(amount * 100), 100) for _, name, amount in LINES}
    may_net = sum((v for k, v in budget_for.items() if k != "Lön samordnare"), Fraction(0)) \
        + 600000
    difference, members = expected_settlement(may_net)
    assert may["difference"] == difference == -31378
    assert {m["kommunkod"]: m["settlement"] for m in may["members"]} == members
    assert may["charged_from"] == "decisions/2015.json"

    # -- the forecast in September: each line's outcome for the year foreseen ----------------
    def text(value: Fraction) -> str:
        return f"{Decimal(value.numerator) / Decimal(value.denominator)}"

    forecast_lines = "\n".join(  # 70 % spent by September; the course is paid and done
        f"  - {{name: {name}, amount: {text(value * 7 // 10)}, forecast: {text(value)}}}"
        if name != "Utbildning" else f"  - {{name: {name}, amount: {text(value)}}}"
        for name, value in OUTCOME.items())
    actuals.write_text("year: 2015\nthrough: 2015-09-30\nlines:\n" + forecast_lines + "\n",
                       encoding="utf-8")
    september = json.loads(kn(runner, "settle", "2015", *data, "--json"))
    net = sum(OUTCOME.values(), Fraction(0))
    difference, members = expected_settlement(net)
    # 1 527 289.50 expected against 1 563 462 charged: -36 172.50, half away from zero
    assert september["difference"] == difference == -36173
    assert {m["kommunkod"]: m["settlement"] for m in september["members"]} == members
    assert september["forecast"]["expected"] == f"{Decimal(net.numerator) / net.denominator:.2f}"
    kn(runner, "settle", "2015", *data)
    forecast_book = load_workbook(root / "reports" / "2015" / "prognos-2015.xlsx")
    assert forecast_book.sheetnames[0] == "Prognos 2015"

    # -- the year closes as foreseen: the settlement is the September forecast ---------------
    actuals.write_text("year: 2015\nlines:\n" + "\n".join(
        f"  - {{name: {n}, amount: {text(v)}}}" for n, v in OUTCOME.items()) + "\n",
        encoding="utf-8")
    settled = json.loads(kn(runner, "settle", "2015", *data, "--json"))
    assert settled["forecast"] is None
    for key in ("charged", "actual", "difference", "total"):
        assert settled[key] == september[key], key
    assert [(m["kommunkod"], m["settlement"], m["amount"]) for m in settled["members"]] == \
        [(m["kommunkod"], m["settlement"], m["amount"]) for m in september["members"]]
    # a surplus under surplus: carry_forward: every member is in 2016, so all is carried
    assert settled["carried_forward"] == difference and settled["to_invoice"] == 0

    kn(runner, "settle", "2015", *data, "--final", "--decided-by", "Styrgruppen",
       "--decision-date", "2016-03-15")

    # -- the report ---------------------------------------------------------------------------
    report = json.loads(kn(runner, "report", "2015", *data, "--json"))
    assert report["settlement"]["from"] == "decisions/settlement-2015.json"  # inside the data
    for line, (group, name, yearly) in zip(report["lines"], LINES, strict=False):
        outcome = OUTCOME[name]
        assert (line["group"], line["name"]) == (group, name)
        assert Fraction(line["budget"]) == Fraction(half_up(yearly * 100), 100)
        assert Fraction(line["outcome"]) == outcome
        assert Fraction(line["variance"]) == outcome - Fraction(line["budget"])
        assert line["variance_percent"] == \
            f"{Decimal(half_up((outcome - yearly) / yearly * 10000)) / 100:.2f}"
    assert report["lines"][-1] == {"group": None, "name": "Utbildning", "budget": "0.00",
                                   "outcome": "9000.00", "variance": "9000.00",
                                   "variance_percent": None}
    assert report["fees"] == {"total": fee_total,
                              "from": "decisions/2015.json"}
    assert report["settlement"]["difference"] == difference
    assert {m["kommunkod"]: m["amount"] for m in report["settlement"]["members"]} == members
    assert report["carried"] == {"from_previous": 0, "to_next": difference}
    population = sum(pops.values())
    assert report["per_inhabitant"] == {
        "population": population,
        "fees": f"{Decimal(half_up(Fraction(fee_total * 100, population))) / 100:.2f}",
        "outcome": f"{Decimal(half_up(Fraction((fee_total + difference) * 100, population))) / 100:.2f}"}  # noqa: E501
    kn(runner, "report", "2015", *data)
    sheet = load_workbook(root / "reports" / "2015" / "rapport-2015.xlsx")["Rapport 2015"]
    assert sheet["A1"].value == "Ekonomisk rapport 2015 för Etablering Södertörn"

    # -- next year's budget, and its allocation with the surplus carried ---------------------
    kn(runner, "budget", "new", "2016", "--index", "2.5", *data)
    new_budget = (root / "budgets" / "2016.yaml").read_text("utf-8")
    assert "indexed by 2.5 % (--index)" in new_budget.replace("\n# ", " ")
    indexed = {"Lön strateg": Fraction(553500), "Lön samordnare": Fraction(467400),
               "Budgetuppföljning": Fraction("563.75") * 4 * 12,
               "Lokalkostnader": Fraction(61500), "Resekostnader": Fraction(18450),
               "Deltagarersättning": Fraction("1537.50") * 40,
               "Kringkostnader möten (fika etc)": Fraction(8200),
               "IT & Telefoni": Fraction(12300)}
    indexed["Lön strateg"] *= Fraction("1.3846")
    indexed["Lön samordnare"] *= Fraction("1.3846")
    year_2016 = json.loads(kn(runner, "allocate", "2016", *data, "--json"))
    total_2016 = half_up(sum(indexed.values(), Fraction(0)))
    assert year_2016["fee_total"] == total_2016
    pops_2016 = populations("2015-12-31", codes)
    fees_2016 = apportion(total_2016, {c: Fraction(total_2016 * p, sum(pops_2016.values()))
                                       for c, p in pops_2016.items()}, pops_2016)
    assert {m["kommunkod"]: (m["fee"], m["carried"], m["amount"])
            for m in year_2016["members"]} == {
        c: (fees_2016[c], members[c], fees_2016[c] + members[c]) for c in codes}
    # rule 10: had 2015 still been a forecast, 2016 would carry nothing
    actuals.write_text("year: 2015\nthrough: 2015-09-30\nlines:\n" + forecast_lines + "\n",
                       encoding="utf-8")
    forecast_time = json.loads(kn(runner, "allocate", "2016", *data, "--json"))
    assert [m["carried"] for m in forecast_time["members"]] == [0] * len(codes)
    assert forecast_time["total"] == total_2016
