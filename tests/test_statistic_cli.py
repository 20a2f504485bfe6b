"""Keys on statistics through the CLI (reference 7): statistics/NAME/DATE.csv chosen per fee
year, one line per bad input, the workbook's Underlag and Metod, JSON, explain, validate and
what-if."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from tests.conftest import MakeData, write

NETWORK = """\
name: Samordningsförbundet Test
administrator: Solna
key: {{{key}}}
{extra}members: [{{kommun: Solna}}, {{kommun: Sundbyberg}}]
"""
BUDGET = {2015: "year: 2015\nlines:\n  - {group: A, name: Lön, amount: 1000}\n"}
POPS = {"2014-12-31": {"0184": 100, "0183": 300}}
STAT = "kommunkod,kommun,value\n0184,Solna,30\n0183,Sundbyberg,20\n"


def data(make_data: MakeData, key: str = "equal: 20, population: 40, skatt: 40",
         stat: str | None = STAT, extra: str = "", day: str = "2014-12-31") -> Path:
    root = make_data(NETWORK.format(key=key, extra=extra), budgets=BUDGET, populations=POPS)
    if stat is not None:
        write(root / "statistics" / "skatt" / f"{day}.csv", stat)
    return root


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_two_factor_key_json(make_data: MakeData, runner: CliRunner) -> None:
    """Solna 100 + 400 × 100/400 + 400 × 30/50 = 440; Sundbyberg 560 (reference 7)."""
    root = data(make_data)
    code, out, err = run(runner, "allocate", "2015", "--data", str(root), "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["statistic_dates"] == {"skatt": "2014-12-31"}
    assert [(m["kommun"], m["fee"], m["statistics"]) for m in result["members"]] == [
        ("Solna", 440, {"skatt": "30"}), ("Sundbyberg", 560, {"skatt": "20"})]
    assert result["total"] == 1000


def test_statistic_rule_of_its_own(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data, extra="statistics: {skatt: {date: '11-01', lag: 2}}\n",
                day="2013-11-01")
    code, out, _ = run(runner, "allocate", "2015", "--data", str(root), "--json")
    assert code == 0
    assert json.loads(out)["statistic_dates"] == {"skatt": "2013-11-01"}


@pytest.mark.parametrize(
    ("key", "stat", "line"),
    [
        ("equal: 20, population: 40, skatt: 30", STAT,
         "error: {root}/network.yaml: key: the weights must sum to 100 (got equal 20 + "
         "population 40 + skatt 30 = 90); e.g. {{equal: 30, population: 70}}"),
        ("population: 50, tax-base: 50", STAT,
         "error: {root}/statistics/tax-base: the key counts statistic tax-base, but there is "
         "no folder statistics/tax-base; import it with 'kn statistic import tax-base FILE "
         "--date 2014-12-31'"),
        ("population: 50, skatt: 50", "kommunkod,kommun,value\n0184,Solna,30\n",
         "error: {root}/statistics/skatt/2014-12-31.csv: member Sundbyberg (0183) is missing "
         "from the skatt snapshot of 2014-12-31; add its value (kn statistic import skatt "
         "FILE --date 2014-12-31)"),
        ("population: 50, skatt: 50", "kommunkod,kommun,value\n0184,Solna,-3\n0183,Sundbyberg,1\n",
         "error: {root}/statistics/skatt/2014-12-31.csv: row 2: value '-3' is negative; "
         "expected a number 0 or more, with a point for decimals (1234.5)"),
        ("population: 50, skatt: 50",
         "kommunkod,kommun,value\n0184,Solna,30\n0183,Sundbyberg,1e3\n",
         "error: {root}/statistics/skatt/2014-12-31.csv: row 3: value '1e3' is not a number; "
         "expected a number 0 or more, with a point for decimals (1234.5)"),
        ("population: 50, skatt: 50", "kommunkod,kommun,value\n0184,Solna,0\n0183,Sundbyberg,0.0\n",
         "error: {root}/statistics/skatt/2014-12-31.csv: every member present has 0 in "
         "statistic skatt; a key on skatt needs a value above 0 for at least one member "
         "(check the file, or take the factor out of the key)"),
        ("population: 50, Skatt: 50", STAT,
         "error: {root}/network.yaml: key: 'Skatt' is neither equal, population nor a "
         "statistic's name (lower case letters, digits and hyphens, e.g. befolkning-16-64)"),
    ],
)
def test_bad_input_is_one_line(make_data: MakeData, runner: CliRunner, key: str, stat: str,
                               line: str) -> None:
    root = data(make_data, key=key, stat=stat)
    code, out, err = run(runner, "allocate", "2015", "--data", str(root))
    assert (code, out) == (1, "")
    assert err == line.format(root=root) + "\n"
    assert not (root / "reports").exists()


def test_missing_snapshot_names_the_file(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data, day="2013-12-31")
    code, _, err = run(runner, "allocate", "2015", "--data", str(root))
    assert code == 1
    assert err == (f"error: {root}/statistics/skatt/2014-12-31.csv: no skatt snapshot for "
                   "2015: fee year 2015 uses the snapshot of 2014-12-31; import it with "
                   "'kn statistic import skatt FILE --date 2014-12-31'\n")


def test_workbook_underlag_and_metod(make_data: MakeData, runner: CliRunner,
                                     tmp_path: Path) -> None:
    root = data(make_data, stat="kommunkod,kommun,value\n0184,Solna,30.5\n0183,Sundbyberg,19.5\n")
    out = tmp_path / "f.xlsx"
    code, _, _ = run(runner, "allocate", "2015", "--data", str(root), "-o", str(out))
    assert code == 0
    wb = load_workbook(BytesIO(out.read_bytes()))
    sheet = wb.worksheets[0]
    # the key's factors in its order after Kommun: the equal part, population, the statistic
    assert [sheet.cell(4, c).value for c in (2, 3)] == ["Lika del (kr)",
                                                        "Befolkningsmängd (2014-12-31)"]
    assert [sheet.cell(4, 4).value, sheet.cell(5, 4).value, sheet.cell(6, 4).value,
            sheet.cell(7, 4).value] == ["Skatt (2014-12-31)", 30.5, 19.5, "=SUM(D5:D6)"]
    assert sheet.cell(5, 4).number_format == "#,##0.0"
    basis = wb["Underlag"]
    assert basis.cell(3, 14).value == "skatt (2014-12-31)"
    assert [basis.cell(r, 14).value for r in (4, 5)] == [30.5, 19.5]
    assert basis.cell(4, 14).number_format == "#,##0.0"
    assert basis.cell(6, 14).value == "=SUM(N4:N5)"
    method = [c.value for c in wb["Metod"]["A"] if c.value]
    assert "Statistik skatt: värden per 2014-12-31 (fil " in method[2]
    assert ("Fördelningsnyckel: 20 % lika delar, 40 % efter befolkning och 40 % efter skatt. "
            "Andel = 20/100 × 1/n + 40/100 × W(k) / ΣW + 40/100 × skatt(k) / Σskatt.") in method
    assert ("Formel: andel(k) = 20/100 × 1/n + 40/100 × W(k) / ΣW + 40/100 × skatt(k) / "
            "Σskatt, där W(k) = folkmängd(k), skatt(k) = kommunens värde per 2014-12-31, "
            "n = 2, ΣW = 400 och Σskatt = 50,0.") in method


def test_each_in_table_workbook_and_json(make_data: MakeData, runner: CliRunner,
                                         tmp_path: Path) -> None:
    """Three members with equal values share 100 kr: 33 each on its own, one short."""
    network = ("name: T\nadministrator: Solna\nkey: {skatt: 100}\nrounding_method: each\n"
               "members: [{kommun: Solna}, {kommun: Sundbyberg}, {kommun: Danderyd}]\n")
    root = make_data(network, budgets={2015: BUDGET[2015].replace("1000", "100")},
                     populations={"2014-12-31": {"0184": 1, "0183": 1, "0162": 1}})
    write(root / "statistics" / "skatt" / "2014-12-31.csv",
          "kommunkod,kommun,value\n0184,Solna,1\n0183,Sundbyberg,1\n0162,Danderyd,1\n")
    code, out, _ = run(runner, "allocate", "2015", "--data", str(root), "--json")
    result = json.loads(out)
    assert (result["total"], result["rounded_total"], result["rounding_difference"]) == \
        (100, 99, -1)
    assert [m["fee"] for m in result["members"]] == [33, 33, 33]
    xlsx = tmp_path / "e.xlsx"
    code, out, _ = run(runner, "allocate", "2015", "--data", str(root), "-o", str(xlsx))
    assert code == 0
    assert "Varje belopp avrundat för sig: summan 99 kr avviker −1 kr från totalen 100 kr." \
        in " ".join(out.replace("\u00a0", " ").split())
    ws = load_workbook(BytesIO(xlsx.read_bytes())).worksheets[0]
    assert [ws.cell(r, 1).value for r in (8, 9, 10)] == [
        "Totalt", "Att fördela enligt budgeten", "Avrundningsdifferens mot totalen"]
    assert ws.cell(4, 5).value == "Kostnad T"  # after the key's statistic, population, share
    assert (ws.cell(9, 5).value, ws.cell(10, 5).value) == (100, "=E8-E9")


def test_explain_shows_every_part(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data)
    code, out, _ = run(runner, "explain", "2015", "Solna", "--data", str(root), "--lang", "en")
    assert code == 0
    text = out.replace("\u00a0", " ")
    assert "skatt: Solna's value is 30 on 2014-12-31" in text
    assert ("Key: 20 % in equal parts, 40 % by population and 40 % by skatt. Equal part: "
            "20 % / 2 members = 10.0000 %. Population part: 40 % × 100 / 400 = 10.0000 %. "
            "Part by skatt: 40 % × 30 / 50 = 24.0000 %. Share: 44.0000 %.") in text
    code, out, _ = run(runner, "explain", "2015", "Solna", "--data", str(root), "--json")
    x = json.loads(out)
    assert x["key"] == {"kind": "weighted", "equal": "20", "population": "40",
                        "statistics": {"skatt": "40"}}
    assert x["segments"][0]["statistic_parts"] == {"skatt": {"value": "30", "sum": "50",
                                                              "part": "6/25"}}
    assert x["exact"] == "440.00"


def test_validate_reports_statistic_problems(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data, stat="kommunkod,kommun,value\n0184,Solna,30\n")
    write(root / "statistics" / "skatt" / "2013-12-31.csv",
          "kommunkod,kommun,value\n0184,Solna,abc\n")
    code, _, err = run(runner, "validate", "--data", str(root))
    assert code == 1
    assert err.splitlines() == [
        f"error: {root}/statistics/skatt/2013-12-31.csv: row 2: value 'abc' is not a number; "
        "expected a number 0 or more, with a point for decimals (1234.5)",
        f"error: {root}/statistics/skatt/2014-12-31.csv: member Sundbyberg (0183) is missing "
        "from the skatt snapshot of 2014-12-31; add its value (kn statistic import skatt "
        "FILE --date 2014-12-31)",
    ]


def test_what_if_takes_values_from_the_statistic(make_data: MakeData,
                                                 runner: CliRunner) -> None:
    root = data(make_data, key="population: 50, skatt: 50")
    code, _, err = run(runner, "allocate", "2015", "--data", str(root), "--with", "Danderyd")
    assert code == 1
    assert "is missing from the snapshot" in err
    write(root / "populations" / "2014-12-31.csv",
          "kommunkod,kommun,folkmangd\n0162,Danderyd,100\n0183,Sundbyberg,300\n0184,Solna,100\n")
    code, _, err = run(runner, "allocate", "2015", "--data", str(root), "--with", "Danderyd")
    assert (code, err.strip()) == (1, (
        f"error: {root}/statistics/skatt/2014-12-31.csv: member Danderyd (0162) is missing "
        "from the skatt snapshot of 2014-12-31; add its value (kn statistic import skatt "
        "FILE --date 2014-12-31)"))
    write(root / "statistics" / "skatt" / "2014-12-31.csv", STAT + "0162,Danderyd,50\n")
    code, out, _ = run(runner, "allocate", "2015", "--data", str(root), "--with", "Danderyd",
                       "--json")
    assert code == 0
    rows = {r["kommun"]: r for r in json.loads(out)["members"]}
    # with Danderyd: population 100/500, skatt 50/100: 100 + 250 = 350
    assert rows["Danderyd"]["what_if"] == 350


def test_settlement_by_the_same_key(make_data: MakeData, runner: CliRunner,
                                    tmp_path: Path) -> None:
    """An overrun of 500 kr shared by the year's key: Solna 44 %, Sundbyberg 56 %."""
    root = data(make_data)
    write(root / "actuals" / "2015.yaml", "year: 2015\nlines:\n  - {name: Lön, amount: 1500}\n")
    out = tmp_path / "s.xlsx"
    code, stdout, _ = run(runner, "settle", "2015", "--data", str(root), "--json", "-o",
                          str(out))
    assert code == 0
    result = json.loads(stdout)
    assert [(m["kommun"], m["settlement"]) for m in result["members"]] == [
        ("Solna", 220), ("Sundbyberg", 280)]
    method = [c.value for c in load_workbook(out)["Metod"]["A"] if c.value]
    assert any(v.startswith("Statistik skatt: värden per 2014-12-31") for v in method)
    assert ("Fördelningsnyckel: 20 % lika delar, 40 % efter befolkning och 40 % efter skatt. "
            "Andel = 20/100 × 1/n + 40/100 × W(k) / ΣW + 40/100 × skatt(k) / Σskatt.") in method


