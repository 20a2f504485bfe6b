"""The year-end settlement (reference 3.9-3.10): the outcome of a year against the fees charged.

difference = (actual lines - actual funding) - Σ fee charged for the year, rounded half up to
the network's unit. It is shared by the year's own :class:`~koordination.core.keyplan.KeyPlan`
(key, snapshot and membership segments) and rounded by the largest-remainder rule, so the
members' settlements sum exactly to the difference. An overrun is charged, a surplus
refunded. Each one-off cost is shared among the members of its date and rounded on its own.

Under ``surplus: carry_forward`` (a surplus) or ``deficit: carry_forward`` (an overrun), a
member that still has a day in the next year's period has its settlement carried into that
year's fee instead of invoiced; a member with no day in the next year is settled as usual.
One-off costs are always invoiced.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from koordination.core.errors import DataError, Problem
from koordination.core.keyplan import KeyPlan
from koordination.core.models import Actuals, Member, Network, OneOff
from koordination.core.money import ZERO, round_half_up, unit_decimal

#: Where a forecast line's expected outcome comes from: the actuals' ``forecast``, the
#: budget, or the outcome so far (a line the budget does not have, without a forecast).
ForecastSource = Literal["forecast", "budget", "so_far"]


@dataclass(frozen=True)
class ForecastLine:
    """One line of a forecast (reference section 14).

    Attributes:
        name: the budget's name (the actuals' for a line the budget does not have).
        group: the budget line's group (None: not in the budget).
        budget: the budget's amount for the period (None: not in the budget).
        so_far: the outcome so far (None: not in the actuals).
        expected: the expected outcome of the whole year. source: where it comes from.
    """

    name: str
    group: str | None
    budget: Fraction | None
    so_far: Decimal | None
    expected: Decimal
    source: ForecastSource


@dataclass(frozen=True)
class ForecastBasis:
    """What a forecast settled: the outcome so far (through ``through``) and each line's
    expected outcome for the whole year (:mod:`koordination.core.forecast`)."""

    through: date
    so_far: Actuals
    lines: tuple[ForecastLine, ...]

    @property
    def so_far_total(self) -> Decimal:
        return sum((line.amount for line in self.so_far.lines), Decimal(0))

    @property
    def expected_total(self) -> Decimal:
        return sum((line.expected for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class OneOffShare:
    """One one-off cost shared among the members of its date.

    Attributes:
        cost: the cost as written. total: its amount rounded to the unit.
        members: the codes of the members on ``cost.date`` (they share it).
        exact, amounts: each member's exact and rounded share (0 for a member not in).
    """

    cost: OneOff
    total: Decimal
    members: tuple[str, ...]
    exact: Mapping[str, Fraction]
    amounts: Mapping[str, Decimal]


@dataclass(frozen=True)
class MemberSettlement:
    """One member's settlement of the year.

    Attributes:
        code, name, population, days: the member as in the year's allocation.
        charged: the fee charged for the year.
        exact: the exact share of the difference. settlement: its rounded share.
        one_off: its rounded share of each one-off cost, in the file's order.
        carried: True when the settlement is carried into next year's fee (reference 3.10).
    """

    code: str
    name: str
    population: int
    days: int
    charged: Decimal
    exact: Fraction
    settlement: Decimal
    one_off: tuple[Decimal, ...]
    carried: bool

    @property
    def one_off_total(self) -> Decimal:
        return sum(self.one_off, Decimal(0))

    @property
    def amount(self) -> Decimal:
        """settlement + one-off costs: positive to pay, negative to get back."""
        return self.settlement + self.one_off_total

    @property
    def share_of_actual(self) -> Decimal:
        """charged + settlement: the member's part of the actual net cost."""
        return self.charged + self.settlement

    @property
    def carried_forward(self) -> Decimal:
        """The part of the settlement moved into next year's fee."""
        return self.settlement if self.carried else Decimal(0)

    @property
    def to_invoice(self) -> Decimal:
        """What is invoiced (positive) or paid back (negative) now."""
        return self.amount - self.carried_forward

    @property
    def adjustment(self) -> Fraction:
        return Fraction(self.settlement) - self.exact


@dataclass(frozen=True)
class Settlement:
    """The settlement of one year.

    Attributes:
        plan: the year's key plan (the allocation's). actuals: the outcome.
        charged: Σ fee charged for the year. carried_in: Σ carried into the year from the
        year before (shown only; it belongs to that year's settlement).
        actual, funding: Σ actual lines and Σ actual funding, exact. net: actual - funding.
        difference: net - charged, rounded half up to the unit.
        one_offs: every one-off cost with its shares.
        members: per member, in Swedish order.
        next_year: the year carried amounts go to.
        forecast: for a forecast (prognos), the outcome so far and the expected outcome
        settled (``actuals`` is then the expected outcome); None for a closed year.
    """

    plan: KeyPlan
    actuals: Actuals
    charged: Decimal
    carried_in: Decimal
    actual: Fraction
    funding: Fraction
    net: Fraction
    difference: Decimal
    one_offs: tuple[OneOffShare, ...]
    members: tuple[MemberSettlement, ...]
    forecast: ForecastBasis | None = None

    @property
    def year(self) -> int:
        return self.actuals.year

    @property
    def next_year(self) -> int:
        return self.actuals.year + 1

    @property
    def one_off_total(self) -> Decimal:
        return sum((o.total for o in self.one_offs), Decimal(0))

    @property
    def total(self) -> Decimal:
        """difference + one-off costs."""
        return self.difference + self.one_off_total

    @property
    def carried_forward(self) -> Decimal:
        return sum((m.carried_forward for m in self.members), Decimal(0))

    @property
    def share_of_actual(self) -> Decimal:
        """The members' parts of the actual net cost summed (charged + settlement)."""
        return sum((m.share_of_actual for m in self.members), Decimal(0))

    @property
    def to_invoice(self) -> Decimal:
        return self.total - self.carried_forward

    @property
    def any_carried(self) -> bool:
        return any(m.carried for m in self.members)


