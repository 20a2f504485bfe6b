"""``budgets/YEAR.yaml`` written by ``kn budget new``: next year's budget, regenerated
cleanly from the indexed lines with a header comment that says where it came from, in the
layout of the budgets kn ships (one line per budget line). It reads back as the same lines."""

from __future__ import annotations

from decimal import Decimal

from koordination.core.models import BudgetLine, YearIndex
from koordination.core.nextyear import NextBudget
from koordination.render.init import scalar
from koordination.render.labels import Lang, label
from koordination.render.numbers import number_text


def figure(value: Decimal) -> str:
    """A number as YAML reads it back exactly: ``493440``, ``1234.5``, ``38.46``."""
    return format(value, "f")


def line_text(line: BudgetLine) -> str:
    fields = [f"group: {scalar(line.group)}", f"name: {scalar(line.name)}"]
    for key in ("amount", "overhead_percent", "rate", "per_month", "quantity"):
        value = getattr(line, key)
        if value is not None:
            fields.append(f"{key}: {figure(value)}")
    return "  - {" + ", ".join(fields) + "}\n"


def index_text(rule: YearIndex) -> str:
    if rule.every is not None:
        return figure(rule.every)
    return "{" + ", ".join(f"{y}: {figure(p)}" for y, p in sorted(rule.by_year.items())) + "}"


def how_indexed(result: NextBudget, lang: Lang = "en") -> str:
    """The index applied, in words: ``by 2.8 % (--index)``, or the plan's index per group."""
    style = "plain" if lang == "en" else lang
    if result.given is not None:
        return label("new_how_given", lang, percent=number_text(result.given, None, style))
    parts = []
    for group, steps in result.steps.items():
        applied = label("new_how_and", lang).join(
            f"{number_text(s.percent, None, style)} % ({s.year})" for s in steps)
        parts.append(f"{group}: {applied}")
    return label("new_how_plan", lang, year=result.base.year, parts="; ".join(parts))


def comment(text: str, width: int = 92) -> str:
    """``text`` as YAML comment lines of at most ``width`` characters."""
    lines, current = [], "#"
    for word in text.split():
        if len(current) + 1 + len(word) > width and current != "#":
            lines.append(current)
            current = "#"
        current += " " + word
    lines.append(current)
    return "\n".join(lines) + "\n"


def next_budget_yaml(name: str, result: NextBudget, source: str) -> str:
    """The new budget's text; ``source`` is the base budget's file as the user knows it."""
    budget = result.budget
    header = comment(
        f"{name}, budget for fee year {budget.year}, written by kn budget new from {source}: "
        f"every line's amount or rate indexed {how_indexed(result)}, rounded half up to the "
        "öre. Funding is not copied: add the year's funding under funding. Check every line "
        "before the budget is decided.")
    text = [header,
            f"year: {budget.year}\n",
            f"period: {{start: {budget.start.isoformat()}, end: {budget.end.isoformat()}}}\n",
            f"basis: {budget.basis}\n",
            "lines:\n",
            *(line_text(line) for line in budget.lines),
            "funding: []                      # money from outside, e.g. "
            "- {name: Projektmedel, amount: 100000}\n"]
    plan = budget.plan
    if plan is not None:
        text.append("plan:\n")
        index = ([("default", plan.default)] if plan.default is not None else []) + \
            list(plan.index.items())
        if index:
            text.append("  index:\n")
            text.extend(f"    {scalar(group)}: {index_text(rule)}\n" for group, rule in index)
        text.append(f"  population: {plan.population}\n")
    return "".join(text)
