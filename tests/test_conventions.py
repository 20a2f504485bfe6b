"""The conventions of a command-line tool: shell completion, NO_COLOR, environment variables
declared on the options, and every bad command line as one ``error:`` line with exit 2."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from koordination.cli.app import app
from tests.conftest import MakeData
from tests.small import small_data
from tests.test_help import commands


def kn_process(*args: str, env: dict[str, str] | None = None,
               **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``kn`` as a user's shell starts it (``python -m koordination``, which is what the ``kn``
    script runs), without a terminal."""
    return subprocess.run([sys.executable, "-m", "koordination", *args], capture_output=True,
                          text=True, encoding="utf-8", stdin=subprocess.DEVNULL, timeout=60,
                          env={**os.environ, **(env or {})}, **kwargs)


# --- completion -----------------------------------------------------------------------------

@pytest.mark.slow
def test_completion_completes_commands_and_options() -> None:
    done = kn_process(env={"_KN_COMPLETE": "complete_bash", "COMP_WORDS": "kn popu",
                           "COMP_CWORD": "1"})
    assert (done.returncode, done.stdout.split()) == (0, ["population"])
    done = kn_process(env={"_KN_COMPLETE": "complete_bash", "COMP_WORDS": "kn allocate 2015 --la",
                           "COMP_CWORD": "3"})
    assert (done.returncode, done.stdout.split()) == (0, ["--lang"])


@pytest.mark.slow
def test_show_and_install_completion(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "SHELL": "/bin/bash"}
    shown = kn_process("--show-completion", "bash", env=env)
    assert shown.returncode == 0
    assert "_KN_COMPLETE=complete_bash" in shown.stdout
    assert "complete -o default -F _kn_completion kn" in shown.stdout
    installed = kn_process("--install-completion", "bash", env=env)
    assert installed.returncode == 0, installed.stderr
    script = tmp_path / ".bash_completions" / "kn.sh"
    assert script.read_text(encoding="utf-8") == shown.stdout.strip() + "\n" \
        or "_KN_COMPLETE=complete_bash" in script.read_text(encoding="utf-8")
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text(encoding="utf-8")


# --- NO_COLOR -------------------------------------------------------------------------------

def on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """What ``kn ARGS`` writes on a terminal (a pseudo-terminal of 120 columns)."""
    pty = pytest.importorskip("pty")  # POSIX: Windows has no pseudo-terminal to test with
    main, side = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update({"TERM": "xterm-256color", "COLUMNS": "120", **env})
    with subprocess.Popen([sys.executable, "-m", "koordination", *args], stdout=side,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=environ) as proc:
        os.close(side)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=60)
    os.close(main)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8")


@pytest.mark.slow
def test_no_color_is_honoured_on_a_terminal(make_data: MakeData) -> None:
    data = small_data(make_data)
    args = ["allocate", "2015", "--data", str(data), "-o", str(data / "out.xlsx")]
    coloured = on_a_terminal(args, {})
    plain = on_a_terminal(args, {"NO_COLOR": "1"})
    assert "\x1b[" in coloured  # a terminal gets the table's bold header
    assert "\x1b[" not in plain
    assert "Upplands Väsby" in plain and "Totalt" in plain
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


# --- environment variables ------------------------------------------------------------------

def test_environment_variables_are_options_shown_in_help(make_data: MakeData,
                                                        runner: CliRunner) -> None:
    def shown(*args: str) -> str:
        return " ".join(runner.invoke(app, [*args, "--help"]).stdout.split())

    assert "--debug Show the traceback when something fails (also with KN_DEBUG=1)." in shown()
    for command in (["allocate"], ["validate"], ["population", "import"]):
        assert "--data PATH The cooperation's data directory (default: $KN_DATA, else ./data)." \
            in shown(*command).replace("<path>", "PATH")
    assert ("--api URL The address of SCB's PxWebApi 2.0 (default: $KN_SCB_API, else SCB's "
            "public address).") in shown("population", "fetch")
    data = small_data(make_data)
    result = runner.invoke(app, ["allocate", "2015", "--json"], env={"KN_DATA": str(data)})
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 10000


