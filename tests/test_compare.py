"""kn compare YEAR_A YEAR_B: fee per member in two years, change in kr and %."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination import __version__
from koordination.cli.app import app
from koordination.core.compare import compare, percent_change
from koordination.io.datadir import DataDir
from koordination.jobs.allocation import run_allocation
from tests.conftest import MakeData, write
from tests.small import NETWORK, small_data

JOINED = NETWORK.replace("      - kommun: Vallentuna\n",
                         "      - {kommun: Vallentuna, joined: 2015-01-01}\n")


def test_core_compare_with_a_new_member(make_data: MakeData) -> None:
    data = DataDir(small_data(make_data, network=JOINED))
    comp = compare(run_allocation(data, 2014).allocation, run_allocation(data, 2015).allocation)
    rows = [(m.name, m.a, m.b, m.fee_change, m.fee_change_percent, m.population_change)
            for m in comp.members]
    assert [(r[0], r[3], r[4], r[5]) for r in rows] == [
        ("Upplands Väsby", Decimal(200), Decimal("7.14"), 20),
        ("Vallentuna", Decimal(1000), None, None),
        ("Österåker", Decimal(-200), Decimal("-3.23"), -20),
    ]
    assert rows[1][1] is None and rows[1][2] is not None
    assert (comp.total_a, comp.total_b, comp.total_change) == (9000, 10000, 1000)
    assert comp.total_change_percent == Decimal("11.11")
    assert (comp.population_a, comp.population_b, comp.population_change) == (900, 1000, 100)


def test_percent_change_rounds_half_up() -> None:
    assert percent_change(Decimal(8), Decimal(9)) == Decimal("12.50")
    assert percent_change(Decimal(3), Decimal(2)) == Decimal("-33.33")
    assert percent_change(Decimal(0), Decimal(2)) is None
    assert percent_change(None, Decimal(2)) is None


def test_change_is_split_into_total_and_share(make_data: MakeData) -> None:
    """Reference 9: from the total = (10 000 - 9 000) × 2 520 / 9 000 = 280.00 for Upplands
    Väsby; the rest of its +480 comes from its share growing (280 to 300 of 1 000)."""
    data = DataDir(small_data(make_data))
    comp = compare(run_allocation(data, 2014).allocation, run_allocation(data, 2015).allocation)
    ta, tb = comp.total_a, comp.total_b
    assert [(m.name, m.change_from_total(ta, tb), m.change_from_share(ta, tb))
            for m in comp.members] == [
        ("Upplands Väsby", Decimal("280.00"), Decimal("200.00")),
        ("Vallentuna", Decimal("100.00"), Decimal("0.00")),
        ("Österåker", Decimal("620.00"), Decimal("-200.00")),
    ]
    assert [(m.a.per_inhabitant, m.b.per_inhabitant) for m in comp.members if m.a and m.b] == [
        (Decimal("9.00"), Decimal("10.00"))] * 3


def test_a_member_new_in_b_has_its_whole_fee_from_its_share(make_data: MakeData) -> None:
    data = DataDir(small_data(make_data, network=JOINED))
    comp = compare(run_allocation(data, 2014).allocation, run_allocation(data, 2015).allocation)
    new = comp.members[1]
    assert new.name == "Vallentuna"
    assert (new.change_from_total(comp.total_a, comp.total_b),
            new.change_from_share(comp.total_a, comp.total_b)) == (Decimal("0.00"),
                                                                   Decimal("1000.00"))


def test_compare_command_table_and_workbook(make_data: MakeData, runner: CliRunner) -> None:
    data = small_data(make_data)
    result = runner.invoke(app, ["compare", "2014", "2015", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    nb = "\u00a0"
    assert "Jämförelse av avgifter för Testsamverkan 2014 och 2015" in result.stdout
    line = next(x for x in result.stdout.splitlines() if "Upplands Väsby" in x)
    assert [cell.strip() for cell in line.split("│")[1:-1]] == [
        "Upplands Väsby", "280", "300", f"2{nb}520", f"3{nb}000", "+480", "+280", "+200",
        f"+19,05{nb}%"]
    target = data / "reports" / "2015" / "jamforelse-2014-2015.xlsx"
    assert result.stdout.splitlines()[-1] == f"Sparad: {target}"
    ws = load_workbook(target)["Jämförelse 2014–2015"]
    assert ws["A3"].value == "Beslut: 2014: Förslag – ej beslutat; 2015: Förslag – ej beslutat"
    assert [c.value for c in ws[5]] == [
        "Kommun", "Kommunkod", "Befolkning 2014", "Befolkning 2015", "Förändring befolkning",
        "Avgift 2014 kr", "Avgift 2015 kr", "Förändring kr", "Varav total kr",
        "Varav andel kr", "Förändring %", "Kr per invånare och år 2014",
        "Kr per invånare och år 2015"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=6, max_row=9)] == [
        ["Upplands Väsby", "0114", 280, 300, 20, 2520, 3000, 480, 280, 200, 0.1905, 9, 10],
        ["Vallentuna", "0115", 100, 100, 0, 900, 1000, 100, 100, 0, 0.1111, 9, 10],
        ["Österåker", "0117", 620, 600, -20, 5580, 6000, 420, 620, -200, 0.0753, 9, 10],
        ["Totalt", None, "=SUM(C6:C8)", "=SUM(D6:D8)", "=D9-C9", "=SUM(F6:F8)",
         "=SUM(G6:G8)", "=SUM(H6:H8)", "=SUM(I6:I8)", "=SUM(J6:J8)", 0.1111, None, None],
    ]
    # 9 000 kr for 1 000 inhabitants, then 10 000 kr: +11,11 % both ways
    assert ws["A4"].value == ("Förändring av totalen att betala: +11,11\u00a0%; jämförbart per "
                              "invånare och helår: +11,11\u00a0% (2014: 9,00\u00a0kr, "
                              "2015: 10,00\u00a0kr).")
    assert ws["F6"].number_format == "#,##0;−#,##0;0"
    assert ws["H6"].number_format == "+#,##0;−#,##0;0"
    assert ws["I6"].number_format == "+#,##0.00;−#,##0.00;0.00"
    assert ws["L6"].number_format == "#,##0.00"
    assert ws["K6"].number_format == "0.00%"
    notes = [ws.cell(row=r, column=1).value for r in range(11, 17)]
    assert notes[:5] == [
        "Att veta om åren",
        "Befolkning 2014: SCB:s folkmängd per 2013-12-31.",
        "Befolkning 2015: SCB:s folkmängd per 2014-12-31.",
        "Förändringen delas i två: varav total = (total 2015 − total 2014) × kommunens "
        "andel 2014; varav andel = resten, det som kommunens ändrade andel ger.",
        "Kr per invånare och år = avgift / befolkning, för en del av året omräknat till helt år.",
    ]
    assert ws.oddHeader.center.text == "Testsamverkan 2014–2015"
    assert ws.oddHeader.right.text == "2014: Förslag / 2015: Förslag"
    assert ws.oddFooter.right.text == "Sida &P av &N"
    assert ws.oddFooter.left.text == f"Underlag framtaget med kn {__version__}"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4


def test_compare_json_with_a_member_of_one_year(make_data: MakeData, runner: CliRunner) -> None:
    data = small_data(make_data, network=JOINED)
    result = runner.invoke(app, ["compare", "2014", "2015", "--data", str(data), "--json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    # 9 000 kr for 900 inhabitants, then 10 000 kr for 1 000: the joiner moves the total
    # +11,11 % and the cost per inhabitant not at all
    assert out["total"] == {"a": 9000, "b": 10000, "change": 1000, "change_percent": "11.11",
                            "like_for_like_change_percent": "0.00", "population_change": 100}
    assert out["members"][1] == {
        "kommunkod": "0115", "kommun": "Vallentuna", "a": None,
        "b": {"population": 100, "fee": 1000, "days": 365, "per_inhabitant": "10.00"},
        "change": 1000, "change_percent": None, "change_from_total": "0.00",
        "change_from_share": "1000.00", "population_change": None}
    # 2014: 9 000 kr shared 280:620, Upplands Väsby 2 800; 1 000 × 2 800 / 9 000 = 311.11
    assert [m["change_from_total"] for m in out["members"]] == ["311.11", "0.00", "688.89"]
    assert [m["change_from_share"] for m in out["members"]] == ["-111.11", "1000.00", "-888.89"]
    assert not (data / "reports").exists()


def test_compare_marks_members_of_one_year(make_data: MakeData, runner: CliRunner,
                                           tmp_path: Path) -> None:
    data = small_data(make_data, network=JOINED)
    out = tmp_path / "cmp.xlsx"
    result = runner.invoke(app, ["compare", "2014", "2015", "--data", str(data), "-o", str(out),
                                 "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    assert "member in 2015 only" in result.stdout
    ws = load_workbook(out).active
    assert [c.value for c in ws[7]] == [
        "Vallentuna", "0115", None, 100, None, None, 1000, 1000, 0, 1000, None, None, 10,
        "member in 2015 only"]
    notes = [ws.cell(row=r, column=1).value for r in range(12, 20)]
    assert "Vallentuna: a member in 2015 only." in notes


def test_compare_explains_a_partial_funded_year(make_data: MakeData, runner: CliRunner,
                                                 tmp_path: Path) -> None:
    data = small_data(make_data)
    write(data / "budgets" / "2014.yaml", """
        year: 2014
        period: {start: 2014-04-15, end: 2014-12-31}
        lines:
          - {group: Lön, name: Lön strateg, amount: 36500}
        funding:
          - {name: Projektmedel till 14/4, amount: 1100}
    """)
    out = tmp_path / "cmp.xlsx"
    result = runner.invoke(app, ["compare", "2014", "2015", "--data", str(data), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    ws = load_workbook(out).active
    # 36 500 × 261/365 = 26 100, less 1 100 of project funds: 25 000 for 261 days
    assert ws["G9"].value == "=SUM(G6:G8)" and ws["F6"].value == 7000
    assert ws["L6"].value == 34.96  # 7 000 / 280 × 365/261, kr per inhabitant/year
    notes = [ws.cell(row=r, column=1).value for r in range(11, 18)]
    assert notes[3:5] == [
        "2014 omfattar 261 av årets 365 dagar (2014-04-15 – 2014-12-31); avgiften avser bara "
        "den tiden.",
        "2014 sänktes med 1\u00a0100\u00a0kr från Projektmedel till 14/4, som medlemmarna inte "
        "betalar.",
    ]
    assert "2014 omfattar 261 av årets 365 dagar" in result.stdout


def test_compare_workbook_says_which_year_is_decided(make_data: MakeData,
                                                     runner: CliRunner, tmp_path: Path) -> None:
    data = small_data(make_data)
    final = ["allocate", "2015", "--data", str(data), "--final", "--decision-date",
             "2014-11-20", "--decided-by", "Styrgruppen", "--ref", "§ 14"]
    assert runner.invoke(app, final).exit_code == 0
    out = tmp_path / "cmp.xlsx"
    assert runner.invoke(app, ["compare", "2014", "2015", "--data", str(data), "-o",
                               str(out)]).exit_code == 0
    ws = load_workbook(out).active
    assert ws["A3"].value == ("Beslut: 2014: Förslag – ej beslutat; 2015: Beslutad 2014-11-20 "
                              "av Styrgruppen, § 14")
    assert ws.oddHeader.right.text == "2014: Förslag / 2015: Beslutad 2014-11-20"


def test_compare_reports_both_years_problems(make_data: MakeData, runner: CliRunner) -> None:
    data = small_data(make_data)
    result = runner.invoke(app, ["compare", "2013", "2016", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {data / 'budgets' / '2013.yaml'}: no budget for 2013; write budgets/2013.yaml "
        "(or .xlsx)",
        f"error: {data / 'budgets' / '2016.yaml'}: no budget for 2016; write budgets/2016.yaml "
        "(or .xlsx)",
    ]
    assert not (data / "reports").exists()


def test_compare_2014_2015_on_the_shipped_data(shipped_data: Path, runner: CliRunner) -> None:
    if not (shipped_data / "budgets" / "2014.yaml").exists():
        write(shipped_data / "budgets" / "2014.yaml", """
            year: 2014
            period: {start: 2014-04-15, end: 2014-12-31}
            lines:
              - {group: Lönekostnader, name: Lön strateg, amount: 480000, overhead_percent: 38.46}
        """)
    result = runner.invoke(app, ["compare", "2014", "2015", "--data", str(shipped_data),
                                 "--json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["population_dates"] == ["2012-12-31", "2014-12-31"]
    assert len(out["members"]) == 15
    assert out["total"]["b"] == 905000
    danderyd = out["members"][0]
    assert danderyd["kommun"] == "Danderyd"
    assert (danderyd["a"]["population"], danderyd["b"]["population"]) == (31960, 32295)
    assert danderyd["population_change"] == 335


def test_compare_notes_a_year_whose_decision_differs(make_data: MakeData,
                                                     runner: CliRunner) -> None:
    data = small_data(make_data)
    final = ["allocate", "2014", "--data", str(data), "--final", "--decision-date", "2013-11-01"]
    assert runner.invoke(app, final).exit_code == 0
    same = runner.invoke(app, ["compare", "2014", "2015", "--data", str(data)])
    assert "note:" not in same.stdout
    (data / "budgets" / "2014.yaml").write_text(
        "year: 2014\nlines:\n  - {name: Lön, amount: 9900}\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", "2014", "2015", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        f"note: the fees of 2014 computed today differ from the decision of 2013-11-01 "
        f"({data / 'decisions' / '2014.json'}); this report shows the computed fees")


def test_compare_like_for_like_2014_2015_on_the_shipped_data(shipped_data: Path,
                                                              runner: CliRunner,
                                                              tmp_path: Path) -> None:
    """2014 is a part year (261 days) lowered by 120 000 kr of project funds: the total to pay
    rises 74,72 %, the cost per inhabitant and full year falls."""
    result = runner.invoke(app, ["compare", "2014", "2015", "--data", str(shipped_data),
                                 "--json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["total"]["a"], out["total"]["b"]) == (517957, 905000)
    pop_a = sum(m["a"]["population"] for m in out["members"])
    pop_b = sum(m["b"]["population"] for m in out["members"])
    assert (pop_a, pop_b) == (661665, 683183)
    # the year's costs before funding, for a full year, per inhabitant of the members
    like_a = (Fraction(517957) + 120000) * Fraction(365, 261) / pop_a
    like_b = Fraction(905000) / pop_b
    change = (like_b - like_a) / like_a * 100

    def two(value: Fraction) -> str:
        hundredths = value * 100
        whole = -((-hundredths.numerator * 2 + hundredths.denominator)
                  // (2 * hundredths.denominator)) if hundredths < 0 else (
            (hundredths.numerator * 2 + hundredths.denominator) // (2 * hundredths.denominator))
        return str(Decimal(whole).scaleb(-2))

    assert (two(like_a), two(like_b), two(change)) == ("1.35", "1.32", "-1.76")
    facts = out["years_facts"]
    assert [f["cost_per_inhabitant"] for f in facts] == ["1.35", "1.32"]
    assert [f["cost_before_funding"] for f in facts] == ["637957.00", "905000.00"]
    assert [f["population"] for f in facts] == ["661665.00", "683183.00"]
    assert out["total"]["change_percent"] == "74.72"
    assert out["total"]["like_for_like_change_percent"] == "-1.76"

    headline_sv = ("Förändring av totalen att betala: +74,72\u00a0% (2014 är ett delår: 261 dagar, "
                   "och hade 120\u00a0000\u00a0kr i finansiering); jämförbart per invånare och "
                   "helår: −1,76\u00a0% (2014: 1,35\u00a0kr, 2015: 1,32\u00a0kr).")
    table = runner.invoke(app, ["compare", "2014", "2015", "--data", str(shipped_data),
                                "-o", str(tmp_path / "sv.xlsx")])
    assert table.exit_code == 0, table.stderr
    assert "jämförbart per invånare och helår: −1,76" in table.stdout
    ws = load_workbook(tmp_path / "sv.xlsx").active
    assert ws["A4"].value == headline_sv
    assert ws["A4"].font.b
    notes = [str(c.value) for c in ws["A"] if c.value]
    assert notes[-2].startswith("Jämförbart per invånare och helår = årets kostnader före "
                                "finansiering (avgifternas total + finansieringen)")

    english = runner.invoke(app, ["compare", "2014", "2015", "--data", str(shipped_data),
                                  "--lang", "en", "-o", str(tmp_path / "en.xlsx")])
    assert english.exit_code == 0, english.stderr
    ws = load_workbook(tmp_path / "en.xlsx").active
    assert ws["A4"].value == (
        "Change of the total to pay: +74.72\u00a0% (2014 is a part year: 261 days, and had "
        "120,000\u00a0kr of funding); like for like per inhabitant and full year: -1.76\u00a0% "
        "(2014: 1.35\u00a0kr, 2015: 1.32\u00a0kr).")


def test_compare_prints_on_a4_landscape_one_page_wide(shipped_data: Path, runner: CliRunner,
                                                       tmp_path: Path) -> None:
    """Every language: A4 landscape, fit to one page wide (any number down), the table's
    columns narrow enough to print at a readable scale, headers wrapped."""
    for lang in ("sv", "en"):
        target = tmp_path / f"{lang}.xlsx"
        result = runner.invoke(app, ["compare", "2014", "2015", "--data", str(shipped_data),
                                     "--lang", lang, "-o", str(target)])
        assert result.exit_code == 0, result.stderr
        wb = load_workbook(target)
        for ws in wb.worksheets:
            assert ws.page_setup.orientation == "landscape"
            assert int(ws.page_setup.paperSize) == 9
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            # one page wide (1 is the attribute's default, so it may be left out), any down
            assert ws.page_setup.fitToWidth in (None, 1)
            assert ws.page_setup.fitToHeight == 0
            assert ws.print_area == f"'{ws.title}'!$A$1:$M${ws.max_row}"
            widths = [dim.width for dim in ws.column_dimensions.values()
                      for _ in range(dim.min, dim.max + 1)]
            assert len(widths) == 13
            # A4 landscape holds about 140 characters at 100 %: the table (stored widths carry
            # the file format's 0.71 of padding each) stays near that, printing above 85 %
            assert sum(widths) <= 155, widths
            assert all(ws.cell(row=5, column=c).alignment.wrap_text for c in range(1, 14))