def test_plan_years_take_the_newest_statistic(make_data: MakeData, runner: CliRunner) -> None:
    """Plan years 2016-2017 have no snapshots of their own: population and skatt are the
    newest ones (2014-12-31); the budget is indexed by 10 % a year."""
    root = data(make_data)
    write(root / "budgets" / "2015.yaml", BUDGET[2015] + "plan:\n  index: {default: 10}\n")
    code, out, err = run(runner, "plan", "2015", "--data", str(root), "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["statistic_basis"] == {"2015": {"skatt": "2014-12-31"},
                                         "2016": {"skatt": "latest 2014-12-31"},
                                         "2017": {"skatt": "latest 2014-12-31"}}
    # 1,100 and 1,210 kr shared 44 : 56 as in 2015
    assert [m["fee"] for m in result["members"]] == [
        {"2015": 440, "2016": 484, "2017": 532}, {"2015": 560, "2016": 616, "2017": 678}]
    write(root / "statistics" / "skatt" / "2015-12-31.csv", STAT.replace("30", "80"))
    result = json.loads(run(runner, "plan", "2015", "--data", str(root), "--json")[1])
    assert result["statistic_basis"]["2016"] == {"skatt": "2015-12-31"}
    assert result["statistic_basis"]["2017"] == {"skatt": "latest 2015-12-31"}


