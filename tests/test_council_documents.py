"""What every council document states (reference 9): a decided year's workbooks name the
decision they rest on, an undecided one says Förslag; every sheet of every workbook has its
page frame; money carried in is one story across Budget, Metod, table and chart."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination import __version__
from koordination.cli.app import app
from tests.conftest import EXAMPLES

FRAME_LEFT = f"Underlag framtaget med kn {__version__}"


def example(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns("reports",
                                                                          "decisions"))
    return target


def every_sheet_framed(path: Path, status: str) -> None:
    wb = load_workbook(path)
    for ws in wb.worksheets:
        assert ws.oddHeader.center.text, (path.name, ws.title)
        assert ws.oddHeader.center.font == "Calibri,Bold", (path.name, ws.title)
        assert ws.oddHeader.right.text == status, (path.name, ws.title)
        assert ws.oddFooter.left.text == FRAME_LEFT, (path.name, ws.title)
        assert ws.oddFooter.right.text == "Sida &P av &N", (path.name, ws.title)
        assert int(ws.page_setup.paperSize) == 9, (path.name, ws.title)


def test_every_workbook_of_a_decided_year_names_its_decision(shipped_data: Path,
                                                            runner: CliRunner) -> None:
    data = str(shipped_data)
    final = ["allocate", "2015", "--data", data, "--final", "--decided-by",
             "Kommunstyrelsen i Lidingö", "--decision-date", "2014-11-24", "--ref", "§ 123"]
    result = runner.invoke(app, final)
    assert result.exit_code == 0, result.stderr
    reports = shipped_data / "reports" / "2015"
    allocation = reports / "fordelning-2015.xlsx"
    line = "Beslut: Beslutad 2014-11-24 av Kommunstyrelsen i Lidingö, § 123"
    assert load_workbook(allocation)["Fördelning 2015"]["A3"].value == line
    every_sheet_framed(allocation, "Beslutad 2014-11-24")
    for command in (["settle", "2015"], ["invoices", "2015"],
                    ["settle", "2015", "--final", "--decided-by", "Kommunstyrelsen i Lidingö",
                     "--decision-date", "2016-03-21", "--ref", "§ 31", "-o",
                     str(shipped_data / "a.xlsx")],
                    ["invoices", "2015", "--settlement"]):
        result = runner.invoke(app, [*command, "--data", data])
        assert result.exit_code == 0, result.stderr
    settlement = reports / "avrakning-2015.xlsx"
    assert load_workbook(settlement)["Avräkning 2015"]["A3"].value == line
    every_sheet_framed(settlement, "Beslutad 2014-11-24")
    name = "fakturaunderlag-2015.xlsx"
    assert load_workbook(reports / name)["Sammanställning"]["A4"].value == line
    every_sheet_framed(reports / name, "Beslutad 2014-11-24")
    # settlement invoices rest on the settlement's own decision
    name = "fakturaunderlag-avrakning-2015.xlsx"
    assert load_workbook(reports / name)["Sammanställning"]["A4"].value == (
        "Beslut: Avräkningen beslutad 2016-03-21 av Kommunstyrelsen i Lidingö, § 31")
    every_sheet_framed(reports / name, "Avräkningen beslutad 2016-03-21")


def test_an_undecided_years_workbook_is_a_proposal(shipped_data: Path,
                                                   runner: CliRunner) -> None:
    result = runner.invoke(app, ["allocate", "2015", "--data", str(shipped_data), "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(shipped_data / "reports" / "2015" / "fordelning-2015.xlsx")
    assert wb["Allocation 2015"]["A3"].value == "Decision: Proposal – not decided"
    assert wb["Allocation 2015"]["D4"].value == "Cost of Koordination Norrort"
    assert [wb["Budget 2015"].cell(4, c).value for c in (3, 4, 5)] == [
        "Computation", "Yearly amount (kr)", "Amount for the period (kr)"]
    assert wb["Budget 2015"]["C5"].value == "480,000\u00a0kr × (1 + 38.46\u00a0%)"
    assert wb["Budget 2015"].row_dimensions[4].height >= 32  # two-line headers fit
    for ws in wb.worksheets:
        assert ws.oddHeader.right.text == "Proposal", ws.title
        assert ws.oddFooter.right.text == "Page &P of &N", ws.title


def test_a_revision_workbook_has_its_page_frame(shipped_data: Path, runner: CliRunner) -> None:
    data = str(shipped_data)
    assert runner.invoke(app, ["allocate", "2015", "--data", data, "--final"]).exit_code == 0
    budget = shipped_data / "budgets" / "2015.yaml"
    budget.write_text(budget.read_text(encoding="utf-8").replace("amount: 480000",
                                                                 "amount: 490000"),
                      encoding="utf-8")
    result = runner.invoke(app, ["allocate", "2015", "--data", data, "--revise"])
    assert result.exit_code == 0, result.stderr
    ws = load_workbook(shipped_data / "reports" / "2015" / "revidering-2015-1.xlsx").active
    assert ws.oddHeader.right.text == "Revision 1"
    assert ws.oddFooter.right.text == "Sida &P av &N"
    assert ws.print_title_rows == "$5:$5"
    # the allocation workbook of the same run rests on the new revision
    alloc = load_workbook(shipped_data / "reports" / "2015" / "fordelning-2015.xlsx")
    assert alloc["Fördelning 2015"]["A3"].value.startswith("Beslut: Reviderad (revision 1) ")


def test_carried_money_is_one_story(tmp_path: Path, runner: CliRunner) -> None:
    """Etablering Södertörn 2016: the fees 1 563 462 kr less the 2015 surplus 45 173 kr are
    the 1 518 289 kr the members pay; Budget, Metod, table and chart say so."""
    root = example("etablering-sodertorn", tmp_path)
    target = tmp_path / "a.xlsx"
    result = runner.invoke(app, ["allocate", "2016", "--data", str(root), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(target)
    budget = wb["Budget 2016"]
    rows = {budget.cell(r, 1).value: budget.cell(r, 5).value
            for r in range(1, budget.max_row + 1) if budget.cell(r, 1).value}
    assert rows["Att fördela på medlemmarna"] == 1563462
    assert rows["Avräkning 2015 som räknas in (överskott −, underskott +)"] == -45173
    last = max(r for r in range(1, budget.max_row + 1)
               if budget.cell(r, 1).value == "Att betala för medlemmarna")
    assert budget.cell(last, 5).value == f"=E{last - 2}+E{last - 1}"
    assert budget["C5"].value == "540\u00a0000\u00a0kr × (1 + 38,46\u00a0%)"
    assert budget["C7"].value == "550\u00a0kr/h × 4\u00a0h/mån × 12"
    assert budget["D4"].value == "Belopp helår (kr)"
    method = [c.value for c in wb["Metod"]["A"] if c.value]
    assert ("Avräkningen för 2015 förs över till 2016: varje kommuns del av 2015 års överskott "
            "räknas av från (underskott läggs på) dess avgift. Avgifterna 2016 är "
            "1\u00a0563\u00a0462 kr, avräkningen −45\u00a0173 kr, och medlemmarna betalar "
            "1\u00a0518\u00a0289 kr. "
            "Kolumnen Att betala är Avgift + Avräkning 2015, och diagrammet visar Att "
            "betala.") in method
    ws = wb["Fördelning 2016"]
    assert [ws.cell(4, c).value for c in (5, 6)] == ["Avräkning 2015", "Att betala"]
    assert ws.column_dimensions["H"].hidden and ws.column_dimensions["I"].hidden
    assert ws["H5"].value == "=A7"  # the chart's helper data, largest first: Huddinge
    with zipfile.ZipFile(target) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "Att betala per kommun 2016 (avgift och avräkning 2015)</a:t>" in chart
    assert "plotVisOnly" not in chart  # absent: the hidden helper columns are plotted
    assert "majorGridlines" not in chart  # no lines through the value labels
    assert ws["A1"].font.name == "Calibri" and ws["A4"].font.name == "Calibri"
    assert "'Fördelning 2016'!$I$5:$I$14</c:f>" in chart
