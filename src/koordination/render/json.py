"""Plain-data views of results (the ``--json`` output), shared by CLI and tests.

Amounts are JSON numbers or plain decimal strings (``"42348.75"``), never formatted for a
language; :func:`json_line` turns a view into the one line a command prints.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from koordination.core.allocation import Allocation, MemberFee
from koordination.core.compare import Comparison, YearFacts
from koordination.core.explain import Explanation
from koordination.core.invoices import InvoiceBasis
from koordination.core.money import plain_money as money
from koordination.core.money import to_decimal
from koordination.core.planning import Plan, PlanYear
from koordination.core.records import Record, SettlementRecord
from koordination.core.report import Report, ReportRow
from koordination.core.settlement import ForecastBasis, Settlement
from koordination.core.whatif import WhatIf
from koordination.render.terminal import json_text


def json_line(payload: dict[str, Any]) -> str:
    """``payload`` as one line of JSON, safe for a terminal, with its newline."""
    return json_text(json.dumps(payload, ensure_ascii=False)) + "\n"


def two(value: Fraction | Decimal) -> str:
    """Two decimals, half up, as text."""
    return f"{to_decimal(Fraction(value), 2)}"


def allocation_json(alloc: Allocation) -> dict[str, Any]:
    """``kn allocate --json`` (reference 4). A key on statistics adds each statistic's date
    and every member's values (as exact decimal text); ``rounding_method: each`` keeps
    ``total`` the budget's and adds the members' rounded sum and its difference (reference 7).
    """
    plan = alloc.plan
    unit = plan.unit
    each = plan.network.rounding_method == "each"
    result: dict[str, Any] = {
        "network": plan.network.name,
        "year": alloc.year,
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        "population_date": plan.snapshot.date.isoformat(),
    }
    if plan.statistics:
        result["statistic_dates"] = {name: stat.date.isoformat()
                                     for name, stat in plan.statistics.items()}
    if each:
        result["rounding_method"] = "each"
        result["total"] = money(alloc.total + alloc.carried_total, unit)
        result["rounded_total"] = money(alloc.amount_total, unit)
        result["rounding_difference"] = money(alloc.rounding_difference, unit)
    else:
        result["total"] = money(alloc.amount_total, unit)
    result["fee_total"] = money(alloc.total, unit)
    if alloc.model != "key":
        result["model"] = alloc.model
    if alloc.budget_total is not None and alloc.budget_difference is not None:
        result["budget"] = {"total": money(alloc.budget_total, unit),
                            "difference": money(alloc.budget_difference, unit)}
    members = []
    for m in alloc.members:
        row: dict[str, Any] = member_id(m.code, m.name, m.party)
        row["population"] = None if m.party else m.population
        if plan.statistics and not m.party:
            row["statistics"] = {name: f"{plan.statistic_value(name, m.code)}"
                                 for name in plan.statistics}
        row.update(fee_parts(alloc, m))
        row.update({
            "days": m.days,
            "exact": two(m.exact),
            "fee": money(m.fee, unit),
            "carried": money(m.carried, unit),
            "amount": money(m.amount, unit),
            "percent": f"{m.percent}",
        })
        members.append(row)
    result["members"] = members
    return result


def fee_parts(alloc: Allocation, m: MemberFee) -> dict[str, Any]:
    """What a member's fee rests on besides the key, where it has it: a party's share of the
    budget (``share_percent``), a rate's fee for the full year (``yearly``), and the limits
    that bound it (``limits``)."""
    plan, unit, limited = alloc.plan, alloc.plan.unit, alloc.limits
    parts: dict[str, Any] = {}
    if m.party:
        parts["share_percent"] = f"{plan.parties[m.code] * 100}"
    if m.yearly is not None:
        parts["yearly"] = two(m.yearly)
    if limited is not None and m.code in limited.bounds:
        bounds = limited.bounds[m.code]
        parts["limits"] = {
            "base": two(limited.base[m.code]),
            "lower": None if bounds.lower is None else money(unit_of(bounds.lower), unit),
            "upper": None if bounds.upper is None else money(unit_of(bounds.upper), unit),
            "last_fee": None if bounds.last is None else money(unit_of(bounds.last), unit),
            "held": limited.held.get(m.code),
        }
    return parts


def member_id(code: str, name: str, party: bool) -> dict[str, Any]:
    """How every JSON view names a member: ``kommunkod`` and ``kommun``, or for a party that
    is not a municipality ``"kommunkod": null``, ``party`` (its name) and ``code`` (P1, …)."""
    if party:
        return {"kommunkod": None, "party": name, "code": code}
    return {"kommunkod": code, "kommun": name}


def unit_of(value: Fraction) -> Decimal:
    """A bound (a multiple of the unit, or last year's fee) as a Decimal of two decimals."""
    return to_decimal(value, 2)


def exact_money(value: Fraction, unit: Decimal) -> int | str:
    """An exact sum as written in the files: a JSON integer for whole-krona networks when it
    is whole, else a two-decimal string (an actual cost may carry öre)."""
    if unit >= 1 and value.denominator == 1:
        return int(value)
    return two(value)


def forecast_json(basis: ForecastBasis | None) -> dict[str, Any] | None:
    """A forecast's ``through`` date, the outcome so far and the expected outcome, per line
    (amounts as exact two-decimal strings; ``budget`` null for a line not in the budget,
    ``so_far`` null for a line without an outcome yet); None for a closed year."""
    if basis is None:
        return None
    return {
        "through": basis.through.isoformat(),
        "so_far": two(basis.so_far_total),
        "expected": two(basis.expected_total),
        "lines": [
            {"group": line.group, "name": line.name,
             "budget": None if line.budget is None else two(line.budget),
             "so_far": None if line.so_far is None else two(line.so_far),
             "expected": two(line.expected), "source": line.source}
            for line in basis.lines
        ],
    }


def settlement_json(settlement: Settlement) -> dict[str, Any]:
    """``kn settle --json`` (reference sections 4 and 14); ``forecast`` is null for a closed
    year, and for a forecast says through which day the outcome is known."""
    plan = settlement.plan
    unit = plan.unit
    return {
        "network": plan.network.name,
        "year": settlement.year,
        "forecast": forecast_json(settlement.forecast),
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        "population_date": plan.snapshot.date.isoformat(),
        "charged": money(settlement.charged, unit),
        "carried_in": money(settlement.carried_in, unit),
        "actual": exact_money(settlement.actual, unit),
        "funding": exact_money(settlement.funding, unit),
        "difference": money(settlement.difference, unit),
        "one_off": money(settlement.one_off_total, unit),
        "total": money(settlement.total, unit),
        "carried_forward": money(settlement.carried_forward, unit),
        "to_invoice": money(settlement.to_invoice, unit),
        "one_offs": [
            {
                "name": o.cost.name,
                "date": o.cost.date.isoformat(),
                "amount": money(o.total, unit),
                "members": list(o.members),
            }
            for o in settlement.one_offs
        ],
        "members": [
            {
                **member_id(m.code, m.name, plan.is_party(m.code)),
                "population": None if plan.is_party(m.code) else m.population,
                "days": m.days,
                "charged": money(m.charged, unit),
                "exact": two(m.exact),
                "settlement": money(m.settlement, unit),
                "one_off": money(m.one_off_total, unit),
                "amount": money(m.amount, unit),
                "carried_forward": money(m.carried_forward, unit),
                "to_invoice": money(m.to_invoice, unit),
            }
            for m in settlement.members
        ],
    }


def invoices_json(bases: Sequence[InvoiceBasis], unit: Decimal,
                  decision: Record | SettlementRecord | None,
                  registered: frozenset[str] = frozenset(), draft: bool = False
                  ) -> dict[str, Any]:
    """``kn invoices YEAR --json`` (reference 8 and 12): the invoices and credit notes, then
    the administrator's own share apart (it is not an invoice), and the decision they rest
    on. ``registered``: the numbers registered before this run (the others are new)."""

    def entry(basis: InvoiceBasis) -> dict[str, Any]:
        recipient = basis.recipient
        return {
            "reference": basis.reference,
            "ocr": basis.ocr,
            "kind": basis.kind,
            "recipient": {"kommunkod": None if recipient.party else recipient.code,
                          **({"party": recipient.name} if recipient.party else {}),
                          "name": recipient.name,
                          "orgnr": recipient.orgnr, "reference": recipient.reference},
            "amount": money(basis.total, unit),
            "invoice_date": basis.invoice_date.isoformat(),
            "due_date": basis.due_date.isoformat() if basis.due_date else None,
            "corrects": basis.corrects,
            "corrects_date": basis.corrects_date.isoformat() if basis.corrects_date else None,
            "basis": basis.basis,
            "purpose": None if basis.own_share else basis.purpose,
            "new": (not basis.own_share and not basis.draft
                    and basis.reference not in registered),
            "draft": basis.draft,
        }

    own = [entry(b) for b in bases if b.own_share]
    record: dict[str, Any] | None = None
    if decision is not None:
        record = {"file": decision.path.name, "revision": decision.number,
                  "decision_date": decision.decision_date, "decided_by": decision.decided_by,
                  "ref": decision.ref,
                  "kind": "settlement" if isinstance(decision, SettlementRecord) else "fees"}
    return {
        "draft": draft,
        "invoices": [entry(b) for b in bases if not b.own_share],
        "own_share": own[0] if own else None,
        "decision": record,
    }


def _facts_json(f: YearFacts | None, unit: Decimal) -> dict[str, Any] | None:
    if f is None:
        return None
    per = f.cost_per_inhabitant
    return {"year": f.year, "period": {"start": f.start.isoformat(), "end": f.end.isoformat()},
            "days": f.period_days, "partial": f.partial,
            "population_date": f.population_date.isoformat(),
            "funding": money(to_decimal(sum((a for _, a in f.funding), Fraction(0)), 2), unit),
            "carried": money(f.carried, unit), "partial_members": list(f.partial_members),
            "cost_before_funding": f"{to_decimal(f.cost_before_funding, 2)}",
            "population": f"{to_decimal(f.population, 2)}",
            "cost_per_inhabitant": None if per is None else f"{per}"}


def comparison_json(comp: Comparison) -> dict[str, Any]:
    """``kn compare --json`` (reference 9): per member the change split into what the total
    and what the share did, as exact two-decimal strings, and kronor per inhabitant."""
    unit = comp.unit
    ta, tb = comp.total_a, comp.total_b

    def year(fig: Any) -> dict[str, Any] | None:
        if fig is None:
            return None
        per = fig.per_inhabitant
        return {"population": fig.population, "fee": money(fig.fee, unit),
                "days": fig.days, "per_inhabitant": None if per is None else f"{per}"}

    def pct(value: Decimal | None) -> str | None:
        return None if value is None else f"{value}"

    return {
        "network": comp.network,
        "years": [comp.year_a, comp.year_b],
        "population_dates": [comp.population_date_a, comp.population_date_b],
        "total": {"a": money(comp.total_a, unit), "b": money(comp.total_b, unit),
                  "change": money(comp.total_change, unit),
                  "change_percent": pct(comp.total_change_percent),
                  "like_for_like_change_percent": pct(comp.like_for_like_change_percent),
                  "population_change": comp.population_change},
        "years_facts": [_facts_json(comp.facts_a, unit), _facts_json(comp.facts_b, unit)],
        "members": [
            {**member_id(m.code, m.name, m.party), "a": year(m.a), "b": year(m.b),
             "change": money(m.fee_change, unit), "change_percent": pct(m.fee_change_percent),
             "change_from_total": f"{m.change_from_total(ta, tb)}",
             "change_from_share": f"{m.change_from_share(ta, tb)}",
             "population_change": m.population_change}
            for m in comp.members
        ],
    }


def what_if_json(result: WhatIf) -> dict[str, Any]:
    """``kn allocate --with/--without --json``."""
    plan = result.today.plan
    unit = plan.unit
    return {
        "network": plan.network.name,
        "year": result.today.year,
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        "population_date": plan.snapshot.date.isoformat(),
        "with": [{"kommunkod": m.code, "kommun": m.name} for m in result.added],
        "without": [{"kommunkod": m.code, "kommun": m.name} for m in result.removed],
        "total": money(result.today.total, unit),
        "members": [
            {
                **member_id(r.code, r.name, not r.code.isdigit()),
                "population": r.population if r.code.isdigit() else None,
                "today": None if r.today is None else money(r.today, unit),
                "what_if": None if r.what_if is None else money(r.what_if, unit),
                "difference": money(r.difference, unit),
            }
            for r in result.rows()
        ],
    }


def _fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 \
        else str(value.numerator)


def explanation_json(x: Explanation) -> dict[str, Any]:
    """``kn explain --json``; amounts written as in ``kn allocate --json``."""
    alloc, plan = x.alloc, x.alloc.plan
    unit = plan.unit
    party = plan.is_party(x.code)

    def fine(value: Fraction) -> str:  # two decimals, four when rounding to öre
        return two(value) if unit >= 1 else f"{to_decimal(value, 4)}"

    rounding: dict[str, Any] = {"unit": money(unit, unit) if unit >= 1 else f"{unit}"}
    if party:  # a party's part is rounded half up on its own (reference 13)
        rounding["method"] = "half_up"
    else:
        step = x.step
        rounding.update({
            "truncated": money(Decimal(step.truncated.numerator) / step.truncated.denominator,
                               unit),
            "remainder": fine(step.remainder),
            "rank": step.rank,
            "members": len(x.rounding.steps),
            "left_over": x.rounding.left_over,
            "extra": money(Decimal(step.extra.numerator) / step.extra.denominator, unit),
            "tie": step.tie,
            "adjustment": fine(step.adjustment),
        })
    model = fee_parts(alloc, next(m for m in alloc.members if m.code == x.code))

    key: dict[str, Any] = {"kind": x.key.kind}
    if x.key.kind == "equal_population":
        key.update(equal=str(x.key.equal), population=str(x.key.population))
    if x.key.kind == "weighted":
        key.update(equal=str(x.key.equal), population=str(x.key.population),
                   statistics={name: str(w) for name, w in x.key.statistics})
    return {
        "network": plan.network.name,
        "year": alloc.year,
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat(),
                   "days": plan.period_days},
        **member_id(x.code, x.name, party),
        **({"model": alloc.model} if alloc.model != "key" else {}),
        **model,
        "population": None if party else x.population,
        "population_date": x.population_date.isoformat(),
        "population_cap": x.cap,
        "weight": x.weight,
        "key": key,
        "fixed_share": None if x.fixed_share is None else str(x.fixed_share),
        "total": money(alloc.total, unit),
        "segments": [
            {
                "start": s.start.isoformat(),
                "end": s.end.isoformat(),
                "days": s.days,
                "cost": two(s.cost),
                "members": s.members,
                "weight_sum": s.weight_sum,
                "member": s.present,
                "share": _fraction(s.share),
                "share_percent": f"{to_decimal(s.share * 100, 4)}",
                "equal_part": _fraction(s.equal_part),
                "population_part": _fraction(s.population_part),
                **({"statistic_parts": {
                    p.name: {"value": _exact_text(p.value), "sum": _exact_text(p.total),
                             "part": _fraction(p.part)}
                    for p in s.statistic_parts}} if x.key.kind == "weighted" else {}),
                "amount": two(s.amount),
            }
            for s in x.segments
        ],
        "days": x.days,
        "exact": two(x.exact),
        "rounding": rounding,
        "without_equal_part_or_cap_exact": None if x.plain_exact is None else two(x.plain_exact),
        "without_cap_exact": None if x.uncapped_exact is None else two(x.uncapped_exact),
        **({"statistics": {stat.name: {"value": str(stat.values[x.code]),
                                       "date": stat.date.isoformat()}
                           for stat in x.statistics}} if x.statistics else {}),
        "fee": money(x.fee, unit),
        "carried": money(x.carried, unit),
        "amount": money(x.amount, unit),
        "percent": f"{x.percent}",
    }


