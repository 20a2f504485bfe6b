"""A year's budget (``budgets/YYYY.yaml``) and its outcome (``actuals/YYYY.yaml``), read into
:class:`~koordination.core.models.Budget` and :class:`~koordination.core.models.Actuals`.

A workbook (``.xlsx``) is read by :mod:`koordination.io.excel` into the dict the YAML gives,
and checked here alike (:func:`build_budget`, :func:`build_actuals`).

The outcome holds the actual cost per line (names may differ from the budget), the actual
funding, and one-off costs with the date whose members share them (reference section 2).
With ``through: DATE`` it is the outcome so far, and a line may give ``forecast``, its
expected cost for the whole year (reference section 14).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BeforeValidator, Field, ValidationError, model_validator

from koordination.core.errors import DataError, Problem
from koordination.core.models import (
    MAX_INDEX,
    ActualLine,
    Actuals,
    Budget,
    BudgetLine,
    Funding,
    OneOff,
    PlanRules,
    YearIndex,
    name_key,
)
from koordination.core.money import MAX_AMOUNT, MAX_AMOUNT_TEXT, parse_amount
from koordination.core.municipalities import plain_text
from koordination.io.validation import (
    Amount,
    Day,
    Money,
    Name,
    Strict,
    Year,
    problems_from,
    split_decimals,
    year_problem,
)
from koordination.io.yamlfile import read_yaml

M = TypeVar("M", "BudgetFile", "ActualsFile")
AMOUNT_FORMS = ("amount", "amount + overhead_percent", "rate + per_month", "rate + quantity")


def plain_group(value: Any) -> Any:
    return plain_text(value) if isinstance(value, str) else value


class LineEntry(Strict):
    group: Annotated[str, BeforeValidator(plain_group)] = ""
    name: Name
    amount: Money | None = None
    overhead_percent: Amount | None = None
    rate: Money | None = None
    per_month: Amount | None = None
    quantity: Amount | None = None

    @model_validator(mode="after")
    def _one_form(self) -> LineEntry:
        given = {k for k in ("amount", "overhead_percent", "rate", "per_month", "quantity")
                 if getattr(self, k) is not None}
        if not given:
            raise ValueError("no amount: give amount, amount with overhead_percent, rate with "
                             "per_month, or rate with quantity")
        if given not in ({"amount"}, {"amount", "overhead_percent"}, {"rate", "per_month"},
                         {"rate", "quantity"}):
            raise ValueError(f"{' and '.join(sorted(given))} do not make one amount; use "
                             f"exactly one of: {'; '.join(AMOUNT_FORMS)}")
        for k in sorted(given):
            value = getattr(self, k)
            if value < 0:
                raise ValueError(f"{k} must not be negative (got {value})")
        return self


class FundingEntry(Strict):
    name: Name
    amount: Money = Field(ge=0)


class PeriodEntry(Strict):
    start: Day
    end: Day


class PlanEntry(Strict):
    """``plan:``: the index per line group (a number, or a mapping year: number) and the
    population method; the index figures are checked by :func:`plan_rules`."""

    index: dict[str, Any] = Field(default_factory=dict)
    population: Literal["latest", "trend", "forecast"] = "latest"


class BudgetFile(Strict):
    year: Year
    period: PeriodEntry | None = None
    basis: Literal["annual", "period"] = "annual"
    lines: list[LineEntry] = Field(min_length=1)
    funding: list[FundingEntry] = Field(default_factory=list)
    plan: PlanEntry | None = None


def _percent(value: Any, file: str, where: str, problems: list[Problem]) -> Any:
    """An index figure in percent, within -50 % to 50 %, or None (with a problem)."""
    try:
        percent = parse_amount(value)
    except (ValueError, TypeError):
        problems.append(Problem(f"{value!r} is not a number; give the index in percent "
                                "(2.8 for 2.8 %)", file, where))
        return None
    if not -MAX_INDEX <= percent <= MAX_INDEX:
        problems.append(Problem(f"index {percent} % is outside -{MAX_INDEX} % to {MAX_INDEX} %; "
                                "give the index in percent (2.8 for 2.8 %)", file, where))
        return None
    return percent


def _year_index(value: Any, year: int, file: str, where: str,
                problems: list[Problem]) -> YearIndex | None:
    if not isinstance(value, dict):
        percent = _percent(value, file, where, problems)
        return None if percent is None else YearIndex(every=percent)
    if not value:
        problems.append(Problem("no years given; write one percent for every year, or "
                                "{YEAR: PERCENT, ...}", file, where))
        return None
    by_year = {}
    for key, figure in value.items():
        at = f"{where}.{key}"
        plan_year = key if isinstance(key, int) and not isinstance(key, bool) else (
            int(key) if isinstance(key, str) and re.fullmatch(r"[0-9]{4}", key.strip()) else None)
        if plan_year is None:
            problems.append(Problem(f"{key!r} is not a year; write {{YEAR: PERCENT, ...}}",
                                    file, at))
            continue
        if plan_year <= year:
            problems.append(Problem(f"{plan_year} is not a plan year of the {year} budget; "
                                    f"plan years start in {year + 1}", file, at))
            continue
        percent = _percent(figure, file, at, problems)
        if percent is not None:
            by_year[plan_year] = percent
    return YearIndex(by_year=by_year)


def plan_rules(raw: PlanEntry, year: int, groups: list[str], file: str,
               problems: list[Problem]) -> PlanRules:
    """Check the ``plan:`` section: every index within -50 % to 50 %, every group one the
    budget has (``default`` is the index of all other groups)."""
    index: dict[str, YearIndex] = {}
    default = None
    for group, value in raw.index.items():
        where = f"plan.index.{group}"
        if group != "default" and group not in groups:
            problems.append(Problem(
                f"the budget has no line group {group!r}; index one of its groups "
                f"({', '.join(groups)}) or use default", file, where))
            continue
        rule = _year_index(value, year, file, where, problems)
        if rule is None:
            continue
        if group == "default":
            default = rule
        else:
            index[group] = rule
    return PlanRules(index=index, default=default, population=raw.population)


def _checked(model: type[M], data: Any, file: str, file_year: int | None, what: str,
             keys: str) -> tuple[M, list[Problem]]:
    """The start-up checks of a budget or an outcome: ``data`` is a mapping that ``model``
    validates, and its year is the file name's (said also when other keys are wrong)."""
    if data is None:
        raise DataError(Problem(f"file is empty; see the {what} format in the README", file))
    if not isinstance(data, dict):
        raise DataError(Problem(f"expected keys {keys}", file))
    problems: list[Problem] = split_decimals(data, file)
    try:
        raw = model.model_validate(data)
    except ValidationError as err:
        found = problems_from(err, file)
        year = data.get("year")
        if file_year is not None and not any(p.where == "year" for p in found) \
                and year != file_year:
            problems.append(year_problem(year, file_year, file))
        raise DataError(problems + found) from None
    if file_year is not None and raw.year != file_year:
        problems.append(year_problem(raw.year, file_year, file))
    return raw, problems


