"""Every command that prints numbers writes them in the language asked for: Swedish by
default (no-break space grouping, decimal comma, minus sign U+2212), English with --lang en
(comma grouping, decimal point, hyphen-minus). Error lines stay plain English whatever the
language. Figures are the shipped Koordination Norrort data (Danderyd, 32 295 inhabitants on
2014-12-31, pays 42 781 kr in 2015)."""

from __future__ import annotations

import ast
import inspect
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.render import numbers
from koordination.render.numbers import integer, kr, number_text, percent
from tests.conftest import MakeData

NB = "\u00a0"
MINUS = "\u2212"
SRC = Path(__file__).resolve().parents[1] / "src" / "koordination"


def sv(text: str) -> str:
    """``text`` with its spaces as no-break spaces: sv("42 781 kr") == "42\u00a0781\u00a0kr"."""
    return text.replace(" ", NB)


def lines_of(runner: CliRunner, data: Path, *args: str) -> list[str]:
    result = runner.invoke(app, [*args, "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def line_with(lines: list[str], text: str) -> str:
    """The first line holding ``text``, without its padding."""
    return next(line for line in lines if text in line).strip()


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("│").split("│")]


# -- the formatter -------------------------------------------------------------------------


def test_no_formatter_has_a_default_language() -> None:
    for name in ("number_text", "kr", "integer", "percent"):
        parameter = inspect.signature(getattr(numbers, name)).parameters["lang"]
        assert parameter.default is inspect.Parameter.empty, name


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (Decimal("-1234567.5"), "sv", f"{MINUS}1{NB}234{NB}567,50"),
        (Decimal("-1234567.5"), "en", "-1,234,567.50"),
        (Decimal("-1234567.5"), "plain", "-1 234 567.50"),
    ],
)
def test_three_styles(value: Decimal, lang: numbers.Style, expected: str) -> None:
    assert number_text(value, 2, lang) == expected


def test_signs_places_and_fractions() -> None:
    assert kr(Decimal(472), Decimal(1), "sv", sign="nonzero") == f"+472{NB}kr"
    assert kr(Decimal(0), Decimal(1), "sv", sign="nonzero") == f"0{NB}kr"
    assert kr(Decimal(0), Decimal(1), "en", sign="always") == f"+0{NB}kr"
    assert kr(Decimal(-2364), Decimal(1), "sv", sign="nonzero") == f"{MINUS}2{NB}364{NB}kr"
    assert kr(Decimal(-2364), Decimal(1), "en", sign="nonzero") == f"-2,364{NB}kr"
    assert kr(Decimal("42781"), None, "plain") == "42 781 kr"
    assert kr(Decimal("42780.50"), None, "plain") == "42 780.50 kr"
    assert kr(Decimal(472), None, "plain", sign="nonzero") == "+472 kr"
    assert kr(Fraction(290701, 8), None, "sv", places=4) == f"36{NB}337,6250{NB}kr"
    assert number_text(Fraction(1, 3), None, "en") == "0.33"  # a Fraction: two decimals
    assert number_text(Decimal("936700.5"), None, "sv") == f"936{NB}700,5"
    assert integer(335, "en", sign="nonzero") == "+335"
    assert integer(-335, "sv", sign="nonzero") == f"{MINUS}335"
    assert percent(Decimal("70.99"), "en", sign="nonzero") == f"+70.99{NB}%"
    assert percent(Fraction(1, 3) * 100, "sv", 4) == f"33,3333{NB}%"