@pytest.mark.slow
def test_kn_debug_shows_the_traceback(runner: CliRunner, tmp_path: Path) -> None:
    quiet = kn_process("allocate", "2015", "--data", str(tmp_path / "none"))
    assert quiet.returncode == 1 and "Traceback" not in quiet.stderr
    loud = kn_process("allocate", "2015", "--data", str(tmp_path / "none"),
                      env={"KN_DEBUG": "1"})
    assert loud.returncode == 1 and "Traceback (most recent call last)" in loud.stderr


# --- bad command lines ----------------------------------------------------------------------

@pytest.mark.parametrize("args, line", [
    (["allocate", "abc"],
     "error: kn allocate: YEAR: 'abc' is not a year; write it in digits, e.g. 2015 "
     "(see 'kn allocate --help')"),
    (["allocate", "²⁰¹⁵"],
     "error: kn allocate: YEAR: '²⁰¹⁵' is not a year; write it in digits, e.g. 2015 "
     "(see 'kn allocate --help')"),
    (["allocate", "1900"],
     "error: kn allocate: YEAR: 1900 is outside 1971-2100; give a year from 1971 to 2100 "
     "(see 'kn allocate --help')"),
    (["allocate"], "error: kn allocate: YEAR is missing (see 'kn allocate --help')"),
    (["compare", "2015"], "error: kn compare: YEAR_B is missing (see 'kn compare --help')"),
    (["frobnicate"], "error: kn: no such command 'frobnicate' (see 'kn --help')"),
    (["alocate", "2015"],
     "error: kn: no such command 'alocate' (did you mean allocate?) (see 'kn --help')"),
    (["invoice", "2015"],
     "error: kn: no such command 'invoice' (did you mean invoices?) (see 'kn --help')"),
    (["population", "fetc", "2015"],
     "error: kn population: no such command 'fetc' (did you mean fetch?) "
     "(see 'kn population --help')"),
    (["budget", "shw", "2015"],
     "error: kn budget: no such command 'shw' (did you mean show?) (see 'kn budget --help')"),
    (["budget", "abc"],
     "error: kn budget show: YEAR: 'abc' is not a year; write it in digits, e.g. 2015 "
     "(see 'kn budget show --help')"),
    (["statistic", "lst"],
     "error: kn statistic: no such command 'lst' (did you mean list?) "
     "(see 'kn statistic --help')"),
    (["allocate", "2015", "--lang", "de"],
     "error: kn allocate: --lang: 'de' is not one of sv, en (see 'kn allocate --help')"),
    (["allocate", "2015", "--lan", "en"],
     "error: kn allocate: no such option: --lan (did you mean --lang?) "
     "(see 'kn allocate --help')"),
    (["plan", "2016", "--years", "x"],
     "error: kn plan: --years: not a whole number; write it in digits (see 'kn plan --help')"),
    (["invoices", "2015", "--invoice-date", "9999-12-31"],
     "error: kn invoices: --invoice-date: 9999-12-31 is outside the years kn works with; give "
     "a date from 1900-01-01 to 2199-12-31 (see 'kn invoices --help')"),
    (["allocate", "2015", "--final", "--decision-date", "0001-01-01"],
     "error: kn allocate: --decision-date: 0001-01-01 is outside the years kn works with; give "
     "a date from 1900-01-01 to 2199-12-31 (see 'kn allocate --help')"),
    (["population", "fetch", "1900"],
     "error: kn population fetch: YEAR: 1900 is outside 1968-2100; give a year from 1968 to "
     "2100 (see 'kn population fetch --help')"),
])
def test_a_bad_command_line_is_one_line_and_exit_2(make_data: MakeData, runner: CliRunner,
                                                   args: list[str], line: str) -> None:
    data = small_data(make_data)
    result = runner.invoke(app, [*args, "--data", str(data)])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", line + "\n")
    assert sorted(p.name for p in data.iterdir()) == ["budgets", "network.yaml", "populations"]


