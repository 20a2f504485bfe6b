"""``kn population`` on a terminal: the list of snapshots and the one-line import report."""

from __future__ import annotations

from rich.table import Table

from koordination.core.snapshot_results import SnapshotList, UpdateResult
from koordination.render.labels import Lang, label
from koordination.render.numbers import integer


def snapshots_table(listing: SnapshotList, lang: Lang) -> Table:
    """Reference date, file, municipalities, total population, members present."""
    table = Table(title=label("pop_title", lang, name=listing.network.name,
                              path=listing.folder))
    for key in ("snapshot_date", "col_file", "col_municipalities", "col_total_population",
                "col_members_present"):
        table.add_column(label(key, lang),
                         justify="left" if key in ("snapshot_date", "col_file") else "right")
    for e in listing.entries:
        if e.problem is not None or e.municipalities is None or e.total is None:
            table.add_row(e.day.isoformat(), e.path.name, "", "",
                          label("pop_invalid", lang, message=e.problem))
            continue
        table.add_row(e.day.isoformat(), e.path.name, integer(e.municipalities, lang),
                      integer(e.total, lang), f"{e.members_present}/{e.members}")
    return table


def missing_lines(listing: SnapshotList, lang: Lang) -> list[str]:
    """One line for each fee year whose snapshot is not there yet."""
    return [label("pop_missing", lang, year=year, day=day, path=path, snap_year=day.year)
            for year, day, path in listing.missing]


def update_report(result: UpdateResult, lang: Lang) -> str:
    """What ``kn population import/fetch`` did, in one line."""
    what = label(f"pu_{result.status}", lang, count=len(result.changes))
    extra = label("pu_left_out", lang, count=result.left_out) if result.left_out else ""
    extra += label("pu_noise", lang) if result.noise else ""
    return label("pu_report", lang, what=what, path=result.path, count=len(result.populations),
                 total=integer(result.total, lang), day=result.day, source=result.source,
                 extra=extra)
