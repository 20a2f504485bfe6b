"""The floor of ``kn allocate``: the least a single-file Typer command must do for the same job.

It validates network.yaml and the year's budget through a handful of pydantic models, reads
the SCB snapshot with csv, shares the total over the membership segments with Fractions
(largest remainder, ties to the larger population), prints the table through rich with
numbers written by babel, and saves a four-sheet workbook with a bar chart of the same size
as kn's. It loads the libraries ``kn allocate`` loads (typer, pydantic, PyYAML with libyaml,
rich, babel, openpyxl and what openpyxl imports) and runs with kn's settings for the cycle
collector (``koordination.cli.run``). ``bench/run`` times it beside kn.

Usage: python bench/floor_allocate.py YEAR --data DIR -o FILE.xlsx [--json]
"""

# ruff: noqa: E402  (the collector is set before the first import, as kn sets it)
from __future__ import annotations

import gc

gc.set_threshold(1_000_000, 50, 50)  # as kn does before its first import

import calendar
import csv
import json
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Literal

import babel.numbers
import typer
import yaml
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Border, Font, Side
from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MemberIn(Strict):
    kommun: str | int
    legal_name: str | None = None
    joined: date | None = None
    notice: date | None = None
    left: date | None = None


class PopulationIn(Strict):
    month_day: str = Field(default="12-31", alias="date")
    lag: int = Field(default=1, ge=0)
    by_year: dict[int, date] = Field(default_factory=dict)


class NetworkIn(Strict):
    name: str = Field(min_length=1)
    administrator: str | int
    notice_months: int = Field(default=12, ge=0)
    population: PopulationIn = Field(default_factory=PopulationIn)
    key: Literal["population"] = "population"
    rounding: Decimal = Decimal(1)
    surplus: str = "refund"
    deficit: str = "charge"
    members: list[MemberIn] = Field(min_length=1)


class LineIn(Strict):
    group: str = ""
    name: str
    amount: Decimal | None = None
    overhead_percent: Decimal | None = None
    rate: Decimal | None = None
    per_month: Decimal | None = None
    quantity: Decimal | None = None

    def yearly(self) -> Fraction:
        if self.rate is not None:
            count = self.per_month * 12 if self.per_month is not None else self.quantity
            return Fraction(self.rate) * Fraction(count or 0)
        amount = Fraction(self.amount or 0)
        return amount * (1 + Fraction(self.overhead_percent or 0) / 100)


class FundingIn(Strict):
    name: str
    amount: Decimal = Field(ge=0)


class PeriodIn(Strict):
    start: date
    end: date


class BudgetIn(Strict):
    year: int
    period: PeriodIn | None = None
    basis: Literal["annual", "period"] = "annual"
    lines: list[LineIn] = Field(min_length=1)
    funding: list[FundingIn] = Field(default_factory=list)


