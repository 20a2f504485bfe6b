"""The fee models through the command line (reference 13): the shipped examples' figures
checked by hand, the Sambruk schedule on real SCB populations, limits over two years, and
the exact line for every bad input."""

from __future__ import annotations

import csv
import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.ocr import ocr_problem
from tests.conftest import EXAMPLES, MakeData

REFERENCE = EXAMPLES / "sambruk-avgiftstrappa" / "populations" / "2024-12-31.csv"


def example(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns("reports"))
    return target


def allocate_json(runner: CliRunner, data: Path, year: int = 2025) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["allocate", str(year), "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def fees_of(out: dict) -> dict[str, int]:  # type: ignore[type-arg]
    return {m["kommun"] if m["kommunkod"] else m["party"]: m["fee"] for m in out["members"]}


def test_rate_per_inhabitant_with_land_area_by_hand(tmp_path: Path, runner: CliRunner) -> None:
    out = allocate_json(runner, example(tmp_path, "raddningstjanst-per-invanare"))
    # Enköping: 414 × 48 591 + 17 000 × 1 000 km² + 25 000
    # Uppsala: 414 × 100 000 (at most) + 17 000 × 2 000 + 25 000
    # Håbo, in from 1 July (184 of 365 days): (414 × 22 973 + 17 000 × 100 + 25 000)
    #   × 184 / 365 = 11 235 822 × 184 / 365 = 5 664 085.61… -> 5 664 086
    assert fees_of(out) == {"Enköping": 37_141_674, "Håbo": 5_664_086, "Uppsala": 75_425_000}
    assert out["total"] == 37_141_674 + 5_664_086 + 75_425_000
    assert out["model"] == "rate"
    assert "budget" not in out
    yearly = {m["kommun"]: m["yearly"] for m in out["members"]}
    assert yearly["Håbo"] == "11235822.00"


def test_rate_with_a_budget_shows_the_budget_and_the_difference(
        tmp_path: Path, runner: CliRunner) -> None:
    data = example(tmp_path, "raddningstjanst-per-invanare")
    (data / "budgets").mkdir()
    (data / "budgets" / "2025.yaml").write_text(
        "year: 2025\nlines:\n  - {group: Drift, name: Räddningstjänst, amount: 120000000}\n",
        encoding="utf-8")
    out = allocate_json(runner, data)
    assert out["total"] == 118_230_760
    assert out["budget"] == {"total": 120_000_000, "difference": 118_230_760 - 120_000_000}


def test_samordningsforbund_parties_by_hand(tmp_path: Path, runner: CliRunner) -> None:
    out = allocate_json(runner, example(tmp_path, "samordningsforbund-parter"))
    # total: 900 000 × 1.3846 + 180 000 + 2 450 000 + 120 000 = 3 996 140
    # each party 25 %: 999 035; the municipalities share 999 035 by population (96 728):
    # Vallentuna 35 119 -> 362 719.27…, Vaxholm 11 822 -> 122 101.06…,
    # Österåker 49 787 -> 514 214.65…; cut: 999 034, the krona left to the largest
    # remainder (Österåker's .65)
    assert out["total"] == 3_996_140
    assert fees_of(out) == {
        "Försäkringskassan": 999_035, "Arbetsförmedlingen": 999_035,
        "Region Stockholm": 999_035, "Vallentuna": 362_719, "Vaxholm": 122_101,
        "Österåker": 514_215}
    first = out["members"][0]
    assert (first["kommunkod"], first["party"], first["code"], first["population"]) == (
        None, "Försäkringskassan", "P1", None)


def test_parties_are_invoiced_with_their_own_numbers(tmp_path: Path,
                                                     runner: CliRunner) -> None:
    data = example(tmp_path, "samordningsforbund-parter")
    decided = runner.invoke(app, ["allocate", "2025", "--data", str(data), "--final"])
    assert decided.exit_code == 0, decided.output
    result = runner.invoke(app, ["invoices", "2025", "--data", str(data), "--json",
                                 "--invoice-date", "2025-02-03"])
    assert result.exit_code == 0, result.output
    invoices = json.loads(result.stdout)["invoices"]
    fk = invoices[0]
    assert fk["reference"] == "SFR-2025-P1"
    assert fk["ocr"] == "2025990100138"  # 9900 + the party's number, as no SCB code is
    assert ocr_problem(fk["ocr"]) is None
    assert fk["recipient"] == {"kommunkod": None, "party": "Försäkringskassan",
                               "name": "Försäkringskassan", "orgnr": "202100-5521",
                               "reference": "EXEMPEL-FK"}
    assert fk["amount"] == 999_035


def test_sambruk_band_fees_by_hand(tmp_path: Path, runner: CliRunner) -> None:
    out = allocate_json(runner, example(tmp_path, "sambruk-avgiftstrappa"))
    assert fees_of(out) == {
        "Enköping": 35_000, "Eskilstuna": 65_000, "Heby": 10_000, "Kinda": 10_000,
        "Kungsör": 10_000, "Sigtuna": 50_000, "Tierp": 25_000, "Uppsala": 80_000,
        "Ydre": 5_000}
    assert out["total"] == 290_000
    assert out["model"] == "bands"


#: Sambruk's published yearly fees (årsavgift) by municipality size, decided from 2020.
SAMBRUK = [(7000, 5000), (15000, 10000), (25000, 25000), (50000, 35000), (100000, 50000),
           (150000, 65000), (None, 80000)]


def published_fee(population: int) -> int:
    """The schedule as published: below 7 000: 5 000; 7 000-15 000: 10 000; …; more than
    150 000: 80 000."""
    for below, fee in SAMBRUK:
        if below is None or population < below:
            return fee
    raise AssertionError


def test_sambruk_schedule_on_every_real_municipality(make_data: MakeData,
                                                     runner: CliRunner) -> None:
    """All 290 municipalities with SCB's population of 31 December 2024: each pays its
    band's published fee."""
    with REFERENCE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 290
    bands = "\n".join(f"        - {{below: {b}, amount: {a}}}" if b else
                      f"        - {{amount: {a}}}" for b, a in SAMBRUK)
    members = "\n".join(f"      - '{r['kommunkod']}'" for r in rows)
    data = make_data(network=f"""
    name: Sambruk
    administrator: '1960'
    fee:
      bands:
{bands}
    members:
{members}
    """)
    (data / "populations").mkdir()
    shutil.copy(REFERENCE, data / "populations" / "2024-12-31.csv")
    out = allocate_json(runner, data)
    populations = {r["kommunkod"]: int(r["folkmangd"]) for r in rows}
    seen = set()
    for m in out["members"]:
        assert m["fee"] == published_fee(populations[m["kommunkod"]]), m
        seen.add(m["fee"])
    assert seen == {fee for _, fee in SAMBRUK}  # every band has a member
    assert out["total"] == sum(published_fee(p) for p in populations.values())


LIMITS_NETWORK = """
    name: Vattenvårdsförbundet
    administrator: Österåker
    limits:
      floor: 35000
      ceiling: 500000
      max_decrease_percent: 10
    members:
      - kommun: Upplands Väsby
      - kommun: Vallentuna
      - kommun: Österåker
"""


def budget(year: int, amount: int) -> str:
    return f"year: {year}\nlines:\n  - {{group: Drift, name: Drift, amount: {amount}}}\n"


def test_limits_hold_a_member_at_its_floor_and_share_again(make_data: MakeData,
                                                           runner: CliRunner) -> None:
    pops = {"0114": 800, "0115": 50, "0117": 150}
    data = make_data(network=LIMITS_NETWORK.replace("ceiling: 500000", "ceiling: 900000"),
                     budgets={2015: budget(2015, 500_000)},
                     populations={"2014-12-31": pops})
    out = allocate_json(runner, data, 2015)
    # by the key: 400 000, 25 000, 75 000; Vallentuna held at the floor 35 000; the rest
    # 465 000 shared 800:150 again: 391 578.94…, 73 421.05…; cut 465 000 - 1 -> the krona
    # to the larger remainder (Upplands Väsby's .947)
    assert fees_of(out) == {"Upplands Väsby": 391_579, "Vallentuna": 35_000,
                            "Österåker": 73_421}
    held = {m["kommun"]: m["limits"]["held"] for m in out["members"]}
    assert held == {"Upplands Väsby": None, "Vallentuna": "lower", "Österåker": None}


def test_change_limit_uses_last_years_fee(make_data: MakeData, runner: CliRunner) -> None:
    data = make_data(network=LIMITS_NETWORK.replace("ceiling: 500000", "ceiling: 900000"),
                     budgets={2014: budget(2014, 1_000_000), 2015: budget(2015, 950_000)},
                     populations={"2013-12-31": {"0114": 800, "0115": 50, "0117": 150},
                                  "2014-12-31": {"0114": 800, "0115": 20, "0117": 180}})
    first = allocate_json(runner, data, 2014)
    assert fees_of(first) == {"Upplands Väsby": 800_000, "Vallentuna": 50_000,
                              "Österåker": 150_000}
    out = allocate_json(runner, data, 2015)
    # by the key: 760 000, 19 000, 171 000. Vallentuna may fall at most 10 % from 50 000:
    # held at 45 000 (above the floor 35 000); the rest 905 000 shared 800:180 again:
    # 738 775.51…, 166 224.48… (both above 90 % of last year's); the krona left to .51
    assert fees_of(out) == {"Upplands Väsby": 738_776, "Vallentuna": 45_000,
                            "Österåker": 166_224}
    vallentuna = next(m for m in out["members"] if m["kommun"] == "Vallentuna")
    assert vallentuna["limits"] == {"base": "0.00", "lower": 45_000, "upper": 900_000,
                                    "last_fee": 50_000, "held": "lower"}
    result = runner.invoke(app, ["explain", "2015", "Vallentuna", "--data", str(data)])
    text = plain(result.stdout)
    assert "4. Exakt belopp: 950 000 kr × 20 / 1 000 = 19 000,00 kr." in text
    assert ("5. Gränser: först 0 kr per medlem för dess dagar, resten efter nyckeln (2,0000 % "
            "av resten); med faktorn c = 923 469,39 kr blir det 18 469,39 kr. Vallentunas "
            "gränser: lägst 45 000 kr, högst 900 000 kr (förra årets avgift 50 000 kr). "
            "Vallentuna hålls vid sin undre gräns, 45 000 kr; övriga delar resten igen.") in text
    assert "7. Avgift: 45 000,00 kr + 0,00 kr = 45 000 kr" in text


@pytest.mark.parametrize(("yaml", "line"), [
    ("fee: {per_inhabitant: 414}\nkey: population\n",
     "error: {f}: fee: a fee: rate sets each member's fee itself and cannot be combined with "
     "key:; remove key: (or fee:)"),
    ("fee: {per_inhabitant: 414}\nparties: [{name: Region Stockholm, share: 25}]\n",
     "error: {f}: fee: a fee: rate sets each member's fee itself and cannot be combined with "
     "parties:; remove parties: (or fee:)"),
    ("fee:\n  bands:\n    - {below: 15000, amount: 10000}\n    - {below: 7000, amount: 5000}\n"
     "    - {amount: 80000}\n",
     "error: {f}: fee.bands[1].below: below 7000 is not above the band before (below 15000); "
     "list the bands from the smallest population up"),
    ("fee:\n  bands:\n    - {below: 7000, amount: 5000}\n    - {below: 15000, amount: 10000}\n",
     "error: {f}: fee.bands: the last band has a limit (below: 15000); end the bands with one "
     "without 'below' for every larger population, e.g. {amount: 80000}"),
    ("parties:\n  - {name: Försäkringskassan, share: 50}\n  - {name: Region Stockholm, "
     "share: 50}\n",
     "error: {f}: parties: the parties' shares sum to 100 % (50 + 50); they must leave a part "
     "of the total to the municipal members (less than 100)"),
    ("limits: {floor: 600000, ceiling: 500000}\n",
     "error: {f}: limits.floor: the floor (600000) is above the ceiling (500000); no fee could "
     "hold both: lower the floor or raise the ceiling"),
    ("fee: {}\n",
     "error: {f}: fee: fee: needs per_inhabitant, per_unit, base or bands, e.g. fee: "
     "{per_inhabitant: 414}"),
])
def test_bad_fee_models_get_one_clear_line(make_data: MakeData, runner: CliRunner,
                                           yaml: str, line: str) -> None:
    data = make_data(network="name: T\nadministrator: Österåker\n" + yaml +
                     "members: [Vallentuna, Österåker]\n",
                     budgets={2015: budget(2015, 1000)},
                     populations={"2014-12-31": {"0115": 100, "0117": 300}})
    result = runner.invoke(app, ["allocate", "2015", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [line.replace("{f}", str(data / "network.yaml"))]


def test_limits_that_cannot_hold_say_so(make_data: MakeData, runner: CliRunner) -> None:
    data = make_data(network="name: T\nadministrator: Österåker\nlimits: {floor: 600}\n"
                     "members: [Vallentuna, Österåker]\n",
                     budgets={2015: budget(2015, 1000)},
                     populations={"2014-12-31": {"0115": 100, "0117": 300}})
    result = runner.invoke(app, ["allocate", "2015", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {data / 'network.yaml'}: limits: the limits cannot all hold: the members' "
        "least fees sum to 1200 kr, more than the total 1000 kr; lower the floor or "
        "max_decrease_percent")


def plain(text: str) -> str:
    """Terminal text with its no-break spaces (between digit groups) as plain spaces."""
    return text.replace("\u00a0", " ")


def test_explain_a_rate_and_a_party(tmp_path: Path, runner: CliRunner) -> None:
    data = example(tmp_path, "raddningstjanst-per-invanare")
    result = runner.invoke(app, ["explain", "2025", "Håbo", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert ("3. Årsavgift enligt förbundets taxa: 414 kr × 22 973 invånare + 17 000 kr × 100 "
            "landareal-km2 + 25 000 kr per medlem = 11 235 822 kr.") in plain(result.stdout)
    assert ("4. För 184 av årets 365 dagar: 11 235 822 kr × 184 / 365 = 5 664 085,61 kr, "
            "avrundat halvt uppåt till 1 kr: 5 664 086 kr.") in plain(result.stdout)
    data = example(tmp_path, "samordningsforbund-parter")
    result = runner.invoke(app, ["explain", "2025", "Försäkringskassan", "--data", str(data),
                                 "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["kommunkod"], out["party"], out["code"], out["fee"]) == (
        None, "Försäkringskassan", "P1", 999_035)
    result = runner.invoke(app, ["explain", "2025", "Vaxholm", "--data", str(data)])
    assert "5. Exakt belopp: 999 035 kr × 11 822 / 96 728 = 122 101,06 kr." in plain(result.stdout)


def test_workbooks_show_the_parties(tmp_path: Path, runner: CliRunner) -> None:
    from openpyxl import load_workbook

    data = example(tmp_path, "samordningsforbund-parter")
    target = tmp_path / "fordelning.xlsx"
    result = runner.invoke(app, ["allocate", "2025", "--data", str(data), "-o", str(target)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target)["Fördelning 2025"]
    rows = {row[0]: row[1:4] for row in sheet.iter_rows(min_row=5, values_only=True)
            if row[0] in ("Försäkringskassan", "Vaxholm")}
    assert rows["Försäkringskassan"][2] == 999_035
    assert rows["Vaxholm"][0] == 11_822 and rows["Vaxholm"][2] == 122_101
    (data / "actuals").mkdir()
    (data / "actuals" / "2025.yaml").write_text(
        "year: 2025\nlines:\n  - {name: Förbundschef, amount: 1300000}\n"
        "  - {name: Lokaler och administration, amount: 180000}\n"
        "  - {name: Arbetslivsinriktad rehabilitering, amount: 2500000}\n"
        "  - {name: Kompetensutveckling och samverkan, amount: 120000}\n"
        "one_off:\n  - {name: Avveckling, amount: 10001, date: 2025-11-30}\n",
        encoding="utf-8")
    result = runner.invoke(app, ["settle", "2025", "--data", str(data), "--json",
                                 "-o", str(tmp_path / "avrakning.xlsx")])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    # overrun 4 100 000 − 3 996 140 = 103 860: each party 25 % = 25 965; the rest 25 965 by
    # population (9 427,10…, 3 173,41…, 13 364,48… -> the krona to Österåker's .48).
    # The one-off 10 001: each party 2 500,25 -> 2 500; the rest 2 501 by population:
    # 908,03…, 305,67…, 1 287,29… -> the krona to Vaxholm's .67
    assert {m.get("party") or m["kommun"]: (m["settlement"], m["one_off"])
            for m in out["members"]} == {
        "Försäkringskassan": (25_965, 2_500), "Arbetsförmedlingen": (25_965, 2_500),
        "Region Stockholm": (25_965, 2_500), "Vallentuna": (9_427, 908),
        "Vaxholm": (3_173, 306), "Österåker": (13_365, 1_287)}


@pytest.mark.parametrize("model", ["rate", "bands"])
def test_init_offers_the_models(tmp_path: Path, runner: CliRunner, model: str) -> None:
    data = tmp_path / "ny"
    result = runner.invoke(app, ["init", str(data), "--name", "Ny", "--administrator", "Heby",
                                 "--members", "Heby,Tierp", "--year", "2025",
                                 "--model", model])
    assert result.exit_code == 0, result.output
    assert not (data / "budgets" / "2025.yaml").exists()  # a rate needs no budget
    assert f"fyll i avgifterna under fee: i {data / 'network.yaml'}" in result.stdout
    shutil.copy(REFERENCE, data / "populations" / "2024-12-31.csv")
    text = (data / "network.yaml").read_text(encoding="utf-8")
    if model == "rate":
        text = text.replace("per_inhabitant: 0", "per_inhabitant: 10")
        fees = {"Heby": 143_450, "Tierp": 211_040}  # 10 kr × 14 345 and × 21 104
    else:
        text = text.replace("{amount: 0}", "{amount: 300}")
        fees = {"Heby": 0, "Tierp": 300}  # Heby below 15 000, Tierp in the last band
    (data / "network.yaml").write_text(text, encoding="utf-8")
    assert fees_of(allocate_json(runner, data)) == fees


def test_a_rate_settles_and_validates_without_a_budget(tmp_path: Path,
                                                       runner: CliRunner) -> None:
    data = example(tmp_path, "raddningstjanst-per-invanare")
    (data / "actuals").mkdir()
    (data / "actuals" / "2025.yaml").write_text(
        "year: 2025\nlines:\n  - {name: Drift, amount: 118330760}\n", encoding="utf-8")
    result = runner.invoke(app, ["settle", "2025", "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    # an overrun of 100 000 kr shared by population over the year's two segments:
    # 1 Jan-30 Jun (181 days, 49 589.04…) Enköping and Uppsala only, 48 591 : 248 016;
    # 1 Jul-31 Dec (184 days, 50 410.95…) all three, 48 591 : 22 973 : 248 016
    first, second = Fraction(100000 * 181, 365), Fraction(100000 * 184, 365)
    exact = {
        "Enköping": first * 48591 / 296607 + second * 48591 / 319580,
        "Håbo": second * 22973 / 319580,
        "Uppsala": first * 248016 / 296607 + second * 248016 / 319580,
    }
    assert out["difference"] == 100_000
    got = {m["kommun"]: m["settlement"] for m in out["members"]}
    assert sum(got.values()) == 100_000
    assert all(abs(got[k] - exact[k]) < 1 for k in exact)
    result = runner.invoke(app, ["validate", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "budget" not in result.output


def test_a_partys_organisation_number_is_written_as_a_members_is(tmp_path: Path) -> None:
    """An organisation number typed without its dash reads NNNNNN-NNNN, for a party (the
    invoice basis and the Peppol document print it) just as for a member."""
    from koordination.io.network import load_network

    data = example(tmp_path, "samordningsforbund-parter")
    path = data / "network.yaml"
    text = path.read_text(encoding="utf-8").replace('"202100-5521"', '"2021005521"')
    path.write_text(text, encoding="utf-8")
    parties = {p.name: p.orgnr for p in load_network(path).parties}
    assert parties == {"Försäkringskassan": "202100-5521",
                       "Arbetsförmedlingen": "202100-2114",
                       "Region Stockholm": "232100-0016"}
