"""``kn budget new YEAR``: next year's budget from a year's, indexed, never overwriting."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.models import Budget, BudgetLine, PlanRules, YearIndex
from koordination.core.nextyear import next_budget
from koordination.io.budget import load_budget_yaml
from koordination.io.excel import load_budget_xlsx
from koordination.render.xlsx.budget_form import next_budget_workbook
from tests.conftest import MakeData

NETWORK = """
    name: Nästa år
    administrator: Upplands Väsby
    members:
      - kommun: Upplands Väsby
      - kommun: Vallentuna
"""
BUDGET_2015 = """
    # the 2015 budget
    year: 2015
    period: {start: 2015-04-15, end: 2015-12-31}
    lines:
      - {group: Lönekostnader, name: Lön strateg, amount: 480000, overhead_percent: 38.46}
      - {group: Externa tjänster, name: Budgetuppföljning, rate: 550, per_month: 4}
      - {group: Övrigt, name: "Fika: möten", amount: 3999.99}
      - {group: Övrigt, name: Deltagare, rate: 1500, quantity: 40}
    funding:
      - {name: Projektmedel, amount: 100000}
    plan:
      index:
        default: {2016: 2.8, 2017: 2.9}
        Lönekostnader: {2016: 3.1, 2017: 3.3}
      population: trend