def test_plan_year_without_any_statistic_of_the_day(make_data: MakeData,
                                                    runner: CliRunner) -> None:
    root = data(make_data, extra="statistics: {skatt: {date: '11-01', by_year: "
                                 "{2015: 2014-12-31}}}\n")
    write(root / "budgets" / "2015.yaml", BUDGET[2015] + "plan:\n  index: {default: 10}\n")
    code, _, err = run(runner, "plan", "2015", "--data", str(root), "--years", "1")
    assert code == 1
    assert err == (f"error: {root}/statistics/skatt: no skatt snapshot for 2016 (2015-11-01) "
                   "and none dated 11-01 to take the latest from; import one with 'kn "
                   "statistic import skatt FILE --date 2015-11-01'\n")


def test_plan_workbook_shows_each_statistic(make_data: MakeData, runner: CliRunner,
                                            tmp_path: Path) -> None:
    root = data(make_data)
    write(root / "budgets" / "2015.yaml", BUDGET[2015] + "plan:\n  index: {default: 10}\n")
    out = tmp_path / "p.xlsx"
    assert run(runner, "plan", "2015", "--data", str(root), "-o", str(out))[0] == 0
    ws = load_workbook(out).worksheets[1]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    at = next(i for i, r in enumerate(rows) if r[0] == "skatt")
    assert rows[at][:4] == ["skatt", "2014-12-31", "senaste 2014-12-31", "senaste 2014-12-31"]
    assert rows[at + 1][:4] == ["Solna", 30, 30, 30]
    assert rows[at + 3][:2] == ["Totalt", f"=SUM(B{at + 2}:B{at + 3})"]


