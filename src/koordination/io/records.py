"""Decision records on disk: ``decisions/YEAR.json`` and ``decisions/YEAR.revN.json``.

A record is written once and never overwritten; anything in it that kn did not write is
refused when it is read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar, cast

from koordination import __version__
from koordination.core.allocation import Allocation
from koordination.core.dates import parse_date
from koordination.core.errors import DataError, Problem
from koordination.core.keyplan import KeyPlan
from koordination.core.models import Network
from koordination.core.money import plain_money
from koordination.core.records import (
    DecidedMember,
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
_MONEY = re.compile(r"^-?[0-9]{1,15}(\.[0-9]{1,2})?$")
C = TypeVar("C", bound=str)
BROKEN = ("the file is damaged or was not written by kn; restore it from a backup (kn never "
          "changes a decision file)")


def decision_path(data: DataDir, year: int) -> Path:
    return data.decisions / f"{year}.json"


class RecordReader:
    """Checks of one record file kn wrote. Each check takes a JSON object, a key and where
    the object is (``members[2]``): every problem names the file and the key, and says that
    the file is damaged (``broken``: how to restore it)."""

    def __init__(self, file: str, broken: str = BROKEN, filled: bool = False) -> None:
        self.file, self.broken, self.filled = file, broken, filled

    def problem(self, what: str, where: str | None = None) -> Problem:
        return Problem(f"{what}; {self.broken}", self.file, where)

    def fail(self, what: str, where: str | None = None) -> DataError:
        return DataError(self.problem(what, where))

    def money(self, obj: dict[str, Any], key: str, at: str = "") -> Decimal:
        value = obj.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, str)) \
                or not _MONEY.match(str(value)):
            raise self.fail(f"{value!r} is not an amount", _at(at, key))
        return Decimal(str(value))

    def maybe_money(self, obj: dict[str, Any], key: str, at: str = "") -> Decimal | None:
        return None if obj.get(key) is None else self.money(obj, key, at)

    def text(self, obj: dict[str, Any], key: str, at: str = "") -> str:
        """A text (not empty, if the reader is ``filled``)."""
        value = obj.get(key)
        if not isinstance(value, str) or (self.filled and not value):
            raise self.fail(f"expected text, found {value!r}", _at(at, key))
        return value

    def maybe_text(self, obj: dict[str, Any], key: str, at: str = "") -> str | None:
        return None if obj.get(key) is None else self.text(obj, key, at)

    def day(self, obj: dict[str, Any], key: str, at: str = "") -> date:
        value = obj.get(key)
        if not isinstance(value, str) or value != value.strip():  # kn writes no spaces
            raise self.fail(f"{value!r} is not a date YYYY-MM-DD", _at(at, key))
        try:
            return parse_date(value)
        except ValueError as err:
            raise self.fail(str(err), _at(at, key)) from None

    def maybe_day(self, obj: dict[str, Any], key: str, at: str = "") -> date | None:
        return None if obj.get(key) is None else self.day(obj, key, at)

    def choice(self, obj: dict[str, Any], key: str, options: Sequence[C], at: str = "") -> C:
        value = obj.get(key)
        if value not in options:
            raise self.fail(f"{value!r} is not one of {', '.join(options)}", _at(at, key))
        return cast(C, value)

    def load(self, path: Path, kind: str, year: int) -> dict[str, Any]:
        """The record's JSON object (read through the gate)."""
        content = read(path, "record", self.file).data
        try:
            raw = json.loads(content.decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise self.fail("not valid JSON") from None
        if not isinstance(raw, dict) or raw.get("kind") != kind or raw.get("format") != FORMAT:
            raise self.fail(f"not a {kind} record of format {FORMAT}")
        if raw.get("year") != year:
            raise self.fail(f"is for year {raw.get('year')!r}, not {year}", "year")
        return raw

    def objects(self, raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = raw.get(key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"{key} is not a list of objects", key)
        return value

    def inputs(self, raw: dict[str, Any]) -> dict[str, str]:
        """The input files a record names, with their checksums."""
        return {self.text(entry, "file", f"inputs[{i}]"):
                self.text(entry, "sha256", f"inputs[{i}]")
                for i, entry in enumerate(self.objects(raw, "inputs"))}


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def load_record(path: Path, year: int, number: int) -> Record:
    """Read a decision or revision file; anything not written by kn is a :class:`DataError`."""
    r = RecordReader(str(path))
    raw = r.load(path, DECISION_KIND if number == 0 else REVISION_KIND, year)
    members: list[DecidedMember] = []
    decided: dict[str, Decimal] = {}
    for i, entry in enumerate(r.objects(raw, "members")):
        where = f"members[{i}]"
        said = ("code", "party") if entry.get("kommunkod") is None and "party" in entry \
            else ("kommunkod", "kommun")
        code, name = (r.text(entry, key, where) for key in said)
        member = DecidedMember(code, name, *(r.maybe_money(entry, key, where)
                                             for key in ("fee", "carried", "amount")))
        if not re.fullmatch(r"[0-9]{4}|P[1-9][0-9]{0,2}", code):
            raise r.fail(f"kommunkod {code!r} is not a 4-digit SCB code", f"{where}.kommunkod")
        if number == 0 and None in (member.fee, member.carried, member.amount):
            raise r.fail("fee, carried and amount are all needed", where)
        if member.amount is None and (member.fee is not None or member.carried is not None):
            raise r.fail("fee or carried without an amount", where)
        if number > 0:  # a revision states the amount it revises, and the difference
            decided_amount = r.maybe_money(entry, "decided", where)
            difference = r.maybe_money(entry, "difference", where)
            if difference != (member.amount or Decimal(0)) - (decided_amount or Decimal(0)):
                raise r.fail("the difference is not amount - decided", f"{where}.difference")
            if decided_amount is not None:
                decided[code] = decided_amount
        if any(m.code == code for m in members):
            raise r.fail(f"kommunkod {code} appears twice", where)
        members.append(member)
    _check_sums(r, members, raw)
    inputs = r.inputs(raw)
    if number > 0:  # a revision names its own number and the record it revises
        if raw.get("revision") != number:
            raise r.fail(f"revision is {raw.get('revision')!r} but the file is revision "
                         f"{number}", "revision")
        revises = f"{year}.json" if number == 1 else f"{year}.rev{number - 1}.json"
        if raw.get("revises") != revises:
            raise r.fail(f"revises {raw.get('revises')!r}, not {revises}", "revises")
    return Record(
        path=path, year=year, number=number,
        decision_date=r.day(raw, "decision_date").isoformat(),
        decided_by=r.maybe_text(raw, "decided_by"), ref=r.maybe_text(raw, "ref"),
        members=tuple(members), inputs=inputs, decided=decided,
        basis=_basis(r, raw.get("basis")),
    )


def _check_sums(r: RecordReader, members: list[DecidedMember], raw: dict[str, Any]) -> None:
    """Per member fee + carried = amount, and the amounts sum to the record's total."""
    problems = [r.problem(f"fee {m.fee} + carried {m.carried} is not the amount {m.amount}",
                          f"members[{i}]")
                for i, m in enumerate(members) if m.fee is not None and m.carried is not None
                and m.amount is not None and m.fee + m.carried != m.amount]
    shown = r.maybe_money(raw, "total")
    if shown is None:
        problems.append(r.problem("the total is missing", "total"))
    else:
        summed = sum((m.amount for m in members if m.amount is not None), Decimal(0))
        if summed != shown:
            problems.append(r.problem(f"the members' amounts sum to {summed}, not to the total "
                                      f"{shown}", "total"))
    if problems:
        raise DataError(problems)


def records(data: DataDir, year: int, network: Network | None = None) -> list[Record]:
    """The decision of ``year`` and its revisions, oldest first (empty when not decided).

    Every record is checked when it is read (reference section 9): each member's fee +
    carried = amount, the amounts sum to the total, the revisions are numbered 1, 2, ...
    without a gap, only beside a decision, and each starts from the amounts of the one
    before, and (given the ``network``) every member is a member of the network. Raises
    :class:`DataError`. Read and checked once per run."""
    found = parsed(("records", os.path.abspath(data.root), year), lambda: _records(data, year))
    if network is not None:
        for record in found:
            _check_members(record, network)
    return found


def _records(data: DataDir, year: int) -> list[Record]:
    found: list[Record] = []
    path = decision_path(data, year)
    named = re.compile(rf"{year}\.rev([1-9][0-9]{{0,5}})\.json")
    revisions = sorted((int(match.group(1)), rev) for rev in data.decisions.glob("*.json")
                       if (match := named.fullmatch(rev.name)))
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


def record_bytes(content: dict[str, Any]) -> bytes:
    """A record as kn writes it: indented UTF-8 JSON, ending in a newline."""
    return (json.dumps(content, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def header(kind: str, plan: KeyPlan, year: int, decided_by: str | None, decision_date: date,
           ref: str | None, **more: Any) -> dict[str, Any]:
    """The keys a decision, revision or settlement decision begins with (``more`` after the
    period)."""
    return {
        "kind": kind,
        "format": FORMAT,
        "network": plan.network.name,
        "year": year,
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        **more,
        "decided_by": decided_by,
        "decision_date": decision_date.isoformat(),
        "ref": ref,
        "kn_version": __version__,
    }


def inputs_json(inputs: dict[str, str]) -> list[dict[str, str]]:
    return [{"file": name, "sha256": digest} for name, digest in inputs.items()]


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


def _basis(r: RecordReader, raw: Any) -> RecordBasis | None:
    """The ``basis`` of a record, or None for one written before kn kept it."""
    if raw is None:
        return None

    def text(value: Any) -> str:
        if not isinstance(value, str):
            raise r.fail(f"expected text, found {value!r}", "basis")
        return value

    try:
        lines = tuple((text(e["group"]), text(e["name"]), Decimal(text(e["amount"])))
                      for e in raw["lines"])
        funding = tuple((text(e["name"]), Decimal(text(e["amount"]))) for e in raw["funding"])
        population = {str(code): int(value) for code, value in raw["population"].items()
                      if type(value) is int}
        if len(population) != len(raw["population"]):
            raise ValueError
        statistics = {str(name): {str(code): Decimal(text(v)) for code, v in values.items()}
                      for name, values in raw["statistics"].items()}
    except (KeyError, TypeError, AttributeError, ArithmeticError, ValueError):
        raise r.fail("the basis is not as kn writes it", "basis") from None
    return RecordBasis(lines, funding, population, statistics)


def _who(code: str, name: str, party: bool) -> dict[str, str | None]:
    """How a record names a member: its SCB code and name, or for a party that is not a
    municipality ``"kommunkod": null``, its name and its code (P1, P2, …)."""
    if party:
        return {"kommunkod": None, "party": name, "code": code}
    return {"kommunkod": code, "kommun": name}


def decision_json(alloc: Allocation, inputs: dict[str, str], decided_by: str | None,
                  decision_date: date, ref: str | None) -> bytes:
    plan, unit = alloc.plan, alloc.plan.unit
    return record_bytes({
        **header(DECISION_KIND, plan, alloc.year, decided_by, decision_date, ref,
                 population_date=plan.snapshot.date.isoformat()),
        "total": plain_money(alloc.amount_total, unit),
        "members": [{**_who(m.code, m.name, m.party), "fee": plain_money(m.fee, unit),
                     "carried": plain_money(m.carried, unit),
                     "amount": plain_money(m.amount, unit)} for m in alloc.members],
        "inputs": inputs_json(inputs),
        "basis": _basis_json(alloc),
    })


def revision_json(alloc: Allocation, record: Record, number: int, inputs: dict[str, str],
                  changed: list[str], decided_by: str | None, decision_date: date,
                  ref: str | None) -> bytes:
    plan, unit = alloc.plan, alloc.plan.unit

    def opt(value: Decimal | None) -> int | str | None:
        return None if value is None else plain_money(value, unit)

    decided = record.amounts
    decided_total = sum(decided.values(), Decimal(0))
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
    return record_bytes({
        **header(REVISION_KIND, plan, alloc.year, decided_by, decision_date, ref,
                 population_date=plan.snapshot.date.isoformat()),
        "revision": number,
        "revises": record.path.name,
        "revises_decision_date": record.decision_date,
        "decided_total": plain_money(decided_total, unit),
        "total": plain_money(alloc.amount_total, unit),
        "difference": plain_money(alloc.amount_total - decided_total, unit),
        "members": rows,
        "changed_inputs": changed,
        "inputs": inputs_json(inputs),
        "basis": _basis_json(alloc),
    })
