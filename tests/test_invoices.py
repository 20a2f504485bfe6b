"""Invoice bases: one per member but the administrator, amounts equal to the allocation,
credit notes for refunds."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.invoices import InvoiceItem, build_invoices, reference
from koordination.io.network import load_network
from koordination.render.xlsx.invoices import invoices_workbook, single_invoice_workbook

NETWORK = """
    name: Norrort
    administrator:
      - {kommun: Danderyd}
      - {kommun: Täby, from: 2015-07-01}
    payment_days: 20
    members:
      - {kommun: Danderyd, orgnr: "212000-0142"}
      - {kommun: Täby, orgnr: "212000-2940"}
      - {kommun: Vaxholm}
"""


def column(ws, col: int, first: int = 1) -> list[object]:  # type: ignore[no-untyped-def]
    return [ws.cell(r, col).value for r in range(first, ws.max_row + 1)]


def decide(runner: CliRunner, data: str, year: str = "2015", *more: str) -> None:
    result = runner.invoke(app, ["allocate", year, "--data", data, "--final",
                                 "--decision-date", "2014-11-24", *more])
    assert result.exit_code == 0, result.stderr


def test_shipped_2015_gives_14_invoices_and_the_own_share(
    shipped_data: Path, runner: CliRunner
) -> None:
    data = str(shipped_data)
    decide(runner, data)
    allocation = json.loads(runner.invoke(app, ["allocate", "2015", "--data", data,
                                                 "--json"]).stdout)
    fees = {m["kommunkod"]: m["amount"] for m in allocation["members"]}
    result = runner.invoke(app, ["invoices", "2015", "--data", data,
                                 "--invoice-date", "2015-01-20"])
    assert result.exit_code == 0, result.stderr
    out = shipped_data / "reports" / "2015" / "fakturaunderlag-2015.xlsx"
    assert f"Sparad: {out}" in result.stdout
    wb = load_workbook(out)
    assert len(wb.sheetnames) == 1 + 14 + 1
    assert wb.sheetnames[0] == "Sammanställning"
    assert wb.sheetnames[1:3] == ["Danderyd", "Ekerö"]
    assert wb.sheetnames[-1] == "Lidingö (egen andel)"
    summary = wb["Sammanställning"]
    assert [c.value for c in summary[6]] == [
        "Referens", "Typ", "Mottagare", "Org.nr", "OCR-nummer", "Belopp (kr)", "Fakturadatum",
        "Förfallodatum", "Krediterar faktura"]
    assert summary["A4"].value == "Beslut: Beslutad 2014-11-24"
    rows = {summary.cell(r, 1).value or "own": (summary.cell(r, 2).value,
                                                summary.cell(r, 6).value)
            for r in range(7, 22)}
    assert {ref[-4:]: amount for ref, (_, amount) in rows.items() if ref != "own"} == {
        code: amount for code, amount in fees.items() if code != "0186"}
    assert rows["own"] == ("Egen andel (ingen faktura)", 60227)
    assert rows["KN-2015-0115"] == ("Faktura", 42349)
    assert [summary.cell(r, 1).value for r in (22, 23, 24)] == [
        "Att fakturera", "Egen andel", "Totalt"]
    assert summary["F22"].value == "=SUM(F7:F20)"  # the invoiced rows: all but the own share
    assert summary["F24"].value == "=SUM(F7:F21)"
    assert summary["A26"].value == ("Momsfritt: kostnadsfördelning inom kommunal samverkan, "
                                    "ingen moms tillkommer.")
    assert sum(fees.values()) == 905000 == allocation["total"]
    assert sum(v for k, v in fees.items() if k != "0186") == 844773
    for code, amount in fees.items():
        name = next(m["kommun"] for m in allocation["members"] if m["kommunkod"] == code)
        ws = wb[name if code != "0186" else "Lidingö (egen andel)"]
        cells = dict(zip(column(ws, 1), column(ws, 2), strict=True))
        assert cells["Beslut"] == "Beslutad 2014-11-24"
        if code == "0186":
            # the own share is no invoice: nothing the buyer needs is asked for
            assert not any("saknas" in str(v) for v in column(ws, 1) + column(ws, 2))
            assert "Referens" not in cells  # not an invoice: no number
            assert cells["Kommun"] == "Lidingö stad"
            assert "Förfallodatum" not in cells and "Fakturadatum" not in cells
            assert ws["A1"].value == "Förvaltande kommuns egen andel – ingen faktura"
            assert "Mottagare" not in cells
        else:
            # what network.yaml lacks is printed as missing, never left out silently
            for detail in ("Organisationsnummer", "OCR-nummer", "Er referens", "Bankgiro",
                           "Fakturaadress", "Avsändarens adress", "Vår referens"):
                assert cells[detail] == "saknas", detail
            assert cells["Fakturanummer"] == f"KN-2015-{code}"
            assert cells["Avsändare (förvaltande kommun)"] == "Lidingö stad"
            assert cells["Fakturadatum"] == datetime(2015, 1, 20)
            assert cells["Förfallodatum"] == datetime(2015, 2, 19)
            assert ws["A1"].value == "Fakturaunderlag"
        assert ws.oddHeader.right.text == "Beslutad 2014-11-24"
        assert ws.oddFooter.right.text == "Sida &P av &N"
        fee_row = column(ws, 1).index("Avgift Koordination Norrort 2015") + 1
        assert ws.cell(fee_row, 4).value == amount
    danderyd = wb["Danderyd"]
    heads = dict(zip(column(danderyd, 1), column(danderyd, 2), strict=True))
    assert heads["Mottagare"] == "Danderyds kommun"
    steps = {a: d for a, d in zip(column(danderyd, 1), column(danderyd, 4), strict=True) if a}
    assert steps["Att fördela mellan medlemmarna"] == 905000
    assert steps["Kommunens befolkning (2014-12-31)"] == 32295
    assert steps["Medlemmarnas befolkning (2014-12-31)"] == 683183
    assert str(steps["Kommunens andel (avrundad)"]) == "0.0473"
    # 905 000 × 32 295 / 683 183 = 42 780.59, rounded up by 0.41 to the fee: it adds up
    exact = ("Exakt andel: att fördela × kommunens befolkning / medlemmarnas befolkning (kr)")
    assert steps[exact] == 42780.59
    assert steps["Avrundning (så att avgifterna summerar exakt till totalen)"] == 0.41
    first = column(danderyd, 1).index(exact) + 1
    assert danderyd.cell(first + 2, 4).value == f"=D{first}+D{first + 1}"
    assert danderyd.cell(first + 2, 1).value == "Avgift Koordination Norrort 2015"
    total_row = column(danderyd, 1).index("Att betala") + 1
    assert danderyd.cell(total_row, 4).value == f"=SUM(D{total_row - 1}:D{total_row - 1})"
    lines = result.stdout.splitlines()
    assert any("KN-2015-0115" in line and "Vallentuna" in line and "42\u00a0349\u00a0kr" in line
               for line in lines)
    assert any(line.startswith("│ Totalt") and "905\u00a0000\u00a0kr" in line for line in lines)


def test_same_invoice_date_same_bytes_and_split(shipped_data: Path, runner: CliRunner,
                                                tmp_path: Path) -> None:
    data = str(shipped_data)
    outputs = []
    for name, day in (("a", "2016-01-15"), ("b", "2016-01-15"), ("c", "2016-01-16")):
        out = tmp_path / f"{name}.xlsx"
        result = runner.invoke(app, ["invoices", "2015", "--data", data, "-o", str(out),
                                     "--invoice-date", day, "--draft"])
        assert result.exit_code == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] != outputs[2]
    decide(runner, data)
    result = runner.invoke(app, ["invoices", "2015", "--data", data, "--split",
                                 "--invoice-date", "2016-01-15", "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    folder = shipped_data / "reports" / "2015" / "fakturaunderlag-2015"
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 15
    assert "fakturaunderlag-2015-0117-osteraker.xlsx" in files
    assert "egen-andel-2015-0186-lidingo.xlsx" in files
    assert "Our reference" not in column(load_workbook(folder / files[0]).active, 1)
    assert f"15 files written to {folder}" in result.stdout
    ws = load_workbook(folder / "fakturaunderlag-2015-0187-vaxholm.xlsx").active
    assert ws.title == "Vaxholm" and ws["A1"].value == "Invoice basis"


def test_a_draft_summary_has_only_the_columns_a_draft_fills(shipped_data: Path,
                                                            runner: CliRunner,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "draft.xlsx"
    result = runner.invoke(app, ["invoices", "2015", "--data", str(shipped_data), "-o", str(out),
                                 "--invoice-date", "2016-01-15", "--draft"])
    assert result.exit_code == 0, result.stderr
    summary = load_workbook(out)["Sammanställning"]
    assert [c.value for c in summary[6]] == [
        "Typ", "Mottagare", "Org.nr", "Belopp (kr)", "Fakturadatum"]
    assert summary.max_column == 5
    assert [summary.cell(7, col).value for col in range(1, 6)] == [
        "Utkast till faktura", "Danderyds kommun", None, 42781, datetime(2016, 1, 15)]
    assert [summary.cell(r, 1).value for r in (22, 23, 24)] == [
        "Att fakturera", "Egen andel", "Totalt"]
    assert summary["D24"].value == "=SUM(D7:D21)"
    values = load_workbook(out, data_only=True)["Sammanställning"]
    assert [values.cell(r, 4).value for r in (22, 23, 24)] == [844773, 60227, 905000]
    # Typ, Mottagare, Org.nr (with Belopp, of the same width, in one range), Fakturadatum
    assert [summary.column_dimensions[c].width for c in "ABCE"] == pytest.approx(
        [25.71, 23.71, 13.71, 14.71], abs=0.01)


def test_bad_invoice_date_is_a_usage_error(shipped_data: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["invoices", "2015", "--data", str(shipped_data),
                                 "--invoice-date", "20-01-2016"])
    assert result.exit_code == 2
    assert not (shipped_data / "reports").exists()


def test_sender_is_the_administrator_at_the_end_of_the_period(make_data) -> None:  # type: ignore[no-untyped-def]
    root = make_data(network=NETWORK)
    network = load_network(root / "network.yaml")
    items = [InvoiceItem("0162", Decimal(100), "Avgift"),
             InvoiceItem("0160", Decimal(300), "Avgift"),
             InvoiceItem("0187", Decimal(50), "Avgift"),
             InvoiceItem("0187", Decimal(-20), "Avräkning")]
    first_half = build_invoices(network, 2015, date(2015, 1, 1), date(2015, 6, 30), items,
                                date(2015, 3, 1))
    assert [(b.sender.name, b.recipient.name, b.own_share) for b in first_half] == [
        ("Danderyd", "Täby", False), ("Danderyd", "Vaxholm", False),
        ("Danderyd", "Danderyd", True)]
    year = build_invoices(network, 2015, date(2015, 1, 1), date(2015, 12, 31), items,
                          date(2015, 3, 1))
    # drafts: no number, OCR or due date
    assert [(b.reference, b.ocr, b.due_date, b.draft) for b in year] == [
        (None, None, None, True)] * 3
    assert [b.recipient.code for b in year] == ["0162", "0187", "0160"]
    danderyd, vaxholm, taby = year
    assert taby.own_share and taby.due_date is None and taby.sender.orgnr == "212000-2940"
    assert danderyd.recipient.orgnr == "212000-0142" and vaxholm.recipient.orgnr is None
    assert vaxholm.total == Decimal(30) and len(vaxholm.lines) == 2
    assert reference(2015, "0115", suffix="-A") == "KN-2015-0115-A"


def test_refund_is_a_credit_note(make_data) -> None:  # type: ignore[no-untyped-def]
    network = load_network(make_data(network=NETWORK) / "network.yaml")
    items = [InvoiceItem("0162", Decimal("-1234.50"), "Återbetalning överskott 2015"),
             InvoiceItem("0187", Decimal("-200"), "Återbetalning överskott 2015"),
             InvoiceItem("0187", Decimal("500"), "Avvecklingskostnad")]
    bases = build_invoices(network, 2015, date(2015, 1, 1), date(2015, 12, 31), items,
                           date(2016, 2, 1), basis="settlement")
    bases = tuple(replace(b, reference=f"N-2015-{b.recipient.code}-A", draft=False,
                          corrects="N-2015-0162" if b.is_credit else None) for b in bases)
    credit = bases[0]
    assert credit.is_credit and credit.total == Decimal("-1234.50")
    assert credit.due_date is None and credit.corrects == "N-2015-0162"
    wb = load_workbook(io.BytesIO(invoices_workbook(bases, "Norrort", 2015, "sv")))
    assert wb.sheetnames == ["Sammanställning", "Danderyd", "Vaxholm"]
    summary = wb["Sammanställning"]
    assert [c.value for c in summary[7]] == [
        "N-2015-0162-A", "Kreditfaktura", "Danderyd", "212000-0142", None, -1234.5,
        datetime(2016, 2, 1), None, "N-2015-0162"]
    assert summary.cell(8, 2).value == "Faktura" and summary.cell(8, 6).value == 300
    assert summary.cell(7, 6).number_format == "#,##0.00;−#,##0.00;0.00"  # a true minus
    ws = wb["Danderyd"]
    cells = dict(zip(column(ws, 1), column(ws, 2), strict=True))
    assert ws["A1"].value == "Underlag för kreditfaktura"
    assert cells["Avsändare (förvaltande kommun)"] == "Täby"
    assert cells["Krediterar faktura"] == "N-2015-0162"
    assert "Förfallodatum" not in cells
    total_row = column(ws, 1).index("Att återfå") + 1
    assert ws.cell(total_row - 1, 4).value == Decimal("-1234.50")
    assert ws.cell(total_row, 4).value == f"=SUM(D{total_row - 1}:D{total_row - 1})"
    note = ("Kreditfaktura: krediterar faktura N-2015-0162. Beloppet betalas tillbaka till "
            "mottagaren eller kvittas mot nästa faktura; inget ska betalas.")
    assert note in column(ws, 1)
    english = load_workbook(io.BytesIO(single_invoice_workbook(credit, "Norrort", "en"))).active
    assert english["A1"].value == "Credit note basis"
    assert "To be credited" in column(english, 1)


SEGMENTS = """
    name: Halvår
    administrator: Danderyd
    members:
      - {kommun: Danderyd}
      - {kommun: Täby}
      - {kommun: Vaxholm, joined: 2016-07-01}
