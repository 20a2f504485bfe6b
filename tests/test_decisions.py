"""Decided allocations are records: --final, comparison with the record, --revise."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.errors import RefusedError
from koordination.io.datadir import DataDir
from koordination.io.files import write_new
from koordination.io.records import record_in_force
from tests.conftest import MakeData
from tests.small import budget, small_data


def sha256(path: Path) -> str:
    """An independent checksum of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


FINAL = ["--final", "--decided-by", "Styrgruppen", "--decision-date", "2014-11-24",
         "--ref", "§ 12"]


def run(runner: CliRunner, data: Path, *args: str) -> object:
    return runner.invoke(app, ["allocate", "2015", "--data", str(data), *args])


def set_budget(data: Path, amount: int, comment: str = "") -> None:
    (data / "budgets" / "2015.yaml").write_text(
        "\n".join(line[8:] for line in budget(2015, amount, comment).splitlines()),
        encoding="utf-8")


@pytest.fixture
def decided(make_data: MakeData, runner: CliRunner) -> Path:
    data = small_data(make_data)
    result = run(runner, data, *FINAL)
    assert result.exit_code == 0, result.stderr
    return data


def test_final_records_the_decision(decided: Path) -> None:
    path = decided / "decisions" / "2015.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["kind"] == "kn-decision"
    assert record["year"] == 2015
    assert (record["decided_by"], record["decision_date"], record["ref"]) == (
        "Styrgruppen", "2014-11-24", "§ 12")
    assert record["kn_version"] == "1.0.0"
    assert record["total"] == 10000
    assert record["members"] == [
        {"kommunkod": "0114", "kommun": "Upplands Väsby", "fee": 3000, "carried": 0,
         "amount": 3000},
        {"kommunkod": "0115", "kommun": "Vallentuna", "fee": 1000, "carried": 0, "amount": 1000},
        {"kommunkod": "0117", "kommun": "Österåker", "fee": 6000, "carried": 0, "amount": 6000},
    ]
    assert record["inputs"] == [
        {"file": "network.yaml", "sha256": sha256(decided / "network.yaml")},
        {"file": "budgets/2015.yaml", "sha256": sha256(decided / "budgets" / "2015.yaml")},
        {"file": "populations/2014-12-31.csv",
         "sha256": sha256(decided / "populations" / "2014-12-31.csv")},
    ]


def test_final_prints_what_it_recorded(make_data: MakeData, runner: CliRunner) -> None:
    data = small_data(make_data)
    result = run(runner, data, *FINAL)
    assert (f"Beslutet 2014-11-24 (Styrgruppen, § 12) har registrerats: "
            f"{data / 'decisions' / '2015.json'}") in result.stdout
    english = run(runner, data, "--final", "--lang", "en", "-o", str(data / "en.xlsx"))
    assert "2015 is already decided; nothing new was recorded" in english.stdout


def test_same_amounts_match_the_decision(decided: Path, runner: CliRunner) -> None:
    before = (decided / "decisions" / "2015.json").read_bytes()
    result = run(runner, decided)
    assert result.exit_code == 0
    assert (f"Stämmer med beslutet 2014-11-24 (Styrgruppen, § 12) "
            f"({decided / 'decisions' / '2015.json'})") in result.stdout
    assert "Indatafil ändrad" not in result.stdout
    english = run(runner, decided, "--lang", "en", "-o", str(decided / "en.xlsx"))
    assert "matches the decision of 2014-11-24 (Styrgruppen, § 12)" in english.stdout
    assert (decided / "decisions" / "2015.json").read_bytes() == before


def test_changed_input_with_same_amounts_is_named(decided: Path, runner: CliRunner) -> None:
    set_budget(decided, 10000, comment="reformatted, same amount")
    result = run(runner, decided)
    assert result.exit_code == 0
    assert "Stämmer med beslutet 2014-11-24" in result.stdout
    assert "Indatafil ändrad utan att något belopp ändrats: budgets/2015.yaml" in result.stdout


