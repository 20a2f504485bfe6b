"""Invoice bases (fakturaunderlag): who invoices whom, for what, how much, and by when.

The administrator in office at the end of the period (förvaltande kommun) invoices every
other member; its own share is shown as its own contribution, not invoiced. A basis is built
from items (member, amount, description), so the yearly fee and a settlement produce
invoices the same way; a basis whose total is negative is a credit note (kreditfaktura).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from koordination.core.allocation import Allocation
from koordination.core.errors import DataError, Problem
from koordination.core.models import Network
from koordination.core.money import to_decimal
from koordination.core.orgnr import mod10_check_digit

if TYPE_CHECKING:  # a settlement's invoices are built from one; the fee's need none of it
    from koordination.core.settlement import Settlement

PREFIX = "KN"
GIRO = {"bankgiro": re.compile(r"^\d{3,4}-\d{4}$"), "plusgiro": re.compile(r"^\d{1,7}-\d$")}


def check_digit(digits: str) -> int:
    """The mod 10 (Luhn) check digit of ``digits`` (the rule of organisation numbers, giro
    numbers and OCR references)."""
    return mod10_check_digit(digits)


def has_valid_check_digit(number: str) -> bool:
    digits = number.replace("-", "")
    if not re.fullmatch(r"[0-9]{2,}", digits):  # "²" is a digit to str.isdigit, not to int
        return False
    return check_digit(digits[:-1]) == int(digits[-1])


def giro_problem(kind: str, number: str) -> str | None:
    """Why ``number`` is not a bankgiro (NNN-NNNN or NNNN-NNNN) or plusgiro (N…N-N) number
    with a valid mod 10 check digit, or None."""
    example = "123-4566" if kind == "bankgiro" else "1234-5"
    if not GIRO[kind].match(number):
        return f"{number!r} is not a {kind} number (e.g. {example})"
    if not has_valid_check_digit(number):
        return f"{number!r} has a wrong check digit (mod 10); check the number"
    return None


@dataclass(frozen=True)
class Party:
    """A municipality on an invoice: SCB code, name (its legal name when given),
    organisationsnummer, er referens and invoice address when known; ``kommun`` is the
    register's short name (for sheet and file names)."""

    code: str
    name: str
    orgnr: str | None = None
    reference: str | None = None
    address: str | None = None
    kommun: str = ""

    @property
    def short(self) -> str:
        return self.kommun or self.name

    @property
    def party(self) -> bool:
        """True for a party that is not a municipality (code P1, P2, …: no SCB code)."""
        return not self.code.isdigit()


@dataclass(frozen=True)
class InvoiceItem:
    """One line of an invoice basis.

    Attributes:
        code: the member's SCB code. amount: kronor (negative: to be refunded).
        description: what the amount is for, in the reader's language.
        base: the amount the share was taken of (the total to allocate), when it was one.
        population, population_date: the member's population and its reference date.
        population_total: the members' total population, when the share is the population
        share. percent: the member's share of ``base`` in %.
        days: days of membership in the period, when fewer than the period's.
        exact: the member's exact share of ``base`` before rounding (rounded: ``amount``).
    """

    code: str
    amount: Decimal
    description: str
    base: Decimal | None = None
    population: int | None = None
    population_date: date | None = None
    population_total: int | None = None
    percent: Decimal | None = None
    days: int | None = None
    exact: Fraction | None = None


