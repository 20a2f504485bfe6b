"""No run loses or overwrites what kn reads or records, and a decided year's money is the
record's everywhere (docs/reference.md section 9)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.errors import DataError, OutputError, RefusedError
from koordination.io.datadir import DataDir
from koordination.io.files import atomic_write, run_lock
from koordination.io.gate import read
from koordination.io.records import records
from tests.conftest import MakeData, make_data_in
from tests.small import budget, small_data

FINAL = ["--final", "--decided-by", "Styrgruppen", "--decision-date", "2014-11-24"]


def kn(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry under ``root``: a file's bytes, or what else it is."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = f"link to {os.readlink(path)}"
        elif path.is_fifo():
            found[rel] = "pipe"
        elif path.is_dir():
            found[rel] = "dir"
        else:
            found[rel] = path.read_bytes()
    return found


def set_budget(data: Path, amount: int) -> None:
    (data / "budgets" / "2015.yaml").write_text(
        "\n".join(line[8:] for line in budget(2015, amount).splitlines()), encoding="utf-8")


@pytest.fixture(scope="module")
def decided_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small cooperation with 2015 decided, made once for the module."""
    root = tmp_path_factory.mktemp("decided")
    data = small_data(lambda **files: make_data_in(root, **files))
    code, _, err = kn(CliRunner(), "allocate", "2015", "--data", str(data), *FINAL)
    assert code == 0, err
    return data


@pytest.fixture
def decided(decided_once: Path, tmp_path: Path) -> Path:
    """A copy of its own of the small cooperation with 2015 decided (its record names every
    file by its path inside the directory, so a copy is the same decided year)."""
    data = tmp_path / "data"
    shutil.copytree(decided_once, data)
    return data


# --- class 1: -o never names what kn reads or records --------------------------------------

PROTECTED = ["decisions/2015.json", "network.yaml", "budgets/2015.yaml",
             "populations/2014-12-31.csv", "decisions/new.xlsx", "budgets/2015.xlsx",
             "actuals/2015.xlsx", "populations/x.xlsx", ".kn.lock"]


#: Every command that writes a workbook where -o says.
WRITERS = [["allocate", "2015"], ["allocate", "2015", "--json"], ["compare", "2014", "2015"],
           ["invoices", "2015"], ["settle", "2015"], ["plan", "2015"], ["report", "2015"]]


def test_every_command_with_an_output_option_is_checked() -> None:
    """A new command with -o must be added to WRITERS (and so to the test below)."""
    import typer.main

    from koordination.cli.app import app as kn_app

    group = typer.main.get_command(kn_app)
    ctx = typer.Context(group)
    built = {name: group.get_command(ctx, name)  # type: ignore[attr-defined]
             for name in group.list_commands(ctx)}  # type: ignore[attr-defined]
    with_output = sorted(
        name for name, command in built.items()
        if any("-o" in param.opts for param in command.params))
    assert with_output == sorted({c[0] for c in WRITERS})


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize("target", PROTECTED)
def test_output_never_names_what_kn_reads_or_records(decided: Path, runner: CliRunner,
                                                     command: list[str], target: str) -> None:
    before = snapshot(decided)
    code, out, err = kn(runner, *command, "--data", str(decided), "-o", str(decided / target))
    assert code == 1, out
    assert err.count("\n") == 1 and err.startswith(f"error: {decided / target}: ")
    assert ("which kn reads or records in; -o never writes there" in err
            or "must end in .xlsx" in err), err
    assert snapshot(decided) == before


