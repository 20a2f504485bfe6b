"""``kn explain``: the text a council member reads, its JSON, and that it agrees with
``kn allocate --json`` to the krona."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koordination.cli.app import app
from tests.conftest import MakeData

NBSP = "\u00a0"

# Three members, 30/70 key, a cap that binds for Solna, and Vaxholm joining mid-year.
EQUAL_CAP_NETWORK = """
name: Test Samverkan
administrator: Solna
key: {equal: 30, population: 70}
population_cap: 50000
members:
  - kommun: Solna
  - kommun: Täby
  - kommun: Vallentuna
  - kommun: Vaxholm
    joined: 2015-07-01
"""
FIXED_NETWORK = """
name: Test Samverkan
administrator: Solna
key: fixed
members:
  - {kommun: Solna, share: 40}
  - {kommun: Täby, share: 30}
  - {kommun: Vallentuna, share: 20}
  - {kommun: Vaxholm, share: 10, left: 2015-07-01}
"""
BUDGET = {2015: "year: 2015\nlines:\n  - {group: A, name: Strateg, amount: 905000}\n"}
REAL = {"2014-12-31": "real"}


def invoke(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_vallentuna_2015_reads_as_an_answer(shipped_data: Path, runner: CliRunner) -> None:
    code, out, err = invoke(runner, "explain", "2015", "Vallentuna", "--data", str(shipped_data))
    assert code == 0, err
    snapshot = shipped_data / "populations" / "2014-12-31.csv"
    expected = f"""\
Varför betalar Vallentuna 42 349 kr? – Koordination Norrort 2015

Vallentuna betalar 42 349 kr för 2015 (2015-01-01 – 2015-12-31, 365 dagar). Så här har \
beloppet räknats fram:

