"""Never an internal error, a library's wording or a traceback: every malformed input, odd
path and Ctrl-C ends in lines in the user's terms."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.cli.interrupt import INTERRUPTED_LINE
from tests.conftest import MakeData
from tests.small import NETWORK, POPULATIONS, small_data

#: Words of libraries and of Python that must never reach the user.
FOREIGN = ("input should", "instance of", "value error", "pydantic", "validation error",
           "does not match the format", "internal error", "traceback", "datetimes provided",
           "errno", "list should have", "field required", "unable to parse", "for further "
           "information", "type=")


def assert_user_terms(stderr: str) -> None:
    assert stderr, "no message"
    for line in stderr.splitlines():
        assert line.startswith("error: "), line
        assert not any(word in line.lower() for word in FOREIGN), line


NETWORK_CASES = [
    "members: [[Vallentuna]]",
    "members: {kommun: Vallentuna}",
    "members:\n  - kommun: Vallentuna\n    joined: 2015-06-01 12:30:00",
    "members:\n  - kommun: Vallentuna\n    joined: 1433116800",
    "members:\n  - kommun: Vallentuna\n    joined: 2015-13-01",
    "members:\n  - kommun: [1, 2]",
    "members:\n  - kommun: Vallentuna\n    share: {a: 1}",
    "population: {date: 12-31, lag: many}",
    "population: {by_year: {twenty: 2014-12-31}}",
    "population: {by_year: {2014: 2014}}",
    "payment_days: 1e400",
    "notice_months: " + "9" * 5000,
    "population_cap: " + "1" * 40,
    "rounding: yes",
    "surplus: on",
    "key: {equal: '50,000', population: 50}",
    "name: [a, b]",
    "name: ''",
    "administrator: 3.5",
]


@pytest.mark.parametrize("extra", NETWORK_CASES)
def test_malformed_network_fields_are_in_the_users_terms(make_data: MakeData, runner: CliRunner,
                                                         extra: str) -> None:
    text = "name: Testsamverkan\nadministrator: Vallentuna\n"
    if not extra.startswith("members"):
        text += "members:\n  - kommun: Vallentuna\n"
    data = make_data(network=text + extra + "\n", populations=POPULATIONS,
                     budgets={2015: "year: 2015\nlines:\n  - {name: L, amount: 100}\n"})
    for command in (["allocate", "2015"], ["validate"]):
        result = runner.invoke(app, [*command, "--data", str(data)])
        assert result.exit_code == 1, (extra, result.stdout)
        assert_user_terms(result.stderr)


BUDGET_CASES = [
    "year: 2015\nlines: {name: L}",
    "year: 2015\nlines: [L]",
    "year: 2015-01-01\nlines:\n  - {name: L, amount: 1}",
    "year: 2015\nperiod: {start: 2015-01-01 10:00:00, end: 2015-12-31}\nlines:\n"
    "  - {name: L, amount: 1}",
    "year: 2015\nperiod: {start: 20150101, end: 2015-12-31}\nlines:\n  - {name: L, amount: 1}",
    "year: 2015\nperiod: 2015\nlines:\n  - {name: L, amount: 1}",
    "year: 2015\nlines:\n  - {name: L, amount: [1]}",
    "year: 2015\nlines:\n  - {name: L, amount: 1, quantity: x, rate: 2}",
    "year: 2015\nlines:\n  - {name: 5, amount: 1}",
    "year: 2015\nbasis: yes\nlines:\n  - {name: L, amount: 1}",
    "year: 2015\nlines:\n  - {name: L, rate: 1e308, quantity: 1e308}",
    "year: 2015\nlines:\n  - {name: L, rate: 1000000000, quantity: 1000000000}",
    "year: 2015\nlines:\n  - {name: L, amount: 1}\nfunding:\n  - {name: F, amount: -1}",
]


@pytest.mark.parametrize("text", BUDGET_CASES)
def test_malformed_budget_fields_are_in_the_users_terms(make_data: MakeData, runner: CliRunner,
                                                        text: str) -> None:
    data = make_data(network=NETWORK, populations=POPULATIONS, budgets={2015: text + "\n"})
    for command in (["allocate", "2015", "--json"], ["budget", "2015"], ["validate"]):
        result = runner.invoke(app, [*command, "--data", str(data)])
        assert result.exit_code == 1, (text, result.stdout)
        assert_user_terms(result.stderr)


@pytest.mark.parametrize("text", [
    "year: 2015\nlines:\n  - {name: L, amount: 1}\none_off:\n  - {name: O, amount: 1, "
    "date: 16436}",
    "year: 2015\nlines:\n  - {name: L, amount: 1}\none_off:\n  - {name: O, amount: 1, "
    "date: 2015-03-01 08:00:00}",
    "year: 2015\nlines:\n  - {name: L, amount: '1.000,5'}",
    "year: '2O15'\nlines:\n  - {name: L, amount: 1}",
])
def test_malformed_actuals_fields_are_in_the_users_terms(make_data: MakeData, runner: CliRunner,
                                                         text: str) -> None:
    data = small_data(make_data)
    (data / "actuals").mkdir()
    (data / "actuals" / "2015.yaml").write_text(text + "\n", encoding="utf-8")
    for command in (["settle", "2015", "--json"], ["validate"]):
        result = runner.invoke(app, [*command, "--data", str(data)])
        assert result.exit_code == 1, (text, result.stdout)
        assert_user_terms(result.stderr)


def test_the_examples_of_the_issue_in_the_users_words(make_data: MakeData,
                                                      runner: CliRunner) -> None:
    network = NETWORK.replace("- kommun: Vallentuna", "- [Vallentuna]").replace(
        "- kommun: Österåker", "- {kommun: Österåker, joined: 2014-06-01 12:00:00}")
    data = make_data(network=network, populations=POPULATIONS,
                     budgets={2015: "year: 2015\nlines:\n  - {name: L, amount: 100}\n"})
    result = runner.invoke(app, ["allocate", "2015", "--data", str(data)])
    path = data / "network.yaml"
    assert result.stderr.splitlines() == [
        f"error: {path}: members[1]: expected keys and values (KEY: value), found a list",
        f"error: {path}: members[2].joined: 2014-06-01 12:00:00 has a time of day; expected a "
        "date written YYYY-MM-DD",
    ]


@pytest.mark.parametrize("option, value, expected", [
    ("--invoice-date", "01/02/2015", "'01/02/2015' is not a date; write it as YYYY-MM-DD"),
    ("--invoice-date", "2015-02-30", "'2015-02-30' is not a day of the calendar; write a date "
                                     "as YYYY-MM-DD"),
    ("--invoice-date", "2015-02-01T00:00", "'2015-02-01T00:00' is not a date; write it as "
                                           "YYYY-MM-DD"),
    ("--invoice-date", "20150201", "'20150201' is not a date; write it as YYYY-MM-DD"),
])
def test_date_options_ask_for_yyyy_mm_dd(make_data: MakeData, runner: CliRunner, option: str,
                                         value: str, expected: str) -> None:
    data = small_data(make_data)
    result = runner.invoke(app, ["invoices", "2015", option, value, "--data", str(data)])
    assert result.exit_code == 2
    assert result.stderr == f"error: kn invoices: {option}: {expected} (see 'kn invoices --help')\n"
    assert not (data / "reports").exists()


@pytest.mark.parametrize("value", ["2015-W05-1", "20150201", "2015-2-1", "2015-02-30"])
def test_the_decision_date_asks_for_yyyy_mm_dd(make_data: MakeData, runner: CliRunner,
                                               value: str) -> None:
    data = small_data(make_data)
    result = runner.invoke(app, ["allocate", "2015", "--final", "--decision-date", value,
                                 "--data", str(data)])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr
    assert not (data / "decisions").exists()


def test_a_300_character_name_is_one_line(make_data: MakeData, runner: CliRunner,
                                          tmp_path: Path) -> None:
    data = small_data(make_data)
    long = "x" * 300
    cases = [
        (["allocate", "2015", "--data", str(tmp_path / long)],
         f"error: {tmp_path / long}: the file name is too long; choose a shorter name\n"),
        (["allocate", "2015", "--data", str(data), "-o", str(tmp_path / f"{long}.xlsx")],
         f"error: {tmp_path / long}.xlsx: cannot write: the file name is too long; choose a "
         "shorter name\n"),
        (["validate", "--data", str(tmp_path / long)],
         f"error: {tmp_path / long}: the file name is too long; choose a shorter name\n"),
    ]
    for args, expected in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 1, args
        assert result.stderr == expected


def test_an_unreadable_folder_is_one_line(make_data: MakeData, runner: CliRunner,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """As root every folder is readable, so the refusal of the operating system is made."""
    data = small_data(make_data)
    real = Path.iterdir

    def refuse(self: Path):  # type: ignore[no-untyped-def]
        if self.name == "populations":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    result = runner.invoke(app, ["validate", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {data / 'populations'}: permission denied; choose a "
                             "place you may write to, or ask for access\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_folder_for_real(make_data: MakeData, runner: CliRunner) -> None:
    data = small_data(make_data)
    (data / "populations").chmod(0)
    try:
        result = runner.invoke(app, ["validate", "--data", str(data)])
    finally:
        (data / "populations").chmod(0o755)
    assert result.exit_code == 1
    assert_user_terms(result.stderr)


def test_ctrl_c_in_a_command_is_one_line_and_exit_130(make_data: MakeData, runner: CliRunner,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    data = small_data(make_data)
    import koordination.jobs.allocate as job

    def stop(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(job, "allocate_year", stop)
    result = runner.invoke(app, ["allocate", "2015", "--data", str(data)])
    assert result.exit_code == 130
    assert result.stderr == INTERRUPTED_LINE
    assert not (data / "reports").exists()


KN = Path(sys.executable).parent / "kn"


def _ctrl_c_wrapped_by_a_library() -> None:
    """What pydantic does when Ctrl-C arrives while it builds a model's validator (which kn
    does when a command first needs the model): it catches the exception kn's handler raises
    and raises an error of its own in its place."""
    from koordination.cli.interrupt import Interrupted
    from koordination.cli.run import stop

    try:
        stop(signal.SIGINT, None)
    except Interrupted:
        raise ValueError('Error building "literal" validator: Interrupted: ') from None


def test_ctrl_c_that_a_library_turns_into_its_own_error_ends_as_stopped(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import typer

    from koordination.cli import interrupt
    from koordination.cli.common import reports_errors

    monkeypatch.setattr(interrupt, "received", False)
    with pytest.raises(SystemExit) as stopped:
        reports_errors(_ctrl_c_wrapped_by_a_library)()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == INTERRUPTED_LINE

    # the same error without a Ctrl-C is a bug in kn, and says so
    monkeypatch.setattr(interrupt, "received", False)
    with pytest.raises(typer.Exit) as ended:
        reports_errors(lambda: int("x"))()
    assert ended.value.exit_code == 1
    assert capsys.readouterr().err.startswith("error: internal error (ValueError: ")


def test_ctrl_c_wrapped_by_a_library_before_a_command_runs_ends_as_stopped(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The same while kn itself is being loaded, before any command's error handling."""
    import koordination.cli.app
    from koordination.cli import interrupt
    from koordination.cli.run import main

    monkeypatch.setattr(interrupt, "received", False)
    monkeypatch.setattr(koordination.cli.app, "main", _ctrl_c_wrapped_by_a_library)
    before = signal.getsignal(signal.SIGINT)
    try:
        with pytest.raises(SystemExit) as stopped:
            main()
    finally:
        signal.signal(signal.SIGINT, before)
    assert stopped.value.code == 130
    assert capsys.readouterr().err == INTERRUPTED_LINE


