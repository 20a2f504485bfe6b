"""The floor of ``kn allocate``: the least a single-file Typer command must do for the same job.

It validates network.yaml and the year's budget through a handful of pydantic models, reads
the SCB snapshot with csv, shares the total over the membership segments with Fractions
(largest remainder, ties to the larger population), prints the table through rich with
numbers written by babel, and saves a four-sheet workbook with a bar chart of the same size
as kn's. It loads the libraries ``kn allocate`` loads (typer, pydantic, PyYAML with libyaml,
rich, babel and XlsxWriter) and runs with kn's settings for the cycle
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
import xlsxwriter
import yaml
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

    book = xlsxwriter.Workbook(str(output), {"in_memory": True})
    bold = book.add_format({"bold": True, "border": 1})
    box = book.add_format({"border": 1})
    pct_box = book.add_format({"border": 1, "num_format": "0.00%"})
    int_box = book.add_format({"border": 1, "num_format": "#,##0"})
    ws = book.add_worksheet(f"Fördelning {year}")
    ws.write_string(0, 0, f"Fördelning av kostnader för {net.name} {year}")
    ws.write_string(1, 0, f"Period: {start} – {end}")
    for col, text in enumerate(["Kommun", f"Befolkningsmängd ({snap_day})", "Befolkning %",
                                f"Kostnad {net.name}"]):
        ws.write_string(3, col, text, bold)
    row = 4
    for c in codes:
        ws.write_string(row, 0, name_of[c], box)
        ws.write_number(row, 1, pop[c], int_box)
        ws.write_number(row, 2, Decimal(pct[c]) / 10000, pct_box)
        ws.write_number(row, 3, fee[c], int_box)
        row += 1
    last = row
    ws.write_string(row, 0, "Totalt", bold)
    for col, letter, value in ((1, "B", sum(pop.values())), (2, "C", 1), (3, "D", total)):
        ws.write_formula(row, col, f"=SUM({letter}5:{letter}{last})", bold, value)
    chart = book.add_chart({"type": "bar"})
    chart.add_series({"categories": [ws.name, 4, 0, last - 1, 0],
                      "values": [ws.name, 4, 3, last - 1, 3],
                      "data_labels": {"value": True}})
    chart.set_title({"name": f"Kostnad per kommun {year}"})
    chart.set_size({"width": 600, "height": round(max(7.5, 0.55 * len(codes) + 2) * 37.8)})
    ws.insert_chart(last + 3, 0, chart)
    ws2 = book.add_worksheet(f"Budget {year}")
    for col, text in enumerate(["Grupp", "Post", "Belopp helår", "Belopp för perioden"]):
        ws2.write_string(0, col, text, bold)
    for row, line in enumerate(bud.lines, start=1):
        y = line.yearly()
        ws2.write_string(row, 0, line.group or line.name)
        ws2.write_string(row, 1, line.name)
        ws2.write_number(row, 2, dec(y))
        ws2.write_number(row, 3, dec(y * factor))
    n = len(bud.lines) + 1
    ws2.write_string(n, 0, "TOTALT", bold)
    ws2.write_formula(n, 2, f"=SUM(C2:C{n})", bold, sum(dec(li.yearly()) for li in bud.lines))
    ws2.write_formula(n, 3, f"=SUM(D2:D{n})", bold, total)
    ws3 = book.add_worksheet("Underlag")
    for col, text in enumerate(["Kommunkod", "Kommun", "Befolkning", "Dagar", "Exakt belopp",
                                "Avgift", "Avrundning"]):
        ws3.write_string(0, col, text, bold)
    row = 1
    for c in codes:
        ws3.write_string(row, 0, c, box)
        ws3.write_string(row, 1, name_of[c], box)
        for col, value in ((2, pop[c]), (3, member_days[c]), (4, dec(exact[c])), (5, fee[c]),
                           (6, dec(fee[c] - exact[c]))):
            ws3.write_number(row, col, value, box)
        row += 1
    for seg_start, seg_end, present in segments:
        ws3.write_string(row, 0, str(seg_start))
        ws3.write_string(row, 1, str(seg_end))
        ws3.write_string(row, 2, ", ".join(name_of[c] for c in present))
        row += 1
    ws4 = book.add_worksheet("Metod")
    for row, text in enumerate((
        f"Befolkningen enligt SCB per {snap_day} ({snap_file.name}).",
        "Kostnaden delas per period av medlemskap, i proportion till befolkningen.",
        "Beloppen avrundas till hela kronor; överskjutande kronor går till de största resterna.",
    )):
        ws4.write_string(row, 0, text)
    for sheet in (ws, ws2, ws3, ws4):
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.set_header(f"&C{net.name} {year}")
    book.close()


def main() -> None:
    try:
        app()
    finally:
        gc.freeze()  # as kn does at the end of its one short run


if __name__ == "__main__":
    main()