def test_explain_over_segments(make_data: MakeData, runner: CliRunner) -> None:
    """Sundbyberg joins on 2015-07-02: 1 Jan-1 Jul (182 days) Solna pays all; then the
    key shares 501.37 kr (183/365 of 1,000): Solna 44 % of it (equal 10 % + population 10 %
    + skatt 24 %), 220.60 kr."""
    network = NETWORK.format(key="equal: 20, population: 40, skatt: 40", extra="").replace(
        "{kommun: Sundbyberg}", "{kommun: Sundbyberg, joined: 2015-07-02}")
    root = make_data(network, budgets=BUDGET, populations=POPS)
    write(root / "statistics" / "skatt" / "2014-12-31.csv", STAT)
    code, out, _ = run(runner, "explain", "2015", "Solna", "--data", str(root), "--lang", "en")
    assert code == 0
    text = " ".join(out.replace("\u00a0", " ").split())
    assert ("Key: 20 % in equal parts, 40 % by population and 40 % by skatt; the sums are "
            "taken over the segment's members.") in text
    assert ("equal part 10.0000 % + population 10.0000 % (Σ 400) + skatt 24.0000 % (Σ 50) = "
            "44.0000 % → 220.60 kr") in text
    assert "equal part 20.0000 % + population 40.0000 % (Σ 100) + skatt 40.0000 % (Σ 30)" \
        in text


