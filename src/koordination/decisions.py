"""Decided allocations are records (SPEC 4, ``kn allocate YEAR --final`` and ``--revise``).

``decisions/YEAR.json`` holds what a council decided: every member's fee, carried amount and
amount, the total, the SHA-256 of every input file, kn's version, and who decided, when and
under which § or diarienummer. It is written once and never overwritten.

Every later allocation of that year is compared with the record *in force*: the decision, or
its latest revision ``decisions/YEAR.revN.json``. The same amounts are confirmed (naming any
input file that changed without changing an amount); different amounts are refused unless
``--revise``, which writes the next revision (decided, new and difference per member, and the
input files that changed) and a revision workbook, and leaves the earlier records as they were.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from koordination import __version__
from koordination.core.allocation import Allocation
from koordination.datadir import DataDir
from koordination.errors import DataError, Problem, RefusedError
from koordination.io.files import atomic_write, write_new
from koordination.jobs import AllocationRun
from koordination.labels import Lang, label
from koordination.report import money

FORMAT = 1
DECISION_KIND = "kn-decision"
REVISION_KIND = "kn-revision"
MAX_RECORD_BYTES = 5 * 1024 * 1024
_REVISION_NAME = re.compile(r"^(\d{4})\.rev([1-9]\d{0,5})\.json$")
_MONEY = re.compile(r"^-?\d{1,15}(\.\d{1,2})?$")


@dataclass(frozen=True)
class DecidedMember:
    """One member's figures in a record. ``amount`` is None for a member a revision removed."""

    code: str
    name: str
    fee: Decimal | None
    carried: Decimal | None
    amount: Decimal | None


@dataclass(frozen=True)
class Record:
    """A decision (``number`` 0) or a revision (``number`` N) of one fee year."""

    path: Path
    year: int
    number: int
    decision_date: str
    decided_by: str | None
    ref: str | None
    members: tuple[DecidedMember, ...]
    inputs: dict[str, str]

    @property
    def amounts(self) -> dict[str, Decimal]:
        return {m.code: m.amount for m in self.members if m.amount is not None}

    def describe(self, lang: str = "en") -> str:
        """``the decision of 2015-03-01 (Kommunstyrelsen, § 12)`` or ``revision 2 of ...``."""
        who = ", ".join(part for part in (self.decided_by, self.ref) if part)
        when = f"{self.decision_date}" + (f" ({who})" if who else "")
        if self.number == 0:
            return label("d_decision", lang, when=when)
        return label("d_revision", lang, number=self.number, when=when)


@dataclass(frozen=True)
class Difference:
    """A member whose amount differs between the record and the new run."""

    code: str
    name: str
    decided: Decimal | None
    new: Decimal | None

    @property
    def change(self) -> Decimal:
        return (self.new or Decimal(0)) - (self.decided or Decimal(0))


@dataclass
class Outcome:
    """What a run does about the record: lines to print and files to write (written by
    :meth:`commit`, after the run's workbook)."""

    notes: list[str] = field(default_factory=list)
    records: list[tuple[Path, bytes]] = field(default_factory=list)
    workbooks: list[tuple[Path, bytes]] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    def commit(self) -> list[str]:
        """Write the workbooks, then the records (never overwriting one); the notes."""
        for path, content in self.workbooks:
            atomic_write(path, content)
        for path, content in self.records:
            write_new(path, content)
        return self.notes


# ---- reading records ---------------------------------------------------------------------


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


def records(data: DataDir, year: int) -> list[Record]:
    """The decision of ``year`` and its revisions, oldest first (empty when not decided)."""
    found = []
    path = decision_path(data, year)
    if path.exists():
        found.append(load_record(path, year, 0))
    for number, rev in revision_paths(data, year):
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


# ---- comparing ---------------------------------------------------------------------------


def input_checksums(data: DataDir, run: AllocationRun) -> dict[str, str]:
    """The run's input files, named relative to the data directory, with their SHA-256."""
    out = {}
    for _, path in run.inputs.files:
        try:
            name = path.relative_to(data.root).as_posix()
        except ValueError:
            name = str(path)
        out[name] = run.inputs.checksums[str(path)]
    return out


def differences(record: Record, alloc: Allocation) -> list[Difference]:
    """Members whose ``amount`` differs, including members in only one of the two."""
    decided = record.amounts
    names = {m.code: m.name for m in record.members}
    new = {m.code: m.amount for m in alloc.members}
    names.update({m.code: m.name for m in alloc.members})
    order = [m.code for m in alloc.members] + [c for c in names if c not in new]
    return [
        Difference(code, names[code], decided.get(code), new.get(code))
        for code in order
        if decided.get(code) != new.get(code)
    ]