def build_budget(data: Any, file: str, file_year: int | None) -> Budget:
    """Check parsed budget data (from YAML or Excel) and build the Budget."""
    raw, problems = _checked(BudgetFile, data, file, file_year, "budget",
                             "year, lines and optionally period, funding")
    start, end = date(raw.year, 1, 1), date(raw.year, 12, 31)
    if raw.period is not None:
        if raw.period.end < raw.period.start:
            problems.append(Problem(f"ends ({raw.period.end}) before it starts "
                                    f"({raw.period.start})", file, "period"))
        elif raw.period.start.year != raw.year or raw.period.end.year != raw.year:
            problems.append(Problem(f"{raw.period.start} to {raw.period.end} is not inside "
                                    f"{raw.year}; a budget period lies within its fee year",
                                    file, "period"))
        start, end = raw.period.start, raw.period.end
    lines = tuple(BudgetLine(group=e.group or e.name, name=e.name, amount=e.amount,
                             overhead_percent=e.overhead_percent, rate=e.rate,
                             per_month=e.per_month, quantity=e.quantity) for e in raw.lines)
    for i, line in enumerate(lines):
        if abs(line.yearly()) > MAX_AMOUNT:
            problems.append(Problem(
                f"the line comes to more than {MAX_AMOUNT_TEXT} kr a year (no cooperation has "
                "such a budget); check the digits", file, f"lines[{i}]"))
    groups = list(dict.fromkeys(line.group for line in lines))
    plan = None if raw.plan is None else plan_rules(raw.plan, raw.year, groups, file, problems)
    if problems:
        raise DataError(problems)
    return Budget(year=raw.year, start=start, end=end, basis=raw.basis, plan=plan, lines=lines,
                  funding=tuple(Funding(f.name, f.amount) for f in raw.funding))


