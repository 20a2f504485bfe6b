"""The invoice register (fakturaregister) of a year, and what is to be issued next (pure).

Every invoice and credit note kn issues is registered: its number, OCR reference, kind,
member, amount, dates, the record it rests on and the checksum of its content. What a run
issues follows from the register and the record in force alone:

- a member with nothing registered gets one document for its amount (an invoice, or a
  credit note when the amount is negative);
- a member whose registered documents sum to its amount gets nothing (running again issues
  nothing new);
- otherwise (a revision changed its amount), with ``corrections: replace`` a credit note
  reversing what is registered, naming the invoice it credits, and a new document for the
  amount with the next number; with ``corrections: difference`` one invoice or credit note
  for the difference, naming the invoice it corrects.

Numbers: ``PREFIX-YEAR-CODE`` for a member's first document, then ``-2``, ``-3`` for the
next invoices and ``-K1``, ``-K2`` for credit notes (a settlement's: ``-A``, ``-A2``,
``-AK1``). Each number has its own OCR reference (:func:`koordination.core.ocr.document_ocr`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from koordination.core.ocr import document_ocr

Kind = Literal["invoice", "credit_note"]
Basis = Literal["fee", "settlement"]
Purpose = Literal["charge", "reversal", "difference"]
Mode = Literal["replace", "difference"]
MAX_SEQUENCE = 99


@dataclass(frozen=True)
class Issued:
    """One registered invoice or credit note.

    Attributes:
        number: e.g. ``KN-2015-0162-2``. ocr: its OCR reference (None without a giro account).
        kind: invoice or credit_note. basis: fee (the year's fees) or settlement.
        purpose: charge (the member's amount as decided), reversal (credits what is
        registered before a new charge) or difference (the change a revision made).
        code, name: the member. amount: kronor, negative for a credit note.
        invoice_date, due_date: the dates printed (no due date on a credit note).
        rests_on: the record it rests on (``2015.json``, ``2015.rev1.json``,
        ``settlement-2015.json``). revision: that record's revision number (0: the decision;
        None: a settlement decision).
        corrects, corrects_date: the number and date of the document it credits or corrects.
        sha256: the checksum of the document's content (:func:`document_digest`).
    """

    number: str
    ocr: str | None
    kind: Kind
    basis: Basis
    purpose: Purpose
    code: str
    name: str
    amount: Decimal
    invoice_date: date
    due_date: date | None
    rests_on: str
    revision: int | None
    corrects: str | None
    corrects_date: date | None
    sha256: str


@dataclass(frozen=True)
class Planned:
    """A document to issue now: its member, kind, purpose, amount, number and OCR (None
    without giro), and the registered document it credits or corrects."""

    code: str
    kind: Kind
    purpose: Purpose
    amount: Decimal
    number: str
    ocr: str | None
    corrects: Issued | None


def base_number(prefix: str, year: int, code: str, basis: Basis) -> str:
    """``KN-2015-0162`` (a settlement's: ``KN-2015-0162-A``)."""
    return f"{prefix}-{year}-{code}" + ("-A" if basis == "settlement" else "")


def document_number(prefix: str, year: int, code: str, basis: Basis, credit_series: bool,
                    sequence: int) -> str:
    """The number of the ``sequence``-th document of a member's series: invoices
    ``KN-2015-0162``, ``KN-2015-0162-2``, ...; credit notes ``KN-2015-0162-K1``, ...
    (settlement: ``KN-2015-0162-A``, ``-A2``, ``-AK1``)."""
    base = base_number(prefix, year, code, basis)
    glue = "" if basis == "settlement" else "-"
    if credit_series:
        return f"{base}{glue}K{sequence}"
    return base if sequence == 1 else f"{base}{glue}{sequence}"


def kind_of(amount: Decimal) -> Kind:
    return "credit_note" if amount < 0 else "invoice"


def plan_documents(prefix: str, year: int, basis: Basis, registered: Sequence[Issued],
                   targets: Mapping[str, Decimal], order: Sequence[str], mode: Mode,
                   giro: bool) -> list[Planned]:
    """What to issue so that each member's registered documents (of ``basis``) sum to its
    target amount; members in ``order`` (those registered but no longer targeted last, with
    target 0). Raises ValueError when a member would need a 100th number in a series."""
    taken = {d.number for d in registered}
    planned: list[Planned] = []
    codes = list(order) + sorted({d.code for d in registered if d.basis == basis} - set(order))

    def take(code: str, amount: Decimal, purpose: Purpose, corrects: Issued | None) -> None:
        mine = [d for d in registered if d.code == code and d.basis == basis]
        first = not mine and not any(p.code == code for p in planned)
        credit_series = amount < 0 and not first
        for sequence in range(1, MAX_SEQUENCE + 1):
            number = document_number(prefix, year, code, basis, credit_series, sequence)
            if number not in taken:
                break
        else:
            raise ValueError(f"{code} has {MAX_SEQUENCE} documents in one series")
        taken.add(number)
        ocr = document_ocr(year, code, basis, credit_series, sequence) if giro else None
        planned.append(Planned(code, kind_of(amount), purpose, amount, number, ocr, corrects))

    for code in codes:
        target = targets.get(code, Decimal(0))
        mine = [d for d in registered if d.code == code and d.basis == basis]
        if not mine:
            if target:
                take(code, target, "charge", None)
            continue
        have = sum((d.amount for d in mine), Decimal(0))
        if have == target:
            continue
        charges = [d for d in mine if d.purpose == "charge"]
        standing = charges[-1] if charges else mine[-1]
        if mode == "difference":
            take(code, target - have, "difference", standing)
            continue
        if have:
            take(code, -have, "reversal", standing)
        if target:
            take(code, target, "charge", None)
    return planned


def document_digest(content: Mapping[str, object]) -> str:
    """The SHA-256 of a document's content, written as canonical JSON (sorted keys, no
    spaces): what the register checks a document issued again against."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
