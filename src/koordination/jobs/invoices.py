"""The ``kn invoices`` job: issue the invoices and credit notes of a year's fees (or its
settlement), register them, and write their workbook and Peppol documents.

Invoices are issued from a decided record only: the decision or revision in force of the
fees, or the settlement decision. What is issued follows from that record and the register
(:mod:`koordination.core.ledger`): the first run issues one document per member, a run after
a revision issues the corrections, and any other run issues nothing new and writes the
registered documents again, byte for byte (their numbers, OCR references and dates are the
register's). ``--draft`` writes drafts (UTKAST) of any year and registers nothing.

Order of writing (reference section 9): the workbooks, the Peppol documents, then the
register. A run that fails leaves every file as it was and registers nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from koordination.core.errors import Problem, RefusedError, UsageError
from koordination.core.invoices import (
    InvoiceBasis,
    InvoiceItem,
    allocation_items,
    bases_total,
    build_invoices,
    by_member,
    invoicing_gaps,
    party,
    sender_of,
    settlement_items,
)
from koordination.core.models import Network
from koordination.core.records import Record, SettlementRecord
from koordination.io.datadir import DataDir, load_network
from koordination.io.files import atomic_write, run_lock, undone_on_failure
from koordination.io.records import record_in_force
from koordination.jobs.allocation import decided_allocation, run_settlement
from koordination.render.labels import Lang, label

if TYPE_CHECKING:  # the register's types; its code is loaded by the runs that issue invoices
    from koordination.core.ledger import Basis, Issued, Planned

Decision = Record | SettlementRecord


@dataclass(frozen=True)
class InvoicesRun:
    """What was issued and written.

    Attributes:
        bases: the documents of the record in force (those registered before and those
        issued now), then the administrator's own share; drafts with ``draft``.
        total: the bases' totals summed. unit: the network's rounding unit.
        title: the title of the summary. written: the workbook, or the folder of --split files
        (None when nothing was written). files: how many workbooks were written.
        decision: the record the documents rest on (None: drafts of an undecided year).
        notes: the invoicing details network.yaml does not give, one line each.
        issued: the documents this run registered (or, when it writes nothing, would).
        registered: the numbers registered before this run. draft: drafts, not invoices.
        peppol: the folder of Peppol documents (None: none written). peppol_files: how many.
    """

    bases: tuple[InvoiceBasis, ...]
    total: Decimal
    unit: Decimal
    title: str
    written: Path | None
    files: int
    decision: Decision | None = None
    notes: tuple[str, ...] = ()
    issued: tuple[Issued, ...] = ()
    registered: frozenset[str] = frozenset()
    draft: bool = False
    peppol: Path | None = None
    peppol_files: int = 0
    issued_register: Path | None = None


@dataclass(frozen=True)
class _Year:
    """What a year's documents are built from: the record, its items, the period."""

    network: Network
    year: int
    basis: Basis
    record: Decision | None
    items: list[InvoiceItem]
    start: date
    end: date
    unit: Decimal
    title: str
    stem: str


def _load(data: DataDir, year: int, settlement: bool, lang: Lang, draft: bool) -> _Year:
    network = load_network(data)
    name = network.name
    if settlement:
        from koordination.core.forecast import refuse_forecast
        from koordination.jobs.settle import checked_settlement

        settled = run_settlement(data, year, network)
        if not draft:  # a forecast gives drafts only
            refuse_forecast(settled.settlement, "a settlement invoice", str(data.year_file(
                data.actuals, year, "actuals file")))
        plan = settled.settlement.plan
        record: Decision | None = checked_settlement(data, settled)
        items = settlement_items(settled.settlement,
                                 label("inv_settle_text", lang, name=name, year=year))
        return _Year(network, year, "settlement", record, items, plan.start, plan.end, plan.unit,
                     label("title_settlement_invoices", lang, name=name, year=year),
                     f"fakturaunderlag-avrakning-{year}")
    alloc = decided_allocation(data, year, network).allocation  # refused if it differs
    record = record_in_force(data, year, network)
    items = allocation_items(alloc, label("inv_fee_text", lang, name=name, year=year),
                             label("inv_carried_text", lang, year=year - 1))
    return _Year(network, year, "fee", record, items, alloc.plan.start, alloc.plan.end,
                 alloc.plan.unit, label("title_invoices", lang, name=name, year=year),
                 f"fakturaunderlag-{year}")


def _undecided(data: DataDir, year: int, settlement: bool) -> RefusedError:
    if settlement:
        from koordination.io.register import settlement_path

        return RefusedError(Problem(
            f"the settlement of {year} is not decided, and only a decided settlement is "
            f"invoiced; record it with 'kn settle {year} --final', or write drafts with "
            "--draft", str(settlement_path(data, year))))
    from koordination.io.records import decision_path

    return RefusedError(Problem(
        f"{year} is not decided, and only decided fees are invoiced; record the decision with "
        f"'kn allocate {year} --final', or write drafts with --draft",
        str(decision_path(data, year))))


