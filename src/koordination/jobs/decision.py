"""The decision step of ``kn allocate``: compare a run with its year's record in force and
decide what to write (``--final`` records a decision, ``--revise`` a revision).

Every later allocation of a decided year is compared with the record in force. The same
amounts are confirmed (naming any input file that changed without changing an amount);
different amounts are refused unless ``--revise``, which writes the next revision and a
revision workbook and leaves the earlier records as they were. Records are written last,
after every other output of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from koordination.core.errors import Problem, RefusedError
from koordination.core.paths import inside
from koordination.core.records import (
    Difference,
    Record,
    SettlementRecord,
    changed_inputs,
    differences,
)
from koordination.core.results import AllocationRun, SettlementRun
from koordination.io.datadir import DataDir
from koordination.io.files import atomic_write, undone_on_failure, write_new
from koordination.io.records import (
    decision_json,
    decision_path,
    record_in_force,
    records,
    revision_json,
)
from koordination.render.labels import Lang, label
from koordination.render.numbers import Style, kr
from koordination.render.text.decision import describe


@dataclass
class Outcome:
    """What a run does about the record: lines to print and files to write (written by
    :meth:`commit`, after the run's workbook)."""

    notes: list[str] = field(default_factory=list)
    records: list[tuple[Path, bytes]] = field(default_factory=list)
    workbooks: list[tuple[Path, bytes]] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    standing: Record | None = None  # the record in force once the run is committed

    def commit(self) -> list[str]:
        """Write the workbooks, then the records (never overwriting one); the notes.

        A record is written only after every other output (reference section 9), and a run
        that fails leaves nothing new: when a write fails, the workbooks this run wrote are
        put back as they were (or removed) and no record is written."""
        with undone_on_failure(path for path, _ in self.workbooks):
            for path, content in self.workbooks:
                atomic_write(path, content)
            for path, content in self.records:
                write_new(path, content)
        return self.notes


def input_checksums(data: DataDir, run: AllocationRun | SettlementRun) -> dict[str, str]:
    """The run's input files (a settlement's: its allocation's, then the actuals), named
    relative to the data directory, with their SHA-256."""
    out = {}
    for _, path in run.inputs.files:
        out[inside(path, data.root) or str(path)] = run.inputs.checksums[str(path)]
    return out


def _fee(value: Decimal | None, unit: Decimal | None, lang: Style) -> str:
    """A decided or new fee in a note (``lang``) or an error line (``plain``: the amount
    as it is recorded); None is a municipality that is not a member."""
    if value is None:
        return label("d_not_member", "en" if lang == "plain" else lang)
    return kr(value, unit, lang)


def departures(data: DataDir, run: AllocationRun) -> str | None:
    """A note when ``run``'s amounts differ from its year's record in force, else None (for
    reports that show computed fees, such as ``kn compare``)."""
    record = record_in_force(data, run.allocation.year)
    if record is None or not differences(record, run.allocation):
        return None
    return (f"note: the fees of {run.allocation.year} computed today differ from "
            f"{describe(record, 'en')} ({record.path}); this report shows the computed fees")


def refusal(record: Record | SettlementRecord, diffs: list[Difference], changed: list[str],
            fix: str) -> RefusedError:
    """The refusal of a run whose amounts differ from the record in force: one line saying
    so and what would fix it, one per member that differs, one naming the changed inputs."""
    lines = [Problem(f"the amounts differ from {describe(record, 'en')}; nothing was written; "
                     f"{fix}", str(record.path))]
    lines += [Problem(f"{d.name} ({d.code}): decided {_fee(d.decided, None, 'plain')}, "
                      f"now {_fee(d.new, None, 'plain')}, "
                      f"difference {kr(d.change, None, 'plain', sign='nonzero')}",
                      str(record.path))
              for d in diffs]
    if changed:
        lines.append(Problem(f"input files changed since then: {', '.join(changed)}",
                             str(record.path)))
    return RefusedError(lines)


def decided_run(data: DataDir, run: AllocationRun) -> Record | None:
    """The record in force of ``run``'s year, when its amounts are the run's; None for a year
    without a decision. Refuses (reference section 9) when today's inputs give other amounts:
    a command that states a decided year's money (invoices, explain, settle) states the
    record's, never an undecided one."""
    year = run.allocation.year
    record = record_in_force(data, year, run.allocation.plan.network)
    if record is None:
        return None
    diffs = differences(record, run.allocation)
    if diffs:
        raise refusal(record, diffs, changed_inputs(record, input_checksums(data, run)),
                      f"record the change first with 'kn allocate {year} --revise', or put "
                      "the inputs back as they were decided")
    return record


@dataclass(frozen=True)
class Request:
    """What the command line asked about decisions."""

    final: bool = False
    revise: bool = False
    decided_by: str | None = None
    decision_date: date | None = None
    ref: str | None = None


def check(data: DataDir, run: AllocationRun, request: Request, lang: Lang) -> Outcome:
    """Compare ``run`` with its year's record; decide what to write. Raises
    :class:`RefusedError` (before anything is written) when the amounts differ from the
    record in force and ``--revise`` was not given."""
    alloc = run.allocation
    year = alloc.year
    found = records(data, year, alloc.plan.network)
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
            outcome.standing = Record(path, year, 0, when.isoformat(), request.decided_by,
                                      request.ref, (), {})
            who = ", ".join(p for p in (request.decided_by, request.ref) if p)
            outcome.notes.append(label("d_recorded", lang, path=path,
                                       when=when.isoformat() + (f" ({who})" if who else "")))
        return outcome
    record = found[-1]
    outcome.standing = record
    changed = changed_inputs(record, current)
    diffs = differences(record, alloc)
    if not diffs:
        outcome.notes.append(label("d_matches", lang, record=describe(record, lang),
                                   path=record.path))
        outcome.notes += [label("d_input_same", lang, name=name) for name in changed]
        if request.final or request.revise:
            outcome.notes.append(label("d_already", lang, year=year))
        return outcome
    if not request.revise:
        raise refusal(record, diffs, changed, "if the change is intended, run again with "
                      "--revise to record a revision")
    from koordination.render.xlsx.revision import revision_workbook  # XlsxWriter: only here

    number = max([r.number for r in found] + [0]) + 1
    path = data.decisions / f"{year}.rev{number}.json"
    book = data.reports(year) / f"revidering-{year}-{number}.xlsx"
    outcome.differences = diffs
    outcome.standing = Record(path, year, number, when.isoformat(), request.decided_by,
                              request.ref, (), {})
    outcome.workbooks.append((book, revision_workbook(alloc, record, number, current, changed,
                                                      lang, outcome.standing)))
    outcome.records.append((path, revision_json(alloc, record, number, current, changed,
                                                request.decided_by, when, request.ref)))
    outcome.notes.append(label("d_revision_recorded", lang, number=number,
                               record=describe(record, lang), path=path))
    outcome.notes.append(label("d_revision_workbook", lang, path=book))
    unit = alloc.plan.unit
    outcome.notes += [label("d_difference", lang, name=d.name, code=d.code,
                            decided=_fee(d.decided, unit, lang), new=_fee(d.new, unit, lang),
                            change=kr(d.change, unit, lang, sign="nonzero"))
                      for d in diffs]
    outcome.notes += [label("d_input_changed", lang, name=name) for name in changed]
    return outcome

