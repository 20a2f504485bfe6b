"""Text about decision records."""

from __future__ import annotations

from koordination.core.records import Record, SettlementRecord
from koordination.render.labels import Lang, label


def describe(record: Record | SettlementRecord, lang: Lang) -> str:
    """``the decision of 2015-03-01 (Kommunstyrelsen, § 12)``, ``revision 2 of ...`` or
    ``the settlement decision of ...``."""
    who = ", ".join(part for part in (record.decided_by, record.ref) if part)
    when = f"{record.decision_date}" + (f" ({who})" if who else "")
    if isinstance(record, SettlementRecord):
        return label("d_settlement_decision", lang, when=when)
    if record.number == 0:
        return label("d_decision", lang, when=when)
    return label("d_revision", lang, number=record.number, when=when)
