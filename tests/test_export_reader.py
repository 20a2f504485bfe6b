"""The export reader: real export shapes, names and codes that must agree, figures read as a
person reads them, malformed json-stat, and the generic reader with age bands."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koordination.cli.app import app
from koordination.core.ages import AgeBand
from koordination.core.errors import DataError
from koordination.io.scb.exports import read_population_file, read_statistic_file
from koordination.io.scb.figures import Figure, read_column, read_figure
from koordination.io.scb.jsonstat import JsonStatError, decode_jsonstat
from tests.conftest import DATA, write
from tests.scb_fixtures import jsonstat, reference

KNOWN = ("Statistikdatabasen's CSV or xlsx export (region and year columns), a CSV with "
         "kommunkod and folkmängd columns (such as Kolada's), or json-stat2 from SCB's API")


def expected(year: int) -> bytes:
    return (DATA / "populations" / f"{year}-12-31.csv").read_bytes()


def run_import(runner, data: Path, source: Path, *args: str):  # type: ignore[no-untyped-def]
    data.mkdir(parents=True, exist_ok=True)
    return runner.invoke(app, ["population", "import", str(source), "--data", str(data), *args])


def refused(path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(DataError) as err:
        read_population_file(path, **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in err.value.problems]


# -- real export shapes ------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["region,Population,year", "Region,Population 2024,year",
                                    "region,2024,year", "Kommun,Folkmängd 2024,år"])
def test_english_headers_and_codes_without_leading_zero(runner, tmp_path, header) -> None:  # type: ignore[no-untyped-def]
    # Codes such as 2080 (Falun) or 1980 (Västerås) look like years; they are codes here.
    rows = [header] + [f"{int(code)},{pop},2024" for code, (_, pop) in reference(2024).items()]
    source = write(tmp_path / "export.csv", "\n".join(rows) + "\n")
    result = run_import(runner, tmp_path / "data", source)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "populations" / "2024-12-31.csv").read_bytes() == expected(2024)


def test_a_year_in_the_value_column_heading(tmp_path) -> None:
    source = write(tmp_path / "k.csv", "Kommunkod;Kommun;Folkmängd 2024\n114;Upplands Väsby;50323\n"
                   "2080;Falun;59876\n1980;Västerås;158653\n")
    table = read_population_file(source)
    assert table.year == 2024
    assert table.populations == {"0114": 50323, "1980": 158653, "2080": 59876}


def test_headerless_shape_that_was_taken_for_a_year_is_refused_plainly(tmp_path) -> None:
    # No heading names a code or a figure: the row "2080,59876" is no heading with year 2080.
    source = write(tmp_path / "k.csv", "Kod,Invånare\n2080,59876\n114,50323\n")
    assert refused(source) == [
        f"{source}: not a population table kn knows: found no header with a region and a year "
        f"column, nor kommunkod and folkmängd columns; it reads {KNOWN}"]


def test_kolada_file_through_pandas_is_byte_identical(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = Path(__file__).parent / "data" / "scb" / "kolada_N01951_folkmangd_2024.csv"
    table = read_population_file(source)
    assert table.format == "CSV (comma separated), kommunkod and folkmängd columns"
    assert len(table.populations) == 290 and table.populations["0114"] == 50323
    result = run_import(runner, tmp_path / "data", source)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "populations" / "2024-12-31.csv").read_bytes() == expected(2024)


# -- code and name -----------------------------------------------------------------------------


def test_code_and_name_that_disagree_are_refused(tmp_path) -> None:
    source = write(tmp_path / "k.csv", "kommunkod,kommun,folkmangd,ar\n0114,Upplands Väsby,50323,"
                   "2024\n0162,Solna,33000,2024\n0184,Solna,85000,2024\n")
    assert refused(source) == [
        f"{source}: row 3: the code 0162 is Danderyd's, but the name is 'Solna'; correct the "
        "code or the name"]
    wide = write(tmp_path / "w.csv", '"region","2024"\n"0114 Upplands Väsby",50323\n'
                 '"0162 Solna",33000\n')
    assert refused(wide) == [
        f"{wide}: row 3: the code 0162 is Danderyd's, but the name is 'Solna'; correct the code "
        "or the name"]


def test_names_with_suffixes_agree_with_their_code(tmp_path) -> None:
    source = write(tmp_path / "k.csv", "kommunkod,kommun,folkmangd\n0980,Region Gotland,61000\n"
                   "0180,Stockholms stad,990000\n0114,Upplands-Väsby kommun,50323\n")
    assert read_population_file(source, want_year=2024).populations == {
        "0114": 50323, "0180": 990000, "0980": 61000}


def test_names_are_nfc_and_invisible_characters_are_no_part_of_them(tmp_path) -> None:
    decomposed = unicodedata.normalize("NFD", "Värmdö")
    assert decomposed != "Värmdö"
    source = tmp_path / "k.csv"
    source.write_text(
        "region;folkmängd;år\n"
        f"{decomposed};48000;2024\n"
        "\u00a0Danderyd\u00a0;33000;2024\n"
        "Upplands\u200b Väsby;50323;2024\n"
        "\ufeffSolna;85000;2024\n", encoding="utf-8")
    table = read_population_file(source)
    assert table.populations == {"0114": 50323, "0120": 48000, "0162": 33000, "0184": 85000}


# -- figures -----------------------------------------------------------------------------------


def test_grouped_figures_are_read_as_a_person_reads_them(tmp_path) -> None:
    source = tmp_path / "k.csv"
    source.write_text('kommunkod;folkmangd\n0114;"50 323"\n0115;35\u00a0119\n'
                      '0117;"49,787"\n0120;"46.635"\n', encoding="utf-8")
    # In a column of persons 49,787 and 46.635 can only be thousands.
    table = read_population_file(source, want_year=2024)
    assert table.populations == {"0114": 50323, "0115": 35119, "0117": 49787, "0120": 46635}


def test_an_ambiguous_figure_is_refused(tmp_path) -> None:
    source = write(tmp_path / "k.csv", 'kommunkod;folkmangd\n0114;"1,000"\n0115;35119\n')
    assert refused(source, want_year=2024) == [
        f"{source}: row 2: 0114 Upplands Väsby: population '1,000' could be 1000 or, with a "
        "decimal comma, 1.000; write it without a thousands sign"]


@pytest.mark.parametrize(("text", "message"), [
    ("-5", "population '-5' is negative; no municipality has a figure below 0"),
    ("12345678901", "population 12345678901 is more than any municipality has (at most "
                    "10000000); is it the right column?"),
    ("9" * 5000, "population '" + "9" * 40 + "' has too many digits for a figure of a "
                 "municipality"),
    ("12 34", "population '12 34' is not a number (its thousands are not groups of three)"),
    ("1e3", "population '1e3' is not a number"),
    ("12,5", "population '12,5' is not a whole number of persons"),
])
def test_impossible_figures_are_one_line(runner, tmp_path, text, message) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "k.csv", f'kommunkod;folkmangd;ar\n0114;"{text}";2024\n')
    result = run_import(runner, tmp_path / "data", source)
    assert result.exit_code == 1
    assert result.stderr == f"error: {source}: row 2: 0114 Upplands Väsby: {message}\n"
    assert not (tmp_path / "data" / "populations").exists()


def test_mixed_decimal_signs_are_refused(tmp_path) -> None:
    source = write(tmp_path / "s.csv", 'kommunkod;värde\n0114;"12,5"\n0115;"1.25"\n')
    with pytest.raises(DataError) as err:
        read_statistic_file(source)
    assert [str(p) for p in err.value.problems] == [
        f"{source}: row 2: the figures are written with a decimal comma here but with a decimal "
        "point on row 3; save the table with one decimal sign"]


def test_a_json_integer_of_thousands_of_digits_is_one_line(tmp_path) -> None:
    source = tmp_path / "t.json"
    source.write_text('{"value": [' + "9" * 5000 + "]}", encoding="utf-8")
    assert refused(source) == [
        f"{source}: looks like JSON but holds a number of thousands of digits, which no table "
        "of municipalities has"]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10**12, max_value=10**12), st.integers(min_value=0, max_value=4),
       st.sampled_from([" ", "\u00a0", "\u202f", ".", ","]), st.booleans())
def test_figures_in_every_grouping_are_read_exactly(whole: int, decimals: int, group: str,
                                                    comma: bool) -> None:
    digits = f"{abs(whole):,}".replace(",", "\x00")
    sign = "," if comma else "."
    if group == sign:
        group = " "
    fraction = str(abs(whole) % 10 ** decimals).zfill(decimals) if decimals else ""
    text = ("-" if whole < 0 else "") + digits.replace("\x00", group) + \
        (sign + fraction if decimals else "")
    value = Decimal(f"{'-' if whole < 0 else ''}{abs(whole)}{'.' + fraction if decimals else ''}")
    evidence = Figure("r2", "1" + sign + "5")  # the column shows its decimal sign
    values, problems = read_column([Figure("r1", text), evidence])
    assert problems == []
    assert values[0] == value


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.booleans())
def test_any_text_is_a_reading_or_a_reason(text: str, machine: bool) -> None:
    reading = read_figure(text, machine)
    assert (reading.value is not None) + (reading.ambiguous is not None) + \
        (reading.problem is not None) == 1


# -- malformed json-stat -----------------------------------------------------------------------


def good_doc() -> dict[str, object]:
    return jsonstat("TAB638", {"0114": ("Upplands Väsby", 44605), "0162": ("Danderyd", 32000)},
                    "2017")


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(status=5), "'status' is neither a text, a list nor an object"),
    (lambda d: d.update(status={"x": ".."}), "'status' has a key 'x' that is no cell number"),
    (lambda d: d.update(role="time"), "'role' is not an object"),
    (lambda d: d.update(role={"time": "Tid"}), "role 'time' is not a list of dimension ids"),
    (lambda d: d.update(role={"time": ["Nope"]}), "role 'time' names 'Nope', which is no "
                                                  "dimension"),
    (lambda d: d["dimension"]["Region"]["category"].update(label=["a", "b"]),
     "the labels of dimension 'Region' is not an object"),
    (lambda d: d["dimension"]["Region"].update(label={"sv": "region"}),
     "the label of dimension 'Region' is not a text"),
    (lambda d: d.update(label=["x"]), "the dataset's 'label' is not a text"),
    (lambda d: d.update(size=["2", 1, 1]), "an entry of 'size' is not a whole number of "
                                           "categories"),
    (lambda d: d["dimension"]["Region"]["category"].update(index={"0114": "a", "0162": 1}),
     "the index of dimension 'Region' gives a position that is not a whole number"),
])
def test_malformed_jsonstat_is_said_in_user_terms(runner, tmp_path, change, message) -> None:  # type: ignore[no-untyped-def]
    doc = good_doc()
    change(doc)
    source = tmp_path / "t.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    result = run_import(runner, tmp_path / "data", source)
    assert result.exit_code == 1
    assert result.stderr == f"error: {source}: not json-stat2: {message}; kn reads {KNOWN}\n"


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5)
                    | st.floats(allow_nan=False),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=12),
       st.sampled_from(["status", "role", "label", "value", "size", "id", "note", "extension"]))
def test_any_part_of_any_type_is_a_jsonstat_error_or_a_dataset(part: object, key: str) -> None:
    doc = good_doc()
    doc[key] = part
    try:
        decode_jsonstat(doc)
    except JsonStatError:
        pass


# -- the generic reader: any statistic, decimals, age bands ------------------------------------


AGES = [f"{a} år" for a in range(100)] + ["100+ år"]


def by_age_rows(ages: list[str], figures: dict[str, int]) -> str:
    """SCB's Statistikdatabasen export "Folkmängd efter region, ålder och år": one row per
    municipality and age; a municipality's figure at age a is its base + a."""
    lines = ['"Folkmängden efter region, ålder och år"', "",
             '"region","ålder","2024"', '"00 Riket","totalt ålder",1']
    for region, base in figures.items():
        lines.append(f'"{region}","totalt ålder",{base * 1000}')
        lines += [f'"{region}","{age}",{base + i}' for i, age in enumerate(ages)]
    lines += ["", '"Källa: SCB"']
    return "\r\n".join(lines) + "\r\n"