def test_different_amounts_are_refused_and_nothing_is_written(
    decided: Path, runner: CliRunner
) -> None:
    workbook = decided / "reports" / "2015" / "fordelning-2015.xlsx"
    before = workbook.read_bytes()
    set_budget(decided, 12000)
    result = run(runner, decided)
    assert result.exit_code == 1
    record = decided / "decisions" / "2015.json"
    assert result.stderr.splitlines() == [
        f"error: {record}: the amounts differ from the decision of 2014-11-24 (Styrgruppen, "
        "§ 12); nothing was written; if the change is intended, run again with --revise to "
        "record a revision",
        f"error: {record}: Upplands Väsby (0114): decided 3 000 kr, now 3 600 kr, "
        "difference +600 kr",
        f"error: {record}: Vallentuna (0115): decided 1 000 kr, now 1 200 kr, "
        "difference +200 kr",
        f"error: {record}: Österåker (0117): decided 6 000 kr, now 7 200 kr, "
        "difference +1 200 kr",
        f"error: {record}: input files changed since then: budgets/2015.yaml",
    ]
    assert workbook.read_bytes() == before
    assert sorted(p.name for p in (decided / "decisions").iterdir()) == ["2015.json"]
    # --json and --final are refused the same way
    assert run(runner, decided, "--json").exit_code == 1
    assert run(runner, decided, *FINAL).exit_code == 1


def test_revise_writes_a_revision_and_keeps_the_decision(
    decided: Path, runner: CliRunner
) -> None:
    decision = decided / "decisions" / "2015.json"
    before = decision.read_bytes()
    set_budget(decided, 12000)
    result = run(runner, decided, "--revise", "--decision-date", "2015-02-02", "--ref", "§ 7")
    assert result.exit_code == 0, result.stderr
    assert decision.read_bytes() == before
    rev = json.loads((decided / "decisions" / "2015.rev1.json").read_text(encoding="utf-8"))
    assert rev["kind"] == "kn-revision"
    assert (rev["revision"], rev["revises"], rev["revises_decision_date"]) == (
        1, "2015.json", "2014-11-24")
    assert (rev["decision_date"], rev["ref"], rev["decided_by"]) == ("2015-02-02", "§ 7", None)
    assert (rev["decided_total"], rev["total"], rev["difference"]) == (10000, 12000, 2000)
    assert [(m["kommun"], m["decided"], m["amount"], m["difference"]) for m in rev["members"]] == [
        ("Upplands Väsby", 3000, 3600, 600), ("Vallentuna", 1000, 1200, 200),
        ("Österåker", 6000, 7200, 1200)]
    assert rev["changed_inputs"] == ["budgets/2015.yaml"]
    lines = result.stdout.splitlines()
    assert (f"Revision 1 av beslutet 2014-11-24 (Styrgruppen, § 12) har registrerats: "
            f"{decided / 'decisions' / '2015.rev1.json'}") in lines
    assert ("Vallentuna (0115): beslutat 1\u00a0000\u00a0kr, nytt 1\u00a0200\u00a0kr, "
            "skillnad +200\u00a0kr") in lines
    assert "Ändrad indatafil: budgets/2015.yaml" in lines

    book = load_workbook(decided / "reports" / "2015" / "revidering-2015-1.xlsx")
    ws = book["Revidering 2015 nr 1"]
    assert ws["A1"].value == "Revidering 1 av fördelningen för Testsamverkan 2015"
    assert ws["A2"].value == "Denna revidering: beslutad 2015-02-02 (§ 7)"  # its own decision
    assert ws["A3"].value == "Reviderar 2015.json, beslut 2014-11-24 (Styrgruppen, § 12)"
    assert [c.value for c in ws[5]] == ["Kommun", "Kommunkod", "Beslutat", "Ny", "Differens"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=6, max_row=9)] == [
        ["Upplands Väsby", "0114", 3000, 3600, 600],
        ["Vallentuna", "0115", 1000, 1200, 200],
        ["Österåker", "0117", 6000, 7200, 1200],
        ["Totalt", None, "=SUM(C6:C8)", "=SUM(D6:D8)", "=SUM(E6:E8)"],
    ]
    assert ws["C6"].number_format == "#,##0;−#,##0;0"
    assert ws["E6"].number_format == "+#,##0;−#,##0;0"
    amounts = ws.column_dimensions["C"]  # C to E, 16 characters wide each
    assert (amounts.min, amounts.max, amounts.width) == (3, 5, 16.7109375)
    # the input that changed: the budget line, from the amount decided to the new one
    assert ws["A11"].value == "Ändrade indata"
    assert [c.value for c in ws[12]] == ["Indata", "Post eller kommun", "Beslutat", "Ny",
                                         "Differens"]
    assert [c.value for c in ws[13]] == ["Budgetpost (för perioden)", "Lön: Lön strateg", 10000,
                                         12000, 2000]
    assert ws["C13"].number_format == "#,##0.00;−#,##0.00;0.00"
    assert ws["A15"].value == "Ändrade indatafiler"
    assert ws["A16"].value == "budgets/2015.yaml"
    assert ws["B17"].value == f"nu: {sha256(decided / 'budgets' / '2015.yaml')}"
    assert ws["B16"].value.startswith("vid beslutet: ")

    # The revision is now in force: the same amounts match it, new ones need revision 2.
    again = run(runner, decided)
    assert again.exit_code == 0
    assert "Stämmer med revision 1 av 2015-02-02 (§ 7)" in again.stdout
    set_budget(decided, 11000)
    assert run(runner, decided).exit_code == 1
    assert run(runner, decided, "--revise", "--decision-date", "2015-03-03").exit_code == 0
    rev2 = json.loads((decided / "decisions" / "2015.rev2.json").read_text(encoding="utf-8"))
    assert rev2["revises"] == "2015.rev1.json"
    assert [(m["decided"], m["amount"]) for m in rev2["members"]] == [
        (3600, 3300), (1200, 1100), (7200, 6600)]
    assert (decided / "decisions" / "2015.json").read_bytes() == before


