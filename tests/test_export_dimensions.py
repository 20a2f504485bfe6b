"""SCB and Kolada exports as tables with dimensions: a sex dimension is summed (a totalt beside
it must equal the sum), an age dimension is summed over the band (every age without one), two
contents for one time are refused unless --column names one; a column is never taken because
it comes first. And a snapshot row whose code and name disagree is refused.

The totals are SCB's published figures of 31 December 2024 (``data/populations/``). SCB's
split by sex is not in the reference collection: the splits here are CONSTRUCTED (män = the
total // 2, kvinnor = the rest), so that only their sum, the real total, is real."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.errors import DataError
from koordination.io.populations import read_snapshot
from koordination.io.scb.exports import read_population_file
from koordination.io.statistics import read_statistic
from tests.conftest import write
from tests.scb_fixtures import reference

REAL = {code: reference(2024)[code] for code in ("0114", "0162", "0184")}
TOTALS = {code: pop for code, (_, pop) in REAL.items()}


def split(total: int) -> tuple[int, int]:
    """A constructed split by sex whose sum is the real total."""
    return total // 2, total - total // 2


def wide(header: list[str], *, total: str = "sum", tail: list[int] | None = None) -> str:
    """Statistikdatabasen's CSV by region with one column per sex (and perhaps a totalt)."""
    lines = ['"Folkmängd efter region, kön och år"', "",
             ",".join(f'"{h}"' for h in header)]
    for code, (name, pop) in REAL.items():
        men, women = split(pop)
        cells = [men, women]
        if len(header) == 4:
            cells.append(pop if total == "sum" else pop + 1)
        lines.append(",".join([f'"{code} {name}"', *map(str, cells)]))
    return "\r\n".join(lines) + "\r\n"


def refused(path: Path, **kwargs: Any) -> list[str]:
    with pytest.raises(DataError) as err:
        read_population_file(path, **kwargs)
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize("header", [
    ["region", "män 2024", "kvinnor 2024"],
    ["region", "2024 men", "2024 women"],
    ["Region", "Män 2024", "Kvinnor 2024", "Totalt 2024"],
    ["region", "men 2024", "women 2024", "both sexes 2024"],
])
def test_a_table_by_sex_in_columns_is_summed(tmp_path: Path, header: list[str]) -> None:
    source = write(tmp_path / "kon.csv", wide(header))
    table = read_population_file(source)
    assert table.populations == TOTALS
    assert table.format == "CSV (comma separated), region by year, by sex"


