"""``kn settle``: table, JSON, workbook, errors, and the surplus carried into next year."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.io.datadir import DataDir
from koordination.jobs.allocation import run_settlement
from koordination.render.json import settlement_json
from tests.conftest import EXAMPLES, MakeData, write

NETWORK = """
    name: Test
    administrator: Upplands Väsby
    rounding: 1
    surplus: {surplus}
    members:
      - kommun: Upplands Väsby
      - kommun: Vallentuna
      - kommun: Österåker
        {extra}
"""
POPS = {"0114": 300, "0115": 200, "0117": 100}


def budget(year: int, amount: int = 60000) -> str:
    return f"""
        year: {year}
        lines:
          - {{name: Lön, amount: {amount}}}
    """


def actuals(year: int, amount: str, one_off: str = "") -> str:
    text = f"""
        year: {year}
        lines:
          - {{name: Lön, amount: {amount}}}
    """
    if one_off:
        text += f"""
        one_off:
          - {one_off}
    """
    return text


def data_dir(make_data: MakeData, surplus: str = "refund", extra: str = "",
             actual: dict[int, str] | None = None, years: tuple[int, ...] = (2015,)) -> Path:
    return make_data(
        network=NETWORK.format(surplus=surplus, extra=extra),
        budgets={y: budget(y) for y in years},
        populations={f"{y - 1}-12-31": POPS for y in years},
        actuals=actual if actual is not None else {2015: actuals(2015, "66001")},
    )


def settle_json(runner: CliRunner, root: Path, year: int = 2015) -> dict[str, Any]:
    result = runner.invoke(app, ["settle", str(year), "--data", str(root), "--json"])
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def members(data: dict[str, Any], *keys: str) -> list[tuple[Any, ...]]:
    return [tuple(m[k] for k in ("kommun", *keys)) for m in data["members"]]


def test_overrun_json(make_data: MakeData, runner: CliRunner) -> None:
    out = settle_json(runner, data_dir(make_data))
    assert {k: out[k] for k in ("charged", "carried_in", "actual", "funding", "difference",
                                "one_off", "total")} == {
        "charged": 60000, "carried_in": 0, "actual": 66001, "funding": 0, "difference": 6001,
        "one_off": 0, "total": 6001,
    }
    assert members(out, "charged", "settlement", "one_off", "amount") == [
        ("Upplands Väsby", 30000, 3001, 0, 3001),
        ("Vallentuna", 20000, 2000, 0, 2000),
        ("Österåker", 10000, 1000, 0, 1000),
    ]


def test_surplus_refunded_json(make_data: MakeData, runner: CliRunner) -> None:
    root = data_dir(make_data, actual={2015: actuals(2015, "54000.40")})
    out = settle_json(runner, root)
    assert out["actual"] == "54000.40"
    assert out["difference"] == -6000
    assert members(out, "settlement", "amount", "to_invoice") == [
        ("Upplands Väsby", -3000, -3000, -3000),
        ("Vallentuna", -2000, -2000, -2000),
        ("Österåker", -1000, -1000, -1000),
    ]


def test_surplus_carried_forward_into_next_years_allocation(
    make_data: MakeData, runner: CliRunner
) -> None:
    root = data_dir(make_data, surplus="carry_forward",
                    actual={2015: actuals(2015, "54000")}, years=(2015, 2016))
    out = settle_json(runner, root)
    assert out["carried_forward"] == -6000 and out["to_invoice"] == 0
    assert members(out, "settlement", "carried_forward", "to_invoice") == [
        ("Upplands Väsby", -3000, -3000, 0),
        ("Vallentuna", -2000, -2000, 0),
        ("Österåker", -1000, -1000, 0),
    ]
    result = runner.invoke(app, ["allocate", "2016", "--data", str(root), "--json"])
    assert result.exit_code == 0, result.stderr
    alloc = json.loads(result.stdout)
    assert alloc["total"] == 54000
    assert members(alloc, "fee", "carried", "amount") == [
        ("Upplands Väsby", 30000, -3000, 27000),
        ("Vallentuna", 20000, -2000, 18000),
        ("Österåker", 10000, -1000, 9000),
    ]
    # the 2016 settlement charged only the fees, not the amounts carried in
    root2016 = root / "actuals" / "2016.yaml"
    write(root2016, actuals(2016, "54000"))
    out2016 = settle_json(runner, root, 2016)
    assert (out2016["charged"], out2016["carried_in"], out2016["difference"]) == (
        60000, -6000, -6000)


def test_surplus_of_a_member_not_in_next_year_is_refunded_now(
    make_data: MakeData, runner: CliRunner
) -> None:
    root = data_dir(make_data, surplus="carry_forward", extra="left: 2016-01-01",
                    actual={2015: actuals(2015, "54000")}, years=(2015, 2016))
    out = settle_json(runner, root)
    assert members(out, "settlement", "carried_forward", "to_invoice") == [
        ("Upplands Väsby", -3000, -3000, 0),
        ("Vallentuna", -2000, -2000, 0),
        ("Österåker", -1000, 0, -1000),
    ]
    assert (out["carried_forward"], out["to_invoice"]) == (-5000, -1000)
    result = runner.invoke(app, ["allocate", "2016", "--data", str(root), "--json"])
    alloc = json.loads(result.stdout)
    assert members(alloc, "fee", "carried", "amount") == [
        ("Upplands Väsby", 36000, -3000, 33000),
        ("Vallentuna", 24000, -2000, 22000),
    ]


def test_surplus_of_a_member_with_some_days_next_year_is_carried(
    make_data: MakeData, runner: CliRunner
) -> None:
    root = data_dir(make_data, surplus="carry_forward", extra="notice: 2015-01-31",
                    actual={2015: actuals(2015, "54000")}, years=(2015, 2016))
    out = settle_json(runner, root)
    assert out["to_invoice"] == 0
    result = runner.invoke(app, ["allocate", "2016", "--data", str(root), "--json"])
    alloc = json.loads(result.stdout)
    assert members(alloc, "days", "fee", "carried", "amount") == [
        ("Upplands Väsby", 366, 35508, -3000, 32508),
        ("Vallentuna", 366, 23672, -2000, 21672),
        ("Österåker", 30, 820, -1000, -180),
    ]


def test_one_off_after_a_member_left(make_data: MakeData, runner: CliRunner) -> None:
    root = data_dir(
        make_data, extra="left: 2015-07-01",
        actual={2015: actuals(2015, "60000",
                              "{name: Avvecklingskostnad, amount: 10000, date: 2015-11-30}")},
    )
    out = settle_json(runner, root)
    assert out["one_offs"] == [{"name": "Avvecklingskostnad", "date": "2015-11-30",
                                "amount": 10000, "members": ["0114", "0115"]}]
    assert (out["difference"], out["one_off"], out["total"]) == (0, 10000, 10000)
    assert members(out, "settlement", "one_off", "amount") == [
        ("Upplands Väsby", 0, 6000, 6000),
        ("Vallentuna", 0, 4000, 4000),
        ("Österåker", 0, 0, 0),
    ]


def test_json_equals_the_core_result(make_data: MakeData, runner: CliRunner) -> None:
    root = data_dir(make_data, actual={2015: actuals(
        2015, "66001", "{name: X, amount: 999.5, date: 2015-05-05}")})
    out = settle_json(runner, root)
    assert out.pop("charged_from") == "recomputed"
    assert out.pop("decision") is None  # no settlement decision recorded
    assert out == json.loads(json.dumps(settlement_json(
        run_settlement(DataDir(root), 2015).settlement), ensure_ascii=False))
    assert not (root / "reports").exists()


def test_table_and_default_workbook(make_data: MakeData, runner: CliRunner) -> None:
    root = data_dir(make_data)
    result = runner.invoke(app, ["settle", "2015", "--data", str(root)])
    assert result.exit_code == 0, result.stderr
    assert "Avräkning för Test 2015" in result.stdout
    assert "Skillnad att fördela" in result.stdout
    assert "6\u00a0001\u00a0kr" in result.stdout
    assert (root / "reports" / "2015" / "avrakning-2015.xlsx").exists()
    en = runner.invoke(app, ["settle", "2015", "--data", str(root), "--lang", "en",
                             "-o", str(root / "en.xlsx")])
    assert "Settlement of Test 2015" in en.stdout
    assert "Difference to share" in en.stdout


def test_workbook_cells_and_formats(make_data: MakeData, runner: CliRunner,
                                    tmp_path: Path) -> None:
    root = data_dir(make_data, actual={2015: """
        year: 2015
        lines:
          - {name: Lön, amount: 64000}
          - {name: Konferens, amount: 2001}
        one_off:
          - {name: Avvecklingskostnad, amount: 600, date: 2015-11-30}
    """})
    target = tmp_path / "out" / "a.xlsx"
    target.parent.mkdir()
    result = runner.invoke(app, ["settle", "2015", "--data", str(root), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(target)
    assert wb.sheetnames == ["Avräkning 2015", "Budget mot utfall", "Underlag", "Metod"]
    ws = wb["Avräkning 2015"]
    assert ws["A1"].value == "Avräkning för Test 2015"
    assert [c.value for c in ws[4]] == [
        "Kommun", "Debiterat 2015 (kr)", "Andel av nettokostnaden (kr)", "Avräkning (kr)",
        "Avvecklingskostnad (2015-11-30) (kr)", "Att fakturera (+) / betala tillbaka (−) nu (kr)",
    ]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=8)] == [
        ["Upplands Väsby", 30000, 33001, 3001, 300, 3301],
        ["Vallentuna", 20000, 22000, 2000, 200, 2200],
        ["Österåker", 10000, 11000, 1000, 100, 1100],
        ["Totalt", "=SUM(B5:B7)", "=SUM(C5:C7)", "=SUM(D5:D7)", "=SUM(E5:E7)",
         "=SUM(F5:F7)"],
    ]
    assert ws["B5"].number_format == "#,##0;−#,##0;0"
    assert ws["F8"].number_format == "+#,##0;−#,##0;0"
    assert ws["D5"].number_format == "+#,##0;−#,##0;0"
    assert ws["A9"].value.startswith("Tecken: plus = kommunen betalar (mer), minus = kommunen "
                                      "betalar mindre eller får tillbaka;")
    ba = wb["Budget mot utfall"]
    assert [[c.value for c in row] for row in ba.iter_rows(min_row=4, max_row=7)] == [
        ["Post", "Budget för perioden", "Utfall", "Skillnad", "Avvikelse %"],
        ["Lön", 60000, 64000, 4000, pytest.approx(0.0667, abs=1e-9)],
        ["Konferens (ej i budget)", None, 2001, None, None],
        ["TOTALT", "=SUM(B5:B6)", "=SUM(C5:C6)", "=C7-B7", '=IF(B7=0,"",D7/B7)'],
    ]
    assert ba["E5"].number_format == "0.00%"
    assert ba["B5"].number_format == ba["D5"].number_format == "#,##0.00;−#,##0.00;0.00"
    basis = wb["Underlag"]
    assert [c.value for c in basis[4]][:9] == [
        "0114", "Upplands Väsby", 300, 300, 365, 30000, pytest.approx(3000.5), 3001,
        pytest.approx(0.5)]
    method = [c.value for c in wb["Metod"]["A"] if c.value]
    assert any("Engångskostnader delas" in str(t) for t in method)


def test_workbook_is_byte_identical(make_data: MakeData, runner: CliRunner,
                                    tmp_path: Path) -> None:
    root = data_dir(make_data)
    for name in ("a.xlsx", "b.xlsx"):
        runner.invoke(app, ["settle", "2015", "--data", str(root), "-o", str(tmp_path / name)])
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


# ---------------------------------------------------------------- bad input


def errors(runner: CliRunner, root: Path, year: int = 2015) -> list[str]:
    result = runner.invoke(app, ["settle", str(year), "--data", str(root)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert not (root / "reports").exists()
    return result.stderr.splitlines()


def test_actuals_for_a_year_with_no_budget(make_data: MakeData, runner: CliRunner) -> None:
    root = data_dir(make_data, actual={2016: actuals(2016, "1000")})
    assert errors(runner, root, 2016) == [
        f"error: {root}/actuals/2016.yaml: actuals for 2016 but no budget for 2016; a "
        "settlement compares the outcome with the fees charged, so write budgets/2016.yaml "
        "first"
    ]


def test_no_actuals(make_data: MakeData, runner: CliRunner) -> None:
    root = data_dir(make_data, actual={})
    assert errors(runner, root) == [
        f"error: {root}/actuals/2015.yaml: no actuals for 2015; write actuals/2015.yaml "
        "(or .xlsx) with the year's actual costs"
    ]


def test_an_actuals_file_of_another_year_says_so_beside_its_other_problems(
        make_data: MakeData, runner: CliRunner) -> None:
    root = data_dir(make_data, actual={2015: """
        year: 2014
        lines:
          - {name: Lön}
    """})
    file = f"{root}/actuals/2015.yaml"
    assert errors(runner, root) == [
        f"error: {file}: year: year is 2014 but the file is for 2015; make them agree",
        f"error: {file}: lines[0].amount: required but missing",
    ]


def test_every_problem_of_an_actuals_file_at_once(make_data: MakeData,
                                                   runner: CliRunner) -> None:
    root = data_dir(make_data, actual={2015: """
        year: 2014
        lines:
          - {name: Lön, amount: -5000}
          - {name: lön , amount: 10}
        one_off:
          - {name: Avveckling, amount: 100, date: 2016-01-15}
        funding:
          - {name: Bidrag, amount: -1}
    """})
    file = f"{root}/actuals/2015.yaml"
    assert errors(runner, root) == [
        f"error: {file}: year: year is 2014 but the file is for 2015; make them agree",
        f"error: {file}: lines[0].amount: actual cost must not be negative (got -5000); "
        "enter grants and refunds under funding",
        f"error: {file}: lines[1].name: 'lön' is already lines[0]; combine the two or name "
        "them apart",
        f"error: {file}: one_off[0].date: 2016-01-15 is not in 2014; a one-off cost is "
        "settled in the year of its date",
        f"error: {file}: funding[0].amount: funding must not be negative (got -1)",
    ]


def test_one_off_outside_the_year(make_data: MakeData, runner: CliRunner) -> None:
    root = data_dir(make_data, actual={2015: actuals(
        2015, "60000", "{name: Avveckling, amount: 100, date: 2016-01-15}")})
    assert errors(runner, root) == [
        f"error: {root}/actuals/2015.yaml: one_off[0].date: 2016-01-15 is not in 2015; a "
        "one-off cost is settled in the year of its date"
    ]


def test_one_off_on_a_day_with_no_members(make_data: MakeData, runner: CliRunner) -> None:
    root = make_data(
        network=NETWORK.format(surplus="refund", extra="").replace(
            "      - kommun: Upplands Väsby\n", "      - kommun: Upplands Väsby\n"
            "        joined: 2015-03-01\n").replace(
            "      - kommun: Vallentuna\n", "      - kommun: Vallentuna\n"
            "        joined: 2015-03-01\n").replace(
            "      - kommun: Österåker\n", "      - kommun: Österåker\n"
            "        joined: 2015-03-01\n"),
        budgets={2015: """
            year: 2015
            period: {start: 2015-03-01, end: 2015-12-31}
            lines:
              - {name: Lön, amount: 60000}
        """},
        populations={"2014-12-31": POPS},
        actuals={2015: actuals(2015, "50000",
                               "{name: Startkostnad, amount: 100, date: 2015-02-01}")},
    )
    assert errors(runner, root) == [
        f"error: {root}/actuals/2015.yaml: one_off[0].date: no member shares costs on "
        "2015-02-01: it is outside 2015's period 2015-03-01 to 2015-12-31; date the cost "
        "inside the period"
    ]


def test_settlement_of_a_year_without_a_snapshot(make_data: MakeData,
                                                 runner: CliRunner) -> None:
    root = data_dir(make_data)
    (root / "populations" / "2014-12-31.csv").unlink()
    assert errors(runner, root) == [
        f"error: {root}/populations/2014-12-31.csv: no population snapshot for 2015: fee "
        "year 2015 uses the snapshot of 2014-12-31; import it with 'kn population import "
        "FILE --date 2014-12-31' or 'kn population fetch 2014'"
    ]


def test_validate_checks_actuals(make_data: MakeData, runner: CliRunner) -> None:
    root = data_dir(make_data, actual={
        2015: actuals(2015, "-1"),
        2016: actuals(2016, "10"),
    })
    result = runner.invoke(app, ["validate", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {root}/actuals/2015.yaml: lines[0].amount: actual cost must not be negative "
        "(got -1); enter grants and refunds under funding",
        f"error: {root}/actuals/2016.yaml: actuals for 2016 but no budget for 2016; a "
        "settlement compares the outcome with the fees charged, so write budgets/2016.yaml "
        "first",
    ]


def test_actuals_workbook_goes_through_the_same_checks(make_data: MakeData,
                                                      runner: CliRunner) -> None:
    from openpyxl import Workbook

    root = data_dir(make_data, actual={})
    (root / "actuals").mkdir()
    book = Workbook()
    book.active.title = "Utfall"
    for row in (["kind", "name", "amount"], ["line", "Lön", 66001], [None, "Totalt", 66001]):
        book.active.append(row)
    book.save(root / "actuals" / "2015.xlsx")
    assert settle_json(runner, root)["difference"] == 6001


# ---------------------------------------------------------------- shipped examples


def test_shipped_norrort_2015(shipped_data: Path, runner: CliRunner) -> None:
    out = settle_json(runner, shipped_data)
    assert {k: out[k] for k in ("charged", "actual", "difference", "one_off", "total")} == {
        "charged": 905000, "actual": "936700.50", "difference": 31701, "one_off": 120000,
        "total": 151701,
    }
    assert sum(m["settlement"] for m in out["members"]) == out["difference"]
    assert members(out, "charged", "settlement", "one_off", "amount")[0] == (
        "Danderyd", 42781, 1498, 5673, 7171)


def copy_example(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns("reports"))
    return target


def test_sodertorn_surplus_carried_into_2016(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_example("etablering-sodertorn", tmp_path)
    out = settle_json(runner, root)
    assert (out["difference"], out["carried_forward"], out["to_invoice"]) == (-45173, -45173, 0)
    result = runner.invoke(app, ["allocate", "2016", "--data", str(root), "--json"])
    alloc = json.loads(result.stdout)
    assert (alloc["fee_total"], alloc["total"]) == (1563462, 1518289)
    assert members(alloc, "fee", "carried", "amount")[0] == (
        "Botkyrka", 228754, -6661, 222093)
    assert sum(m["carried"] for m in alloc["members"]) == -45173


def test_uttrade_one_off_after_nykvarn_left(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_example("etablering-sodertorn-uttrade", tmp_path)
    out = settle_json(runner, root, 2016)
    nykvarn = next(m for m in out["members"] if m["kommun"] == "Nykvarn")
    assert nykvarn["days"] == 181
    assert nykvarn["one_off"] == 0
    assert nykvarn["carried_forward"] == 0
    assert nykvarn["to_invoice"] == nykvarn["settlement"] < 0
    assert "0140" not in out["one_offs"][0]["members"]
    assert len(out["one_offs"][0]["members"]) == 9
    assert sum(m["one_off"] for m in out["members"]) == 45000


def test_ore_network_json_and_english_workbook(make_data: MakeData, runner: CliRunner,
                                               tmp_path: Path) -> None:
    root = make_data(
        network=NETWORK.format(surplus="refund", extra="").replace("rounding: 1",
                                                                   "rounding: 0.01"),
        budgets={2015: budget(2015, 100)},
        populations={"2014-12-31": {"0114": 100, "0115": 100, "0117": 100}},
        actuals={2015: actuals(2015, "100.01")},
    )
    out = settle_json(runner, root)
    assert (out["charged"], out["actual"], out["difference"]) == ("100.00", "100.01", "0.01")
    assert members(out, "charged", "settlement") == [
        ("Upplands Väsby", "33.34", "0.01"),
        ("Vallentuna", "33.33", "0.00"),
        ("Österåker", "33.33", "0.00"),
    ]
    target = tmp_path / "en.xlsx"
    result = runner.invoke(app, ["settle", "2015", "--data", str(root), "--lang", "en",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(target)
    assert wb.sheetnames == ["Settlement 2015", "Budget and actual", "Basis", "Method"]
    ws = wb["Settlement 2015"]
    assert [c.value for c in ws[4]] == [
        "Municipality", "Charged 2015 (kr)", "Share of the net cost (kr)", "Settlement (kr)",
        "Invoiced (+) / paid back (−) now (kr)"]
    assert ws["B5"].number_format == "#,##0.00;−#,##0.00;0.00"


def test_carry_forward_rows_add_up_and_say_their_signs(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    """Etablering Södertörn 2016 (Nykvarn out from 30 June): each member row reads from the
    settlement, the one-off cost and what moves to the fee 2017 to what is invoiced now."""
    root = copy_example("etablering-sodertorn-uttrade", tmp_path)
    target = tmp_path / "s.xlsx"
    result = runner.invoke(app, ["settle", "2016", "--data", str(root), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(target)
    ws = wb["Avräkning 2016"]
    assert [c.value for c in ws[4]] == [
        "Kommun", "Debiterat 2016 (kr)", "Andel av nettokostnaden (kr)", "Avräkning (kr)",
        "Flytt av kontoret (2016-11-30) (kr)", "Flyttas till avgiften 2017 (kr)",
        "Att fakturera (+) / betala tillbaka (−) nu (kr)", "Anmärkning"]
    rows = {row[0]: row[1:] for row in ws.iter_rows(min_row=5, max_row=14, values_only=True)}
    # what moves to the fee 2017 has the sign of the 2017 annex: −4 165, a lower fee
    assert rows["Botkyrka"] == (230715, 226550, -4165, 6696, -4165, 6696, None)
    assert rows["Nykvarn"] == (12893, 12660, -233, 0, 0, -233,
                               "inte medlem 2017: avräknas nu")
    for name, (charged, share, settlement, one_off, moved, now, _) in rows.items():
        assert charged + settlement == share, name
        assert settlement + one_off - moved == now, name
    assert ws["D5"].number_format == "+#,##0;−#,##0;0"
    assert ws["A16"].value.startswith("Tecken: plus = kommunen betalar (mer), minus = kommunen "
                                      "betalar mindre eller får tillbaka;")
    summary = {ws.cell(r, 1).value: ws.cell(r, 4).value for r in range(18, 28)}
    assert {ws.cell(r, 4).number_format for r in range(18, 28) if ws.cell(r, 4).value} == {
        '#,##0.00" kr";−#,##0.00" kr";0.00" kr"'}  # one column, one number of decimals
    assert summary["Avräkning och engångskostnader, summa"] == 16773
    assert summary["Flyttas till avgiften 2017 (minus: avgiften blir lägre)"] == -27994
    assert summary["Att fakturera (+) / betala tillbaka (−) nu"] == 44767
    method = [c.value for c in wb["Metod"]["A"] if c.value]
    assert not any("återbetalas" in line for line in method)
    assert any(line.startswith("Överskott förs över:") for line in method)
    assert ws["A3"].value == "Beslut: Förslag – ej beslutat"
    for sheet in wb.worksheets:
        assert sheet.oddHeader.right.text == "Förslag", sheet.title
        assert sheet.oddFooter.right.text == "Sida &P av &N", sheet.title


def test_underlag_exact_settlement_sums_to_the_difference_as_shown(
    shipped_data: Path, runner: CliRunner, tmp_path: Path
) -> None:
    """Norrort 2015's difference 31 701 kr: the exact shares (eight decimals stored, four
    shown) add up to 31 701,0000 as the sheet shows them, not 31 700,9999."""
    from decimal import Decimal

    target = tmp_path / "s.xlsx"
    result = runner.invoke(app, ["settle", "2015", "--data", str(shipped_data), "-o",
                                 str(target)])
    assert result.exit_code == 0, result.stderr
    ws = load_workbook(target)["Underlag"]
    assert ws["G3"].value == "Exakt avräkning"
    exact = [Decimal(str(ws.cell(r, 7).value)) for r in range(4, 19)]
    assert ws["G19"].value == "=SUM(G4:G18)"
    assert sum(exact).quantize(Decimal("0.0001")) == Decimal("31701.0000")
    assert ws["G4"].number_format == "#,##0.0000"