def has_day_in(member: Member, start: date, end: date, notice_months: int) -> bool:
    """True when ``member`` is in for at least one day of ``start``..``end``."""
    first_in = member.joined if member.joined is not None and member.joined > start else start
    out = member.first_day_out(notice_months)
    return first_in <= end and (out is None or first_in < out)


def members_in(network: Network, start: date, end: date) -> frozenset[str]:
    """The codes of the members with at least one day in ``start``..``end``."""
    return frozenset(
        m.code for m in network.members if has_day_in(m, start, end, network.notice_months)
    )


def carries(network: Network, difference: Decimal) -> bool:
    """True when the network carries a settlement of this sign into the next year."""
    if difference < 0:
        return network.surplus == "carry_forward"
    if difference > 0:
        return network.deficit == "carry_forward"
    return False


def _one_off(
    plan: KeyPlan, index: int, cost: OneOff, actuals_file: str | None
) -> OneOffShare:
    segment = plan.segment_of(cost.date)
    if segment is None:
        raise DataError(
            Problem(
                f"no member shares costs on {cost.date}: it is outside {plan.start.year}'s "
                f"period {plan.start} to {plan.end}; date the cost inside the period",
                actuals_file,
                f"one_off[{index}].date",
            )
        )
    total = round_half_up(Fraction(cost.amount), plan.unit)
    exact = plan.exact_on(cost.date, total)
    rounded = plan.round(total, exact)
    return OneOffShare(
        cost=cost,
        total=unit_decimal(total, plan.unit),
        members=tuple(c for c in exact if c in plan.segment_shares[segment]),
        exact=exact,
        amounts={c: unit_decimal(a, plan.unit) for c, a in rounded.items()},
    )


def settle(
    plan: KeyPlan,
    actuals: Actuals,
    charged: Mapping[str, Decimal],
    carried_in: Mapping[str, Decimal] | None = None,
    continuing: Collection[str] = (),
    actuals_file: str | None = None,
) -> Settlement:
    """Settle ``actuals`` against the fees ``charged`` (reference 3.9-3.10).

    ``charged`` holds each member's fee for the year (the allocation's ``fee``, or the
    decided one); ``carried_in`` what was carried into the year (shown only);
    ``continuing`` the codes of the members with a day in the next year's period, whose
    settlement is carried when the network carries a settlement of this sign.
    """
    missing = [m for m in plan.members if m.code not in charged]
    if missing:
        raise DataError(
            [Problem(f"no charged fee for {m.name} ({m.code}) in {actuals.year}") for m in missing]
        )
    unit = plan.unit
    actual = sum((Fraction(line.amount) for line in actuals.lines), ZERO)
    funding = sum((Fraction(f.amount) for f in actuals.funding), ZERO)
    net = actual - funding
    charged_total = sum((charged[m.code] for m in plan.members), Decimal(0))
    difference = round_half_up(net - Fraction(charged_total), unit)
    exact = plan.exact(difference)
    rounded = plan.round(difference, exact)
    difference_dec = unit_decimal(difference, unit)
    one_offs = tuple(
        _one_off(plan, i, cost, actuals_file) for i, cost in enumerate(actuals.one_off)
    )
    carry = carries(plan.network, difference_dec)
    members = tuple(
        MemberSettlement(
            code=m.code,
            name=m.name,
            population=plan.population(m.code),
            days=plan.days[m.code],
            charged=charged[m.code],
            exact=exact[m.code],
            settlement=unit_decimal(rounded[m.code], unit),
            one_off=tuple(o.amounts[m.code] for o in one_offs),
            carried=carry and m.code in continuing and rounded[m.code] != 0,
        )
        for m in plan.members
    )
    return Settlement(
        plan=plan,
        actuals=actuals,
        charged=charged_total,
        carried_in=sum((carried_in or {}).values(), Decimal(0)),
        actual=actual,
        funding=funding,
        net=net,
        difference=difference_dec,
        one_offs=one_offs,
        members=members,
    )


def carried_amounts(settlement: Settlement) -> dict[str, Decimal]:
    """Each carried member's settlement, to be added to its fee of the next year."""
    return {m.code: m.settlement for m in settlement.members if m.carried}
