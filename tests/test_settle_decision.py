"""The settlement counts as charged what was decided, once a decision is recorded."""

import json
from pathlib import Path

from typer.testing import CliRunner

from koordination.cli.app import app


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def raise_budget(data: Path) -> None:
    budget = data / "budgets" / "2015.yaml"
    text = budget.read_text(encoding="utf-8")
    budget.write_text(text.replace("name: Externa tjänster, amount: 60000",
                                   "name: Externa tjänster, amount: 70000"), encoding="utf-8")


def test_settlement_uses_the_decided_fees(shipped_data: Path) -> None:
    d = str(shipped_data)
    code, _, err = invoke("allocate", "2015", "--data", d, "--final", "--decided-by",
                          "Styrgruppen", "--decision-date", "2015-03-01", "--ref", "§ 12")
    assert code == 0, err
    code, out, err = invoke("settle", "2015", "--data", d, "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["charged"] == 905000
    assert payload["difference"] == 31701  # 936 700.50 - 905 000, rounded half up
    assert sum(m["settlement"] for m in payload["members"]) == 31701
    assert payload["charged_from"] == "decisions/2015.json"
    code, out, err = invoke("settle", "2015", "--data", d, "-o", str(shipped_data / "a.xlsx"))
    assert code == 0, err
    note = f"Debiterade avgifter: enligt det beslut som gäller för 2015 ({d}/decisions/2015.json)."
    assert note in out.replace("\n", " ").replace("  ", " ")


def test_a_decided_year_whose_inputs_changed_is_refused_until_revised(shipped_data: Path) -> None:
    d = str(shipped_data)
    assert invoke("allocate", "2015", "--data", d, "--final")[0] == 0
    raise_budget(shipped_data)  # today's inputs would charge 915 000 kr
    code, out, err = invoke("settle", "2015", "--data", d, "--json")
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"error: {d}/decisions/2015.json: the amounts differ from ")
    assert "Danderyd (0162): decided 42 781 kr, now 43 253 kr, difference +472 kr" in err
    assert not (shipped_data / "reports" / "2015" / "avrakning-2015.xlsx").exists()
    assert invoke("allocate", "2015", "--data", d, "--revise")[0] == 0
    code, out, err = invoke("settle", "2015", "--data", d, "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["charged"] == 915000  # the revision in force
    assert payload["difference"] == 21701
    assert payload["charged_from"] == "decisions/2015.rev1.json"


def test_without_a_decision_the_fees_are_recomputed(shipped_data: Path) -> None:
    raise_budget(shipped_data)
    code, out, err = invoke("settle", "2015", "--data", str(shipped_data), "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["charged"] == 915000
    assert payload["difference"] == 21701
    assert payload["charged_from"] == "recomputed"


def test_a_decision_with_other_members_must_be_revised_first(shipped_data: Path) -> None:
    d = str(shipped_data)
    assert invoke("allocate", "2015", "--data", d, "--final")[0] == 0
    network = shipped_data / "network.yaml"
    network.write_text(network.read_text(encoding="utf-8").replace(
        "  - kommun: Vaxholm\n", "  - kommun: Vaxholm\n    left: 2015-01-01\n"),
        encoding="utf-8")
    code, _, err = invoke("settle", "2015", "--data", d)
    assert code == 1
    assert err == (
        f"error: {d}/decisions/2015.json: the decided members differ from the members of 2015 "
        "today (Vaxholm); record the change with 'kn allocate 2015 --revise' before settling\n"
    )


def test_final_with_an_unwritable_workbook_records_nothing(shipped_data: Path,
                                                           tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = blocker / "f.xlsx"
    code, _, err = invoke("allocate", "2015", "--data", str(shipped_data), "--final",
                          "-o", str(target))
    assert code == 1
    assert err == (f"error: {target}: cannot write: a part of the path is a file, "
                   "not a directory\n")
    assert not (shipped_data / "decisions").exists()
