"""kn stays light to start and exact as a cooperation grows (timings are bench/run's job; these
tests pin what keeps them low: what each command imports)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rich.console import Console
from rich.table import Table
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.keyplan import make_plan
from koordination.core.models import Key, Member, Network, Snapshot
from koordination.io.datadir import DataDir
from koordination.io.yamlfile import _PlainLoader, parse_yaml
from koordination.jobs.allocation import run_allocation
from koordination.render.text.tables import allocation_table, print_table
from koordination.render.xlsx import base as xlsx
from koordination.render.xlsx.allocation import build_allocation_sheets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from make_large import make  # noqa: E402

HEAVY = ("pandas", "openpyxl", "httpx", "babel", "pydantic", "numpy")


@pytest.mark.slow
def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['kn', '--help']\n"
        "from koordination.cli.run import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('heavy:', sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert "Usage: kn" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "heavy: []"


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make(tmp_path_factory.mktemp("large") / "alla")


def test_290_members_with_24_changes_allocate_exactly(large: Path) -> None:
    result = CliRunner().invoke(app, ["allocate", "2015", "--data", str(large), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    members = data["members"]
    assert len(members) == 290
    assert data["total"] == 905000
    assert sum(m["amount"] for m in members) == 905000
    assert sum(Decimal(m["percent"]) for m in members) == Decimal("100.00")
    assert sum(1 for m in members if m["days"] < 365) == 24
    run = run_allocation(DataDir(large), 2015)
    assert len(run.allocation.plan.segments) == 25
    assert sum(m.exact for m in run.allocation.members) == 905000
    assert all(abs(Fraction(m.fee) - m.exact) < 1 for m in run.allocation.members)


def test_290_member_workbook_and_table(large: Path, tmp_path: Path) -> None:
    out = tmp_path / "alla.xlsx"
    result = CliRunner().invoke(app, ["allocate", "2015", "--data", str(large), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sum(1 for line in lines if line.startswith("│ ")) == 291  # members and Totalt
    assert "905\u00a0000\u00a0kr" in result.stdout
    assert out.stat().st_size > 0


def _console() -> Console:
    return Console(file=io.StringIO(), force_terminal=False, no_color=True, highlight=False,
                   width=120, soft_wrap=False)


def _wide() -> Table:
    table = Table(title="t", show_footer=True)  # three footers of 50: wider than 120
    for i in range(3):
        table.add_column(f"k{i}", "x" * 50, justify="right")
    table.add_row("a", "c", "d")
    return table


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_sized_table_is_what_rich_prints(large: Path, lang: str) -> None:
    """print_table gives rich the column widths up front; the table printed is the one rich
    prints when it measures every cell itself, and a table too wide is left to rich."""
    allocations = [run_allocation(DataDir(root), 2015).allocation for root in (ROOT / "data",
                                                                                large)]
    makers = [*(lambda a=a: allocation_table(a, lang) for a in allocations), _wide]  # type: ignore[arg-type]
    for make_table in makers:
        sized, plain = _console(), _console()
        table = make_table()
        print_table(sized, table)
        plain.print(make_table())
        assert sized.file.getvalue() == plain.file.getvalue()  # type: ignore[attr-defined]
    wide = _wide()
    print_table(_console(), wide)
    assert [col.width for col in wide.columns] == [None, None, None]
    narrow = allocation_table(allocations[0], lang)  # type: ignore[arg-type]
    print_table(_console(), narrow)
    assert [col.width for col in narrow.columns][:2] == [14, 29 if lang == "sv" else 23]


def _edge_cases(large: Path) -> object:
    wb = xlsx.new_workbook(date(2015, 1, 1))
    build_allocation_sheets(wb, run_allocation(DataDir(large), 2015), "sv")
    ws = wb.sheet("Kanter")
    values = ["  leading", "trailing ", "a & b <c> \"d\" 'e'", "=SUM(A1:A2)", "+46", "-",
              "tab\tx", "line\nbreak", "", " ", True, False, 0, -12, 10**15 + 1, 1.5,
              Decimal("0.0473"), Decimal("-42780.5900"), Decimal("1E+3"), Decimal("0.00"),
              Fraction(1, 3), date(2015, 1, 1), None]
    for row, value in enumerate(values, start=1):
        xlsx.put(ws, row, 1, value, xlsx.INT, border=xlsx.BOX)
        xlsx.put(ws, row, 2, value)
    xlsx.formula(ws, len(values) + 1, 1, "=SUM(A1:A5)&\"<>\"", xlsx.KR, "0<>", font=xlsx.BOLD)
    xlsx.height(ws, 3, 30)
    xlsx.put(ws, len(values) + 3, 3, None, border=xlsx.BOX)  # a styled empty cell
    xlsx.put(ws, len(values) + 4, 2, "=bell\x07\x1b[31m")
    return wb


def test_cells_read_back_as_written(large: Path, tmp_path: Path) -> None:
    """Text stays text (a leading = makes no formula), control characters are dropped,
    Decimals and Fractions are numbers, and only formula() writes a formula."""
    path = tmp_path / "edges.xlsx"
    data = xlsx.to_bytes(_edge_cases(large))  # type: ignore[arg-type]
    path.write_bytes(data)
    assert xlsx.to_bytes(_edge_cases(large)) == data  # type: ignore[arg-type]
    ws = load_workbook(path)["Kanter"]
    got = [ws.cell(row, 2).value for row in range(1, 24)]
    assert got[:10] == ["  leading", "trailing ", "a & b <c> \"d\" 'e'", "=SUM(A1:A2)", "+46",
                        "-", "tab\tx", "line\nbreak", None, " "]
    assert [ws.cell(row, 2).data_type for row in (4, 5)] == ["s", "s"]
    assert got[10:15] == [True, False, 0, -12, 10**15 + 1]
    assert got[15:20] == [1.5, 0.0473, -42780.59, 1000, 0]
    assert got[20] == pytest.approx(1 / 3) and ws.cell(21, 2).data_type == "n"
    assert got[21] == datetime(2015, 1, 1) and got[22] is None
    assert ws.cell(27, 2).value == "=bell[31m" and ws.cell(27, 2).data_type == "s"
    assert ws.cell(24, 1).value == "=SUM(A1:A5)&\"<>\"" and ws.cell(24, 1).data_type == "f"
    assert (ws.cell(1, 1).number_format, ws.cell(24, 1).number_format) == ("#,##0", xlsx.KR)
    assert ws.cell(26, 3).border.left.style == "thin"
    assert ws.row_dimensions[3].height == 30


def test_each_look_is_registered_once(tmp_path: Path) -> None:
    """Cells of the same look share one format; a cell written again takes the look it is
    written with, whole."""
    wb = xlsx.new_workbook(date(2015, 1, 1))
    ws = wb.sheet("S")
    xlsx.header_row(ws, 1, ["a", "b"])
    xlsx.put(ws, 1, 1, "x", font=xlsx.TITLE)
    for row in range(2, 40):
        xlsx.put(ws, row, 1, row, xlsx.PCT, font=xlsx.BOLD, border=xlsx.BOX)
        xlsx.put(ws, row, 2, row, xlsx.PCT, font=dict(xlsx.BOLD), border=dict(xlsx.BOX))
    path = tmp_path / "s.xlsx"
    path.write_bytes(xlsx.to_bytes(wb))
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert styles.count("<xf ") - 1 == 4  # default, header, title, bold percent in a box
    back = load_workbook(path)["S"]
    cell, fresh = back.cell(1, 1), back.cell(1, 2)
    assert cell.font.size == 14 and cell.font.b
    assert cell.fill.fgColor.rgb != fresh.fill.fgColor.rgb == "FFDDE5F0"
    assert fresh.border.left.style == "thin" and cell.border.left.style is None
    for row in (2, 39):
        for col in (1, 2):
            c = back.cell(row, col)
            assert (c.number_format, c.font.b, c.border.left.style) == ("0.00%", True, "thin")


@pytest.mark.parametrize("text", [
    "a: 1\nb: [x, y]\nc: {d: 2015-01-01}\n", "a: &x [1]\nb: *x\n", "a: !!python/name:os.x ''\n",
    "a: b: c\n", "a: [1, 2\n", "", "# only\n", "a:\tb\n", "x: 0180\ny: '0180'\nz: 12:30\n",
    "- 1\n- 2\n", "a: 1\n---\nb: 2\n", "[" * 200 + "]" * 200,
])
def test_yaml_reads_as_the_python_loader(text: str) -> None:
    from koordination.core.errors import DataError

    try:
        expected: object = yaml.load(text, Loader=_PlainLoader)  # noqa: S506
    except (yaml.YAMLError, RecursionError):
        with pytest.raises(DataError):
            parse_yaml(text, "f.yaml")
        return
    assert parse_yaml(text, "f.yaml") == expected


CODES = ["0114", "0115", "0117", "0120", "0123"]


@st.composite
def networks(draw: st.DrawFn) -> tuple[Network, Snapshot]:
    n = draw(st.integers(1, 5))
    members = []
    for code in CODES[:n]:
        day = st.integers(0, 400).map(lambda d: date(2015, 1, 1) + timedelta(d))
        joined, left = draw(st.none() | day), draw(st.none() | day)
        if joined is not None and left is not None and left <= joined:
            left = None
        members.append(Member(code, code, joined=joined, left=left,
                              share=Decimal(draw(st.integers(1, 50)))))
    kind = draw(st.sampled_from(["population", "equal_population", "fixed"]))
    key = Key("equal_population", Decimal(30), Decimal(70)) if kind == "equal_population" \
        else Key(kind)
    network = Network(name="N", administrators=(), members=tuple(members), key=key,
                      population_cap=draw(st.none() | st.integers(1, 60000)))
    pops = {code: draw(st.integers(1, 100000)) for code in CODES}
    return network, Snapshot(date=date(2014, 12, 31), populations=pops, names={}, source="s")


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(networks(), st.integers(1, 10**7))
def test_exact_amounts_are_the_day_by_day_shares(case: tuple[Network, Snapshot], total: int
                                                 ) -> None:
    """plan.exact (two prefix sums per member) equals reference 3.5-3.6 computed day by day."""
    network, snapshot = case
    start, end = date(2015, 1, 1), date(2015, 12, 31)
    if not any(m.is_member_on(start + timedelta(d), 12) for m in network.members
               for d in range(365)):
        return
    try:
        plan = make_plan(network, snapshot, start, end)
    except Exception:  # a day with no member: the data is refused, nothing to compare
        return
    expected = {m.code: Fraction(0) for m in plan.members}
    cap = network.population_cap
    for d in range(365):
        day = start + timedelta(d)
        present = [m for m in network.members if m.is_member_on(day, 12)]
        w = {m.code: min(snapshot.populations[m.code], cap or 10**9) for m in present}
        for m in present:
            if network.key.kind == "fixed":
                share = Fraction(m.share or 0) / sum(Fraction(p.share or 0) for p in present)
            elif network.key.kind == "population":
                share = Fraction(w[m.code], sum(w.values()))
            else:
                share = Fraction(3, 10) / len(present) + Fraction(7, 10) * Fraction(
                    w[m.code], sum(w.values()))
            expected[m.code] += Fraction(total, 365) * share
    assert plan.exact(Fraction(total)) == expected
    day = date(2015, 7, 1)
    if plan.segment_of(day) is not None:
        on = plan.exact_on(day, Fraction(total))
        shares = plan.segment_shares[plan.segment_of(day)]  # type: ignore[index]
        assert on == {c: (total * shares[c] if c in shares else 0) for c in on}


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-10**12, max_value=10**12, allow_nan=False, places=4),
       st.sampled_from([0, 1, 2, 4]), st.sampled_from(["sv", "en"]))
def test_numbers_are_written_as_babel_writes_them(value: Decimal, places: int, lang: str
                                                  ) -> None:
    """kn groups the digits itself with the locale's symbols from babel: the same text as
    babel's own formatting, many times faster for a table of 290 amounts."""
    import babel.numbers

    from koordination.render.numbers import LOCALES, number_text

    locale = LOCALES[lang]
    amount = value.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
    expected = babel.numbers.format_decimal(
        abs(amount), format="#,##0" + ("." + "0" * places if places else ""), locale=locale,
        decimal_quantization=True)
    if amount < 0:
        expected = babel.numbers.get_minus_sign_symbol(locale) + expected
    assert number_text(value, places, lang) == expected  # type: ignore[arg-type]


