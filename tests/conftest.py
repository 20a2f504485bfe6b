"""Shared test helpers: small data directories written from inline text."""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

# No test asserts how long anything takes (that is bench/run's job): hypothesis's per-example
# deadline would fail a property on a busy machine, so it is off for every test.
settings.register_profile("kn", deadline=None)
settings.load_profile("kn")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXAMPLES = ROOT / "examples"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def snapshot_csv(populations: Mapping[str, int]) -> str:
    from koordination.core.municipalities import by_code

    rows = ["kommunkod,kommun,folkmangd"]
    for code in sorted(populations):
        muni = by_code(code)
        rows.append(f"{code},{muni.name if muni else code},{populations[code]}")
    return "\n".join(rows) + "\n"


MakeData = Callable[..., Path]


def make_data_in(
    folder: Path,
    network: str,
    budgets: Mapping[int, str] | None = None,
    populations: Mapping[str, Mapping[str, int] | str] | None = None,
    actuals: Mapping[int, str] | None = None,
    name: str = "data",
) -> Path:
    """Build a data directory ``folder/name``: ``network=YAML, budgets={2015: YAML},
    populations={"2014-12-31": {"0114": 100, ...}} or {"2014-12-31": "real"},
    actuals={2015: YAML}``. Texts are dedented."""
    root = folder / name
    write(root / "network.yaml", network)
    for year, text in (budgets or {}).items():
        write(root / "budgets" / f"{year}.yaml", text)
    for year, text in (actuals or {}).items():
        write(root / "actuals" / f"{year}.yaml", text)
    for day, pops in (populations or {}).items():
        target = root / "populations" / f"{day}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        if pops == "real":
            shutil.copy(DATA / "populations" / f"{day}.csv", target)
        else:
            assert not isinstance(pops, str)
            target.write_text(snapshot_csv(pops), encoding="utf-8")
    return root


@pytest.fixture
def make_data(tmp_path: Path) -> MakeData:
    """Build a data directory under the test's own folder (see :func:`make_data_in`)."""

    def build(*args: Any, **files: Any) -> Path:
        return make_data_in(tmp_path, *args, **files)

    return build


@pytest.fixture
def shipped_data(tmp_path: Path) -> Path:
    """A copy of the shipped Koordination Norrort data directory."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("reports", "decisions"))
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After the run, how many cases the fuzz tests ran and how the CLI ended them."""
    fuzz = sys.modules.get("tests.test_fuzz")
    cases = getattr(fuzz, "CASES", None)
    exits = getattr(fuzz, "EXITS", None)
    if not cases:
        return
    kinds = ", ".join(f"{k}: {v}" for k, v in sorted(cases.items()))
    ends = ", ".join(f"exit {k}: {v}" for k, v in sorted((exits or {}).items()))
    terminalreporter.write_line(
        f"fuzz cases: {sum(cases.values())} ({kinds}); through the CLI: {ends}"
    )
