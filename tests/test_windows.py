"""kn as it runs on Windows, as far as a Linux or macOS machine can show it: without
``fcntl`` and the POSIX-only flags of ``os.open`` (the file layer and the run lock), and with
the console encodings of Windows and old terminals (the output). CI also type-checks the
package for Windows (``mypy --platform win32``)."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from koordination.cli import run
from tests.conftest import DATA

#: What Python on Windows lacks that Python on Linux has, taken away before kn is imported.
#: The run lock is then a lock file created exclusively (on Windows itself it is msvcrt's).
WINDOWS = textwrap.dedent("""
    import os, sys, warnings
    sys.modules["fcntl"] = None
    for name in ("O_NONBLOCK", "O_NOFOLLOW", "O_NOCTTY", "O_DIRECTORY", "getuid", "geteuid",
                 "getgid", "getegid", "fchmod", "fchown"):
        if hasattr(os, name):
            delattr(os, name)
""")

LOCK_LINE = ("another kn run is writing in this data directory; wait for it to finish and run "
             "again")


def as_on_windows(*args: str, prelude: str = "", cwd: Path | None = None
                  ) -> subprocess.CompletedProcess[str]:
    code = WINDOWS + prelude + textwrap.dedent("""
        sys.argv = ["kn", *sys.argv[1:]]
        from koordination.cli.run import main
        main()
    """)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          encoding="utf-8", stdin=subprocess.DEVNULL, timeout=120, cwd=cwd)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("reports", "decisions",
                                                                ".kn.lock"))
    return target


@pytest.mark.slow
def test_validate_and_allocate_without_posix_calls(data: Path) -> None:
    checked = as_on_windows("validate", "--data", str(data))
    assert checked.returncode == 0, checked.stderr
    assert "internal error" not in checked.stderr
    done = as_on_windows("allocate", "2015", "--data", str(data), "--final",
                         "--decision-date", "2015-01-20")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert (data / "reports" / "2015" / "fordelning-2015.xlsx").stat().st_size > 0
    assert (data / "decisions" / "2015.json").is_file()
    assert not (data / ".kn.lock").exists()  # the lock of a finished run is gone
    again = as_on_windows("allocate", "2015", "--data", str(data), "--json")
    assert again.returncode == 0, again.stderr


@pytest.mark.slow
def test_the_lock_refuses_a_second_run_without_fcntl(data: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", WINDOWS + textwrap.dedent("""
            from pathlib import Path
            from koordination.io.files import run_lock
            with run_lock(Path(sys.argv[1])):
                print("locked", flush=True)
                sys.stdin.readline()
        """), str(data)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    ) as holder:
        assert holder.stdin is not None and holder.stdout is not None
        try:
            assert holder.stdout.readline() == "locked\n"
            busy = as_on_windows("allocate", "2015", "--data", str(data))
            assert (busy.returncode, busy.stdout) == (1, "")
            assert busy.stderr == f"error: {data}: {LOCK_LINE}\n"
            assert not (data / "reports").exists()
        finally:
            holder.stdin.write("\n")
            holder.stdin.close()
            holder.wait(timeout=60)
    after = as_on_windows("allocate", "2015", "--data", str(data))
    assert after.returncode == 0, after.stderr


REDIRECTED = textwrap.dedent("""
    import io
    # What Windows gives a program whose output is redirected to a file: the console's code
    # page (here cp1252), not UTF-8.
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="cp1252", newline="\\n")
    sys.stderr = io.TextIOWrapper(sys.stderr.buffer, encoding="cp1252", newline="\\n")
""")


@pytest.mark.slow
@pytest.mark.parametrize("command", [["settle", "2015"], ["compare", "2014", "2015"],
                                     ["explain", "2015", "Danderyd"]])
def test_redirected_output_is_utf8_under_a_cp1252_console(data: Path,
                                                          command: list[str]) -> None:
    done = as_on_windows(*command, "--data", str(data), prelude=REDIRECTED)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "Danderyd" in done.stdout
    if command[0] != "explain":
        assert "\u2212" in done.stdout  # the Swedish minus sign, written as UTF-8


class Terminal(io.BytesIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("encoding, expected", [
    ("latin-1", "Avr\u00e4kning: -1\u00a0234 kr\n"),
    ("ascii", "Avrakning: -1 234 kr\n"),
    ("cp1252", "Avr\u00e4kning: -1\u00a0234 kr\n"),
])
def test_a_terminal_that_cannot_show_a_character_gets_its_nearest_form(
        monkeypatch: pytest.MonkeyPatch, encoding: str, expected: str) -> None:
    raw = Terminal()
    stream = io.TextIOWrapper(raw, encoding=encoding, newline="\n")
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    run.utf8_streams()
    print("Avr\u00e4kning: \u22121\u202f234 kr")
    stream.flush()
    assert raw.getvalue().decode(encoding) == expected.replace("\u00a0", " ")


def test_a_redirected_stream_becomes_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252", newline="\n")
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    run.utf8_streams()
    print("\u22121\u00a0234 kr \u2013 \u2026 \u00f6")
    stream.flush()
    assert raw.getvalue() == "\u22121\u00a0234 kr \u2013 \u2026 \u00f6\n".encode()


def test_no_posix_only_call_outside_a_guard() -> None:
    """Every POSIX-only name kn uses is looked up with getattr (absent on Windows); a POSIX-only
    module is imported only right inside ``try:`` (its ImportError handled)."""
    import re

    source = Path(run.__file__).resolve().parent.parent
    found = []
    pattern = re.compile(r"\bimport (fcntl|pwd|grp|termios|resource|pty)\b"
                         r"|\bos\.(O_NONBLOCK|O_NOFOLLOW|O_CLOEXEC|getuid|geteuid|fork|kill"
                         r"|fchmod|fchown)\b|\bsignal\.SIG(?!INT\b|_IGN\b|_DFL\b)")
    for path in sorted(source.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            guarded = line.strip().startswith("import ") and number > 1 \
                and lines[number - 2].strip() == "try:"
            if pattern.search(line) and not guarded:
                found.append(f"{path.relative_to(source)}:{number}: {line.strip()}")
    assert found == []
