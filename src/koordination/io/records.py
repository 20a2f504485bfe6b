"""Decision records on disk: ``decisions/YEAR.json`` and ``decisions/YEAR.revN.json``.

A record is written once and never overwritten; anything in it that kn did not write is
refused when it is read.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from koordination import __version__
from koordination.core.allocation import Allocation
from koordination.core.errors import DataError, Problem
from koordination.core.money import plain_money
from koordination.core.records import DecidedMember, Difference, Record, union
from koordination.io.datadir import DataDir

FORMAT = 1
DECISION_KIND = "kn-decision"
REVISION_KIND = "kn-revision"
MAX_RECORD_BYTES = 5 * 1024 * 1024
_REVISION_NAME = re.compile(r"^(\d{4})\.rev([1-9]\d{0,5})\.json$")
_MONEY = re.compile(r"^-?\d{1,15}(\.\d{1,2})?$")


def decision_path(data: DataDir, year: int) -> Path:
    return data.decisions / f"{year}.json"


def revision_paths(data: DataDir, year: int) -> list[tuple[int, Path]]:
    """The revisions of ``year``, by number."""
    found = []
    if data.decisions.is_dir():
        for path in data.decisions.iterdir():
            match = _REVISION_NAME.match(path.name)
            if match and int(match.group(1)) == year:
                found.append((int(match.group(2)), path))
    return sorted(found)


def _amount(value: Any, file: str, where: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not _MONEY.match(str(value)):
        raise DataError(Problem(f"{value!r} is not an amount", file, where))
    return Decimal(str(value))


def _text(value: Any, file: str, where: str, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise DataError(Problem(f"expected text, found {value!r}", file, where))
    return value


def load_record(path: Path, year: int, number: int) -> Record:
    """Read a decision or revision file; anything not written by kn is a :class:`DataError`."""
    file = str(path)
    broken = ("the file is damaged or was not written by kn; restore it from a backup (kn never "
              "changes a decision file)")
    try:
        if path.stat().st_size > MAX_RECORD_BYTES:
            raise DataError(Problem(f"is too large for a decision record; {broken}", file))
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as err:
        raise DataError(Problem(f"cannot read: {err.strerror}", file)) from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DataError(Problem(f"not valid JSON; {broken}", file)) from None
    kind = DECISION_KIND if number == 0 else REVISION_KIND
    if not isinstance(raw, dict) or raw.get("kind") != kind or raw.get("format") != FORMAT:
        raise DataError(Problem(f"not a {kind} record of format {FORMAT}; {broken}", file))
    if raw.get("year") != year:
        raise DataError(Problem(f"is for year {raw.get('year')!r}, not {year}; {broken}", file,
                                "year"))
    members_raw = raw.get("members")
    inputs_raw = raw.get("inputs")
    if not isinstance(members_raw, list) or not isinstance(inputs_raw, list):
        raise DataError(Problem(f"members or inputs missing; {broken}", file))
    members = []
    for i, entry in enumerate(members_raw):
        where = f"members[{i}]"
        if not isinstance(entry, dict):
            raise DataError(Problem(f"expected an object; {broken}", file, where))
        code = _text(entry.get("kommunkod"), file, f"{where}.kommunkod", optional=False)
        name = _text(entry.get("kommun"), file, f"{where}.kommun", optional=False)
        assert code is not None and name is not None
        members.append(DecidedMember(
            code, name,
            _amount(entry.get("fee"), file, f"{where}.fee"),
            _amount(entry.get("carried"), file, f"{where}.carried"),
            _amount(entry.get("amount"), file, f"{where}.amount"),
        ))
    _check_sums(members, raw.get("total"), file, broken)
    inputs: dict[str, str] = {}
    for i, entry in enumerate(inputs_raw):
        where = f"inputs[{i}]"
        if not isinstance(entry, dict):
            raise DataError(Problem(f"expected an object; {broken}", file, where))
        name_ = _text(entry.get("file"), file, f"{where}.file", optional=False)
        digest = _text(entry.get("sha256"), file, f"{where}.sha256", optional=False)
        assert name_ is not None and digest is not None
        inputs[name_] = digest
    return Record(
        path=path, year=year, number=number,
        decision_date=_text(raw.get("decision_date"), file, "decision_date", False) or "",
        decided_by=_text(raw.get("decided_by"), file, "decided_by"),
        ref=_text(raw.get("ref"), file, "ref"),
        members=tuple(members), inputs=inputs,
    )


def _check_sums(members: list[DecidedMember], total: Any, file: str, broken: str) -> None:
    """Per member fee + carried = amount, and the amounts sum to the record's total."""
    problems = []
    for i, m in enumerate(members):
        if m.fee is not None and m.carried is not None and m.amount is not None \
                and m.fee + m.carried != m.amount:
            problems.append(Problem(
                f"fee {m.fee} + carried {m.carried} is not the amount {m.amount}; {broken}",
                file, f"members[{i}]"))
    shown = _amount(total, file, "total")
    if shown is not None:
        summed = sum((m.amount for m in members if m.amount is not None), Decimal(0))
        if summed != shown:
            problems.append(Problem(f"the members' amounts sum to {summed}, not to the total "
                                    f"{shown}; {broken}", file, "total"))
    if problems:
        raise DataError(problems)


