"""Every label exists in Swedish and English, and ``--lang en`` leaves no Swedish label."""

from __future__ import annotations

import re
import string
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.render.labels import LABELS, label


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(LABELS))
def test_label_has_both_languages_with_the_same_placeholders(key: str) -> None:
    pair = LABELS[key]
    assert len(pair) == 2
    sv, en = pair
    assert sv.strip() and en.strip(), f"{key}: empty text"
    assert placeholders(sv) == placeholders(en), f"{key}: placeholders differ"


def test_label_fills_placeholders() -> None:
    assert label("inv_terms", "sv", days=30) == "30 dagar netto"
    assert label("inv_terms", "en", days=30) == "30 days net"
    with pytest.raises(KeyError):
        label("no_such_label", "sv")


def pattern(text: str) -> re.Pattern[str]:
    parts = re.split(r"\{[a-z_]*\}", text)
    return re.compile(".+".join(re.escape(p) for p in parts))


SWEDISH = {key: pattern(sv) for key, (sv, en) in LABELS.items() if pattern(sv) != pattern(en)}
ENGLISH = {key: pattern(en) for key, (_, en) in LABELS.items()}


def swedish_labels_in(texts: Iterator[str]) -> list[tuple[str, str]]:
    found = []
    for text in texts:
        for key, sv in SWEDISH.items():
            if sv.fullmatch(text) and not ENGLISH[key].fullmatch(text):
                found.append((key, text))
    return found


def workbook_texts(path: Path) -> Iterator[str]:
    """Every text a reader sees: sheet names, cells (not formulas), headers, footers, charts."""
    wb = load_workbook(path)
    for ws in wb.worksheets:
        yield ws.title
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and not cell.value.startswith("="):
                    yield cell.value
        for part in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right,
                     ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
            if part.text:
                yield part.text.replace("&B", "").replace("&&", "&")
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/charts/"):
                tree = ElementTree.fromstring(z.read(name))
                for t in tree.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}t"):
                    yield t.text or ""


def test_the_check_finds_swedish(shipped_data: Path, runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "sv.xlsx"
    runner.invoke(app, ["allocate", "2015", "--data", str(shipped_data), "-o", str(out)])
    found = dict(swedish_labels_in(workbook_texts(out)))
    assert found["total"] == "Totalt" and found["chart_title"] == "Kostnad per kommun 2015"


def test_english_workbooks_have_no_swedish_label(shipped_data: Path, runner: CliRunner,
                                                  tmp_path: Path) -> None:
    data = str(shipped_data)
    outputs = [tmp_path / "allocation.xlsx", tmp_path / "invoices.xlsx",
               tmp_path / "settlement.xlsx"]
    for command, out in zip(("allocate", "invoices", "settle"), outputs, strict=True):
        draft = ["--draft"] if command == "invoices" else []
        result = runner.invoke(app, [command, "2015", "--data", data, "-o", str(out),
                                     "--lang", "en", *draft])
        assert result.exit_code == 0, result.stderr
        assert swedish_labels_in(workbook_texts(out)) == []
        assert swedish_labels_in(iter(result.stdout.splitlines())) == []
        for line in result.stdout.splitlines():
            for text in re.split(r"\s*[│┃]\s*", line.strip("│┃ ")):
                assert not swedish_labels_in(iter([text])), line
    names = load_workbook(outputs[0]).sheetnames
    assert names == ["Allocation 2015", "Budget 2015", "Basis", "Method"]
    assert load_workbook(outputs[1]).sheetnames[-1] == "Lidingö (own share)"


def test_swedish_singular_and_plural() -> None:
    from koordination.render.labels import label

    assert label("validate_ok", "sv", path="data", count=1) == (
        "data: 1 fil kontrollerade, inga problem")
    assert label("validate_ok", "sv", path="data", count=2) == (
        "data: 2 filer kontrollerade, inga problem")
    assert label("validate_ok", "en", path="data", count=1) == "data: 1 file checked, no problems"
    assert label("pu_left_out", "sv", count=1) == "; 1 rad för riket och län utelämnade"
    assert label("pu_left_out", "sv", count=2) == "; 2 rader för riket och län utelämnade"
    assert label("written_files", "sv", count=1, path="x") == "1 fil sparade i x"
    assert label("validate_notes", "sv", path="d", count=1, notes=1) == (
        "d: 1 fil kontrollerade, inga fel; 1 sak att göra")