def _exact_text(value: Fraction) -> str:
    """A statistic's value or sum (an exact decimal) as text: "30", "50.5"."""
    if value.denominator == 1:
        return str(value.numerator)
    places = next((p for p in range(1, 9) if (value * 10**p).denominator == 1), 8)
    return f"{to_decimal(value, places)}"


def plan_json(plan: Plan) -> dict[str, Any]:
    """``kn plan --json`` (reference section 6); money as in ``kn allocate --json``."""
    unit = plan.years[0].allocation.plan.unit

    def fee(value: Decimal | None) -> int | str | None:
        return None if value is None else money(value, unit)

    statistics = {}
    if any(y.statistics for y in plan.years):
        statistics = {"statistic_basis": {
            str(y.year): {name: source.describe() for name, source in y.statistics}
            for y in plan.years}}
    return {
        "network": plan.network_name,
        "years": [y.year for y in plan.years],
        "total": {str(y.year): money(y.allocation.amount_total, unit) for y in plan.years},
        "population_basis": {str(y.year): y.population.describe() for y in plan.years},
        **statistics,
        "budget_basis": {str(y.year): plan_budget_basis(y) for y in plan.years},
        "status": {str(y.year): "plan" if y.is_plan else
                   ("decided" if y.decided is not None else "proposal") for y in plan.years},
        "members": [
            {
                **member_id(m.code, m.name, not m.code.isdigit()),
                "fee": {str(year): fee(value) for year, value in m.fees.items()},
                "population": {str(year): value for year, value in m.populations.items()},
            }
            for m in plan.members
        ],
    }


