"""``kn invoices`` on a terminal: one line per invoice basis, and the total."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rich.table import Table

from koordination.core.invoices import InvoiceBasis
from koordination.render.labels import Lang, label
from koordination.render.numbers import kr
from koordination.render.xlsx.invoices import kind


def invoices_table(title: str, bases: Sequence[InvoiceBasis], total: Decimal, unit: Decimal,
                   lang: Lang) -> Table:
    """Reference, kind (invoice, credit note, own share), recipient, amount, due date."""
    table = Table(title=title, show_footer=True)
    table.add_column(label("inv_reference", lang), label("total", lang))
    table.add_column(label("col_kind", lang))
    table.add_column(label("inv_recipient", lang))
    table.add_column(label("col_amount_plain", lang), kr(total, unit, lang), justify="right")
    table.add_column(label("inv_due", lang))
    for b in bases:
        table.add_row(b.reference, kind(b, lang), b.recipient.name, kr(b.total, unit, lang),
                      b.due_date.isoformat() if b.due_date else "")
    return table
