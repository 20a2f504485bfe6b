"""kn init: a new cooperation from flags, filled in, populated and allocated."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.io.budget import load_budget_yaml
from koordination.io.excel import BUDGET_COLUMNS, load_budget_xlsx
from koordination.render.xlsx import budget_form
from tests.conftest import DATA

MEMBERS = "Uppsala,Heby,Tierp,Knivsta,Östhammar"
CODES = {"0380": "Uppsala", "0331": "Heby", "0360": "Tierp", "0330": "Knivsta",
         "0382": "Östhammar"}


def init(root: Path, *extra: str) -> object:
    return CliRunner().invoke(app, ["init", str(root), "--name", "Etablering Uppsala län",
                                    "--administrator", "Uppsala", "--members", MEMBERS,
                                    "--year", "2027", *extra])


def test_init_prints_the_files_and_the_next_commands(tmp_path: Path) -> None:
    root = tmp_path / "uppsala"
    result = init(root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"Skapade {root}/network.yaml\n"
        f"Skapade {root}/budgets/2027.yaml\n"
        "Nästa steg:\n"
        f"  1. fyll i budgeten i {root}/budgets/2027.yaml\n"
        "  2. hämta befolkningen 2026-12-31 (för avgiftsåret 2027):\n"
        f"       kn population fetch 2026 --data {root}\n"
        "     eller, med en fil från SCB:s Statistikdatabas:\n"
        f"       kn population import FIL --data {root}\n"
        "  3. kontrollera och fördela:\n"
        f"       kn validate --data {root}\n"
        f"       kn allocate 2027 --data {root}\n")
    assert (root / "populations").is_dir()
    network = (root / "network.yaml").read_text("utf-8")
    for key in ("name:", "administrator:", "notice_months:", "population:", "date:", "lag:",
                "by_year:", "key:", "population_cap:", "rounding:", "surplus:", "deficit:",
                "terms_days:", "corrections:", "members:", "kommun:", "joined:", "notice:", "left:",
                "orgnr:", "share:", "invoicing:", "prefix:", "bankgiro:", "plusgiro:",
                "contact:", "legal_name:", "reference:", "address:"):
        assert key in network, key


def test_a_fresh_cooperation_validates_with_four_notes(tmp_path: Path) -> None:
    root = tmp_path / "uppsala"
    assert init(root).exit_code == 0
    result = CliRunner().invoke(app, ["validate", "--data", str(root)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == (
        f"note: {root}/budgets/2027.yaml: fill in the budget: every amount for 2027 is 0\n"
        f"note: {root}/populations/2026-12-31.csv: no population yet: fee year 2027 uses the "
        "snapshot of 2026-12-31; import it with 'kn population import FILE --date 2026-12-31' "
        "or 'kn population fetch 2026'\n"
        f"note: {root}/network.yaml: invoicing.sender has no bankgiro or plusgiro, address or "
        "contact (vår referens): invoices print them as missing (saknas) and carry no OCR "
        "reference (add "
        "them under invoicing: {sender: ...})\n"
        f"note: {root}/network.yaml: no member has an orgnr, reference (er referens) or "
        "invoice address (add orgnr: NNNNNN-NNNN, reference: ..., address: ... to each "
        "member)\n"
        f"{root}: 2 filer kontrollerade, inga fel; 4 saker att göra\n")


def test_init_fill_import_allocate(tmp_path: Path) -> None:
    root = tmp_path / "uppsala"
    assert init(root).exit_code == 0
    budget = root / "budgets" / "2027.yaml"
    text = budget.read_text("utf-8")
    text = text.replace("name: Lön strateg, amount: 0,", "name: Lön strateg, amount: 480000,")
    text = text.replace("rate: 550, per_month: 0", "rate: 550, per_month: 4")
    budget.write_text(text, "utf-8")
    network = root / "network.yaml"  # the figures of a day that has passed: 2025-12-31
    network.write_text(network.read_text("utf-8").replace("  lag: 1 ", "  lag: 2 "), "utf-8")
    # an export with the columns kommunkod and folkmängd, from the shipped 2025 figures
    rows = (DATA / "populations" / "2025-12-31.csv").read_text("utf-8").splitlines()[1:]
    export = tmp_path / "folkmangd.csv"
    export.write_text("kommunkod,folkmängd\n" + "\n".join(
        f"{r.split(',')[0]},{r.split(',')[2]}" for r in rows) + "\n", "utf-8")
    imported = CliRunner().invoke(app, ["population", "import", str(export), "--date",
                                        "2025-12-31", "--data", str(root)])
    assert imported.exit_code == 0, imported.stderr
    checked = CliRunner().invoke(app, ["validate", "--data", str(root)])
    assert checked.exit_code == 0, checked.stderr
    assert checked.stdout == (  # only what the invoices will lack
        f"note: {root}/network.yaml: invoicing.sender has no bankgiro or plusgiro, address or "
        "contact (vår referens): invoices print them as missing (saknas) and carry no OCR "
        "reference (add "
        "them under invoicing: {sender: ...})\n"
        f"note: {root}/network.yaml: no member has an orgnr, reference (er referens) or "
        "invoice address (add orgnr: NNNNNN-NNNN, reference: ..., address: ... to each "
        "member)\n"
        f"{root}: 3 filer kontrollerade, inga fel; 2 saker att göra\n")
    result = CliRunner().invoke(app, ["allocate", "2027", "--data", str(root), "--json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    # 480 000 × 1.3846 + 550 × 4 × 12
    assert out["total"] == 664608 + 26400
    assert {m["kommunkod"]: m["kommun"] for m in out["members"]} == CODES
    assert sum(m["amount"] for m in out["members"]) == 691008
    populations = dict(r.split(",")[0::2] for r in rows)
    assert {m["kommunkod"]: m["population"] for m in out["members"]} == {
        code: int(populations[code]) for code in CODES}


def test_the_excel_budget_reads_back_as_the_yaml_one(tmp_path: Path) -> None:
    assert budget_form.BUDGET_COLUMNS == BUDGET_COLUMNS
    assert init(tmp_path / "a").exit_code == 0
    result = init(tmp_path / "b", "--budget", "xlsx")
    assert result.exit_code == 0, result.stderr
    from_yaml = load_budget_yaml(tmp_path / "a" / "budgets" / "2027.yaml", year=2027)
    xlsx = tmp_path / "b" / "budgets" / "2027.xlsx"
    assert load_budget_xlsx(xlsx, year=2027) == from_yaml
    # an officer fills in a cell and saves: kn reads the number typed
    wb = load_workbook(xlsx)
    ws = wb["Budget"]
    assert [c.value for c in ws[7]] == [*BUDGET_COLUMNS, "note"]
    assert ws["C8"].value == "Lön strateg" and str(ws["E8"].value) == "38.46"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    ws["D8"] = 480000
    wb.save(xlsx)
    budget = load_budget_xlsx(xlsx, year=2027)
    assert budget.lines[0].amount == 480000
    assert budget.lines[0].overhead_percent == Decimal("38.46")
    assert (budget.start.isoformat(), budget.end.isoformat()) == ("2027-01-01", "2027-12-31")


def test_init_never_overwrites(tmp_path: Path) -> None:
    root = tmp_path / "uppsala"
    assert init(root).exit_code == 0
    before = (root / "network.yaml").read_bytes()
    result = init(root, "--budget", "xlsx")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {root}/network.yaml: {root} already holds a cooperation; kn init never "
        f"overwrites a file: start the budget of a new year with 'kn budget new 2027 --data "
        f"{root}', or give kn init a new directory\n")
    assert (root / "network.yaml").read_bytes() == before
    assert not (root / "budgets" / "2027.xlsx").exists()
    (root / "network.yaml").unlink()  # a budget alone: nothing is suggested to remove
    result = init(root, "--budget", "xlsx")
    assert result.stderr == (f"error: {root}/budgets/2027.yaml: already exists; kn init never "
                             "overwrites a file: give a new directory\n")
    assert not (root / "network.yaml").exists()


def test_missing_values_without_a_terminal_are_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init", str(tmp_path / "x"), "--members", "Heby"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --name is missing; give --name TEXT (kn asks for it only on a terminal)\n"
        "error: --administrator is missing; give --administrator KOMMUN (kn asks for it only "
        "on a terminal)\n")
    assert not (tmp_path / "x").exists()


def test_unknown_municipalities_are_named_and_nothing_is_written(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init", str(tmp_path / "x"), "--name", "E",
                                      "--administrator", "Hebi", "--members", "Hebi,Tierpp,Tierp"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --members: unknown 'Hebi' (did you mean Heby?)\n"
        "error: --members: unknown 'Tierpp' (did you mean Tierp?)\n"
        "error: --administrator: unknown 'Hebi' (did you mean Heby?)\n")
    assert not (tmp_path / "x").exists()


def test_the_administrator_must_be_a_member(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init", str(tmp_path / "x"), "--name", "E",
                                      "--administrator", "Uppsala", "--members", "Heby,Tierp"])
    assert result.exit_code == 2
    assert result.stderr == ("error: --administrator: Uppsala is not among the members; the "
                             "administrator must be one of them (add it to --members)\n")


def test_default_year_is_next_year() -> None:
    from datetime import date

    from koordination.jobs.init import default_year

    assert default_year(date(2026, 12, 1)) == 2027
    assert default_year(date(2027, 1, 1)) == 2028


def _expect(fd: int, text: str, seen: list[str], timeout: float = 30) -> None:
    import os
    import select
    import time

    end = time.monotonic() + timeout
    while text not in "".join(seen):
        ready, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
        assert ready, f"waited for {text!r}; the terminal showed {''.join(seen)!r}"
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            chunk = b""
        assert chunk, f"kn ended before {text!r}; the terminal showed {''.join(seen)!r}"
        seen.append(chunk.decode("utf-8", "replace"))


def test_on_a_terminal_kn_asks_and_checks_each_municipality(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = tmp_path / "uppsala"
    controller, terminal = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "koordination", "init", str(root),
                             "--year", "2027"], stdin=terminal, stdout=terminal,
                            stderr=terminal, close_fds=True)
    os.close(terminal)
    seen: list[str] = []
    try:
        _expect(controller, "Samverkans namn: ", seen)
        os.write(controller, "Etablering Uppsala län\n".encode())
        _expect(controller, "Medlemmar (kommuner, med kommatecken emellan): ", seen)
        os.write(controller, b"Uppsala, Hebi, Tierp\n")
        _expect(controller, "Rätta 'Hebi' (tomt: hoppa över): ", seen)
        os.write(controller, b"Heby\n")
        _expect(controller, "Förvaltande kommun [Uppsala]: ", seen)
        os.write(controller, b"Knivsta\n")
        again: list[str] = []
        _expect(controller, "not one of the members", again)
        _expect(controller, "Förvaltande kommun [Uppsala]: ", again)
        seen += again
        os.write(controller, b"\n")
        _expect(controller, "kn allocate 2027", seen)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(controller)
    shown = "".join(seen).replace("\r\n", "\n")
    assert "Hebi: unknown 'Hebi' (did you mean Heby?)" in shown
    assert "Knivsta: not one of the members: Uppsala, Heby, Tierp" in shown
    network = (root / "network.yaml").read_text("utf-8")
    assert "name: Etablering Uppsala län\n" in network
    assert "administrator: Uppsala\n" in network
    assert "  - kommun: Uppsala\n  - kommun: Heby\n  - kommun: Tierp\n" in network


def test_the_commented_funding_example_works_when_uncommented(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init", str(tmp_path / "coop"), "--name", "T",
                                      "--administrator", "Uppsala", "--members", "Uppsala,Heby",
                                      "--year", "2027"])
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "coop" / "budgets" / "2027.yaml"
    assert load_budget_yaml(path).funding == ()
    text = path.read_text("utf-8")
    assert "\n  # {name: Projektmedel, amount: 100000},\n" in text
    path.write_text(text.replace("  # {name: Projektmedel", "  {name: Projektmedel"), "utf-8")
    funding = load_budget_yaml(path).funding
    assert [(f.name, f.amount) for f in funding] == [("Projektmedel", Decimal(100000))]