def load_budget_yaml(path: Path, name: str | None = None, year: int | None = None) -> Budget:
    file = name or str(path)
    return build_budget(read_yaml(path, file), file, year)


class ActualLineEntry(Strict):
    name: Name
    amount: Money
    forecast: Money | None = None


class OneOffEntry(Strict):
    name: Name
    amount: Money
    date: Day


class ActualFundingEntry(Strict):
    """Funding received (a negative amount is refused by :func:`_actuals_problems`)."""

    name: Name
    amount: Money


class ActualsFile(Strict):
    year: Year
    through: Day | None = None
    lines: list[ActualLineEntry] = Field(min_length=1)
    one_off: list[OneOffEntry] = Field(default_factory=list)
    funding: list[ActualFundingEntry] = Field(default_factory=list)


def _actuals_problems(raw: ActualsFile, file: str) -> list[Problem]:
    problems: list[Problem] = []
    if raw.through is not None and raw.through.year != raw.year:
        problems.append(Problem(f"{raw.through} is not in {raw.year}; through: is the last day "
                                f"of {raw.year} the outcome so far covers", file, "through"))
    seen: dict[str, int] = {}
    for i, line in enumerate(raw.lines):
        where = f"lines[{i}]"
        if line.amount < 0:
            problems.append(Problem(f"actual cost must not be negative (got {line.amount}); "
                                    "enter grants and refunds under funding", file,
                                    f"{where}.amount"))
        if line.forecast is not None and raw.through is None:
            problems.append(Problem("a forecast belongs to an outcome so far; add through: "
                                    "YYYY-MM-DD (the last day the amounts cover), or remove "
                                    "forecast once the year is closed", file,
                                    f"{where}.forecast"))
        elif line.forecast is not None and line.forecast < 0:
            problems.append(Problem(f"a forecast cost must not be negative (got "
                                    f"{line.forecast}); enter grants and refunds under "
                                    "funding", file, f"{where}.forecast"))
        key = name_key(line.name)
        if key in seen:
            problems.append(Problem(f"'{line.name}' is already lines[{seen[key]}]; combine the "
                                    "two or name them apart", file, f"{where}.name"))
        else:
            seen[key] = i
    for i, cost in enumerate(raw.one_off):
        where = f"one_off[{i}]"
        if cost.amount < 0:
            problems.append(Problem(f"a one-off cost must not be negative (got {cost.amount})",
                                    file, f"{where}.amount"))
        if cost.date.year != raw.year:
            problems.append(Problem(f"{cost.date} is not in {raw.year}; a one-off cost is "
                                    "settled in the year of its date", file, f"{where}.date"))
    problems.extend(Problem(f"funding must not be negative (got {source.amount})", file,
                            f"funding[{i}].amount")
                    for i, source in enumerate(raw.funding) if source.amount < 0)
    return problems


def build_actuals(data: Any, file: str, file_year: int | None) -> Actuals:
    """Check parsed actuals (from YAML or Excel) and build :class:`Actuals`; every problem of
    the file is reported at once."""
    raw, problems = _checked(ActualsFile, data, file, file_year, "actuals",
                             "year, lines and optionally through, one_off, funding")
    problems += _actuals_problems(raw, file)
    if problems:
        raise DataError(problems)
    return Actuals(year=raw.year, through=raw.through,
                   lines=tuple(ActualLine(e.name, e.amount, e.forecast) for e in raw.lines),
                   one_off=tuple(OneOff(e.name, e.amount, e.date) for e in raw.one_off),
                   funding=tuple(Funding(e.name, e.amount) for e in raw.funding))


def load_actuals_yaml(path: Path, name: str | None = None, year: int | None = None) -> Actuals:
    file = name or str(path)
    return build_actuals(read_yaml(path, file), file, year)