def test_output_through_a_link_into_decisions_is_refused(decided: Path, runner: CliRunner,
                                                         tmp_path: Path) -> None:
    (tmp_path / "elsewhere").symlink_to(decided / "decisions")
    target = tmp_path / "elsewhere" / "2015.xlsx"
    before = snapshot(decided)
    code, _, err = kn(runner, "allocate", "2015", "--data", str(decided), "-o", str(target))
    assert code == 1
    assert err == (f"error: {target}: is inside {decided / 'decisions'}, which kn reads or "
                   "records in; -o never writes there; choose a place such as reports/\n")
    assert snapshot(decided) == before


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("make, expected", [
    (lambda p: (p.with_name("real.xlsx").write_bytes(b"keep"), p.symlink_to("real.xlsx")),
     "is a link; kn never writes through a link; give the file's own name"),
    (lambda p: _fifo(p), "is a device or pipe, not a file; give a new .xlsx file name"),
    (lambda p: p.mkdir(), "is a directory; give a new .xlsx file name"),
])
def test_output_onto_a_link_pipe_or_directory_is_refused(decided: Path, runner: CliRunner,
                                                         tmp_path: Path, make: object,
                                                         expected: str) -> None:
    target = tmp_path / "out" / "a.xlsx"
    target.parent.mkdir()
    make(target)  # type: ignore[operator]
    before = snapshot(tmp_path / "out")
    code, _, err = kn(runner, "allocate", "2015", "--data", str(decided), "-o", str(target))
    assert code == 1
    assert err == f"error: {target}: {expected}\n"
    assert snapshot(tmp_path / "out") == before


def _device(path: Path, minor: int = 3) -> Path:
    """A character device node like /dev/null (1, 3) or /dev/zero (1, 5), made in the test's
    own folder so that a failing test can never replace or drain the machine's own."""
    import stat

    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return path


def test_a_device_is_never_replaced(decided: Path, runner: CliRunner, tmp_path: Path) -> None:
    device = _device(tmp_path / "null.xlsx")
    code, _, err = kn(runner, "allocate", "2015", "--data", str(decided), "-o", str(device))
    assert code == 1
    assert err == f"error: {device}: is a device or pipe, not a file; give a new .xlsx file name\n"
    assert device.is_char_device()
    plain = _device(tmp_path / "null")
    code, _, err = kn(runner, "allocate", "2015", "--data", str(decided), "-o", str(plain))
    assert code == 1
    assert err == f"error: {plain}: a workbook's name must end in .xlsx; give -o NAME.xlsx\n"
    with pytest.raises(OutputError) as caught:
        atomic_write(plain, b"x")
    assert str(caught.value) == (f"{plain}: is a device, not a regular file; kn writes only "
                                 "regular files and never replaces anything else; give another "
                                 "name")
    assert plain.is_char_device() and device.is_char_device()


def test_atomic_write_never_replaces_a_link_or_pipe(tmp_path: Path) -> None:
    (tmp_path / "real").write_bytes(b"keep")
    (tmp_path / "link").symlink_to("real")
    _fifo(tmp_path / "pipe")
    for name, kind in (("link", "a link"), ("pipe", "a pipe")):
        with pytest.raises(OutputError) as caught:
            atomic_write(tmp_path / name, b"new")
        assert f"is {kind}, not a regular file" in str(caught.value)
    assert (tmp_path / "real").read_bytes() == b"keep"
    assert (tmp_path / "link").is_symlink() and (tmp_path / "pipe").is_fifo()


def test_a_missing_output_folder_is_an_error(decided: Path, runner: CliRunner,
                                             tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "a.xlsx"
    code, _, err = kn(runner, "allocate", "2015", "--data", str(decided), "-o", str(target))
    assert code == 1
    assert err == (f"error: {target}: the folder {target.parent} does not exist; create it "
                   "first or choose another place\n")
    assert not (tmp_path / "no").exists()
    # the default place is still made
    code, _, err = kn(runner, "allocate", "2014", "--data", str(decided))
    assert code == 0, err
    assert (decided / "reports" / "2014" / "fordelning-2014.xlsx").is_file()


def _full(code: int):  # type: ignore[no-untyped-def]
    def raiser(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))
    return raiser


