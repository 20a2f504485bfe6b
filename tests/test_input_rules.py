"""What a file seems to say is what kn reads, or it refuses with one line (docs/reference.md
section 2, what kn reads): YAML forms, numbers in text, spreadsheet cells, names and codes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.money import MAX_AMOUNT, parse_amount
from koordination.core.municipalities import lookup, plain_text
from koordination.io.excel import load_budget_xlsx, read_actuals_xlsx_data
from koordination.io.yamlfile import parse_yaml
from tests.conftest import MakeData
from tests.small import NETWORK, POPULATIONS, budget

BUDGET = "year: 2015\nlines:\n  - {group: Lön, name: Lön strateg, amount: 10000}\n"


def allocate(runner: CliRunner, data: Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["allocate", "2015", "--json", "--data", str(data)])
    return result.exit_code, result.stdout, result.stderr


def fees(out: str) -> dict[str, int]:
    return {m["kommun"]: m["fee"] for m in json.loads(out)["members"]}


# --- YAML ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("a: 0100", "0100"), ("a: 1:30", "1:30"), ("a: 1_000", "1_000"), ("a: 0x10", "0x10"),
    ("a: 0o17", "0o17"), ("a: yes", "yes"), ("a: No", "No"), ("a: on", "on"), ("a: off", "off"),
    ("a: y", "y"), ("a: 1e3", "1e3"), ("a: .inf", ".inf"), ("a: 0162", "0162"),
    ("a: 38.46", Decimal("38.46")), ("a: 905.000", Decimal("905.000")),
    ("a: 0.1234567890123456789", Decimal("0.1234567890123456789")), ("a: 905", 905),
    ("a: -5", -5), ("a: true", True), ("a: false", False), ("a: 2015-06-01", date(2015, 6, 1)),
    ("a: " + "9" * 31, "9" * 31), ("a: ~", None),
])
def test_yaml_reads_numbers_and_booleans_only_as_a_person_does(text: str, expected: Any) -> None:
    value = parse_yaml(text, "f.yaml")["a"]
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("text, line, key", [
    ("members: [a]\nname: x\nmembers: [b]\n", 3, "members"),
    ("a:\n  b: 1\n  b: 2\n", 3, "b"),
    ("- {x: 1, x: 2}\n", 1, "x"),
    ("2015: a\n2015: b\n", 2, 2015),
])
@pytest.mark.parametrize("tab", ["", "\t"])
def test_duplicate_keys_are_refused(text: str, line: int, key: object, tab: str) -> None:
    """Both parsers (libyaml, and the pure-Python one a tab sends the text to) refuse."""
    from koordination.core.errors import DataError

    with pytest.raises(DataError) as err:
        parse_yaml(text + (f"# {tab}\n" if tab else ""), "f.yaml")
    assert str(err.value).startswith(f"f.yaml: line {line}: key {key!r} appears twice (also line ")
    assert str(err.value).endswith("keep one: kn never lets a later key silently replace an "
                                   "earlier one")


def test_a_second_members_list_is_refused_not_taken(make_data: MakeData,
                                                    runner: CliRunner) -> None:
    data = make_data(network=NETWORK + "      - kommun: Vallentuna\n    members:\n"
                     "      - kommun: Vallentuna\n",
                     budgets={2015: BUDGET}, populations=POPULATIONS)
    code, out, err = allocate(runner, data)
    assert code == 1 and out == ""
    assert err == (f"error: {data / 'network.yaml'}: line 8: key 'members' appears twice (also "
                   "line 3); keep one: kn never lets a later key silently replace an earlier "
                   "one\n")


@pytest.mark.parametrize("line, expected", [
    ('"905,000"', "'905,000' is ambiguous: 905 000 or 905.000? write 905000 for thousands, or "
                  "905.000 with a decimal point"),
    ("905.001", "'905.001' has 3 decimals; an amount in kronor has at most 2 (öre); round it, "
                "or if the point separates thousands write the number without it"),
    ('"1,234,567"', "'1,234,567' uses separators between thousands; write the number without "
                    "them (905000) or with spaces (905 000), and a decimal comma or point at "
                    "most once"),
    ("1" + "0" * 30, "the amount is larger than 1 000 000 000 000 (no cooperation has such an "
                     "amount); check the digits (got '1000000000000000000000000000000')"),
    ("9" * 5000, "'99999999999999999999'... is too long to be a number"),
    ("1:30", "'1:30' is not a number; write digits, e.g. 905000 or 1234,50"),
    ("yes", "'yes' is not a number; write digits, e.g. 905000 or 1234,50"),
    ("true", "expected a number, got a yes/no value"),
    ("1_000", "'1_000' is not a number; write digits, e.g. 905000 or 1234,50"),
    ("1e3", "'1e3' is not a number; write digits, e.g. 905000 or 1234,50"),
    ("2015-01-01", "expected a number, got date"),
])
def test_amounts_that_are_not_what_they_seem_are_refused(make_data: MakeData, runner: CliRunner,
                                                         line: str, expected: str) -> None:
    data = make_data(network=NETWORK, populations=POPULATIONS, budgets={
        2015: f"year: 2015\nlines:\n  - {{name: Lön, amount: {line}}}\n"})
    code, out, err = allocate(runner, data)
    assert code == 1 and out == ""
    assert err == f"error: {data / 'budgets' / '2015.yaml'}: lines[0].amount: {expected}\n"


@pytest.mark.parametrize("line, total", [
    ('"10 000"', 10000), ('"10\u00a0000"', 10000), ('"9999,50"', 10000), ("0100", 100),
    ('"10000,00"', 10000), ("9999.5", 10000), ('"+10000"', 10000),
])
def test_amounts_a_person_reads_one_way_are_read_that_way(make_data: MakeData, runner: CliRunner,
                                                          line: str, total: int) -> None:
    data = make_data(network=NETWORK, populations=POPULATIONS, budgets={
        2015: f"year: 2015\nlines:\n  - {{name: Lön, amount: {line}}}\n"})
    code, out, err = allocate(runner, data)
    assert code == 0, err
    assert json.loads(out)["total"] == total


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2),
       st.sampled_from([" ", "\u00a0", "\u202f"]), st.booleans())
def test_every_amount_written_the_swedish_way_is_read_exactly(value: Decimal, space: str,
                                                              comma: bool) -> None:
    whole, _, decimals = f"{abs(value):,.2f}".partition(".")
    text = ("-" if value < 0 else "") + whole.replace(",", space) + ("," if comma else ".") \
        + decimals
    assert parse_amount(text, places=2) == value


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_a_comma_before_three_digits_is_always_ambiguous(whole: int, rest: int) -> None:
    with pytest.raises(ValueError, match="is ambiguous"):
        parse_amount(f"{whole},{rest:03d}", places=2)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3,
                   min_value=Decimal("-1e6"), max_value=Decimal("1e6")))
def test_more_decimals_than_ore_are_never_rounded(value: Decimal) -> None:
    if value == value.quantize(Decimal("0.01")):
        return
    with pytest.raises(ValueError, match="has 3 decimals"):
        parse_amount(str(value), places=2)


def test_a_year_written_as_text_is_checked_against_the_file_name(make_data: MakeData,
                                                                 runner: CliRunner) -> None:
    data = make_data(network=NETWORK, populations=POPULATIONS, budgets={
        2015: 'year: "2016"\nlines:\n  - {name: Lön, amount: 100}\n'})
    code, out, err = allocate(runner, data)
    assert code == 1 and out == ""
    assert err == (f"error: {data / 'budgets' / '2015.yaml'}: year: year is 2016 but the file "
                   "is for 2015; make them agree\n")


@pytest.mark.parametrize("joined, expected", [
    ("20150601", "expected a date written YYYY-MM-DD (got '20150601')"),
    ("2015-06-01 12:00:00", "2015-06-01 12:00:00 has a time of day; expected a date written "
                            "YYYY-MM-DD"),
    ('"1/6/2015"', "expected a date written YYYY-MM-DD (got '1/6/2015')"),
    ('"2015-02-30"', "'2015-02-30' is not a day of the calendar; write a date as "
                     "YYYY-MM-DD"),
    ("yes", "expected a date written YYYY-MM-DD (got 'yes')"),
])
def test_dates_are_asked_for_as_yyyy_mm_dd(make_data: MakeData, runner: CliRunner, joined: str,
                                           expected: str) -> None:
    network = NETWORK.replace("- kommun: Vallentuna", f"- {{kommun: Vallentuna, joined: {joined}}}")
    data = make_data(network=network, budgets={2015: BUDGET}, populations=POPULATIONS)
    code, _, err = allocate(runner, data)
    assert code == 1
    assert err == f"error: {data / 'network.yaml'}: members[1].joined: {expected}\n"


# --- names and codes -------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "0115", "V\u200ballentuna", "\u200bVallentuna", "Vallentuna\ufeff", "Valle\u200dntuna",
    "Vallentuna\u200e", "\u00a0Vallentuna kommun",
])
def test_a_member_written_any_way_a_person_reads_as_vallentuna(make_data: MakeData,
                                                               runner: CliRunner,
                                                               written: str) -> None:
    network = NETWORK.replace("- kommun: Vallentuna", f"- kommun: {written}")
    data = make_data(network=network, budgets={2015: BUDGET}, populations=POPULATIONS)
    code, out, err = allocate(runner, data)
    assert code == 0, err
    assert fees(out) == {"Upplands Väsby": 3000, "Vallentuna": 1000, "Österåker": 6000}


@pytest.mark.parametrize("written", ["O\u0308stera\u030aker", "0117", "\ufeffÖsteråker"])
def test_a_decomposed_name_is_the_municipality(make_data: MakeData, runner: CliRunner,
                                               written: str) -> None:
    network = NETWORK.replace("administrator: Österåker", f"administrator: {written}").replace(
        "- kommun: Österåker", f"- kommun: {written}")
    data = make_data(network=network, budgets={2015: BUDGET}, populations=POPULATIONS)
    code, out, err = allocate(runner, data)
    assert code == 0, err
    assert fees(out) == {"Upplands Väsby": 3000, "Vallentuna": 1000, "Österåker": 6000}


def test_an_unquoted_code_with_a_leading_zero_is_that_code() -> None:
    """YAML 1.1 reads 0115 as the octal number 77 and 0162 as 114 (Upplands Väsby's code)."""
    assert parse_yaml("kommun: 0162", "f")["kommun"] == "0162"
    assert lookup(parse_yaml("kommun: 0162", "f")["kommun"]).name == "Danderyd"


@given(st.text(alphabet=st.sampled_from(["\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad",
                                         "\u2060", "\u200e", "\u202e", "\x07"]), max_size=3),
       st.sampled_from(["Värmdö", "Österåker", "Upplands Väsby", "Malung-Sälen"]))
def test_invisible_characters_are_never_part_of_a_name(noise: str, name: str) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", name)
    for text in (noise + decomposed, decomposed + noise, name[:2] + noise + name[2:]):
        assert plain_text(text) == name
        assert lookup(text).name == name


def test_line_names_are_matched_as_a_person_reads_them(make_data: MakeData,
                                                       runner: CliRunner) -> None:
    """An actual line named with a decomposed ö and a zero-width space is the budget's line."""
    data = make_data(network=NETWORK, populations=POPULATIONS,
                     budgets={2015: "year: 2015\nlines:\n  - {name: Lön strateg, amount: 100}\n"},
                     actuals={2015: "year: 2015\nlines:\n  - {name: \"Lo\u0308n\u200b strateg\","
                              " amount: 100}\n"})
    result = runner.invoke(app, ["settle", "2015", "--json", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["difference"] == 0


def test_a_population_no_municipality_has_is_refused(make_data: MakeData,
                                                     runner: CliRunner) -> None:
    data = make_data(network=NETWORK, budgets={2015: BUDGET}, populations=POPULATIONS)
    path = data / "populations" / "2014-12-31.csv"
    path.write_text(path.read_text().replace("0115,Vallentuna,100",
                                             "0115,Vallentuna,1000000000000000000000"))
    code, _, err = allocate(runner, data)
    assert code == 1
    assert err == (f"error: {path}: row 3: folkmangd 10000000000000000000... is more than any "
                   "municipality has (at most 10 000 000); check the digits\n")
    path.write_text(path.read_text().replace("1000000000000000000000", "9" * 5000))
    code, _, err = allocate(runner, data)
    assert code == 1 and err.count("\n") == 1 and "is more than any municipality has" in err


# --- spreadsheets ----------------------------------------------------------------------------

def sheet_book(path: Path, rows: list[list[Any]], formats: dict[str, str] | None = None,
               title: str = "Budget", extra: list[tuple[str, str]] | None = None) -> Path:
    """A workbook with number ``formats`` by cell and ``extra`` sheets (name, visibility)."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for cell, fmt in (formats or {}).items():
        ws[cell].number_format = fmt
    for name, state in extra or []:
        other = book.create_sheet(name)
        other.append(["name", "amount"])
        other.append(["Dold rad", 999999])
        other.sheet_state = state
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_a_percentage_cell_is_read_as_it_shows(tmp_path: Path) -> None:
    path = sheet_book(tmp_path / "2015.xlsx", [
        ["name", "amount", "overhead_percent"], ["Lön strateg", 480000, 0.3846]],
        {"C2": "0.00%"})
    budget_ = load_budget_xlsx(path, year=2015)
    assert budget_.lines[0].overhead_percent == Decimal("38.46")
    assert budget_.lines[0].yearly() == Decimal("480000") * Decimal("1.3846")


@pytest.mark.parametrize("row, formats, where, message", [
    (["Lön", 0.5], {"B2": "0%"}, "Budget!B2 (amount)",
     "the cell shows a percentage (50 %), but amount is not a percentage; format the cell as a "
     "number"),
    (["Lön", date(2015, 1, 5)], {}, "Budget!B2 (amount)",
     "the cell shows a date (2015-01-05), but amount is a number; format the cell as a number"),
])
def test_a_cell_that_shows_something_else_than_its_column_holds(
        tmp_path: Path, row: list[Any], formats: dict[str, str], where: str,
        message: str) -> None:
    from koordination.core.errors import DataError

    path = sheet_book(tmp_path / "2015.xlsx", [["name", "amount"], row], formats)
    with pytest.raises(DataError) as err:
        load_budget_xlsx(path, year=2015)
    assert str(err.value) == f"{path}: {where}: {message}"


def test_a_number_in_a_date_column_is_not_a_date(tmp_path: Path) -> None:
    from koordination.core.errors import DataError

    path = sheet_book(tmp_path / "2015.xlsx", [
        ["year", 2015], ["kind", "name", "amount", "date"],
        ["one_off", "Avveckling", 1200, 42338]], title="Utfall")
    with pytest.raises(DataError) as err:
        read_actuals_xlsx_data(path)
    assert str(err.value) == (f"{path}: Utfall!D3 (date): the cell holds the number 42338, not "
                              "a date; format it as a date or type the date as YYYY-MM-DD")


def test_an_amount_shown_in_whole_kronor_is_read_as_shown(tmp_path: Path) -> None:
    path = sheet_book(tmp_path / "2015.xlsx", [
        ["name", "amount"], ["Lön", 480000.4], ["Hyra", 1234.5], ["Resor", 99.125]],
        {"B2": "#,##0", "B3": "# ##0 kr", "B4": "0.00"})
    lines = load_budget_xlsx(path, year=2015).lines
    assert [line.amount for line in lines] == [Decimal(480000), Decimal(1235), Decimal("99.13")]


def test_an_amount_with_more_decimals_than_shown_in_general_is_refused(tmp_path: Path) -> None:
    from koordination.core.errors import DataError

    path = sheet_book(tmp_path / "2015.xlsx", [["name", "amount"], ["Lön", 1 / 3]])
    with pytest.raises(DataError) as err:
        load_budget_xlsx(path, year=2015)
    assert "Budget!B2 (amount): '0.3333333333333333' has 16 decimals; an amount in kronor " \
           "has at most 2 (öre)" in str(err.value)


def _formula_values(path: Path, values: dict[str, Any]) -> None:
    """Store calculated values next to the formulas, as a spreadsheet program does on save."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, value in values.items():
        sheet = re.sub(rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/>',
                       rf"\1<f>\2</f><v>{value}</v>", sheet)
        sheet = re.sub(rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f>(?!<v)',
                       rf"\1<f>\2</f><v>{value}</v>", sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)


def test_sum_rows_are_never_added_again(tmp_path: Path) -> None:
    """A cooperation's budget as officers keep it: group subtotals and a grand total as
    =SUM formulas of the rows they sum; kn reads the lines only."""
    path = sheet_book(tmp_path / "2015.xlsx", [
        ["group", "name", "amount"],
        ["Lönekostnader", "Lön strateg", 480000],
        ["Lönekostnader", "Sociala avgifter", 150000],
        [None, "Lönekostnader", "=SUM(C2:C3)"],
        ["Lokaler", "Hyra", 36000],
        [None, "S:a lokaler", "=SUBTOTAL(9,C5)"],
        [None, "Totalt", "=SUM(C4,C6)"],
    ])
    _formula_values(path, {"C4": 630000, "C6": 36000, "C7": 666000})
    lines = load_budget_xlsx(path, year=2015).lines
    assert [(line.name, line.amount) for line in lines] == [
        ("Lön strateg", Decimal(480000)), ("Sociala avgifter", Decimal(150000)),
        ("Hyra", Decimal(36000))]


@pytest.mark.parametrize("name", ["Summa", "S:a lönekostnader", "Totalt", "TOTAL:",
                                  "Delsumma lokaler", "Summa kostnader"])
def test_a_row_named_as_a_sum_with_a_typed_number_is_refused(tmp_path: Path, name: str) -> None:
    from koordination.core.errors import DataError

    path = sheet_book(tmp_path / "2015.xlsx", [
        ["name", "amount"], ["Lön strateg", 480000], [name, 480000]])
    with pytest.raises(DataError) as err:
        load_budget_xlsx(path, year=2015)
    assert str(err.value) == (
        f"{path}: Budget!row 3: the row has no kind, and its amount 480000 is the sum of the rows "
        "it closes (row 2), typed rather than computed from them: kn cannot tell a total from a "
        "line here; write line in the kind column of every line (a total's kind stays empty), "
        "or delete the total")


@pytest.mark.parametrize("name", ["Totalförsvarsövning", "Summer camp", "Sommarläger"])
def test_a_line_whose_name_merely_starts_like_a_sum_is_read(tmp_path: Path, name: str) -> None:
    path = sheet_book(tmp_path / "2015.xlsx", [["name", "amount"], [name, 1000]])
    assert load_budget_xlsx(path, year=2015).lines[0].amount == 1000


def test_a_hidden_sheet_is_never_read(tmp_path: Path) -> None:
    from koordination.core.errors import DataError

    path = sheet_book(tmp_path / "a" / "2015.xlsx", [["name", "amount"], ["Lön", 1000]],
                      title="Blad1", extra=[("Budget", "hidden")])
    with pytest.raises(DataError) as err:
        load_budget_xlsx(path, year=2015)
    assert str(err.value) == (f"{path}: Budget: sheet 'Budget' is hidden; kn reads only what "
                              "can be seen: show the sheet (unhide it) and save")
    # a hidden sheet beside the only visible one: the visible one is read
    path = sheet_book(tmp_path / "b" / "2015.xlsx", [["name", "amount"], ["Lön", 1000]],
                      title="Blad1", extra=[("Gammal", "hidden"), ("Äldre", "veryHidden")])
    assert [line.amount for line in load_budget_xlsx(path, year=2015).lines] == [1000]


def test_several_visible_sheets_without_a_budget_sheet_are_refused(tmp_path: Path) -> None:
    from koordination.core.errors import DataError

    path = sheet_book(tmp_path / "2015.xlsx", [["name", "amount"], ["Lön", 1000]],
                      title="Blad1", extra=[("Blad2", "visible")])
    with pytest.raises(DataError) as err:
        load_budget_xlsx(path, year=2015)
    assert str(err.value) == (f"{path}: the workbook has 2 sheets (Blad1, Blad2) and none is "
                              "named 'Budget'; name the sheet to read 'Budget'")


LIBREOFFICE = Path(__file__).parent / "data" / "budget-2015-libreoffice.xlsx"


def test_a_budget_saved_by_libreoffice_is_read_as_its_officer_reads_it(
        shipped_data: Path, runner: CliRunner) -> None:
    """A budget kept the way officers keep one, saved by LibreOffice Calc: the overhead as a
    percentage cell (38,46 %), amounts formatted '# ##0 kr', a subtotal per group
    (=SUM, =SUBTOTAL), a grand total row "Summa", dates as date cells and a hidden sheet of old
    figures. Read: the lines only, 480 000 x 1.3846 + 60 000 + 550 x 4 x 12 + 36 000 -
    100 000 = 687 008 kr."""
    (shipped_data / "budgets" / "2015.yaml").unlink()
    (shipped_data / "budgets" / "2015.xlsx").write_bytes(LIBREOFFICE.read_bytes())
    code, out, err = allocate(runner, shipped_data)
    assert code == 0, err
    assert json.loads(out)["total"] == 687008
    book = shipped_data / "budgets" / "2015.xlsx"
    assert err == f"Budgeten lästes från bladet 'Budget' i {book}.\n"
    result = runner.invoke(app, ["allocate", "2015", "--lang", "en", "--data", str(shipped_data)])
    assert result.exit_code == 0, result.stderr
    assert (f"The budget was read from the sheet 'Budget' of {book}."
            in result.stdout.replace("\n", ""))
    lines = load_budget_xlsx(LIBREOFFICE, year=2015).lines
    assert [line.name for line in lines] == ["Lön strateg", "Externa tjänster",
                                             "Budgetuppföljning", "Lokalkostnader"]
    assert lines[0].overhead_percent == Decimal("38.46")


def test_the_small_budget_still_allocates(make_data: MakeData, runner: CliRunner) -> None:
    data = make_data(network=NETWORK, budgets={2015: budget(2015)}, populations=POPULATIONS)
    code, out, err = allocate(runner, data)
    assert code == 0, err
    assert fees(out) == {"Upplands Väsby": 3000, "Vallentuna": 1000, "Österåker": 6000}
