"""``kn statistic import NAME FILE --date D [--age FROM-TO]`` (reference 7): SCB and Kolada
exports to ``statistics/NAME/D.csv``, exact values, one line per problem, nothing written on
failure; and the shipped example whose statistic was made with it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from koordination.cli.app import app
from tests.conftest import EXAMPLES, write

AGES = [f"{a} år" for a in range(100)] + ["100+ år"]
NETWORK = ("name: T\nadministrator: Solna\nkey: {befolkning-16-64: 100}\n"
           "members: [{kommun: Solna}, {kommun: Danderyd}]\n")


def by_age(figures: dict[str, int], ages: list[str] = AGES) -> str:
    """SCB's "Folkmängden efter region, ålder och år": a municipality's figure at age a is
    its base + a."""
    lines = ['"Folkmängden efter region, ålder och år"', "", '"region","ålder","2024"',
             '"00 Riket","totalt ålder",1']
    for region, base in figures.items():
        lines += [f'"{region}","{age}",{base + i}' for i, age in enumerate(ages)]
    return "\r\n".join(lines) + "\r\n"


def setup(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    write(root / "network.yaml", NETWORK)
    return root


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_an_age_band_is_summed(tmp_path: Path, runner: CliRunner) -> None:
    root = setup(tmp_path)
    source = write(tmp_path / "age.csv", by_age({"0184 Solna": 100, "0162 Danderyd": 50}))
    code, out, err = run(runner, "statistic", "import", "befolkning-16-64", str(source),
                         "--date", "2024-12-31", "--age", "16-64", "--data", str(root))
    assert (code, err) == (0, "")
    target = root / "statistics" / "befolkning-16-64" / "2024-12-31.csv"
    ages = sum(range(16, 65))
    assert target.read_text("utf-8") == (
        "kommunkod,kommun,value\n"
        f"0162,Danderyd,{49 * 50 + ages}\n0184,Solna,{49 * 100 + ages}\n")
    assert out == (f"Skrev {target}: 2 kommuner, summa {_sv(49 * 150 + 2 * ages)}, "
                   "referensdatum 2024-12-31 (från CSV (comma separated), region by year, by "
                   "age; åldrarna 16-64 summerade)\n")
    assert "age.csv (CSV (comma separated), region by year, by age, ages 16-64)" in \
        (target.parent / "README.md").read_text("utf-8")
    code, out, _ = run(runner, "statistic", "list", "--data", str(root), "--lang", "en")
    assert code == 0
    assert "befolkning-16-64 │ 2024-12-31" in out and "2/2" in out


def _sv(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def test_ages_that_do_not_cover_the_band_are_refused(tmp_path: Path,
                                                      runner: CliRunner) -> None:
    root = setup(tmp_path)
    source = write(tmp_path / "age.csv", by_age({"0184 Solna": 1, "0162 Danderyd": 1},
                                                AGES[:20]))
    code, out, err = run(runner, "statistic", "import", "befolkning-16-64", str(source),
                         "--date", "2024-12-31", "--age", "16-64", "--data", str(root))
    assert (code, out) == (1, "")
    assert err == (f"error: {source}: the file's ages in the band 16-64 (16 år to 19 år) do "
                   "not cover it: no figures for ages 20-64; export every age of the band\n")
    assert not (root / "statistics").exists()


def test_an_age_band_outside_the_tables_is_a_command_line_error(tmp_path: Path,
                                                                 runner: CliRunner) -> None:
    root = setup(tmp_path)
    source = write(tmp_path / "age.csv", by_age({"0184 Solna": 1}))
    for band in ("16-120", "101+"):
        code, _, err = run(runner, "statistic", "import", "b", str(source), "--date",
                           "2024-12-31", "--age", band, "--data", str(root))
        assert code == 2
        assert (f"'{band}' is outside the ages 0-100+ that SCB's tables hold; give FROM-TO "
                "within 0-100 (such as 16-64) or FROM+ (such as 65+)") in " ".join(err.split())
    code, _, err = run(runner, "statistic", "import", "Befolkning", str(source), "--date",
                       "2024-12-31", "--data", str(root))
    assert code == 2
    assert "'Befolkning' is not a statistic's name" in err
    assert not (root / "statistics").exists()


def test_decimals_from_a_kolada_table_stay_exact(tmp_path: Path, runner: CliRunner) -> None:
    root = setup(tmp_path)
    source = write(tmp_path / "kolada.csv", "Kommun-ID;Kommun;År;Skattesats;Värde\n"
                   '0184;Solna;2024;"17,12";1\n0162;Danderyd;2024;"18,79";2\n')
    code, _, err = run(runner, "statistic", "import", "skattesats", str(source), "--date",
                       "2024-12-31", "--column", "Skattesats", "--data", str(root))
    assert (code, err) == (0, "")
    assert (root / "statistics" / "skattesats" / "2024-12-31.csv").read_text("utf-8") == (
        "kommunkod,kommun,value\n0162,Danderyd,18.79\n0184,Solna,17.12\n")


def test_a_member_missing_from_the_file(tmp_path: Path, runner: CliRunner) -> None:
    root = setup(tmp_path)
    source = write(tmp_path / "k.csv", "kommunkod,value\n0184,12\n")
    code, _, err = run(runner, "statistic", "import", "x", str(source), "--date",
                       "2024-12-31", "--data", str(root))
    assert code == 1
    assert err == (f"error: {source}: 0162 Danderyd is a member but not in the file; use a "
                   "table of all municipalities (or at least every member)\n")
    assert not (root / "statistics").exists()


def test_other_values_are_replaced_only_with_force(tmp_path: Path, runner: CliRunner) -> None:
    root = setup(tmp_path)
    first = write(tmp_path / "a.csv", "kommunkod,value\n0184,12\n0162,3.5\n")
    second = write(tmp_path / "b.csv", "kommunkod,value\n0184,12\n0162,4\n")
    args = ["statistic", "import", "x", "--date", "2024-12-31", "--data", str(root)]
    assert run(runner, *args[:3], str(first), *args[3:])[0] == 0
    target = root / "statistics" / "x" / "2024-12-31.csv"
    before = target.read_bytes()
    code, _, err = run(runner, *args[:3], str(second), *args[3:])
    assert code == 1
    assert err == (f"error: {target}: exists with different values for 1 municipality; run "
                   "again with --force to replace it\n")
    assert target.read_bytes() == before
    code, out, _ = run(runner, *args[:3], str(first), *args[3:])
    assert code == 0 and out.startswith("Oförändrad")
    code, out, _ = run(runner, *args[:3], str(second), *args[3:], "--force")
    assert code == 0 and out.startswith("Ersatte (ändrade kommuner: 1)")
    assert target.read_text("utf-8") == "kommunkod,kommun,value\n0162,Danderyd,4\n0184,Solna,12\n"


def test_the_example_statistic_is_what_kn_statistic_import_writes(tmp_path: Path,
                                                                   runner: CliRunner) -> None:
    example = EXAMPLES / "samordningsforbund-16-64"
    root = tmp_path / "ex"
    shutil.copytree(example, root, ignore=shutil.ignore_patterns("statistics", "reports"))
    code, _, err = run(runner, "statistic", "import", "befolkning-16-64",
                       str(root / "sources" / "folkmangd-alder-2024-exempel.csv"), "--date",
                       "2024-12-31", "--age", "16-64", "--data", str(root))
    assert (code, err) == (0, "")
    name = Path("statistics") / "befolkning-16-64" / "2024-12-31.csv"
    assert (root / name).read_bytes() == (example / name).read_bytes()
    code, out, _ = run(runner, "allocate", "2025", "--data", str(example), "--json")
    assert code == 0
    result = json.loads(out)
    # 2,996,140 kr by population 16-64: 30,009, 46,282 and 31,480 of 107,771
    assert [(m["kommun"], m["statistics"]["befolkning-16-64"], m["fee"])
            for m in result["members"]] == [("Sigtuna", "31480", 875175),
                                            ("Sollentuna", "46282", 1286685),
                                            ("Upplands Väsby", "30009", 834280)]
    assert not (example / "reports").exists()


def test_the_example_metod_writes_the_key(tmp_path: Path, runner: CliRunner) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "ex.xlsx"
    example = EXAMPLES / "samordningsforbund-16-64"
    assert run(runner, "allocate", "2025", "--data", str(example), "-o", str(out))[0] == 0
    method = [c.value for c in load_workbook(out)["Metod"]["A"] if c.value]
    assert "Fördelningsnyckel: 100 % efter befolkning-16-64. Andel = befolkning-16-64(k) / " \
        "Σbefolkning-16-64." in method
    assert ("Formel: andel(k) = befolkning-16-64(k) / Σbefolkning-16-64, där "
            "befolkning-16-64(k) = kommunens värde per 2024-12-31 och Σbefolkning-16-64 = "
            "107\u00a0771.") in method