@pytest.mark.slow
@pytest.mark.skipif(not KN.exists(), reason="the kn program is not installed beside python")
def test_ctrl_c_at_any_moment_ends_in_one_line(make_data: MakeData, tmp_path: Path) -> None:
    """Real processes stopped with SIGINT from their first import to their last write: each
    ends with exit 0 (done before the signal) or 130 and the one line, never a traceback,
    and leaves no temporary file and no half-written workbook."""
    from openpyxl import load_workbook

    data = small_data(make_data)
    book = data / "reports" / "2015" / "fordelning-2015.xlsx"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.monotonic()
    subprocess.run([str(KN), "allocate", "2015", "--data", str(data)], check=True,
                   capture_output=True, env=env)
    whole = time.monotonic() - start
    ends: dict[int, int] = {}
    for i in range(16):
        delay = whole * i / 13
        proc = subprocess.Popen([str(KN), "allocate", "2015", "--final", "--data", str(data)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        ends[proc.returncode] = ends.get(proc.returncode, 0) + 1
        # -SIGINT: the signal came while the interpreter itself was starting, before any of
        # kn ran; the process ends as the shell's Ctrl-C would (the shell shows 130) and
        # prints nothing. Python's own start can also be stopped while it imports its site
        # module, still before any of kn ran: the interpreter says so itself and exits 1.
        if proc.returncode == 1 and err.startswith(b"Fatal Python error: init_import_site"):
            assert b"KeyboardInterrupt" in err and b"koordination" not in err, err.decode()
            continue
        assert proc.returncode in (0, 130, -signal.SIGINT), err.decode()
        if proc.returncode == 130:
            assert err.decode() == INTERRUPTED_LINE
        if proc.returncode == -signal.SIGINT:
            assert err == b"" and out == b""
        assert [p.name for p in data.rglob("*.tmp")] == []
        load_workbook(book).close()
        decisions = data / "decisions"
        if decisions.exists() and (decisions / "2015.json").exists():
            shutil.rmtree(decisions)
    assert ends.get(130, 0) >= 5, ends
