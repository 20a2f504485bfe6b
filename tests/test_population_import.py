"""``kn population import``: each format gives the snapshot SCB's figures give, byte for byte;
every bad input is one line and exit 1, with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from koordination.cli.app import app
from koordination.io.files import run_lock
from koordination.io.scb.exports import (
    decode_jsonstat,
    populations_from_jsonstat,
    read_population_file,
)
from tests.conftest import DATA, ROOT, write
from tests.scb_fixtures import jsonstat, reference, scb_web_csv, scb_xlsx, tab638

TESTDATA = ROOT / "tests" / "data"
NETWORK = """
name: Test
administrator: Danderyd
members:
  - kommun: Danderyd
  - kommun: Upplands Väsby
"""


def run_import(runner, data: Path, source: Path, *args: str):  # type: ignore[no-untyped-def]
    data.mkdir(parents=True, exist_ok=True)
    return runner.invoke(app, ["population", "import", str(source), "--data", str(data), *args])


def expected(year: int) -> bytes:
    return (DATA / "populations" / f"{year}-12-31.csv").read_bytes()


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("latin-1", ",", False), ("utf-8", ";", True), ("utf-8", "\t", False),
     ("utf-8", ",", False)],
)
def test_scb_web_csv(runner, tmp_path, encoding, delimiter, bom) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "BE0101N1.csv"
    raw = scb_web_csv(2017, delimiter).encode(encoding)
    source.write_bytes((b"\xef\xbb\xbf" if bom else b"") + raw)
    result = run_import(runner, tmp_path / "data", source)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "populations" / "2017-12-31.csv").read_bytes() == expected(2017)
    assert result.stdout.startswith(
        f"Skrev {tmp_path / 'data' / 'populations' / '2017-12-31.csv'}: 290 kommuner, "
        "10\u00a0120\u00a0242 invånare, referensdatum 2017-12-31")
    assert "2 rader för riket och län utelämnade" in result.stdout
    english = run_import(runner, tmp_path / "data", source, "--lang", "en")
    assert english.stdout.startswith("unchanged, already holds these figures: ")
    assert "290 municipalities, 10,120,242 inhabitants" in english.stdout
    assert "2 rows for Riket and counties left out" in english.stdout


def test_scb_xlsx_export(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = scb_xlsx(tmp_path / "BE0101N1.xlsx", 2016)
    result = run_import(runner, tmp_path / "data", source)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "populations" / "2016-12-31.csv").read_bytes() == expected(2016)


def test_kolada_csv(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run_import(runner, tmp_path / "data", TESTDATA / "scb" /
                        "kolada_N01951_folkmangd_2024.csv")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "populations" / "2024-12-31.csv").read_bytes() == expected(2024)
    assert "10\u00a0587\u00a0710 invånare" in result.stdout


def test_codes_without_leading_zero(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = ["Kommunkod;Kommun;Folkmängd"]
    rows += [f"{int(code)};{name};{pop}" for code, (name, pop) in reference(2015).items()]
    source = write(tmp_path / "kommuner.csv", "\n".join(rows) + "\n")
    result = run_import(runner, tmp_path / "data", source, "--date", "2015-12-31")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "populations" / "2015-12-31.csv").read_bytes() == expected(2015)


def test_long_table_with_several_years_takes_the_date_year(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = ["kommunkod,kommun,ar,folkmangd"]
    for year in (2018, 2019):
        rows += [f"{c},{n},{year},{p}" for c, (n, p) in reference(year).items()]
    source = write(tmp_path / "several.csv", "\n".join(rows) + "\n")
    result = run_import(runner, tmp_path / "data", source, "--date", "2019-12-31")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "populations" / "2019-12-31.csv").read_bytes() == expected(2019)
    result = run_import(runner, tmp_path / "data", source)
    assert result.exit_code == 1
    assert result.stderr == (f"error: {source}: the file holds figures for 2018, 2019; choose "
                             "one with --date YYYY-MM-DD (e.g. --date 2019-12-31)\n")


def test_jsonstat2_tab638(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "TAB638.json"
    source.write_text(json.dumps(tab638(2014)), encoding="utf-8")
    result = run_import(runner, tmp_path / "data", source)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "populations" / "2014-12-31.csv").read_bytes() == expected(2014)
    assert "json-stat2 (TAB638)" in result.stdout


def test_jsonstat2_tab1267_is_dated_1_november(tmp_path) -> None:
    # Made-up figures: the shape of SCB's 1 November table, not its numbers.
    doc = jsonstat("TAB1267", {"0114": ("Upplands Väsby", 1000), "0162": ("Danderyd", 2000)},
                   "2012", content=("BE0101N3", "Folkmängd 1 november"))
    source = tmp_path / "TAB1267.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    table = read_population_file(source)
    assert table.populations == {"0114": 1000, "0162": 2000}
    assert str(table.reference_date(None, "f")) == "2012-11-01"


def test_jsonstat2_tab5557_with_cell_key_note(tmp_path) -> None:
    # Made-up figures in TAB5557's shape (the table from 2025 on).
    doc = jsonstat("TAB5557", {"00": ("Riket", 3000), "0114": ("Upplands Väsby", 1001),
                               "0162": ("Danderyd", 1999)}, "2025",
                   content=("000007V8", "Folkmängd"), extra={"Kon": ("TotSa", "totalt")},
                   notes=["Från och med referensåret 2025 ... slumpmässig osäkerhet ..."])
    table = populations_from_jsonstat(doc, "TAB5557.json")
    assert table.populations == {"0114": 1001, "0162": 1999}
    assert table.left_out == ("00 Riket",)
    assert table.year == 2025


def test_real_saved_response_decodes() -> None:
    doc = json.loads((TESTDATA / "scb-api" / "TAB6471_data.json").read_text("utf-8"))
    data = decode_jsonstat(doc)
    assert [d.id for d in data.dimensions] == ["Region", "Alder", "Kon", "ContentsCode", "Tid"]
    assert data.table_id == "TAB6471"
    cells = {(c["Region"], c["Alder"], c["Kon"], c["Tid"]): v for c, v, _ in data.cells()}
    assert cells[("01", "0-9", "TotSa", "2026M01")] == 245284
    assert cells[("01", "0-9", "1", "2026M01")] == 125373
    assert len(cells) == 21 * 11 * 3 * 4
    # A county table split by age is not a municipal snapshot: said in one line.
    with pytest.raises(Exception) as err:
        populations_from_jsonstat(doc, "TAB6471_data.json")
    assert str(err.value) == ("TAB6471_data.json: the table is split by Alder (11 values: 0-9, "
                              "10-19, 20-29, 30-39, ...); select its total only")


def test_real_v1_response_decodes() -> None:
    doc = json.loads((TESTDATA / "scb-api" / "BefolkningNy_v1_jsonstat.json").read_text("utf-8"))
    data = decode_jsonstat(doc)
    assert data.table_id == "TAB638"
    cells = {(c["Civilstand"], c["Kon"], c["Tid"]): v for c, v, _ in data.cells()}
    assert cells[("OG", "1", "2015")] == 2762601
    assert cells[("SK", "2", "2017")] == 553226
    with pytest.raises(Exception) as err:
        populations_from_jsonstat(doc, "v1.json")
    assert "no Region dimension" in str(err.value)


def test_metadata_response_decodes_without_values() -> None:
    doc = json.loads((TESTDATA / "scb-api" / "TAB6471_metadata.json").read_text("utf-8"))
    meta = decode_jsonstat(doc, with_values=False)
    region = meta.dimension("Region")
    assert len(region.codes) == 312 and region.labels["0114"] == "Upplands Väsby"
    assert meta.dimension("Alder").extension["elimination"] is False


# -- refusing to overwrite ---------------------------------------------------------------------


def test_same_figures_again_is_unchanged_and_different_ones_are_refused(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    source = tmp_path / "a.csv"
    source.write_text(scb_web_csv(2017), encoding="utf-8")
    assert run_import(runner, data, source).exit_code == 0
    again = run_import(runner, data, source)
    assert again.exit_code == 0
    assert again.stdout.startswith("Oförändrad, innehåller redan dessa siffror:")
    changed = source.read_text("utf-8").replace('"0114 Upplands Väsby",44605',
                                                '"0114 Upplands Väsby",44600')
    assert changed != source.read_text("utf-8")
    source.write_text(changed, encoding="utf-8")
    target = data / "populations" / "2017-12-31.csv"
    refused = run_import(runner, data, source)
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"error: {target}: exists with different numbers for 1 municipality; run again with "
        "--force to replace it\n"
        f"error: {target}: 0114 Upplands Väsby: 44605 in the snapshot, 44600 in the new figures "
        "(-5)\n")
    assert target.read_bytes() == expected(2017)
    forced = run_import(runner, data, source, "--force")
    assert forced.exit_code == 0
    assert forced.stdout.startswith(f"Ersatte (ändrade kommuner: 1) {target}")
    assert b"0114,Upplands V\xc3\xa4sby,44600\n" in target.read_bytes()


def test_many_differences_are_capped(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(scb_web_csv(2017), encoding="utf-8")
    b.write_text(scb_web_csv(2018).replace('"2018"', '"2017"'), encoding="utf-8")
    assert run_import(runner, data, a).exit_code == 0
    refused = run_import(runner, data, b)
    lines = refused.stderr.splitlines()
    assert refused.exit_code == 1
    assert lines[0].endswith("exists with different numbers for 289 municipalities; run again "
                             "with --force to replace it")
    assert len(lines) == 22
    assert lines[-1].endswith(": ... and 269 more")


def test_a_second_run_holding_the_lock_is_refused(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    source = tmp_path / "a.csv"
    source.write_text(scb_web_csv(2017), encoding="utf-8")
    with run_lock(data):
        result = run_import(runner, data, source)
    assert result.exit_code == 1
    assert result.stderr == (f"error: {data}: another kn run is writing in this data directory; "
                             "wait for it to finish and run again\n")
    assert not (data / "populations" / "2017-12-31.csv").exists()


# -- bad input: one line each ------------------------------------------------------------------


KNOWN = ("Statistikdatabasen's CSV or xlsx export (region and year columns), a CSV with "
         "kommunkod and folkmängd columns (such as Kolada's), or json-stat2 from SCB's API")


def bad(runner, tmp_path, text: str | bytes, *args: str, name: str = "in.csv",  # type: ignore[no-untyped-def]
        network: bool = False):
    source = tmp_path / name
    if isinstance(text, bytes):
        source.write_bytes(text)
    else:
        source.write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    if network:
        write(data / "network.yaml", NETWORK)
    result = run_import(runner, data, source, *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert not list((data / "populations").glob("*.csv")) if (data / "populations").exists() \
        else True
    return result.stderr, source


def test_unknown_format(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    err, source = bad(runner, tmp_path, "Hej!\nDet här är ett brev.\n", name="brev.txt")
    assert err == (f"error: {source}: not a population table kn knows: found no header with a "
                   f"region and a year column, nor kommunkod and folkmängd columns; it reads "
                   f"{KNOWN}\n")
    err, source = bad(runner, tmp_path, b"\xd0\xcf\x11\xe0\x00\x00binary", name="old.xls")
    assert err == f"error: {source}: not a population table kn knows; it reads {KNOWN}\n"


def test_region_that_is_no_municipality(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    err, source = bad(runner, tmp_path, '"region","2017"\n"0114 Upplands Väsby",44605\n'
                      '"0199 Påhittad",100\n"Upplands Vasbyy",5\n')
    assert err == (
        f"error: {source}: row 3: region '0199 Påhittad' is no municipality: 0199 is not an SCB "
        "code of any of Sweden's 290 municipalities\n"
        f"error: {source}: row 4: region 'Upplands Vasbyy' is no municipality (did you mean "
        "Upplands Väsby?)\n")


def test_same_municipality_twice_with_different_numbers(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    err, source = bad(runner, tmp_path, "kommunkod,folkmangd\n0114,44605\n0162,32000\n"
                      "114,44606\n0162,32000\n", "--date", "2017-12-31")
    assert err == (f"error: {source}: row 4: 0114 Upplands Väsby appears twice with different "
                   "numbers: 44605 (row 2) and 44606; keep one\n")


@pytest.mark.parametrize("mark", ["..", "-"])
def test_missing_value_mark_for_a_member(runner, tmp_path, mark) -> None:  # type: ignore[no-untyped-def]
    err, source = bad(runner, tmp_path, f'"region","2017"\n"0114 Upplands Väsby","{mark}"\n'
                      '"0162 Danderyd",32000\n"0115 Vallentuna",".."\n', network=True)
    assert err == (f"error: {source}: row 2: 0114 Upplands Väsby has SCB's mark for a missing "
                   "value ('..' or '-') and is a member; use a table with its figure\n")


def test_missing_value_mark_for_a_non_member_is_left_out(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "in.csv", '"region","2017"\n"0114 Upplands Väsby",44605\n'
                   '"0162 Danderyd",32000\n"0115 Vallentuna",".."\n')
    data = tmp_path / "data"
    write(data / "network.yaml", NETWORK)
    result = run_import(runner, data, source)
    assert result.exit_code == 0, result.stderr
    assert (data / "populations" / "2017-12-31.csv").read_text("utf-8") == (
        "kommunkod,kommun,folkmangd\n0114,Upplands Väsby,44605\n0162,Danderyd,32000\n")


def test_member_missing_from_the_file(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    err, source = bad(runner, tmp_path, '"region","2017"\n"0114 Upplands Väsby",44605\n',
                      network=True)
    assert err == (f"error: {source}: 0162 Danderyd is a member but not in the file; use a table "
                   "of all municipalities (or at least every member)\n")


def test_year_that_contradicts_date(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    err, source = bad(runner, tmp_path, '"region","2017"\n"0114 Upplands Väsby",44605\n',
                      "--date", "2018-12-31")
    assert err == (f"error: {source}: the file holds figures for 2017, not for 2018; choose a "
                   "year the file has with --date\n")
    source2 = tmp_path / "k.csv"
    source2.write_text("kommunkod,folkmangd,ar\n0114,50323,2024\n", encoding="utf-8")
    result = run_import(runner, tmp_path / "data", source2, "--date", "2024-11-01")
    assert result.exit_code == 0  # the year agrees; the date says which day


def test_no_year_needs_date(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    err, source = bad(runner, tmp_path, "kommunkod,folkmangd\n0114,44605\n")
    assert err == (f"error: {source}: the file names no year; give the reference date with "
                   "--date YYYY-MM-DD\n")


def test_bad_date_is_a_command_line_error(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "in.csv", "kommunkod,folkmangd\n0114,44605\n")
    result = run_import(runner, tmp_path / "data", source, "--date", "31/12/2017")
    assert result.exit_code == 2
    assert "'31/12/2017' is not a date; write it as YYYY-MM-DD" in " ".join(
        result.stderr.split())


def test_data_directory_must_exist(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = write(tmp_path / "in.csv", "kommunkod,folkmangd,ar\n0114,44605,2017\n")
    result = runner.invoke(app, ["population", "import", str(source), "--data",
                                 str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {tmp_path / 'nope'}: data directory not found; give --data "
                             "DIR or set KN_DATA (create the directory for a new cooperation)\n")


def test_xlsx_with_unnamed_region_column(tmp_path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Folkmängd efter region och år"])
    ws.append([None, "2019"])
    for code, (name, pop) in reference(2019).items():
        ws.append([f"{code} {name}", pop])
    wb.save(tmp_path / "t.xlsx")
    table = read_population_file(tmp_path / "t.xlsx")
    assert table.year == 2019
    assert table.populations == {c: p for c, (_, p) in reference(2019).items()}


def test_jsonstat2_missing_value_for_a_member(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = jsonstat("TAB638", {"0114": ("Upplands Väsby", None), "0162": ("Danderyd", 32000)},
                   "2017", status={"0114": ".."})
    source = tmp_path / "t.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    data = tmp_path / "data"
    write(data / "network.yaml", NETWORK)
    result = run_import(runner, data, source)
    assert result.exit_code == 1
    assert result.stderr == (f"error: {source}: Region 0114: 0114 Upplands Väsby has SCB's mark "
                             "for a missing value ('..' or '-') and is a member; use a table "
                             "with its figure\n")


def test_an_invalid_existing_snapshot_needs_force(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    target = write(data / "populations" / "2017-12-31.csv", "kommun,antal\nDanderyd,1\n")
    source = tmp_path / "a.csv"
    source.write_text(scb_web_csv(2017), encoding="utf-8")
    refused = run_import(runner, data, source)
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"error: {target}: exists but is not a valid snapshot (header is 'kommun,antal'; expected "
        "kommunkod,kommun,folkmangd (use 'kn population import' for SCB exports)); run again "
        "with --force to replace it\n")
    assert run_import(runner, data, source, "--force").exit_code == 0
    assert target.read_bytes() == expected(2017)