def test_no_other_formatter_in_the_package() -> None:
    """Numbers are grouped in render/numbers.py only: nowhere else a format spec with a
    thousands separator or a comma replaced by a space."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "render" / "numbers.py":
            continue
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
                spec = ast.unparse(node.format_spec)
                if "," in spec or "_" in spec:
                    found.append(f"{path.name}:{node.lineno}: {spec}")
        if re.search(r"""replace\(\s*["'],["']\s*,\s*["'][ \u00a0]["']""", text):
            found.append(f"{path.name}: replace(',', ' ')")
    assert not found


# -- the commands ----------------------------------------------------------------------------


def test_allocate_table(shipped_data: Path, runner: CliRunner) -> None:
    swedish = cells(line_with(lines_of(runner, shipped_data, "allocate", "2015"), "Danderyd"))
    assert swedish == ["Danderyd", sv("32 295"), sv("4,73 %"), sv("42 781 kr")]
    english = cells(line_with(lines_of(runner, shipped_data, "allocate", "2015", "--lang", "en"),
                              "Danderyd"))
    assert english == ["Danderyd", "32,295", f"4.73{NB}%", f"42,781{NB}kr"]


def test_what_if_table(shipped_data: Path, runner: CliRunner) -> None:
    swedish = lines_of(runner, shipped_data, "allocate", "2015", "--with", "Knivsta")
    assert cells(line_with(swedish, "Danderyd")) == [
        "Danderyd", sv("32 295"), sv("42 781 kr"), sv("41 795 kr"), sv(f"{MINUS}986 kr")]
    assert cells(line_with(swedish, "│ Knivsta")) == [
        "Knivsta", sv("16 105"), "–", sv("20 843 kr"), sv("+20 843 kr")]
    assert cells(line_with(swedish, "Totalt")) == [
        "Totalt", "", sv("905 000 kr"), sv("905 000 kr"), sv("0 kr")]
    english = lines_of(runner, shipped_data, "allocate", "2015", "--with", "Knivsta",
                       "--lang", "en")
    assert cells(line_with(english, "Danderyd")) == [
        "Danderyd", "32,295", f"42,781{NB}kr", f"41,795{NB}kr", f"-986{NB}kr"]
    assert cells(line_with(english, "Järfälla"))[-1] == f"-2,157{NB}kr"
    assert cells(line_with(english, "│ Knivsta"))[-1] == f"+20,843{NB}kr"


def test_compare_table(shipped_data: Path, runner: CliRunner) -> None:
    swedish = lines_of(runner, shipped_data, "compare", "2014", "2015")
    assert cells(line_with(swedish, "Danderyd")) == [
        "Danderyd", sv("31 960"), sv("32 295"), sv("25 019"), sv("42 781"),
        sv("+17 762"), sv("+18 695"), sv("−933"), sv("+70,99 %")]
    assert cells(line_with(swedish, "Totalt")) == [
        "Totalt", sv("661 665"), sv("683 183"), sv("517 957"), sv("905 000"),
        sv("+387 043"), sv("+387 043"), "0", sv("+74,72 %")]
    english = lines_of(runner, shipped_data, "compare", "2014", "2015", "--lang", "en")
    assert cells(line_with(english, "Danderyd")) == [
        "Danderyd", "31,960", "32,295", "25,019", "42,781", "+17,762", "+18,695", "-933",
        f"+70.99{NB}%"]
    assert cells(line_with(english, "Järfälla"))[7] == "+361"


def test_settle_tables(shipped_data: Path, runner: CliRunner) -> None:
    swedish = lines_of(runner, shipped_data, "settle", "2015")
    assert cells(line_with(swedish, "Danderyd"))[:4] == [
        "Danderyd", sv("42 781 kr"), sv("44 279 kr"), sv("1 498 kr")]
    assert line_with(swedish, "Utfall kostnader").endswith(sv("936 700,50 kr"))
    assert line_with(swedish, "Debiterade avgifter").endswith(sv(f"{MINUS}905 000 kr"))
    english = lines_of(runner, shipped_data, "settle", "2015", "--lang", "en")
    assert cells(line_with(english, "Danderyd"))[:4] == [
        "Danderyd", f"42,781{NB}kr", f"44,279{NB}kr", f"1,498{NB}kr"]
    assert line_with(english, "Actual costs").endswith(f"936,700.50{NB}kr")
    assert line_with(english, "Fees charged").endswith(f"-905,000{NB}kr")


def test_budget_table(shipped_data: Path, runner: CliRunner) -> None:
    swedish = cells(line_with(lines_of(runner, shipped_data, "budget", "2015"), "Lön strateg"))
    assert swedish[-3:] == [f"480{NB}000{NB}kr × (1 + 38,46{NB}%)", sv("664 608,00 kr"),
                            sv("664 608,00 kr")]
    english = cells(line_with(lines_of(runner, shipped_data, "budget", "2015", "--lang", "en"),
                              "Lön strateg"))
    assert english[-3:] == [f"480,000{NB}kr × (1 + 38.46{NB}%)", f"664,608.00{NB}kr",
                            f"664,608.00{NB}kr"]
    rate = cells(line_with(lines_of(runner, shipped_data, "budget", "2015"), "Budgetuppföljning"))
    assert rate[2] == f"550{NB}kr/h × 4{NB}h/mån × 12"


def test_explain_text(shipped_data: Path, runner: CliRunner) -> None:
    swedish = lines_of(runner, shipped_data, "explain", "2015", "Danderyd")
    assert swedish[0] == f"Varför betalar Danderyd 42{NB}781{NB}kr? – Koordination Norrort 2015"
    assert sv("4,7271 %") in line_with(swedish, "3. ")
    assert line_with(swedish, "6. ") == (
        f"6. Avgift: 42{NB}780,59{NB}kr + 0,41{NB}kr = 42{NB}781{NB}kr, 4,73{NB}% av totalen "
        f"905{NB}000{NB}kr.")
    english = lines_of(runner, shipped_data, "explain", "2015", "Danderyd", "--lang", "en")
    assert english[0] == f"Why does Danderyd pay 42,781{NB}kr? – Koordination Norrort 2015"
    assert f"4.7271{NB}%" in line_with(english, "3. ")
    assert line_with(english, "6. ") == (
        f"6. Fee: 42,780.59{NB}kr + 0.41{NB}kr = 42,781{NB}kr, 4.73{NB}% of the total "
        f"905,000{NB}kr.")


def test_invoices_summary(shipped_data: Path, runner: CliRunner) -> None:
    date = ["--invoice-date", "2015-01-15", "--draft"]
    swedish = lines_of(runner, shipped_data, "invoices", "2015", *date)
    assert cells(line_with(swedish, "Danderyd"))[3] == sv("42 781 kr")
    assert cells(line_with(swedish, "Totalt"))[3] == sv("905 000 kr")
    english = lines_of(runner, shipped_data, "invoices", "2015", *date, "--lang", "en")
    assert cells(line_with(english, "Danderyd"))[3] == f"42,781{NB}kr"
    assert cells(line_with(english, "│ Total"))[3] == f"905,000{NB}kr"


def test_population_list_and_import(shipped_data: Path, runner: CliRunner) -> None:
    swedish = lines_of(runner, shipped_data, "population", "list")
    assert cells(line_with(swedish, "2010-12-31.csv"))[2:] == ["290", sv("9 415 570"), "15/15"]
    english = lines_of(runner, shipped_data, "population", "list", "--lang", "en")
    assert cells(line_with(english, "2010-12-31.csv"))[2:] == ["290", "9,415,570", "15/15"]
    snapshot = str(shipped_data / "populations" / "2014-12-31.csv")
    again = ["population", "import", snapshot, "--date", "2014-12-31"]
    assert f"290 kommuner, 9{NB}747{NB}355 invånare" in lines_of(runner, shipped_data, *again)[0]
    assert "290 municipalities, 9,747,355 inhabitants" in \
        lines_of(runner, shipped_data, *again, "--lang", "en")[0]


def _revised(shipped_data: Path, runner: CliRunner, lang: str) -> tuple[list[str], list[str]]:
    """Decide 2015, lower one budget line by 50 000 kr; the refusal's error lines, then the
    notes of --revise, in ``lang``."""
    assert runner.invoke(app, ["allocate", "2015", "--final", "--data", str(shipped_data)]
                         ).exit_code == 0
    budget = shipped_data / "budgets" / "2015.yaml"
    text = budget.read_text(encoding="utf-8")
    old = "name: Externa tjänster, amount: 60000}"
    assert old in text
    budget.write_text(text.replace(old, "name: Externa tjänster, amount: 10000}"),
                      encoding="utf-8")
    refused = runner.invoke(app, ["allocate", "2015", "--data", str(shipped_data),
                                  "--lang", lang])
    assert refused.exit_code == 1
    revised = lines_of(runner, shipped_data, "allocate", "2015", "--revise", "--lang", lang)
    return refused.stderr.splitlines(), revised


def test_decision_notes_follow_the_language_and_errors_stay_plain(
    shipped_data: Path, tmp_path: Path, runner: CliRunner
) -> None:
    import shutil

    english_data = tmp_path / "english"
    shutil.copytree(shipped_data, english_data)
    record = shipped_data / "decisions" / "2015.json"
    errors, notes = _revised(shipped_data, runner, "sv")
    assert (f"error: {record}: Danderyd (0162): decided 42 781 kr, now 40 417 kr, "
            "difference -2 364 kr") in errors
    assert (f"Danderyd (0162): beslutat 42{NB}781{NB}kr, nytt 40{NB}417{NB}kr, "
            f"skillnad {MINUS}2{NB}364{NB}kr") in notes
    errors_en, notes_en = _revised(english_data, runner, "en")
    assert [e.replace(str(english_data), str(shipped_data)) for e in errors_en] == errors
    assert (f"Danderyd (0162): decided 42,781{NB}kr, new 40,417{NB}kr, "
            f"difference -2,364{NB}kr") in notes_en


def test_method_text_writes_the_rounding_unit_in_the_language(
    make_data: MakeData, runner: CliRunner
) -> None:
    """The Metod sheet of a network that rounds to öre: "0,01 kr" in Swedish, "0.01 kr" in
    English, and the amounts with the grouping of the language."""
    import io

    from openpyxl import load_workbook

    root = make_data(
        "name: T\nadministrator: Solna\nrounding: 0.01\nmembers: [{kommun: Solna}, "
        "{kommun: Täby}, {kommun: Vallentuna}, {kommun: Vaxholm}]\n",
        {2015: "year: 2015\nlines:\n  - {group: A, name: A, amount: 100000}\nfunding:\n"
               "  - {name: Projektmedel, amount: 20000}\n"},
        {"2014-12-31": "real"},
    )
    texts = {}
    for lang, sheet in (("sv", "Metod"), ("en", "Method")):
        target = root / f"{lang}.xlsx"
        result = runner.invoke(app, ["allocate", "2015", "--data", str(root), "-o", str(target),
                                     "--lang", lang])
        assert result.exit_code == 0, result.stderr
        ws = load_workbook(io.BytesIO(target.read_bytes()))[sheet]
        texts[lang] = [str(c.value) for c in ws["A"] if c.value]
    total_sv = next(t for t in texts["sv"] if "avrundat till" in t)
    assert f"avrundat till 0,01 kr (halvt uppåt): 80{NB}000,00 kr" in total_sv
    assert any("avkortas till 0,01 kr" in t for t in texts["sv"])
    total_en = next(t for t in texts["en"] if "rounded to" in t)
    assert "rounded to 0.01 kr (half up): 80,000.00 kr" in total_en
    assert any("cut to 0.01 kr" in t for t in texts["en"])


def test_explain_writes_fixed_shares_in_the_language(make_data: MakeData,
                                                     runner: CliRunner) -> None:
    root = make_data(
        "name: Test Samverkan\nadministrator: Solna\nkey: fixed\nmembers:\n"
        "  - {kommun: Solna, share: 37.5}\n  - {kommun: Täby, share: 30}\n"
        "  - {kommun: Vallentuna, share: 32.5}\n",
        {2015: "year: 2015\nlines:\n  - {group: A, name: Strateg, amount: 905000}\n"},
        {"2014-12-31": "real"},
    )
    swedish = line_with(lines_of(runner, root, "explain", "2015", "Solna"), "3. ")
    assert swedish == (
        "3. Nyckel: fasta andelar enligt avtalet. Solnas andel är 37,5 %; de närvarande "
        "medlemmarnas andelar summerar till 100 %, så andelen blir 37,5 / 100 = "
        f"37,5000{NB}%.")
    english = line_with(lines_of(runner, root, "explain", "2015", "Solna", "--lang", "en"), "3. ")
    assert "Solna's share is 37.5 %" in english and f"37.5 / 100 = 37.5000{NB}%" in english


@pytest.fixture
def plan_data(tmp_path: Path) -> Path:
    """A copy of the example with a budget for 2016 and plan years 2017-2018."""
    import shutil

    target = tmp_path / "plan"
    shutil.copytree(SRC.parents[1] / "examples" / "koordination-norrort-plan", target)
    return target


def test_plan_table_and_explanation(plan_data: Path, runner: CliRunner) -> None:
    swedish = lines_of(runner, plan_data, "plan", "2016")
    assert cells(line_with(swedish, "Danderyd")) == [
        "Danderyd", sv("43 304 kr"), sv("44 053 kr"), sv("44 889 kr"), sv("1 585 kr"),
        sv("3,66 %")]
    english = lines_of(runner, plan_data, "plan", "2016", "--lang", "en")
    assert cells(line_with(english, "│ Total")) == [
        "Total", f"930,608{NB}kr", f"958,034{NB}kr", f"987,680{NB}kr", f"57,072{NB}kr",
        f"6.13{NB}%"]
    explained = lines_of(runner, plan_data, "explain", "2016", "Danderyd", "--plan")
    assert line_with(explained, "andel:") == (
        f"andel: 4,6533 % → exakt 43{NB}304,00{NB}kr → avgift 43{NB}304{NB}kr")
    assert f"Lönekostnader 3,0{NB}% (2017)" in line_with(explained, "uppräknad")
    explained = lines_of(runner, plan_data, "explain", "2016", "Danderyd", "--plan",
                         "--lang", "en")
    assert line_with(explained, "share: 4") == (
        f"share: 4.6533 % → exact 43,304.00{NB}kr → fee 43,304{NB}kr")
    assert f"Lönekostnader 3.0{NB}% (2017)" in line_with(explained, "indexed to")
