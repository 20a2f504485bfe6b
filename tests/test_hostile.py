"""Hostile input: entity expansion and zip bombs in workbooks, YAML bombs and tags, formulas
in names, and escape sequences bound for the terminal."""

from __future__ import annotations

import importlib.util
import io
import re
import time
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.errors import DataError
from koordination.io import gate
from koordination.io.gate import read
from koordination.io.safe_zip import check_xlsx_bytes, require_defusedxml
from koordination.io.table import Table, read_xlsx
from koordination.io.yamlfile import parse_yaml, read_yaml
from koordination.render.xlsx.base import new_workbook, put, to_bytes
from tests.conftest import MakeData
from tests.small import NETWORK, small_data


def open_workbook(path: Path) -> list[Table]:
    """A workbook as every reader of kn reads one: through the gate, then the table reader."""
    return read_xlsx(read(path, "workbook").data, str(path))


def check_xlsx(path: Path) -> None:
    check_xlsx_bytes(path.read_bytes(), str(path))

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
              for i in range(1, 10))
    + "]>\n"
)


def plain_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "year"
    ws["B1"] = 2015
    raw = io.BytesIO()
    wb.save(raw)
    return raw.getvalue()


def rewrite(xlsx: bytes, part: str, change: callable) -> bytes:  # type: ignore[valid-type]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, change(data) if info.filename == part else data)  # type: ignore[misc]
    return out.getvalue()