@dataclass(frozen=True)
class InvoiceBasis:
    """One invoice, credit note, draft or the administrator's own share.

    Attributes:
        reference: its number, e.g. ``KN-2015-0115`` or ``KN-2015-0162-2`` (None: a draft or
        the own share, which have none).
        sender: the administrator in office at the end of the period. recipient: the member.
        start, end: the period the amounts are for. invoice_date: the date of the document.
        due_date: invoice_date + the terms, moved to a bank day; None for a credit note, a
        draft and the own share.
        lines: the items, in the order given.
        ocr: the OCR reference when the sender has a giro account (never on a draft).
        corrects, corrects_date: the number and date of the invoice a credit note credits or
        a difference corrects.
        basis: ``fee`` or ``settlement``. purpose: ``charge``, ``reversal`` or ``difference``
        (see :mod:`koordination.core.ledger`). draft: an UTKAST, not an invoice.
        terms_days: the terms the due date follows from (before it was moved to a bank day).
    """

    reference: str | None
    year: int
    sender: Party
    recipient: Party
    start: date
    end: date
    invoice_date: date
    due_date: date | None
    lines: tuple[InvoiceItem, ...]
    ocr: str | None = None
    corrects: str | None = None
    corrects_date: date | None = None
    basis: str = "fee"
    purpose: str = "charge"
    draft: bool = False
    terms_days: int | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def own_share(self) -> bool:
        """True for the administrator's own share (shown, never invoiced)."""
        return self.recipient.code == self.sender.code

    @property
    def is_credit(self) -> bool:
        """True when the member gets money back: a credit note (kreditfaktura)."""
        return not self.own_share and self.total < 0

    @property
    def stated_lines(self) -> tuple[tuple[str, int, Decimal, Decimal], ...]:
        """The lines as a document of its kind states them, each (description, quantity,
        unit price, amount): a credit note states what it credits as positive figures, and
        a price is never negative, so a line against the document's direction is one unit
        taken back (quantity -1)."""
        sign = -1 if self.is_credit else 1
        stated = []
        for line in self.lines:
            amount = line.amount * sign
            stated.append((line.description, -1 if amount < 0 else 1,
                           -amount if amount < 0 else amount, amount))
        return tuple(stated)

    @property
    def stated_total(self) -> Decimal:
        """The total as the document states it (a credit note's positive)."""
        return -self.total if self.is_credit else self.total

    @property
    def kind(self) -> str:
        """``invoice``, ``credit_note`` or ``own_share``."""
        return "own_share" if self.own_share else "credit_note" if self.is_credit else "invoice"

    def content(self, rests_on: str | None) -> dict[str, object]:
        """What the document says, without words (the same in every language): the
        content the register's checksum is of."""
        return {
            "number": self.reference, "ocr": self.ocr, "kind": self.kind, "year": self.year,
            "basis": self.basis, "purpose": self.purpose,
            "sender": self.sender.code, "recipient": self.recipient.code,
            "period": [self.start.isoformat(), self.end.isoformat()],
            "invoice_date": self.invoice_date.isoformat(),
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "lines": [str(line.amount) for line in self.lines], "total": str(self.total),
            "rests_on": rests_on, "corrects": self.corrects,
            "corrects_date": self.corrects_date.isoformat() if self.corrects_date else None,
        }


def reference(year: int, code: str, prefix: str = PREFIX, suffix: str = "") -> str:
    """``KN-2015-0115``: prefix, year and the recipient's SCB code (then ``suffix``)."""
    return f"{prefix}-{year}-{code}{suffix}"


def party(network: Network, code: str, name: str | None = None) -> Party:
    member = network.member(code)
    if member is None:
        return Party(code, name or code)
    return Party(code, member.invoice_name, member.orgnr, member.reference, member.address,
                 member.name)


MEMBER_DETAILS = (("orgnr", "orgnr", "orgnr: NNNNNN-NNNN"),
                  ("reference", "reference (er referens)", "reference: ..."),
                  ("address", "invoice address", "address: ..."))


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def invoicing_gaps(network: Network) -> list[str]:
    """The invoicing details network.yaml does not give (reference 8): one sentence for the
    sender, one for each group of members lacking the same details. Reported on the
    terminal; the invoices print each as missing (saknas)."""
    gaps = []
    details = network.invoicing
    missing = [what for what, given in (("bankgiro or plusgiro", details.has_giro),
                                        ("address", details.address),
                                        ("contact (vår referens)", details.contact))
               if not given]
    if missing:
        no_ocr = "" if details.has_giro else " and carry no OCR reference"
        gaps.append(f"invoicing.sender has no {_listed(missing)}: invoices print "
                    f"{'it' if len(missing) == 1 else 'them'} as missing (saknas){no_ocr} "
                    "(add them under invoicing: {sender: ...})")
    groups: dict[tuple[str, ...], list[str]] = {}
    for m in network.members:  # every member: the administrator can change
        lacking = tuple(key for key, _, _ in MEMBER_DETAILS if not getattr(m, key))
        if lacking:
            groups.setdefault(lacking, []).append(m.name)
    for lacking, names in groups.items():
        whats = [what for key, what, _ in MEMBER_DETAILS if key in lacking]
        examples = ", ".join(example for key, _, example in MEMBER_DETAILS if key in lacking)
        if len(names) == len(network.members) > 1:
            gaps.append(f"no member has an {_listed(whats)} (add {examples} to each member)"
                        if whats[0][0] in "aeio" else
                        f"no member has a {_listed(whats)} (add {examples} to each member)")
        else:
            gaps.append(f"{', '.join(names)}: no {_listed(whats)} (add {examples})")
    return gaps


def sender_of(network: Network, end: date) -> Party:
    """The administrator in office at the end of the period: who invoices."""
    term = network.administrator_on(end)
    return party(network, term.code, term.name)


