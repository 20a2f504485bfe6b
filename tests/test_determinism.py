"""Identical inputs give byte-identical workbooks and JSON: in one process, across
processes, and whatever the time zone or hash seed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koordination.cli.app import app
from tests.conftest import MakeData
from tests.small import budget, small_data

FINAL = ["--final", "--decided-by", "Styrgruppen", "--decision-date", "2014-11-24", "--ref",
         "§ 12"]


def outputs(root: Path) -> dict[str, bytes]:
    """Every file kn wrote under ``root`` (reports and decisions), by relative name."""
    found = {}
    for folder in ("reports", "decisions"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def exercise(runner: CliRunner, work: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Allocate, decide, revise and compare in ``work/data``; return every output."""
    monkeypatch.chdir(work)
    data = work / "data"

    def ok(*args: str) -> bytes:
        result = runner.invoke(app, [*args, "--data", "data"])
        assert result.exit_code == 0, result.stderr
        return result.stdout.encode()

    json_out = ok("allocate", "2015", "--json")
    ok("allocate", "2015", *FINAL)
    (data / "budgets" / "2015.yaml").write_text(budget(2015, 12000), encoding="utf-8")
    ok("allocate", "2015", "--revise", "--decision-date", "2015-02-02")
    ok("compare", "2014", "2015")
    ok("allocate", "2014", "--lang", "en")
    return {"allocate --json": json_out, **outputs(data)}


def test_identical_inputs_identical_bytes_in_process(
    make_data: MakeData, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = small_data(make_data)
    for name in ("one", "two"):
        shutil.copytree(source, tmp_path / name / "data")
    a = exercise(runner, tmp_path / "one", monkeypatch)
    b = exercise(runner, tmp_path / "two", monkeypatch)
    assert sorted(a) == [
        "allocate --json",
        "decisions/2015.json",
        "decisions/2015.rev1.json",
        "reports/2014/fordelning-2014.xlsx",
        "reports/2015/fordelning-2015.xlsx",
        "reports/2015/jamforelse-2014-2015.xlsx",
        "reports/2015/revidering-2015-1.xlsx",
    ]
    assert a == b


SCRIPT = """
set -e
kn() { "$PYTHON" -m koordination "$@"; }
kn allocate 2015 --data data --json > json.out
kn allocate 2015 --data data --final --decision-date 2014-11-24 > /dev/null
kn compare 2014 2015 --data data > /dev/null
kn allocate 2014 --data data -o data/reports/en.xlsx --lang en > /dev/null
"""


@pytest.mark.slow
def test_identical_bytes_across_processes_time_zones_and_hash_seeds(
    make_data: MakeData, tmp_path: Path
) -> None:
    source = small_data(make_data)
    results = []
    for tz, seed in (("UTC", "0"), ("Pacific/Kiritimati", "1"), ("America/Los_Angeles", "2")):
        work = tmp_path / f"run-{seed}"
        shutil.copytree(source, work / "data")
        env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": seed, "PYTHON": sys.executable,
               "LC_ALL": "C.UTF-8"}
        subprocess.run(["bash", "-c", SCRIPT], cwd=work, env=env, check=True, timeout=120)
        results.append({"json.out": (work / "json.out").read_bytes(),
                        **outputs(work / "data")})
    assert len(results[0]) == 5
    assert results[0] == results[1] == results[2]
