"""Peppol BIS Billing 3.0: every document kn writes passes the official validation rules
(the CEN EN 16931 UBL rules and the PEPPOL rules of release 3.0.19, compiled to XSLT: see
tests/peppol/README.md), run with saxonche; known-bad documents fail them."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from saxonche import PySaxonProcessor
from typer.testing import CliRunner

from koordination.cli.app import app

RULES = Path(__file__).resolve().parent / "peppol"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FAILED = re.compile(r"<svrl:failed-assert\b[^>]*>", re.S)

# Example organisation numbers (not the municipalities' real ones): 212000 and the SCB code's
# last three digits, with a valid check digit, so that python-stdnum accepts them.
ORGNR = {
    "Danderyd": "212000-1629", "Ekerö": "212000-1256", "Järfälla": "212000-1231",
    "Lidingö": "212000-1868", "Norrtälje": "212000-1884", "Sigtuna": "212000-1918",
    "Sollentuna": "212000-1637", "Solna": "212000-1843", "Sundbyberg": "212000-1835",
    "Täby": "212000-1603", "Upplands-Bro": "212000-1397", "Upplands Väsby": "212000-1140",
    "Vallentuna": "212000-1157", "Vaxholm": "212000-1876", "Österåker": "212000-1173",
    "Botkyrka": "212000-1272", "Haninge": "212000-1363", "Huddinge": "212000-1264",
    "Nacka": "212000-1827", "Nykvarn": "212000-1405", "Nynäshamn": "212000-1926",
    "Salem": "212000-1280", "Södertälje": "212000-1819", "Tyresö": "212000-1389",
    "Värmdö": "212000-1207",
}

Validate = Callable[[bytes], list[str]]


@pytest.fixture(scope="module")
def validate() -> Iterator[Validate]:
    """The failed assertions (``ID (flag)``) of both rule sets for one document."""
    with PySaxonProcessor(license=False) as proc:
        xslt = proc.new_xslt30_processor()
        rules = [xslt.compile_stylesheet(stylesheet_file=str(RULES / f"{name}.xsl"))
                 for name in ("CEN-EN16931-UBL", "PEPPOL-EN16931-UBL")]

        def check(document: bytes) -> list[str]:
            node = proc.parse_xml(xml_text=document.decode("utf-8"))
            failed = []
            for rule_set in rules:
                report = rule_set.transform_to_string(xdm_node=node)
                assert "<svrl:fired-rule" in report  # the rules ran on the document
                for tag in FAILED.findall(report):
                    ident = re.search(r'\bid="([^"]+)"', tag)
                    flag = re.search(r'\bflag="([^"]+)"', tag)
                    failed.append(f"{ident.group(1) if ident else '?'} "
                                  f"({flag.group(1) if flag else '?'})")
            return failed

        yield check


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def with_details(data: Path, corrections: str = "replace") -> None:
    """Every member's org number, reference and address; the sender's bankgiro and contact."""
    network = data / "network.yaml"
    lines = []
    for line in network.read_text("utf-8").splitlines():
        lines.append(line)
        match = re.match(r"  - kommun: (.+)$", line)
        if match:
            name = match.group(1).strip()
            lines += [f'    orgnr: "{ORGNR[name]}"', f'    reference: "REF-{name[:3].upper()}"',
                      f'    address: "Box 1, 100 00 {name}"']
    lines.append(f"invoicing: {{corrections: {corrections}, sender: {{bankgiro: \"123-4566\", "
                 'address: "Stadshuset, 181 82 Lidingö", contact: "Anna Andersson"}}')
    network.write_text("\n".join(lines) + "\n", "utf-8")


def raise_budget(data: Path) -> None:
    budget = data / "budgets" / "2015.yaml"
    budget.write_text(budget.read_text("utf-8").replace(
        "name: Externa tjänster, amount: 60000", "name: Externa tjänster, amount: 80000"),
        "utf-8")


def written(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("corrections", ["replace", "difference"])
def test_every_document_of_the_shipped_year_passes_the_rules(
        shipped_data: Path, tmp_path: Path, validate: Validate, corrections: str) -> None:
    data = str(shipped_data)
    with_details(shipped_data, corrections)
    invoke("allocate", "2015", "--data", data, "--final", "--decided-by", "Styrgruppen",
           "--decision-date", "2014-11-24", "--ref", "§ 12")
    first, second, settled = tmp_path / "1", tmp_path / "2", tmp_path / "3"
    for folder in (first, second, settled):
        folder.mkdir()
    invoke("invoices", "2015", "--data", data, "--invoice-date", "2015-01-20",
           "--peppol", str(first))
    raise_budget(shipped_data)
    invoke("allocate", "2015", "--data", data, "--revise", "--decision-date", "2015-06-01")
    invoke("invoices", "2015", "--data", data, "--invoice-date", "2015-06-10",
           "--peppol", str(second))
    invoke("settle", "2015", "--data", data, "--final", "--decision-date", "2016-03-20")
    invoke("invoices", "2015", "--data", data, "--settlement", "--invoice-date", "2016-03-25",
           "--peppol", str(settled))
    documents = {**written(first), **written(second), **written(settled)}
    kinds = {(b"<CreditNote " in doc, b"<cac:BillingReference>" in doc)
             for doc in documents.values()}
    expected = 14 + (28 if corrections == "replace" else 14) + 14
    assert len(documents) == expected
    if corrections == "replace":
        assert kinds == {(False, False), (True, True)}  # invoices; credit notes citing one
        assert "KN-2015-0162-K1.xml" in documents and "KN-2015-0162-2.xml" in documents
    else:
        assert (False, True) in kinds  # a difference invoice names the invoice it changes
    assert "KN-2015-0162-A.xml" in documents
    for name, document in documents.items():
        assert validate(document) == [], name


def test_a_settlement_credit_note_passes_the_rules(tmp_path: Path, validate: Validate) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLES / "etablering-sodertorn-uttrade", data,
                    ignore=shutil.ignore_patterns("reports", "decisions"))
    with_details(data)
    folder = tmp_path / "xml"
    folder.mkdir()
    invoke("allocate", "2016", "--data", str(data), "--final", "--decision-date", "2015-11-20")
    invoke("invoices", "2016", "--data", str(data), "--invoice-date", "2016-01-20",
           "--peppol", str(folder))
    invoke("settle", "2016", "--data", str(data), "--final", "--decision-date", "2017-02-20")
    invoke("invoices", "2016", "--data", str(data), "--settlement", "--invoice-date",
           "2017-03-01", "--peppol", str(folder))
    credit = (folder / "ES-2016-0140-A.xml").read_bytes()
    assert b"<CreditNote " in credit and b"<cbc:ID>ES-2016-0140</cbc:ID>" in credit
    for name, document in written(folder).items():
        assert validate(document) == [], name


def test_the_document_carries_what_the_buyer_needs(shipped_data: Path, tmp_path: Path) -> None:
    with_details(shipped_data)
    data = str(shipped_data)
    invoke("allocate", "2015", "--data", data, "--final", "--decided-by", "Styrgruppen",
           "--decision-date", "2014-11-24", "--ref", "§ 12")
    first, again = tmp_path / "first", tmp_path / "again"
    first.mkdir()
    again.mkdir()
    invoke("invoices", "2015", "--data", data, "--invoice-date", "2015-01-20",
           "--peppol", str(first))
    invoke("invoices", "2015", "--data", data, "--invoice-date", "2015-09-01",
           "--peppol", str(again))  # nothing new: the registered documents, byte for byte
    assert written(again) == written(first)
    text = (first / "KN-2015-0162.xml").read_text("utf-8")
    for part in (
        "<cbc:ID>KN-2015-0162</cbc:ID>", "<cbc:IssueDate>2015-01-20</cbc:IssueDate>",
        "<cbc:DueDate>2015-02-19</cbc:DueDate>",
        "<cbc:Note>Beslut: Beslutad 2014-11-24 av Styrgruppen, § 12 (2015.json).</cbc:Note>",
        "<cbc:BuyerReference>REF-DAN</cbc:BuyerReference>",
        '<cbc:EndpointID schemeID="0007">2120001868</cbc:EndpointID>',  # Lidingö, the seller
        '<cbc:EndpointID schemeID="0007">2120001629</cbc:EndpointID>',  # Danderyd, the buyer
        "<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>",
        "<cbc:PaymentID>2015016200137</cbc:PaymentID>",
        "<cbc:ID>1234566</cbc:ID>", "<cbc:ID>SE:BANKGIRO</cbc:ID>",
        "<cbc:StartDate>2015-01-01</cbc:StartDate>", "<cbc:EndDate>2015-12-31</cbc:EndDate>",
        "<cbc:TaxExemptionReason>Kostnadsfördelning inom kommunal samverkan"
        "</cbc:TaxExemptionReason>",
        '<cbc:PayableAmount currencyID="SEK">42781.00</cbc:PayableAmount>',
    ):
        assert part in text, part


def test_known_bad_documents_fail(shipped_data: Path, tmp_path: Path,
                                  validate: Validate) -> None:
    with_details(shipped_data)
    data = str(shipped_data)
    invoke("allocate", "2015", "--data", data, "--final")
    invoke("invoices", "2015", "--data", data, "--invoice-date", "2015-01-20",
           "--peppol", str(tmp_path))
    good = (tmp_path / "KN-2015-0162.xml").read_bytes()
    assert validate(good) == []
    off_by_one = good.replace(b'<cbc:PayableAmount currencyID="SEK">42781.00',
                              b'<cbc:PayableAmount currencyID="SEK">42782.00')
    assert off_by_one != good
    assert "BR-CO-16 (fatal)" in validate(off_by_one)
    hyphenated = good.replace(b'schemeID="0007">2120001629<', b'schemeID="0007">212000-1629<')
    assert hyphenated != good
    # a Swedish organisation number (0007) is ten digits with a valid check digit: fails
    # for the buyer's endpoint and its legal entity alike
    assert validate(hyphenated) == ["PEPPOL-COMMON-R049 (fatal)"] * 2


def test_missing_details_refuse_peppol_one_line_each(shipped_data: Path,
                                                     tmp_path: Path) -> None:
    data = str(shipped_data)
    invoke("allocate", "2015", "--data", data, "--final")
    folder = tmp_path / "xml"
    folder.mkdir()
    result = CliRunner().invoke(app, ["invoices", "2015", "--data", data, "--peppol",
                                      str(folder)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    file = shipped_data / "network.yaml"
    assert lines[:3] == [
        f"error: {file}: members: Lidingö, the administrator, has no orgnr; a Peppol invoice "
        "names the seller by its organisation number (add orgnr: NNNNNN-NNNN)",
        f"error: {file}: invoicing.sender.bankgiro: the sender has no bankgiro; a Peppol "
        "invoice names the account to pay to (add invoicing: {sender: {bankgiro: NNN-NNNN}})",
        f"error: {file}: members: Danderyd has no orgnr; a Peppol invoice is addressed to the "
        "buyer's organisation number (add orgnr: NNNNNN-NNNN)",
    ]
    assert len(lines) == 2 + 14 * 2
    assert list(folder.iterdir()) == []
    assert not (shipped_data / "decisions" / "invoices-2015.json").exists()


def test_peppol_never_writes_where_kn_reads_or_records(shipped_data: Path,
                                                       tmp_path: Path) -> None:
    data = str(shipped_data)
    with_details(shipped_data)
    invoke("allocate", "2015", "--data", data, "--final")
    decisions = shipped_data / "decisions"
    for target, line in (
        (decisions, f"error: {decisions}: is {decisions}, which kn reads or records in; "
                    "--peppol never writes there; choose a place such as reports/"),
        (shipped_data / "network.yaml", f"error: {shipped_data / 'network.yaml'}: is not a "
                                        "directory; --peppol writes its files into a directory"),
        (tmp_path / "no" / "xml", f"error: {tmp_path / 'no' / 'xml'}: the folder "
                                  f"{tmp_path / 'no'} does not exist; create it first or choose "
                                  "another place"),
    ):
        result = CliRunner().invoke(app, ["invoices", "2015", "--data", data, "--peppol",
                                          str(target)])
        assert (result.exit_code, result.stderr) == (1, line + "\n")
    assert sorted(p.name for p in decisions.iterdir()) == ["2015.json"]  # nothing issued
    result = CliRunner().invoke(app, ["invoices", "2015", "--data", data, "--draft",
                                      "--peppol", str(tmp_path)])
    assert result.exit_code == 2
    assert "a draft is not an invoice" in result.stderr


def _example_details(data: Path) -> None:
    """Every member of an example with an example organisation number (212000 and its SCB
    code's last three digits, with a valid check digit), a reference and an address; the
    sender with a bankgiro, address and contact (kept where the example gives them)."""
    import yaml
    from stdnum import luhn

    from koordination.core.municipalities import lookup

    network = data / "network.yaml"
    raw = yaml.safe_load(network.read_text("utf-8"))
    members = []
    for entry in raw["members"]:
        entry = {"kommun": entry} if isinstance(entry, str) else dict(entry)
        code = lookup(str(entry["kommun"])).code
        digits = "212000" + code[1:]
        entry.setdefault("orgnr", f"{digits[:6]}-{digits[6:]}{luhn.calc_check_digit(digits)}")
        entry.setdefault("reference", f"REF-{code}")
        entry.setdefault("address", f"Box 1, 100 00 {entry['kommun']}")
        members.append(entry)
    raw["members"] = members
    for party in raw.get("parties", []):
        party.setdefault("reference", "REF-PART")
    invoicing = raw.setdefault("invoicing", {})
    sender = invoicing.setdefault("sender", {})
    sender.setdefault("bankgiro", "123-4566")
    sender.setdefault("address", "Box 1, 100 00 Exempelstad")
    sender.setdefault("contact", "Ekonomienheten")
    network.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), "utf-8")


EVERY_EXAMPLE = sorted(p.parent.name for p in EXAMPLES.glob("*/network.yaml"))


@pytest.mark.parametrize("name", EVERY_EXAMPLE)
def test_every_shipped_example_gives_documents_that_pass(name: str, tmp_path: Path,
                                                          validate: Validate) -> None:
    data = tmp_path / name
    shutil.copytree(EXAMPLES / name, data, ignore=shutil.ignore_patterns("reports",
                                                                          "decisions"))
    _example_details(data)
    budgets = sorted(int(p.stem) for p in (data / "budgets").glob("*.yaml")) \
        if (data / "budgets").is_dir() else []
    snapshots = sorted(int(p.name[:4]) for p in (data / "populations").glob("*-12-31.csv"))
    year = str(budgets[0] if budgets else snapshots[-1] + 1)
    folder = tmp_path / "xml"
    folder.mkdir()
    invoke("allocate", year, "--data", str(data), "--final", "-o", str(tmp_path / "a.xlsx"))
    invoke("invoices", year, "--data", str(data), "--peppol", str(folder))
    actuals = data / "actuals" / f"{year}.yaml"
    if actuals.exists() and "through:" not in actuals.read_text("utf-8"):
        invoke("settle", year, "--data", str(data), "--final", "-o", str(tmp_path / "s.xlsx"))
        invoke("invoices", year, "--data", str(data), "--settlement", "--peppol", str(folder))
    documents = written(folder)
    assert documents, name
    for file, document in documents.items():
        assert validate(document) == [], (name, file)