1. Befolkning: Vallentuna hade 31 969 invånare enligt SCB per 2014-12-31 (fil {snapshot}).
2. Att fördela: budgetens poster för perioden, 905 000 kr (avrundat till 1 kr).
3. Nyckel: befolkning. Vallentunas andel = 31 969 / 683 183 (summan för alla 15 medlemmar) \
= 4,6794 %.
4. Exakt belopp: 905 000 kr × 31 969 / 683 183 = 42 348,75 kr.
5. Avrundning till 1 kr: det exakta beloppet avkortas till 42 348 kr och resten är 0,75 kr. \
När alla 15 medlemmars belopp avkortats återstod 7 enheter; de gick en var till de 7 största \
resterna. Vallentunas rest är den 3:e största av 15, så Vallentuna fick en av dem: +1 kr.
6. Avgift: 42 348,75 kr + 0,25 kr = 42 349 kr, 4,68 % av totalen 905 000 kr.
"""
    assert out.replace(NBSP, " ") == expected


def test_english(shipped_data: Path, runner: CliRunner) -> None:
    code, out, _ = invoke(runner, "explain", "2015", "0187", "--data", str(shipped_data),
                          "--lang", "en")
    assert code == 0
    text = out.replace(NBSP, " ")
    assert text.startswith("Why does Vaxholm pay 15,007 kr? – Koordination Norrort 2015\n")
    assert "4. Exact amount: 905,000 kr × 11,329 / 683,183 = 15,007.32 kr." in text
    assert "Vaxholm's remainder is the 11th largest of 15, so Vaxholm got none: +0 kr." in text


def _allocate_json(runner: CliRunner, root: Path) -> dict[str, dict[str, object]]:
    code, out, err = invoke(runner, "allocate", "2015", "--data", str(root), "--json")
    assert code == 0, err
    return {m["kommun"]: m for m in json.loads(out)["members"]}


@pytest.mark.parametrize("network", [None, EQUAL_CAP_NETWORK, FIXED_NETWORK])
def test_explain_json_equals_allocate_json(
    network: str | None, make_data: MakeData, shipped_data: Path, runner: CliRunner
) -> None:
    root = shipped_data if network is None else make_data(network, BUDGET, REAL)
    members = _allocate_json(runner, root)
    for name, member in members.items():
        code, out, err = invoke(runner, "explain", "2015", name, "--data", str(root), "--json")
        assert code == 0, err
        x = json.loads(out)
        for field in ("kommunkod", "population", "exact", "fee", "carried", "amount",
                      "percent"):
            assert x[field] == member[field], (name, field)
        assert sum(s["amount"] != "0.00" for s in x["segments"]) >= 1
    assert not (root / "reports").exists()


def test_equal_key_with_cap_and_segments(make_data: MakeData, runner: CliRunner) -> None:
    root = make_data(EQUAL_CAP_NETWORK, BUDGET, REAL)
    code, out, err = invoke(runner, "explain", "2015", "Solna", "--data", str(root), "--json")
    assert code == 0, err
    x = json.loads(out)
    assert (x["population"], x["weight"], x["population_cap"]) == (74041, 50000, 50000)
    assert x["key"] == {"kind": "equal_population", "equal": "30", "population": "70"}
    first, second = x["segments"]
    # 1 Jan-30 Jun: 181/365 of 905 000; Solna, Täby (capped at 50 000) and Vallentuna (31 969).
    assert first["cost"] == "448780.82"
    assert (first["members"], first["weight_sum"]) == (3, 131969)
    assert first["equal_part"] == "1/10"
    assert first["population_part"] == "35000/131969"  # 7/10 × 50000/131969
    assert second["equal_part"] == "3/40" and second["weight_sum"] == 143298
    assert x["exact"] == "309547.21" and x["fee"] == 309547
    assert x["rounding"] == {"unit": 1, "truncated": 309547, "remainder": "0.21", "rank": 2,
                             "members": 4, "left_over": 1, "extra": 0, "tie": False,
                             "adjustment": "-0.21"}
    assert x["without_equal_part_or_cap_exact"] == "374601.34"
    assert x["without_cap_exact"] == "341315.46"
    code, out, _ = invoke(runner, "explain", "2015", "Solna", "--data", str(root))
    text = out.replace(NBSP, " ")
    assert ("2. Befolkningstak: högst 50 000 invånare räknas per kommun, så Solna räknas med "
            "50 000 av sina 74 041 invånare.") in text
    assert ("  2015-01-01 – 2015-06-30 (181 dagar): kostnad 448 780,82 kr; 3 medlemmar; lika del "
            "10,0000 % + befolkningsdel 26,5214 % (Σ 131 969) = 36,5214 % → 163 900,95 kr") in text
    assert ("Taket: utan befolkningstak vore det exakta beloppet 341 315,46 kr; taket ger Solna "
            "31 768,24 kr mindre.") in text


def test_fixed_key_renormalised(make_data: MakeData, runner: CliRunner) -> None:
    root = make_data(FIXED_NETWORK, BUDGET, REAL)
    code, out, _ = invoke(runner, "explain", "2015", "Täby", "--data", str(root))
    assert code == 0
    text = out.replace(NBSP, " ")
    assert "3. Nyckel: fasta andelar enligt avtalet (Täbys andel 30 %)" in text
    assert "(181 dagar): kostnad 448 780,82 kr; 4 medlemmar; 30 / 100 = 30,0000 %" in text
    assert "(184 dagar): kostnad 456 219,18 kr; 3 medlemmar; 30 / 90 = 33,3333 %" in text


def test_tie_is_reported(make_data: MakeData, runner: CliRunner) -> None:
    root = make_data(
        "name: T\nadministrator: Upplands Väsby\nmembers: [{kommun: '0114'}, "
        "{kommun: '0115'}, {kommun: '0117'}]\n",
        {2015: "year: 2015\nlines:\n  - {group: A, name: A, amount: 100}\n"},
        {"2014-12-31": {"0114": 500, "0115": 500, "0117": 500}},
    )
    code, out, _ = invoke(runner, "explain", "2015", "Vallentuna", "--data", str(root))
    assert code == 0
    assert ("Vallentunas rest är den 2:a största av 3, så Vallentuna fick ingen: +0 kr. Lika "
            "rest som en annan medlem: regeln vid lika rest (störst folkmängd, sedan lägst "
            "kommunkod) avgjorde.") in out.replace(NBSP, " ")
    code, out, _ = invoke(runner, "explain", "2015", "0114", "--data", str(root), "--json")
    assert json.loads(out)["rounding"]["tie"] is True
    assert json.loads(out)["fee"] == 34


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("Valentuna", "KOMMUN: unknown municipality 'Valentuna' (did you mean Vallentuna?)"),
        ("Uppsala", "KOMMUN: Uppsala is not a member of Koordination Norrort; the members in "
                    "2015 are Danderyd, Ekerö, Järfälla, Lidingö, Norrtälje, Sigtuna, "
                    "Sollentuna, Solna, Sundbyberg, Täby, Upplands-Bro, Upplands Väsby, "
                    "Vallentuna, Vaxholm, Österåker"),
    ],
)
def test_unknown_or_not_a_member(shipped_data: Path, runner: CliRunner, given: str,
                                 message: str) -> None:
    code, out, err = invoke(runner, "explain", "2015", given, "--data", str(shipped_data))
    assert (code, out, err) == (1, "", f"error: {message}\n")


def test_member_without_a_day_in_the_year(make_data: MakeData, runner: CliRunner) -> None:
    root = make_data(FIXED_NETWORK.replace("left: 2015-07-01", "joined: 2016-01-01"), BUDGET,
                     REAL)
    code, _, err = invoke(runner, "explain", "2015", "Vaxholm", "--data", str(root))
    assert code == 1
    assert err == ("error: KOMMUN: Vaxholm has no day as a member of Test Samverkan in 2015; "
                   "the members in 2015 are Solna, Täby, Vallentuna\n")


def test_ore_rounding_shows_four_decimals(make_data: MakeData, runner: CliRunner) -> None:
    root = make_data(
        "name: T\nadministrator: Solna\nrounding: 0.01\nmembers: [{kommun: Solna}, "
        "{kommun: Täby}, {kommun: Vallentuna}, {kommun: Vaxholm}]\n",
        {2015: "year: 2015\nlines:\n  - {group: A, name: A, amount: 100000}\nfunding:\n"
               "  - {name: Projektmedel, amount: 20000}\n"},
        REAL,
    )
    code, out, _ = invoke(runner, "explain", "2015", "Vaxholm", "--data", str(root))
    assert code == 0
    text = out.replace(NBSP, " ")
    # 80 000 × 11 329 / 184 673 = 4 907.7017...
    assert ("2. Att fördela: budgetens poster för perioden 100 000,00 kr minus extern "
            "finansiering 20 000,00 kr = 80 000,00 kr (avrundat till 0,01 kr).") in text
    assert "4. Exakt belopp: 80 000,00 kr × 11 329 / 184 673 = 4 907,7017 kr." in text
    assert "6. Avgift: 4 907,7017 kr − 0,0017 kr = 4 907,70 kr" in text
    code, out, _ = invoke(runner, "explain", "2015", "Vaxholm", "--data", str(root), "--json")
    x = json.loads(out)
    assert (x["exact"], x["fee"], x["total"]) == ("4907.70", "4907.70", "80000.00")
    assert x["rounding"]["remainder"] == "0.0017" and x["rounding"]["unit"] == "0.01"


def test_partial_member_of_the_shipped_example(runner: CliRunner) -> None:
    from tests.conftest import EXAMPLES

    root = EXAMPLES / "etablering-sodertorn-uttrade"
    code, out, err = invoke(runner, "explain", "2016", "Nykvarn", "--data", str(root))
    assert code == 0, err
    text = out.replace(NBSP, " ")
    assert ("Nykvarn betalar 12 893 kr för 2016 (2016-01-01 – 2016-12-31, 366 dagar). Nykvarn "
            "var medlem 181 av dem.") in text
    assert "(185 dagar): kostnad 790 274,51 kr; 9 medlemmar; Nykvarn var inte medlem → 0" in text


def test_carried_settlement_is_explained_and_agrees(runner: CliRunner) -> None:
    from tests.conftest import EXAMPLES

    root = EXAMPLES / "etablering-sodertorn"
    code, out, err = invoke(runner, "allocate", "2016", "--data", str(root), "--json")
    assert code == 0, err
    members = {m["kommun"]: m for m in json.loads(out)["members"]}
    for name, member in members.items():
        code, out, err = invoke(runner, "explain", "2016", name, "--data", str(root), "--json")
        assert code == 0, err
        x = json.loads(out)
        assert [x[k] for k in ("exact", "fee", "carried", "amount", "percent")] == [
            member[k] for k in ("exact", "fee", "carried", "amount", "percent")]
    code, out, _ = invoke(runner, "explain", "2016", "Botkyrka", "--data", str(root))
    text = out.replace(NBSP, " ")
    assert text.startswith(f"Varför betalar Botkyrka {members['Botkyrka']['amount']:,} kr?"
                           .replace(",", " "))
    assert (f"Avräkning från 2015 som läggs till avgiften: "
            f"−{-members['Botkyrka']['carried']:,} kr.".replace(",", " ")) in text