"""


def half_up_ore(value: Fraction) -> Decimal:
    cents = value * 100
    whole = int(cents)  # values here are positive
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole) / 100


def test_the_plan_index_of_each_group_indexes_every_amount_and_rate(
        make_data: MakeData, runner: CliRunner) -> None:
    root = make_data(network=NETWORK, budgets={2015: BUDGET_2015})
    result = runner.invoke(app, ["budget", "new", "2016", "--data", str(root)])
    assert result.exit_code == 0, result.output
    target = root / "budgets" / "2016.yaml"
    assert result.stdout == (
        f"Skrev {target} från {root / 'budgets' / '2015.yaml'}: varje rads belopp eller pris "
        "uppräknat med 2015 års planindex, Lönekostnader: 3,1 % (2016); Externa tjänster: "
        "2,8 % (2016); Övrigt: 2,8 % (2016), avrundat till öre; finansiering kopierades inte.\n")
    new = load_budget_yaml(target, year=2016)
    salary = half_up_ore(Fraction(480000) * Fraction("1.031"))
    assert new.lines == (
        BudgetLine("Lönekostnader", "Lön strateg", amount=salary,
                   overhead_percent=Decimal("38.46")),
        BudgetLine("Externa tjänster", "Budgetuppföljning", rate=Decimal("565.40"),
                   per_month=Decimal(4)),
        BudgetLine("Övrigt", "Fika: möten", amount=half_up_ore(Fraction("3999.99")
                                                                * Fraction("1.028"))),
        BudgetLine("Övrigt", "Deltagare", rate=Decimal(1542), quantity=Decimal(40)),
    )
    assert salary == Decimal("494880") and new.lines[2].amount == Decimal("4111.99")
    assert (new.start, new.end, new.basis, new.funding) == (date(2016, 1, 1),
                                                            date(2016, 12, 31), "annual", ())
    # the plan section is kept, without 2016, which is no longer a plan year
    assert new.plan == PlanRules(
        index={"Lönekostnader": YearIndex(by_year={2017: Decimal("3.3")})},
        default=YearIndex(by_year={2017: Decimal("2.9")}), population="trend")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Nästa år, budget for fee year 2016, written by kn budget new "
                           "from budgets/2015.yaml: every\n# line's amount or rate indexed")
    assert "funding: []" in text


def test_index_given_and_from_an_earlier_year(make_data: MakeData, runner: CliRunner) -> None:
    root = make_data(network=NETWORK, budgets={2015: BUDGET_2015})
    result = runner.invoke(app, ["budget", "new", "2017", "--from", "2015", "--index", "2,5",
                                 "--data", str(root), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "indexed by 2.5 % (--index)" in result.stdout
    new = load_budget_yaml(root / "budgets" / "2017.yaml", year=2017)
    assert [line.amount or line.rate for line in new.lines] == [
        Decimal(492000), Decimal("563.75"), half_up_ore(Fraction("3999.99") * Fraction("1.025")),
        Decimal(1537.5)]
    assert new.plan == PlanRules(index={}, default=None, population="trend")


def test_never_overwrites_and_leaves_nothing_on_refusal(make_data: MakeData,
                                                         runner: CliRunner) -> None:
    root = make_data(network=NETWORK, budgets={2015: BUDGET_2015,
                                              2016: "year: 2016\nlines: []\n"})
    before = sorted(os.listdir(root / "budgets"))
    result = runner.invoke(app, ["budget", "new", "2016", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {root / 'budgets' / '2016.yaml'}: the budget for 2016 already exists; kn "
        "budget new never overwrites a budget: edit it, or move it away first\n")
    result = runner.invoke(app, ["budget", "new", "2018", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {root / 'budgets' / '2017.yaml'}: no budget for 2017; "
                             "write budgets/2017.yaml (or .xlsx)\n")
    result = runner.invoke(app, ["budget", "new", "2018", "--from", "2015", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {root / 'budgets' / '2015.yaml'}: plan.index.Lönekostnader: no index for 2018 "
        "for the line group 'Lönekostnader'; plan year 2018 without a budget of its own is "
        "indexed from 2015: give 2018: PERCENT, or one percent for every year, or write "
        "budgets/2018.yaml",
        f"error: {root / 'budgets' / '2015.yaml'}: plan.index.default: no index for 2018 for "
        "the line group 'Externa tjänster'; plan year 2018 without a budget of its own is "
        "indexed from 2015: give 2018: PERCENT, or one percent for every year, or write "
        "budgets/2018.yaml",
        f"error: {root / 'budgets' / '2015.yaml'}: plan.index.default: no index for 2018 for "
        "the line group 'Övrigt'; plan year 2018 without a budget of its own is "
        "indexed from 2015: give 2018: PERCENT, or one percent for every year, or write "
        "budgets/2018.yaml",
    ]
    result = runner.invoke(app, ["budget", "new", "2018", "--index", "abc", "--data",
                                 str(root)])
    assert result.exit_code == 2
    assert "'abc' is not a number; give the index in percent, e.g. 2.8 for 2.8 %" in \
        result.output
    assert sorted(os.listdir(root / "budgets")) == before


def test_a_budget_without_a_plan_needs_index(make_data: MakeData, runner: CliRunner) -> None:
    root = make_data(network=NETWORK, budgets={2015: "year: 2015\nlines:\n"
                                              "  - {name: Lön, amount: 100}\n"})
    result = runner.invoke(app, ["budget", "new", "2016", "--data", str(root)])
    assert result.stderr == (
        f"error: {root / 'budgets' / '2015.yaml'}: plan: no index for 2016: the 2015 budget "
        "has no plan section; give --index PERCENT, or add plan: {index: {default: PERCENT}} "
        "to the 2015 budget\n")
    result = runner.invoke(app, ["budget", "new", "2016", "--index", "60", "--data", str(root)])
    assert result.stderr == ("error: --index: --index 60 is outside -50 to 50; give the index "
                             "in percent (2.8 for 2.8 %)\n")
    assert not (root / "budgets" / "2016.yaml").exists()


def test_an_excel_budget_gives_an_excel_budget_read_back_as_written(
        make_data: MakeData, runner: CliRunner) -> None:
    root = make_data(network=NETWORK, budgets={2015: BUDGET_2015})
    base = load_budget_yaml(root / "budgets" / "2015.yaml", year=2015)
    # the 2015 budget kept in a workbook instead (written as kn writes budget workbooks)
    as_2015 = next_budget(replace(base, year=2014, start=date(2014, 1, 1),
                                  end=date(2014, 12, 31), plan=None), 2015, Decimal(0))
    (root / "budgets" / "2015.yaml").unlink()
    (root / "budgets" / "2015.xlsx").write_bytes(
        next_budget_workbook("Nästa år", as_2015, "budgets/2014.xlsx", "", "sv"))
    result = runner.invoke(app, ["budget", "new", "2016", "--index", "3", "--data", str(root)])
    assert result.exit_code == 0, result.output
    assert not (root / "budgets" / "2016.yaml").exists()
    read = load_budget_xlsx(root / "budgets" / "2016.xlsx", year=2016)
    assert [line.amount or line.rate for line in read.lines] == [
        Decimal(494400), Decimal("566.50"), half_up_ore(Fraction("3999.99") * Fraction("1.03")),
        Decimal(1545)]
    assert [(x.group, x.name, x.overhead_percent, x.per_month, x.quantity)
            for x in read.lines] == [(x.group, x.name, x.overhead_percent, x.per_month,
                                      x.quantity) for x in base.lines]
    assert (read.start, read.end, read.basis, read.funding) == (
        date(2016, 1, 1), date(2016, 12, 31), "annual", ())


@given(st.decimals(min_value=0, max_value=10**9, places=2),
       st.decimals(min_value=-50, max_value=50, places=2))
def test_every_amount_is_indexed_and_rounded_half_up_to_the_ore(amount: Decimal,
                                                                  index: Decimal) -> None:
    base = Budget(2015, date(2015, 1, 1), date(2015, 12, 31), "annual",
                  (BudgetLine("G", "L", amount=amount), BudgetLine("G", "R", rate=amount,
                                                                   per_month=Decimal(3))))
    new = next_budget(base, 2016, index).budget
    exact = Fraction(amount) * (1 + Fraction(index) / 100)
    assert new.lines[0].amount == new.lines[1].rate == half_up_ore(exact)
    assert new.lines[1].per_month == 3
