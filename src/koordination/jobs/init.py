"""``kn init``: the data directory of a new cooperation (reference section 10).

Writes ``network.yaml`` (every key, commented), ``budgets/YEAR.yaml`` or ``.xlsx`` (the annex's
lines to fill in) and an empty ``populations/``. Nothing is overwritten: when any of the files
exists, nothing is written at all.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from koordination.core.errors import KnError, Problem, RefusedError, UsageError
from koordination.core.municipalities import Municipality, UnknownMunicipality, lookup
from koordination.io.datadir import DataDir
from koordination.io.files import write_new
from koordination.render.labels import Lang


@dataclass(frozen=True)
class InitResult:
    """What ``kn init`` wrote, and what the cooperation needs next."""

    data: DataDir
    year: int
    written: tuple[Path, ...]
    budget: Path | None
    snapshot_day: date


def default_year(today: date | None = None) -> int:
    """The coming fee year: next calendar year."""
    return (today or date.today()).year + 1


def member_problem(given: str) -> tuple[Municipality | None, str | None]:
    """The municipality ``given`` names, or what is wrong with it (with "did you mean")."""
    try:
        return lookup(given), None
    except UnknownMunicipality as err:
        return None, str(err)


def check_values(name: str, administrator: str, members: list[str]
                 ) -> tuple[Municipality, list[Municipality]]:
    """The administrator and members named on the command line; every problem at once."""
    problems: list[Problem] = []
    if not name.strip():
        problems.append(Problem("the name must not be empty; give --name TEXT", None, "--name"))
    found: list[Municipality] = []
    for given in members:
        if not given.strip():
            continue
        muni, why = member_problem(given)
        if muni is None:
            problems.append(Problem(str(why), None, "--members"))
        elif muni in found:
            problems.append(Problem(f"{muni.name} is listed twice; list each member once",
                                    None, "--members"))
        else:
            found.append(muni)
    if not found and not problems:
        problems.append(Problem("name at least one member: --members KOMMUN,KOMMUN,...", None,
                                "--members"))
    admin, why = member_problem(administrator)
    if admin is None:
        problems.append(Problem(str(why), None, "--administrator"))
    elif found and admin not in found and not any(p.where == "--members" for p in problems):
        problems.append(Problem(f"{admin.name} is not among the members; the administrator must "
                                "be one of them (add it to --members)", None, "--administrator"))
    if problems:
        raise UsageError(problems)
    assert admin is not None
    return admin, found


def init_cooperation(root: Path, name: str, administrator: str, members: list[str],
                     year: int, budget: Literal["yaml", "xlsx"], lang: Lang,
                     model: str = "share") -> InitResult:
    """Write the files of a new cooperation in ``root``; refuse if any of them exists. A
    ``rate`` or ``bands`` model needs no budget: none is written."""
    from koordination.render.init import budget_yaml, network_yaml

    admin, found = check_values(name, administrator, members)
    data = DataDir(root)
    budget_path = data.budgets / f"{year}.{budget}"
    targets = [data.network_file, data.budgets / f"{year}.yaml", data.budgets / f"{year}.xlsx"]
    existing = [p for p in targets if p.exists()]
    if root.exists() and not root.is_dir():
        raise RefusedError(Problem("exists and is not a directory; give a new directory",
                                   str(root)))
    if data.network_file in existing:  # a cooperation lives here: its next year is a budget
        raise RefusedError(Problem(
            f"{root} already holds a cooperation; kn init never overwrites a file: start the "
            f"budget of a new year with 'kn budget new {year} --data {root}', or give kn init "
            "a new directory", str(data.network_file)))
    if existing:
        raise RefusedError([Problem("already exists; kn init never overwrites a file: give a "
                                    "new directory", str(p)) for p in existing])
    if budget == "xlsx":
        from koordination.render.xlsx.budget_form import budget_form

        budget_bytes = budget_form(name.strip(), year, lang)
    else:
        budget_bytes = budget_yaml(name.strip(), year).encode("utf-8")
    contents = [
        (data.network_file,
         network_yaml(name.strip(), admin, found, year, model).encode("utf-8")),
        (budget_path, budget_bytes),
    ]
    if model != "share":  # a rate or bands set the fees: no budget to fill in
        contents = contents[:1]
    made: list[Path] = []
    written: list[Path] = []
    try:
        for folder in (root, data.budgets, data.populations):
            if not folder.exists():
                _mkdir(folder)
                made.append(folder)
        for path, content in contents:
            write_new(path, content)
            written.append(path)
    except KnError:
        _undo(written, made)
        raise
    day = date(year - 1, 12, 31)
    return InitResult(data, year, tuple(written), budget_path if model == "share" else None,
                      day)


def _mkdir(folder: Path) -> None:
    from koordination.core.errors import OutputError

    try:
        folder.mkdir(parents=True)
    except OSError as err:
        raise OutputError(Problem(f"cannot create the directory: {err.strerror}",
                                  str(folder))) from None


def _undo(written: list[Path], made: list[Path]) -> None:
    """A failed init leaves nothing new: remove what it wrote, then the folders it made."""
    for path in reversed(written):
        with contextlib.suppress(OSError):
            path.unlink()
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()
