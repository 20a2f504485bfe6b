"""Characters that ``str.isdigit`` takes for digits but ``int`` does not ("²", "³") are never
an internal error: wherever kn reads a year, a check digit or a retry time, they are refused
or passed over like any other text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.invoices import has_valid_check_digit
from tests.conftest import EXAMPLES


@pytest.mark.parametrize("number", ["²¹²000-0167", "212000-016²", "⁰⁰", "²"])
def test_superscripts_are_no_check_digits(number: str) -> None:
    assert has_valid_check_digit(number) is False


def test_a_plan_year_written_in_superscripts_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "plan"
    shutil.copytree(EXAMPLES / "koordination-norrort-plan", data)
    budget = data / "budgets" / "2016.yaml"
    text = budget.read_text(encoding="utf-8")
    assert "default: {2017: 2.8, 2018: 2.8}" in text
    budget.write_text(text.replace("default: {2017: 2.8, 2018: 2.8}",
                                   "default: {'²⁰¹⁷': 2.8, 2018: 2.8}"), encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", "2016", "--data", str(data)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines)
    assert f"error: {budget}: plan.index.default.²⁰¹⁷: '²⁰¹⁷' is not a year" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.output


def test_a_retry_after_in_superscripts_is_passed_over() -> None:
    from koordination.io.scb.api import ScbClient

    waits: list[float] = []
    client = ScbClient("http://127.0.0.1:9", attempts=3, backoff=1.0, max_wait=60.0,
                       sleep=waits.append)
    client._pause(1, "³")  # the client's own waiting rule, as after a 429
    assert waits == [1.0]
    client._pause(1, "7")
    assert waits == [1.0, 7.0]