def changed_inputs(record: Record, current: dict[str, str]) -> list[str]:
    """Input files added, removed or changed since the record."""
    names = sorted(set(record.inputs) | set(current))
    return [n for n in names if record.inputs.get(n) != current.get(n)]


def _kr(value: Decimal | None) -> str:
    if value is None:
        return "not a member"
    return f"{value:,} kr".replace(",", " ")


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + f"{value:,} kr".replace(",", " ")


def departures(data: DataDir, run: AllocationRun) -> str | None:
    """A note when ``run``'s amounts differ from its year's record in force, else None (for
    reports that show computed fees, such as ``kn compare``)."""
    record = record_in_force(data, run.allocation.year)
    if record is None or not differences(record, run.allocation):
        return None
    return (f"note: the fees of {run.allocation.year} computed today differ from "
            f"{record.describe()} ({record.path}); this report shows the computed fees")


# ---- writing -----------------------------------------------------------------------------


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
    content["total"] = money(alloc.amount_total, unit)
    content["members"] = [
        {"kommunkod": m.code, "kommun": m.name, "fee": money(m.fee, unit),
         "carried": money(m.carried, unit), "amount": money(m.amount, unit)}
        for m in alloc.members
    ]
    content["inputs"] = [{"file": name, "sha256": digest} for name, digest in inputs.items()]
    return _dump(content)


def revision_json(alloc: Allocation, record: Record, number: int, diffs: list[Difference],
                  inputs: dict[str, str], changed: list[str], decided_by: str | None,
                  decision_date: date, ref: str | None) -> bytes:
    unit = alloc.plan.unit

    def opt(value: Decimal | None) -> int | str | None:
        return None if value is None else money(value, unit)

    content = _header(alloc, REVISION_KIND, decided_by, decision_date, ref)
    content["revision"] = number
    content["revises"] = record.path.name
    content["revises_decision_date"] = record.decision_date
    decided = record.amounts
    content["decided_total"] = money(sum(decided.values(), Decimal(0)), unit)
    content["total"] = money(alloc.amount_total, unit)
    content["difference"] = money(alloc.amount_total - sum(decided.values(), Decimal(0)), unit)
    new = {m.code: m for m in alloc.members}
    rows = []
    for code, name in _union(record, alloc):
        m = new.get(code)
        amount = m.amount if m else None
        rows.append({
            "kommunkod": code, "kommun": name,
            "decided": opt(decided.get(code)),
            "fee": opt(m.fee if m else None), "carried": opt(m.carried if m else None),
            "amount": opt(amount),
            "difference": money((amount or Decimal(0)) - decided.get(code, Decimal(0)), unit),
        })
    content["members"] = rows
    content["changed_inputs"] = changed
    content["inputs"] = [{"file": name, "sha256": digest} for name, digest in inputs.items()]
    return _dump(content)


def _union(record: Record, alloc: Allocation) -> list[tuple[str, str]]:
    """Members of the new run (in its order), then members only in the record."""
    seen = {m.code for m in alloc.members}
    return [(m.code, m.name) for m in alloc.members] + [
        (m.code, m.name) for m in record.members if m.code not in seen and m.amount is not None
    ]


