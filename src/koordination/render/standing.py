"""What a document of a fee year rests on (reference 9): the decision or revision in force
(who decided, when, §), or, for a year not decided, that it is a proposal (Förslag)."""

from __future__ import annotations

from koordination.core.records import Record, SettlementRecord
from koordination.render.labels import Lang, label


def standing(record: Record | SettlementRecord | None, lang: Lang) -> str:
    """``Beslutad 2015-03-01 av Kommunstyrelsen, § 12`` / ``Reviderad (revision 1) ...`` /
    ``Avräkningen beslutad 2016-03-20 ...`` / ``Förslag – ej beslutat``."""
    if record is None:
        return label("st_proposal", lang)
    key = ("st_settlement_decided" if isinstance(record, SettlementRecord)
           else "st_decided" if record.number == 0 else "st_revised")
    text = label(key, lang, date=record.decision_date, number=record.number)
    if record.decided_by:
        text += label("st_by", lang, who=record.decided_by)
    if record.ref:
        text += f", {record.ref}"
    return text


def short_standing(record: Record | SettlementRecord | None, lang: Lang) -> str:
    """The page header's word: ``Förslag``, ``Beslutad 2015-03-01`` or ``Revision 1``."""
    if record is None:
        return label("st_proposal_short", lang)
    if isinstance(record, SettlementRecord):
        return label("st_settlement_decided", lang, date=record.decision_date)
    if record.number == 0:
        return label("st_decided", lang, date=record.decision_date)
    return label("st_revision_short", lang, number=record.number, date=record.decision_date)