class _Builder:
    """Builds the documents resting on one record, in the run's language."""

    def __init__(self, y: _Year, lang: Lang) -> None:
        self.y = y
        self.lang = lang
        self.sender = sender_of(y.network, y.end)
        self.lines = by_member(y.network, y.items)
        self.rests_on = y.record.path.name if y.record is not None else None
        from koordination.render.text.decision import describe

        self.described = describe(y.record, lang) if y.record is not None else ""

    def targets(self) -> dict[str, Decimal]:
        """Each member's amount, the administrator's own share apart."""
        return {code: sum((line.amount for line in lines), Decimal(0))
                for code, lines in self.lines.items() if code != self.sender.code}

    def document(self, number: str, ocr: str | None, code: str, purpose: str, amount: Decimal,
                 invoice_date: date, due: date | None, corrects: str | None,
                 corrects_date: date | None) -> InvoiceBasis:
        y = self.y
        if purpose == "charge":
            lines = tuple(self.lines.get(code, ()))
        else:
            key = "inv_reversal_line" if purpose == "reversal" else "inv_difference_line"
            text = label(key, self.lang, number=corrects or "",
                         date=corrects_date.isoformat() if corrects_date else "",
                         record=self.described)
            lines = (InvoiceItem(code=code, amount=amount, description=text),)
        return InvoiceBasis(
            reference=number, year=y.year, sender=self.sender,
            recipient=party(y.network, code), start=y.start, end=y.end,
            invoice_date=invoice_date, due_date=due, lines=lines, ocr=ocr, corrects=corrects,
            corrects_date=corrects_date, basis=y.basis, purpose=purpose,
            terms_days=y.network.payment_days if due is not None else None)

    def own_share(self, invoice_date: date) -> InvoiceBasis | None:
        mine = self.lines.get(self.sender.code)
        if not mine:
            return None
        y = self.y
        return InvoiceBasis(reference=None, year=y.year, sender=self.sender,
                            recipient=self.sender, start=y.start, end=y.end,
                            invoice_date=invoice_date, due_date=None, lines=tuple(mine),
                            basis=y.basis)


def _settlement_corrects(registered: Sequence[Issued], code: str) -> Issued | None:
    """The fee invoice a settlement's credit note for ``code`` names: its latest charge."""
    charges = [d for d in registered if d.code == code and d.basis == "fee"
               and d.purpose == "charge" and d.kind == "invoice"]
    return charges[-1] if charges else None


def _issue(y: _Year, builder: _Builder, registered: Sequence[Issued], day: date,
           register: Path) -> tuple[list[InvoiceBasis], list[Issued]]:
    """The documents resting on the record in force: those registered before (built again
    and checked against their checksum) and those issued now, with the new entries."""
    from koordination.core.ledger import Issued, document_digest, plan_documents

    record = y.record
    assert record is not None and builder.rests_on is not None
    network = y.network
    targets = builder.targets()
    try:
        planned = plan_documents(network.invoice_prefix, record.year, y.basis, registered,
                                 targets, list(targets),
                                 network.invoicing.corrections, network.invoicing.has_giro)
    except ValueError as err:
        raise RefusedError(Problem(f"{err}; kn numbers at most 99 documents per member and "
                                   "series")) from None
    from koordination.jobs.bankdays import due_date  # the holidays package: only to issue

    revision = record.number if isinstance(record, Record) else None
    documents: list[InvoiceBasis] = []
    for old in registered:
        if old.rests_on != builder.rests_on or old.basis != y.basis:
            continue
        again = builder.document(old.number, old.ocr, old.code, old.purpose, old.amount,
                                 old.invoice_date, old.due_date, old.corrects,
                                 old.corrects_date)
        if again.total != old.amount or \
                document_digest(again.content(builder.rests_on)) != old.sha256:
            raise RefusedError(Problem(
                f"{old.number}: the document as registered is not what "
                f"{builder.rests_on} gives today; nothing was written; put the inputs back "
                "as they were when it was issued, or restore the register from a backup",
                str(register)))
        documents.append(again)
    new: list[Issued] = []
    for p in planned:
        corrects, corrects_date = _correction_of(p, y, registered)
        due = due_date(day, network.payment_days) if p.kind == "invoice" else None
        doc = builder.document(p.number, p.ocr, p.code, p.purpose, p.amount, day, due,
                               corrects, corrects_date)
        documents.append(doc)
        new.append(Issued(
            number=p.number, ocr=p.ocr, kind=p.kind, basis=y.basis, purpose=p.purpose,
            code=p.code, name=doc.recipient.name, amount=p.amount, invoice_date=day,
            due_date=due, rests_on=builder.rests_on, revision=revision, corrects=corrects,
            corrects_date=corrects_date,
            sha256=document_digest(doc.content(builder.rests_on))))
    return documents, new


def _correction_of(p: Planned, y: _Year, registered: Sequence[Issued]
                   ) -> tuple[str | None, date | None]:
    if p.corrects is not None:
        return p.corrects.number, p.corrects.invoice_date
    if y.basis == "settlement" and p.kind == "credit_note":
        fee = _settlement_corrects(registered, p.code)
        if fee is not None:
            return fee.number, fee.invoice_date
    return None, None


