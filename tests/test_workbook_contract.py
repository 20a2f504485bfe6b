"""What every workbook kn writes promises (reference: workbooks): formulas carry their
values, no path of the machine, the same bytes however the data directory was named, one
sign for carried money, page headers within Excel's limit, A4 one page wide."""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def invoke(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def example(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target,
                    ignore=shutil.ignore_patterns("reports", "decisions"))
    return target


def formula_values(path: Path) -> dict[tuple[str, str], object]:
    """Every formula cell (sheet, cell) with the value stored beside it."""
    formulas = load_workbook(path)
    values = load_workbook(path, data_only=True)
    found = {}
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found[ws.title, cell.coordinate] = values[ws.title][cell.coordinate].value
    return found


def workbooks(runner: CliRunner, shipped: Path, tmp_path: Path) -> dict[str, tuple[Path, dict]]:
    """One workbook of every kind, each with the JSON kn prints for the same run."""
    data = str(shipped)
    out: dict[str, tuple[Path, dict]] = {}

    def both(kind: str, *args: str) -> None:
        target = tmp_path / f"{kind}.xlsx"
        out[kind] = (target, json.loads(invoke(runner, *args, "-o", str(target), "--json")))

    both("allocation", "allocate", "2015", "--data", data)
    both("settlement", "settle", "2015", "--data", data)
    both("compare", "compare", "2014", "2015", "--data", data)
    plan = example("koordination-norrort-plan", tmp_path)
    both("plan", "plan", "2016", "--data", str(plan))
    invoke(runner, "allocate", "2015", "--data", data, "--final", "--decision-date",
           "2014-11-20")
    both("invoices", "invoices", "2015", "--data", data, "--invoice-date", "2016-01-15")
    both("report", "report", "2015", "--data", data)
    forecast = example("etablering-sodertorn", tmp_path)
    both("forecast", "settle", "2016", "--data", str(forecast))
    budget = shipped / "budgets" / "2015.yaml"
    budget.write_text(budget.read_text(encoding="utf-8").replace("amount: 480000",
                                                                 "amount: 490000"),
                      encoding="utf-8")
    invoke(runner, "allocate", "2015", "--data", data, "--revise", "--decision-date",
           "2015-02-02", "--ref", "§ 3")
    record = shipped / "decisions" / "2015.rev1.json"
    out["revision"] = (shipped / "reports" / "2015" / "revidering-2015-1.xlsx",
                       json.loads(record.read_text(encoding="utf-8")))
    return out


Books = tuple[Path, dict[str, tuple[Path, dict]]]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Books:
    """One workbook of every kind, made once for the tests that read them (none writes):
    the folder they were made in, and the workbooks with their JSON."""
    tmp_path = tmp_path_factory.mktemp("contract")
    shipped = tmp_path / "data"
    shutil.copytree(EXAMPLES.parent / "data", shipped,
                    ignore=shutil.ignore_patterns("reports", "decisions"))
    return tmp_path, workbooks(CliRunner(), shipped, tmp_path)


def test_every_formula_carries_the_value_kn_computed(made: Books) -> None:
    _, books = made
    values = {kind: formula_values(path) for kind, (path, _) in books.items()}
    for kind, found in values.items():
        assert found or kind == "report", kind
        assert all(v is not None for v in found.values()), (kind, found)
    alloc_values = values["allocation"]
    alloc = books["allocation"][1]
    assert alloc_values["Fördelning 2015", "D20"] == alloc["total"] == 905000
    assert alloc_values["Fördelning 2015", "B20"] == sum(
        m["population"] for m in alloc["members"])
    assert alloc_values["Budget 2015", "E17"] == 905000
    settle_values = values["settlement"]
    settled = books["settlement"][1]
    assert settle_values["Avräkning 2015", "B20"] == settled["charged"]
    assert settle_values["Avräkning 2015", "D20"] == settled["difference"]
    compare_values = values["compare"]
    compared = books["compare"][1]
    total_row = 6 + len(compared["members"])
    assert compare_values["Jämförelse 2014–2015", f"F{total_row}"] == compared["total"]["a"]
    assert compare_values["Jämförelse 2014–2015", f"G{total_row}"] == compared["total"]["b"]
    assert compare_values["Jämförelse 2014–2015", f"H{total_row}"] == compared["total"]["change"]
    plan_values = values["plan"]
    planned = books["plan"][1]
    plan_sheet = load_workbook(books["plan"][0]).worksheets[0]
    plan_total = next(r for r in range(1, plan_sheet.max_row + 1)
                      if plan_sheet.cell(r, 1).value == "Totalt")
    assert [plan_values[plan_sheet.title, f"{c}{plan_total}"] for c in "BCD"] == [
        planned["total"][str(y)] for y in planned["years"]]
    invoice_values = values["invoices"]
    invoiced = books["invoices"][1]
    summary = [v for (sheet, _), v in invoice_values.items() if sheet == "Sammanställning"]
    assert summary[-1] == 905000  # Totalt: every basis, the own share included
    first = invoiced["invoices"][0]  # Danderyd: its sheet's "Att betala" is the amount
    sheet = load_workbook(books["invoices"][0]).sheetnames[1]
    assert sheet == "Danderyd" and first["recipient"]["kommunkod"] == "0162"
    assert first["amount"] in [v for (s, _), v in invoice_values.items() if s == sheet]
    forecast_values = values["forecast"]
    forecast = books["forecast"][1]
    assert forecast_values["Prognos 2016", "B15"] == forecast["charged"] == 1563462
    assert forecast_values["Prognos 2016", "D15"] == forecast["difference"]
    revision_values = values["revision"]
    revised = books["revision"][1]
    total_row = 6 + len(revised["members"])
    assert [revision_values["Revidering 2015 nr 1", f"{c}{total_row}"] for c in "CDE"] == [
        revised["decided_total"], revised["total"], revised["difference"]] == [
        905000, 918846, 13846]
    # the report stores every figure as a value: none for a reader to recalculate
    report = load_workbook(books["report"][0], data_only=True)["Rapport 2015"]
    reported = books["report"][1]
    figures = {report.cell(r, 1).value: [report.cell(r, c).value for c in range(2, 6)]
               for r in range(1, report.max_row + 1)}
    assert figures["Nettokostnad"][:3] == [float(reported["net"][k])
                                           for k in ("budget", "outcome", "variance")]
    fees = next(v for k, v in figures.items() if str(k).startswith("Debiterade avgifter 2015"))
    assert fees[0] == reported["fees"]["total"] == 905000
    assert figures["Totalt"] == [reported["fees"]["total"], reported["settlement"]["difference"],
                                 reported["one_off"], reported["settlement"]["total"]]


def test_no_path_of_the_machine_in_any_output(made: Books) -> None:
    tmp_path, books = made
    for kind, (path, payload) in books.items():
        with zipfile.ZipFile(path) as archive:
            text = "".join(archive.read(n).decode("utf-8", "replace")
                           for n in archive.namelist())
        for root in (str(tmp_path / "data"), str(tmp_path), str(Path.home())):
            assert root not in text, kind
            assert root not in json.dumps(payload, ensure_ascii=False), kind
    basis = load_workbook(books["allocation"][0])["Underlag"]
    texts = [c.value for row in basis.iter_rows() for c in row if isinstance(c.value, str)]
    assert "budgets/2015.yaml" in texts and "populations/2014-12-31.csv" in texts
    assert texts[texts.index("Datakatalog") + 1] == "data"  # the folder by its name
    forecast = load_workbook(books["forecast"][0])["Underlag"]
    texts = [c.value for row in forecast.iter_rows() for c in row if isinstance(c.value, str)]
    assert "actuals/2016.yaml" in texts and "populations/2015-12-31.csv" in texts
    assert texts[texts.index("Datakatalog") + 1] == "etablering-sodertorn"


def test_summary_figures_carry_their_unit_and_a_true_minus(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    """Etablering Södertörn 2015: the figures under the settlement's table read as the
    table's, −1 563 462 kr, not -1,563,462.00 (and öre on every line when one has öre)."""
    root = example("etablering-sodertorn", tmp_path)
    target = tmp_path / "s.xlsx"
    invoke(runner, "settle", "2015", "--data", str(root), "-o", str(target))
    ws = load_workbook(target)["Avräkning 2015"]
    summary = {ws.cell(r, 1).value: ws.cell(r, 4) for r in range(17, 26)
               if ws.cell(r, 4).value is not None}
    assert summary["Debiterade avgifter 2015"].value == -1563462
    assert summary["Skillnad att fördela"].value == -45173
    assert {c.number_format for c in summary.values()} == {'#,##0" kr";−#,##0" kr";0" kr"'}


def test_same_bytes_however_the_data_directory_is_named(
        shipped_data: Path, runner: CliRunner, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    link = tmp_path / "link"
    spellings = [[str(shipped_data)], ["data"], ["./data/"], []]
    try:
        link.symlink_to(shipped_data, target_is_directory=True)
        spellings.append([str(link)])
    except OSError:  # Windows without the right to make links
        pass
    monkeypatch.chdir(tmp_path)
    for command in (["allocate", "2015"], ["settle", "2015"], ["compare", "2014", "2015"]):
        made = []
        for i, spelling in enumerate(spellings):
            target = tmp_path / f"{command[0]}-{i}.xlsx"
            args = [*command, "-o", str(target)]
            if spelling:
                args += ["--data", spelling[0]]
                monkeypatch.delenv("KN_DATA", raising=False)
            else:
                monkeypatch.setenv("KN_DATA", str(shipped_data))
            invoke(runner, *args)
            made.append(target.read_bytes())
        assert all(content == made[0] for content in made), command
    with zipfile.ZipFile(tmp_path / "allocate-0.xlsx") as archive:
        core = archive.read("docProps/core.xml").decode()
    assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2015-01-01T00:00:00Z" in core


def test_carried_money_has_one_sign(tmp_path: Path, runner: CliRunner) -> None:
    """Negative: the member pays less. Botkyrka's share of the 2015 surplus is −6 661 kr in
    the settlement sheet, its JSON and the 2016 annex alike."""
    root = example("etablering-sodertorn", tmp_path)
    settled = json.loads(invoke(runner, "settle", "2015", "--data", str(root), "-o",
                                str(tmp_path / "s.xlsx"), "--json"))
    botkyrka = next(m for m in settled["members"] if m["kommun"] == "Botkyrka")
    assert botkyrka["carried_forward"] == -6661
    ws = load_workbook(tmp_path / "s.xlsx")["Avräkning 2015"]
    column = [c.value for c in ws[4]].index("Flyttas till avgiften 2016 (kr)") + 1
    row = next(r for r in range(5, 20) if ws.cell(r, 1).value == "Botkyrka")
    assert ws.cell(row, column).value == -6661
    annex = json.loads(invoke(runner, "allocate", "2016", "--data", str(root), "--json"))
    assert next(m["carried"] for m in annex["members"] if m["kommun"] == "Botkyrka") == -6661


def test_page_header_within_excels_limit_however_long_the_name(
        make_data, runner: CliRunner, tmp_path: Path) -> None:
    name = "Samordningsförbundet & " + "mycket långt namn " * 14
    data = make_data(
        network=f"""
            name: {name.strip()}
            administrator: Danderyd
            members: [{{kommun: Danderyd}}, {{kommun: Täby}}]
        """,
        budgets={2015: "year: 2015\nlines: [{group: A, name: B, amount: 1000}]\n"},
        populations={"2014-12-31": {"0162": 100, "0160": 300}},
    )
    target = tmp_path / "f.xlsx"
    invoke(runner, "allocate", "2015", "--data", str(data), "-o", str(target))
    with zipfile.ZipFile(target) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist()
                  if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
    assert len(sheets) == 4
    for xml in sheets:
        for part in re.findall(r"<(?:oddHeader|oddFooter)>(.*?)</", xml):
            text = part.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
            assert len(text) <= 255
        header = re.search(r"<oddHeader>(.*?)</oddHeader>", xml)
        assert header and "…" in header.group(1)  # shortened, not dropped
    ws = load_workbook(target).worksheets[0]
    assert ws["A1"].value.endswith(f"{name.strip()} 2015")  # whole in the title


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_sheet_of_every_workbook_is_a4_one_page_wide(
        shipped_data: Path, runner: CliRunner, tmp_path: Path, lang: str) -> None:
    os.environ.pop("KN_DATA", None)
    data = str(shipped_data)
    targets = []
    for kind, args in (("a", ["allocate", "2015"]), ("s", ["settle", "2015"]),
                       ("c", ["compare", "2014", "2015"])):
        target = tmp_path / f"{kind}-{lang}.xlsx"
        invoke(runner, *args, "--data", data, "--lang", lang, "-o", str(target))
        targets.append(target)
    landscape = {"Underlag", "Basis", "Jämförelse 2014–2015", "Comparison 2014–2015"}
    for target in targets:
        for ws in load_workbook(target).worksheets:
            assert int(ws.page_setup.paperSize) == 9, ws.title
            assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
            expected = "landscape" if ws.title in landscape else "portrait"
            assert ws.page_setup.orientation == expected, ws.title


def test_a_long_decision_line_wraps_within_the_annex(shipped_data: Path,
                                                     runner: CliRunner) -> None:
    """The annex's decision line is wrapped across the table's width, never cut at its
    edge ("…§ 12, d")."""
    invoke(runner, "allocate", "2015", "--data", str(shipped_data), "--final",
           "--decided-by", "Styrgruppen för Koordination Norrort vid sammanträde",
           "--decision-date", "2014-11-20", "--ref", "§ 12, dnr KS 2014/123")
    ws = load_workbook(shipped_data / "reports" / "2015" / "fordelning-2015.xlsx").worksheets[0]
    assert ws["A3"].value.endswith("§ 12, dnr KS 2014/123")
    assert "A3:D3" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A3"].alignment.wrap_text and ws.row_dimensions[3].height >= 32


def test_each_plan_year_starts_a_page_with_its_header(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    """The plan's budget sheet: a year's block never begins at the foot of a page and goes
    on, without its header, on the next."""
    root = example("koordination-norrort-plan", tmp_path)
    target = tmp_path / "p.xlsx"
    invoke(runner, "plan", "2016", "--data", str(root), "-o", str(target))
    ws = load_workbook(target).worksheets[2]
    starts = [r for r in range(1, ws.max_row + 1)
              if str(ws.cell(r, 1).value).startswith(("Budget 2016:", "Plan 2017", "Plan 2018"))]
    assert len(starts) == 3
    assert [b.id for b in ws.row_breaks.brk] == [r - 1 for r in starts[1:]]
    assert all(ws.cell(r + 1, 1).value == "Grupp" for r in starts)


def test_the_settlement_basis_header_has_room_for_its_wrapped_headings(
        shipped_data: Path, runner: CliRunner, tmp_path: Path) -> None:
    """Underlag's "Befolkningsmängd (2014-12-31)" wraps to two lines: the row is as tall."""
    target = tmp_path / "s.xlsx"
    invoke(runner, "settle", "2015", "--data", str(shipped_data), "-o", str(target))
    ws = load_workbook(target)["Underlag"]
    assert ws["C3"].value == "Befolkningsmängd (2014-12-31)"
    assert ws.row_dimensions[3].height >= 32  # two lines (XlsxWriter rounds to pixels)