def records(data: DataDir, year: int) -> list[Record]:
    """The decision of ``year`` and its revisions, oldest first (empty when not decided).
    Revisions are numbered 1, 2, ... without a gap, and only beside a decision."""
    found = []
    path = decision_path(data, year)
    revisions = revision_paths(data, year)
    if path.exists():
        found.append(load_record(path, year, 0))
    elif revisions:
        raise DataError(Problem(
            f"revisions of {year} but no decision ({path.name}); restore the decision from a "
            "backup", str(revisions[0][1])))
    for expected, (number, rev) in enumerate(revisions, start=1):
        if number != expected:
            raise DataError(Problem(
                f"revision {expected} of {year} is missing ({year}.rev{expected}.json) before "
                f"this one; restore it from a backup (kn numbers revisions 1, 2, ... and never "
                "removes one)", str(rev)))
        found.append(load_record(rev, year, number))
    return found


def record_in_force(data: DataDir, year: int) -> Record | None:
    """The latest revision of ``year``, else its decision, else None."""
    found = records(data, year)
    return found[-1] if found else None


def decided_fees(data: DataDir, year: int) -> dict[str, Decimal] | None:
    """Each member's decided ``fee`` for ``year`` (the record in force), or None when the year
    has no decision: what the settlement of ``year`` counts as charged."""
    record = record_in_force(data, year)
    if record is None:
        return None
    return {m.code: m.fee for m in record.members if m.fee is not None}


def _dump(content: dict[str, Any]) -> bytes:
    return (json.dumps(content, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _header(alloc: Allocation, kind: str, decided_by: str | None, decision_date: date,
            ref: str | None) -> dict[str, Any]:
    plan = alloc.plan
    return {
        "kind": kind,
        "format": FORMAT,
        "network": plan.network.name,
        "year": alloc.year,
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        "population_date": plan.snapshot.date.isoformat(),
        "decided_by": decided_by,
        "decision_date": decision_date.isoformat(),
        "ref": ref,
        "kn_version": __version__,
    }


def decision_json(alloc: Allocation, inputs: dict[str, str], decided_by: str | None,
                  decision_date: date, ref: str | None) -> bytes:
    unit = alloc.plan.unit
    content = _header(alloc, DECISION_KIND, decided_by, decision_date, ref)
    content["total"] = plain_money(alloc.amount_total, unit)
    content["members"] = [
        {"kommunkod": m.code, "kommun": m.name, "fee": plain_money(m.fee, unit),
         "carried": plain_money(m.carried, unit), "amount": plain_money(m.amount, unit)}
        for m in alloc.members
    ]
    content["inputs"] = [{"file": name, "sha256": digest} for name, digest in inputs.items()]
    return _dump(content)


def revision_json(alloc: Allocation, record: Record, number: int, diffs: list[Difference],
                  inputs: dict[str, str], changed: list[str], decided_by: str | None,
                  decision_date: date, ref: str | None) -> bytes:
    unit = alloc.plan.unit

    def opt(value: Decimal | None) -> int | str | None:
        return None if value is None else plain_money(value, unit)

    content = _header(alloc, REVISION_KIND, decided_by, decision_date, ref)
    content["revision"] = number
    content["revises"] = record.path.name
    content["revises_decision_date"] = record.decision_date
    decided = record.amounts
    content["decided_total"] = plain_money(sum(decided.values(), Decimal(0)), unit)
    content["total"] = plain_money(alloc.amount_total, unit)
    decided_total = sum(decided.values(), Decimal(0))
    content["difference"] = plain_money(alloc.amount_total - decided_total, unit)
    new = {m.code: m for m in alloc.members}
    rows = []
    for code, name in union(record, alloc):
        m = new.get(code)
        amount = m.amount if m else None
        rows.append({
            "kommunkod": code, "kommun": name,
            "decided": opt(decided.get(code)),
            "fee": opt(m.fee if m else None), "carried": opt(m.carried if m else None),
            "amount": opt(amount),
            "difference": plain_money((amount or Decimal(0)) - decided.get(code, Decimal(0)), unit),
        })
    content["members"] = rows
    content["changed_inputs"] = changed
    content["inputs"] = [{"file": name, "sha256": digest} for name, digest in inputs.items()]
    return _dump(content)
