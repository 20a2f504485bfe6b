"""Text about decision records."""

from __future__ import annotations

from koordination.core.records import Record, SettlementRecord
from koordination.render.labels import Lang, label


def who(record: Record | SettlementRecord) -> str:
    """`` (Kommunstyrelsen, § 12)``: who decided and the decision's reference, in brackets
    after its date; empty when the record names neither."""
    names = ", ".join(part for part in (record.decided_by, record.ref) if part)
    return f" ({names})" if names else ""


def describe(record: Record | SettlementRecord, lang: Lang) -> str:
    """``the decision of 2015-03-01 (Kommunstyrelsen, § 12)``, ``revision 2 of ...`` or
    ``the settlement decision of ...``."""
    when = f"{record.decision_date}{who(record)}"
    if isinstance(record, SettlementRecord):
        return label("d_settlement_decision", lang, when=when)
    if record.number == 0:
        return label("d_decision", lang, when=when)
    return label("d_revision", lang, number=record.number, when=when)
