"""The council workbook: the sorted cost chart and the print setup of every sheet."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination import __version__
from koordination.cli.app import app

C = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}


def allocate(data: Path, out: Path, runner: CliRunner, *extra: str) -> Path:
    result = runner.invoke(app, ["allocate", "2015", "--data", str(data), "-o", str(out), *extra])
    assert result.exit_code == 0, result.stderr
    return out


def fees(data: Path, runner: CliRunner) -> dict[str, int]:
    result = runner.invoke(app, ["allocate", "2015", "--data", str(data), "--json"])
    return {m["kommun"]: m["amount"] for m in json.loads(result.stdout)["members"]}


def test_chart_plots_cost_per_municipality_sorted(shipped_data: Path, runner: CliRunner,
                                                   tmp_path: Path) -> None:
    out = allocate(shipped_data, tmp_path / "f.xlsx", runner)
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert charts == ["xl/charts/chart1.xml"]
        xml = z.read(charts[0]).decode()
    chart = ElementTree.fromstring(xml)
    bar = chart.find(".//c:barChart", C)
    assert bar is not None and bar.find("c:barDir", C).get("val") == "bar"  # type: ignore[union-attr]
    (series,) = bar.findall("c:ser", C)
    assert series.findtext("c:cat//c:f", namespaces=C) == "'Fördelning 2015'!$F$5:$F$19"
    assert series.findtext("c:val//c:f", namespaces=C) == "'Fördelning 2015'!$G$5:$G$19"
    texts = [t.text for t in chart.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}t")]
    assert texts == ["Kostnad per kommun 2015", "Kronor"]
    value_axis = chart.find(".//c:valAx", C)
    assert value_axis.find("c:numFmt", C).get("formatCode") == "#,##0"  # type: ignore[union-attr]
    assert value_axis.find("c:delete", C) is None  # shown: the values under the bars
    assert chart.find(".//c:catAx/c:scaling/c:orientation", C).get("val") == "maxMin"  # type: ignore[union-attr]
    assert value_axis.find("c:crosses", C).get("val") == "max"  # type: ignore[union-attr]
    ws = load_workbook(out)["Fördelning 2015"]
    table = {ws.cell(r, 1).value: ws.cell(r, 4).value for r in range(5, 20)}
    assert table == fees(shipped_data, runner)
    bars = []
    for r in range(5, 20):
        name_ref, cost_ref = ws.cell(r, 6).value, ws.cell(r, 7).value
        row = int(name_ref[2:])
        assert name_ref == f"=A{row}" and cost_ref == f"=D{row}"
        bars.append((ws.cell(row, 1).value, ws.cell(row, 4).value))
    assert [cost for _, cost in bars] == sorted(table.values(), reverse=True)
    assert bars[0] == ("Solna", 98081) and bars[-1] == ("Vaxholm", 15007)
    assert ws.cell(20, 1).value == "Totalt" and ws.cell(20, 1).font.b
    assert ws.cell(20, 4).value == "=SUM(D5:D19)" and ws.cell(20, 4).font.b
    assert ws.cell(4, 1).fill.fgColor.rgb == "FFDDE5F0"
    assert ws.cell(7, 4).border.left.style == "thin"
    assert ws.cell(7, 4).number_format == '#,##0" kr";−#,##0" kr";0" kr"'  # unit on each


def test_every_sheet_prints_on_a4_one_page_wide(shipped_data: Path, runner: CliRunner,
                                                 tmp_path: Path) -> None:
    wb = load_workbook(allocate(shipped_data, tmp_path / "f.xlsx", runner))
    assert wb.sheetnames == ["Fördelning 2015", "Budget 2015", "Underlag", "Metod"]
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        # one page wide (fitToWidth left out: 1 is its default), as many pages down as it takes
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddHeader.center.text == "Koordination Norrort 2015"
        assert ws.oddHeader.center.font == "Calibri,Bold"
        assert ws.oddFooter.left.text == f"Underlag framtaget med kn {__version__}"
        assert ws.oddFooter.right.text == "Sida &P av &N"
    orientation = [ws.page_setup.orientation for ws in wb.worksheets]
    assert orientation == ["portrait", "portrait", "landscape", "portrait"]
    first = wb["Fördelning 2015"]
    assert first.print_title_rows == "$4:$4"
    assert re.fullmatch(r"'Fördelning 2015'!\$A\$1:\$D\$\d+", first.print_area)


def test_header_text_doubles_ampersands(make_data, runner: CliRunner, tmp_path: Path) -> None:
    data = make_data(
        network="""
            name: Väst & Norr
            administrator: Danderyd
            members: [{kommun: Danderyd}, {kommun: Täby}]
        """,
        budgets={2015: "year: 2015\nlines: [{group: A, name: B, amount: 1000}]\n"},
        populations={"2014-12-31": {"0162": 100, "0160": 300}},
    )
    ws = load_workbook(allocate(data, tmp_path / "f.xlsx", runner, "--lang", "en")).worksheets[0]
    assert ws.oddHeader.center.text == "Väst && Norr 2015"
    assert ws.oddFooter.right.text == "Page &P of &N"
    assert ws.oddFooter.left.text == f"Prepared with kn {__version__}"
