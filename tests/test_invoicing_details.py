"""Invoicing details (reference 8): legal names, references, sender details, checked org and
giro numbers, OCR references, the decision on every invoice, and ``kn invoices --json``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.invoices import check_digit, has_valid_check_digit
from koordination.core.ocr import document_ocr, ocr_problem
from tests.conftest import MakeData
from tests.small import POPULATIONS, budget

NETWORK = """
    name: Etablering Södertörn
    administrator: Österåker
    invoicing:
      prefix: es
      sender:
        bankgiro: "123-4566"
        address: "Österåkers kommun, 184 86 Åkersberga"
        contact: "Anna Andersson, 08-540 810 00"
    members:
      - kommun: Upplands Väsby
        legal_name: Upplands Väsby kommun
        orgnr: "212000-0076"
        reference: "UV-4711"
        address: "Upplands Väsby kommun, Fakturor, Box 1, 194 80 Upplands Väsby"
      - kommun: Vallentuna
        legal_name: Vallentuna kommun
      - kommun: Österåker
        legal_name: Österåkers kommun
        orgnr: "212000-0142"
"""


def cells(ws) -> dict[object, object]:  # type: ignore[no-untyped-def]
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}


def data_dir(make_data: MakeData, network: str = NETWORK) -> Path:
    return make_data(network=network, budgets={2015: budget(2015)}, populations=POPULATIONS)


def test_check_digit_is_the_mod_10_rule() -> None:
    # the worked examples: an org number, a bankgiro number
    assert check_digit("212000007") == 6 and has_valid_check_digit("212000-0076")
    assert check_digit("123456") == 6 and has_valid_check_digit("123-4566")
    assert not has_valid_check_digit("212000-0077")
    # Bankgirot's OCR: year, code, series, number, the length digit (13 % 10), check digit
    assert document_ocr(2015, "0114", "fee", False, 1) == "2015011400138"
    assert document_ocr(2015, "0114", "settlement", False, 1) == "2015011420136"
    assert ocr_problem("2015011400138") is None


@given(st.text("0123456789", min_size=1, max_size=20))
def test_an_ocr_with_its_check_digit_is_valid_and_one_changed_digit_is_not(digits: str) -> None:
    number = digits + str(check_digit(digits))
    assert has_valid_check_digit(number)
    first = int(number[0])
    changed = str((first + 1) % 10) + number[1:]
    assert not has_valid_check_digit(changed)


def test_a_wrong_org_number_or_giro_is_an_error(make_data: MakeData, runner: CliRunner) -> None:
    bad = (NETWORK.replace('"212000-0076"', '"123"').replace('"212000-0142"', '"212000-0143"')
           .replace('"123-4566"', '"123-4567"'))
    root = data_dir(make_data, bad)
    result = runner.invoke(app, ["invoices", "2015", "--data", str(root)])
    assert result.exit_code == 1
    file = root / "network.yaml"
    assert result.stderr.splitlines() == [
        f"error: {file}: members[0].orgnr: '123' is not an organisation number; write it "
        "NNNNNN-NNNN, e.g. 212000-0142",
        f"error: {file}: members[2].orgnr: '212000-0143' has the check digit 3, but its first "
        "nine digits give 2; check the number against the municipality's invoices",
        f"error: {file}: invoicing.sender.bankgiro: '123-4567' has a wrong check digit "
        "(mod 10); check the number",
    ]
    assert not (root / "reports").exists()


def decided(make_data: MakeData, runner: CliRunner) -> Path:
    root = data_dir(make_data)
    final = ["allocate", "2015", "--data", str(root), "--final", "--decision-date",
             "2014-11-20"]
    assert runner.invoke(app, final).exit_code == 0
    return root


def test_invoice_carries_the_details_the_buyer_needs(make_data: MakeData,
                                                      runner: CliRunner) -> None:
    root = decided(make_data, runner)
    result = runner.invoke(app, ["invoices", "2015", "--data", str(root), "--invoice-date",
                                 "2015-01-20"])
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(root / "reports" / "2015" / "fakturaunderlag-2015.xlsx")
    assert wb.sheetnames == ["Sammanställning", "Upplands Väsby", "Vallentuna",
                             "Österåker (egen andel)"]
    ws = wb["Upplands Väsby"]
    facts = cells(ws)
    assert facts["Avsändare (förvaltande kommun)"] == "Österåkers kommun"
    assert facts["Avsändarens adress"] == "Österåkers kommun, 184 86 Åkersberga"
    assert facts["Vår referens"] == "Anna Andersson, 08-540 810 00"
    assert facts["Bankgiro"] == "123-4566"
    assert facts["Mottagare"] == "Upplands Väsby kommun"
    assert facts["Fakturaadress"] == ("Upplands Väsby kommun, Fakturor, Box 1, 194 80 Upplands "
                                      "Väsby")
    assert facts["Er referens"] == "UV-4711"
    assert facts["Fakturanummer"] == "ES-2015-0114"
    assert facts["OCR-nummer"] == "2015011400138" and ocr_problem("2015011400138") is None
    assert facts["Förfallodatum"] == datetime(2015, 2, 19)
    assert facts["Beslut"] == "Beslutad 2014-11-20"
    orgnrs = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)
              if ws.cell(r, 1).value == "Organisationsnummer"]
    assert orgnrs == ["212000-0142", "212000-0076"]  # sender's, then the recipient's
    vallentuna = cells(wb["Vallentuna"])
    # what network.yaml does not give is printed as missing, never left off silently
    assert vallentuna["Er referens"] == vallentuna["Fakturaadress"] == "saknas"
    assert vallentuna["Organisationsnummer"] == "saknas"
    english = runner.invoke(app, ["invoices", "2015", "--data", str(root), "--lang", "en",
                                  "-o", str(root / "en.xlsx")])
    assert english.exit_code == 0, english.stderr
    vallentuna_en = cells(load_workbook(root / "en.xlsx")["Vallentuna"])
    assert vallentuna_en["Your reference"] == vallentuna_en["Invoice address"] == "missing"
    own = wb["Österåker (egen andel)"]
    assert own["A1"].value == "Förvaltande kommuns egen andel – ingen faktura"
    assert "OCR-nummer" not in cells(own) and "Förfallodatum" not in cells(own)
    assert ("Detta är ingen faktura: förvaltande kommun faktureras inte, beloppet är kommunens "
            "egen andel av kostnaden och bokförs internt.") in cells(own)
    file = root / "network.yaml"
    notes = [
        f"note: {file}: Vallentuna: no orgnr, reference (er referens) or invoice address (add "
        "orgnr: NNNNNN-NNNN, reference: ..., address: ...)",
        f"note: {file}: Österåker: no reference (er referens) or invoice address (add "
        "reference: ..., address: ...)",
    ]
    assert result.stderr.splitlines() == notes
    validate = runner.invoke(app, ["validate", "--data", str(root)])
    assert validate.exit_code == 0
    assert validate.stdout.splitlines()[:2] == notes


def test_invoices_json(make_data: MakeData, runner: CliRunner) -> None:
    root = decided(make_data, runner)
    result = runner.invoke(app, ["invoices", "2015", "--data", str(root), "--json",
                                 "--invoice-date", "2015-01-20"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["invoices"][0] == {
        "reference": "ES-2015-0114", "ocr": "2015011400138", "kind": "invoice",
        "recipient": {"kommunkod": "0114", "name": "Upplands Väsby kommun",
                      "orgnr": "212000-0076", "reference": "UV-4711"},
        "amount": 3000, "invoice_date": "2015-01-20", "due_date": "2015-02-19",
        "corrects": None, "corrects_date": None, "basis": "fee", "purpose": "charge",
        "new": True, "draft": False}
    assert [i["amount"] for i in out["invoices"]] == [3000, 1000]
    assert out["own_share"]["recipient"]["name"] == "Österåkers kommun"
    assert out["own_share"]["kind"] == "own_share" and out["own_share"]["ocr"] is None
    assert out["decision"] == {"file": "2015.json", "revision": 0, "kind": "fees",
                               "decision_date": "2014-11-20", "decided_by": None, "ref": None}
    assert out["draft"] is False
    assert not (root / "reports" / "2015" / "fakturaunderlag-2015.xlsx").exists()
    assert not (root / "decisions" / "invoices-2015.json").exists()  # a view: nothing issued


def test_a_decided_years_invoices_name_the_decision(make_data: MakeData,
                                                    runner: CliRunner) -> None:
    root = data_dir(make_data)
    final = ["allocate", "2015", "--data", str(root), "--final", "--decided-by",
             "Styrgruppen", "--decision-date", "2014-11-20", "--ref", "§ 14"]
    assert runner.invoke(app, final).exit_code == 0
    result = runner.invoke(app, ["invoices", "2015", "--data", str(root), "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(root / "reports" / "2015" / "fakturaunderlag-2015.xlsx")
    assert wb["Summary"]["A4"].value == "Decision: Decided on 2014-11-20 by Styrgruppen, § 14"
    ws = wb["Upplands Väsby"]
    assert cells(ws)["Decision"] == "Decided on 2014-11-20 by Styrgruppen, § 14"
    assert ws.oddHeader.right.text == "Decided on 2014-11-20"
    assert ("VAT-exempt: cost sharing within a cooperation of municipalities; no VAT is "
            "added.") in cells(ws)
    out = json.loads(runner.invoke(app, ["invoices", "2015", "--data", str(root),
                                         "--json"]).stdout)
    assert out["decision"] == {"file": "2015.json", "revision": 0, "kind": "fees",
                               "decision_date": "2014-11-20", "decided_by": "Styrgruppen",
                               "ref": "§ 14"}
    assert [i["new"] for i in out["invoices"]] == [False, False]  # registered by the run above


def test_shipped_network_names_the_parties_as_the_agreement_does(shipped_data: Path,
                                                                 runner: CliRunner) -> None:
    result = runner.invoke(app, ["invoices", "2015", "--data", str(shipped_data), "--json",
                                 "--draft"])
    out = json.loads(result.stdout)
    names = [i["recipient"]["name"] for i in out["invoices"]]
    assert names[:3] == ["Danderyds kommun", "Ekerö kommun", "Järfälla kommun"]
    assert {"Solna stad", "Sundbybergs stad", "Vaxholms stad", "Täby kommun",
            "Österåkers kommun"} <= set(names)
    assert out["own_share"]["recipient"]["name"] == "Lidingö stad"
    assert all(i["reference"] is None and i["draft"] for i in out["invoices"])
    assert result.stderr.splitlines() == [
        f"note: {shipped_data / 'network.yaml'}: invoicing.sender has no bankgiro or plusgiro, "
        "address or contact (vår referens): invoices print them as missing (saknas) and carry "
        "no OCR reference (add them under invoicing: {sender: ...})",
        f"note: {shipped_data / 'network.yaml'}: no member has an orgnr, reference (er "
        "referens) or invoice address (add orgnr: NNNNNN-NNNN, reference: ..., address: ... to "
        "each member)",
    ]


def test_a_long_address_and_decision_wrap_within_the_page(make_data: MakeData,
                                                          runner: CliRunner) -> None:
    """The decision line keeps its § and diarienummer, the sender's address its postcode:
    a fact's text has columns B to D of the printed page, wrapped, in a row tall enough."""
    address = "Österåkers kommun, Ekonomienheten, Fakturaservice, Box 1234, 184 86 Åkersberga"
    root = data_dir(make_data, NETWORK.replace("Österåkers kommun, 184 86 Åkersberga", address))
    final = ["allocate", "2015", "--data", str(root), "--final", "--decided-by",
             "Kommunstyrelsen i Österåkers kommun", "--decision-date", "2014-11-20", "--ref",
             "§ 214, dnr KS 2014/0815"]
    assert runner.invoke(app, final).exit_code == 0
    result = runner.invoke(app, ["invoices", "2015", "--data", str(root)])
    assert result.exit_code == 0, result.stderr
    ws = load_workbook(root / "reports" / "2015" / "fakturaunderlag-2015.xlsx")["Upplands Väsby"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    decision = ("Beslutad 2014-11-20 av Kommunstyrelsen i Österåkers kommun, § 214, dnr KS "
                "2014/0815")
    for label, text in (("Avsändarens adress", address), ("Beslut", decision)):
        row = rows[label]
        assert ws.cell(row, 2).value == text  # whole, nothing cut
        assert f"B{row}:D{row}" in {str(r) for r in ws.merged_cells.ranges}
        assert ws.cell(row, 2).alignment.wrap_text
        assert ws.row_dimensions[row].height >= 30  # two lines of 15 points
    assert ws.print_area is not None and "$D$" in ws.print_area
