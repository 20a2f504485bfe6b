"""kn validate reports every independent problem in one run, with no follow-on errors, and
the messages say what to write instead."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.orgnr import mod10_check_digit
from koordination.io.identifiers import orgnr_problem
from tests.conftest import MakeData, write

NETWORK = """\
    name: Etablering Uppsala län
    administrator: Uppsala
    members:
      - kommun: Uppsala
        orgnr: "212000-3005"
      - kommun: Hebi
        joined: 2015/03/31
      - kommun: Tierpp
      - kommun: Knivsta
        orgnr: "212000-3001"
    """
POPS = {"0380": 240000, "0331": 13000, "0360": 20000, "0330": 19000}


def test_every_independent_problem_at_once(make_data: MakeData) -> None:
    root = make_data(
        NETWORK,
        budgets={2015: """\
            year: 2015
            lines:
              - {name: Lön strateg, amount: 480000, overhead_percent: 38,46}
              - {name: Resor, amount: -5}
            """, 2016: """\
            year: 2016
            lines:
              - {name: Lön strateg, amount: 480000}
            """},
        populations={"2014-12-31": POPS},
    )
    write(root / "decisions" / "2015.json", "{not json")
    result = CliRunner().invoke(app, ["validate", "--data", str(root)])
    assert result.exit_code == 1
    net, b15 = f"error: {root}/network.yaml", f"error: {root}/budgets/2015.yaml"
    assert result.stderr.splitlines() == [
        f"{net}: members[1].joined: expected a date written YYYY-MM-DD (got '2015/03/31')",
        f"{net}: members[1].kommun: unknown 'Hebi' (did you mean Heby?)",
        f"{net}: members[2].kommun: unknown 'Tierpp' (did you mean Tierp?)",
        f"{net}: members[3].orgnr: '212000-3001' has the check digit 1, but its first nine "
        "digits give 5; check the number against the municipality's invoices",
        f"{b15}: lines[0].overhead_percent: 38,46 reads as two values: inside {{...}} a comma "
        "separates entries; write 38.46 (a decimal point)",
        f"{b15}: lines[1]: amount must not be negative (got -5)",
        f"error: {root}/decisions/2015.json: not valid JSON; the file is damaged or was not "
        "written by kn; restore it from a backup (kn never changes a decision file)",
    ]
    # the 2016 snapshot is the coming year's: a note, once the network can be read
    assert result.stdout == ""


def test_a_misspelled_member_is_one_line_not_two(make_data: MakeData) -> None:
    root = make_data("""\
        name: E
        administrator: Lidingo
        members: [Lidingo, Heby]
        """)
    result = CliRunner().invoke(app, ["validate", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {root}/network.yaml: members[0].kommun: unknown 'Lidingo' "
                             "(did you mean Lidingö?)\n")
    root2 = make_data("""\
        name: E
        administrator: Lidingö
        members: [Lidingo, Heby]
        """, name="data2")
    result = CliRunner().invoke(app, ["validate", "--data", str(root2)])
    assert result.stderr == (f"error: {root2}/network.yaml: members[0].kommun: unknown "
                             "'Lidingo' (did you mean Lidingö?)\n")


def test_members_as_a_plain_list_are_accepted(make_data: MakeData) -> None:
    root = make_data("""\
        name: E
        administrator: Heby
        members: [Heby, Tierp]
        """, budgets={2015: """\
            year: 2015
            lines: [{name: Lön, amount: 1000}]
            """}, populations={"2014-12-31": {"0331": 300, "0360": 100}})
    result = CliRunner().invoke(app, ["allocate", "2015", "--data", str(root), "--json"])
    assert result.exit_code == 0, result.stderr
    assert '"fee": 750' in result.stdout and '"fee": 250' in result.stdout


def test_the_next_run_needs_the_snapshot_of_an_older_budget_year(make_data: MakeData) -> None:
    root = make_data("""\
        name: E
        administrator: Heby
        members: [Heby, Tierp]
        """, budgets={2015: "year: 2015\nlines: [{name: Lön, amount: 1000}]\n",
                      2016: "year: 2016\nlines: [{name: Lön, amount: 1000}]\n"},
        populations={"2015-12-31": {"0331": 300, "0360": 100}})
    result = CliRunner().invoke(app, ["validate", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {root}/populations/2014-12-31.csv: no population snapshot for 2015: fee year "
        "2015 uses the snapshot of 2014-12-31; import it with 'kn population import FILE "
        "--date 2014-12-31' or 'kn population fetch 2014'\n")


def test_an_empty_directory_says_what_is_missing(tmp_path: Path) -> None:
    root = tmp_path / "data"
    write(root / "network.yaml", "name: E\nadministrator: Heby\nmembers: [Heby, Tierp]\n")
    result = CliRunner().invoke(app, ["validate", "--data", str(root)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (f"note: {root}/populations: no population yet; import SCB's figures "
                        "with 'kn population fetch YEAR' or 'kn population import FILE'")
    assert lines[1].startswith(f"note: {root}/budgets: no budget yet; write budgets/")
    assert [line.split(": ", 2)[1] for line in lines[2:4]] == [f"{root}/network.yaml"] * 2
    assert lines[4] == f"{root}: 1 fil kontrollerade, inga fel; 4 saker att göra"


def test_debug_after_the_subcommand(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", "--data", str(tmp_path / "none"), "--debug"])
    assert isinstance(result.exception, Exception)
    assert "data directory not found" in str(result.exception)


def test_orgnr_mod10() -> None:
    assert orgnr_problem("212000-0142") is None  # Stockholms kommun
    assert orgnr_problem("2120000142") is None
    assert orgnr_problem("212000-0143") is not None
    assert mod10_check_digit("212000014") == 2
    assert orgnr_problem("21200-0142") == ("'21200-0142' is not an organisation number; write "
                                           "it NNNNNN-NNNN, e.g. 212000-0142")


def test_decision_records_are_checked(shipped_data: Path) -> None:
    run = CliRunner().invoke(app, ["allocate", "2015", "--data", str(shipped_data), "--final",
                                   "--decision-date", "2014-11-24"])
    assert run.exit_code == 0, run.stderr
    record = shipped_data / "decisions" / "2015.json"
    text = record.read_text("utf-8")
    assert '"amount": 42781' in text
    record.chmod(0o644)
    record.write_text(text.replace('"amount": 42781', '"amount": 42881', 1), "utf-8")
    (shipped_data / "decisions" / "2015.rev2.json").write_text("{}", "utf-8")
    result = CliRunner().invoke(app, ["validate", "--data", str(shipped_data)])
    assert result.exit_code == 1
    broken = ("the file is damaged or was not written by kn; restore it from a backup (kn never "
              "changes a decision file)")
    assert result.stderr.splitlines() == [
        f"error: {record}: members[0]: fee 42781 + carried 0 is not the amount 42881; {broken}",
        f"error: {record}: total: the members' amounts sum to 905100, not to the total "
        f"905000; {broken}",
    ]
    record.write_text(text, "utf-8")
    result = CliRunner().invoke(app, ["validate", "--data", str(shipped_data)])
    assert result.stderr == (
        f"error: {shipped_data}/decisions/2015.rev2.json: revision 1 of 2015 is missing "
        "(2015.rev1.json) before this one; restore it from a backup (kn numbers revisions 1, "
        "2, ... and never removes one)\n")


def test_population_list_names_the_missing_snapshots(make_data: MakeData) -> None:
    root = make_data("""\
        name: E
        administrator: Heby
        members: [Heby, Tierp]
        """, budgets={2015: "year: 2015\nlines: [{name: Lön, amount: 1000}]\n",
                      2016: "year: 2016\nlines: [{name: Lön, amount: 1000}]\n"},
        populations={"2015-12-31": {"0331": 300, "0360": 100}})
    result = CliRunner().invoke(app, ["population", "list", "--data", str(root)])
    assert result.exit_code == 0, result.stderr
    missing = [line for line in result.stdout.splitlines() if line.startswith("Avgiftsår")]
    assert missing[0] == (
        f"Avgiftsår 2015 saknar befolkningen 2014-12-31 ({root}/populations/2014-12-31.csv): "
        "kn population fetch 2014 eller kn population import FIL")
    # 2016 has its snapshot; the coming fee year (next year) has none
    from datetime import date

    coming = date.today().year + 1
    assert missing[1:] == [
        f"Avgiftsår {coming} saknar befolkningen {coming - 1}-12-31 "
        f"({root}/populations/{coming - 1}-12-31.csv): kn population fetch {coming - 1} eller "
        "kn population import FIL"]
