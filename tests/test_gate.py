"""The gate: every file kn reads is a regular file under its kind's limit, read once; pipes,
devices and oversized files are refused unread on every input path, imports included."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from koordination.core.errors import DataError
from koordination.io import gate
from tests.conftest import EXAMPLES

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
KN = [sys.executable, "-c", "from koordination.cli.run import main; main()"]


def kn(*args: str) -> subprocess.CompletedProcess[str]:
    """kn in its own process, as a user runs it; a run that waits on a pipe would hang, so
    the process is stopped after a minute (the test then fails: kn never waits)."""
    return subprocess.run([*KN, *args], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, check=False)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(EXAMPLES / "etablering-sodertorn", root)
    return root


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)  # sparse: costs no disk
    return path


@needs_fifo
@pytest.mark.parametrize("command", [
    ["population", "import", "{src}", "--date", "2024-12-31"],
    ["statistic", "import", "skattekraft", "{src}", "--date", "2024-12-31"],
])
def test_an_import_of_a_pipe_is_refused_unread(data: Path, tmp_path: Path,
                                               command: list[str]) -> None:
    pipe = tmp_path / "export.csv"
    os.mkfifo(pipe)
    result = kn(*[a.replace("{src}", str(pipe)) for a in command], "--data", str(data))
    assert result.returncode == 1
    assert result.stderr == (f"error: {pipe}: is a pipe, not a regular file; give the table "
                             "itself\n")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
@pytest.mark.parametrize("command", [
    ["population", "import", "/dev/zero", "--date", "2024-12-31"],
    ["statistic", "import", "skattekraft", "/dev/zero", "--date", "2024-12-31"],
])
def test_an_import_of_a_device_is_refused_unread(data: Path, command: list[str]) -> None:
    result = kn(*command, "--data", str(data))
    assert result.returncode == 1
    assert result.stderr == ("error: /dev/zero: is a device, not a regular file; give the "
                             "table itself\n")


@pytest.mark.parametrize("command", [
    ["population", "import", "{src}", "--date", "2024-12-31"],
    ["statistic", "import", "skattekraft", "{src}", "--date", "2024-12-31"],
])
def test_an_oversized_import_is_refused_unread(data: Path, tmp_path: Path,
                                               command: list[str]) -> None:
    big = _sparse(tmp_path / "big.csv", 20 * 1024 * 1024 + 1)
    result = kn(*[a.replace("{src}", str(big)) for a in command], "--data", str(data))
    assert result.returncode == 1
    assert result.stderr == (f"error: {big}: file is 20971521 bytes; kn reads a table of up "
                             "to 20971520 bytes (is this the right file?)\n")


@needs_fifo
@pytest.mark.parametrize(("place", "what"), [
    ("network.yaml", "YAML file"),
    ("budgets/2016.yaml", "YAML file"),
    ("actuals/2015.yaml", "YAML file"),
    ("populations/2015-12-31.csv", "population snapshot"),
    ("budgets/2016.xlsx", "workbook"),
    ("actuals/2015.xlsx", "workbook"),
])
def test_a_data_file_that_is_a_pipe_is_refused_unread(data: Path, place: str,
                                                      what: str) -> None:
    target = data / place
    target.with_suffix(".yaml").unlink(missing_ok=True)
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    result = kn("allocate", "2016", "--data", str(data))
    assert result.returncode == 1
    assert (f"error: {target}: is a pipe, not a regular file; give the {what} itself\n"
            in result.stderr)


@pytest.mark.parametrize(("place", "kind", "size"), [
    ("network.yaml", "YAML file", 5 * 1024 * 1024),
    ("budgets/2016.yaml", "YAML file", 5 * 1024 * 1024),
    ("populations/2015-12-31.csv", "population snapshot", 2 * 1024 * 1024),
])
def test_an_oversized_data_file_is_refused_unread(data: Path, place: str, kind: str,
                                                  size: int) -> None:
    target = _sparse(data / place, size + 1)
    result = kn("allocate", "2016", "--data", str(data))
    assert result.returncode == 1
    assert (f"error: {target}: file is {size + 1} bytes; kn reads a {kind} of up to {size} "
            "bytes (is this the right file?)\n" in result.stderr)


def test_a_link_to_a_pipe_is_a_pipe(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    link = tmp_path / "network.yaml"
    link.symlink_to(pipe)
    with pytest.raises(DataError) as caught:
        gate.read(link, "yaml")
    assert str(caught.value) == f"{link}: is a pipe, not a regular file; give the YAML file itself"


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        gate.read(tmp_path, "yaml")
    assert str(caught.value) == f"{tmp_path}: is a directory; give the YAML file itself"


def test_bytes_and_checksum_come_from_one_read(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"year: 2015\n")
    with gate.run():
        first = gate.read(path, "yaml")
        path.write_bytes(b"year: 2016\n")  # changed under the run: the run keeps what it read
        again = gate.read(path, "yaml")
        assert gate.checksum(path) == hashlib.sha256(b"year: 2015\n").hexdigest()
    assert first.data == again.data == b"year: 2015\n"
    assert first.sha256 == hashlib.sha256(b"year: 2015\n").hexdigest()
    assert gate.read(path, "yaml").data == b"year: 2016\n"  # a new run reads again


def test_a_file_the_run_writes_is_read_anew(tmp_path: Path) -> None:
    from koordination.io.files import atomic_write

    path = tmp_path / "a.csv"
    path.write_bytes(b"one\n")
    with gate.run():
        assert gate.read(path, "snapshot").data == b"one\n"
        atomic_write(path, b"two\n")
        assert gate.read(path, "snapshot").data == b"two\n"


def test_a_parse_is_kept_for_the_run_errors_too() -> None:
    calls: list[int] = []

    def parse() -> int:
        calls.append(1)
        raise DataError("broken")

    with gate.run():
        for _ in range(3):
            with pytest.raises(DataError):
                gate.parsed(("x", 1), parse)
    assert len(calls) == 1


def test_standard_input_has_the_same_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    class Piped(io.TextIOWrapper):
        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stdin", Piped(io.BytesIO(b"a" * (20 * 1024 * 1024 + 1))))
    with pytest.raises(DataError) as caught:
        gate.read_stdin("export")
    assert str(caught.value) == ("standard input: more than 20971520 bytes; kn reads a table of "
                                 "up to 20971520 bytes (is this the right file?)")
    monkeypatch.setattr(sys, "stdin", Piped(io.BytesIO(b"kommunkod,folkmangd\n")))
    got = gate.read_stdin("export")
    assert got.data == b"kommunkod,folkmangd\n"
    assert got.sha256 == hashlib.sha256(b"kommunkod,folkmangd\n").hexdigest()


def test_no_other_module_opens_an_input() -> None:
    """Only the gate opens what kn reads: no read_bytes, read_text or open() for reading
    elsewhere in the package (writes live in io/files.py)."""
    package = Path(__file__).resolve().parent.parent / "src" / "koordination"
    found = []
    for path in package.rglob("*.py"):
        if path.name in ("gate.py", "files.py", "municipalities.py"):
            continue  # the gate; the writes; the register shipped inside the package
        text = path.read_text(encoding="utf-8")
        for needle in (".read_bytes(", ".read_text(", "open(path", "urlopen("):
            if needle in text:
                found.append(f"{path.relative_to(package)}: {needle}")
    assert found == []
