"""kn as it runs on Windows, as far as a Linux or macOS machine can show it: without
``fcntl`` and the POSIX-only flags of ``os.open`` (the file layer and the run lock), with
the console encodings of Windows and old terminals (the output), and with paths typed the
Windows way (how outputs name the files they rest on). CI also type-checks the package for
Windows (``mypy --platform win32``)."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

import pytest

from koordination.cli import run
from koordination.core.paths import folder_name, in_folder, inside
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


# ---- paths typed the Windows way ---------------------------------------------------------
# Output files name an input by its path inside the data directory (reference section 11):
# core/paths.py does it for paths of any flavour, so Windows' spellings are shown here with
# PureWindowsPath, compared as Windows compares paths (without regard to case).

W = PureWindowsPath


@pytest.mark.parametrize("root", [
    r"C:\Users\Anna\Samverkan\data",
    r"C:\Users\Anna\Samverkan\data" + "\\",     # a trailing backslash
    r"c:\users\anna\SAMVERKAN\Data",            # the drive letter and folders in other case
    "C:/Users/Anna/Samverkan/data",             # slashes, which Windows takes too
    r"C:\Users\Anna\Samverkan\.\data",          # a "." typed in it
])
@pytest.mark.parametrize(("path", "shown"), [
    (r"C:\Users\Anna\Samverkan\data\budgets\2015.yaml", "budgets/2015.yaml"),
    (r"C:\Users\Anna\Samverkan\data\populations\2014-12-31.csv",
     "populations/2014-12-31.csv"),
    ("C:/Users/Anna/Samverkan/data/statistics/skattekraft/2024-12-31.csv",
     "statistics/skattekraft/2024-12-31.csv"),
    (r"C:\USERS\ANNA\SAMVERKAN\DATA\decisions\2015.json", "decisions/2015.json"),
])
def test_an_input_on_a_drive_is_named_by_its_path_inside_the_data_directory(
        root: str, path: str, shown: str) -> None:
    assert inside(W(path), W(root)) == shown


@pytest.mark.parametrize(("root", "path", "shown"), [
    (r"\\fil01\ekonomi\Samverkan\data", r"\\fil01\ekonomi\Samverkan\data\budgets\2015.xlsx",
     "budgets/2015.xlsx"),                                 # a share on the network
    (r"\\FIL01\Ekonomi\samverkan\data\\", r"\\fil01\ekonomi\Samverkan\data\actuals\2015.yaml",
     "actuals/2015.yaml"),
    ("data", r"data\populations\2014-12-31.csv", "populations/2014-12-31.csv"),  # as typed
    (r".\data", r"data\budgets\2016.yaml", "budgets/2016.yaml"),
    (r"C:\kn\data", r"C:\kn\data\reports\2015\fordelning-2015.xlsx",
     "reports/2015/fordelning-2015.xlsx"),
])
def test_shares_and_relative_paths_are_named_the_same_way(root: str, path: str,
                                                          shown: str) -> None:
    assert inside(W(path), W(root)) == shown


@pytest.mark.parametrize(("root", "path"), [
    (r"C:\kn\data", r"D:\kn\data\budgets\2015.yaml"),      # another drive
    (r"C:\kn\data", r"C:\Users\Anna\Hämtade filer\export.csv"),   # an import from elsewhere
    (r"C:\kn\data", r"C:\kn\data-2015\budgets\2015.yaml"),  # a folder whose name only begins so
    (r"C:\kn\data", r"C:\kn\data"),                          # the directory itself
    (r"\\fil01\ekonomi\data", r"\\fil02\ekonomi\data\network.yaml"),  # another server
])
def test_a_file_outside_the_data_directory_is_not_named_inside_it(root: str, path: str) -> None:
    assert inside(W(path), W(root)) is None


def test_the_same_names_from_posix_paths() -> None:
    root = PurePosixPath("/home/anna/Samverkan/data")
    assert inside(root / "budgets" / "2015.yaml", root) == "budgets/2015.yaml"
    assert inside(PurePosixPath("/home/anna/Samverkan/data/populations/2014-12-31.csv"),
                  PurePosixPath("/home/anna/Samverkan/data/")) == "populations/2014-12-31.csv"
    # on Linux and macOS a backslash is a character of a file name, not a separator
    assert inside(PurePosixPath("/srv/data/budgets\\2015.yaml"),
                  PurePosixPath("/srv/data")) == "budgets\\2015.yaml"
    assert inside(PurePosixPath("/srv/Data/budgets/2015.yaml"), PurePosixPath("/srv/data")) \
        is None


@pytest.mark.parametrize(("root", "name"), [
    (W(r"C:\Users\Anna\Samverkan\data"), "data"),
    (W(r"C:\Users\Anna\Samverkan\Norrort" + "\\"), "Norrort"),
    (W("C:/kn/Koordination Norrort"), "Koordination Norrort"),
    (W(r"\\fil01\ekonomi\Samverkan"), "Samverkan"),
    (W("C:\\"), "C:"),                        # the top of a drive: its drive
    (W(r"\\fil01\ekonomi" + "\\"), r"\\fil01\ekonomi"),   # the top of a share: the share
    (PurePosixPath("/home/anna/data"), "data"),
    (PurePosixPath("/"), "/"),
])
def test_the_data_directory_is_named_by_its_own_folder(root: PurePath, name: str) -> None:
    assert folder_name(root) == name


@pytest.mark.parametrize(("folder", "flavour", "path"), [
    (r"C:\kn\data\populations", W, r"C:\kn\data\populations\2012-12-31.csv"),
    ("C:/kn/data/populations/", W, r"C:\kn\data\populations\2012-12-31.csv"),
    (r"\\fil01\ekonomi\data\populations", W, r"\\fil01\ekonomi\data\populations\2012-12-31.csv"),
    ("/srv/data/populations", PurePosixPath, "/srv/data/populations/2012-12-31.csv"),
])
def test_an_error_line_names_a_file_in_a_folder_as_the_system_writes_paths(
        folder: str, flavour: type[PurePath], path: str) -> None:
    assert in_folder(folder, "2012-12-31.csv", flavour) == path


def test_a_missing_trend_snapshot_is_named_in_the_folder_as_given(tmp_path: Path) -> None:
    """A plan year's trend needs the snapshot three years before the newest: the error line
    names it in the populations folder as it was given."""
    from datetime import date

    from koordination.core.errors import DataError
    from koordination.core.models import PopulationRule
    from koordination.core.planning import population_source

    folder = tmp_path / "data" / "populations"
    with pytest.raises(DataError) as raised:
        population_source(PopulationRule(), 2017, [date(2015, 12, 31)], "trend", str(folder))
    [problem] = raised.value.problems
    assert (problem.file, problem.message) == (
        str(folder / "2012-12-31.csv"),
        "the trend for 2017 needs the snapshot 3 years before the newest (2015-12-31), "
        "2012-12-31; import it, or use population: latest")


def test_every_name_of_a_file_in_an_output_comes_from_one_function() -> None:
    """Names of files inside the data directory are made by core/paths.py alone (tested
    above with Windows' spellings): no other module turns a path into text by its
    separators."""
    import re

    source = Path(run.__file__).resolve().parent.parent
    pattern = re.compile(r"\.relative_to\(|\.as_posix\(|\bos\.sep\b|\bos\.altsep\b"
                         r"|split\(\s*[\"']/[\"']|rsplit\(\s*[\"']/[\"']"
                         r"|\bposixpath\b|\bntpath\b")
    found = []
    for path in sorted(source.rglob("*.py")):
        if path == source / "core" / "paths.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(source)}:{number}: {line.strip()}")
    assert found == []
