"""The data directory of one cooperation and the jobs run on it (library API under the CLI).

Layout (reference section 2): ``network.yaml``, ``populations/``, ``budgets/``, ``actuals/``,
``decisions/``, ``reports/``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

from koordination.core.errors import DataError, OutputError, Problem
from koordination.core.models import Actuals, Budget, Network, Snapshot, Statistic
from koordination.core.paths import folder_name, inside
from koordination.io.gate import parsed, why

T = TypeVar("T")


@dataclass(frozen=True)
class DataDir:
    """Paths inside one cooperation's data directory."""

    root: Path

    @classmethod
    def resolve(cls, given: Path | None) -> DataDir:
        """``--data``, else ``$KN_DATA``, else ``./data``."""
        if given is None:
            env = os.environ.get("KN_DATA")
            given = Path(env) if env else Path("data")
        return cls(given)

    @property
    def folder_name(self) -> str:
        """The data directory's own folder name, however its path was typed (relative,
        absolute, ``./data/``, through a symbolic link)."""
        return folder_name(self.root.resolve())

    def shown(self, path: Path) -> str:
        """``path`` by its path inside the data directory ("budgets/2015.yaml"), as output
        files name it; a file outside it by its name alone."""
        try:
            return inside(path.resolve(), self.root.resolve()) or path.name
        except OSError:
            return path.name

    @property
    def network_file(self) -> Path:
        return self.root / "network.yaml"

    @property
    def populations(self) -> Path:
        return self.root / "populations"

    @property
    def statistics(self) -> Path:
        return self.root / "statistics"

    def statistic_file(self, name: str, day: date) -> Path:
        return self.statistics / name / f"{day.isoformat()}.csv"

    @property
    def budgets(self) -> Path:
        return self.root / "budgets"

    @property
    def actuals(self) -> Path:
        return self.root / "actuals"

    @property
    def decisions(self) -> Path:
        return self.root / "decisions"

    def reports(self, year: int | str) -> Path:
        return self.root / "reports" / str(year)

    def snapshot_file(self, day: date) -> Path:
        return self.populations / f"{day.isoformat()}.csv"

    def check_output(self, target: Path, folder: bool = False, option: str = "-o") -> None:
        """Refuse an ``-o`` target (reference section 9): it must end in ``.xlsx`` (unless
        ``folder``: a directory for several workbooks), must not name a file kn reads or
        records, must not be a link, device, pipe or directory, and its folder must exist.
        ``option`` names the option in messages (``--peppol DIR`` is checked the same way)."""
        name = str(target)
        try:
            if not folder and target.suffix.lower() != ".xlsx":
                raise OutputError(Problem("a workbook's name must end in .xlsx; give -o NAME.xlsx",
                                          name))
            if os.path.islink(target):
                raise OutputError(Problem("is a link; kn never writes through a link; give the "
                                          "file's own name", name))
            if target.exists() and not folder and not target.is_file():
                kind = "a directory" if target.is_dir() else "a device or pipe, not a file"
                raise OutputError(Problem(f"is {kind}; give a new .xlsx file name", name))
            if folder and target.exists() and not target.is_dir():
                raise OutputError(Problem(
                    "is not a directory; " + ("--split writes its workbooks" if option == "-o"
                                              else f"{option} writes its files")
                    + " into a directory", name))
            real = target.resolve()
            # the network, the lock, and everything in the folders kn reads or records in
            for place in (self.network_file, self.root / ".kn.lock", self.populations,
                          self.statistics, self.budgets, self.actuals, self.decisions):
                guarded = place.resolve()
                if real == guarded or guarded in real.parents:
                    raise OutputError(Problem(
                        f"is {'inside ' if real != guarded else ''}{place}, which kn reads or "
                        f"records in; {option} never writes there; choose a place such as "
                        "reports/", name))
            parent = target.parent
            if not parent.is_dir():
                above = parent
                while not above.exists() and above != above.parent:
                    above = above.parent
                if above.exists() and not above.is_dir():
                    raise OutputError(Problem("cannot write: a part of the path is a file, not a "
                                              "directory", name))
                raise OutputError(Problem(f"the folder {parent} does not exist; create it first "
                                          "or choose another place", name))
        except OSError as err:
            raise OutputError(Problem(f"cannot write: {why(err)}", name)) from None

    def year_file(self, folder: Path, year: int, what: str) -> Path | None:
        """``folder/YEAR.yaml`` or ``.xlsx``; both at once is ambiguous and an error."""
        candidates = [p for p in (folder / f"{year}.yaml", folder / f"{year}.xlsx") if p.exists()]
        if len(candidates) > 1:
            raise DataError(Problem(f"both {year}.yaml and {year}.xlsx exist; keep one {what}",
                                    str(folder)))
        return candidates[0] if candidates else None