def by_member(network: Network, items: Iterable[InvoiceItem]) -> dict[str, list[InvoiceItem]]:
    """The items of each member, in the order the members first appear."""
    grouped: dict[str, list[InvoiceItem]] = {}
    for item in items:
        if network.member(item.code) is None:
            raise DataError(Problem(f"{item.code} is not a member of {network.name}; "
                                    "an invoice basis needs a member"))
        grouped.setdefault(item.code, []).append(item)
    return grouped


def build_invoices(
    network: Network,
    year: int,
    start: date,
    end: date,
    items: Iterable[InvoiceItem],
    invoice_date: date,
    basis: str = "fee",
) -> tuple[InvoiceBasis, ...]:
    """Drafts (UTKAST): one per member with items, in the order the members first appear;
    items of the same member become lines of one draft. Drafts first, the administrator's
    own share last. A draft has no number, OCR reference or due date: it is not an invoice
    (an invoice is issued from a decided record, :mod:`koordination.core.ledger`)."""
    sender = sender_of(network, end)
    bases = [InvoiceBasis(reference=None, year=year, sender=sender,
                          recipient=party(network, code), start=start, end=end,
                          invoice_date=invoice_date, due_date=None, lines=tuple(lines),
                          basis=basis, draft=True)
             for code, lines in by_member(network, items).items()]
    return tuple(sorted(bases, key=lambda b: b.own_share))


def allocation_items(alloc: Allocation, fee_text: str,
                     carried_text: str | None = None) -> list[InvoiceItem]:
    """The items of a year's fees: each member's fee with how it was computed, and the
    settlement carried from the year before (when any) as a line of its own."""
    plan = alloc.plan
    total_population = sum(m.population for m in alloc.members)
    share_is_population = alloc.percent_is_population_share
    items: list[InvoiceItem] = []
    for m in alloc.members:
        items.append(InvoiceItem(
            code=m.code,
            amount=m.fee,
            description=fee_text,
            base=alloc.total,
            population=m.population,
            population_date=plan.snapshot.date,
            population_total=total_population if share_is_population else None,
            percent=m.percent,
            days=m.days if m.days != plan.period_days else None,
            exact=m.exact,
        ))
        if m.carried:
            items.append(InvoiceItem(code=m.code, amount=m.carried,
                                     description=carried_text or fee_text))
    return items


def allocation_invoices(alloc: Allocation, invoice_date: date, fee_text: str,
                        carried_text: str | None = None) -> tuple[InvoiceBasis, ...]:
    """The drafts of a year's allocation: the sum of their totals is the allocation's total
    (every member's ``amount``)."""
    plan = alloc.plan
    return build_invoices(plan.network, alloc.year, plan.start, plan.end,
                          allocation_items(alloc, fee_text, carried_text), invoice_date)


def settlement_items(settlement: Settlement, settle_text: str) -> list[InvoiceItem]:
    """The items of a year's settlement: each member's share of the difference unless it is
    carried into next year's fee, and its share of each one-off cost (always invoiced).
    Zero amounts are left out; a member whose items are all negative gets a credit note."""
    plan = settlement.plan
    items: list[InvoiceItem] = []
    for m in settlement.members:
        if m.settlement and not m.carried:
            percent = (to_decimal(m.exact / Fraction(settlement.difference) * 100, 2)
                       if settlement.difference else None)
            items.append(InvoiceItem(
                code=m.code, amount=m.settlement, description=settle_text,
                base=settlement.difference, population=m.population,
                population_date=plan.snapshot.date, percent=percent,
                days=m.days if m.days != plan.period_days else None, exact=m.exact,
            ))
        for share, amount in zip(settlement.one_offs, m.one_off, strict=True):
            if amount:
                items.append(InvoiceItem(
                    code=m.code, amount=amount,
                    description=f"{share.cost.name} ({share.cost.date.isoformat()})",
                    base=share.total,
                    percent=to_decimal(share.exact[m.code] / Fraction(share.total) * 100, 2),
                    exact=share.exact[m.code],
                ))
    return items


def settlement_invoices(settlement: Settlement, invoice_date: date,
                        settle_text: str) -> tuple[InvoiceBasis, ...]:
    """The drafts of a year's settlement: their totals sum to what the settlement invoices
    or pays back now."""
    plan = settlement.plan
    return build_invoices(plan.network, settlement.year, plan.start, plan.end,
                          settlement_items(settlement, settle_text), invoice_date,
                          basis="settlement")


def invoiced_total(bases: Sequence[InvoiceBasis]) -> Decimal:
    """What the administrator invoices (credit notes count negative), without its own share."""
    return sum((b.total for b in bases if not b.own_share), Decimal(0))


def bases_total(bases: Sequence[InvoiceBasis]) -> Decimal:
    """Every basis summed, the administrator's own share included (credit notes negative)."""
    return sum((b.total for b in bases), Decimal(0))
