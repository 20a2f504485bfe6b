"""Safe writes: atomic replacement, the run lock, and one-line errors for full, read-only
or forbidden places. The kill and concurrency tests run real ``kn`` processes."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.errors import OutputError
from koordination.io.files import atomic_write, run_lock
from tests.conftest import MakeData
from tests.small import budget, small_data

LOCK_MESSAGE = ("another kn run is writing in this data directory; wait for it to finish and "
                "run again")


def kn(*args: str) -> list[str]:
    return [sys.executable, "-m", "koordination", *args]


def allocate(runner: CliRunner, data: Path, *args: str) -> object:
    return runner.invoke(app, ["allocate", "2015", "--data", str(data), *args])


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def written(make_data: MakeData, runner: CliRunner) -> Path:
    """A data directory whose 2015 workbook has been written once."""
    data = small_data(make_data)
    assert allocate(runner, data).exit_code == 0
    return data


def workbook(data: Path) -> Path:
    return data / "reports" / "2015" / "fordelning-2015.xlsx"


def _fail(code: int):  # type: ignore[no-untyped-def]
    def raiser(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))
    return raiser


@pytest.mark.parametrize("target, code, why", [
    ("os.replace", errno.ENOSPC, "the disk is full; free some space and run again"),
    ("os.fsync", errno.ENOSPC, "the disk is full; free some space and run again"),
    ("tempfile.mkstemp", errno.EROFS, "the file system is read-only; choose another place with -o"),
    ("tempfile.mkstemp", errno.EACCES,
     "permission denied; choose a place you may write to, or ask for access"),
])
def test_write_failures_are_one_line_and_keep_the_old_file(
    written: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, target: str, code: int,
    why: str,
) -> None:
    before = workbook(written).read_bytes()
    (written / "budgets" / "2015.yaml").write_text(budget(2015, 12000), encoding="utf-8")
    module, name = target.split(".")
    monkeypatch.setattr(sys.modules[module], name, _fail(code))
    result = allocate(runner, written)
    assert result.exit_code == 1
    assert result.stderr == f"error: {workbook(written)}: cannot write: {why}\n"
    assert result.stdout == ""
    assert workbook(written).read_bytes() == before
    assert leftovers(workbook(written).parent) == []


def test_disk_full_while_writing_the_bytes(written: Path, runner: CliRunner,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up halfway through the workbook's bytes."""
    before = workbook(written).read_bytes()
    (written / "budgets" / "2015.yaml").write_text(budget(2015, 12000), encoding="utf-8")
    real_fdopen = os.fdopen

    class HalfFull:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> HalfFull:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfFull(real_fdopen(fd, mode)))
    result = allocate(runner, written)
    assert result.exit_code == 1
    assert result.stderr == (f"error: {workbook(written)}: cannot write: the disk is full; free "
                             "some space and run again\n")
    assert workbook(written).read_bytes() == before
    assert leftovers(workbook(written).parent) == []