@pytest.mark.slow
def test_allocate_loads_no_pandas_or_httpx(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['kn', 'allocate', '2015', '--data', {str(ROOT / 'data')!r}, '-o',"
        f" {str(tmp_path / 'f.xlsx')!r}]\n"
        "from koordination.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit as end:\n    assert not end.code, end.code\n"
        "print('heavy:', sorted({m.split('.')[0] for m in sys.modules}"
        " & {'pandas', 'httpx'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.splitlines()[-1] == "heavy: []"


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ["explain", "2015", "Solna"], ["budget", "2015"], ["validate"], ["population", "list"],
    ["settle", "2015", "--json"],
])
def test_commands_without_a_workbook_load_no_openpyxl(args: list[str]) -> None:
    """openpyxl (and numpy, which it imports) is loaded only by a command that writes or
    reads a workbook."""
    code = (
        "import sys\n"
        f"sys.argv = ['kn', *{args!r}, '--data', {str(ROOT / 'data')!r}]\n"
        "from koordination.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit as end:\n    assert not end.code, end.code\n"
        "print('heavy:', sorted({m.split('.')[0] for m in sys.modules}"
        " & {'openpyxl', 'numpy', 'pandas', 'httpx'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.splitlines()[-1] == "heavy: []"


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ["allocate", "2015", "-o", "{tmp}/a.xlsx"], ["settle", "2015", "-o", "{tmp}/s.xlsx"],
    ["compare", "2014", "2015", "-o", "{tmp}/c.xlsx"],
    ["invoices", "2015", "--draft", "-o", "{tmp}/i.xlsx"],
])
def test_commands_writing_workbooks_load_no_numpy(args: list[str], tmp_path: Path,
                                                   shipped_data: Path) -> None:
    """Workbooks are written with XlsxWriter: a command that reads no export (and no
    workbook of the user's) imports neither openpyxl nor numpy."""
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code = (
        "import sys\n"
        f"sys.argv = ['kn', *{args!r}, '--data', {str(shipped_data)!r}]\n"
        "from koordination.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit as end:\n    assert not end.code, end.code\n"
        "print('heavy:', sorted({m.split('.')[0] for m in sys.modules}"
        " & {'openpyxl', 'numpy', 'pandas'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, stdin=subprocess.DEVNULL)
    assert out.stdout.splitlines()[-1] == "heavy: []"
