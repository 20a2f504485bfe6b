"""kn allocate / budget / population list / validate through the CLI: exit codes, exact error
lines, nothing written on failure, --json equal to the core's result."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.io.datadir import DataDir
from koordination.jobs.allocation import run_allocation
from koordination.render.json import allocation_json
from tests.conftest import MakeData, write

NORRORT_2015 = {
    "Danderyd": 42781, "Ekerö": 35366, "Järfälla": 93656, "Lidingö": 60227,
    "Norrtälje": 76259, "Sigtuna": 58399, "Sollentuna": 91834, "Solna": 98081,
    "Sundbyberg": 58405, "Täby": 89196, "Upplands-Bro": 33497, "Upplands Väsby": 55393,
    "Vallentuna": 42349, "Vaxholm": 15007, "Österåker": 54550,
}


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_allocate_2015_on_the_shipped_data(shipped_data: Path, runner: CliRunner) -> None:
    code, out, err = run(runner, "allocate", "2015", "--data", str(shipped_data))
    assert code == 0, err
    workbook = shipped_data / "reports" / "2015" / "fordelning-2015.xlsx"
    assert workbook.exists()
    assert "905\u00a0000\u00a0kr" in out
    for name in NORRORT_2015:
        assert name in out


def test_allocate_json_is_the_core_result(shipped_data: Path, runner: CliRunner) -> None:
    code, out, err = run(runner, "allocate", "2015", "--data", str(shipped_data), "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload == allocation_json(run_allocation(DataDir(shipped_data), 2015).allocation)
    assert payload["total"] == 905000
    assert payload["population_date"] == "2014-12-31"
    assert {m["kommun"]: m["fee"] for m in payload["members"]} == NORRORT_2015
    assert sum(m["amount"] for m in payload["members"]) == 905000
    assert payload["members"][0] == {
        "kommunkod": "0162", "kommun": "Danderyd", "population": 32295, "days": 365,
        "exact": "42780.59", "fee": 42781, "carried": 0, "amount": 42781, "percent": "4.73",
    }
    assert sum(float(m["percent"]) * 100 for m in payload["members"]) == pytest.approx(10000)
    # --json writes no workbook unless -o is given
    assert not (shipped_data / "reports").exists()


def test_allocate_in_ore(make_data: MakeData, runner: CliRunner) -> None:
    data = make_data(
        network="""
        name: Öre
        administrator: Upplands Väsby
        rounding: 0.01
        members: [{kommun: Upplands Väsby}, {kommun: Vallentuna}, {kommun: Österåker}]
        """,
        budgets={2015: "year: 2015\nlines: [{name: L, amount: 100}]\n"},
        populations={"2014-12-31": {"0114": 5, "0115": 5, "0117": 5}},
    )
    code, out, err = run(runner, "allocate", "2015", "--data", str(data), "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["total"] == "100.00"
    assert [m["fee"] for m in payload["members"]] == ["33.34", "33.33", "33.33"]


NETWORK = """
name: Test
administrator: Danderyd
members: [{kommun: Danderyd}, {kommun: Täby}]
"""
BUDGET = "year: 2015\nlines: [{name: Lön, amount: 1000}]\n"
POPS = {"2014-12-31": {"0162": 1, "0160": 3}}


@pytest.mark.parametrize(
    ("network", "budget", "expected"),
    [
        ("", BUDGET,
         ["error: {d}/network.yaml: file is empty; see the network.yaml format in the README"]),
        ("name: X\nmembers: [\n", BUDGET,
         ["error: {d}/network.yaml: line 3: YAML syntax error: expected the node content, "
          "but found '<stream end>'"]),
        (NETWORK.replace("{kommun: Täby}", "{kommun: Upplands Vasby}"), BUDGET,
         ["error: {d}/network.yaml: members[1].kommun: unknown 'Upplands Vasby' "
          "(did you mean Upplands Väsby?)"]),
        (NETWORK.replace("{kommun: Täby}", "{kommun: Danderyds kommun}"), BUDGET,
         ["error: {d}/network.yaml: members[1].kommun: Danderyd is listed twice "
          "(also members[0]); list each member once"]),
        (NETWORK.replace("administrator: Danderyd", "administrator: Solna"), BUDGET,
         ["error: {d}/network.yaml: administrator: Solna is not a member; the administrator "
          "must be one of the members"]),
        (NETWORK, "year: 2015\nlines: [{name: Lön}]\n",
         ["error: {d}/budgets/2015.yaml: lines[0]: no amount: give amount, amount with "
          "overhead_percent, rate with per_month, or rate with quantity"]),
        (NETWORK, "year: 2015\nlines: [{name: Lön, amount: 5, rate: 2, quantity: 3}]\n",
         ["error: {d}/budgets/2015.yaml: lines[0]: amount and quantity and rate do not make one "
          "amount; use exactly one of: amount; amount + overhead_percent; rate + per_month; "
          "rate + quantity"]),
        (NETWORK, "year: 2016\nlines: [{name: Lön, amount: 5}]\n",
         ["error: {d}/budgets/2015.yaml: year: year is 2016 but the file is for 2015; "
          "make them agree"]),
    ],
)
def test_bad_input_gives_one_line_each_and_writes_nothing(
    make_data: MakeData, runner: CliRunner, network: str, budget: str, expected: list[str]
) -> None:
    data = make_data(network=network, budgets={2015: budget}, populations=POPS)
    code, out, err = run(runner, "allocate", "2015", "--data", str(data))
    assert code == 1
    assert err.splitlines() == [line.format(d=data) for line in expected]
    assert "Traceback" not in err + out
    assert not (data / "reports").exists()


def test_missing_network_yaml(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "d").mkdir()
    code, _, err = run(runner, "allocate", "2015", "--data", str(tmp_path / "d"))
    assert code == 1
    assert err == (f"error: {tmp_path}/d/network.yaml: file not found; every data directory "
                   "needs a network.yaml\n")


def test_no_snapshot_for_the_year_names_the_file(make_data: MakeData, runner: CliRunner) -> None:
    data = make_data(network=NETWORK, budgets={2015: BUDGET}, populations={})
    code, _, err = run(runner, "allocate", "2015", "--data", str(data))
    assert code == 1
    assert err == (
        f"error: {data}/populations/2014-12-31.csv: no population snapshot for 2015: fee year "
        "2015 uses the snapshot of 2014-12-31; import it with 'kn population import FILE "
        "--date 2014-12-31' or 'kn population fetch 2014'\n"
    )


def test_member_missing_from_snapshot(make_data: MakeData, runner: CliRunner) -> None:
    data = make_data(network=NETWORK, budgets={2015: BUDGET},
                     populations={"2014-12-31": {"0162": 1}})
    code, _, err = run(runner, "allocate", "2015", "--data", str(data))
    assert code == 1
    assert err == (f"error: {data}/populations/2014-12-31.csv: member Täby (0160) is missing "
                   "from the snapshot; import a complete SCB snapshot\n")


def test_bad_populations_each_get_a_line(make_data: MakeData, runner: CliRunner) -> None:
    data = make_data(network=NETWORK, budgets={2015: BUDGET})
    write(data / "populations" / "2014-12-31.csv",
          "kommunkod,kommun,folkmangd\n0162,Danderyd,-5\n0160,Täby,12.5\n0114,Upplands Väsby,"
          "many\n")
    code, _, err = run(runner, "allocate", "2015", "--data", str(data))
    assert code == 1
    f = f"{data}/populations/2014-12-31.csv"
    assert err.splitlines() == [
        f"error: {f}: row 2: folkmangd '-5' is negative; expected a whole number of persons, "
        "0 or more",
        f"error: {f}: row 3: folkmangd '12.5' is decimal; expected a whole number of persons, "
        "0 or more",
        f"error: {f}: row 4: folkmangd 'many' is not a number; expected a whole number of "
        "persons, 0 or more",
    ]


def test_unwritable_output_is_one_line(shipped_data: Path, runner: CliRunner,
                                       tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = blocker / "out.xlsx"
    code, _, err = run(runner, "allocate", "2015", "--data", str(shipped_data), "-o", str(target))
    assert code == 1
    assert err == (f"error: {target}: cannot write: a part of the path is a file, "
                   "not a directory\n")


def test_failed_run_leaves_an_existing_workbook_unchanged(
    shipped_data: Path, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "f.xlsx"
    assert run(runner, "allocate", "2015", "--data", str(shipped_data), "-o", str(out))[0] == 0
    before = out.read_bytes()
    (shipped_data / "budgets" / "2015.yaml").write_text("year: 2015\nlines: []\n")
    code, _, err = run(runner, "allocate", "2015", "--data", str(shipped_data), "-o", str(out))
    assert code == 1
    assert err == (f"error: {shipped_data}/budgets/2015.yaml: lines: needs at least one "
                   "entry\n")
    assert out.read_bytes() == before


def test_validate_reports_every_problem_at_once(make_data: MakeData, runner: CliRunner) -> None:
    data = make_data(
        network=NETWORK.replace("{kommun: Täby}", "{kommun: Upplands Vasby}"),
        budgets={2015: "year: 2016\nlines: [{name: Lön}]\n"},
    )
    write(data / "populations" / "2014-12-31.csv", "kommunkod,kommun,folkmangd\n0162,Danderyd,x\n")
    code, _, err = run(runner, "validate", "--data", str(data))
    assert code == 1
    assert err.splitlines() == [
        f"error: {data}/network.yaml: members[1].kommun: unknown 'Upplands Vasby' "
        "(did you mean Upplands Väsby?)",
        f"error: {data}/populations/2014-12-31.csv: row 2: folkmangd 'x' is not a number; "
        "expected a whole number of persons, 0 or more",
        f"error: {data}/budgets/2015.yaml: year: year is 2016 but the file is for 2015; "
        "make them agree",
        f"error: {data}/budgets/2015.yaml: lines[0]: no amount: give amount, amount with "
        "overhead_percent, rate with per_month, or rate with quantity",
    ]


def test_validate_passes_on_the_shipped_data(shipped_data: Path, runner: CliRunner) -> None:
    code, out, err = run(runner, "validate", "--data", str(shipped_data))
    assert code == 0, err
    # no problem; the two notes are the invoicing details the shipped network does not give
    lines = out.splitlines()
    assert [line.split(": ", 2)[1] for line in lines[:2]] == [
        f"{shipped_data}/network.yaml"] * 2
    assert lines[2:] == [f"{shipped_data}: 20 filer kontrollerade, inga fel; 2 saker att göra"]
    code, out, err = run(runner, "validate", "--data", str(shipped_data), "--lang", "en")
    assert out.splitlines()[2:] == [f"{shipped_data}: 20 files checked, no errors; 2 things to do"]


def test_budget_command_shows_prorated_lines(shipped_data: Path, runner: CliRunner) -> None:
    code, out, err = run(runner, "budget", "2015", "--data", str(shipped_data))
    assert code == 0, err
    assert "664\u00a0608,00\u00a0kr" in out  # 480 000 × 1.3846
    assert "26\u00a0400,00\u00a0kr" in out  # 550 × 4 × 12
    assert "905\u00a0000,00\u00a0kr" in out


def test_population_list(shipped_data: Path, runner: CliRunner) -> None:
    code, out, err = run(runner, "population", "list", "--data", str(shipped_data))
    assert code == 0, err
    assert "2014-12-31" in out and "290" in out and "15/15" in out


def test_data_dir_from_environment(shipped_data: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["allocate", "2015", "--json"], env={"KN_DATA": str(shipped_data)})
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 905000


def test_version_and_bad_command_line(runner: CliRunner) -> None:
    assert run(runner, "--version")[1] == "kn 1.0.0\n"
    assert run(runner, "allocate")[0] == 2
    assert run(runner, "allocate", "2015", "--lang", "fr")[0] == 2
