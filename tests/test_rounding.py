"""One module rounds money (core.money, half up): the terminal, the JSON and the workbook show
the same digits for the same amount."""

from __future__ import annotations

import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.money import to_decimal
from koordination.render.numbers import number_text
from koordination.render.xlsx.base import number
from tests.conftest import EXAMPLES


def test_a_half_ore_reads_alike_in_the_terminal_and_the_workbook(runner: CliRunner,
                                                                 tmp_path: Path) -> None:
    """100,25 kr a year for 183 of 2016's 366 days is exactly 50,125 kr: 50,13 everywhere
    (the workbook once stored 50,12, rounding the half to even)."""
    data = tmp_path / "data"
    shutil.copytree(EXAMPLES / "etablering-sodertorn", data)
    (data / "actuals" / "2015.yaml").unlink()
    (data / "budgets" / "2016.yaml").write_text(
        "year: 2016\nperiod: {start: 2016-01-01, end: 2016-07-01}\nlines:\n"
        "  - {group: Övrigt, name: Porto, amount: 100.25}\n"
        "  - {group: Övrigt, name: Lokal, amount: 60000}\n", encoding="utf-8")
    shown = runner.invoke(app, ["budget", "2016", "--data", str(data)])
    assert shown.exit_code == 0, shown.output
    porto = next(line for line in shown.stdout.splitlines() if "Porto" in line)
    assert porto.split("│")[-2].strip() == "50,13\xa0kr"
    target = tmp_path / "f.xlsx"
    assert runner.invoke(app, ["allocate", "2016", "--data", str(data), "-o",
                               str(target)]).exit_code == 0
    sheet = load_workbook(target)["Budget 2016"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "Porto")
    assert sheet.cell(row, 5).value == 50.13
    assert sheet.cell(row, 5).number_format == "#,##0.00;−#,##0.00;0.00"


@given(st.integers(-10**9, 10**9), st.integers(1, 10**4), st.sampled_from([0, 2, 4, 6]))
def test_workbook_terminal_and_core_round_alike(numerator: int, denominator: int,
                                                places: int) -> None:
    value = Fraction(numerator, denominator)
    expected = to_decimal(value, places)
    assert number(value, places) == expected
    assert number_text(value, places, "plain") == number_text(expected, places, "plain")
    assert number_text(Decimal(numerator) / 1000, 2, "plain") == number_text(
        to_decimal(Fraction(numerator, 1000), 2), 2, "plain")


def test_money_is_rounded_in_core_money_only() -> None:
    """No other module rounds with Decimal's own rounding (quantize, ROUND_HALF_…): every
    amount kn rounds goes through core.money, half up."""
    src = Path(__file__).resolve().parent.parent / "src" / "koordination"
    rounding = [f"{path.relative_to(src)}:{number}" for path in sorted(src.rglob("*.py"))
                if path.name != "money.py" or path.parent.name != "core"
                for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if ".quantize(" in line or "ROUND_" in line]
    assert rounding == []
