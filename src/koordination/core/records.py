"""Decision records and how a new result compares with them (pure: no files).

A record is what a council decided for one fee year: every member's fee, carried amount
and amount, and the SHA-256 of every input file. The record *in force* is the decision or
its latest revision; a later run of the same year is compared with it member by member.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from koordination.core.allocation import Allocation
from koordination.core.money import to_decimal
from koordination.core.settlement import Settlement


@dataclass(frozen=True)
class RecordBasis:
    """What a record's amounts were computed from, as kn records it since records held it
    (older records hold only the files' checksums): each budget line's amount for the
    period, each funding source, each member's population and each statistic's values."""

    lines: tuple[tuple[str, str, Decimal], ...] = ()
    funding: tuple[tuple[str, Decimal], ...] = ()
    population: dict[str, int] = field(default_factory=dict)
    statistics: dict[str, dict[str, Decimal]] = field(default_factory=dict)


def basis_of(alloc: Allocation) -> RecordBasis:
    """The basis of ``alloc`` as a record holds it (amounts to öre)."""
    plan = alloc.plan
    return RecordBasis(
        tuple((la.line.group, la.line.name, to_decimal(la.period, 2)) for la in alloc.lines),
        tuple((f.name, Decimal(f.amount)) for f in alloc.budget.funding),
        {m.code: m.population for m in alloc.members},
        {name: {m.code: stat.values[m.code] for m in alloc.members if m.code in stat.values}
         for name, stat in plan.statistics.items()},
    )


@dataclass(frozen=True)
class InputChange:
    """One input that differs between a record and a new run: a budget line ("line"), a
    funding source ("funding"), a member's population ("population") or a statistic's value
    ("statistic NAME"). ``old`` or ``new`` is None where the input is in one of them only."""

    kind: str
    what: str
    old: Decimal | int | None
    new: Decimal | int | None


def input_changes(basis: RecordBasis, alloc: Allocation) -> list[InputChange]:
    """What changed from the recorded ``basis`` to ``alloc``'s: lines (by group and name),
    funding (by name), populations and statistic values (by member), in that order."""
    now = basis_of(alloc)
    names = {m.code: m.name for m in alloc.members}
    out: list[InputChange] = []

    def compare(kind: str, old: dict[str, Decimal | int], new: dict[str, Decimal | int],
                label: dict[str, str]) -> None:
        for key in list(new) + [k for k in old if k not in new]:
            if old.get(key) != new.get(key):
                out.append(InputChange(kind, label.get(key, key), old.get(key), new.get(key)))

    def lines(items: tuple[tuple[str, str, Decimal], ...]) -> dict[str, Decimal | int]:
        return {f"{group}: {name}": amount for group, name, amount in items}

    compare("line", lines(basis.lines), lines(now.lines), {})
    compare("funding", dict(basis.funding), dict(now.funding), {})
    compare("population", dict(basis.population), dict(now.population), names)
    for stat in list(now.statistics) + [s for s in basis.statistics if s not in now.statistics]:
        compare(f"statistic {stat}", dict(basis.statistics.get(stat, {})),
                dict(now.statistics.get(stat, {})), names)
    return out


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
    #: For a revision: the amounts it revises, as it states them (empty for a decision).
    decided: dict[str, Decimal] = field(default_factory=dict)
    #: What the amounts were computed from (None in a record written before kn kept it).
    basis: RecordBasis | None = None

    @property
    def amounts(self) -> dict[str, Decimal]:
        return {m.code: m.amount for m in self.members if m.amount is not None}


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


def union(record: Record, alloc: Allocation) -> list[tuple[str, str]]:
    """Members of the new run (in its order), then members only in the record."""
    seen = {m.code for m in alloc.members}
    return [(m.code, m.name) for m in alloc.members] + [
        (m.code, m.name) for m in record.members if m.code not in seen and m.amount is not None
    ]


@dataclass(frozen=True)
class SettledMember:
    """One member in a settlement decision: its share of the difference, whether that is
    carried into next year's fee, its share of the one-off costs, and ``amount`` =
    settlement + one_off (positive: to pay)."""

    code: str
    name: str
    settlement: Decimal
    carried: bool
    one_off: Decimal
    amount: Decimal

    @property
    def invoiced(self) -> Decimal:
        """What the settlement invoices (or credits) now: the amount, less a settlement
        carried into next year's fee."""
        return self.amount - (self.settlement if self.carried else Decimal(0))


@dataclass(frozen=True)
class SettlementRecord:
    """The decision on a year's settlement (``decisions/settlement-YEAR.json``)."""

    path: Path
    year: int
    decision_date: str
    decided_by: str | None
    ref: str | None
    members: tuple[SettledMember, ...]
    inputs: dict[str, str]
    number: int = 0  # a settlement decision has no revisions

    @property
    def amounts(self) -> dict[str, Decimal]:
        return {m.code: m.amount for m in self.members}


def settled_members(settlement: Settlement) -> list[SettledMember]:
    """The members of a settlement as a settlement decision records them."""
    return [SettledMember(m.code, m.name, m.settlement, m.carried, m.one_off_total, m.amount)
            for m in settlement.members]


def settled_totals(members: Sequence[SettledMember]) -> dict[str, Decimal]:
    """What the members of a settlement decision sum to: the difference (their
    settlements), the one-off costs, and the total of their amounts."""
    return {"difference": sum((m.settlement for m in members), Decimal(0)),
            "one_off": sum((m.one_off for m in members), Decimal(0)),
            "total": sum((m.amount for m in members), Decimal(0))}


def settlement_differences(record: SettlementRecord,
                           settled: Sequence[SettledMember]) -> list[Difference]:
    """Members whose settlement amount (or carrying) differs from the decision's."""
    decided = {m.code: m for m in record.members}
    new = {m.code: m for m in settled}
    names = {m.code: m.name for m in record.members} | {m.code: m.name for m in settled}
    order = [m.code for m in settled] + [c for c in decided if c not in new]
    out = []
    for code in order:
        a, b = decided.get(code), new.get(code)
        if a is None or b is None or (a.amount, a.carried, a.settlement) != (
                b.amount, b.carried, b.settlement):
            out.append(Difference(code, names[code], a.amount if a else None,
                                  b.amount if b else None))
    return out
