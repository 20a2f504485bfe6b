"""What if a municipality joined or left? The year's allocation with members added or removed
for the whole period, beside today's (reference 4, ``kn allocate --with/--without``).

Pure: takes the loaded network, snapshot and budget, changes the member list, and allocates
both. The population comes from the same snapshot; nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from koordination.core.allocation import Allocation, allocate
from koordination.core.errors import DataError, Problem
from koordination.core.keyplan import make_plan
from koordination.core.models import Budget, Member, Network, Snapshot, Statistic
from koordination.core.municipalities import Municipality, swedish_sort_key


@dataclass(frozen=True)
class WhatIfRow:
    """One municipality in either allocation: its fee today and in the what-if (None: not a
    member in that case) and the difference (what-if - today, missing counted as 0)."""

    code: str
    name: str
    population: int
    today: Decimal | None
    what_if: Decimal | None

    @property
    def difference(self) -> Decimal:
        return (self.what_if or Decimal(0)) - (self.today or Decimal(0))


@dataclass(frozen=True)
class WhatIf:
    today: Allocation
    changed: Allocation
    added: tuple[Municipality, ...]
    removed: tuple[Municipality, ...]

    def rows(self) -> list[WhatIfRow]:
        today = {m.code: m for m in self.today.members}
        changed = {m.code: m for m in self.changed.members}
        codes = sorted(set(today) | set(changed),
                       key=lambda c: swedish_sort_key((today.get(c) or changed[c]).name))
        return [
            WhatIfRow(
                code=c,
                name=(today.get(c) or changed[c]).name,
                population=(today.get(c) or changed[c]).population,
                today=today[c].fee if c in today else None,
                what_if=changed[c].fee if c in changed else None,
            )
            for c in codes
        ]

    @property
    def difference_total(self) -> Decimal:
        """The differences of :meth:`rows` summed: the what-if's total less today's."""
        return sum((r.difference for r in self.rows()), Decimal(0))


def changed_network(
    network: Network,
    present: Sequence[str],
    add: Sequence[Municipality],
    remove: Sequence[Municipality],
) -> Network:
    """``network`` with ``add`` members for the whole period and ``remove`` members gone.

    ``present`` are the codes of the members with a day in the period. Adding one of them, or
    removing a municipality that is not one of them, is refused with one line each.
    """
    problems: list[Problem] = []
    added = {m.code for m in add}
    for muni in add:
        if muni.code in present:
            problems.append(Problem(
                f"{muni.name} is already a member of {network.name}; "
                f"use --without {muni.name} to see the cooperation without it", None, "--with"))
        if muni.code in {m.code for m in remove}:
            problems.append(Problem(
                f"{muni.name} is given with both --with and --without; give it once", None,
                "--with"))
    for muni in remove:
        if muni.code not in present:
            problems.append(Problem(
                f"{muni.name} is not a member of {network.name} in this period; "
                f"use --with {muni.name} to see the cooperation with it", None, "--without"))
    if add and network.key.kind == "fixed":
        problems.append(Problem(
            "key: fixed gives each member a share from the agreement; a new member has none, "
            "so --with cannot be computed (write the new shares in network.yaml instead)",
            None, "--with"))
    if problems:
        raise DataError(problems)
    gone = {m.code for m in remove}
    members = [m for m in network.members if m.code not in gone and m.code not in added]
    members += [Member(code=m.code, name=m.name) for m in add]
    if not any(m.code in present or m.code in added for m in members):
        raise DataError(Problem("no member would be left; remove fewer members", None,
                                "--without"))
    return replace(network, members=tuple(members))


def what_if(
    network: Network,
    snapshot: Snapshot,
    budget: Budget,
    add: Sequence[Municipality] = (),
    remove: Sequence[Municipality] = (),
    snapshot_file: str | None = None,
    budget_file: str | None = None,
    statistics: Mapping[str, Statistic] | None = None,
    last_fees: Mapping[str, Decimal] | None = None,
) -> WhatIf:
    """Today's allocation and the one with ``add`` joined and ``remove`` gone all period.

    A key on statistics takes a joining municipality's values from the same statistic
    snapshots (reference 7); one missing there is an error naming the file. ``last_fees``:
    last year's fees, for the change limits of ``limits:`` (a joining municipality has
    none, so no change limit)."""
    add = tuple(dict.fromkeys(add))
    remove = tuple(dict.fromkeys(remove))
    plan = make_plan(network, snapshot, budget.start, budget.end, snapshot_file, statistics)
    given = budget_file is not None
    today = allocate(plan, budget, None, budget_file, last_fees, budget_given=given)
    other = changed_network(network, [m.code for m in plan.members], add, remove)
    changed_plan = make_plan(other, snapshot, budget.start, budget.end, snapshot_file,
                             statistics)
    changed = allocate(changed_plan, budget, None, budget_file, last_fees, budget_given=given)
    return WhatIf(today, changed, add, remove)
