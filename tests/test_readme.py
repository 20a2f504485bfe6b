"""The README's Quick start output is what kn prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koordination.cli.app import app

README = Path(__file__).resolve().parent.parent / "README.md"


def console_block(command: str, occurrence: int = 0) -> str:
    """The output shown under ``$ command`` in the README's console blocks (the first, or the
    ``occurrence``-th)."""
    text = README.read_text(encoding="utf-8")
    found = re.findall(rf"```console\n\$ {re.escape(command)}\n(.*?)```", text, re.S)
    assert len(found) > occurrence, f"no console block for {command!r} in README.md"
    return str(found[occurrence])


def test_quick_start_output_is_what_kn_prints(
    shipped_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(shipped_data.parent)
    result = CliRunner().invoke(app, ["allocate", "2015"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == console_block("kn allocate 2015")


def test_the_error_example_is_what_kn_prints(
    shipped_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = shipped_data / "network.yaml"
    network.write_text(network.read_text(encoding="utf-8").replace(
        "kommun: Upplands Väsby", "kommun: Upplands Vasby"), encoding="utf-8")
    monkeypatch.chdir(shipped_data.parent)
    result = CliRunner().invoke(app, ["allocate", "2015"])
    assert result.exit_code == 1
    assert result.stderr == console_block("kn allocate 2015", occurrence=1)