def test_decision_record_on_a_full_disk(make_data: MakeData, runner: CliRunner,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    data = small_data(make_data)
    monkeypatch.setattr(os, "link", _fail(errno.ENOSPC))
    result = allocate(runner, data, "--final")
    assert result.exit_code == 1
    assert result.stderr == (f"error: {data / 'decisions' / '2015.json'}: cannot write: the "
                             "disk is full; free some space and run again\n")
    assert list((data / "decisions").iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only directories")
def test_read_only_directory(written: Path, runner: CliRunner) -> None:
    reports = workbook(written).parent
    before = workbook(written).read_bytes()
    reports.chmod(0o555)
    try:
        result = allocate(runner, written)
    finally:
        reports.chmod(0o755)
    assert result.exit_code == 1
    assert result.stderr == (f"error: {workbook(written)}: cannot write: permission denied; "
                             "choose a place you may write to, or ask for access\n")
    assert workbook(written).read_bytes() == before


def test_output_is_a_directory(written: Path, runner: CliRunner, tmp_path: Path) -> None:
    result = allocate(runner, written, "-o", str(tmp_path))
    assert result.exit_code in (1, 2)
    assert result.stderr.count("\n") >= 1
    assert "Traceback" not in result.stderr


def test_atomic_write_cleans_up_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    monkeypatch.setattr(os, "replace", _fail(errno.EIO))
    with pytest.raises(OutputError):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_a_held_lock_refuses_a_second_run(written: Path, runner: CliRunner) -> None:
    before = workbook(written).read_bytes()
    (written / "budgets" / "2015.yaml").write_text(budget(2015, 12000), encoding="utf-8")
    with run_lock(written):  # held as another run holds it: flock on its own open file
        result = allocate(runner, written)
        assert result.exit_code == 1
        assert result.stderr == f"error: {written}: {LOCK_MESSAGE}\n"
        assert workbook(written).read_bytes() == before
    assert allocate(runner, written).exit_code == 0
    assert workbook(written).read_bytes() != before


@pytest.mark.slow
def test_a_killed_holder_leaves_no_stale_lock(written: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from koordination.io.files import run_lock\n"
         "with run_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(60)",
         str(written)],
        stdout=subprocess.PIPE, text=True,
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
            busy = subprocess.run(kn("allocate", "2015", "--data", str(written)),
                                  capture_output=True, text=True, timeout=60)
            assert busy.returncode == 1
            assert busy.stderr == f"error: {written}: {LOCK_MESSAGE}\n"
        finally:
            holder.send_signal(signal.SIGKILL)
            holder.wait()
    after = subprocess.run(kn("allocate", "2015", "--data", str(written)), capture_output=True,
                           text=True, timeout=60)
    assert after.returncode == 0, after.stderr


def _total_cell(path: Path) -> object:
    """The sum of the members' fees in a workbook (which must open)."""
    ws = load_workbook(path).worksheets[0]
    return sum(ws.cell(row=row, column=4).value for row in (5, 6, 7))


@pytest.mark.slow
def test_sigkill_during_allocate_never_damages_the_workbook(written: Path) -> None:
    """Kill ``kn allocate`` with SIGKILL at random moments, 30 times, each run with a new
    budget: the workbook on disk is always a whole, readable workbook, either the one before
    the run or the run's new one."""
    rng = random.Random(7)
    target = workbook(written)
    start = time.monotonic()
    subprocess.run(kn("allocate", "2015", "--data", str(written)), check=True,
                   capture_output=True, timeout=60)
    duration = time.monotonic() - start
    previous = target.read_bytes()
    previous_total = _total_cell(target)
    killed = finished = replaced = 0
    seen: set[str] = set()
    for i in range(30):
        amount = 20000 + 1000 * i
        (written / "budgets" / "2015.yaml").write_text(budget(2015, amount), encoding="utf-8")
        proc = subprocess.Popen(kn("allocate", "2015", "--data", str(written)),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i % 2:
            time.sleep(rng.uniform(0.5, 1.3) * duration)
        else:
            # Watch for the temporary file and kill the run while it writes (looking every
            # millisecond: the watch leaves the processor to the run it watches).
            deadline = time.monotonic() + 10 * duration
            while proc.poll() is None and time.monotonic() < deadline:
                if any(n.endswith(".tmp") and n not in seen for n in os.listdir(target.parent)):
                    break
                time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=60)
        seen.update(leftovers(target.parent))
        if code == -signal.SIGKILL:
            killed += 1
        else:
            assert code == 0
            finished += 1
        current = target.read_bytes()
        total = _total_cell(target)  # always readable
        assert (current == previous and total == previous_total) or total == amount
        replaced += total == amount
        previous, previous_total = current, total
    mid_write = len(leftovers(target.parent))
    assert killed >= 5, (killed, finished)  # most runs are killed; a slow machine may finish some
    print(f"\nSIGKILL: {killed} runs killed ({mid_write} while writing the workbook), "
          f"{finished} finished first; new workbook in place after {replaced} runs; the "
          "workbook was whole and readable after every one")


@pytest.mark.slow
def test_sigkill_during_a_large_atomic_write(tmp_path: Path) -> None:
    """The same for the write itself, made long by a large payload: 10 kills mid-write."""
    target = tmp_path / "big.bin"
    target.write_bytes(b"A" * 1000)
    script = ("import sys; from pathlib import Path; from koordination.io.files import "
              "atomic_write\nprint('go', flush=True)\n"
              "atomic_write(Path(sys.argv[1]), bytes([66]) * 40_000_000)")
    rng = random.Random(11)
    for _ in range(10):
        with subprocess.Popen([sys.executable, "-c", script, str(target)],
                              stdout=subprocess.PIPE, text=True) as proc:
            assert proc.stdout is not None and proc.stdout.readline() == "go\n"
            time.sleep(rng.uniform(0.0, 0.05))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
        data = target.read_bytes()
        assert data in (b"A" * 1000, b"B" * 40_000_000)
        if data != b"A" * 1000:
            target.write_bytes(b"A" * 1000)


@pytest.mark.slow
def test_concurrent_allocations(written: Path) -> None:
    """Four ``kn allocate --final`` at once. Each run either holds the lock and finishes
    (exit 0) or meets it and is refused with the lock message (exit 1); exactly one decision
    is recorded, and the workbook equals the one a single run writes."""
    reference = workbook(written).read_bytes()
    args = kn("allocate", "2015", "--data", str(written), "--final", "--decision-date",
              "2015-01-20")
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        results.append((proc.returncode, out, err))
    codes = sorted(code for code, _, _ in results)
    assert codes[0] == 0
    for code, out, err in results:
        if code == 1:
            assert err == f"error: {written}: {LOCK_MESSAGE}\n"
        else:
            assert code == 0, err
            assert ("har registrerats: " in out) or ("Stämmer med beslutet 2015-01-20" in out)
    assert sum("har registrerats: " in out for _, out, _ in results) == 1
    # the decided year's workbook says it is decided; one more run writes the same bytes
    decided = workbook(written).read_bytes()
    assert decided != reference
    assert subprocess.run(kn("allocate", "2015", "--data", str(written)),
                          capture_output=True).returncode == 0
    assert workbook(written).read_bytes() == decided
    assert sorted(p.name for p in (written / "decisions").iterdir()) == ["2015.json"]
    assert leftovers(written / "decisions") == []
    print(f"\nconcurrent: exit codes {codes}")


def test_tempfile_in_same_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = tempfile.mkstemp

    def spy(*args: object, **kwargs: object) -> tuple[int, str]:
        fd, name = real(*args, **kwargs)  # type: ignore[call-overload]
        seen.append(name)
        return fd, name  # type: ignore[no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    atomic_write(tmp_path / "sub" / "x.xlsx", b"data")
    assert Path(seen[0]).parent == tmp_path / "sub"
    assert (tmp_path / "sub" / "x.xlsx").read_bytes() == b"data"


def test_temporaries_of_killed_runs_are_removed_later(tmp_path: Path) -> None:
    target = tmp_path / "fordelning-2015.xlsx"
    stale = tmp_path / ".fordelning-2015.xlsx.abc123.tmp"
    fresh = tmp_path / ".fordelning-2015.xlsx.def456.tmp"
    other = tmp_path / ".avrakning-2015.xlsx.abc123.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(b"half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    atomic_write(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".avrakning-2015.xlsx.abc123.tmp", ".fordelning-2015.xlsx.def456.tmp",
        "fordelning-2015.xlsx"]


@pytest.mark.parametrize("write", ["atomic_write", "write_new"])
def test_a_stop_while_the_temporary_file_is_made_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: str) -> None:
    """Ctrl-C can arrive after the temporary file exists but before its name is known to kn
    (inside ``tempfile.mkstemp``): the file is removed all the same, and an older temporary
    of another run is left to the stale-file rule."""
    from koordination.cli.interrupt import Interrupted
    from koordination.io import files

    real = tempfile.mkstemp

    def stopped(*args: object, **kwargs: object) -> tuple[int, str]:
        fd, _name = real(*args, **kwargs)  # type: ignore[call-overload]
        os.close(fd)
        raise Interrupted

    target = tmp_path / "2015.json"
    other = tmp_path / ".2015.json.older.tmp"
    other.write_bytes(b"half")
    monkeypatch.setattr(tempfile, "mkstemp", stopped)
    with pytest.raises(Interrupted):
        getattr(files, write)(target, b"{}")
    assert leftovers(tmp_path) == [".2015.json.older.tmp"]
    assert not target.exists()


def test_a_failing_block_puts_back_what_it_wrote(tmp_path: Path) -> None:
    """The writes of a block that fails are undone: a file that was there holds its old bytes
    again, a file the block made is gone; a block that ends well keeps what it wrote."""
    from koordination.io.files import undone_on_failure

    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    old.write_bytes(b"before")
    with pytest.raises(OutputError), undone_on_failure([old, new]):
        atomic_write(old, b"after")
        atomic_write(new, b"made")
        raise OutputError("the disk is full")
    assert old.read_bytes() == b"before"
    assert not new.exists()
    with undone_on_failure([old, new]):
        atomic_write(old, b"after")
        atomic_write(new, b"made")
    assert (old.read_bytes(), new.read_bytes()) == (b"after", b"made")