def fold(name: str) -> str:
    return name.lower().replace("-", " ")


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def dec(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"))


def largest_remainder(total: int, exact: dict[str, Fraction], tie: dict[str, tuple[int, str]]
                      ) -> dict[str, int]:
    base = {c: int(e) for c, e in exact.items()}
    left = total - sum(base.values())
    order = sorted(exact, key=lambda c: (-(exact[c] - base[c]), tie[c]))
    for c in order[:left]:
        base[c] += 1
    return base


@app.command()
def allocate(
    year: int,
    output: Annotated[Path, typer.Option("-o")],
    data: Path = Path("data"),
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    net = NetworkIn.model_validate(yaml.load((data / "network.yaml").read_text("utf-8"), Loader))
    bud = BudgetIn.model_validate(
        yaml.load((data / "budgets" / f"{year}.yaml").read_text("utf-8"), Loader))
    snap_day = net.population.by_year.get(year) or date.fromisoformat(
        f"{year - net.population.lag}-{net.population.month_day}")
    snap_file = data / "populations" / f"{snap_day.isoformat()}.csv"
    with snap_file.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    pop = {r["kommunkod"]: int(r["folkmangd"]) for r in rows}
    name_of = {r["kommunkod"]: r["kommun"] for r in rows}
    code_of = {fold(r["kommun"]): r["kommunkod"] for r in rows}
    start = bud.period.start if bud.period else date(year, 1, 1)
    end = bud.period.end if bud.period else date(year, 12, 31)
    spans: dict[str, tuple[date, date]] = {}
    for m in net.members:
        code = str(m.kommun) if str(m.kommun) in pop else code_of[fold(str(m.kommun))]
        first = max(m.joined or start, start)
        out = m.left or (add_months(m.notice, net.notice_months) if m.notice else None)
        last = min(out - timedelta(days=1), end) if out else end
        if first <= last:
            spans[code] = (first, last)
    year_days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    days = (end - start).days + 1
    factor = Fraction(days, year_days) if bud.basis == "annual" else Fraction(1)
    gross = sum((line.yearly() * factor for line in bud.lines), Fraction(0))
    net_cost = gross - sum((Fraction(f.amount) for f in bud.funding), Fraction(0))
    total = int(net_cost + Fraction(1, 2))
    cuts = sorted({start} | {s for s, _ in spans.values()}
                  | {e + timedelta(days=1) for _, e in spans.values() if e < end})
    exact = {c: Fraction(0) for c in spans}
    segments = []
    for i, seg_start in enumerate(cuts):
        seg_end = cuts[i + 1] - timedelta(days=1) if i + 1 < len(cuts) else end
        present = [c for c, (s, e) in spans.items() if s <= seg_start <= e]
        cost = Fraction(total * ((seg_end - seg_start).days + 1), days)
        sigma = sum(pop[c] for c in present)
        for c in present:
            exact[c] += cost * pop[c] / sigma
        segments.append((seg_start, seg_end, present))
    tie = {c: (-pop[c], c) for c in exact}
    fee = largest_remainder(total, exact, tie)
    pct = largest_remainder(10000, {c: e / total * 10000 for c, e in exact.items()}, tie)
    codes = sorted(exact, key=lambda c: fold(name_of[c]).translate(str.maketrans("åäö", "{|}")))
    member_days = {c: (e - s).days + 1 for c, (s, e) in spans.items()}
    if as_json:
        typer.echo(json.dumps({"total": total, "amounts": fee}))
    else:
        def num(value: Decimal | int, places: int = 0) -> str:
            return babel.numbers.format_decimal(value, "#,##0" + "." * bool(places)
                                                + "0" * places, locale="sv_SE")

        table = Table(title=f"Fördelning av kostnader för {net.name} {year}",
                      caption=f"Period: {start} – {end}", show_footer=True)
        table.add_column("Kommun", "Totalt")
        table.add_column(f"Befolkningsmängd ({snap_day})", num(sum(pop.values())),
                         justify="right")
        table.add_column("Befolkning %", num(Decimal(100), 2) + " %", justify="right")
        table.add_column(f"Kostnad {net.name}", num(total) + " kr", justify="right")
        for c in codes:
            table.add_row(name_of[c], num(pop[c]), num(Decimal(pct[c]) / 100, 2) + " %",
                          num(fee[c]) + " kr")
        Console(width=120, no_color=True, highlight=False, markup=False, emoji=False,
                soft_wrap=False).print(table)

    bold, box = Font(bold=True), Border(*(Side(style="thin"),) * 4)
    wb = Workbook()
    ws = wb.active
    ws.title = f"Fördelning {year}"
    ws.append([f"Fördelning av kostnader för {net.name} {year}"])
    ws.append([f"Period: {start} – {end}"])
    ws.append([])
    ws.append(["Kommun", f"Befolkningsmängd ({snap_day})", "Befolkning %", f"Kostnad {net.name}"])
    for c in codes:
        ws.append([name_of[c], pop[c], Decimal(pct[c]) / 10000, fee[c]])
    last = ws.max_row
    ws.append(["Totalt"] + [f"=SUM({col}5:{col}{last})" for col in "BCD"])
    for row in ws.iter_rows(min_row=4, max_row=last + 1, max_col=4):
        for cell in row:
            cell.border = box
            if cell.column == 3:
                cell.number_format = "0.00%"
            elif cell.column != 1:
                cell.number_format = "#,##0"
    for cell in ws[4] + ws[last + 1]:
        cell.font = bold
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"Kostnad per kommun {year}"
    chart.add_data(Reference(ws, min_col=4, min_row=4, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=5, max_row=last))
    chart.height = max(7.5, 0.55 * len(codes) + 2)
    chart.width = 16
    ws.add_chart(chart, f"A{last + 4}")
    ws2 = wb.create_sheet(f"Budget {year}")
    ws2.append(["Grupp", "Post", "Belopp helår", "Belopp för perioden"])
    for line in bud.lines:
        y = line.yearly()
        ws2.append([line.group or line.name, line.name, dec(y), dec(y * factor)])
    ws2.append(["TOTALT", None, f"=SUM(C2:C{ws2.max_row})", f"=SUM(D2:D{ws2.max_row})"])
    ws3 = wb.create_sheet("Underlag")
    ws3.append(["Kommunkod", "Kommun", "Befolkning", "Dagar", "Exakt belopp", "Avgift",
                "Avrundning"])
    for c in codes:
        ws3.append([c, name_of[c], pop[c], member_days[c], dec(exact[c]), fee[c],
                    dec(fee[c] - exact[c])])
        for cell in ws3[ws3.max_row]:
            cell.border = box
    for seg_start, seg_end, present in segments:
        ws3.append([str(seg_start), str(seg_end), ", ".join(name_of[c] for c in present)])
    ws4 = wb.create_sheet("Metod")
    for text in (
        f"Befolkningen enligt SCB per {snap_day} ({snap_file.name}).",
        "Kostnaden delas per period av medlemskap, i proportion till befolkningen.",
        "Beloppen avrundas till hela kronor; överskjutande kronor går till de största resterna.",
    ):
        ws4.append([text])
    wb.save(output)


def main() -> None:
    try:
        app()
    finally:
        gc.freeze()  # as kn does at the end of its one short run


if __name__ == "__main__":
    main()
