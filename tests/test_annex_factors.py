"""The annex shows what drives the shares (reference: the allocation workbook): with a key of
more than population, each factor's column in key order (the equal part in kronor, each
statistic under its name in words), and a capped member marked with a footnote."""

from __future__ import annotations

import json
import shutil
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.render.labels import statistic_label

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(runner: CliRunner, name: str, year: str, lang: str, tmp_path: Path
        ) -> tuple[list[tuple[object, ...]], dict, list[str]]:
    """The Fördelning sheet's rows (values as stored), the JSON and the population cells'
    number formats, for example ``name`` in ``lang``."""
    data = tmp_path / name
    shutil.copytree(EXAMPLES / name, data, ignore=shutil.ignore_patterns("reports", "decisions"))
    target = tmp_path / f"{name}-{lang}.xlsx"
    result = runner.invoke(app, ["allocate", year, "--data", str(data), "--lang", lang,
                                 "-o", str(target), "--json"])
    assert result.exit_code == 0, result.output
    ws = load_workbook(target, data_only=True).worksheets[0]
    rows = [tuple(c.value for c in row) for row in ws.iter_rows(min_row=4)]
    header = rows[0]
    pop_col = next(i for i, h in enumerate(header) if str(h).startswith(
        ("Befolkningsmängd", "Population (")))
    formats = [ws.cell(row=r, column=pop_col + 1).number_format for r in range(5, ws.max_row)]
    return rows, json.loads(result.stdout), formats


def ore(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_equal_part_and_cap(runner: CliRunner, tmp_path: Path, lang: str) -> None:
    # key {equal: 10, population: 90}, population_cap 50 000; Vaxholm joins on 1 July
    rows, out, formats = run(runner, "tak-och-segment", "2015", lang, tmp_path)
    sv = lang == "sv"
    assert rows[0][:6] == (
        "Kommun" if sv else "Municipality",
        "Lika del (kr)" if sv else "Equal part (kr)",
        "Befolkningsmängd (2014-12-31)" if sv else "Population (2014-12-31)",
        "Andel %" if sv else "Share %",
        ("Kostnad " if sv else "Cost of ") + "Exempel med tak och segment",
        "Dagar" if sv else "Days",
    )
    members = rows[1:5]
    assert [r[0] for r in members] == ["Danderyd", "Solna", "Sundbyberg", "Vaxholm"]
    # independently: 10 % of 905 000 shared equally in each segment, by days
    equal = Fraction(905000) / 10
    first, second = Fraction(181, 365) * equal / 3, Fraction(184, 365) * equal / 4
    expected = {"Danderyd": first + second, "Solna": first + second,
                "Sundbyberg": first + second, "Vaxholm": second}
    shown = {r[0]: Decimal(str(r[1])) for r in members}  # a cell holds a float
    assert shown == {k: ore(v) for k, v in expected.items()}
    assert list(shown.values()) == [Decimal("26364.84")] * 3 + [Decimal("11405.48")]
    by_json = {m["kommun"]: m for m in out["members"]}
    assert {r[0]: (r[2], r[4]) for r in members} == {
        k: (m["population"], m["fee"]) for k, m in by_json.items()}
    total = rows[5]
    assert total[0] == ("Totalt" if sv else "Total")
    assert Decimal(str(total[1])) == Decimal("90500") and total[2] == 161755 and total[4] == 905000
    # Solna (74 041) counts as 50 000: its population is marked and the mark explained
    assert formats[:4] == ["#,##0", '#,##0" *"', "#,##0", "#,##0"]
    note = ("* räknas med högst 50\u00a0000 invånare" if sv
            else "* counted as at most 50,000 inhabitants")
    assert any(r[0] == note for r in rows[6:])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_statistic_key_leads_with_its_statistic(runner: CliRunner, tmp_path: Path,
                                                lang: str) -> None:
    # key {befolkning-16-64: 100}: the statistic first, under its name in words
    rows, out, formats = run(runner, "samordningsforbund-16-64", "2025", lang, tmp_path)
    sv = lang == "sv"
    assert rows[0][:3] == (
        "Kommun" if sv else "Municipality",
        "Befolkning 16–64 år (2024-12-31)" if sv else "Population aged 16–64 (2024-12-31)",
        "Befolkningsmängd (2024-12-31)" if sv else "Population (2024-12-31)",
    )
    assert len(rows[0]) == 5 or rows[0][5] is None  # the statistic is not repeated at the end
    members = rows[1:4]
    by_json = {m["kommun"]: m for m in out["members"]}
    assert {r[0]: (r[1], r[2], r[4]) for r in members} == {
        k: (int(m["statistics"]["befolkning-16-64"]), m["population"], m["fee"])
        for k, m in by_json.items()}
    assert rows[4][1] == sum(int(m["statistics"]["befolkning-16-64"])
                             for m in out["members"])
    assert all(f == "#,##0" for f in formats[:3])  # no cap, no mark
    assert not any(str(r[0]).startswith("*") for r in rows[5:])


def test_statistic_labels() -> None:
    assert statistic_label("befolkning-16-64", "sv") == "Befolkning 16–64 år"
    assert statistic_label("befolkning-16-64", "en") == "Population aged 16–64"
    assert statistic_label("befolkning-65", "sv") == "Befolkning 65 år och äldre"
    assert statistic_label("skatteunderlag", "en") == "Tax base"
    assert statistic_label("antal-elever", "sv") == "Antal elever"