"""


def test_partial_member_shows_its_days_and_carried_is_a_line(make_data) -> None:  # type: ignore[no-untyped-def]
    from koordination.core.allocation import allocate
    from koordination.core.invoices import allocation_invoices
    from koordination.io.datadir import DataDir
    from koordination.jobs.allocation import run_allocation

    root = make_data(
        network=SEGMENTS,
        budgets={2016: "year: 2016\nlines: [{group: A, name: B, amount: 36600}]\n"},
        populations={"2015-12-31": {"0162": 100, "0160": 200, "0187": 100}},
    )
    alloc = run_allocation(DataDir(root), 2016).allocation
    assert {m.code: m.fee for m in alloc.members} == {
        "0162": Decimal(10667), "0160": Decimal(21333), "0187": Decimal(4600)}
    bases = allocation_invoices(alloc, date(2016, 4, 1), "Avgift", "Avräkning 2015")
    vaxholm = next(b for b in bases if b.recipient.code == "0187")
    (line,) = vaxholm.lines
    assert (line.days, line.population, line.population_total) == (184, 100, None)
    assert line.base == Decimal(36600) and line.amount == Decimal(4600)
    carried = allocate(alloc.plan, alloc.budget, {"0160": Decimal(-700), "0187": Decimal(250)})
    bases = allocation_invoices(carried, date(2016, 4, 1), "Avgift", "Avräkning 2015")
    assert sum(b.total for b in bases) == carried.amount_total == Decimal(36150)
    taby = next(b for b in bases if b.recipient.code == "0160")
    assert [(x.description, x.amount) for x in taby.lines] == [
        ("Avgift", Decimal(21333)), ("Avräkning 2015", Decimal(-700))]
    wb = load_workbook(io.BytesIO(invoices_workbook(bases, "Halvår", 2016, "sv")))
    ws = wb["Täby"]
    assert "Avräkning 2015" in column(ws, 1)
    assert "Dagar som medlem under perioden" in column(wb["Vaxholm"], 1)
    assert wb.sheetnames[-1] == "Danderyd (egen andel)"


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_settlement_invoices_equal_what_the_settlement_invoices(
    shipped_data: Path, runner: CliRunner
) -> None:
    data = str(shipped_data)
    decide(runner, data)
    assert runner.invoke(app, ["settle", "2015", "--data", data, "--final"]).exit_code == 0
    settled = json.loads(runner.invoke(app, ["settle", "2015", "--data", data, "--json"]).stdout)
    to_invoice = {m["kommunkod"]: m["amount"] for m in settled["members"]}
    result = runner.invoke(app, ["invoices", "2015", "--data", data, "--settlement",
                                 "--invoice-date", "2016-03-01"])
    assert result.exit_code == 0, result.stderr
    assert "KN-2015-0162-A" in result.stdout
    wb = load_workbook(shipped_data / "reports" / "2015" / "fakturaunderlag-avrakning-2015.xlsx")
    summary = wb["Sammanställning"]
    assert summary["A1"].value == "Fakturaunderlag avräkning Koordination Norrort 2015"
    rows = {summary.cell(r, 1).value or "own": summary.cell(r, 6).value for r in range(7, 22)}
    assert {ref[8:12] if ref != "own" else "0186": amount
            for ref, amount in rows.items()} == to_invoice
    assert all(ref.endswith("-A") for ref in rows if ref != "own")
    assert sum(rows.values()) == 151701 == settled["total"]
    danderyd = wb["Danderyd"]
    first = column(danderyd, 1).index("Avräkning Koordination Norrort 2015") + 1
    lines = [(danderyd.cell(r, 1).value, danderyd.cell(r, 4).value)
             for r in (first, first + 1, first + 2)]
    assert lines == [("Avräkning Koordination Norrort 2015", 1498),
                     ("Avvecklingskostnad strategtjänst (2015-11-30)", 5673),
                     ("Att betala", f"=SUM(D{first}:D{first + 1})")]


def test_a_leaving_members_refund_is_a_credit_note(tmp_path: Path, runner: CliRunner) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(EXAMPLES / "etablering-sodertorn-uttrade", data,
                    ignore=shutil.ignore_patterns("reports", "decisions"))
    decide(runner, str(data), "2016")
    fees = runner.invoke(app, ["invoices", "2016", "--data", str(data), "--invoice-date",
                               "2016-01-20"])
    assert fees.exit_code == 0, fees.stderr
    assert runner.invoke(app, ["settle", "2016", "--data", str(data), "--final"]).exit_code == 0
    result = runner.invoke(app, ["invoices", "2016", "--data", str(data), "--settlement",
                                 "--split", "--invoice-date", "2017-03-01"])
    assert result.exit_code == 0, result.stderr
    assert any("ES-2016-0140-A" in line and "Kreditfaktura" in line and "\u2212233\u00a0kr" in line
               for line in result.stdout.splitlines())
    assert any(line.startswith("│ Totalt") and "44\u00a0767\u00a0kr" in line
               for line in result.stdout.splitlines())
    folder = data / "reports" / "2016" / "fakturaunderlag-avrakning-2016"
    assert len(list(folder.iterdir())) == 10
    ws = load_workbook(folder / "kreditfaktura-2016-0140-nykvarn.xlsx").active
    assert ws["A1"].value == "Underlag för kreditfaktura"
    assert "Att återfå" in column(ws, 1)
    assert -233 in column(ws, 4)
    cells = dict(zip(column(ws, 1), column(ws, 2), strict=True))
    assert cells["Mottagare"] == "Nykvarns kommun"
    assert cells["Krediterar faktura"] == "ES-2016-0140 av 2016-01-20"
    assert "Förfallodatum" not in cells


def test_nothing_to_invoice_writes_nothing(tmp_path: Path, runner: CliRunner) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(EXAMPLES / "etablering-sodertorn", data,
                    ignore=shutil.ignore_patterns("reports", "decisions"))
    decide(runner, str(data))
    assert runner.invoke(app, ["settle", "2015", "--data", str(data), "--final", "-o",
                               str(tmp_path / "a.xlsx")]).exit_code == 0
    result = runner.invoke(app, ["invoices", "2015", "--data", str(data), "--settlement"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Inget att fakturera eller betala tillbaka för 2015.\n"
    assert not (data / "reports" / "2015" / "fakturaunderlag-avrakning-2015.xlsx").exists()
    assert not (data / "decisions" / "invoices-2015.json").exists()