def run_invoices(data: DataDir, year: int, day: date, settlement: bool, split: bool,
                 output: Path | None, lang: Lang, write: bool = True, draft: bool = False,
                 peppol: Path | None = None) -> InvoicesRun:
    """Issue ``year``'s invoices (or with ``settlement`` its settlement's), dated ``day``
    when new, and write them (unless ``write`` is False: then nothing is written or
    registered) to ``output`` or the year's reports folder, and with ``peppol`` as Peppol
    BIS Billing 3.0 documents into that folder; ``draft`` writes drafts instead."""
    if output is not None:
        data.check_output(output, folder=split)
    if draft and peppol is not None:
        raise UsageError(Problem("--peppol writes invoices, and a draft is not an invoice; "
                                 "give one of --draft and --peppol"))
    if peppol is not None:
        data.check_output(peppol, folder=True, option="--peppol")
    y = _load(data, year, settlement, lang, draft)
    if y.record is None and not draft:
        raise _undecided(data, year, settlement)
    network = y.network
    notes = tuple(f"note: {data.network_file}: {gap}" for gap in invoicing_gaps(network))
    builder = _Builder(y, lang)
    registered: tuple[Issued, ...] = ()
    read: list[dict[str, Any]] | None = None  # the register's entries as read
    new: list[Issued] = []
    register: Path | None = None
    if draft:
        bases = build_invoices(network, year, y.start, y.end, y.items, day, y.basis)
    else:
        from koordination.io.register import load_register, register_path

        registered, read = load_register(data, year)
        register = register_path(data, year)
        documents, new = _issue(y, builder, registered, day, register)
        own = builder.own_share(documents[0].invoice_date if documents else day)
        bases = tuple(documents) + ((own,) if own is not None else ())
    if peppol is not None:
        _check_peppol(data, network, bases)
    decision = y.record
    done = InvoicesRun(tuple(bases), bases_total(bases), y.unit, y.title, None, 0, decision,
                       notes, tuple(new), frozenset(d.number for d in registered), draft)
    if not bases:
        return done
    from koordination.render.xlsx.invoices import (
        file_name,
        invoices_workbook,
        single_invoice_workbook,
    )

    sender = network.invoicing
    if split:
        target = output or data.reports(year) / y.stem
        files = {target / file_name(b): single_invoice_workbook(b, network.name, lang, decision,
                                                                sender)
                 for b in bases}
    else:
        target = output or data.reports(year) / f"{y.stem}.xlsx"
        files = {target: invoices_workbook(bases, network.name, year, lang, y.title, decision,
                                           sender)}
    if peppol is not None:
        from koordination.render.peppol import peppol_document

        assert decision is not None
        for b in bases:
            if not b.own_share:
                files[peppol / f"{b.reference}.xml"] = peppol_document(b, network, decision,
                                                                     lang)
    if not write:
        return done
    with run_lock(data.root):
        with undone_on_failure(files):  # a failed run leaves nothing new
            for path, content in files.items():
                atomic_write(path, content)
            if new:  # the register last, after every document is written
                from koordination.io.register import append_to_register

                append_to_register(data, year, network.name, read, registered, new, y.unit)
    xml = sum(1 for path in files if path.suffix == ".xml")
    return replace(done, written=target, files=len(files) - xml, peppol=peppol,
                   peppol_files=xml, issued_register=register if new else None)


def _check_peppol(data: DataDir, network: Network, bases: Sequence[InvoiceBasis]) -> None:
    """What a Peppol document needs and network.yaml does not give: one line each."""
    problems = []
    file = str(data.network_file)
    invoiced = [b for b in bases if not b.own_share]
    if not invoiced:
        return
    sender = invoiced[0].sender
    if not sender.orgnr:
        problems.append(Problem(f"{sender.short}, the administrator, has no orgnr; a Peppol "
                                "invoice names the seller by its organisation number (add "
                                "orgnr: NNNNNN-NNNN)", file, "members"))
    if not network.invoicing.bankgiro:
        problems.append(Problem("the sender has no bankgiro; a Peppol invoice names the "
                                "account to pay to (add invoicing: {sender: {bankgiro: "
                                "NNN-NNNN}})", file, "invoicing.sender.bankgiro"))
    seen = set()
    for b in invoiced:
        who = b.recipient
        if who.code in seen:
            continue
        seen.add(who.code)
        if not who.orgnr:
            problems.append(Problem(f"{who.short} has no orgnr; a Peppol invoice is addressed "
                                    "to the buyer's organisation number (add orgnr: "
                                    "NNNNNN-NNNN)", file, "members"))
        if not who.reference:
            problems.append(Problem(f"{who.short} has no reference (er referens); a Peppol "
                                    "invoice carries the buyer's reference (add reference: "
                                    "...)", file, "members"))
    if problems:
        raise RefusedError(problems)
