"""Invoice bases (fakturaunderlag): who invoices whom, for what, how much, and by when.

The administrator in office at the end of the period (förvaltande kommun) invoices every
other member; its own share is shown as its own contribution, not invoiced. A basis is built
from items (member, amount, description), so the yearly fee and a settlement produce
invoices the same way; a basis whose total is negative is a credit note (kreditfaktura).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from koordination.core.allocation import Allocation
from koordination.core.errors import DataError, Problem
from koordination.core.models import Network
from koordination.core.money import to_decimal
from koordination.core.settlement import Settlement

PREFIX = "KN"


@dataclass(frozen=True)
class Party:
    """A municipality on an invoice: SCB code, name and organisationsnummer when known."""

    code: str
    name: str
    orgnr: str | None = None


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


@dataclass(frozen=True)
class InvoiceBasis:
    """The basis of one invoice, credit note or the administrator's own share.

    Attributes:
        reference: e.g. ``KN-2015-0115`` (prefix, fee year, the recipient's SCB code).
        sender: the administrator in office at the end of the period. recipient: the member.
        start, end: the period the amounts are for. invoice_date: the date of the invoice.
        due_date: invoice_date + the network's payment days; None for the own share.
        lines: the items, in the order given.
    """

    reference: str
    year: int
    sender: Party
    recipient: Party
    start: date
    end: date
    invoice_date: date
    due_date: date | None
    lines: tuple[InvoiceItem, ...]

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


def reference(year: int, code: str, prefix: str = PREFIX, suffix: str = "") -> str:
    """``KN-2015-0115``: prefix, year and the recipient's SCB code (then ``suffix``)."""
    return f"{prefix}-{year}-{code}{suffix}"


def party(network: Network, code: str, name: str | None = None) -> Party:
    member = network.member(code)
    return Party(code, member.name if member else (name or code),
                 member.orgnr if member else None)


def build_invoices(
    network: Network,
    year: int,
    start: date,
    end: date,
    items: Iterable[InvoiceItem],
    invoice_date: date,
    prefix: str = PREFIX,
    suffix: str = "",
) -> tuple[InvoiceBasis, ...]:
    """One basis per member with items, in the order the members first appear; items of the
    same member become lines of one basis. Invoices first, the administrator's own share
    last. The due date is ``invoice_date`` + the network's ``payment_days``."""
    term = network.administrator_on(end)
    sender = party(network, term.code, term.name)
    grouped: dict[str, list[InvoiceItem]] = {}
    for item in items:
        if network.member(item.code) is None:
            raise DataError(Problem(f"{item.code} is not a member of {network.name}; "
                                    "an invoice basis needs a member"))
        grouped.setdefault(item.code, []).append(item)
    due = invoice_date + timedelta(days=network.payment_days)
    bases = [
        InvoiceBasis(
            reference=reference(year, code, prefix, suffix),
            year=year,
            sender=sender,
            recipient=party(network, code),
            start=start,
            end=end,
            invoice_date=invoice_date,
            due_date=None if code == sender.code else due,
            lines=tuple(lines),
        )
        for code, lines in grouped.items()
    ]
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
        ))
        if m.carried:
            items.append(InvoiceItem(code=m.code, amount=m.carried,
                                     description=carried_text or fee_text))
    return items


def allocation_invoices(alloc: Allocation, invoice_date: date, fee_text: str,
                        carried_text: str | None = None) -> tuple[InvoiceBasis, ...]:
    """The invoice bases of a year's allocation: the sum of their totals is the allocation's
    total (every member's ``amount``)."""
    plan = alloc.plan
    return build_invoices(plan.network, alloc.year, plan.start, plan.end,
                          allocation_items(alloc, fee_text, carried_text), invoice_date)


SETTLEMENT_SUFFIX = "-A"  # avräkning: KN-2015-0115-A


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
                days=m.days if m.days != plan.period_days else None,
            ))
        for share, amount in zip(settlement.one_offs, m.one_off, strict=True):
            if amount:
                items.append(InvoiceItem(
                    code=m.code, amount=amount,
                    description=f"{share.cost.name} ({share.cost.date.isoformat()})",
                    base=share.total,
                    percent=to_decimal(share.exact[m.code] / Fraction(share.total) * 100, 2),
                ))
    return items


def settlement_invoices(settlement: Settlement, invoice_date: date,
                        settle_text: str) -> tuple[InvoiceBasis, ...]:
    """The invoice bases and credit notes of a year's settlement (references ``...-A``):
    their totals sum to what the settlement invoices or pays back now."""
    plan = settlement.plan
    return build_invoices(plan.network, settlement.year, plan.start, plan.end,
                          settlement_items(settlement, settle_text), invoice_date,
                          suffix=SETTLEMENT_SUFFIX)


def invoiced_total(bases: Sequence[InvoiceBasis]) -> Decimal:
    """What the administrator invoices (credit notes count negative), without its own share."""
    return sum((b.total for b in bases if not b.own_share), Decimal(0))


def bases_total(bases: Sequence[InvoiceBasis]) -> Decimal:
    """Every basis summed, the administrator's own share included (credit notes negative)."""
    return sum((b.total for b in bases), Decimal(0))
