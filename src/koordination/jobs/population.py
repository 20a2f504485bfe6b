"""The April update: bring a new SCB population table into the data directory.

:func:`import_file` reads a file (any format :mod:`koordination.io.scb.exports` knows),
:func:`fetch` asks SCB's API; both check the figures against the cooperation's members and
write ``populations/<date>.csv`` through :func:`save_snapshot`, which holds the data
directory's lock, writes atomically, and refuses to replace a snapshot with different numbers
unless forced (listing the differences).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from koordination.core.dates import not_after_today
from koordination.core.errors import DataError, KnError, Problem, RefusedError
from koordination.core.models import Network
from koordination.core.municipalities import by_code
from koordination.core.snapshot_results import Change, SnapshotEntry, SnapshotList, UpdateResult
from koordination.io.datadir import DataDir, load_network
from koordination.io.files import atomic_write, run_lock
from koordination.io.gate import read
from koordination.io.populations import format_snapshot, list_snapshots, read_snapshot

if TYPE_CHECKING:
    from koordination.io.scb.exports import PopulationTable

MAX_CHANGES_SHOWN = 20


def differences(old: Mapping[str, int], new: Mapping[str, int]) -> list[Change]:
    return [Change(code, old.get(code), new.get(code)) for code in sorted(set(old) | set(new))
            if old.get(code) != new.get(code)]


def _name(code: str) -> str:
    muni = by_code(code)
    return f"{code} {muni.name}" if muni else code


def save_snapshot(data: DataDir, day: date, populations: Mapping[str, int], force: bool,
                  source: str, note: str | None = None) -> tuple[str, list[Change], Path]:
    """Write ``populations/<day>.csv`` under the run lock. Returns (status, changes, path)."""
    path = data.snapshot_file(day)
    shown = str(path)
    with run_lock(data.root):
        changes: list[Change] = []
        status = "written"
        if path.exists():
            try:
                existing = dict(read_snapshot(path).populations)
            except KnError as err:
                if not force:
                    raise RefusedError(Problem(
                        f"exists but is not a valid snapshot ({err.problems[0].message}); run "
                        "again with --force to replace it", shown)) from None
                existing = {}
            changes = differences(existing, populations)
            if not changes:
                return "unchanged", [], path
            if not force:
                problems = [Problem(
                    f"exists with different numbers for {len(changes)} "
                    f"municipalit{'y' if len(changes) == 1 else 'ies'}; run again with --force "
                    "to replace it", shown)]
                problems += [Problem(c.describe(), shown, _name(c.code))
                             for c in changes[:MAX_CHANGES_SHOWN]]
                if len(changes) > MAX_CHANGES_SHOWN:
                    problems.append(Problem(f"... and {len(changes) - MAX_CHANGES_SHOWN} more",
                                            shown))
                raise RefusedError(problems)
            status = "replaced"
        atomic_write(path, format_snapshot(populations))
        _note_source(data, day, source, note)
        return status, changes, path


def _note_source(data: DataDir, day: date, source: str, note: str | None) -> None:
    """Record where a snapshot came from in ``populations/README.md`` (once per date)."""
    readme = data.populations / "README.md"
    text = read(readme, "text").data.decode("utf-8", "replace") if readme.exists() else (
        "# Population snapshots\n\nOne file per SCB reference date, `YYYY-MM-DD.csv`, header "
        "`kommunkod,kommun,folkmangd`.\n")
    line = f"- {day.isoformat()}.csv: {source}."
    if note:
        line += f" {note}"
    if line in text:
        return
    heading = "## Added with kn population import / fetch"
    text = text.rstrip("\n") + "\n"
    if heading not in text:
        text += f"\n{heading}\n\n"
    atomic_write(readme, (text + line + "\n").encode("utf-8"))


def network_if_any(data: DataDir) -> Network | None:
    """The data directory's network when it has a valid one, else None: an import can go on
    without it (`kn validate` reports what is wrong with it)."""
    if not data.network_file.exists():
        return None
    from koordination.io.network import load_network

    try:
        return load_network(data.network_file)
    except KnError:
        return None  # `kn validate` reports it; the figures can still be imported


def check_figures(table: PopulationTable, network: Network | None, file: str) -> dict[str, int]:
    """The figures to write: missing-value marks are refused for members (and, without a
    network.yaml, for every municipality); every member must be in the table."""
    problems: list[Problem] = []
    members = {m.code for m in network.members} if network else None
    for code, where in sorted(table.missing.items()):
        if members is None or code in members:
            whose = "a member" if members is not None else "in the table"
            problems.append(Problem(
                f"{_name(code)} has SCB's mark for a missing value ('..' or '-') and is "
                f"{whose}; use a table with its figure", file, where))
    if members is not None:
        for code in sorted(members - set(table.populations) - set(table.missing)):
            problems.append(Problem(
                f"{_name(code)} is a member but not in the file; use a table of all "
                "municipalities (or at least every member)", file))
    if problems:
        raise DataError(problems)
    return dict(table.populations)


def _require(data: DataDir) -> None:
    if not data.root.is_dir():
        raise DataError(Problem("data directory not found; give --data DIR or set KN_DATA "
                                "(create the directory for a new cooperation)", str(data.root)))


def import_file(data: DataDir, path: Path, day: date | None, force: bool,
                column: str | None = None) -> UpdateResult:
    """``kn population import FILE [--date] [--column] [--force]``; FILE ``-`` is standard
    input."""
    from koordination.io.gate import read_stdin
    from koordination.io.scb.exports import read_population_file

    _require(data)
    stdin = str(path) == "-"
    file = "standard input" if stdin else str(path)
    source_of = read_stdin("export", file) if stdin else path
    table = read_population_file(source_of, file, want_year=day.year if day else None,
                                 column=column)
    when = table.reference_date(day, file)
    future = not_after_today(when)
    if future:
        raise DataError(Problem(future, file))
    figures = check_figures(table, network_if_any(data), file)
    source = f"imported from {file if stdin else path.name} ({table.format})"
    status, changes, target = save_snapshot(data, when, figures, force, source)
    return UpdateResult(target, when, figures, status, tuple(changes),  # type: ignore[arg-type]
                        table.format, len(table.left_out))


def fetch(data: DataDir, year: int, month_day: str, force: bool,
          progress: Callable[[str], None] | None = None,
          base: str | None = None, deadline: float | None = None) -> UpdateResult:
    """``kn population fetch YEAR [--date 12-31|11-01] [--timeout SECONDS]``: everything SCB
    answers within ``deadline`` seconds (by default the client's), or nothing written."""
    from koordination.io.scb.api import DEADLINE, NOISE_NOTE, ScbClient

    _require(data)
    client = ScbClient(base=base, progress=progress, deadline=deadline or DEADLINE)
    result = client.fetch(year, month_day)
    table = result.populations
    when = table.reference_date(None, f"SCB table {result.table}")
    figures = check_figures(table, network_if_any(data), f"SCB table {result.table}")
    source = f"Statistics Sweden (SCB), PxWebApi 2.0 table {result.table}"
    status, changes, target = save_snapshot(data, when, figures, force, source,
                                            NOISE_NOTE if result.noise else None)
    return UpdateResult(target, when, figures, status, tuple(changes),  # type: ignore[arg-type]
                        f"SCB table {result.table}", len(table.left_out), result.noise)


def missing_snapshots(data: DataDir, network: Network,
                      today: date | None = None) -> list[tuple[int, date, Path]]:
    """The fee years without their snapshot: every year with a budget and the coming fee year
    (next calendar year), as (fee year, reference date, the file it needs)."""
    import re

    years = {(today or date.today()).year + 1}
    if data.budgets.is_dir():
        years |= {int(p.stem) for p in data.budgets.iterdir()
                  if re.fullmatch(r"\d{4}\.(yaml|xlsx)", p.name)}
    found = []
    for year in sorted(years):
        day = network.population.snapshot_date(year)
        path = data.snapshot_file(day)
        if not path.exists():
            found.append((year, day, path))
    return found


def list_populations(data: DataDir) -> SnapshotList:
    """Every snapshot of the data directory, oldest first, read against the network."""
    network = load_network(data)
    members = len(network.members)
    entries = []
    for day, path in list_snapshots(data.populations):
        try:
            snap = read_snapshot(path)
        except KnError as err:
            entries.append(SnapshotEntry(day, path, members, problem=err.problems[0].message))
            continue
        present = sum(1 for m in network.members if m.code in snap.populations)
        entries.append(SnapshotEntry(day, path, members, len(snap.populations),
                                     sum(snap.populations.values()), present))
    return SnapshotList(network, data.populations, tuple(entries),
                        tuple(missing_snapshots(data, network)))