def billion_laughs() -> bytes:
    def inject(xml: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        body = body.replace(b'<c r="A1" t="inlineStr"><is><t>year</t></is></c>',
                            b'<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>')
        body = re.sub(rb"<t>year</t>", b"<t>&lol9;</t>", body)
        return LAUGHS.encode() + body

    return rewrite(plain_xlsx(), "xl/worksheets/sheet1.xml", inject)


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True
    require_defusedxml()


def test_no_workbook_is_read_without_defusedxml(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    path.write_bytes(plain_xlsx())
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(DataError) as err:
        open_workbook(path)
    assert str(err.value) == ("kn reads Excel files only with defusedxml installed; run 'pip "
                              "install defusedxml' and try again")


def test_a_plain_workbook_opens(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    path.write_bytes(plain_xlsx())
    first = open_workbook(path)[0].rows[0].get(2)
    assert first is not None and first.value == 2015


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xlsx"
    path.write_bytes(billion_laughs())
    start = time.monotonic()
    with pytest.raises(DataError) as err:
        open_workbook(path)
    assert time.monotonic() - start < 2
    assert str(err.value) == (
        f"{path}: part 'xl/worksheets/sheet1.xml' declares an XML document type or entities, "
        "which spreadsheet programs never write; refused (possible entity-expansion attack)")


def test_openpyxl_alone_refuses_entities_too(tmp_path: Path) -> None:
    """Behind kn's own check, defusedxml in openpyxl refuses the same file."""
    from defusedxml import EntitiesForbidden

    path = tmp_path / "laughs.xlsx"
    path.write_bytes(billion_laughs())
    with pytest.raises(ValueError) as err:
        load_workbook(io.BytesIO(path.read_bytes()))
    assert isinstance(err.value.__cause__, EntitiesForbidden)


def test_zip_bomb_is_refused_by_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    path.write_bytes(out.getvalue())
    assert path.stat().st_size < 100_000
    with pytest.raises(DataError) as err:
        check_xlsx(path)
    message = str(err.value)
    assert message.startswith(f"{path}: part 'xl/worksheets/sheet1.xml' unpacks to 8388608 "
                              "bytes from ")
    assert message.endswith("; refused as a possible zip bomb")


def test_zip_member_too_large_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate, "XLSX_PART_BYTES", 1000)
    path = tmp_path / "big.xlsx"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"x" * 1001)
    path.write_bytes(out.getvalue())
    with pytest.raises(DataError, match="unpacks to 1001 bytes from 1001; refused"):
        check_xlsx(path)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with open(path, "wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)  # sparse: costs no disk
    with pytest.raises(DataError) as err:
        open_workbook(path)
    assert str(err.value) == (f"{path}: file is 20971521 bytes; kn reads a workbook of up to "
                              "20971520 bytes (is this the right file?)")


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_not_a_workbook(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(DataError) as err:
        open_workbook(path)
    assert str(err.value).startswith(f"{path}: not a readable xlsx workbook (BadZipFile: ")
    assert str(err.value).endswith("); save it again as an Excel workbook (.xlsx)")


def test_a_zip_that_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("hello.txt", b"hi")
    path.write_bytes(out.getvalue())
    with pytest.raises(DataError) as err:
        open_workbook(path)
    assert str(err.value).startswith(f"{path}: not a readable xlsx workbook (")
    assert "\n" not in str(err.value)


@pytest.mark.skipif(importlib.util.find_spec("koordination.io.excel") is None,
                    reason="no Excel budget reader in this build")
@pytest.mark.parametrize("kind", ["laughs", "bomb", "junk"])
def test_hostile_budget_workbook_through_the_cli(make_data: MakeData, runner: CliRunner,
                                                 kind: str) -> None:
    data = small_data(make_data)
    (data / "budgets" / "2015.yaml").unlink()
    content = {"laughs": billion_laughs(), "junk": b"PK\x03\x04junk",
               "bomb": rewrite(plain_xlsx(), "xl/worksheets/sheet1.xml",
                               lambda xml: xml + b" " * (8 * 1024 * 1024))}[kind]
    (data / "budgets" / "2015.xlsx").write_bytes(content)
    result = runner.invoke(app, ["allocate", "2015", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {data / 'budgets' / '2015.xlsx'}: ")
    assert "internal error" not in result.stderr
    assert not (data / "reports").exists()


# ---- YAML ---------------------------------------------------------------------------------

YAML_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(12))


def test_yaml_alias_bomb_is_refused_quickly() -> None:
    start = time.monotonic()
    with pytest.raises(DataError) as err:
        parse_yaml(YAML_BOMB, "network.yaml")
    assert time.monotonic() - start < 0.5
    assert str(err.value) == ("network.yaml: line 2: YAML syntax error: aliases (*name) are not "
                              "allowed in kn files")


@pytest.mark.parametrize("text, tag", [
    ("name: !!python/object/apply:os.system ['echo hi']\n",
     "tag:yaml.org,2002:python/object/apply:os.system"),
    ("name: !!python/name:os.system\n", "tag:yaml.org,2002:python/name:os.system"),
    ("name: !include secrets.yaml\n", "!include"),
])
def test_yaml_tags_are_refused(text: str, tag: str) -> None:
    with pytest.raises(DataError) as err:
        parse_yaml(text, "network.yaml")
    assert str(err.value) == f"network.yaml: line 1: tag {tag!r} is not allowed in kn files"


def test_deep_yaml_nesting_is_one_error() -> None:
    with pytest.raises(DataError) as err:
        parse_yaml("[" * 20000 + "]" * 20000, "budgets/2015.yaml")
    assert str(err.value) == "budgets/2015.yaml: YAML nested too deeply"


def test_oversized_yaml_is_refused_by_size(tmp_path: Path) -> None:
    path = tmp_path / "network.yaml"
    with open(path, "wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    with pytest.raises(DataError) as err:
        read_yaml(path)
    assert str(err.value) == (f"{path}: file is 6291456 bytes; kn reads a YAML file of up to "
                              "5242880 bytes (is this the right file?)")


def test_yaml_bomb_in_network_through_the_cli(make_data: MakeData, runner: CliRunner) -> None:
    data = small_data(make_data)
    (data / "network.yaml").write_text(YAML_BOMB, encoding="utf-8")
    result = runner.invoke(app, ["allocate", "2015", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {data / 'network.yaml'}: line 2: YAML syntax error: "
                             "aliases (*name) are not allowed in kn files\n")


# ---- formulas in names --------------------------------------------------------------------

HOSTILE_NAMES = ['=HYPERLINK("http://example.invalid","x")', "+1+1", "-2+3", "@SUM(A1:A2)",
                 "=cmd|' /C calc'!A0"]


def _formulas(xlsx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        return [f for name in zf.namelist() if name.startswith("xl/worksheets/")
                for f in re.findall(r"<f>(.*?)</f>", zf.read(name).decode())]


def test_put_writes_formula_like_text_as_text() -> None:
    wb = new_workbook(date(2015, 1, 1))
    ws = wb.sheet("S")
    for row, name in enumerate(HOSTILE_NAMES, start=1):
        put(ws, row, 1, name)
    content = to_bytes(wb)
    assert _formulas(content) == []
    back = load_workbook(io.BytesIO(content)).active
    assert [back.cell(row=r, column=1).value for r in range(1, 6)] == HOSTILE_NAMES
    assert {back.cell(row=r, column=1).data_type for r in range(1, 6)} == {"s"}


def test_hostile_names_in_the_allocation_workbook(make_data: MakeData, runner: CliRunner) -> None:
    network = NETWORK.replace("name: Testsamverkan", "name: '=cmd|'' /C calc''!A0'")
    lines = "\n".join(f"  - {{group: '{n}', name: '{n}', amount: 1000}}"
                      for n in HOSTILE_NAMES[:4])
    funding = "funding:\n  - {name: '@SUM(A1)', amount: 100}\n"
    data = make_data(
        network=network,
        budgets={2015: f"year: 2015\nlines:\n{lines}\n{funding}"},
        populations={"2014-12-31": {"0114": 300, "0115": 100, "0117": 600}},
    )
    result = runner.invoke(app, ["allocate", "2015", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    content = (data / "reports" / "2015" / "fordelning-2015.xlsx").read_bytes()
    # Only kn's own formulas: sums of ranges and references to cells.
    own = re.compile(r"^(SUM\([A-Z]+\d+:[A-Z]+\d+\)|\$?[A-Z]+\$?\d+)$")
    assert all(own.match(f) for f in _formulas(content)), _formulas(content)
    wb = load_workbook(io.BytesIO(content))
    budget = wb["Budget 2015"]
    assert [budget.cell(row=r, column=2).value for r in range(5, 9)] == HOSTILE_NAMES[:4]
    assert wb["Fördelning 2015"]["E4"].value == "@SUM(A1)"
    assert wb["Fördelning 2015"]["E4"].data_type == "s"


# ---- the terminal --------------------------------------------------------------------------

# As YAML escapes in double-quoted strings (YAML refuses the raw characters itself).
ESCAPES = "\\x1b]0;owned\\x07\\x1b[2J\\x1b[31m\\u202e\\x9b"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")


def test_escape_sequences_never_reach_the_terminal(make_data: MakeData,
                                                    runner: CliRunner) -> None:
    network = NETWORK.replace("name: Testsamverkan", f'name: "Test{ESCAPES}[bold]x[/]"')
    data = make_data(
        network=network,
        budgets={2015: f'year: 2015\nlines:\n  - {{name: "Lön{ESCAPES}", amount: 1000}}\n'},
        actuals={2015: f'year: 2015\nlines:\n  - {{name: "Lön{ESCAPES}", amount: 1200}}\n'},
        populations={"2014-12-31": {"0114": 300, "0115": 100, "0117": 600}},
    )
    for args in (["allocate", "2015"], ["budget", "2015"], ["compare", "2015", "2015"],
                 ["explain", "2015", "Vallentuna"], ["settle", "2015"],
                 ["allocate", "2015", "--without", "Vallentuna"]):
        result = runner.invoke(app, [*args, "--data", str(data)])
        assert result.exit_code == 0, result.stderr
        assert not UNSAFE.search(result.stdout), args
        assert "Test]0;owned[2J[31m[bold]x[/]" in result.stdout  # shown literally, no markup
    book = load_workbook(data / "reports" / "2015" / "fordelning-2015.xlsx")
    assert book.worksheets[0]["A1"].value == ("Fördelning av kostnader för "
                                              "Test]0;owned[2J[31m[bold]x[/] 2015")
    with zipfile.ZipFile(data / "reports" / "2015" / "fordelning-2015.xlsx") as zf:
        assert not any(re.search(b"[\x00-\x08\x0b\x0c\x0e-\x1f]", zf.read(n))
                       for n in zf.namelist())


def test_escape_sequences_in_error_lines(make_data: MakeData, runner: CliRunner) -> None:
    data = make_data(network=NETWORK.replace("Vallentuna", f'"Valle{ESCAPES}ntuna"'),
                     budgets={2015: "year: 2015\nlines:\n  - {name: L, amount: 1}\n"},
                     populations={"2014-12-31": {"0114": 1}})
    result = runner.invoke(app, ["allocate", "2015", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "Valle]0;owned[2J[31mntuna" in result.stderr
    assert not UNSAFE.search(result.stderr.replace("\n", ""))


def test_json_output_escapes_what_a_terminal_would_obey(make_data: MakeData,
                                                       runner: CliRunner) -> None:
    import json

    network = NETWORK.replace("name: Testsamverkan", 'name: "Test\\x9b\\u202e\\x7f"')
    data = make_data(network=network,
                     budgets={2015: "year: 2015\nlines:\n  - {name: L, amount: 1000}\n"},
                     populations={"2014-12-31": {"0114": 300, "0115": 100, "0117": 600}})
    for args in (["allocate", "2015", "--json"], ["compare", "2015", "2015", "--json"]):
        result = runner.invoke(app, [*args, "--data", str(data)])
        assert result.exit_code == 0, result.stderr
        assert not UNSAFE.search(result.stdout.rstrip("\n"))
        # invisible characters are not part of a name: they never reach the output at all
        assert json.loads(result.stdout)["network"] == "Test"
    from koordination.render.terminal import json_text

    text = json_text(json.dumps({"network": "Test\x9b\u202e\x7f"}, ensure_ascii=False))
    assert "\\u009b\\u202e\\u007f" in text and not UNSAFE.search(text)
    assert json.loads(text)["network"] == "Test\x9b\u202e\x7f"