def test_an_age_band_sums_the_ages_of_rows(tmp_path) -> None:
    source = write(tmp_path / "age.csv", by_age_rows(AGES, {"0114 Upplands Väsby": 100,
                                                           "0162 Danderyd": 50}))
    table = read_statistic_file(source, ages=AgeBand.parse("16-64"))
    # ages 16..64: 49 ages, base + age each
    assert table.values == {"0114": Decimal(49 * 100 + sum(range(16, 65))),
                            "0162": Decimal(49 * 50 + sum(range(16, 65)))}
    assert table.year == 2024 and table.ages == AgeBand(16, 64)
    assert table.format == "CSV (comma separated), region by year, by age"
    old = read_statistic_file(source, ages=AgeBand.parse("65+"))
    assert old.values["0114"] == Decimal(36 * 100 + sum(range(65, 101)))  # 65..99 and 100+


def test_without_a_band_a_table_by_age_needs_every_age(tmp_path) -> None:
    source = write(tmp_path / "age.csv", by_age_rows(AGES[:3], {"0114 Upplands Väsby": 1}))
    assert refused(source) == [
        f"{source}: the file's ages in the band 0+ (0 år to 2 år) do not cover it: no figures "
        "for ages 3-100, and over; export every age of the band"]


def test_ages_that_do_not_cover_the_band_are_one_line(tmp_path) -> None:
    source = write(tmp_path / "age.csv", by_age_rows(AGES[:20], {"0114 Upplands Väsby": 1}))
    with pytest.raises(DataError) as err:
        read_statistic_file(source, ages=AgeBand.parse("16-64"))
    assert [str(p) for p in err.value.problems] == [
        f"{source}: the file's ages in the band 16-64 (16 år to 19 år) do not cover it: no "
        "figures for ages 20-64; export every age of the band"]
    with pytest.raises(DataError) as err:
        read_statistic_file(source, ages=AgeBand.parse("65+"))
    assert str(err.value.problems[0]) == (
        f"{source}: the file's ages in the band 65+ (none) do not cover it: no figures for "
        "ages 65-100, and over; export every age of the band")


