"""Statistic snapshots of a data directory (reference 7): ``kn statistic list`` and
``kn statistic import``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

from koordination.core.ages import AgeBand
from koordination.core.dates import not_after_today
from koordination.core.errors import DataError, KnError, Problem, RefusedError
from koordination.core.models import Network
from koordination.core.snapshot_results import StatisticFile, StatisticImport
from koordination.io.datadir import DataDir
from koordination.jobs.population import network_if_any


def list_statistic_files(data: DataDir, network: Network) -> list[StatisticFile]:
    """Every statistic snapshot under ``DIR/statistics``, by name and date."""
    from koordination.io.statistics import list_statistics, read_statistic

    used = set(network.statistic_names)
    found = []
    for name, files in list_statistics(data.statistics).items():
        for day, path in files:
            try:
                stat = read_statistic(path)
            except KnError as err:
                found.append(StatisticFile(name, day, path, in_key=name in used,
                                           problem=err.problems[0].message))
                continue
            found.append(StatisticFile(
                name, day, path, len(stat.values), sum(stat.values.values(), Decimal(0)),
                sum(1 for m in network.members if m.code in stat.values), name in used))
    return found


def parse_age_band(text: str) -> AgeBand:
    """``--age FROM-TO`` or ``FROM+`` within the ages SCB's tables hold (0 to 100+); a
    ValueError gives the reason in one line."""
    band = AgeBand.parse(text)
    if band.low > 100 or (band.high is not None and band.high > 100):
        raise ValueError(f"'{text}' is outside the ages 0-100+ that SCB's tables hold; give "
                         "FROM-TO within 0-100 (such as 16-64) or FROM+ (such as 65+)")
    return band


def import_statistic(data: DataDir, name: str, path: Path, day: date,
                     ages: AgeBand | None = None, column: str | None = None,
                     force: bool = False) -> StatisticImport:
    """``kn statistic import NAME FILE --date YYYY-MM-DD [--age FROM-TO] [--column C]``:
    read one figure per municipality from an SCB or Kolada export (summing an age band of a
    table by age) and write ``statistics/NAME/DATE.csv``. Every member must be in the file
    with a figure; an existing snapshot with other values is replaced only with ``force``."""
    from koordination.io.scb.exports import read_statistic_file

    if not data.root.is_dir():
        raise DataError(Problem("data directory not found; give --data DIR or set KN_DATA",
                                str(data.root)))
    file = str(path)
    table = read_statistic_file(path, file, column=column, want_year=day.year, ages=ages)
    when = table.reference_date(day, file)
    future = not_after_today(when)
    if future:
        raise DataError(Problem(future, file))
    network = network_if_any(data)
    members = {m.code: m.name for m in network.members} if network else {}
    problems = [
        Problem(f"{code} {members[code]} has SCB's mark for a missing value ('..' or '-') and "
                "is a member; use a table with its figure", file, where)
        for code, where in sorted(table.missing.items()) if code in members
    ]
    problems += [
        Problem(f"{code} {members[code]} is a member but not in the file; use a table of all "
                "municipalities (or at least every member)", file)
        for code in sorted(set(members) - set(table.values) - set(table.missing))
    ]
    if problems:
        raise DataError(problems)
    values = dict(table.values)
    fmt = table.format + (f", ages {table.ages}" if table.ages else "")
    status, changes, target = save_statistic(
        data, name, when, values, force, f"imported from {path.name} ({fmt})")
    return StatisticImport(name, when, target, values, status, table.format,  # type: ignore[arg-type]
                           str(table.ages) if table.ages else None, len(table.left_out),
                           changes)


def save_statistic(data: DataDir, name: str, day: date, values: Mapping[str, Decimal],
                   force: bool, source: str) -> tuple[str, int, Path]:
    """Write ``statistics/NAME/DATE.csv`` under the run lock, atomically; refuse to replace
    a snapshot holding other values unless ``force``. Returns (status, changes, path)."""
    from koordination.io.files import atomic_write, run_lock
    from koordination.io.statistics import format_statistic, read_statistic

    path = data.statistic_file(name, day)
    shown = str(path)
    with run_lock(data.root):
        status = "written"
        changed = 0
        if path.exists():
            try:
                old = dict(read_statistic(path).values)
            except KnError as err:
                if not force:
                    raise RefusedError(Problem(
                        f"exists but is not a valid statistic snapshot "
                        f"({err.problems[0].message}); run again with --force to replace it",
                        shown)) from None
                old = {}
            changed = sum(1 for c in set(old) | set(values) if old.get(c) != values.get(c))
            if not changed:
                return "unchanged", 0, path
            if not force:
                raise RefusedError(Problem(
                    f"exists with different values for {changed} "
                    f"municipalit{'y' if changed == 1 else 'ies'}; run again with --force to "
                    "replace it", shown))
            status = "replaced"
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, format_statistic(values))
        _note_source(path.parent, day, source)
        return status, changed, path


def _note_source(folder: Path, day: date, source: str) -> None:
    """Record where a snapshot came from in ``statistics/NAME/README.md`` (once per date)."""
    from koordination.io.files import atomic_write
    from koordination.io.gate import read

    readme = folder / "README.md"
    text = read(readme, "text").data.decode("utf-8", "replace") if readme.exists() else (
        f"# {folder.name}\n\nOne file per reference date, `YYYY-MM-DD.csv`, header "
        "`kommunkod,kommun,value`.\n")
    line = f"- {day.isoformat()}.csv: {source}."
    if line in text:
        return
    heading = "## Added with kn statistic import"
    text = text.rstrip("\n") + "\n"
    if heading not in text:
        text += f"\n{heading}\n\n"
    atomic_write(readme, (text + line + "\n").encode("utf-8"))
