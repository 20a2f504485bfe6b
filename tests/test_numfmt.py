"""Kronor and numbers as people read them, through babel (exact strings, no-break spaces)."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from koordination.render.numbers import integer, kr, number_text, percent

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "unit", "lang", "expected"),
    [
        (1234567, Decimal(1), "sv", f"1{NB}234{NB}567{NB}kr"),
        (1234567, Decimal(1), "en", f"1,234,567{NB}kr"),
        (Decimal("905000"), Decimal(1), "sv", f"905{NB}000{NB}kr"),
        (Decimal("42780.5"), Decimal("0.01"), "sv", f"42{NB}780,50{NB}kr"),
        (Decimal("42780.5"), Decimal("0.01"), "en", f"42,780.50{NB}kr"),
        (Decimal("-1234"), Decimal(1), "sv", f"\u22121{NB}234{NB}kr"),
        (Decimal("-1234"), Decimal(1), "en", f"-1,234{NB}kr"),
        (0, Decimal(1), "sv", f"0{NB}kr"),
        (999, Decimal(1), "sv", f"999{NB}kr"),
    ],
)
def test_kr(value: Decimal | int, unit: Decimal, lang: str, expected: str) -> None:
    assert kr(value, unit, lang=lang) == expected  # type: ignore[arg-type]


def test_numbers_round_half_up_and_percent() -> None:
    assert number_text(Decimal("2.5"), 0, "sv") == "3"
    assert number_text(Decimal("-2.5"), 0, "sv") == "\u22123"
    assert integer(683183, "sv") == f"683{NB}183"
    assert integer(683183, "en") == "683,183"
    assert percent(Decimal("4.73"), "sv") == f"4,73{NB}%"
    assert percent(Decimal("100"), "en") == f"100.00{NB}%"
    assert kr(1234, Decimal(1), "sv", suffix=False) == f"1{NB}234"


def test_allocate_table_is_swedish_right_aligned_with_total(shipped_data, runner) -> None:
    from koordination.cli.app import app

    result = runner.invoke(app, ["allocate", "2015", "--data", str(shipped_data)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    danderyd = next(line for line in lines if "Danderyd" in line)
    assert danderyd.rstrip().endswith(f"42{NB}781{NB}kr │")
    assert f"32{NB}295 │" in danderyd and f"4,73{NB}% │" in danderyd
    total = next(line for line in lines if "Totalt" in line)
    assert f"683{NB}183 │" in total and f"100,00{NB}% │" in total
    assert total.rstrip().endswith(f"905{NB}000{NB}kr │")
    english = runner.invoke(app, ["allocate", "2015", "--data", str(shipped_data), "--lang", "en"])
    total = next(line for line in english.stdout.splitlines() if line.startswith("│ Total "))
    assert "683,183 │" in total and f"905,000{NB}kr │" in total


def test_help_does_not_import_babel() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "koordination", "--help"],
        capture_output=True, text=True, check=True,
    )
    assert "Usage" in result.stdout
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
    assert "koordination.cli.app" in imported
    assert not {name for name in imported if name.split(".")[0] in ("babel", "openpyxl")}