def test_a_municipality_without_one_age_is_named(tmp_path) -> None:
    text = by_age_rows(AGES, {"0114 Upplands Väsby": 1, "0162 Danderyd": 2})
    text = text.replace('"0162 Danderyd","30 år",32\r\n', "")
    source = write(tmp_path / "age.csv", text)
    with pytest.raises(DataError) as err:
        read_statistic_file(source, ages=AgeBand.parse("16-64"))
    assert [str(p) for p in err.value.problems] == [
        f"{source}: 0162 Danderyd has no figure for 30 år; export every age of the band 16-64"]


def test_ages_as_columns_and_age_groups(tmp_path) -> None:
    source = write(tmp_path / "cols.csv",
                   "region;år;0-15 år;16-19 år;20-64 år;65+ år\n"
                   "0114 Upplands Väsby;2024;9000;2000;30000;9323\n"
                   "0162 Danderyd;2024;7000;1500;17000;6795\n")
    table = read_statistic_file(source, ages=AgeBand.parse("16-64"))
    assert table.values == {"0114": Decimal(32000), "0162": Decimal(18500)}
    assert table.year == 2024
    straddles = read_statistic_file
    with pytest.raises(DataError) as err:
        straddles(source, ages=AgeBand.parse("18-64"))
    assert str(err.value.problems[0]) == (
        f"{source}: row 2: the age group '16-19 år' is partly in the band 18-64 and partly "
        "outside; export single years of age")
    # without --age, every age: the whole population
    assert read_population_file(source).populations == {"0114": 50323, "0162": 32295}


