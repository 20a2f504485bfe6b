"""The yearly allocation (reference 3.1-3.8): from a budget and a snapshot to every member's fee."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from koordination.core.errors import DataError, Problem
from koordination.core.fees import (
    Bounds,
    base_and_shares,
    fill_to_total,
    member_bounds,
    prorated_fee,
    round_limited,
    yearly_rate,
)
from koordination.core.keyplan import KeyPlan
from koordination.core.models import Budget, BudgetLine, Limits
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
        party: True for a party that is not a municipality (code ``P1``, ``P2``, …).
        yearly: under a ``fee:`` rate, the member's fee for a whole year (before proration).
        equal: the part of ``exact`` the key's equal part gives (0 without one).
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
    party: bool = False
    yearly: Fraction | None = None
    equal: Fraction = Fraction(0)

    @property
    def adjustment(self) -> Fraction:
        return Fraction(self.fee) - self.exact


@dataclass(frozen=True)
class LimitsApplied:
    """How ``limits:`` set the municipal members' fees (reference 13).

    Attributes:
        limits: as written. shared: what the municipal members shared (the total less the
        parties' parts). base: each member's first part. share: its share of the rest by the
        key (summing to 1). bounds: its lower and upper bound. c: the one factor that makes
        the fees sum to ``shared``. held: the members at a bound (``lower``/``upper``).
    """

    limits: Limits
    shared: Fraction
    base: Mapping[str, Fraction]
    share: Mapping[str, Fraction]
    bounds: Mapping[str, Bounds]
    c: Fraction
    held: Mapping[str, str]

    def free(self, code: str) -> Fraction:
        """base + c × share: the fee before the bounds."""
        return self.base[code] + self.c * self.share[code]


@dataclass(frozen=True)
class Allocation:
    """The allocation of one fee year.

    ``limits``: how ``limits:`` set the fees, when the network has them. ``budget_total``:
    under a ``fee:`` rate, the budget's total when a budget was given (None: none given).
    """

    plan: KeyPlan
    budget: Budget
    lines: tuple[LineAmount, ...]
    gross: Fraction
    funding_total: Fraction
    net: Fraction
    total: Decimal
    members: tuple[MemberFee, ...]
    limits: LimitsApplied | None = None
    budget_total: Decimal | None = None

    @property
    def model(self) -> str:
        """``key`` (a budget shared by the key), ``rate`` or ``bands`` (reference 13)."""
        fee = self.plan.network.fee
        if fee is None:
            return "key"
        return "bands" if fee.bands else "rate"

    @property
    def budget_difference(self) -> Decimal | None:
        """Under a rate with a budget: the fees' total less the budget's."""
        if self.budget_total is None:
            return None
        return self.total - self.budget_total

    @property
    def parties(self) -> tuple[MemberFee, ...]:
        return tuple(m for m in self.members if m.party)

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
            and plan.network.fee is None
            and not plan.parties
            and plan.network.limits is None
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
    last_fees: Mapping[str, Decimal] | None = None,
    budget_given: bool = True,
) -> Allocation:
    """Share the budget's total among the members of ``plan`` (reference 3.2-3.8), or under
    a ``fee:`` rate set each member's fee and add them up (reference 13).

    ``carried`` holds each member's settlement of the year before when the network carries
    it forward; it is added to the member's fee (never re-rounded). ``last_fees``: each
    member's fee of the year before, for the change limits of ``limits:``. ``budget_given``:
    False when a rate needs no budget and none was given (``budget`` is then empty).
    """
    lines = budget_lines(budget)
    gross = sum((la.period for la in lines), ZERO)
    funding_total = sum((Fraction(f.amount) for f in budget.funding), ZERO)
    net = gross - funding_total
    unit = plan.unit
    limited: LimitsApplied | None = None
    yearly: dict[str, Fraction] = {}
    budget_total: Decimal | None = None
    if plan.network.fee is not None:
        exact, fees, yearly = rate_fees(plan, budget.year_days)
        total = sum(fees.values(), ZERO)
        if budget_given:
            budget_total = unit_decimal(round_half_up(net, unit), unit)
    else:
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
        if plan.network.limits is not None:
            exact, fees, limited = limited_fees(plan, total, budget.year_days, last_fees or {})
        else:
            exact = plan.exact(total)
            fees = plan.round_fees(total, exact)
    codes = [m.code for m in plan.members]
    percents = dict(
        zip(codes, percentages([exact[c] for c in codes], [plan.tie_key(c) for c in codes]),
            strict=True)
    )
    funding_parts: list[dict[str, Fraction]] = []
    for source in budget.funding if total else ():
        amount = round_half_up(Fraction(source.amount), unit)
        funding_parts.append(
            plan.round_fees(amount, {c: amount * exact[c] / total for c in codes}))
    equal_parts = (plan.equal_parts(total) if plan.network.fee is None and limited is None
                   else {})
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
                weight=plan.weights.get(m.code, 0),
                days=plan.days[m.code],
                exact=exact[m.code],
                fee=fee,
                carried=extra,
                amount=fee + extra,
                percent=percents[m.code],
                funding=tuple(unit_decimal(part[m.code], unit) for part in funding_parts),
                party=plan.is_party(m.code),
                yearly=yearly.get(m.code),
                equal=equal_parts.get(m.code, Fraction(0)),
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
        limits=limited,
        budget_total=budget_total,
    )


def rate_fees(
    plan: KeyPlan, year_days: int
) -> tuple[dict[str, Fraction], dict[str, Fraction], dict[str, Fraction]]:
    """Under a ``fee:`` rate, each member's exact fee (its yearly fee × days in the period /
    days of the year), its fee rounded half up on its own, and its yearly fee (reference 13)."""
    rate = plan.network.fee
    assert rate is not None
    exact: dict[str, Fraction] = {}
    fees: dict[str, Fraction] = {}
    yearly: dict[str, Fraction] = {}
    for m in plan.members:
        values = {name: stat.values[m.code] for name, stat in plan.statistics.items()
                  if name in rate.statistic_names}
        yearly[m.code] = yearly_rate(rate, plan.population(m.code), values)
        days = plan.days[m.code]
        exact[m.code] = yearly[m.code] * days / year_days
        fees[m.code] = prorated_fee(yearly[m.code], days, year_days, plan.unit)
    return exact, fees, yearly


def limited_fees(
    plan: KeyPlan, total: Fraction, year_days: int, last_fees: Mapping[str, Decimal]
) -> tuple[dict[str, Fraction], dict[str, Fraction], LimitsApplied]:
    """Under ``limits:``, the parties' parts first, then the municipal members' fees: a first
    part per member in each segment, the rest by the key, held within each member's bounds
    by the one factor c (reference 13); rounded with members at a bound exactly at it."""
    limits = plan.network.limits
    assert limits is not None
    parties = plan.party_amounts(total)
    shared = total - sum(parties.values(), ZERO)
    period = plan.period_days
    base, share = base_and_shares(
        [shared * s.days / period for s in plan.segments],
        [s.days for s in plan.segments],
        plan.segment_shares,
        limits.base_per_member,
        year_days,
    )
    municipal = plan.municipal
    bounds = {
        m.code: member_bounds(
            limits, plan.days[m.code], year_days,
            Fraction(last_fees[m.code]) if m.code in last_fees else None, plan.unit)
        for m in municipal
    }
    names = {m.code: m.name for m in municipal}
    limited = fill_to_total(shared, {m.code: base[m.code] for m in municipal},
                            {m.code: share[m.code] for m in municipal}, bounds, names)
    rounded = round_limited(shared, limited, plan.unit,
                            {m.code: plan.tie_key(m.code) for m in municipal})
    exact: dict[str, Fraction] = {c: total * p for c, p in plan.parties.items()}
    exact.update(limited.exact)
    fees = {**parties, **rounded}
    applied = LimitsApplied(limits, shared, base, share, bounds, limited.c, limited.held)
    return exact, fees, applied
