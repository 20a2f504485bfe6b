"""The validated, immutable records kn computes with.

They are built only by the loaders in :mod:`koordination.io` (which check every field and
report every problem at once); the core trusts them. Amounts are ``Decimal``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Literal

KeyKind = Literal["population", "equal_population", "weighted", "fixed"]
Basis = Literal["annual", "period"]
RoundingMethod = Literal["largest_remainder", "each"]
PopulationMethod = Literal["latest", "trend", "forecast"]
#: A statistic's name (reference 7): lower case letters, digits and hyphens.
STATISTIC_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, clamped to the month's end (2019-08-31 + 6: 2020-02-29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def days_inclusive(start: date, end: date) -> int:
    """Days from ``start`` to ``end``, both counted."""
    return (end - start).days + 1


@dataclass(frozen=True)
class Member:
    """A member municipality.

    Attributes:
        code: SCB kommunkod. name: the register's name.
        joined: first day in (None: a member since before any period).
        notice: date of the written notice, if given.
        left: first day outside, when agreed explicitly (wins over ``notice``).
        orgnr: organisationsnummer, for invoice bases (checked NNNNNN-NNNN, mod 10).
        share: percent of the cost under a fixed key.
        legal_name: the party's name on its invoice ("Danderyds kommun"); None: ``name``.
        reference: er referens, the buyer's reference printed on its invoice.
        address: the invoice address.
        party: True for a party that is not a municipality (a state agency, a region): it
            has no SCB code; ``code`` is then ``P1``, ``P2``, … in the order the parties are
            listed, and ``share`` is its fixed percent of the total (reference 13).
    """

    code: str
    name: str
    joined: date | None = None
    notice: date | None = None
    left: date | None = None
    orgnr: str | None = None
    share: Decimal | None = None
    legal_name: str | None = None
    reference: str | None = None
    address: str | None = None
    party: bool = False

    @property
    def invoice_name(self) -> str:
        return self.legal_name or self.name

    def first_day_out(self, notice_months: int) -> date | None:
        """The first day the member is no longer in (``left``, else notice + notice months)."""
        if self.left is not None:
            return self.left
        if self.notice is not None:
            return add_months(self.notice, notice_months)
        return None

    def is_member_on(self, day: date, notice_months: int) -> bool:
        out = self.first_day_out(notice_months)
        return (self.joined is None or self.joined <= day) and (out is None or day < out)


@dataclass(frozen=True)
class AdministratorTerm:
    """The administering municipality (förvaltande kommun) from ``start`` (None: always)."""

    code: str
    name: str
    start: date | None = None


@dataclass(frozen=True)
class Key:
    """How a segment's cost is shared (reference 3.6 and 7).

    Attributes:
        kind: ``population``; ``equal_population`` (an equal part plus population);
            ``weighted`` (an equal part, population and named statistics); ``fixed``.
        equal, population: percentages (with ``statistics``, summing to 100).
        statistics: ``(name, percent)`` of each statistic the key counts, as written.
    """

    kind: KeyKind = "population"
    equal: Decimal = Decimal(0)
    population: Decimal = Decimal(100)
    statistics: tuple[tuple[str, Decimal], ...] = ()

    @property
    def factors(self) -> tuple[tuple[str, Decimal], ...]:
        """``(name, percent)`` of every factor with a weight besides the equal part:
        ``population`` first, then the statistics as written (``fixed``: none)."""
        if self.kind == "fixed":
            return ()
        if self.kind == "population":
            return (("population", Decimal(100)),)
        found = [("population", self.population)] if self.population else []
        return tuple(found + [(name, w) for name, w in self.statistics if w])

    @property
    def statistic_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.statistics)

    def describe(self) -> str:
        if self.kind in ("equal_population", "weighted"):
            parts = [f"{self.equal} % equal", f"{self.population} % population"]
            parts += [f"{w} % {name}" for name, w in self.statistics]
            return ", ".join(parts)
        return self.kind


@dataclass(frozen=True)
class PopulationRule:
    """Which SCB snapshot a fee year uses: ``by_year`` if listed, else (year - lag)-month-day."""

    month: int = 12
    day: int = 31
    lag: int = 1
    by_year: Mapping[int, date] = field(default_factory=dict)

    def snapshot_date(self, year: int) -> date:
        if year in self.by_year:
            return self.by_year[year]
        return date(year - self.lag, self.month, self.day)


@dataclass(frozen=True)
class Invoicing:
    """The sender's invoicing details (reference 8).

    Attributes:
        prefix: invoice references read PREFIX-YEAR-CODE (None: the name's initials).
        bankgiro, plusgiro: the sender's giro accounts; with one, invoices carry an OCR number.
        address: the sender's address. contact: vår referens, the sender's contact.
        corrections: after a revision, ``replace`` (a credit note for the invoice and a new
        invoice) or ``difference`` (one invoice or credit note for the difference).
    """

    prefix: str | None = None
    bankgiro: str | None = None
    plusgiro: str | None = None
    address: str | None = None
    contact: str | None = None
    corrections: Literal["replace", "difference"] = "replace"

    @property
    def has_giro(self) -> bool:
        return bool(self.bankgiro or self.plusgiro)


@dataclass(frozen=True)
class Band:
    """One band of a fee by population: members below ``below`` inhabitants (None: the last,
    open band) pay ``amount`` a year."""

    below: int | None
    amount: Decimal


@dataclass(frozen=True)
class FeeRate:
    """A yearly fee set by a rate instead of a share of a budget (reference 13).

    Attributes:
        per_inhabitant: kronor per inhabitant of the year's snapshot.
        max_inhabitants: count at most this many inhabitants per member (None: all).
        per_unit: ``(statistic, kronor per unit)``, e.g. ``("landareal-km2", 17000)``.
        base: kronor per member on top.
        bands: the fee by population instead (non-empty: the other fields are unused).
    """

    per_inhabitant: Decimal = Decimal(0)
    max_inhabitants: int | None = None
    per_unit: tuple[tuple[str, Decimal], ...] = ()
    base: Decimal = Decimal(0)
    bands: tuple[Band, ...] = ()

    @property
    def statistic_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.per_unit)


@dataclass(frozen=True)
class Limits:
    """Limits on the members' fees under a shared budget (reference 13): a first part per
    member, a floor and a ceiling in kronor a year, and how much a fee may fall or rise from
    the year before (percent). None: no such limit."""

    base_per_member: Decimal = Decimal(0)
    floor: Decimal | None = None
    ceiling: Decimal | None = None
    max_decrease_percent: Decimal | None = None
    max_increase_percent: Decimal | None = None

    @property
    def needs_last_year(self) -> bool:
        return self.max_decrease_percent is not None or self.max_increase_percent is not None


def initials(name: str) -> str:
    """``Etablering Södertörn`` -> ``ES``: the first letter of every word, upper case."""
    letters = "".join(word[0] for word in re.split(r"[\s-]+", name) if word[:1].isalpha())
    return letters.upper() or "KN"


@dataclass(frozen=True)
class Network:
    """A cooperation (samverkan): its members and its rules."""

    name: str
    administrators: tuple[AdministratorTerm, ...]
    members: tuple[Member, ...]
    notice_months: int = 12
    population: PopulationRule = field(default_factory=PopulationRule)
    key: Key = field(default_factory=Key)
    population_cap: int | None = None
    rounding: Decimal = Decimal(1)
    rounding_method: RoundingMethod = "largest_remainder"
    statistics: Mapping[str, PopulationRule] = field(default_factory=dict)
    surplus: Literal["refund", "carry_forward"] = "refund"
    deficit: Literal["charge", "carry_forward"] = "charge"
    payment_days: int = 30  #: invoicing.terms_days: an invoice's date to its due date
    invoicing: Invoicing = field(default_factory=Invoicing)
    fee: FeeRate | None = None
    parties: tuple[Member, ...] = ()
    limits: Limits | None = None

    @property
    def invoice_prefix(self) -> str:
        return self.invoicing.prefix or initials(self.name)

    def statistic_rule(self, name: str) -> PopulationRule:
        """Which snapshot of statistic ``name`` a fee year uses: its own rule, else the
        population rule (reference 7)."""
        return self.statistics.get(name, self.population)

    @property
    def statistic_names(self) -> tuple[str, ...]:
        """Every statistic a year's fees count: the key's, then the fee rate's."""
        names = list(self.key.statistic_names)
        if self.fee is not None:
            names += [n for n in self.fee.statistic_names if n not in names]
        return tuple(names)

    def member(self, code: str) -> Member | None:
        """The member or party with ``code`` (a party's code is ``P1``, ``P2``, …)."""
        return self._by_code.get(code)

    @cached_property
    def _by_code(self) -> dict[str, Member]:
        """Members and parties by code (a member's code before a party's), made once: the
        invoices of 290 members look each one up."""
        by_code = {p.code: p for p in reversed(self.parties)}
        by_code.update({m.code: m for m in reversed(self.members)})
        return by_code

    def administrator_on(self, day: date) -> AdministratorTerm:
        """The administrator in office on ``day`` (terms are ordered by start)."""
        current = self.administrators[0]
        for term in self.administrators:
            if term.start is None or term.start <= day:
                current = term
        return current


@dataclass(frozen=True)
class BudgetLine:
    """One line of the budget. Exactly one form of amount is set (see :meth:`yearly`)."""

    group: str
    name: str
    amount: Decimal | None = None
    overhead_percent: Decimal | None = None
    rate: Decimal | None = None
    per_month: Decimal | None = None
    quantity: Decimal | None = None

    def yearly(self) -> Fraction:
        """amount, amount × (1 + overhead/100), rate × per_month × 12, or rate × quantity."""
        if self.amount is not None:
            base = Fraction(self.amount)
            if self.overhead_percent is not None:
                return base * (1 + Fraction(self.overhead_percent) / 100)
            return base
        assert self.rate is not None
        if self.per_month is not None:
            return Fraction(self.rate) * Fraction(self.per_month) * 12
        assert self.quantity is not None
        return Fraction(self.rate) * Fraction(self.quantity)

    def formula(self) -> str:
        """The line's form in words (numbers as written)."""
        if self.amount is not None and self.overhead_percent is not None:
            return f"{self.amount} × (1 + {self.overhead_percent} %)"
        if self.amount is not None:
            return f"{self.amount}"
        if self.per_month is not None:
            return f"{self.rate} × {self.per_month} × 12"
        return f"{self.rate} × {self.quantity}"


@dataclass(frozen=True)
class Funding:
    """Money from outside (for the period as written) that lowers what members pay."""

    name: str
    amount: Decimal


@dataclass(frozen=True)
class YearIndex:
    """An index in percent for the plan years: one figure for every year (``every``), or one
    figure per year (``by_year``)."""

    every: Decimal | None = None
    by_year: Mapping[int, Decimal] = field(default_factory=dict)

    def percent(self, year: int) -> Decimal | None:
        """The index of ``year``, or None when none is given for it."""
        if self.every is not None:
            return self.every
        return self.by_year.get(year)


@dataclass(frozen=True)
class PlanRules:
    """The ``plan:`` section of a budget: how the plan years after it are derived.

    Attributes:
        index: each line group's own index (percent per year).
        default: the index of every group without its own (None: none given).
        population: which population a plan year without its own snapshot uses.
    """

    index: Mapping[str, YearIndex] = field(default_factory=dict)
    default: YearIndex | None = None
    population: PopulationMethod = "latest"


@dataclass(frozen=True)
class Budget:
    """The budget of one fee year (``plan``: the rules of its plan years, if given)."""

    year: int
    start: date
    end: date
    basis: Basis
    lines: tuple[BudgetLine, ...]
    funding: tuple[Funding, ...] = ()
    plan: PlanRules | None = None
    #: The sheet a budget kept in a workbook was read from (None for YAML); not part of the
    #: budget's content, so the same budget in YAML and Excel compares equal.
    sheet: str | None = field(default=None, compare=False)

    @property
    def days(self) -> int:
        return days_inclusive(self.start, self.end)

    @property
    def year_days(self) -> int:
        return days_inclusive(date(self.year, 1, 1), date(self.year, 12, 31))

    @property
    def proration(self) -> Fraction:
        """The factor applied to yearly amounts: days(period) / days(year), or 1."""
        if self.basis == "period":
            return Fraction(1)
        return Fraction(self.days, self.year_days)


#: More inhabitants than any Swedish municipality (or Sweden) has: a larger figure in a file
#: is a slip, refused (reference section 2, what kn reads).
MAX_POPULATION = 10_000_000
MAX_POPULATION_TEXT = "10 000 000"
#: An index lies within -50 % to 50 %; anything else is taken for a typing error.
MAX_INDEX = Decimal(50)


@dataclass(frozen=True)
class Snapshot:
    """SCB population of every municipality on one reference date."""

    date: date
    populations: Mapping[str, int]
    names: Mapping[str, str]
    source: str = ""


@dataclass(frozen=True)
class Statistic:
    """A statistic of every municipality on one reference date (reference 7), such as the
    population aged 16-64 or the tax base.

    Attributes:
        name: the statistic's folder name. date: its reference date.
        values: per SCB code, a non-negative exact number. names: the names in the file.
        source: the file it was read from.
    """

    name: str
    date: date
    values: Mapping[str, Decimal]
    names: Mapping[str, str]
    source: str = ""


@dataclass(frozen=True)
class Forecast:
    """The municipalities' own population forecasts: ``figures[year][kommunkod]`` persons on
    the reference date of that year."""

    figures: Mapping[int, Mapping[str, int]]
    names: Mapping[str, str]
    source: str = ""


@dataclass(frozen=True)
class ActualLine:
    """The actual cost of one line; in a forecast (``Actuals.through``) the cost so far, and
    ``forecast`` the expected cost of the whole year when the file gives one."""

    name: str
    amount: Decimal
    forecast: Decimal | None = None


@dataclass(frozen=True)
class OneOff:
    """A one-off cost shared among the members of ``date``."""

    name: str
    amount: Decimal
    date: date


@dataclass(frozen=True)
class Actuals:
    """The outcome (utfall) of a year; with ``through`` the outcome so far, up to and
    including that day, for a forecast (reference section 14)."""

    year: int
    lines: tuple[ActualLine, ...]
    one_off: tuple[OneOff, ...] = ()
    funding: tuple[Funding, ...] = ()
    through: date | None = None

    @property
    def is_forecast(self) -> bool:
        return self.through is not None


def day_before(day: date) -> date:
    return day - timedelta(days=1)


def name_key(name: str) -> str:
    """How budget and actual line names are compared: case, surrounding and repeated spaces do
    not matter."""
    from koordination.core.municipalities import plain_text

    return plain_text(name).casefold()
