"""Decision records on disk: ``decisions/YEAR.json`` and ``decisions/YEAR.revN.json``.

A record is written once and never overwritten; anything in it that kn did not write is
refused when it is read.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from koordination import __version__
from koordination.core.allocation import Allocation
from koordination.core.errors import DataError, Problem
from koordination.core.models import Network
from koordination.core.money import plain_money
from koordination.core.records import (
    DecidedMember,
    Difference,
    Record,
    RecordBasis,
    basis_of,
    union,
)
from koordination.io.datadir import DataDir
from koordination.io.gate import parsed, read

FORMAT = 1
DECISION_KIND = "kn-decision"
REVISION_KIND = "kn-revision"
_REVISION_NAME = re.compile(r"^(\d{4})\.rev([1-9]\d{0,5})\.json$")
_MONEY = re.compile(r"^-?[0-9]{1,15}(\.[0-9]{1,2})?$")
BROKEN = ("the file is damaged or was not written by kn; restore it from a backup (kn never "
          "changes a decision file)")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


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
    broken = BROKEN
    content = read(path, "record", file).data
    try:
        raw = json.loads(content.decode("utf-8"), parse_constant=_no_constant)
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
    members: list[DecidedMember] = []
    decided: dict[str, Decimal] = {}
    for i, entry in enumerate(members_raw):
        where = f"members[{i}]"
        if not isinstance(entry, dict):
            raise DataError(Problem(f"expected an object; {broken}", file, where))
        if entry.get("kommunkod") is None and "party" in entry:
            code = _text(entry.get("code"), file, f"{where}.code", optional=False)
            name = _text(entry.get("party"), file, f"{where}.party", optional=False)
        else:
            code = _text(entry.get("kommunkod"), file, f"{where}.kommunkod", optional=False)
            name = _text(entry.get("kommun"), file, f"{where}.kommun", optional=False)
        assert code is not None and name is not None
        member = DecidedMember(
            code, name,
            _amount(entry.get("fee"), file, f"{where}.fee"),
            _amount(entry.get("carried"), file, f"{where}.carried"),
            _amount(entry.get("amount"), file, f"{where}.amount"),
        )
        decided_amount = _check_member(member, entry, number, file, where)
        if decided_amount is not None:
            decided[code] = decided_amount
        if any(m.code == code for m in members):
            raise DataError(Problem(f"kommunkod {code} appears twice; {broken}", file, where))
        members.append(member)
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
    _check_revision(raw, number, year, file)
    return Record(
        path=path, year=year, number=number,
        decision_date=_text(raw.get("decision_date"), file, "decision_date", False) or "",
        decided_by=_text(raw.get("decided_by"), file, "decided_by"),
        ref=_text(raw.get("ref"), file, "ref"),
        members=tuple(members), inputs=inputs, decided=decided,
        basis=_basis(raw.get("basis"), file),
    )


def _check_member(member: DecidedMember, entry: dict[str, Any], number: int, file: str,
                  where: str) -> Decimal | None:
    """fee + carried = amount; a decision has every figure; a revision's ``decided`` and
    ``difference`` agree with its amount."""
    if not re.fullmatch(r"[0-9]{4}|P[1-9][0-9]{0,2}", member.code):
        raise DataError(Problem(f"kommunkod {member.code!r} is not a 4-digit SCB code; {BROKEN}",
                                file, f"{where}.kommunkod"))
    figures = (member.fee, member.carried, member.amount)
    if number == 0 and any(v is None for v in figures):
        raise DataError(Problem(f"fee, carried and amount are all needed; {BROKEN}", file,
                                where))
    if member.amount is None and (member.fee is not None or member.carried is not None):
        raise DataError(Problem(f"fee or carried without an amount; {BROKEN}", file, where))
    if number > 0:
        decided = _amount(entry.get("decided"), file, f"{where}.decided")
        difference = _amount(entry.get("difference"), file, f"{where}.difference")
        if difference != (member.amount or Decimal(0)) - (decided or Decimal(0)):
            raise DataError(Problem(f"the difference is not amount - decided; {BROKEN}", file,
                                    f"{where}.difference"))
        return decided
    return None


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
    if shown is None:
        problems.append(Problem(f"the total is missing; {broken}", file, "total"))
    else:
        summed = sum((m.amount for m in members if m.amount is not None), Decimal(0))
        if summed != shown:
            problems.append(Problem(f"the members' amounts sum to {summed}, not to the total "
                                    f"{shown}; {broken}", file, "total"))
    if problems:
        raise DataError(problems)


def _check_revision(raw: dict[str, Any], number: int, year: int, file: str) -> None:
    """A revision names its own number and the record it revises."""
    if number == 0:
        return
    if raw.get("revision") != number:
        raise DataError(Problem(f"revision is {raw.get('revision')!r} but the file is revision "
                                f"{number}; {BROKEN}", file, "revision"))
    revises = f"{year}.json" if number == 1 else f"{year}.rev{number - 1}.json"
    if raw.get("revises") != revises:
        raise DataError(Problem(f"revises {raw.get('revises')!r}, not {revises}; {BROKEN}",
                                file, "revises"))


def records(data: DataDir, year: int, network: Network | None = None) -> list[Record]:
    """The decision of ``year`` and its revisions, oldest first (empty when not decided).

    Every record is checked when it is read (reference section 9): each member's fee +
    carried = amount, the amounts sum to the total, the revisions are numbered 1, 2, ...
    without a gap, only beside a decision, and each starts from the amounts of the one
    before, and (given the ``network``) every member is a member of the network. Raises
    :class:`DataError`. Read and checked once per run."""
    return parsed(("records", os.path.abspath(data.root), year, network is None),
                  lambda: _records(data, year, network))


def _records(data: DataDir, year: int, network: Network | None) -> list[Record]:
    found = []
    path = decision_path(data, year)
    revisions = revision_paths(data, year)
    if os.path.lexists(path):
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
        record = load_record(rev, year, number)
        if record.decided != found[-1].amounts:
            raise DataError(Problem(
                f"its decided amounts are not those of {found[-1].path.name}, the record it "
                f"revises; {BROKEN}", str(rev), "members"))
        found.append(record)
    if network is not None:
        for record in found:
            _check_members(record, network)
    return found


def _check_members(record: Record, network: Network) -> None:
    """Every member of ``record`` is in ``network``. A member removed from network.yaml after
    the decision is told how to record its leaving; a record none of whose members is in the
    network belongs to another one."""
    codes = {m.code for m in network.members} | {p.code for p in network.parties}
    strangers = [(i, m) for i, m in enumerate(record.members)
                 if m.amount is not None and m.code not in codes]
    if not strangers:
        return
    recorded = {m.code for m in record.members}
    absent = [m for m in network.members if m.code not in recorded
              and (m.joined is None or m.joined.year <= record.year)]
    if absent or len(strangers) == len(record.members):  # not a removal: another list
        i, member = strangers[0]
        raise DataError(Problem(
            f"{member.name} ({member.code}) is not a member in network.yaml; the record does "
            f"not belong to this network; {BROKEN}", str(record.path), f"members[{i}]"))
    problems = [
        Problem(f"{member.name} ({member.code}) was a member when {record.year} was decided "
                "but is no longer in network.yaml; a member that leaves stays in the network: "
                "put it back in network.yaml with left: YYYY-MM-DD (the first day outside) "
                "to record its leaving", str(record.path), f"members[{i}]")
        for i, member in strangers]
    raise DataError(problems)


def record_in_force(data: DataDir, year: int, network: Network | None = None) -> Record | None:
    """The latest revision of ``year``, else its decision, else None (all of them checked)."""
    found = records(data, year, network)
    return found[-1] if found else None


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


def _basis_json(alloc: Allocation) -> dict[str, Any]:
    """What the amounts were computed from, so that a later revision can say which budget
    line or population changed (the files' checksums alone cannot)."""
    basis = basis_of(alloc)
    return {
        "lines": [{"group": g, "name": n, "amount": str(a)} for g, n, a in basis.lines],
        "funding": [{"name": n, "amount": str(a)} for n, a in basis.funding],
        "population": dict(basis.population),
        "statistics": {name: {code: str(v) for code, v in values.items()}
                       for name, values in basis.statistics.items()},
    }


def _basis(raw: Any, file: str) -> RecordBasis | None:
    """The ``basis`` of a record, or None for one written before kn kept it."""
    if raw is None:
        return None
    where = "basis"
    try:
        lines = tuple((_text(e["group"], file, where, False) or "",
                       _text(e["name"], file, where, False) or "",
                       Decimal(_text(e["amount"], file, where, False) or ""))
                      for e in raw["lines"])
        funding = tuple((_text(e["name"], file, where, False) or "",
                         Decimal(_text(e["amount"], file, where, False) or ""))
                        for e in raw["funding"])
        population = {str(code): int(value) for code, value in raw["population"].items()
                      if type(value) is int}
        if len(population) != len(raw["population"]):
            raise ValueError
        statistics = {str(name): {str(code): Decimal(_text(v, file, where, False) or "")
                                  for code, v in values.items()}
                      for name, values in raw["statistics"].items()}
    except (KeyError, TypeError, AttributeError, ArithmeticError, ValueError):
        raise DataError(Problem(f"the basis is not as kn writes it; {BROKEN}", file,
                                where)) from None
    return RecordBasis(lines, funding, population, statistics)


def _who(code: str, name: str, party: bool) -> dict[str, str | None]:
    """How a record names a member: its SCB code and name, or for a party that is not a
    municipality ``"kommunkod": null``, its name and its code (P1, P2, …)."""
    if party:
        return {"kommunkod": None, "party": name, "code": code}
    return {"kommunkod": code, "kommun": name}


def decision_json(alloc: Allocation, inputs: dict[str, str], decided_by: str | None,
                  decision_date: date, ref: str | None) -> bytes:
    unit = alloc.plan.unit
    content = _header(alloc, DECISION_KIND, decided_by, decision_date, ref)
    content["total"] = plain_money(alloc.amount_total, unit)
    content["members"] = [
        {**_who(m.code, m.name, m.party), "fee": plain_money(m.fee, unit),
         "carried": plain_money(m.carried, unit), "amount": plain_money(m.amount, unit)}
        for m in alloc.members
    ]
    content["inputs"] = [{"file": name, "sha256": digest} for name, digest in inputs.items()]
    content["basis"] = _basis_json(alloc)
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
            **_who(code, name, not code.isdigit()),
            "decided": opt(decided.get(code)),
            "fee": opt(m.fee if m else None), "carried": opt(m.carried if m else None),
            "amount": opt(amount),
            "difference": plain_money((amount or Decimal(0)) - decided.get(code, Decimal(0)), unit),
        })
    content["members"] = rows
    content["changed_inputs"] = changed
    content["inputs"] = [{"file": name, "sha256": digest} for name, digest in inputs.items()]
    content["basis"] = _basis_json(alloc)
    return _dump(content)