def test_statistic_list(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data, key="population: 50, skatt: 30, tax-base: 20")
    write(root / "statistics" / "skatt" / "2013-12-31.csv",
          "kommunkod,kommun,value\n0184,Solna,x\n")
    code, out, _ = run(runner, "statistic", "list", "--data", str(root), "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    rows = [" ".join(line.split()) for line in lines]
    assert "│ skatt │ 2014-12-31 │ 2014-12-31.csv │ 2 │ 50 │ 2/2 │ yes │" in rows
    assert any(row.startswith("│ skatt │ 2013-12-31 │ 2013-12-31.csv │ │ │ invalid: value")
               for row in rows)
    assert " ".join(out.split()).endswith(
        "The key counts tax-base, but there is no statistics/tax-base; import it with "
        "'kn statistic import tax-base FILE --date YYYY-MM-DD'")


def test_output_never_goes_into_statistics(make_data: MakeData, runner: CliRunner) -> None:
    root = data(make_data)
    target = root / "statistics" / "skatt" / "f.xlsx"
    code, _, err = run(runner, "allocate", "2015", "--data", str(root), "-o", str(target))
    assert code == 1
    assert err == (f"error: {target}: is inside {root / 'statistics'}, which kn reads or "
                   "records in; -o never writes there; choose a place such as reports/\n")
    assert not target.exists()
