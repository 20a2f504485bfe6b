"""One loader: each input file opened and parsed once per run, the chain of carried
settlements computed from what was loaded, and ``kn validate`` finding what every command
would refuse, on every year of the directory."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koordination.cli.app import app
from tests.conftest import EXAMPLES

SODERTORN = EXAMPLES / "etablering-sodertorn"

COUNT_OPENS = """
import sys
from collections import Counter
from pathlib import Path
root = str(Path(sys.argv[1]).resolve())
opened = Counter()
def hook(event, args):
    if event == "open" and isinstance(args[0], str) and args[0].startswith(root):
        opened[args[0][len(root) + 1:]] += 1
sys.addaudithook(hook)
sys.argv = ["kn", *sys.argv[2:]]
from koordination.cli.run import main
try:
    main()
finally:
    for name, count in sorted(opened.items()):
        print(f"opened {count} {name}", file=sys.stderr)
"""


def kn(*args: str) -> subprocess.CompletedProcess[str]:
    """kn run in this process (the run that counts opened files runs in its own, below)."""
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout,
                                       result.stderr)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(SODERTORN, root)
    return root


def test_a_carried_settlement_opens_each_input_once(data: Path, tmp_path: Path) -> None:
    """2016 carries 2015's settlement: the 2015 budget, actuals and snapshot are needed for
    2015's allocation and settlement, and 2016's own inputs for 2016: each opened once."""
    result = subprocess.run([sys.executable, "-c", COUNT_OPENS, str(data), "allocate", "2016",
                             "--data", str(data), "-o", str(tmp_path / "f.xlsx")],
                            capture_output=True, text=True, timeout=120,
                            stdin=subprocess.DEVNULL, check=False)
    assert result.returncode == 0, result.stderr
    opened = sorted(line for line in result.stderr.splitlines() if line.startswith("opened"))
    assert opened == [
        "opened 1 .kn.lock",
        "opened 1 actuals/2015.yaml",
        "opened 1 budgets/2015.yaml",
        "opened 1 budgets/2016.yaml",
        "opened 1 network.yaml",
        "opened 1 populations/2014-12-31.csv",
        "opened 1 populations/2015-12-31.csv",
    ]


def test_each_file_is_parsed_once_in_a_chain(data: Path) -> None:
    """The chain is computed from loaded inputs: the budget of the carried year is parsed once
    though its allocation is needed by the settlement and the next year alike."""
    from koordination.io import budget as budget_module
    from koordination.io.datadir import DataDir
    from koordination.io.gate import run
    from koordination.jobs.allocation import run_allocation, run_settlement

    parsed: list[str] = []
    original = budget_module.build_budget

    def counting(raw, file, year):  # type: ignore[no-untyped-def]
        parsed.append(Path(file).name)
        return original(raw, file, year)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(budget_module, "build_budget", counting)
        with run():
            run_allocation(DataDir(data), 2016)
            run_settlement(DataDir(data), 2015)
    assert sorted(parsed) == ["2015.yaml", "2016.yaml"]


def _lines(result: subprocess.CompletedProcess[str]) -> set[str]:
    """Each error line up to its first ';' (what is wrong, without the fix, which names the
    command to run)."""
    return {line.split(";")[0] for line in result.stderr.splitlines()
            if line.startswith("error:")}


def _decide_then_change_2015(data: Path) -> None:
    assert kn("allocate", "2016", "--data", str(data), "--final", "--decided-by", "Styrelsen",
              "--decision-date", "2015-11-20").returncode == 0
    actuals = data / "actuals" / "2015.yaml"
    actuals.write_text(actuals.read_text(encoding="utf-8").replace("amount: 747684",
                                                                   "amount: 847684"),
                       encoding="utf-8")


def _broken_budget(data: Path) -> None:
    path = data / "budgets" / "2016.yaml"
    path.write_text(re.sub(r"amount: \d+", "amount: tolv", path.read_text(encoding="utf-8"),
                           count=1), encoding="utf-8")


def _member_missing_from_snapshot(data: Path) -> None:
    path = data / "populations" / "2015-12-31.csv"
    path.write_text("".join(line for line in path.read_text(encoding="utf-8")
                            .splitlines(keepends=True) if not line.startswith("0128")),
                    encoding="utf-8")


def _member_removed_after_decision(data: Path) -> None:
    assert kn("allocate", "2015", "--data", str(data), "--final", "--decided-by", "Styrelsen",
              "--decision-date", "2014-11-20").returncode == 0
    path = data / "network.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - kommun: Salem\n    legal_name: Salems kommun\n", ""), encoding="utf-8")


def _broken_actuals(data: Path) -> None:
    path = data / "actuals" / "2015.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("amount: 747684", "amount: -"),
                    encoding="utf-8")


BROKEN: dict[str, Callable[[Path], None]] = {
    "a decided year whose carried settlement changed": _decide_then_change_2015,
    "a budget with a word for an amount": _broken_budget,
    "a member missing from a snapshot": _member_missing_from_snapshot,
    "a member removed after a decision": _member_removed_after_decision,
    "actuals with an amount missing": _broken_actuals,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(BROKEN))
def test_validate_finds_what_every_command_refuses(data: Path, name: str) -> None:
    BROKEN[name](data)
    found = _lines(kn("validate", "--data", str(data)))
    refused: set[str] = set()
    # invoices of a year not decided are drafts (an undecided year is no broken file)
    for command in (["allocate", "2015"], ["allocate", "2016"], ["settle", "2015"],
                    ["invoices", "2015", "--draft"], ["invoices", "2016", "--draft"]):
        result = kn(*command, "--data", str(data), "-o", str(data.parent / "out.xlsx")) \
            if command[0] == "allocate" else kn(*command, "--data", str(data))
        refused |= _lines(result)
        if result.returncode != 0:
            assert _lines(result), result.stderr
    assert refused, "the broken directory is refused by some command"
    assert refused <= found, sorted(refused - found)


def test_the_shipped_example_is_clean_for_every_command(data: Path) -> None:
    result = kn("validate", "--data", str(data))
    assert result.returncode == 0, result.stderr
    for command in (["allocate", "2015"], ["allocate", "2016"], ["settle", "2015"]):
        assert kn(*command, "--data", str(data), "--json").returncode == 0


def test_a_member_removed_after_a_decision_is_told_how_to_record_its_leaving(
        data: Path) -> None:
    _member_removed_after_decision(data)
    result = kn("allocate", "2015", "--data", str(data))
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {data}/decisions/2015.json: members[6]: Salem (0128) was a member when 2015 "
        "was decided but is no longer in network.yaml; a member that leaves stays in the "
        "network: put it back in network.yaml with left: YYYY-MM-DD (the first day outside) "
        "to record its leaving\n")
