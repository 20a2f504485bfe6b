"""One date parser: YYYY-MM-DD on every command line and in every file, within the years kn
works with; a snapshot dated after today is refused."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.dates import not_after_today, parse_date
from tests.conftest import EXAMPLES


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(EXAMPLES / "etablering-sodertorn", root)
    return root


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "t.csv"
    path.write_text("kommunkod,folkmangd\n0127,1000\n", encoding="utf-8")
    return path


def _commands(data: Path, table: Path, value: str) -> list[list[str]]:
    return [
        ["population", "import", str(table), "--date", value],
        ["statistic", "import", "skatt", str(table), "--date", value],
        ["invoices", "2015", "--invoice-date", value],
        ["allocate", "2015", "--final", "--decision-date", value],
    ]


@pytest.mark.parametrize(("value", "message"), [
    ("20241231", "'20241231' is not a date; write it as YYYY-MM-DD"),
    ("2024-02-30", "'2024-02-30' is not a day of the calendar; write a date as YYYY-MM-DD"),
    ("9999-12-31", "9999-12-31 is outside the years kn works with; give a date from "
                   "1900-01-01 to 2199-12-31"),
    ("31/12/2024", "'31/12/2024' is not a date; write it as YYYY-MM-DD"),
])
def test_every_date_option_reads_alike(runner: CliRunner, data: Path, table: Path, value: str,
                                       message: str) -> None:
    for command in _commands(data, table, value):
        result = runner.invoke(app, [*command, "--data", str(data)])
        assert result.exit_code == 2, (command, result.output)
        assert message in " ".join(result.stderr.split()), command
        assert "internal error" not in result.stderr


def test_a_date_in_a_file_reads_as_on_the_command_line(runner: CliRunner, data: Path) -> None:
    network = data / "network.yaml"
    network.write_text(network.read_text(encoding="utf-8").replace(
        "  - kommun: Salem\n", "  - kommun: Salem\n    left: 9999-12-31\n"), encoding="utf-8")
    result = runner.invoke(app, ["allocate", "2015", "--data", str(data)])
    assert result.exit_code == 1
    assert ("9999-12-31 is outside the years kn works with; give a date from 1900-01-01 to "
            "2199-12-31") in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("command", [["population", "import"],
                                     ["statistic", "import", "skatt"]])
def test_a_snapshot_dated_after_today_is_refused(runner: CliRunner, data: Path, table: Path,
                                                 command: list[str]) -> None:
    result = runner.invoke(app, [*command, str(table), "--date", "2190-12-31",
                                 "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {table}: the reference date 2190-12-31 is after today "
        f"({date.today().isoformat()}); figures are counted on a day that has passed: check "
        "--date or the file's year\n")
    assert not (data / "populations" / "2190-12-31.csv").exists()


def test_today_is_not_after_today() -> None:
    assert not_after_today(date(2024, 12, 31), today=date(2024, 12, 31)) is None
    assert not_after_today(date(2025, 1, 1), today=date(2024, 12, 31)) is not None


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_every_day_reads_back(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f" {day.isoformat()} ") == day