@pytest.mark.parametrize("args, line", [
    (["allocate", "2015", "--data"],
     "error: kn allocate: option '--data' requires an argument (see 'kn allocate --help')"),
    (["population", "fetch", "2015", "--timeout"],
     "error: kn population fetch: option '--timeout' requires an argument "
     "(see 'kn population fetch --help')"),
    (["budget", "show", "2015", "--lang"],
     "error: kn budget show: option '--lang' requires an argument "
     "(see 'kn budget show --help')"),
])
def test_an_option_without_its_value_names_the_command(runner: CliRunner, args: list[str],
                                                       line: str) -> None:
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", line + "\n")


@pytest.mark.slow
def test_a_bad_command_line_from_the_shell(tmp_path: Path) -> None:
    done = kn_process("allocate", "abc")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("error: kn allocate: YEAR: 'abc' is not a year; write it in digits, "
                           "e.g. 2015 (see 'kn allocate --help')\n")


def test_kn_alone_shows_the_commands(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert "Commands" in result.stdout + result.stderr
    assert "error:" not in result.stdout + result.stderr


def test_help_names_only_options_the_command_has() -> None:
    wrong = []
    for name, command in commands(typer.main.get_command(app)):
        opts = {opt for param in command.params for opt in getattr(param, "opts", [])}
        for param in command.params:
            for mentioned in re.findall(r"(?<![\w-])(-\w|--[\w-]+)", getattr(param, "help", "")
                                        or ""):
                if mentioned not in opts:
                    wrong.append(f"{name} {param.name}: {mentioned}")
    assert wrong == []


# --- standard input -------------------------------------------------------------------------

@pytest.mark.slow
def test_population_import_reads_standard_input(shipped_data: Path, tmp_path: Path) -> None:
    export = Path(__file__).parent / "data" / "scb" / "kolada_N01951_folkmangd_2024.csv"
    snapshot = "populations/2024-12-31.csv"
    (shipped_data / snapshot).unlink(missing_ok=True)
    by_name = tmp_path / "by-name"
    shutil.copytree(shipped_data, by_name)
    named = kn_process("population", "import", str(export), "--data", str(by_name))
    assert named.returncode == 0, named.stderr
    with export.open("rb") as stdin:
        piped = subprocess.run([sys.executable, "-m", "koordination", "population", "import",
                                "-", "--data", str(shipped_data)], stdin=stdin,
                               capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert (piped.returncode, piped.stderr) == (0, "")
    assert piped.stdout.startswith(f"Skrev {shipped_data / 'populations' / '2024-12-31.csv'}: "
                                   "290 kommuner, 10\u00a0587\u00a0710 invånare")
    written = (shipped_data / snapshot).read_text(encoding="utf-8")
    assert written.replace("standard input", "kolada_N01951_folkmangd_2024.csv") \
        == (by_name / snapshot).read_text(encoding="utf-8")


OLD_OR_PROTECTED = ("is an Excel 97-2003 workbook (.xls) or a workbook protected by a "
                    "password; kn reads neither: open it in Excel and save it as an Excel "
                    "workbook (.xlsx) without a password")


def test_an_old_or_password_protected_workbook_is_one_clear_line(shipped_data: Path,
                                                                  runner: CliRunner) -> None:
    """Excel 97-2003 files and password-protected .xlsx files are OLE2 compound files."""
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)
    (shipped_data / "budgets" / "2015.yaml").unlink()
    budget = shipped_data / "budgets" / "2015.xlsx"
    budget.write_bytes(ole2)
    result = runner.invoke(app, ["allocate", "2015", "--data", str(shipped_data)])
    assert (result.exit_code, result.stderr) == (1, f"error: {budget}: {OLD_OR_PROTECTED}\n")
    export = shipped_data.parent / "folkmangd.xls"
    export.write_bytes(ole2)
    result = runner.invoke(app, ["population", "import", str(export), "--data",
                                 str(shipped_data)])
    assert (result.exit_code, result.stderr) == (1, f"error: {export}: {OLD_OR_PROTECTED}\n")
