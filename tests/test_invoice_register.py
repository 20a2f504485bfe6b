"""The invoice register, numbering, corrections after a revision, drafts, settlement
decisions, and the identifiers on an invoice: OCR references by Bankgirot's rules, org numbers
by python-stdnum, due dates on Swedish bank days."""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from stdnum import luhn
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.ledger import Issued, plan_documents
from koordination.core.ocr import document_ocr, ocr_problem, with_length_and_check
from koordination.io.identifiers import orgnr_problem
from koordination.jobs.bankdays import due_date, next_bank_day

REGISTER = Path("decisions") / "invoices-2015.json"


def invoke(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def decide(runner: CliRunner, data: Path) -> None:
    code, _, err = invoke(runner, "allocate", "2015", "--data", str(data), "--final",
                          "--decided-by", "Styrgruppen", "--decision-date", "2014-11-24",
                          "--ref", "§ 12")
    assert code == 0, err


def raise_budget(data: Path) -> None:
    budget = data / "budgets" / "2015.yaml"
    text = budget.read_text(encoding="utf-8")
    budget.write_text(text.replace("name: Externa tjänster, amount: 60000",
                                   "name: Externa tjänster, amount: 80000"), encoding="utf-8")


def revise(runner: CliRunner, data: Path) -> None:
    raise_budget(data)
    code, _, err = invoke(runner, "allocate", "2015", "--data", str(data), "--revise",
                          "--decision-date", "2015-06-01", "--ref", "§ 40")
    assert code == 0, err


def issue(runner: CliRunner, data: Path, day: str, *more: str) -> dict:  # type: ignore[type-arg]
    """Issue, then read what was issued (the JSON view issues nothing)."""
    code, _, err = invoke(runner, "invoices", "2015", "--data", str(data), "--invoice-date",
                          day, *more)
    assert code == 0, err
    code, out, err = invoke(runner, "invoices", "2015", "--data", str(data), "--json", *more)
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def documents(data: Path) -> list[dict]:  # type: ignore[type-arg]
    return json.loads((data / REGISTER).read_text("utf-8"))["documents"]  # type: ignore[no-any-return]


# -- identifiers -----------------------------------------------------------------------------


@given(st.integers(2000, 2099), st.sampled_from(["0114", "0162", "0186", "2584"]),
       st.sampled_from(["fee", "settlement"]), st.booleans(), st.integers(1, 99))
def test_every_ocr_passes_bankgirots_length_and_check_digit(year: int, code: str, basis: str,
                                                            credit: bool, n: int) -> None:
    ocr = document_ocr(year, code, basis, credit, n)  # type: ignore[arg-type]
    assert luhn.is_valid(ocr)  # the mod 10 check digit, by python-stdnum's own Luhn
    assert int(ocr[-2]) == len(ocr) % 10  # the length digit
    assert ocr_problem(ocr) is None


def test_ocr_problems_name_the_failed_check() -> None:
    assert with_length_and_check("20150162001") == "2015016200137"
    assert ocr_problem("2015016200137") is None
    assert ocr_problem("2015016200147") == ("'2015016200147' has the length digit 4, but it "
                                            "is 13 digits long")
    assert ocr_problem("2015016200136") == "'2015016200136' has a wrong check digit (mod 10)"
    # the form kn used before: a check digit but no length digit, refused
    assert ocr_problem("2015011410") is not None
    assert ocr_problem("２０１５") == "'２０１５' is not an OCR reference: digits 0-9 only"


def test_every_document_of_a_year_has_its_own_ocr() -> None:
    seen = {document_ocr(2015, "0162", basis, credit, n)  # type: ignore[arg-type]
            for basis in ("fee", "settlement") for credit in (False, True)
            for n in range(1, 100)}
    assert len(seen) == 2 * 2 * 99


def test_org_numbers_are_checked_by_stdnum_in_ascii_digits() -> None:
    assert orgnr_problem("212000-0142") is None  # Stockholms kommun
    assert orgnr_problem("2120000142") is None
    assert orgnr_problem("212000-0143") == (
        "'212000-0143' has the check digit 3, but its first nine digits give 2; check the "
        "number against the municipality's invoices")
    assert orgnr_problem("２１２０００-０１８３") == (
        "'２１２０００-０１８３' is written with digits other than 0-9; type it again with the "
        "digits 0-9, e.g. 212000-0142")


def test_a_full_width_org_number_is_refused_by_validate(shipped_data: Path,
                                                        runner: CliRunner) -> None:
    network = shipped_data / "network.yaml"
    full_width = 'legal_name: Danderyds kommun\n    orgnr: "２１２０００-０１８３"'
    network.write_text(network.read_text("utf-8").replace(
        "legal_name: Danderyds kommun", full_width), "utf-8")
    code, out, err = invoke(runner, "validate", "--data", str(shipped_data))
    assert code == 1
    assert (f"error: {network}: members[0].orgnr: '２１２０００-０１８３' is written with digits "
            "other than 0-9; type it again with the digits 0-9, e.g. 212000-0142") in (out + err)


@pytest.mark.parametrize(("day", "bank_day"), [
    (date(2015, 2, 19), date(2015, 2, 19)),   # a Thursday
    (date(2015, 2, 21), date(2015, 2, 23)),   # Saturday -> Monday
    (date(2015, 4, 3), date(2015, 4, 7)),     # Good Friday -> the Tuesday after Easter
    (date(2015, 6, 19), date(2015, 6, 22)),   # midsummer eve, midsummer day, Sunday
    (date(2015, 12, 24), date(2015, 12, 28)),  # christmas eve to the Monday after
    (date(2015, 12, 31), date(2016, 1, 4)),   # new year's eve, new year's day, weekend
    (date(2016, 1, 6), date(2016, 1, 7)),     # epiphany
    (date(2016, 6, 6), date(2016, 6, 7)),     # national day
])
def test_due_dates_fall_on_swedish_bank_days(day: date, bank_day: date) -> None:
    assert next_bank_day(day) == bank_day


def test_due_date_is_the_terms_then_the_next_bank_day() -> None:
    assert due_date(date(2015, 11, 24), 30) == date(2015, 12, 28)  # christmas eve + weekend
    assert due_date(date(2015, 1, 20), 30) == date(2015, 2, 19)


# -- the register ----------------------------------------------------------------------------


def test_an_undecided_year_is_refused_unless_drafts(shipped_data: Path,
                                                    runner: CliRunner) -> None:
    code, out, err = invoke(runner, "invoices", "2015", "--data", str(shipped_data))
    assert code == 1 and out == ""
    assert err.splitlines()[0] == (
        f"error: {shipped_data / 'decisions' / '2015.json'}: 2015 is not decided, and only "
        "decided fees are invoiced; record the decision with 'kn allocate 2015 --final', or "
        "write drafts with --draft")
    assert not (shipped_data / "reports").exists()
    code, out, err = invoke(runner, "invoices", "2015", "--data", str(shipped_data), "--draft")
    assert code == 0, err
    assert "Utkast: inga fakturor, inget har registrerats." in out
    assert not (shipped_data / "decisions").exists()
    book = load_workbook(shipped_data / "reports" / "2015" / "fakturaunderlag-2015.xlsx")
    for ws in book.worksheets:  # every printed page says so
        assert ws.oddHeader.right.text == "UTKAST – inte en faktura", ws.title
    danderyd = {ws_row[0].value: ws_row[1].value for ws_row in book["Danderyd"].iter_rows()}
    assert "Fakturanummer" not in danderyd and "OCR-nummer" not in danderyd
    assert "Förfallodatum" not in danderyd
    assert book["Danderyd"]["A2"].value == ("UTKAST – inte en faktura. Avser: Koordination "
                                            "Norrort 2015")
    code, out, _ = invoke(runner, "invoices", "2015", "--data", str(shipped_data), "--draft",
                          "--json")
    drafts = json.loads(out)
    assert drafts["draft"] is True
    assert {(i["reference"], i["ocr"], i["due_date"]) for i in drafts["invoices"]} == {
        (None, None, None)}


def test_issuing_registers_once_and_again_writes_the_same_bytes(shipped_data: Path,
                                                                 runner: CliRunner) -> None:
    decide(runner, shipped_data)
    out = issue(runner, shipped_data, "2015-01-20")
    danderyd = out["invoices"][0]
    assert (danderyd["reference"], danderyd["amount"], danderyd["due_date"]) == (
        "KN-2015-0162", 42781, "2015-02-19")
    register = (shipped_data / REGISTER).read_bytes()
    entries = documents(shipped_data)
    assert len(entries) == 14
    assert entries[0] == {
        "number": "KN-2015-0162", "ocr": None, "kind": "invoice", "basis": "fee",
        "purpose": "charge", "kommunkod": "0162", "name": "Danderyds kommun",
        "amount": 42781, "invoice_date": "2015-01-20", "due_date": "2015-02-19",
        "rests_on": "2015.json", "revision": 0, "corrects": None, "corrects_date": None,
        "sha256": entries[0]["sha256"]}
    book = shipped_data / "reports" / "2015" / "fakturaunderlag-2015.xlsx"
    first = book.read_bytes()
    code, out_text, err = invoke(runner, "invoices", "2015", "--data", str(shipped_data),
                                 "--invoice-date", "2015-09-01")
    assert code == 0, err
    assert "Inget nytt att utfärda: dokumenten är de registrerade." in out_text
    assert (shipped_data / REGISTER).read_bytes() == register  # nothing registered
    assert book.read_bytes() == first  # the registered dates, the same bytes


def test_a_revision_credits_and_reissues_with_the_next_number(shipped_data: Path,
                                                              runner: CliRunner) -> None:
    decide(runner, shipped_data)
    issue(runner, shipped_data, "2015-01-20")
    revise(runner, shipped_data)
    out = issue(runner, shipped_data, "2015-06-10")
    danderyd = [i for i in out["invoices"] if i["recipient"]["kommunkod"] == "0162"]
    assert [(i["reference"], i["kind"], i["amount"], i["corrects"], i["corrects_date"],
             i["due_date"]) for i in danderyd] == [
        ("KN-2015-0162-K1", "credit_note", -42781, "KN-2015-0162", "2015-01-20", None),
        ("KN-2015-0162-2", "invoice", 43726, None, None, "2015-07-10")]
    assert out["decision"]["file"] == "2015.rev1.json"
    entries = documents(shipped_data)
    assert len(entries) == 14 + 28
    assert [e["rests_on"] for e in entries[14:16]] == ["2015.rev1.json"] * 2
    before = (shipped_data / REGISTER).read_bytes()
    code, _, err = invoke(runner, "invoices", "2015", "--data", str(shipped_data))
    assert code == 0, err
    assert (shipped_data / REGISTER).read_bytes() == before  # a third run changes nothing


def test_corrections_by_difference(shipped_data: Path, runner: CliRunner) -> None:
    network = shipped_data / "network.yaml"
    network.write_text(network.read_text("utf-8") + "invoicing: {corrections: difference, "
                       'sender: {bankgiro: "123-4566"}}\n', "utf-8")
    decide(runner, shipped_data)
    issue(runner, shipped_data, "2015-01-20")
    revise(runner, shipped_data)
    out = issue(runner, shipped_data, "2015-06-10")
    assert out["invoices"][0] == {
        "reference": "KN-2015-0162-2", "ocr": "2015016200236", "kind": "invoice",
        "recipient": {"kommunkod": "0162", "name": "Danderyds kommun", "orgnr": None,
                      "reference": None},
        "amount": 945, "invoice_date": "2015-06-10", "due_date": "2015-07-10",
        "corrects": "KN-2015-0162", "corrects_date": "2015-01-20", "basis": "fee",
        "purpose": "difference", "new": False, "draft": False}
    assert len(out["invoices"]) == 14
    ocrs = [e["ocr"] for e in documents(shipped_data)]
    assert len(set(ocrs)) == len(ocrs) == 28 and all(ocr_problem(o) is None for o in ocrs)


def _issued(number: str, code: str, amount: int, purpose: str = "charge") -> Issued:
    return Issued(number, None, "credit_note" if amount < 0 else "invoice", "fee",
                  purpose, code, code, Decimal(amount), date(2015, 1, 20), None,  # type: ignore[arg-type]
                  "2015.json", 0, None, None, "0" * 64)


def test_members_whose_amount_did_not_change_get_nothing() -> None:
    registered = [_issued("KN-2015-0162", "0162", 100), _issued("KN-2015-0114", "0114", 200)]
    targets = {"0162": Decimal(100), "0114": Decimal(150), "0115": Decimal(50)}
    planned = plan_documents("KN", 2015, "fee", registered, targets, list(targets), "replace",
                             True)
    assert [(p.number, p.kind, p.purpose, p.amount, p.corrects and p.corrects.number)
            for p in planned] == [
        ("KN-2015-0114-K1", "credit_note", "reversal", Decimal(-200), "KN-2015-0114"),
        ("KN-2015-0114-2", "invoice", "charge", Decimal(150), None),
        ("KN-2015-0115", "invoice", "charge", Decimal(50), None)]
    assert [p.ocr for p in planned] == [document_ocr(2015, "0114", "fee", True, 1),
                                        document_ocr(2015, "0114", "fee", False, 2),
                                        document_ocr(2015, "0115", "fee", False, 1)]
    # a member a revision removed: its invoice is credited in full
    planned = plan_documents("KN", 2015, "fee", registered, {"0162": Decimal(100)}, ["0162"],
                             "difference", False)
    assert [(p.number, p.amount, p.purpose) for p in planned] == [
        ("KN-2015-0114-K1", Decimal(-200), "difference")]


@given(st.lists(st.dictionaries(st.sampled_from(["0114", "0115", "0162"]),
                                st.integers(-5000, 50000).map(Decimal), max_size=3),
                min_size=1, max_size=6),
       st.sampled_from(["replace", "difference"]))
def test_registered_documents_always_sum_to_the_record_in_force(
        records: list[dict[str, Decimal]], mode: str) -> None:
    """Whatever the revisions, after each run every member's documents sum to its amount,
    every number and OCR is new, and a run with nothing changed issues nothing."""
    registered: list[Issued] = []
    for targets in records:
        for _ in range(2):  # the second run of the same record issues nothing
            planned = plan_documents("KN", 2015, "fee", registered, targets, sorted(targets),
                                     mode, True)  # type: ignore[arg-type]
            numbers = {d.number for d in registered}
            ocrs = {d.ocr for d in registered}
            for p in planned:
                assert p.number not in numbers and p.ocr not in ocrs and p.amount != 0
                assert ocr_problem(p.ocr or "") is None
                assert (p.kind == "credit_note") == (p.amount < 0)
                numbers.add(p.number)
                ocrs.add(p.ocr)
                registered.append(Issued(p.number, p.ocr, p.kind, "fee", p.purpose, p.code,
                                         p.code, p.amount, date(2015, 1, 20), None, "r", 0,
                                         None, None, "0" * 64))
            for code in {"0114", "0115", "0162"}:
                got = sum((d.amount for d in registered if d.code == code), Decimal(0))
                assert got == targets.get(code, Decimal(0))
        assert not plan_documents("KN", 2015, "fee", registered, targets, sorted(targets),
                                  mode, True)  # type: ignore[arg-type]


def test_a_failed_run_registers_nothing(shipped_data: Path, runner: CliRunner,
                                        tmp_path: Path) -> None:
    decide(runner, shipped_data)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = invoke(runner, "invoices", "2015", "--data", str(shipped_data),
                          "--peppol", str(blocker / "x"))
    assert code == 1
    assert not (shipped_data / REGISTER).exists()
    reports = shipped_data / "reports" / "2015" / "fakturaunderlag-2015.xlsx"
    assert not reports.exists()


def test_the_register_is_checked_when_read(shipped_data: Path, runner: CliRunner) -> None:
    decide(runner, shipped_data)
    issue(runner, shipped_data, "2015-01-20")
    path = shipped_data / REGISTER
    text = path.read_text("utf-8")
    os.chmod(path, 0o644)
    path.write_text(text.replace('"number": "KN-2015-0125"', '"number": "KN-2015-0162"', 1),
                    "utf-8")
    code, _, err = invoke(runner, "invoices", "2015", "--data", str(shipped_data))
    assert code == 1
    assert err.startswith(f"error: {path}: documents[1].number: number KN-2015-0162 is "
                          "registered twice; the file is damaged")
    code, out, err = invoke(runner, "validate", "--data", str(shipped_data))
    assert code == 1
    assert (f"error: {path}: documents[1].number: number KN-2015-0162 is registered twice; "
            "the file is damaged") in err + out
    path.write_text(text.replace('"amount": 42781', '"amount": 42881', 1), "utf-8")
    code, _, err = invoke(runner, "invoices", "2015", "--data", str(shipped_data))
    assert code == 1
    assert err.startswith(f"error: {path}: KN-2015-0162: the document as registered is not "
                          "what 2015.json gives today")


# -- settlement decisions ----------------------------------------------------------------------


def test_settlement_invoices_rest_on_the_settlement_decision(shipped_data: Path,
                                                             runner: CliRunner) -> None:
    d = str(shipped_data)
    decide(runner, shipped_data)
    code, _, err = invoke(runner, "invoices", "2015", "--data", d, "--settlement")
    assert code == 1
    assert err.splitlines()[0] == (
        f"error: {shipped_data / 'decisions' / 'settlement-2015.json'}: the settlement of 2015 "
        "is not decided, and only a decided settlement is invoiced; record it with 'kn settle "
        "2015 --final', or write drafts with --draft")
    code, out, err = invoke(runner, "settle", "2015", "--data", d, "--final", "--decided-by",
                            "Styrgruppen", "--decision-date", "2016-03-20", "--ref", "§ 5")
    assert code == 0, err
    book = load_workbook(shipped_data / "reports" / "2015" / "avrakning-2015.xlsx")
    assert book.worksheets[0]["A3"].value == (
        "Beslut: Beslutad 2014-11-24 av Styrgruppen, § 12; avräkningen beslutad 2016-03-20 "
        "av Styrgruppen, § 5")
    assert {ws.oddHeader.right.text for ws in book.worksheets} == {
        "Avräkningen beslutad 2016-03-20"}
    record = json.loads((shipped_data / "decisions" / "settlement-2015.json").read_text("utf-8"))
    assert (record["kind"], record["decision_date"], record["ref"], record["total"]) == (
        "kn-settlement-decision", "2016-03-20", "§ 5", 151701)
    code, out, err = invoke(runner, "invoices", "2015", "--data", d, "--settlement", "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["decision"] == {"file": "settlement-2015.json", "revision": 0,
                                   "kind": "settlement", "decision_date": "2016-03-20",
                                   "decided_by": "Styrgruppen", "ref": "§ 5"}
    assert payload["invoices"][0]["reference"] == "KN-2015-0162-A"
    # a settlement decision is not made twice, and its inputs stay as decided
    code, _, err = invoke(runner, "settle", "2015", "--data", d, "--final")
    assert code == 0, err
    actuals = shipped_data / "actuals" / "2015.yaml"
    actuals.write_text(actuals.read_text("utf-8").replace("671200", "681200"), "utf-8")
    code, _, err = invoke(runner, "invoices", "2015", "--data", d, "--settlement")
    assert code == 1
    assert "the amounts differ from the settlement decision of 2016-03-20" in err


def test_a_settlement_decision_needs_decided_fees(shipped_data: Path, runner: CliRunner) -> None:
    code, _, err = invoke(runner, "settle", "2015", "--data", str(shipped_data), "--final")
    assert code == 1
    assert err == (f"error: {shipped_data / 'decisions' / 'settlement-2015.json'}: the fees of "
                   "2015 are not decided; a settlement rests on the decided fees: record them "
                   "first with 'kn allocate 2015 --final'\n")
    assert not (shipped_data / "decisions").exists()


def test_a_moved_due_date_says_so_and_keeps_its_terms(shipped_data: Path,
                                                      runner: CliRunner) -> None:
    decide(runner, shipped_data)
    out = issue(runner, shipped_data, "2015-11-24")  # + 30 days is christmas eve
    assert out["invoices"][0]["due_date"] == "2015-12-28"
    ws = load_workbook(shipped_data / "reports" / "2015" / "fakturaunderlag-2015.xlsx")[
        "Danderyd"]
    column_b = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)]
    assert "30 dagar netto, flyttat till närmaste bankdag" in column_b
