"""The yearly allocation (reference 3.1-3.8): from a budget and a snapshot to every member's fee."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from koordination.core.errors import DataError, Problem
from koordination.core.keyplan import KeyPlan
from koordination.core.models import Budget, BudgetLine
from koordination.core.money import ZERO, percentages, round_half_up, to_decimal, unit_decimal


@dataclass(frozen=True)
class LineAmount:
    """A budget line with its yearly amount and its amount for the period."""

    line: BudgetLine
    yearly: Fraction
    period: Fraction


@dataclass(frozen=True)
class MemberFee:
    """One member's part of the year.

    Attributes:
        code, name: the member. population: the snapshot's figure. weight: what the key
        counted (after the cap). days: days in the period.
        exact: exact share of the total. fee: rounded share. adjustment: fee - exact.
        carried: settlement carried from the year before (reference 3.10). amount: fee + carried.
        percent: exact / total × 100, two decimals, the column summing to 100.00.
        funding: the member's share of each funding source, rounded the same way.
    """

    code: str
    name: str
    population: int
    weight: int
    days: int
    exact: Fraction
    fee: Decimal
    carried: Decimal
    amount: Decimal
    percent: Decimal
    funding: tuple[Decimal, ...]

    @property
    def adjustment(self) -> Fraction:
        return Fraction(self.fee) - self.exact


@dataclass(frozen=True)
class Allocation:
    """The allocation of one fee year."""

    plan: KeyPlan
    budget: Budget
    lines: tuple[LineAmount, ...]
    gross: Fraction
    funding_total: Fraction
    net: Fraction
    total: Decimal
    members: tuple[MemberFee, ...]

    @property
    def year(self) -> int:
        return self.budget.year

    @property
    def amount_total(self) -> Decimal:
        return sum((m.amount for m in self.members), Decimal(0))

    @property
    def fee_sum(self) -> Decimal:
        """The members' fees added up: the total, except under ``rounding_method: each``."""
        return sum((m.fee for m in self.members), Decimal(0))

    @property
    def rounding_difference(self) -> Decimal:
        """Σ fee - total: 0 by largest remainder; under ``each`` what rounding every member
        on its own added (+) or left out (-) (reference 7)."""
        return self.fee_sum - self.total

    @property
    def carried_total(self) -> Decimal:
        return sum((m.carried for m in self.members), Decimal(0))

    @property
    def fee_total(self) -> Decimal:
        """The rounded fees summed: ``total`` itself, by the largest-remainder rule."""
        return sum((m.fee for m in self.members), Decimal(0))

    def share_of_total(self, code: str) -> Fraction:
        """Member ``code``'s exact amount as a part of the total (1 = all of it)."""
        member = next(m for m in self.members if m.code == code)
        return member.exact / Fraction(self.total)

    @property
    def population_total(self) -> int:
        return sum(m.population for m in self.members)

    @property
    def funding_totals(self) -> tuple[Decimal, ...]:
        """The members' rounded shares of each funding source, summed per source."""
        return tuple(sum((m.funding[i] for m in self.members), Decimal(0))
                     for i in range(len(self.budget.funding)))

    @property
    def percent_is_population_share(self) -> bool:
        """True when the percent column equals the population share (the annex's Befolkning %)."""
        plan = self.plan
        return (
            plan.network.key.kind == "population"
            and all(m.weight == m.population for m in self.members)
            and not plan.is_partial()
        )


def budget_lines(budget: Budget) -> tuple[LineAmount, ...]:
    """Each line's yearly amount and its amount for the period (prorated when annual)."""
    factor = budget.proration
    return tuple(LineAmount(line, line.yearly(), line.yearly() * factor) for line in budget.lines)


@dataclass(frozen=True)
class BudgetSummary:
    """A budget as ``kn budget`` shows it (reference 3.2-3.3).

    Attributes:
        lines: each line's yearly amount and its amount for the period.
        yearly, period: the lines summed, for a year and for the period.
        funding: the funding sources summed. total: period - funding, rounded half up to
        ``unit`` (the amount the key shares out).
    """

    lines: tuple[LineAmount, ...]
    yearly: Fraction
    period: Fraction
    funding: Fraction
    total: Fraction


def budget_summary(budget: Budget, unit: Decimal) -> BudgetSummary:
    """The budget's lines and sums, and the total to allocate rounded to ``unit``."""
    lines = budget_lines(budget)
    yearly = sum((la.yearly for la in lines), ZERO)
    period = sum((la.period for la in lines), ZERO)
    funding = sum((Fraction(f.amount) for f in budget.funding), ZERO)
    return BudgetSummary(lines, yearly, period, funding, round_half_up(period - funding, unit))


def allocate(
    plan: KeyPlan,
    budget: Budget,
    carried: Mapping[str, Decimal] | None = None,
    budget_file: str | None = None,
) -> Allocation:
    """Share the budget's total among the members of ``plan`` (reference 3.2-3.8).

    ``carried`` holds each member's settlement of the year before when the network carries
    it forward; it is added to the member's fee (never re-rounded).
    """
    lines = budget_lines(budget)
    gross = sum((la.period for la in lines), ZERO)
    funding_total = sum((Fraction(f.amount) for f in budget.funding), ZERO)
    net = gross - funding_total
    unit = plan.unit
    total = round_half_up(net, unit)
    if total <= 0:
        raise DataError(
            Problem(
                f"funding ({to_decimal(funding_total)}) is not less than the costs of the "
                f"period ({to_decimal(gross)}); "
                "nothing is left to allocate",
                budget_file,
                "funding",
            )
        )
    exact = plan.exact(total)
    fees = plan.round_fees(total, exact)
    codes = [m.code for m in plan.members]
    percents = dict(
        zip(codes, percentages([exact[c] for c in codes], [plan.tie_key(c) for c in codes]),
            strict=True)
    )
    funding_parts: list[dict[str, Fraction]] = []
    for source in budget.funding:
        amount = round_half_up(Fraction(source.amount), unit)
        funding_parts.append(
            plan.round_fees(amount, {c: amount * exact[c] / total for c in codes}))
    carried = carried or {}
    members = []
    for m in plan.members:
        fee = unit_decimal(fees[m.code], unit)
        extra = carried.get(m.code, Decimal(0))
        members.append(
            MemberFee(
                code=m.code,
                name=m.name,
                population=plan.population(m.code),
                weight=plan.weights[m.code],
                days=plan.days[m.code],
                exact=exact[m.code],
                fee=fee,
                carried=extra,
                amount=fee + extra,
                percent=percents[m.code],
                funding=tuple(unit_decimal(part[m.code], unit) for part in funding_parts),
            )
        )
    return Allocation(
        plan=plan,
        budget=budget,
        lines=lines,
        gross=gross,
        funding_total=funding_total,
        net=net,
        total=unit_decimal(total, unit),
        members=tuple(members),
    )
