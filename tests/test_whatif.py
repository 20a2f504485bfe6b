"""``kn allocate --with/--without``: fees beside today's, no file written; and the rounding
report and key formula in the workbook."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from koordination.cli.app import app
from tests.conftest import MakeData

NBSP = "\u00a0"


def files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def test_without_a_member_prints_and_writes_nothing(shipped_data: Path,
                                                    runner: CliRunner) -> None:
    before = files(shipped_data)
    result = runner.invoke(app, ["allocate", "2015", "--data", str(shipped_data),
                                 "--without", "Vaxholm"])
    assert result.exit_code == 0, result.stderr
    assert files(shipped_data) == before
    lines = [line.replace(NBSP, " ") for line in result.stdout.splitlines()]
    assert any("Om Vaxholm går ur: Koordination Norrort 2015" in line for line in lines)
    row = next(line for line in lines if "Vallentuna" in line)
    # Without Vaxholm (11 329): 905 000 × 31 969 / 671 854 = 43 062.70..., rounded up.
    assert [cell.strip() for cell in row.split("│")[3:6]] == ["42 349 kr", "43 063 kr",
                                                             "+714 kr"]
    vax = next(line for line in lines if "Vaxholm" in line and "går ur" not in line)
    assert "−15 007 kr" in vax


def test_what_if_equals_allocating_the_changed_network(
    shipped_data: Path, runner: CliRunner
) -> None:
    result = runner.invoke(app, ["allocate", "2015", "--data", str(shipped_data), "--json",
                                 "--with", "Knivsta", "--with", "Håbo", "--without", "Vaxholm"])
    assert result.exit_code == 0, result.stderr
    what_if = json.loads(result.stdout)
    assert [m["kommun"] for m in what_if["with"]] == ["Knivsta", "Håbo"]
    # The same year allocated from a network.yaml that really has these members.
    network = (shipped_data / "network.yaml").read_text(encoding="utf-8")
    network = network.replace("  - kommun: Vaxholm\n    legal_name: Vaxholms stad\n",
                              "  - kommun: Knivsta\n  - kommun: Håbo\n")
    (shipped_data / "network.yaml").write_text(network, encoding="utf-8")
    direct = runner.invoke(app, ["allocate", "2015", "--data", str(shipped_data), "--json"])
    expected = {m["kommun"]: m["fee"] for m in json.loads(direct.stdout)["members"]}
    got = {m["kommun"]: m["what_if"] for m in what_if["members"] if m["what_if"] is not None}
    assert got == expected
    assert sum(got.values()) == 905000
    by_name = {m["kommun"]: m for m in what_if["members"]}
    assert by_name["Vaxholm"] == {"kommunkod": "0187", "kommun": "Vaxholm", "population": 11329,
                                  "today": 15007, "what_if": None, "difference": -15007}
    assert by_name["Håbo"]["today"] is None and by_name["Håbo"]["population"] == 20034
    assert not (shipped_data / "reports").exists()


def test_what_if_errors(shipped_data: Path, runner: CliRunner) -> None:
    cases = {
        ("--with", "Solna"): "error: --with: Solna is already a member of Koordination Norrort; "
                             "use --without Solna to see the cooperation without it\n",
        ("--without", "Uppsala"): "error: --without: Uppsala is not a member of Koordination "
                                  "Norrort in this period; use --with Uppsala to see the "
                                  "cooperation with it\n",
        ("--with", "Upsala"): "error: --with: unknown 'Upsala' (did you mean Uppsala?)\n",
        ("--with", "Knivsta", "-o", str(shipped_data / "x.xlsx")):
            "error: -o: a what-if (--with/--without) writes no file; leave out -o\n",
    }
    for args, message in cases.items():
        result = runner.invoke(app, ["allocate", "2015", "--data", str(shipped_data), *args])
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)
    assert not (shipped_data / "reports").exists()
    assert not (shipped_data / "x.xlsx").exists()


def test_with_under_a_fixed_key_is_refused(make_data: MakeData, runner: CliRunner) -> None:
    root = make_data(
        "name: T\nadministrator: Solna\nkey: fixed\n"
        "members: [{kommun: Solna, share: 60}, {kommun: Täby, share: 40}]\n",
        {2015: "year: 2015\nlines:\n  - {group: A, name: A, amount: 1000}\n"},
        {"2014-12-31": "real"},
    )
    result = runner.invoke(app, ["allocate", "2015", "--data", str(root), "--with", "Vaxholm"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --with: key: fixed gives each member a share from the agreement; a new member "
        "has none, so --with cannot be computed (write the new shares in network.yaml "
        "instead)\n")
    result = runner.invoke(app, ["allocate", "2015", "--data", str(root), "--json",
                                 "--without", "Täby"])
    assert result.exit_code == 0
    assert [(m["kommun"], m["what_if"]) for m in json.loads(result.stdout)["members"]] == [
        ("Solna", 1000), ("Täby", None)]


def test_underlag_is_a_rounding_report(shipped_data: Path, runner: CliRunner,
                                       tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "a.xlsx"
    result = runner.invoke(app, ["allocate", "2015", "--data", str(shipped_data), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    ws = load_workbook(out)["Underlag"]
    header = [ws.cell(3, c).value for c in range(1, 14)]
    assert header[5:] == ["Exakt belopp", "Avrundat belopp", "Avrundning", "Avkortat belopp",
                          "Rest", "Restens rang", "Tilldelad enhet", "Lika rest"]
    rows = {ws.cell(r, 2).value: [ws.cell(r, c).value for c in range(6, 14)]
            for r in range(4, 19)}
    assert rows["Vallentuna"] == [42348.74843197, 42349, 0.25156803, 42348, 0.74843197, 3, 1,
                                  None]
    assert rows["Täby"] == [89196.11582841, 89196, -0.11582841, 89196, 0.11582841, 15, 0, None]
    assert sorted(r[5] for r in rows.values()) == list(range(1, 16))
    assert sum(r[6] for r in rows.values()) == 7
    assert ws["A19"].value == "Totalt" and ws["G19"].value == "=SUM(G4:G18)"
    assert [ws["A20"].value, ws["B20"].value, ws["H20"].value] == [
        "Största avrundning", "Sollentuna", 0.44295891]
    assert ws["L21"].value == 7
    assert [ws["A23"].value, ws["G23"].value] == ["Summa avrundade belopp", 905000]
    assert [ws["A24"].value, ws["G24"].value] == ["Totalt", 905000]
    assert ws["A25"].value == "Kontroll: summan av avrundade belopp är lika med totalen"
    assert ws["G25"].value == "stämmer"
    assert ws["I4"].number_format == "#,##0;−#,##0;0" and ws["J4"].number_format == "#,##0.0000"


def test_metod_writes_the_key_as_a_formula(make_data: MakeData, runner: CliRunner,
                                           tmp_path: Path) -> None:
    from openpyxl import load_workbook

    root = make_data(
        "name: T\nadministrator: Solna\nkey: {equal: 30, population: 70}\n"
        "population_cap: 70000\nmembers: [{kommun: Solna}, {kommun: Täby}]\n",
        {2015: "year: 2015\nlines:\n  - {group: A, name: A, amount: 1000}\n"},
        {"2014-12-31": "real"},
    )
    out = tmp_path / "m.xlsx"
    for lang, expected in (
        ("sv", "Formel: andel(k) = 30/100 × 1/n + 70/100 × W(k) / ΣW, där "
               "W(k) = min(folkmängd(k), 70\u00a0000), n = 2 och ΣW = 137\u00a0334."),
        ("en", "Formula: share(k) = 30/100 × 1/n + 70/100 × W(k) / ΣW, where "
               "W(k) = min(population(k), 70,000), n = 2 and ΣW = 137,334."),
    ):
        result = runner.invoke(app, ["allocate", "2015", "--data", str(root), "-o", str(out),
                                     "--lang", lang])
        assert result.exit_code == 0, result.stderr
        ws = load_workbook(out).worksheets[-1]
        texts = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
        assert expected in texts
