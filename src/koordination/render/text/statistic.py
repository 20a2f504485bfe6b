"""``kn statistic`` on a terminal: the list of statistic snapshots and the one-line import
report (reference 7)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from rich.table import Table

from koordination.core.models import Network
from koordination.core.snapshot_results import StatisticFile, StatisticImport
from koordination.render.labels import Lang, label
from koordination.render.numbers import integer, number_text


def _sum(value: Decimal, lang: Lang) -> str:
    """A sum of values with the decimals its values carry."""
    return number_text(value, None, lang)


def statistics_table(network: Network, folder: Path, files: Sequence[StatisticFile],
                     lang: Lang) -> Table:
    """Name, reference date, file, municipalities, sum, members present, in the key."""
    table = Table(title=label("stat_title", lang, name=network.name, path=folder))
    for key in ("col_statistic_name", "snapshot_date", "col_file", "col_municipalities",
                "col_value_sum", "col_members_present", "col_in_key"):
        table.add_column(label(key, lang), justify="right" if key in (
            "col_municipalities", "col_value_sum", "col_members_present") else "left")
    for f in files:
        in_key = label("yes" if f.in_key else "no", lang)
        if f.problem is not None:
            table.add_row(f.name, f.day.isoformat(), f.path.name, "", "",
                          label("pop_invalid", lang, message=f.problem), in_key)
            continue
        table.add_row(f.name, f.day.isoformat(), f.path.name, integer(f.municipalities, lang),
                      _sum(f.total, lang), f"{f.members_present}/{len(network.members)}",
                      in_key)
    return table


def missing_lines(network: Network, files: Sequence[StatisticFile], lang: Lang) -> list[str]:
    """One line for each statistic the key counts that has no snapshot at all."""
    listed = {f.name for f in files}
    return [label("stat_missing", lang, name=name) for name in network.statistic_names
            if name not in listed]


def import_report(result: StatisticImport, lang: Lang) -> str:
    """What ``kn statistic import`` did, in one line."""
    extra = label("si_ages", lang, ages=result.ages) if result.ages else ""
    extra += label("pu_left_out", lang, count=result.left_out) if result.left_out else ""
    return label("si_report", lang, what=label(f"pu_{result.status}", lang, count=result.changes),
                 path=result.path, count=len(result.values), total=_sum(result.total, lang),
                 day=result.day, source=result.source, extra=extra)