def test_a_statistic_with_decimals_and_a_named_column(tmp_path) -> None:
    source = tmp_path / "kolada.csv"
    source.write_text("Kommun-ID;Kommun;År;Skattesats;Värde\n"
                      '0114;Upplands Väsby;2024;"20,17";1\n'
                      '0162;Danderyd;2024;"18,79";2\n'
                      '0184;Solna;2024;"17,12";3\n', encoding="latin-1")
    table = read_statistic_file(source, column="skattesats")
    assert table.values == {"0114": Decimal("20.17"), "0162": Decimal("18.79"),
                            "0184": Decimal("17.12")}
    assert table.year == 2024 and table.column == "Skattesats"
    assert read_statistic_file(source).values["0184"] == Decimal(3)  # the Värde column
    with pytest.raises(DataError) as err:
        read_statistic_file(source, column="medelålder")
    assert str(err.value.problems[0]) == (
        f"{source}: row 1: the table has no column 'medelålder' (its columns: Kommun-ID, Kommun, "
        "År, Skattesats, Värde); name one of them")


def test_a_statistic_from_xlsx_keeps_the_stored_decimals(tmp_path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Medelålder efter region och år"])
    ws.append(["region", 2024])
    ws.append(["0114 Upplands Väsby", 39.4])
    ws.append(["0162 Danderyd", 1.234])  # a stored number: its point is a decimal point
    wb.save(tmp_path / "m.xlsx")
    table = read_statistic_file(tmp_path / "m.xlsx")
    assert table.values == {"0114": Decimal("39.4"), "0162": Decimal("1.234")}
    assert table.year == 2024


@pytest.mark.parametrize(("text", "message"), [
    ("64-16", "'64-16' ends before it starts; write FROM-TO (such as 16-64)"),
    ("sixteen", "'sixteen' is not an age band FROM-TO (such as 16-64 or 65+)"),
])
def test_age_band_texts(text: str, message: str) -> None:
    assert AgeBand.parse("16-64") == AgeBand(16, 64)
    assert AgeBand.parse("65+") == AgeBand.parse("65-") == AgeBand(65, None)
    assert str(AgeBand(65, None)) == "65+"
    with pytest.raises(ValueError) as err:
        AgeBand.parse(text)
    assert str(err.value) == message


def test_a_band_on_a_table_not_by_age_is_refused(tmp_path) -> None:
    source = write(tmp_path / "k.csv", "kommunkod,folkmangd,ar\n0114,50323,2024\n")
    with pytest.raises(DataError) as err:
        read_statistic_file(source, ages=AgeBand(16, 64))
    assert str(err.value.problems[0]) == (
        f"{source}: the table is not by age, so kn cannot sum the ages 16-64; export the table "
        "by age (ålder)")


# -- xlsx goes through the zip check -----------------------------------------------------------


def test_an_xlsx_export_with_entities_is_refused_before_pandas_reads_it(tmp_path) -> None:
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["region", "2024"])
    wb.save(tmp_path / "ok.xlsx")
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(tmp_path / "ok.xlsx") as src, zipfile.ZipFile(bad, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
            out.writestr(info, data)
    assert refused(bad) == [
        f"{bad}: part 'xl/worksheets/sheet1.xml' declares an XML document type or entities, "
        "which spreadsheet programs never write; refused (possible entity-expansion attack)"]


def test_a_line_of_too_many_cells_is_refused_before_it_is_read(tmp_path) -> None:
    source = write(tmp_path / "k.csv", "kommunkod,folkmangd\n0114," + "," * 1500 + "\n")
    assert refused(source, want_year=2024) == [
        f"{source}: row 2: a line of 1502 cells; a table of municipalities has at most 1000 "
        "columns (is it the right file?)"]


def test_a_year_column_that_contradicts_the_heading(tmp_path) -> None:
    source = write(tmp_path / "k.csv", "region,Folkmängd 2024,year\n114,50323,2023\n")
    assert refused(source) == [
        f"{source}: the column 'Folkmängd 2024' holds figures for 2024, but the column 'year' "
        "says 2023; export one year"]


def test_jsonstat_decimals_are_exact(tmp_path) -> None:
    source = tmp_path / "t.json"
    text = json.dumps(jsonstat("TAB1", {"0114": ("Upplands Väsby", 1), "0162": ("Danderyd", 2)},
                               "2024"))
    source.write_text(text.replace('"value": [1, 2]', '"value": [20.17, 0.1]'), "utf-8")
    table = read_statistic_file(source)
    assert table.values == {"0114": Decimal("20.17"), "0162": Decimal("0.1")}
    assert refused(source) == [
        f"{source}: Region 0114: 0114 Upplands Väsby: population '20.17' is not a whole number "
        "of persons",
        f"{source}: Region 0162: 0162 Danderyd: population '0.1' is not a whole number of "
        "persons"]


def test_riket_is_left_out_once_in_a_table_by_age(tmp_path) -> None:
    text = by_age_rows(AGES, {"00 Riket": 5, "0114 Upplands Väsby": 1})
    table = read_statistic_file(write(tmp_path / "age.csv", text), ages=AgeBand(0, None))
    assert table.left_out == ("00 Riket",)
    assert table.values == {"0114": Decimal(101 + sum(range(101)))}


def test_an_xlsx_export_with_a_formula_never_calculated_is_refused(tmp_path) -> None:
    """A workbook written by a program holds the formula but not its value: kn cannot know
    what a spreadsheet would show, so it refuses the cell (it was once a missing figure)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Folkmängd efter region och år"])
    ws.append(["region", "2024"])
    ws.append(["0114 Upplands Väsby", 50323])
    ws.append(["0162 Danderyd", "=B3-17898"])
    wb.save(tmp_path / "f.xlsx")
    assert refused(tmp_path / "f.xlsx") == [
        f"{tmp_path / 'f.xlsx'}: B4: formula =B3-17898 has no calculated value (the file was "
        "written by a program and never opened in a spreadsheet); open it in Excel or "
        "LibreOffice and save it, or type the number"]
