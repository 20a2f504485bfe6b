"""Two fee years side by side (``kn compare YEAR_A YEAR_B``): per member the fee of each year,
the change in kronor and percent, and the population change.

A member in only one of the years (joined or left in between) is a row of its own with the
other year empty; its change is the whole fee, and its percentage change is not defined.
The fee compared is the year's allocation (``fee``), without settlement amounts carried from
the year before, which belong to the earlier year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from koordination.core.allocation import Allocation
from koordination.core.money import to_decimal
from koordination.core.municipalities import swedish_sort_key


@dataclass(frozen=True)
class YearFigures:
    population: int
    fee: Decimal


@dataclass(frozen=True)
class ComparedMember:
    """One member in years A and B; ``a`` or ``b`` is None when it was not a member then."""

    code: str
    name: str
    a: YearFigures | None
    b: YearFigures | None

    @property
    def fee_change(self) -> Decimal:
        return (self.b.fee if self.b else Decimal(0)) - (self.a.fee if self.a else Decimal(0))

    @property
    def fee_change_percent(self) -> Decimal | None:
        """Change / fee of A × 100, two decimals half up; None when A has no fee."""
        return percent_change(self.a.fee if self.a else None, self.b.fee if self.b else None)

    @property
    def population_change(self) -> int | None:
        if self.a is None or self.b is None:
            return None
        return self.b.population - self.a.population


@dataclass(frozen=True)
class Comparison:
    network: str
    year_a: int
    year_b: int
    population_date_a: str
    population_date_b: str
    members: tuple[ComparedMember, ...]
    total_a: Decimal
    total_b: Decimal
    population_a: int
    population_b: int
    unit: Decimal

    @property
    def total_change(self) -> Decimal:
        return self.total_b - self.total_a

    @property
    def total_change_percent(self) -> Decimal | None:
        return percent_change(self.total_a, self.total_b)

    @property
    def population_change(self) -> int:
        return self.population_b - self.population_a


def percent_change(old: Decimal | None, new: Decimal | None) -> Decimal | None:
    if old is None or new is None or old == 0:
        return None
    return to_decimal((Fraction(new) - Fraction(old)) / Fraction(old) * 100, 2)


def compare(a: Allocation, b: Allocation) -> Comparison:
    """Compare the allocations of two years, member by member (Swedish order of name)."""
    in_a = {m.code: m for m in a.members}
    in_b = {m.code: m for m in b.members}
    names = {m.code: m.name for m in a.members} | {m.code: m.name for m in b.members}
    rows = []
    for code in sorted(names, key=lambda c: (swedish_sort_key(names[c]), c)):
        ma, mb = in_a.get(code), in_b.get(code)
        rows.append(ComparedMember(
            code, names[code],
            YearFigures(ma.population, ma.fee) if ma else None,
            YearFigures(mb.population, mb.fee) if mb else None,
        ))
    return Comparison(
        network=b.plan.network.name,
        year_a=a.year,
        year_b=b.year,
        population_date_a=a.plan.snapshot.date.isoformat(),
        population_date_b=b.plan.snapshot.date.isoformat(),
        members=tuple(rows),
        total_a=sum((m.fee for m in a.members), Decimal(0)),
        total_b=sum((m.fee for m in b.members), Decimal(0)),
        population_a=sum(m.population for m in a.members),
        population_b=sum(m.population for m in b.members),
        unit=min(a.plan.unit, b.plan.unit),
    )