def revision_workbook(alloc: Allocation, record: Record, number: int, inputs: dict[str, str],
                      changed: list[str], lang: Lang) -> bytes:
    """Beslutat | Ny | Differens per member, and the input files that changed."""
    from openpyxl.utils import get_column_letter

    from koordination.io.xlsx import (
        BOLD,
        BOX,
        TITLE,
        TOTAL_FILL,
        a4,
        formula,
        header_row,
        money_format,
        new_workbook,
        put,
        to_bytes,
        widths,
    )

    year = alloc.year
    fmt = money_format(alloc.plan.unit)
    wb = new_workbook()
    ws = wb.create_sheet(label("sheet_revision", lang, year=year, number=number))
    put(ws, 1, 1, label("title_revision", lang, name=alloc.plan.network.name, year=year,
                        number=number), font=TITLE)
    who = ", ".join(p for p in (record.decided_by, record.ref) if p)
    put(ws, 2, 1, label("revises", lang, what=record.path.name, date=record.decision_date,
                        who=f" ({who})" if who else ""))
    header_row(ws, 4, [label(k, lang) for k in
                       ("col_kommun", "col_code", "col_decided", "col_new", "col_difference")])
    decided = record.amounts
    new = {m.code: m.amount for m in alloc.members}
    row = 5
    for code, name in _union(record, alloc):
        put(ws, row, 1, name, border=BOX)
        put(ws, row, 2, code, border=BOX)
        put(ws, row, 3, decided.get(code, Decimal(0)), fmt, border=BOX)
        put(ws, row, 4, new.get(code, Decimal(0)), fmt, border=BOX)
        put(ws, row, 5, new.get(code, Decimal(0)) - decided.get(code, Decimal(0)), fmt,
            border=BOX)
        row += 1
    last = row - 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=BOX)
    put(ws, row, 2, None, fill=TOTAL_FILL, border=BOX)
    for col in (3, 4, 5):
        letter = get_column_letter(col)
        formula(ws, row, col, f"=SUM({letter}5:{letter}{last})", fmt, font=BOLD,
                fill=TOTAL_FILL, border=BOX)
    row += 2
    put(ws, row, 1, label("changed_inputs", lang), font=BOLD)
    row += 1
    if changed:
        header_row(ws, row, [label(k, lang) for k in ("col_file", "col_decided_sha",
                                                       "col_new_sha")])
        row += 1
        for name in changed:
            put(ws, row, 1, name)
            put(ws, row, 2, record.inputs.get(name, "—"))
            put(ws, row, 3, inputs.get(name, "—"))
            row += 1
    else:
        put(ws, row, 1, label("no_changed_inputs", lang))
        row += 1
    row += 1
    put(ws, row, 1, label("version", lang, version=__version__))
    widths(ws, [30, 12, 66, 66, 16])
    ws.freeze_panes = "B5"
    a4(ws, landscape=True)
    return to_bytes(wb)


# ---- the step in ``kn allocate`` ----------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """What the command line asked about decisions."""

    final: bool = False
    revise: bool = False
    decided_by: str | None = None
    decision_date: date | None = None
    ref: str | None = None


def check(data: DataDir, run: AllocationRun, request: Request, lang: Lang = "sv") -> Outcome:
    """Compare ``run`` with its year's record; decide what to write. Raises
    :class:`RefusedError` (before anything is written) when the amounts differ from the
    record in force and ``--revise`` was not given."""
    alloc = run.allocation
    year = alloc.year
    found = records(data, year)
    outcome = Outcome()
    current = input_checksums(data, run)
    when = request.decision_date or date.today()
    if not found:
        if request.revise:
            raise RefusedError(Problem(
                f"{year} has no decision to revise; record it first with "
                f"'kn allocate {year} --final'", str(decision_path(data, year))))
        if request.final:
            path = decision_path(data, year)
            outcome.records.append((path, decision_json(alloc, current, request.decided_by,
                                                        when, request.ref)))
            who = ", ".join(p for p in (request.decided_by, request.ref) if p)
            outcome.notes.append(label("d_recorded", lang, path=path,
                                       when=when.isoformat() + (f" ({who})" if who else "")))
        return outcome
    record = found[-1]
    changed = changed_inputs(record, current)
    diffs = differences(record, alloc)
    if not diffs:
        outcome.notes.append(label("d_matches", lang, record=record.describe(lang),
                                   path=record.path))
        outcome.notes += [label("d_input_same", lang, name=name) for name in changed]
        if request.final or request.revise:
            outcome.notes.append(label("d_already", lang, year=year))
        return outcome
    if not request.revise:
        lines = [Problem(
            f"the amounts differ from {record.describe()}; nothing was written; if the "
            f"change is intended, run again with --revise to record a revision",
            str(record.path))]
        lines += [Problem(f"{d.name} ({d.code}): decided {_kr(d.decided)}, now {_kr(d.new)}, "
                          f"difference {_signed(d.change)}", str(record.path))
                  for d in diffs]
        if changed:
            lines.append(Problem(f"input files changed since then: {', '.join(changed)}",
                                 str(record.path)))
        raise RefusedError(lines)
    number = max([r.number for r in found] + [0]) + 1
    path = data.decisions / f"{year}.rev{number}.json"
    book = data.reports(year) / f"revidering-{year}-{number}.xlsx"
    outcome.differences = diffs
    outcome.workbooks.append((book, revision_workbook(alloc, record, number, current, changed,
                                                      lang)))
    outcome.records.append((path, revision_json(alloc, record, number, diffs, current, changed,
                                                request.decided_by, when, request.ref)))
    outcome.notes.append(label("d_revision_recorded", lang, number=number,
                               record=record.describe(lang), path=path))
    outcome.notes.append(label("d_revision_workbook", lang, path=book))
    outcome.notes += [label("d_difference", lang, name=d.name, code=d.code,
                            decided=_kr(d.decided), new=_kr(d.new), change=_signed(d.change))
                      for d in diffs]
    outcome.notes += [label("d_input_changed", lang, name=name) for name in changed]
    return outcome

