"""Two fee years side by side (``kn compare YEAR_A YEAR_B``): per member the fee of each year,
the change in kronor and percent, and the population change.

A member in only one of the years (joined or left in between) is a row of its own with the
other year empty; its change is the whole fee, and its percentage change is not defined.
The fee compared is the year's allocation (``fee``), without settlement amounts carried from
the year before, which belong to the earlier year.

A member's change is split in two (reference 9): ``change_from_total`` = (total B - total A)
× share A (share A = exact A / total A; 0 for a member not in A), what the member's fee would
have changed had its share stayed; ``change_from_share`` = the rest (fee B - fee A -
change_from_total, the first taken to two decimals so that the two add up as shown), what
the share's own change did. Kronor per inhabitant per year is the fee / the population,
scaled to a whole year for a member in for part of the year.

The like-for-like figure of a year (:attr:`YearFacts.cost_per_inhabitant`) is what the
cooperation costs per inhabitant for a full year: the year's costs before funding (the fees'
total plus the funding that lowered it), scaled from the period's days to the calendar year's,
divided by the members' population, each member's inhabitants counted for its share of the
period (days in / period days; a party has none). Its change in percent is computed exactly,
so a partial year, project funds or a member of one year do not move it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from koordination.core.allocation import Allocation, MemberFee
from koordination.core.money import to_decimal
from koordination.core.municipalities import swedish_sort_key


@dataclass(frozen=True)
class YearFigures:
    """A member's figures of one year: ``exact`` is its unrounded share of the total, ``days``
    its days in the period, ``year_days`` the calendar year's."""

    population: int
    fee: Decimal
    exact: Fraction = Fraction(0)
    days: int = 0
    year_days: int = 365
    carried: Decimal = Decimal(0)

    @property
    def per_inhabitant(self) -> Decimal | None:
        """Kronor per inhabitant per year (two decimals), None without population or days."""
        if not self.population or not self.days:
            return None
        return to_decimal(Fraction(self.fee) / self.population * self.year_days / self.days, 2)


@dataclass(frozen=True)
class YearFacts:
    """What a reader of a comparison must know about one year: its period (and whether it is
    partial), the funding that lowered it, the settlement carried into its amounts, the
    population's reference date and the members in only this year or for part of it."""

    year: int
    start: date
    end: date
    period_days: int
    year_days: int
    funding: tuple[tuple[str, Fraction], ...]
    carried: Decimal
    population_date: date
    partial_members: tuple[str, ...]
    fees: Decimal = Decimal(0)
    population: Fraction = Fraction(0)

    @property
    def partial(self) -> bool:
        return self.period_days != self.year_days

    @property
    def funding_total(self) -> Fraction:
        return sum((amount for _, amount in self.funding), Fraction(0))

    @property
    def cost_before_funding(self) -> Fraction:
        """The fees' total plus the funding: what the period cost before funding."""
        return Fraction(self.fees) + self.funding_total

    @property
    def cost_per_inhabitant_exact(self) -> Fraction | None:
        """The period's costs before funding for a full year, per inhabitant of the members
        (each counted for its share of the period); None without population or days."""
        if not self.population or not self.period_days:
            return None
        return self.cost_before_funding * self.year_days / self.period_days / self.population

    @property
    def cost_per_inhabitant(self) -> Decimal | None:
        """:attr:`cost_per_inhabitant_exact` in kronor, two decimals half up."""
        exact = self.cost_per_inhabitant_exact
        return None if exact is None else to_decimal(exact, 2)


