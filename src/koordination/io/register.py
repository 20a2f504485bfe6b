"""The settlement decision (``decisions/settlement-YEAR.json``) and the invoice register
(``decisions/invoices-YEAR.json``) on disk.

Both are records (reference section 9): checked whenever they are read, never overwritten.
A settlement decision is written once. The register is only appended to: a run that issues
documents writes a new version of the file (atomically) holding every entry of the old one
unchanged, checked against the file as it was read, then the new entries.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

from koordination.core.errors import Problem, RefusedError
from koordination.core.ledger import Basis, Issued, Kind, Purpose
from koordination.core.money import plain_money
from koordination.core.ocr import ocr_problem
from koordination.core.records import (
    SettledMember,
    SettlementRecord,
    settled_members,
    settled_totals,
)
from koordination.core.settlement import Settlement
from koordination.io.datadir import DataDir
from koordination.io.files import atomic_write
from koordination.io.records import FORMAT, RecordReader, header, inputs_json, record_bytes

SETTLEMENT_KIND = "kn-settlement-decision"
REGISTER_KIND = "kn-invoice-register"
_HEX = re.compile(r"^[0-9a-f]{64}$")
BROKEN = ("the file is damaged or was not written by kn; restore it from a backup (kn never "
          "changes a record it wrote)")


def settlement_path(data: DataDir, year: int) -> Path:
    return data.decisions / f"settlement-{year}.json"


def register_path(data: DataDir, year: int) -> Path:
    return data.decisions / f"invoices-{year}.json"


# -- the settlement decision ---------------------------------------------------------------


def load_settlement_record(data: DataDir, year: int) -> SettlementRecord | None:
    """The settlement decision of ``year``, checked (per member amount = settlement +
    one-off; the settlements sum to the difference, the one-off shares to the one-off
    costs, and both to the total), or None when the settlement is not decided."""
    path = settlement_path(data, year)
    if not os.path.lexists(path):
        return None
    r = RecordReader(str(path), BROKEN, filled=True)
    raw = r.load(path, SETTLEMENT_KIND, year)
    members: list[SettledMember] = []
    for i, entry in enumerate(r.objects(raw, "members")):
        where = f"members[{i}]"
        code, name = r.text(entry, "kommunkod", where), r.text(entry, "kommun", where)
        carried = entry.get("carried")
        if not isinstance(carried, bool):
            raise r.fail(f"carried is {carried!r}, not true or false", f"{where}.carried")
        member = SettledMember(code, name, r.money(entry, "settlement", where), carried,
                               r.money(entry, "one_off", where), r.money(entry, "amount", where))
        if member.settlement + member.one_off != member.amount:
            raise r.fail(f"settlement {member.settlement} + one_off {member.one_off} is not "
                         f"the amount {member.amount}", where)
        if any(m.code == code for m in members):
            raise r.fail(f"kommunkod {code} appears twice", where)
        members.append(member)
    for key, summed in settled_totals(members).items():
        if r.money(raw, key) != summed:
            raise r.fail(f"the members sum to {summed}, not to the {key} written", key)
    inputs = r.inputs(raw)
    return SettlementRecord(path, year, r.day(raw, "decision_date").isoformat(),
                            r.maybe_text(raw, "decided_by"), r.maybe_text(raw, "ref"),
                            tuple(members), inputs)


def settlement_json(settlement: Settlement, charged_from: str, inputs: dict[str, str],
                    decided_by: str | None, decision_date: date, ref: str | None) -> bytes:
    unit = settlement.plan.unit
    members = settled_members(settlement)
    return record_bytes({
        **header(SETTLEMENT_KIND, settlement.plan, settlement.year, decided_by, decision_date,
                 ref),
        "charged_from": charged_from,
        **{key: plain_money(summed, unit) for key, summed in settled_totals(members).items()},
        "members": [{"kommunkod": m.code, "kommun": m.name,
                     "settlement": plain_money(m.settlement, unit), "carried": m.carried,
                     "one_off": plain_money(m.one_off, unit),
                     "amount": plain_money(m.amount, unit)} for m in members],
        "inputs": inputs_json(inputs),
    })


# -- the invoice register --------------------------------------------------------------------

def _entry(r: RecordReader, entry: dict[str, Any], where: str) -> Issued:
    number = r.text(entry, "number", where)
    ocr = r.maybe_text(entry, "ocr", where)
    wrong = ocr_problem(ocr) if ocr is not None else None
    if wrong:
        raise r.fail(wrong, f"{where}.ocr")
    amount = r.money(entry, "amount", where)
    kind = r.choice(entry, "kind", get_args(Kind), where)
    if (kind == "credit_note") != (amount < 0):
        raise r.fail(f"a {kind} of {amount}", f"{where}.amount")
    revision = entry.get("revision")
    if revision is not None and (isinstance(revision, bool) or not isinstance(revision, int)
                                 or revision < 0):
        raise r.fail(f"revision {revision!r} is not a number 0, 1, 2, ...", f"{where}.revision")
    digest = r.text(entry, "sha256", where)
    if not _HEX.match(digest):
        raise r.fail(f"{digest!r} is not a SHA-256 checksum", f"{where}.sha256")
    return Issued(
        number=number, ocr=ocr, kind=kind,
        basis=r.choice(entry, "basis", get_args(Basis), where),
        purpose=r.choice(entry, "purpose", get_args(Purpose), where),
        code=r.text(entry, "kommunkod", where),
        name=r.text(entry, "name", where),
        amount=amount,
        invoice_date=r.day(entry, "invoice_date", where),
        due_date=r.maybe_day(entry, "due_date", where),
        rests_on=r.text(entry, "rests_on", where),
        revision=revision,
        corrects=r.maybe_text(entry, "corrects", where),
        corrects_date=r.maybe_day(entry, "corrects_date", where),
        sha256=digest,
    )


def load_register(data: DataDir, year: int
                  ) -> tuple[tuple[Issued, ...], list[dict[str, Any]] | None]:
    """The registered documents of ``year``, oldest first, and the file's entries as read
    (None: nothing registered yet). Checked: every number and OCR reference once, each OCR
    passing Bankgirot's checks, a credit note negative and an invoice not, a corrected
    document registered before the one correcting it."""
    path = register_path(data, year)
    if not os.path.lexists(path):
        return (), None
    r = RecordReader(str(path), BROKEN, filled=True)
    raw = r.load(path, REGISTER_KIND, year)
    entries = r.objects(raw, "documents")
    found: dict[str, Issued] = {}  # by number, oldest first
    ocrs: set[str] = set()
    for i, entry in enumerate(entries):
        where = f"documents[{i}]"
        issued = _entry(r, entry, where)
        if issued.number in found:
            raise r.fail(f"number {issued.number} is registered twice", f"{where}.number")
        if issued.ocr is not None and issued.ocr in ocrs:
            raise r.fail(f"OCR {issued.ocr} is registered twice", f"{where}.ocr")
        if issued.corrects is not None:
            earlier = found.get(issued.corrects)
            if earlier is None or earlier.invoice_date != issued.corrects_date:
                raise r.fail(f"it corrects {issued.corrects}, which is not registered before "
                             "it with that date", f"{where}.corrects")
        found[issued.number] = issued
        if issued.ocr is not None:
            ocrs.add(issued.ocr)
    return tuple(found.values()), entries


def _entry_json(d: Issued, unit: Decimal) -> dict[str, Any]:
    return {
        "number": d.number, "ocr": d.ocr, "kind": d.kind, "basis": d.basis,
        "purpose": d.purpose, "kommunkod": d.code, "name": d.name,
        "amount": plain_money(d.amount, unit), "invoice_date": d.invoice_date.isoformat(),
        "due_date": d.due_date.isoformat() if d.due_date else None, "rests_on": d.rests_on,
        "revision": d.revision, "corrects": d.corrects,
        "corrects_date": d.corrects_date.isoformat() if d.corrects_date else None,
        "sha256": d.sha256,
    }


def append_to_register(data: DataDir, year: int, network: str,
                       before: list[dict[str, Any]] | None,
                       registered: Sequence[Issued], new: Sequence[Issued],
                       unit: Decimal) -> None:
    """Write the register with ``new`` appended (under the run's lock). The new version
    must hold every entry of the file as it was read (``before``: its entries, as
    :func:`load_register` parsed them; None: there was none) unchanged: otherwise nothing is
    written."""
    path = register_path(data, year)
    if (before is None) == os.path.lexists(path):
        raise RefusedError(Problem(
            "the register appeared or vanished while kn was issuing; nothing was registered; "
            "run the command again", str(path)))
    documents = [_entry_json(d, unit) for d in [*registered, *new]]
    if before is not None:
        if documents[:len(before)] != before:
            raise RefusedError(Problem(
                "the register would not keep its entries as they are; nothing was "
                f"registered; {BROKEN}", str(path)))
    atomic_write(path, record_bytes({"kind": REGISTER_KIND, "format": FORMAT, "network": network,
                                     "year": year, "documents": documents}))