def _parsed(path: Path, parse: Callable[[Path], T]) -> T:
    """``parse(path)``, computed once per run (:func:`gate.parsed`)."""
    return parsed(os.path.abspath(path), partial(parse, path))


def load_network(data: DataDir) -> Network:
    """``network.yaml``, parsed once per run."""
    from koordination.io.network import load_network as parse

    if not data.root.is_dir():
        raise DataError(Problem("data directory not found; give --data DIR or set KN_DATA",
                                str(data.root)))
    if not data.network_file.exists():
        raise DataError(Problem("file not found; every data directory needs a network.yaml",
                                str(data.network_file)))
    return _parsed(data.network_file, parse)


def snapshot_for(data: DataDir, network: Network, year: int) -> tuple[Snapshot, Path]:
    """The snapshot a fee year uses (reference 3.1); a missing one names the file looked for."""
    from koordination.io.populations import read_snapshot

    day = network.population.snapshot_date(year)
    path = data.snapshot_file(day)
    if not path.exists():
        rule = (f"population.by_year names {day}" if year in network.population.by_year
                else f"fee year {year} uses the snapshot of {day}")
        raise DataError(Problem(f"no population snapshot for {year}: {rule}; import it with "
                                f"'kn population import FILE --date {day}' or 'kn population "
                                f"fetch {day.year}'", str(path)))
    return _parsed(path, read_snapshot), path


def statistics_for(data: DataDir, network: Network, year: int
                   ) -> dict[str, tuple[Statistic, Path]]:
    """The snapshot of every statistic the key counts for a fee year (reference 7), chosen
    by the statistic's own rule or the population rule. Every missing folder or file is a
    problem that says what to import."""
    from koordination.io.statistics import read_statistic

    found: dict[str, tuple[Statistic, Path]] = {}
    problems: list[Problem] = []
    for name in network.statistic_names:
        rule = network.statistic_rule(name)
        day = rule.snapshot_date(year)
        path = data.statistic_file(name, day)
        fix = f"import it with 'kn statistic import {name} FILE --date {day}'"
        if not path.parent.is_dir():
            problems.append(Problem(
                f"the {'key' if name in network.key.statistic_names else 'fee'} counts "
                f"statistic {name}, but there is no folder statistics/{name}; {fix}",
                str(path.parent)))
            continue
        if not path.exists():
            why = (f"statistics.{name}.by_year names {day}" if name in network.statistics
                   and year in rule.by_year else
                   f"population.by_year names {day}" if year in rule.by_year else
                   f"fee year {year} uses the snapshot of {day}")
            problems.append(Problem(f"no {name} snapshot for {year}: {why}; {fix}", str(path)))
            continue
        try:
            found[name] = (_parsed(path, read_statistic), path)
        except DataError as err:
            problems.extend(err.problems)
    if problems:
        raise DataError(problems)
    return found


def load_budget(data: DataDir, year: int) -> tuple[Budget, Path]:
    """``budgets/YEAR.yaml`` or ``.xlsx``, parsed once per run."""
    path = data.year_file(data.budgets, year, "budget")
    if path is None:
        raise DataError(Problem(f"no budget for {year}; write budgets/{year}.yaml (or .xlsx)",
                                str(data.budgets / f"{year}.yaml")))
    if path.suffix == ".xlsx":  # openpyxl is imported only for a workbook
        from koordination.io.excel import load_budget_xlsx as parse
    else:
        from koordination.io.budget import load_budget_yaml as parse
    return _parsed(path, partial(parse, year=year)), path


def load_actuals(data: DataDir, year: int, needs_budget: bool = True) -> tuple[Actuals, Path]:
    """The outcome of ``year`` (``actuals/YEAR.yaml`` or ``.xlsx``; the year needs a budget
    unless ``needs_budget`` is False: a ``fee:`` rate sets the fees without one), parsed once
    per run."""
    path = data.year_file(data.actuals, year, "actuals file")
    if path is None:
        raise DataError(Problem(f"no actuals for {year}; write actuals/{year}.yaml (or .xlsx) "
                                "with the year's actual costs", str(data.actuals / f"{year}.yaml")))
    if needs_budget and data.year_file(data.budgets, year, "budget") is None:
        raise DataError(Problem(f"actuals for {year} but no budget for {year}; a settlement "
                                "compares the outcome with the fees charged, so write "
                                f"budgets/{year}.yaml first", str(path)))
    if path.suffix == ".xlsx":
        from koordination.io.excel import load_actuals_xlsx as parse
    else:
        from koordination.io.budget import load_actuals_yaml as parse
    return _parsed(path, partial(parse, year=year)), path
