"""Bad keys in network.yaml: one precise line each, exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from koordination.cli.app import app
from tests.conftest import MakeData

BUDGET = {2015: "year: 2015\nlines:\n  - {group: A, name: A, amount: 1000}\n"}
POPS = {"2014-12-31": {"0184": 74041, "0160": 67334}}
HEAD = "name: Test\nadministrator: Solna\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("key: {equal: 30, population: 60}\nmembers: [{kommun: Solna}, {kommun: Täby}]\n",
         "key: equal + population must be 100 (got 30 + 60 = 90)"),
        ("key: {equal: 30}\nmembers: [{kommun: Solna}, {kommun: Täby}]\n",
         "key: the weights must sum to 100 (got equal 30 = 30); e.g. {equal: 30, population: 70}"),
        ("key: equal_population\nmembers: [{kommun: Solna}, {kommun: Täby}]\n",
         "key: must be population, fixed or {equal: E, population: P, STATISTIC: S, ...} "
         "(percent, summing to 100) (got 'equal_population')"),
        ("key: {equal: abc, population: 70}\nmembers: [{kommun: Solna}, {kommun: Täby}]\n",
         "key: equal: 'abc' is not a number; write digits, e.g. 905000 or 1234,50; give a "
         "percentage such as 30"),
        ("key: fixed\nmembers: [{kommun: Solna, share: 60}, {kommun: Täby, share: 30.5}]\n",
         "members: the members' shares sum to 90.5, not 100"),
        ("members: [{kommun: Solna, share: 60}, {kommun: Täby}]\n",
         "members[0].share: share is only used with key: fixed; remove it or set key: fixed"),
        ("key: fixed\nmembers: [{kommun: Solna, share: 100}, {kommun: Täby}]\n",
         "members[1].share: key: fixed needs a share (percent) for every member"),
        ("population_cap: 0\nmembers: [{kommun: Solna}, {kommun: Täby}]\n",
         "population_cap: must be a positive number of inhabitants (got 0)"),
        ("population_cap: -5\nmembers: [{kommun: Solna}, {kommun: Täby}]\n",
         "population_cap: must be a positive number of inhabitants (got -5)"),
        ("key: fixed\npopulation_cap: 5000\n"
         "members: [{kommun: Solna, share: 50}, {kommun: Täby, share: 50}]\n",
         "population_cap: a cap only applies to a key that counts population; remove "
         "population_cap or use key: population or {equal: E, population: P}"),
    ],
)
def test_bad_key_is_one_line(make_data: MakeData, runner: CliRunner, body: str,
                             expected: str) -> None:
    root = make_data(HEAD + body, BUDGET, POPS)
    result = runner.invoke(app, ["allocate", "2015", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {root / 'network.yaml'}: {expected}\n"
    assert not (root / "reports").exists()


def test_negative_share_and_the_sum_with_it(make_data: MakeData, runner: CliRunner) -> None:
    root = make_data(HEAD + "key: fixed\nmembers: [{kommun: Solna, share: -10}, "
                     "{kommun: Täby, share: 100}]\n", BUDGET, POPS)
    result = runner.invoke(app, ["allocate", "2015", "--data", str(root)])
    assert result.exit_code == 1
    file = root / "network.yaml"
    assert result.stderr.splitlines() == [
        f"error: {file}: members[0].share: must not be negative (got -10)",
        f"error: {file}: members: the members' shares sum to 90, not 100",
    ]


def test_every_key_runs_to_the_workbook(make_data: MakeData, runner: CliRunner,
                                        tmp_path: Path) -> None:
    from openpyxl import load_workbook

    cases = {
        "population_cap: 70000\n": {"Solna": 510, "Täby": 490},  # 1000 × 70000/137334
        "key: {equal: 30, population: 70}\n": {"Solna": 517, "Täby": 483},
        "key: fixed\n": {"Solna": 650, "Täby": 350},
    }
    for i, (key, expected) in enumerate(cases.items()):
        shares = "share: 65" if "fixed" in key else ""
        shares_t = "share: 35" if "fixed" in key else ""
        root = make_data(HEAD + key + f"members: [{{kommun: Solna, {shares}}}, "
                         f"{{kommun: Täby, {shares_t}}}]\n", BUDGET, POPS, name=f"d{i}")
        out = tmp_path / f"k{i}.xlsx"
        result = runner.invoke(app, ["allocate", "2015", "--data", str(root), "-o", str(out)])
        assert result.exit_code == 0, result.stderr
        ws = load_workbook(out)["Fördelning 2015"]
        cost = next(c for c in range(1, ws.max_column + 1)
                    if str(ws.cell(4, c).value).startswith("Kostnad"))
        assert {ws.cell(r, 1).value: ws.cell(r, cost).value for r in (5, 6)} == expected