@dataclass(frozen=True)
class ComparedMember:
    """One member in years A and B; ``a`` or ``b`` is None when it was not a member then."""

    code: str
    name: str
    a: YearFigures | None
    b: YearFigures | None

    @property
    def party(self) -> bool:
        """True for a party that is not a municipality (code P1, P2, …: no population)."""
        return not self.code.isdigit()

    @property
    def fee_change(self) -> Decimal:
        return (self.b.fee if self.b else Decimal(0)) - (self.a.fee if self.a else Decimal(0))

    @property
    def fee_change_percent(self) -> Decimal | None:
        """Change / fee of A × 100, two decimals half up; None when A has no fee."""
        return percent_change(self.a.fee if self.a else None, self.b.fee if self.b else None)

    @property
    def population_change(self) -> int | None:
        if self.a is None or self.b is None or self.party:
            return None
        return self.b.population - self.a.population

    def change_from_total(self, total_a: Decimal, total_b: Decimal) -> Decimal:
        """(total B - total A) × share A, two decimals half up (0 when not in A)."""
        if self.a is None or not total_a:
            return Decimal("0.00")
        share = self.a.exact / Fraction(total_a)
        return to_decimal((Fraction(total_b) - Fraction(total_a)) * share, 2)

    def change_from_share(self, total_a: Decimal, total_b: Decimal) -> Decimal:
        """fee B - fee A - :meth:`change_from_total` (as shown, so the two add up)."""
        return to_decimal(Fraction(self.fee_change - self.change_from_total(total_a, total_b)),
                          2)


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
    facts_a: YearFacts | None = None
    facts_b: YearFacts | None = None

    @property
    def only_in_a(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.members if m.b is None)

    @property
    def only_in_b(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.members if m.a is None)

    @property
    def total_change(self) -> Decimal:
        return self.total_b - self.total_a

    @property
    def total_change_percent(self) -> Decimal | None:
        return percent_change(self.total_a, self.total_b)

    @property
    def population_change(self) -> int:
        return self.population_b - self.population_a

    @property
    def like_for_like_change_percent(self) -> Decimal | None:
        """The change of the cost per inhabitant and full year in percent (two decimals half
        up, from the exact figures); None when a year has none."""
        if self.facts_a is None or self.facts_b is None:
            return None
        old = self.facts_a.cost_per_inhabitant_exact
        new = self.facts_b.cost_per_inhabitant_exact
        if old is None or new is None or old == 0:
            return None
        return to_decimal((new - old) / old * 100, 2)


def percent_change(old: Decimal | None, new: Decimal | None) -> Decimal | None:
    if old is None or new is None or old == 0:
        return None
    return to_decimal((Fraction(new) - Fraction(old)) / Fraction(old) * 100, 2)


def _year_days(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def _figures(alloc: Allocation, m: MemberFee | None) -> YearFigures | None:
    if m is None:
        return None
    return YearFigures(m.population, m.fee, m.exact, m.days, _year_days(alloc.year), m.carried)


def facts(alloc: Allocation) -> YearFacts:
    plan = alloc.plan
    funding = tuple((f.name, Fraction(f.amount)) for f in alloc.budget.funding)
    return YearFacts(
        year=alloc.year, start=plan.start, end=plan.end, period_days=plan.period_days,
        year_days=_year_days(alloc.year), funding=funding, carried=alloc.carried_total,
        population_date=plan.snapshot.date,
        partial_members=tuple(m.name for m in alloc.members if m.days != plan.period_days),
        fees=sum((m.fee for m in alloc.members), Decimal(0)),
        population=sum((Fraction(m.population * m.days, plan.period_days)
                        for m in alloc.members if not m.party), Fraction(0)),
    )


def compare(a: Allocation, b: Allocation) -> Comparison:
    """Compare the allocations of two years, member by member (Swedish order of name)."""
    in_a = {m.code: m for m in a.members}
    in_b = {m.code: m for m in b.members}
    names = {m.code: m.name for m in a.members} | {m.code: m.name for m in b.members}
    rows = []
    for code in sorted(names, key=lambda c: (swedish_sort_key(names[c]), c)):
        rows.append(ComparedMember(code, names[code], _figures(a, in_a.get(code)),
                                   _figures(b, in_b.get(code))))
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
        facts_a=facts(a),
        facts_b=facts(b),
    )