def test_a_table_by_sex_in_an_xlsx_export_is_summed(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Folkmängd efter region, kön och år"])
    ws.append([])
    ws.append(["region", "män 2024", "kvinnor 2024"])
    for code, (name, pop) in REAL.items():
        ws.append([f"{code} {name}", *split(pop)])
    wb.save(tmp_path / "kon.xlsx")
    assert read_population_file(tmp_path / "kon.xlsx").populations == TOTALS


def test_a_totalt_column_that_is_not_the_sum_is_refused(tmp_path: Path) -> None:
    source = write(tmp_path / "kon.csv",
                   wide(["region", "män 2024", "kvinnor 2024", "totalt 2024"], total="off"))
    assert refused(source) == [
        f"{source}: row 4: 0114 Upplands Väsby: the totalt 50324 is not the sum of män + "
        "kvinnor (50323); export the table again",
        f"{source}: row 5: 0162 Danderyd: the totalt 32426 is not the sum of män + kvinnor "
        "(32425); export the table again",
        f"{source}: row 6: 0184 Solna: the totalt 85790 is not the sum of män + kvinnor "
        "(85789); export the table again",
    ]


def test_one_sex_alone_is_refused(tmp_path: Path) -> None:
    source = write(tmp_path / "kon.csv", wide(["region", "män 2024", "totalt 2024"]))
    assert refused(source) == [
        f"{source}: the columns for 2024 ('män 2024', 'totalt 2024') are not one for män and "
        "one for kvinnor; export the table by sex with both, or its total only"]


@pytest.mark.parametrize("words", [("män", "kvinnor", "totalt"), ("men", "women", "total"),
                                   ("1", "2", "1+2")])
def test_a_table_by_sex_in_rows_is_summed(tmp_path: Path, words: tuple[str, str, str]) -> None:
    lines = ['"region","kön","2024"']
    for code, (name, pop) in REAL.items():
        men, women = split(pop)
        lines += [f'"{code} {name}","{words[0]}",{men}', f'"{code} {name}","{words[1]}",{women}',
                  f'"{code} {name}","{words[2]}",{pop}']
    source = write(tmp_path / "kon.csv", "\n".join(lines) + "\n")
    assert read_population_file(source).populations == TOTALS


def test_a_sex_word_kn_does_not_know_is_refused(tmp_path: Path) -> None:
    source = write(tmp_path / "kon.csv", '"region","kön","2024"\n'
                                         '"0114 Upplands Väsby","pojkar",100\n')
    assert refused(source) == [f"{source}: row 2: kön 'pojkar' is neither män, kvinnor nor "
                               "totalt"]


def test_two_contents_for_one_year_are_refused_unless_one_is_named(tmp_path: Path) -> None:
    lines = ['"region","Folkmängd 2024","Folkökning 2024"']
    for code, (name, pop) in REAL.items():
        lines.append(f'"{code} {name}",{pop},{pop // 100}')
    source = write(tmp_path / "two.csv", "\n".join(lines) + "\n")
    assert refused(source) == [
        f"{source}: the table has 2 columns for 2024 ('Folkmängd 2024', 'Folkökning 2024'); kn "
        "never takes one because it comes first: name the one to read with --column (such as "
        "--column 'Folkmängd 2024')"]
    assert read_population_file(source, column="Folkmängd 2024").populations == TOTALS
    assert read_population_file(source, column="folkökning 2024").populations == {
        code: pop // 100 for code, pop in TOTALS.items()}


def test_population_import_takes_column(tmp_path: Path) -> None:
    lines = ['"region","Folkökning 2024","Folkmängd 2024"']
    for code, (name, pop) in REAL.items():
        lines.append(f'"{code} {name}",{pop // 100},{pop}')
    source = write(tmp_path / "two.csv", "\n".join(lines) + "\n")
    data = tmp_path / "data"
    data.mkdir()
    runner = CliRunner()
    result = runner.invoke(app, ["population", "import", str(source), "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {source}: the table has 2 columns for 2024 ('Folkökning 2024', 'Folkmängd "
        "2024'); kn never takes one because it comes first: name the one to read with --column "
        "(such as --column 'Folkökning 2024')\n")
    assert not (data / "populations").exists()
    result = runner.invoke(app, ["population", "import", str(source), "--data", str(data),
                                 "--column", "Folkmängd 2024"])
    assert result.exit_code == 0, result.stderr
    assert (data / "populations" / "2024-12-31.csv").read_text(encoding="utf-8") == (
        "kommunkod,kommun,folkmangd\n0114,Upplands Väsby,50323\n0162,Danderyd,32425\n"
        "0184,Solna,85789\n")


def test_statistic_import_refuses_two_contents_too(tmp_path: Path) -> None:
    lines = ['"region","Folkmängd 2024","Folkökning 2024"']
    for code, (name, pop) in REAL.items():
        lines.append(f'"{code} {name}",{pop},{pop // 100}')
    source = write(tmp_path / "two.csv", "\n".join(lines) + "\n")
    data = tmp_path / "data"
    data.mkdir()
    result = CliRunner().invoke(app, ["statistic", "import", "folk", str(source), "--date",
                                      "2024-12-31", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {source}: the table has 2 columns for 2024 (")


AGES = [f"{a} år" for a in range(100)] + ["100+ år"]


def by_age(total_row: str = "sum") -> str:
    """By region and age: CONSTRUCTED ages (the real total spread as evenly as it goes),
    with SCB's 'totalt ålder' row."""
    lines = ['"region","ålder","2024"']
    for code, (name, pop) in REAL.items():
        each, rest = divmod(pop, len(AGES))
        figures = [each + (1 if i < rest else 0) for i in range(len(AGES))]
        total = pop if total_row == "sum" else pop - 7
        lines.append(f'"{code} {name}","totalt ålder",{total}')
        lines += [f'"{code} {name}","{age}",{n}' for age, n in zip(AGES, figures, strict=True)]
    return "\n".join(lines) + "\n"


def test_without_age_a_table_by_age_is_summed_over_every_age(tmp_path: Path) -> None:
    source = write(tmp_path / "age.csv", by_age())
    table = read_population_file(source)
    assert table.populations == TOTALS
    assert table.format == "CSV (comma separated), region by year, by age"


def test_an_all_ages_total_that_is_not_the_sum_is_refused(tmp_path: Path) -> None:
    source = write(tmp_path / "age.csv", by_age(total_row="off"))
    assert refused(source)[0] == (
        f"{source}: row 2: 0114 Upplands Väsby: the total 50316 is not the sum of its ages "
        "(50323); export the table again")


def _jsonstat(contents: dict[str, str], sexes: dict[str, str]) -> dict[str, Any]:
    regions = {code: f"{name}" for code, (name, _) in REAL.items()}
    dims = {"Region": regions, "Kon": sexes, "ContentsCode": contents, "Tid": {"2024": "2024"}}
    values: list[int] = []
    for code in regions:
        for sex in sexes:
            for content in contents:
                total = TOTALS[code] if content == "BE0101N1" else TOTALS[code] // 100
                values.append({"1": split(total)[0], "2": split(total)[1], "1+2": total}[sex])
    return {"version": "2.0", "class": "dataset", "label": "Folkmängd",
            "id": list(dims), "size": [len(d) for d in dims.values()],
            "role": {"geo": ["Region"], "time": ["Tid"], "metric": ["ContentsCode"]},
            "dimension": {name: {"label": name, "category": {
                "index": {c: i for i, c in enumerate(d)}, "label": d}}
                for name, d in dims.items()},
            "value": values}


def test_jsonstat_by_sex_is_summed_and_two_contents_need_a_column(tmp_path: Path) -> None:
    sexes = {"1": "män", "2": "kvinnor", "1+2": "totalt"}
    one = write(tmp_path / "one.json", json.dumps(_jsonstat({"BE0101N1": "Folkmängd"}, sexes)))
    assert read_population_file(one).populations == TOTALS
    two = write(tmp_path / "two.json", json.dumps(_jsonstat(
        {"BE0101N1": "Folkmängd", "BE0101N2": "Folkökning"}, sexes)))
    assert refused(two) == [
        f"{two}: the table holds 2 contents (BE0101N1 (Folkmängd), BE0101N2 (Folkökning)); kn "
        "never takes one because it comes first: name the one to read with --column (such as "
        "--column BE0101N1)"]
    assert read_population_file(two, column="Folkmängd").populations == TOTALS
    assert read_population_file(two, column="BE0101N2").populations == {
        code: pop // 100 for code, pop in TOTALS.items()}


# -- kn's own snapshots ------------------------------------------------------------------------


def test_a_snapshot_row_whose_code_and_name_disagree_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "populations" / "2024-12-31.csv",
                 "kommunkod,kommun,folkmangd\n0127,Solna,85789\n0184,Solna,85789\n"
                 "0114,Upplands Väsby kommun,50323\n")
    with pytest.raises(DataError) as err:
        read_snapshot(path)
    assert [str(p) for p in err.value.problems] == [
        f"{path}: row 2: kommunkod 0127 is Botkyrka's, but the name is 'Solna'; correct the code "
        "or the name"]
    stat = write(tmp_path / "statistics" / "skatt" / "2024-12-31.csv",
                 "kommunkod,kommun,value\n0184,Danderyd,1\n")
    with pytest.raises(DataError) as err:
        read_statistic(stat)
    assert str(err.value) == (f"{stat}: row 2: kommunkod 0184 is Solna's, but the name is "
                              "'Danderyd'; correct the code or the name")


# -- sex and age together, long and wide, read through pandas's melt ---------------------------


def spread(total: int) -> dict[tuple[str, str], int]:
    """A CONSTRUCTED split of a real total over 101 ages and two sexes: cell k (age a, män
    k = 2a, kvinnor k = 2a + 1) holds total // 202, and one more while k < total % 202."""
    each, rest = divmod(total, 2 * len(AGES))
    return {(age, sex): each + (1 if 2 * a + s < rest else 0)
            for a, age in enumerate(AGES) for s, sex in enumerate(("män", "kvinnor"))}


def long_by_sex_and_age(extra: str = "") -> str:
    """Kolada's long shape: a row per municipality, sex and age, and perhaps a second content
    (``extra``: a column of the same figures over 100)."""
    lines = ["kommunkod,kön,ålder,år,folkmängd" + (f",{extra}" if extra else "")]
    for code, total in TOTALS.items():
        for (age, sex), n in spread(total).items():
            lines.append(f"{code},{sex},{age},2024,{n}" + (f",{n // 100}" if extra else ""))
    return "\n".join(lines) + "\n"


def wide_by_sex_and_age(header: list[str]) -> str:
    """Statistikdatabasen's shape: a row per region and age, a column per sex for 2024."""
    lines = ['"Folkmängd efter region, ålder, kön och år"', "",
             ",".join(f'"{h}"' for h in header)]
    for code, (name, pop) in REAL.items():
        cells = spread(pop)
        lines += [f'"{code} {name}","{age}",{cells[(age, "män")]},{cells[(age, "kvinnor")]}'
                  for age in AGES]
    return "\r\n".join(lines) + "\r\n"


BAND_16_64 = {"0114": 24402, "0162": 15753, "0184": 41650}


def test_a_long_table_by_sex_and_age_is_summed_over_both(tmp_path: Path) -> None:
    from decimal import Decimal

    from koordination.core.ages import AgeBand
    from koordination.io.scb.exports import read_statistic_file

    source = write(tmp_path / "long.csv", long_by_sex_and_age())
    table = read_population_file(source)
    assert table.populations == TOTALS
    assert table.format == "CSV (comma separated), kommunkod and folkmängd columns, by age, by sex"
    band = read_statistic_file(source, ages=AgeBand.parse("16-64"))
    assert band.values == {code: Decimal(n) for code, n in BAND_16_64.items()}


def test_two_contents_in_a_long_table_are_refused_unless_one_is_named(tmp_path: Path) -> None:
    source = write(tmp_path / "long.csv", long_by_sex_and_age(extra="antal"))
    assert refused(source) == [
        f"{source}: the table has 2 columns of figures ('folkmängd', 'antal'); kn never takes "
        "one because it comes first: name the one to read with --column (such as --column "
        "'folkmängd')"]
    assert read_population_file(source, column="folkmängd").populations == TOTALS
    # the second content: each cell's figure over 100, summed over sex and age
    assert read_population_file(source, column="antal").populations == {
        code: sum(n // 100 for n in spread(total).values()) for code, total in TOTALS.items()}


def test_a_wide_table_by_sex_and_age_is_summed_over_both(tmp_path: Path) -> None:
    from decimal import Decimal

    from koordination.core.ages import AgeBand
    from koordination.io.scb.exports import read_statistic_file

    source = write(tmp_path / "wide.csv",
                   wide_by_sex_and_age(["region", "ålder", "män 2024", "kvinnor 2024"]))
    table = read_population_file(source)
    assert table.populations == TOTALS
    assert table.format == "CSV (comma separated), region by year, by age, by sex"
    band = read_statistic_file(source, ages=AgeBand.parse("16-64"))
    assert band.values == {code: Decimal(n) for code, n in BAND_16_64.items()}
    assert read_population_file(source, column="män 2024").populations == {
        "0114": 25162, "0162": 16213, "0184": 42895}


def test_two_contents_in_a_wide_table_by_age_are_refused(tmp_path: Path) -> None:
    source = write(tmp_path / "wide.csv",
                   wide_by_sex_and_age(["region", "ålder", "Folkmängd 2024", "Folkökning 2024"]))
    assert refused(source) == [
        f"{source}: the table has 2 columns for 2024 ('Folkmängd 2024', 'Folkökning 2024'); kn "
        "never takes one because it comes first: name the one to read with --column (such as "
        "--column 'Folkmängd 2024')"]


def test_a_missing_sex_at_one_age_is_one_line_with_its_row(tmp_path: Path) -> None:
    text = long_by_sex_and_age().replace("0162,kvinnor,30 år,2024,161\n", "")
    source = write(tmp_path / "long.csv", text)
    assert refused(source) == [
        f"{source}: row 264: 0162 Danderyd has a figure for män but none for kvinnor; export "
        "the table by sex with both, or its total only"]


def test_a_row_without_a_sex_is_the_total_and_is_named_plainly(tmp_path: Path) -> None:
    """A blank kön cell means both sexes: it is checked against män + kvinnor like a totalt,
    and a problem about such a row names no sex (pandas's missing value never shows)."""
    source = write(tmp_path / "k.csv", "kommunkod,kön,folkmängd\n0114,män,10\n0114,,20\n"
                                       "0114,,21\n0162,kvinnor,5\n0162,män,6\n0184,,85789\n")
    assert refused(source, want_year=2024) == [
        f"{source}: row 2: 0114 Upplands Väsby has a figure for män but none for kvinnor; "
        "export the table by sex with both, or its total only",
        f"{source}: row 3: 0114 Upplands Väsby: the totalt 20 is not the sum of män + kvinnor "
        "(10); export the table again",
        f"{source}: row 4: 0114 Upplands Väsby appears twice with different numbers: 20 (row 3) "
        "and 21; keep one"]
    fine = write(tmp_path / "fine.csv", "kommunkod,kön,folkmängd\n0162,kvinnor,16212\n"
                                        "0162,män,16213\n0162,,32425\n0184,,85789\n")
    assert read_population_file(fine, want_year=2024).populations == {"0162": 32425,
                                                                      "0184": 85789}


def _workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_two_sheets_with_a_table_are_two_contents(tmp_path: Path) -> None:
    folk = [["region", "2024"]] + [[f"{c} {n}", pop] for c, (n, pop) in REAL.items()]
    okning = [["region", "2024"]] + [[f"{c} {n}", pop // 100] for c, (n, pop) in REAL.items()]
    notes = [["Källa: SCB, Befolkningsstatistik"], ["Folkmängden den 31 december"]]
    both = _workbook(tmp_path / "both.xlsx", {"Folkmängd": folk, "Folkökning": okning})
    assert refused(both) == [
        f"{both}: the workbook has 2 sheets with a table (Folkmängd, Folkökning); kn never "
        "takes one because it comes first: keep only the sheet to read (delete or hide the "
        "others)"]
    noted = _workbook(tmp_path / "noted.xlsx", {"Fotnoter": notes, "Folkmängd": folk})
    assert read_population_file(noted).populations == TOTALS
    broken = [row[:] for row in folk]
    broken[2][1] = -5
    one_bad = _workbook(tmp_path / "bad.xlsx", {"Folkmängd": broken, "Folkökning": okning})
    assert refused(one_bad) == [
        f"{one_bad}: Folkmängd!row 3: 0162 Danderyd: population '-5' is negative; no "
        "municipality has a figure below 0"]


def test_a_jsonstat_region_that_is_no_municipality_is_one_line_however_it_is_split(
        tmp_path: Path) -> None:
    """A region is read once, not once per sex (three lines for one wrong region before)."""
    doc = _jsonstat({"BE0101N1": "Folkmängd"}, {"1": "män", "2": "kvinnor", "1+2": "totalt"})
    category = doc["dimension"]["Region"]["category"]
    category["index"] = {"0114": 0, "0162": 1, "0999": 2}
    category["label"] = {"0114": "Upplands Väsby", "0162": "Danderyd", "0999": "Solna"}
    source = write(tmp_path / "t.json", json.dumps(doc))
    assert refused(source) == [
        f"{source}: Region 0999: region '0999' is no municipality: 0999 is not an SCB code of "
        "any of Sweden's 290 municipalities"]


def test_a_split_kn_does_not_sum_is_refused_and_its_total_is_read(tmp_path: Path) -> None:
    source = write(tmp_path / "civil.csv", "kommunkod,civilstånd,folkmängd\n0114,ogift,100\n"
                                           "0114,Totalt,50323\n0162,samtliga,32425\n")
    assert refused(source, want_year=2024) == [
        f"{source}: row 2: the table is split by 'civilstånd' ('ogift'); export the total for "
        "each region only"]
    totals = write(tmp_path / "totals.csv", "kommunkod,civilstånd,folkmängd\n"
                                            "0114,Totalt,50323\n0162,samtliga,32425\n")
    assert read_population_file(totals, want_year=2024).populations == {"0114": 50323,
                                                                        "0162": 32425}


def test_a_figure_without_a_region_is_refused(tmp_path: Path) -> None:
    source = write(tmp_path / "k.csv", "kommunkod,folkmängd\n0114,50323\n,32425\n")
    assert refused(source, want_year=2024) == [
        f"{source}: row 3: a figure (32425) with no kommunkod"]


def test_the_problems_of_one_row_are_said_in_the_order_of_its_cells(tmp_path: Path) -> None:
    source = write(tmp_path / "kon.csv", '"region","män 2024","kvinnor 2024"\n'
                                         '"0114 Upplands Väsby",1,2\n"0114 Upplands Väsby",3,-4\n'
                                         '"0114",1,2\n')
    assert refused(source) == [
        f"{source}: row 3: 0114 Upplands Väsby appears twice for män with different numbers: 1 "
        "(row 2) and 3; keep one",
        f"{source}: row 3: 0114 Upplands Väsby: population '-4' is negative; no municipality "
        "has a figure below 0"]


def test_a_sum_no_municipality_has_is_placed_at_its_first_row(tmp_path: Path) -> None:
    source = write(tmp_path / "age.csv", "kommunkod,ålder,folkmängd\n0114,0-49 år,6000000\n"
                                         "0114,50+ år,6000000\n")
    assert refused(source, want_year=2024) == [
        f"{source}: row 2: 0114 Upplands Väsby: population 12000000 is more than any "
        "municipality has (at most 10000000); is it the right column?"]