def test_final_on_a_disk_that_fills_during_the_workbook_records_nothing(
        make_data: MakeData, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    data = small_data(make_data)
    monkeypatch.setattr(os, "replace", _full(errno.ENOSPC))  # the workbook's rename
    code, _, err = kn(runner, "allocate", "2015", "--data", str(data), *FINAL)
    assert code == 1
    book = data / "reports" / "2015" / "fordelning-2015.xlsx"
    assert err == f"error: {book}: cannot write: the disk is full; free some space and run again\n"
    assert not (data / "decisions").exists()
    assert list(book.parent.iterdir()) == []
    monkeypatch.undo()
    code, out, err = kn(runner, "allocate", "2015", "--data", str(data), *FINAL)
    assert code == 0 and "already decided" not in out, err
    assert (data / "decisions" / "2015.json").is_file()


def test_a_record_that_cannot_be_written_takes_the_workbook_back(
        make_data: MakeData, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    data = small_data(make_data)
    code, _, err = kn(runner, "allocate", "2015", "--data", str(data))
    assert code == 0, err
    book = data / "reports" / "2015" / "fordelning-2015.xlsx"
    before = book.read_bytes()
    set_budget(data, 12000)
    monkeypatch.setattr(os, "link", _full(errno.ENOSPC))
    code, _, err = kn(runner, "allocate", "2015", "--data", str(data), *FINAL)
    assert code == 1
    assert err.endswith("2015.json: cannot write: the disk is full; free some space and run "
                        "again\n")
    assert book.read_bytes() == before  # the previous workbook, not the undecided new one
    assert [p.name for p in book.parent.iterdir()] == ["fordelning-2015.xlsx"]
    assert list((data / "decisions").iterdir()) == []


@pytest.mark.parametrize("make", ["directory", "link", "dangling link"])
def test_the_lock_is_never_silently_off(make_data: MakeData, runner: CliRunner, tmp_path: Path,
                                        make: str) -> None:
    data = small_data(make_data)
    lock = data / ".kn.lock"
    if make == "directory":
        lock.mkdir()
    elif make == "link":
        (tmp_path / "other").write_bytes(b"")
        lock.symlink_to(tmp_path / "other")
    else:
        lock.symlink_to(tmp_path / "nowhere")
    code, _, err = kn(runner, "allocate", "2015", "--data", str(data), *FINAL)
    assert code == 1
    assert err == (f"error: {lock}: the lock file is not a regular file (a directory or a "
                   "link?); kn never runs without its lock: remove it and run again\n")
    assert not (data / "decisions").exists() and not (data / "reports").exists()
    with pytest.raises(RefusedError), run_lock(data):
        pass


# --- class 2: records read only as regular files, checked every time -----------------------

def test_a_record_that_is_a_pipe_is_refused_at_once(make_data: MakeData,
                                                    runner: CliRunner) -> None:
    data = small_data(make_data)
    (data / "decisions").mkdir()
    _fifo(data / "decisions" / "2015.json")
    done: list[tuple[int, str, str]] = []
    worker = threading.Thread(target=lambda: done.append(
        kn(runner, "allocate", "2015", "--data", str(data), "--json")), daemon=True)
    worker.start()
    worker.join(20)
    assert done, "kn hung on a pipe"
    code, _, err = done[0]
    assert code == 1
    assert err == (f"error: {data / 'decisions' / '2015.json'}: is a pipe, not a regular file; "
                   "give the decision record itself\n")


@pytest.mark.parametrize("name", ["network.yaml", "budgets/2015.yaml",
                                  "populations/2014-12-31.csv", "decisions/2015.json"])
def test_an_endless_device_is_never_read(make_data: MakeData, runner: CliRunner,
                                         name: str) -> None:
    data = small_data(make_data)
    target = data / name
    target.parent.mkdir(exist_ok=True)
    target.unlink(missing_ok=True)
    target.symlink_to(_device(data / "zero", 5))  # an endless device, through a link
    code, _, err = kn(runner, "allocate", "2015", "--data", str(data), "--json")
    assert code == 1
    assert err.startswith(f"error: {target}: is a device, not a regular file; give the ")
    assert err.count("\n") == 1


def test_read_input_checks_size_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with open(path, "wb") as handle:
        handle.truncate(5 * 1024 * 1024 + 1)  # sparse: costs no disk
    with pytest.raises(DataError) as caught:
        read(path, "yaml")
    assert str(caught.value) == (f"{path}: file is 5242881 bytes; kn reads a YAML file of up to "
                                 "5242880 bytes (is this the right file?)")


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    record = json.loads(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")


BROKEN = ("the file is damaged or was not written by kn; restore it from a backup (kn never "
          "changes a decision file)")


def _fee(r: dict) -> None:  # type: ignore[type-arg]
    r["members"][1]["fee"] = 1500


def _total(r: dict) -> None:  # type: ignore[type-arg]
    r["total"] = 11000


def _both(r: dict) -> None:  # type: ignore[type-arg]
    r["members"][1]["fee"] = r["members"][1]["amount"] = 1500


def _twice(r: dict) -> None:  # type: ignore[type-arg]
    r["members"][2] = dict(r["members"][1])
    r["total"] = 3000 + 1000 + 1000


def _stranger(r: dict) -> None:  # type: ignore[type-arg]
    r["members"][1]["kommunkod"], r["members"][1]["kommun"] = "0180", "Stockholm"


@pytest.mark.parametrize("change, where, message", [
    (_fee, "members[1]", f"fee 1500 + carried 0 is not the amount 1000; {BROKEN}"),
    (_total, "total", f"the members' amounts sum to 10000, not to the total 11000; {BROKEN}"),
    (_both, "total", f"the members' amounts sum to 10500, not to the total 10000; {BROKEN}"),
    (_twice, "members[2]", f"kommunkod 0115 appears twice; {BROKEN}"),
    (_stranger, "members[1]", "Stockholm (0180) is not a member in network.yaml; the record "
                              f"does not belong to this network; {BROKEN}"),
])
@pytest.mark.parametrize("command", [["allocate", "2015"], ["invoices", "2015"],
                                     ["explain", "2015", "Vallentuna"], ["validate"],
                                     ["allocate", "2016", "--json"]])
def test_a_record_edited_by_hand_is_refused_everywhere(
        decided: Path, runner: CliRunner, change: object, where: str, message: str,
        command: list[str]) -> None:
    if command[-2:] == ["2016", "--json"]:  # 2016 carries 2015's settlement: needs its record
        (decided / "network.yaml").write_text(
            (decided / "network.yaml").read_text(encoding="utf-8")
            + "surplus: carry_forward\n", encoding="utf-8")
        set_budget(decided, 10000)
        (decided / "budgets" / "2016.yaml").write_text(
            "year: 2016\nlines:\n  - {name: Lön, amount: 100}\n", encoding="utf-8")
        (decided / "populations" / "2015-12-31.csv").write_bytes(
            (decided / "populations" / "2014-12-31.csv").read_bytes())
        (decided / "actuals").mkdir()
        (decided / "actuals" / "2015.yaml").write_text(
            "year: 2015\nlines:\n  - {name: Lön strateg, amount: 9000}\n", encoding="utf-8")
    record = decided / "decisions" / "2015.json"
    _edit(record, change)
    before = snapshot(decided)
    code, out, err = kn(runner, *command, "--data", str(decided))
    assert code == 1, out
    assert f"error: {record}: {where}: {message}\n" in err
    assert snapshot(decided) == before


def _revise(data: Path, runner: CliRunner, amount: int) -> None:
    set_budget(data, amount)
    code, _, err = kn(runner, "allocate", "2015", "--data", str(data), "--revise",
                      "--decision-date", "2015-02-01")
    assert code == 0, err


def test_a_planted_revision_with_a_gap_is_refused(decided: Path, runner: CliRunner) -> None:
    _revise(decided, runner, 12000)
    rev1 = decided / "decisions" / "2015.rev1.json"
    planted = decided / "decisions" / "2015.rev7.json"
    _edit(rev1, lambda r: r.update(revision=7))
    planted.write_bytes(rev1.read_bytes())
    _edit(rev1, lambda r: r.update(revision=1))
    rev1.unlink()
    for command in (["allocate", "2015"], ["validate"], ["invoices", "2015"]):
        code, _, err = kn(runner, *command, "--data", str(decided))
        assert code == 1
        assert (f"error: {planted}: revision 1 of 2015 is missing (2015.rev1.json) before "
                "this one; restore it from a backup (kn numbers revisions 1, 2, ... and never "
                "removes one)\n") in err


def test_a_revision_must_start_from_what_it_revises(decided: Path, runner: CliRunner) -> None:
    _revise(decided, runner, 12000)
    _revise(decided, runner, 14000)
    rev2 = decided / "decisions" / "2015.rev2.json"

    def shift(r: dict) -> None:  # type: ignore[type-arg]
        r["members"][0]["decided"] += 1
        r["members"][0]["difference"] -= 1
        r["decided_total"] += 1
        r["difference"] -= 1
    _edit(rev2, shift)
    with pytest.raises(DataError) as caught:
        records(DataDir(decided), 2015)
    assert str(caught.value) == (f"{rev2}: members: its decided amounts are not those of "
                                 f"2015.rev1.json, the record it revises; {BROKEN}")
    _edit(rev2, lambda r: r.update(revises="2015.json"))
    with pytest.raises(DataError) as caught:
        records(DataDir(decided), 2015)
    assert str(caught.value).startswith(f"{rev2}: revises: revises '2015.json', not "
                                        "2015.rev1.json")


# --- class 2: a decided year's money is the record's ---------------------------------------

@pytest.mark.parametrize("command", [["invoices", "2015"], ["explain", "2015", "Vallentuna"],
                                     ["explain", "2015", "0115", "--json"],
                                     ["invoices", "2015", "--split"]])
def test_commands_that_state_decided_money_refuse_other_amounts(
        decided: Path, runner: CliRunner, command: list[str]) -> None:
    set_budget(decided, 12000)
    before = snapshot(decided)
    code, out, err = kn(runner, *command, "--data", str(decided))
    assert code == 1 and out == ""
    record = decided / "decisions" / "2015.json"
    assert err.splitlines() == [
        f"error: {record}: the amounts differ from the decision of 2014-11-24 (Styrgruppen); "
        "nothing was written; record the change first with 'kn allocate 2015 --revise', or "
        "put the inputs back as they were decided",
        f"error: {record}: Upplands Väsby (0114): decided 3 000 kr, now 3 600 kr, "
        "difference +600 kr",
        f"error: {record}: Vallentuna (0115): decided 1 000 kr, now 1 200 kr, difference +200 kr",
        f"error: {record}: Österåker (0117): decided 6 000 kr, now 7 200 kr, "
        "difference +1 200 kr",
        f"error: {record}: input files changed since then: budgets/2015.yaml",
    ]
    assert snapshot(decided) == before


def test_after_a_revision_the_commands_state_the_revised_money(decided: Path,
                                                               runner: CliRunner) -> None:
    _revise(decided, runner, 12000)
    code, out, err = kn(runner, "explain", "2015", "Vallentuna", "--json", "--data",
                        str(decided))
    assert code == 0, err
    assert json.loads(out)["fee"] == 1200
    code, out, err = kn(runner, "invoices", "2015", "--data", str(decided))
    assert code == 0, err
    assert "12\u00a0000\u00a0kr" in out


def test_split_invoices_that_fail_halfway_leave_nothing_new(
        make_data: MakeData, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up at the third of three invoice workbooks: the two written are taken
    back, so the folder holds what it held before."""
    data = small_data(make_data)
    assert kn(runner, "allocate", "2015", "--final", "--data", str(data))[0] == 0
    real = os.replace
    calls: list[object] = []

    def third_fails(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", third_fails)
    code, _, err = kn(runner, "invoices", "2015", "--split", "--data", str(data))
    assert code == 1
    assert err.endswith("cannot write: the disk is full; free some space and run again\n")
    folder = data / "reports" / "2015" / "fakturaunderlag-2015"
    assert not folder.exists() or list(folder.iterdir()) == []
    assert not (data / "decisions" / "invoices-2015.json").exists()  # nothing registered


def test_a_statistic_snapshot_that_is_a_pipe_is_refused_at_once(tmp_path: Path) -> None:
    """Statistic snapshots are read like population snapshots: a pipe is never opened for
    reading (it would block), it is refused with one line."""
    from koordination.io.statistics import read_statistic

    folder = tmp_path / "statistics" / "befolkning-16-64"
    folder.mkdir(parents=True)
    pipe = folder / "2014-12-31.csv"
    os.mkfifo(pipe)
    with pytest.raises(DataError) as caught:
        read_statistic(pipe)
    assert [str(p) for p in caught.value.problems] == [
        f"{pipe}: is a pipe, not a regular file; give the statistic snapshot itself"]


def test_only_this_years_revision_files_are_its_revisions(decided: Path) -> None:
    """Files beside the records that look like revisions but are not this year's, or are not
    numbered as kn numbers them, are not read as revisions of the year."""
    folder = decided / "decisions"
    for name in ("2016.rev1.json", "2015.rev01.json", "2015.rev0.json", "x2015.rev1.json",
                 "2015.rev1.json.bak"):
        (folder / name).write_text("not a record", encoding="utf-8")
    found = records(DataDir(decided), 2015)
    assert [(r.number, r.path.name) for r in found] == [(0, "2015.json")]
