"""Plan years (reference section 6): the budget year's fees and those of the years after it.

A plan year is an ordinary allocation with a derived budget and a derived population:

- its budget is its own file when there is one, else the budget year's lines, each line's
  yearly amount multiplied by (1 + index/100) for every year from the budget year + 1 to the
  plan year, for the whole calendar year and with no funding;
- its population is the snapshot the network's rule names when it exists, else the newest
  snapshot with the rule's month-day (``latest``), a trend from that snapshot and the one
  three years before it (``trend``), or the municipalities' own forecast (``forecast``).

Everything here is exact: an index is a Decimal percentage, a factor a Fraction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Literal

from koordination.core.allocation import Allocation
from koordination.core.errors import DataError, Problem
from koordination.core.models import (
    Budget,
    BudgetLine,
    Forecast,
    Member,
    PlanRules,
    PopulationMethod,
    PopulationRule,
    Snapshot,
)
from koordination.core.money import round_half_up
from koordination.core.municipalities import swedish_sort_key
from koordination.core.paths import in_folder
from koordination.core.records import Record

MIN_YEARS, MAX_YEARS = 1, 5
#: The trend is drawn from the newest snapshot and the one this many years before it.
TREND_SPAN = 3

BasisKind = Literal["snapshot", "latest", "trend", "forecast"]


def check_years(years: int) -> None:
    if not MIN_YEARS <= years <= MAX_YEARS:
        raise DataError(Problem(
            f"--years {years} is outside {MIN_YEARS}-{MAX_YEARS}; a plan covers one to five "
            "years after the budget year", None, "--years"))


@dataclass(frozen=True)
class IndexStep:
    """The index of one year applied to one line group: ``percent`` from ``source`` (the
    group's own index, or "default")."""

    year: int
    percent: Decimal
    source: str

    @property
    def factor(self) -> Fraction:
        return 1 + Fraction(self.percent) / 100


def index_steps(rules: PlanRules | None, group: str, base_year: int, year: int,
                file: str | None = None) -> tuple[IndexStep, ...]:
    """The index of each year from ``base_year + 1`` to ``year`` for ``group``: the group's own
    figure for that year, else the default's. A year with neither is an error (an index is
    never guessed)."""
    if rules is None and file is not None and file.lower().endswith(".xlsx"):
        raise DataError(Problem(
            f"no plan index to index plan year {year} from; add a sheet named Plan to the "
            f"{base_year} budget workbook (columns group, year, index; group default for the "
            f"other groups), or write budgets/{year}.xlsx", file, "Plan"))
    if rules is None:
        raise DataError(Problem(
            f"no plan section to index plan year {year} from; add plan: {{index: {{default: "
            f"PERCENT}}}} to the {base_year} budget, or write budgets/{year}.yaml", file,
            "plan"))
    steps = []
    own = rules.index.get(group) if rules is not None else None
    default = rules.default if rules is not None else None
    for y in range(base_year + 1, year + 1):
        if own is not None and own.percent(y) is not None:
            percent, source = own.percent(y), group
        elif default is not None and default.percent(y) is not None:
            percent, source = default.percent(y), "default"
        else:
            where = f"plan.index.{group if own is not None else 'default'}"
            raise DataError(Problem(
                f"no index for {y} for the line group {group!r}; plan year {year} without a "
                f"budget of its own is indexed from {base_year}: give {y}: PERCENT, or one "
                f"percent for every year, or write budgets/{year}.yaml", file, where))
        assert percent is not None
        steps.append(IndexStep(y, percent, source))
    return tuple(steps)


@dataclass(frozen=True)
class IndexedLine:
    """A budget-year line carried into a plan year: its yearly amount, the index of each
    year applied, and the indexed yearly amount."""

    line: BudgetLine
    base: Fraction
    steps: tuple[IndexStep, ...]

    @property
    def factor(self) -> Fraction:
        result = Fraction(1)
        for step in self.steps:
            result *= step.factor
        return result

    @property
    def yearly(self) -> Fraction:
        return self.base * self.factor


@dataclass(frozen=True)
class PlannedBudget:
    """The budget of one year of the plan.

    Attributes:
        budget: what the year is allocated with.
        kind: "budget" (the budget year), "own" (a plan year with its own file, used as
            written), "indexed" (the budget year's lines, indexed) or "rate" (a year whose
            fees a ``fee:`` rate sets, without a budget file; ``file`` is network.yaml).
        file: the budget file it was read or derived from.
        lines: for "indexed", every line with its index steps (empty otherwise).
    """

    budget: Budget
    kind: Literal["budget", "own", "indexed", "rate"]
    file: str
    lines: tuple[IndexedLine, ...] = ()

    @property
    def base_total(self) -> Fraction:
        """The yearly amounts the indexed lines start from, summed (0 unless "indexed")."""
        return sum((line.base for line in self.lines), Fraction(0))


def exact_decimal(value: Fraction) -> Decimal:
    """The exact Decimal of a Fraction whose decimal expansion ends (a product of amounts and
    percentages written in decimals always does)."""
    with localcontext() as ctx:
        ctx.prec = 200
        result = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(result) != value:
        raise ValueError(f"{value} has no finite decimal expansion")
    return result


def indexed_budget(base: Budget, year: int, file: str) -> PlannedBudget:
    """``year``'s budget from the budget year's lines (reference section 6): each line's yearly
    amount times the index of every year up to ``year``, for the whole year, no funding."""
    indexed = tuple(
        IndexedLine(line, line.yearly(), index_steps(base.plan, line.group, base.year, year, file))
        for line in base.lines
    )
    budget = Budget(
        year=year,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        basis="annual",
        lines=tuple(
            BudgetLine(group=il.line.group, name=il.line.name, amount=exact_decimal(il.yearly))
            for il in indexed
        ),
        funding=(),
    )
    return PlannedBudget(budget, "indexed", file, indexed)


def trend_figure(latest: int, earlier: int, years_ahead: int) -> int:
    """L + years_ahead × (L - E) / 3, rounded half up to whole persons."""
    value = latest + Fraction(years_ahead * (latest - earlier), TREND_SPAN)
    return int(round_half_up(value))


@dataclass(frozen=True)
class PopulationSource:
    """Where a year's population comes from, decided from the snapshots there are.

    Attributes:
        kind: "snapshot" (the one the network's rule names), "latest", "trend" or "forecast".
        target: the reference date the network's rule names for the year.
        snapshots: the snapshot dates read (one; two for a trend, newest first; none for a
            forecast).
    """

    kind: BasisKind
    target: date
    snapshots: tuple[date, ...] = ()

    def describe(self) -> str:
        """As the JSON gives it: "2015-12-31", "latest 2015-12-31",
        "trend 2012-12-31 to 2015-12-31", "forecast 2017"."""
        if self.kind == "snapshot":
            return self.target.isoformat()
        if self.kind == "latest":
            return f"latest {self.snapshots[0].isoformat()}"
        if self.kind == "trend":
            return f"trend {self.snapshots[1].isoformat()} to {self.snapshots[0].isoformat()}"
        return f"forecast {self.target.year}"


def population_source(rule: PopulationRule, year: int, available: Sequence[date],
                      method: PopulationMethod, directory: str = "populations",
                      ) -> PopulationSource:
    """Which figures give ``year``'s population (reference section 6): the snapshot the rule
    names when it is in ``available``, else by ``method``. Statistics chosen by the same rule
    use the same choice."""
    target = rule.snapshot_date(year)
    if target in available:
        return PopulationSource("snapshot", target, (target,))
    if method == "forecast":
        return PopulationSource("forecast", target)
    same_day = sorted(d for d in available if (d.month, d.day) == (target.month, target.day))
    if not same_day:
        raise DataError(Problem(
            f"no snapshot for {year} ({target}) and none dated {target.month:02d}-"
            f"{target.day:02d} at all to take the {method} population from; import one with "
            "'kn population import FILE --date DATE' or 'kn population fetch YEAR'",
            directory))
    latest = same_day[-1]
    if method == "latest":
        return PopulationSource("latest", target, (latest,))
    earlier = date(latest.year - TREND_SPAN, latest.month, latest.day)
    if earlier not in available:
        raise DataError(Problem(
            f"the trend for {year} needs the snapshot {TREND_SPAN} years before the newest "
            f"({latest}), {earlier}; import it, or use population: latest",
            in_folder(directory, f"{earlier.isoformat()}.csv")))
    return PopulationSource("trend", target, (latest, earlier))


def trend_snapshot(source: PopulationSource, latest: Snapshot, earlier: Snapshot) -> Snapshot:
    """The trend population of ``source.target`` for every municipality in both snapshots."""
    ahead = source.target.year - latest.date.year
    codes = [c for c in latest.populations if c in earlier.populations]
    figures = {c: trend_figure(latest.populations[c], earlier.populations[c], ahead)
               for c in codes}
    negative = sorted(c for c, v in figures.items() if v < 0)
    if negative:
        raise DataError(Problem(
            f"the trend to {source.target} falls below zero for "
            f"{', '.join(latest.names.get(c, c) for c in negative)}; use population: latest "
            "or forecast"))
    return Snapshot(date=source.target, populations=figures,
                    names={c: latest.names.get(c, c) for c in codes},
                    source=f"trend {earlier.date} to {latest.date}")


def forecast_snapshot(source: PopulationSource, forecast: Forecast,
                      members: Sequence[Member]) -> Snapshot:
    """The forecast figures of ``source.target``'s year; every member in the year needs one."""
    year = source.target.year
    figures = forecast.figures.get(year, {})
    missing = [m for m in members if m.code not in figures]
    if missing:
        raise DataError([
            Problem(f"no forecast for {m.name} ({m.code}) in {year}; add the row "
                    f"{m.code},{m.name},{year},FOLKMANGD", forecast.source)
            for m in missing
        ])
    return Snapshot(date=source.target, populations=dict(figures),
                    names={c: forecast.names.get(c, c) for c in figures},
                    source=forecast.source)


@dataclass(frozen=True)
class PlanYear:
    """One year of the plan: its budget, where its population came from, its allocation,
    (for a decided budget year) the record it stands on, and where each statistic the key
    counts came from (reference 7: the snapshot the rule names, else the newest one with the
    rule's month-day)."""

    budget: PlannedBudget
    population: PopulationSource
    population_files: tuple[str, ...]
    allocation: Allocation
    decided: Record | None = None
    statistics: tuple[tuple[str, PopulationSource], ...] = ()

    @property
    def year(self) -> int:
        return self.budget.budget.year

    @property
    def is_plan(self) -> bool:
        return self.budget.kind != "budget"


@dataclass(frozen=True)
class PlanMember:
    """One member's row: its fee and population in each year (None: not a member that year),
    and the change from the first year to the last."""

    code: str
    name: str
    fees: Mapping[int, Decimal | None]
    populations: Mapping[int, int | None]

    @property
    def change(self) -> Decimal:
        years = sorted(self.fees)
        return (self.fees[years[-1]] or Decimal(0)) - (self.fees[years[0]] or Decimal(0))

    @property
    def change_ratio(self) -> Fraction | None:
        """The change as a fraction of the first year's fee (None when it had none)."""
        first = self.fees[min(self.fees)]
        if not first:
            return None
        return Fraction(self.change) / Fraction(first)


@dataclass(frozen=True)
class Plan:
    """The budget year and its plan years, and every member's fee in each."""

    years: tuple[PlanYear, ...]

    @property
    def network_name(self) -> str:
        return self.years[0].allocation.plan.network.name

    @property
    def first(self) -> int:
        return self.years[0].year

    @property
    def last(self) -> int:
        return self.years[-1].year

    def total(self, year: int) -> Decimal:
        return self.year(year).allocation.amount_total

    def year(self, year: int) -> PlanYear:
        return next(y for y in self.years if y.year == year)

    @property
    def change(self) -> Decimal:
        return self.total(self.last) - self.total(self.first)

    @property
    def change_ratio(self) -> Fraction:
        return Fraction(self.change) / Fraction(self.total(self.first))

    @property
    def members(self) -> tuple[PlanMember, ...]:
        """Every member in any year of the plan, in Swedish order of name."""
        names: dict[str, str] = {}
        for y in self.years:
            names.update({m.code: m.name for m in y.allocation.members})
        rows = []
        for code in sorted(names, key=lambda c: swedish_sort_key(names[c])):
            fees: dict[int, Decimal | None] = {}
            pops: dict[int, int | None] = {}
            for y in self.years:
                fee = next((m for m in y.allocation.members if m.code == code), None)
                fees[y.year] = fee.amount if fee is not None else None
                pops[y.year] = fee.population if fee is not None else None
            rows.append(PlanMember(code, names[code], fees, pops))
        return tuple(rows)