def plan_budget_basis(year: PlanYear) -> str:
    """"budgets/2016.yaml" (the budget year or a plan year's own file) or
    "indexed budgets/2016.yaml"."""
    return f"indexed {year.budget.file}" if year.budget.kind == "indexed" else year.budget.file


def plan_explanation_json(plan: Plan, code: str) -> dict[str, Any]:
    """``kn explain YEAR KOMMUN --plan --json``: for one member, each year's budget, total,
    population basis, share and fee (``null`` figures in a year it is not a member)."""
    unit = plan.years[0].allocation.plan.unit
    member = next(m for m in plan.members if m.code == code)
    years = []
    for y in plan.years:
        alloc = y.allocation
        fee = next((m for m in alloc.members if m.code == code), None)
        years.append({
            "year": y.year,
            "status": "plan" if y.is_plan else ("decided" if y.decided else "proposal"),
            "budget_basis": plan_budget_basis(y),
            "index": [
                {"line": il.line.name, "group": il.line.group,
                 "index": {str(s.year): f"{s.percent}" for s in il.steps}}
                for il in y.budget.lines
            ],
            "costs": two(alloc.gross),
            "funding": two(alloc.funding_total),
            "total": money(alloc.total, unit),
            "population_basis": y.population.describe(),
            "population": fee.population if fee else None,
            "population_total": sum(alloc.plan.weights.values()),
            "days": fee.days if fee else None,
            "period_days": alloc.plan.period_days,
            "exact": two(fee.exact) if fee else None,
            "fee": money(fee.amount, unit) if fee else None,
        })
    return {"network": plan.network_name,
            **member_id(member.code, member.name, not member.code.isdigit()), "years": years}