def test_revision_workbook_in_english(decided: Path, runner: CliRunner) -> None:
    set_budget(decided, 12000)
    assert run(runner, decided, "--revise", "--lang", "en").exit_code == 0
    ws = load_workbook(decided / "reports" / "2015" / "revidering-2015-1.xlsx").active
    assert [c.value for c in ws[5]] == ["Municipality", "Code", "Decided", "New", "Difference"]
    assert ws["A2"].value.startswith("This revision: decided on ")
    assert ws["A13"].value == "Budget line (for the period)"


def test_revision_changes_have_valid_signed_formats(decided: Path, runner: CliRunner) -> None:
    # a budget line's change carries öre and its sign; a number format has at most four
    # sections, or Excel repairs the workbook when it opens it
    set_budget(decided, 12000)
    assert run(runner, decided, "--revise").exit_code == 0
    ws = load_workbook(decided / "reports" / "2015" / "revidering-2015-1.xlsx").active
    assert (ws["C13"].value, ws["D13"].value, ws["E13"].value) == (10000, 12000, 2000)
    assert ws["C13"].number_format == "#,##0.00;−#,##0.00;0.00"
    assert ws["E13"].number_format == "+#,##0.00;−#,##0.00;0.00"
    assert ws["E6"].number_format == "+#,##0;−#,##0;0"


def decided_fees(data: DataDir, year: int) -> dict[str, Decimal] | None:
    """Each member's decided fee for ``year`` (the record in force), None when undecided."""
    record = record_in_force(data, year)
    return None if record is None else {m.code: m.fee for m in record.members
                                        if m.fee is not None}


def test_decided_fees(make_data: MakeData, decided: Path, runner: CliRunner) -> None:
    assert decided_fees(DataDir(decided), 2014) is None
    assert decided_fees(DataDir(decided), 2015) == {
        "0114": Decimal(3000), "0115": Decimal(1000), "0117": Decimal(6000)}
    set_budget(decided, 12000)
    assert run(runner, decided, "--revise").exit_code == 0
    assert decided_fees(DataDir(decided), 2015) == {
        "0114": Decimal(3600), "0115": Decimal(1200), "0117": Decimal(7200)}


def test_member_leaving_after_the_decision(decided: Path, runner: CliRunner) -> None:
    network = decided / "network.yaml"
    network.write_text(network.read_text(encoding="utf-8").replace(
        "  - kommun: Vallentuna\n", "  - {kommun: Vallentuna, left: 2015-01-01}\n"),
        encoding="utf-8")
    result = run(runner, decided)
    assert result.exit_code == 1
    assert (f"error: {decided / 'decisions' / '2015.json'}: Vallentuna (0115): decided "
            "1 000 kr, now not a member, difference -1 000 kr") in result.stderr.splitlines()
    assert run(runner, decided, "--revise").exit_code == 0
    rev = json.loads((decided / "decisions" / "2015.rev1.json").read_text(encoding="utf-8"))
    assert rev["members"][-1] == {"kommunkod": "0115", "kommun": "Vallentuna", "decided": 1000,
                                  "fee": None, "carried": None, "amount": None,
                                  "difference": -1000}
    assert decided_fees(DataDir(decided), 2015) == {"0114": Decimal(3333),
                                                     "0117": Decimal(6667)}
    assert "Stämmer med revision 1" in run(runner, decided).stdout


def test_final_on_a_decided_year_records_nothing_new(decided: Path, runner: CliRunner) -> None:
    result = run(runner, decided, "--final")
    assert result.exit_code == 0
    assert "2015 är redan beslutat; inget nytt har registrerats" in result.stdout
    assert sorted(p.name for p in (decided / "decisions").iterdir()) == ["2015.json"]


