"""Invoices and credit notes as Peppol BIS Billing 3.0 documents (UBL 2.1), written with the
standard library's ``xml.etree``.

One document per invoice or credit note: the seller is the administrator (its legal name,
its organisation number as endpoint and legal entity, scheme 0007), the buyer the member
(likewise, and its reference as the buyer reference), no VAT (category O, "not subject to
VAT", with the reason), the bankgiro as the account to pay to (payment means 30, credit
transfer) with the OCR reference as payment id, the period invoiced, the decision the
document rests on in its note, and for a credit note or a correction the invoice it refers
to. Amounts come computed from the core; this module only writes them (a UBL credit note
states its amounts as positive figures: :attr:`InvoiceBasis.stated_lines`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

from koordination.core.invoices import InvoiceBasis, Party
from koordination.core.models import Network
from koordination.core.money import to_decimal
from koordination.core.records import Record, SettlementRecord
from koordination.render.labels import Lang, label
from koordination.render.standing import standing

UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CUSTOMIZATION = ("urn:cen.eu:en16931:2017#compliant#"
                 "urn:fdc:peppol.eu:2017:poacc:billing:3.0")
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CURRENCY = "SEK"
ORGNR_SCHEME = "0007"  # Swedish organisation number (ISO 6523 ICD)
CREDIT_TRANSFER = "30"
EXEMPTION = "Kostnadsfördelning inom kommunal samverkan"
INVOICE_TYPE = "380"  # commercial invoice
CREDIT_TYPE = "381"  # credit note
UNIT = "C62"  # one (UN/ECE rec 20)

ET.register_namespace("cac", CAC)
ET.register_namespace("cbc", CBC)


def _cbc(parent: ET.Element, name: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{CBC}}}{name}", attrs)
    element.text = text
    return element


def _cac(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{CAC}}}{name}")


def _money(parent: ET.Element, name: str, amount: Decimal) -> None:
    _cbc(parent, name, str(to_decimal(Fraction(amount), 2)), currencyID=CURRENCY)


def _digits(orgnr: str) -> str:
    return orgnr.replace("-", "")


def _party(parent: ET.Element, role: str, who: Party, address: str | None,
           contact: str | None = None) -> None:
    party = _cac(_cac(parent, role), "Party")
    assert who.orgnr is not None
    _cbc(party, "EndpointID", _digits(who.orgnr), schemeID=ORGNR_SCHEME)
    _cbc(_cac(party, "PartyName"), "Name", who.name)
    postal = _cac(party, "PostalAddress")
    if address:
        _cbc(postal, "StreetName", " ".join(address.split()))
    _cbc(_cac(postal, "Country"), "IdentificationCode", "SE")
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", who.name)
    _cbc(legal, "CompanyID", _digits(who.orgnr), schemeID=ORGNR_SCHEME)
    if contact:
        _cbc(_cac(party, "Contact"), "Name", contact)


def peppol_document(basis: InvoiceBasis, network: Network,
                    decision: Record | SettlementRecord, lang: Lang = "sv") -> bytes:
    """``basis`` (an issued invoice or credit note, never a draft or the own share) as a
    UBL Invoice or CreditNote of Peppol BIS Billing 3.0, UTF-8."""
    assert basis.reference is not None and not basis.draft and not basis.own_share
    credit = basis.is_credit
    root_ns = UBL_CREDIT if credit else UBL_INVOICE
    # the root in its namespace as the default one (xmlns), the components prefixed
    root = ET.Element("CreditNote" if credit else "Invoice", {"xmlns": root_ns})
    _cbc(root, "CustomizationID", CUSTOMIZATION)
    _cbc(root, "ProfileID", PROFILE)
    _cbc(root, "ID", basis.reference)
    _cbc(root, "IssueDate", basis.invoice_date.isoformat())
    if basis.due_date is not None and not credit:
        _cbc(root, "DueDate", basis.due_date.isoformat())
    _cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode",
         CREDIT_TYPE if credit else INVOICE_TYPE)
    note = f"{label('st_label', lang)}: {standing(decision, lang)} ({decision.path.name})."
    if basis.corrects:
        key = "peppol_credits" if credit else "peppol_corrects"
        note += " " + label(key, lang, number=basis.corrects,
                            date=basis.corrects_date.isoformat() if basis.corrects_date else "")
    _cbc(root, "Note", note)
    _cbc(root, "DocumentCurrencyCode", CURRENCY)
    assert basis.recipient.reference is not None
    _cbc(root, "BuyerReference", basis.recipient.reference)
    period = _cac(root, "InvoicePeriod")
    _cbc(period, "StartDate", basis.start.isoformat())
    _cbc(period, "EndDate", basis.end.isoformat())
    if basis.corrects:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", basis.corrects)
        if basis.corrects_date is not None:
            _cbc(reference, "IssueDate", basis.corrects_date.isoformat())
    sender = network.invoicing
    _party(root, "AccountingSupplierParty", basis.sender, sender.address, sender.contact)
    _party(root, "AccountingCustomerParty", basis.recipient, basis.recipient.address)
    if not credit:
        means = _cac(root, "PaymentMeans")
        _cbc(means, "PaymentMeansCode", CREDIT_TRANSFER)
        if basis.ocr:
            _cbc(means, "PaymentID", basis.ocr)
        account = _cac(means, "PayeeFinancialAccount")
        assert sender.bankgiro is not None
        _cbc(account, "ID", sender.bankgiro.replace("-", ""))
        _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", "SE:BANKGIRO")
        if basis.due_date is not None and basis.terms_days is not None:
            _cbc(_cac(root, "PaymentTerms"), "Note",
                 label("inv_terms", lang, days=basis.terms_days))
    lines = basis.stated_lines
    total = basis.stated_total
    tax = _cac(root, "TaxTotal")
    _money(tax, "TaxAmount", Decimal(0))
    subtotal = _cac(tax, "TaxSubtotal")
    _money(subtotal, "TaxableAmount", total)
    _money(subtotal, "TaxAmount", Decimal(0))
    category = _cac(subtotal, "TaxCategory")
    _cbc(category, "ID", "O")
    _cbc(category, "TaxExemptionReason", EXEMPTION)
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")
    totals = _cac(root, "LegalMonetaryTotal")
    for name in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount",
                 "PayableAmount"):
        _money(totals, name, total)
    for number, (description, quantity, price, amount) in enumerate(lines, start=1):
        line = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        _cbc(line, "ID", str(number))
        _cbc(line, "CreditedQuantity" if credit else "InvoicedQuantity", str(quantity),
             unitCode=UNIT)
        _money(line, "LineExtensionAmount", amount)
        item = _cac(line, "Item")
        _cbc(item, "Name", description)
        tax_category = _cac(item, "ClassifiedTaxCategory")
        _cbc(tax_category, "ID", "O")
        _cbc(_cac(tax_category, "TaxScheme"), "ID", "VAT")
        _money(_cac(line, "Price"), "PriceAmount", price)
    ET.indent(root)
    written: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return written + b"\n"