def report_json(report: Report) -> dict[str, Any]:
    """``kn report --json`` (reference 14). Budget and outcome figures are exact two-decimal
    strings (a budget line prorated to a period, an outcome with öre); the fees charged and
    the settlement are money as in ``kn settle --json``. ``variance`` = outcome − budget
    (positive: an overrun); ``variance_percent`` is null where the budget is 0."""
    unit = report.settlement.plan.unit
    settlement = report.settlement

    def row(r: ReportRow) -> dict[str, Any]:
        percent = r.variance_percent
        return {"group": r.group, "name": r.name, "budget": two(r.budget),
                "outcome": two(r.outcome), "variance": two(r.variance),
                "variance_percent": None if percent is None else f"{percent}"}

    def compared(r: ReportRow) -> dict[str, Any]:
        percent = r.variance_percent
        return {"budget": two(r.budget), "outcome": two(r.outcome),
                "variance": two(r.variance),
                "variance_percent": None if percent is None else f"{percent}"}

    def per(value: Decimal | None) -> str | None:
        return None if value is None else f"{value}"

    funding = ReportRow(None, None, report.funding_budget, report.funding_outcome)
    return {
        "network": settlement.plan.network.name,
        "year": report.year,
        "period": {"start": settlement.plan.start.isoformat(),
                   "end": settlement.plan.end.isoformat()},
        "forecast": (None if settlement.forecast is None
                     else {"through": settlement.forecast.through.isoformat()}),
        "lines": [row(r) for r in report.lines],
        "groups": [{k: v for k, v in row(g).items() if k != "name"} for g in report.groups],
        "total": compared(report.total),
        "funding": compared(funding),
        "net": compared(report.net),
        "one_off": money(settlement.one_off_total, unit),
        "fees": {"total": money(report.fees, unit), "from": report.fees_source},
        "settlement": {
            "difference": money(settlement.difference, unit),
            "total": money(settlement.total, unit),
            "from": report.settlement_source,
            "members": [
                {**member_id(m.code, m.name, settlement.plan.is_party(m.code)),
                 "charged": money(m.charged, unit),
                 "settlement": money(m.settlement, unit), "one_off": money(m.one_off_total, unit),
                 "amount": money(m.amount, unit),
                 "carried_forward": money(m.carried_forward, unit),
                 "to_invoice": money(m.to_invoice, unit)}
                for m in settlement.members
            ],
        },
        "carried": {"from_previous": money(report.carried_in, unit),
                    "to_next": money(report.carried_forward, unit)},
        "per_inhabitant": {"population": report.population,
                           "fees": per(report.fees_per_inhabitant),
                           "outcome": per(report.outcome_per_inhabitant)},
    }