def test_revise_without_a_decision_is_refused(make_data: MakeData, runner: CliRunner) -> None:
    data = small_data(make_data)
    result = run(runner, data, "--revise")
    assert result.exit_code == 1
    assert result.stderr == (f"error: {data / 'decisions' / '2015.json'}: 2015 has no decision "
                             "to revise; record it first with 'kn allocate 2015 --final'\n")
    assert not (data / "reports").exists()


def test_decision_details_need_final(make_data: MakeData, runner: CliRunner) -> None:
    data = small_data(make_data)
    result = run(runner, data, "--ref", "§ 1")
    assert result.exit_code == 2
    assert "give them with --final or --revise" in result.stderr
    bad = run(runner, data, "--final", "--decision-date", "24/11/2014")
    assert bad.exit_code == 2
    assert "'24/11/2014' is not a date; write it as YYYY-MM-DD" in bad.stderr
    assert not (data / "decisions").exists()


@pytest.mark.parametrize("content, message", [
    (b"{not json", "not valid JSON"),
    (b'{"kind": "kn-decision", "format": 1, "year": 2016, "members": [], "inputs": []}',
     "is for year 2016, not 2015"),
    (b'{"kind": "kn-decision", "format": 1, "year": 2015, "members": [{"kommunkod": "0114",'
     b' "kommun": "X", "fee": 1.5, "carried": 0, "amount": 1}], "inputs": [],'
     b' "decision_date": "2015-01-01"}', "members[0].fee: 1.5 is not an amount"),
    (b"[]", "not a kn-decision record of format 1"),
])
def test_damaged_decision_file(make_data: MakeData, runner: CliRunner, content: bytes,
                               message: str) -> None:
    data = small_data(make_data)
    (data / "decisions").mkdir()
    (data / "decisions" / "2015.json").write_bytes(content)
    result = run(runner, data)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"error: {data / 'decisions' / '2015.json'}: ")
    assert message in result.stderr


@pytest.mark.parametrize("written, line", [
    ("2015-02-30", "decision_date: '2015-02-30' is not a day of the calendar; write a date as "
                   "YYYY-MM-DD"),
    ("1800-01-01", "decision_date: 1800-01-01 is outside the years kn works with; give a date "
                   "from 1900-01-01 to 2199-12-31"),
    ("01/01/2015", "decision_date: '01/01/2015' is not a date; write it as YYYY-MM-DD"),
    (" 2015-01-01", "decision_date: ' 2015-01-01' is not a date YYYY-MM-DD"),
])
def test_a_record_s_dates_are_read_by_the_one_date_parser(make_data: MakeData,
                                                          runner: CliRunner, written: str,
                                                          line: str) -> None:
    data = small_data(make_data)
    done = run(runner, data, "--final", "--decided-by", "Styrelsen", "--decision-date",
               "2014-11-24")
    assert done.exit_code == 0, done.stderr  # type: ignore[attr-defined]
    path = data / "decisions" / "2015.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"2014-11-24"', json.dumps(written)),
                    encoding="utf-8")
    result = run(runner, data)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stderr == (f"error: {path}: {line}; the file is damaged or was not "  # type: ignore[attr-defined]
                             "written by kn; restore it from a backup (kn never changes a "
                             "decision file)\n")


def test_write_new_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "decisions" / "2015.json"
    write_new(target, b"first")
    with pytest.raises(RefusedError) as err:
        write_new(target, b"second")
    assert str(err.value) == f"{target}: already exists and is never overwritten"
    assert target.read_bytes() == b"first"
    assert [p.name for p in target.parent.iterdir()] == ["2015.json"]


def test_validate_reads_the_records(decided: Path, runner: CliRunner) -> None:
    ok = runner.invoke(app, ["validate", "--data", str(decided)])
    assert ok.exit_code == 0, ok.stderr
    (decided / "decisions" / "2015.rev1.json").write_text("{", encoding="utf-8")
    bad = runner.invoke(app, ["validate", "--data", str(decided)])
    assert bad.exit_code == 1
    assert bad.stderr == (f"error: {decided / 'decisions' / '2015.rev1.json'}: not valid JSON; "
                          "the file is damaged or was not written by kn; restore it from a "
                          "backup (kn never changes a decision file)\n")


def test_what_if_cannot_be_recorded(make_data: MakeData, runner: CliRunner) -> None:
    data = small_data(make_data)
    result = run(runner, data, "--with", "Vaxholm", "--final")
    assert result.exit_code == 2
    assert "cannot be combined with --final or --revise" in result.stderr
    assert not (data / "decisions").exists()
