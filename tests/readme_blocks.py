"""The console examples of README.md and docs/guide.md, run as they are written.

Every ```console block whose commands start with ``$ kn`` (or with the reset of the examples,
``$ git clean -fdx data && git checkout -- data``) is run, each document from its first block
to its last, in order, in one fresh copy of the repository's tracked ``data/`` and
``examples/`` (what a fresh clone has), and its output is compared with what the block shows.
A line ``...`` (also inside a table row, ``│ ... │``) stands for any number of lines.

What an example says it starts from (a comment on its command line: a misspelt member, a
raised budget line, a workbook written by a program) is made in the copy first
(:data:`SETUP`); a misspelling or a program's workbook is taken back after the command, a
raised line stays, as the text goes on from it. ``kn population fetch`` asks a local stand-in
for SCB's API with the figures of the shipped snapshot.

    python tests/readme_blocks.py            check, as tests/test_readme.py does
    python tests/readme_blocks.py --update   rewrite the blocks from kn's real output

The update keeps each block's ``...`` lines: the lines before the first are the output's
first lines, the lines after the last its last lines, and a part between two is found again
by its first line.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DOCS = (ROOT / "README.md", ROOT / "docs" / "guide.md")
BLOCK = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)
#: The reset of the examples, as the README gives it.
RESET = "git clean -fdx data && git checkout -- data"


@dataclass
class Block:
    doc: Path
    start: int  # offset of the block's text in the document
    end: int
    commands: list[tuple[str, list[str]]]  # (command line, shown output lines)


def blocks(doc: Path) -> list[Block]:
    text = doc.read_text("utf-8")
    found = []
    for match in BLOCK.finditer(text):
        body = match.group(1)
        if not (body.startswith("$ kn ") or body.startswith(f"$ {RESET}")):
            continue
        commands: list[tuple[str, list[str]]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                commands.append((line[2:], []))
            else:
                commands[-1][1].append(line)
        found.append(Block(doc, match.start(1), match.end(1), commands))
    return found


# -- what some examples need first ------------------------------------------------------------

Setup = Callable[[Path], AbstractContextManager[object]]


def _edit(path: str, old: str, new: str, undo: bool = False) -> Setup:
    """Replace ``old`` by ``new`` in ``path`` of the copy; with ``undo``, only for the command."""
    @contextmanager
    def setup(root: Path) -> Iterator[None]:
        target = root / path
        text = target.read_text("utf-8")
        assert old in text, f"{old!r} not in {path}"
        target.write_text(text.replace(old, new, 1), "utf-8")
        yield
        if undo:
            target.write_text(text, "utf-8")
    return setup


@contextmanager
def _scb_server(root: Path) -> Iterator[None]:
    """A local stand-in for SCB's API (the figures of the shipped 2024 snapshot)."""
    from tests.scb_fixtures import fake_scb
    from tests.test_scb_api import tab638_fake

    with fake_scb(tab638_fake()) as fake:
        old = os.environ.get("KN_SCB_API")
        os.environ["KN_SCB_API"] = fake.url
        try:
            yield
        finally:
            if old is None:
                del os.environ["KN_SCB_API"]
            else:
                os.environ["KN_SCB_API"] = old


@contextmanager
def _formula_budget(root: Path) -> Iterator[None]:
    """budgets/2015.xlsx written by a program, with a formula never calculated (row 9), in
    place of budgets/2015.yaml for the command."""
    from openpyxl import Workbook

    from koordination.io.budget import load_budget_yaml

    yaml_budget = root / "data" / "budgets" / "2015.yaml"
    text = yaml_budget.read_text("utf-8")
    budget = load_budget_yaml(yaml_budget)
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["year", 2015])
    ws.append(["kind", "group", "name", "amount", "overhead_percent", "rate", "per_month"])
    for line in budget.lines:
        ws.append(["line", line.group, line.name, line.amount, line.overhead_percent,
                   line.rate, line.per_month])
    ws["D9"] = "=3000*12"
    wb.save(root / "data" / "budgets" / "2015.xlsx")
    yaml_budget.unlink()
    yield
    (root / "data" / "budgets" / "2015.xlsx").unlink()
    yaml_budget.write_text(text, "utf-8")


RAISE = _edit("data/budgets/2015.yaml", "name: Externa tjänster, amount: 60000",
              "name: Externa tjänster, amount: 70000")
RAISE_80 = _edit("data/budgets/2015.yaml", "name: Externa tjänster, amount: 60000",
                 "name: Externa tjänster, amount: 80000")
REVISE_INVOICED = ('kn allocate 2015 --revise --decision-date 2015-06-01 --ref "§ 40"   # after '
                   "raising Externa tjänster from 60 000 to 80 000 kr")

#: (document, command as written) -> what the example says it starts from, made in the copy
#: before the command runs.
SETUP: dict[tuple[str, str], Setup] = {
    ("README.md", 'kn allocate 2015            # with "Upplands Vasby" in network.yaml'):
        _edit("data/network.yaml", "kommun: Upplands Väsby", "kommun: Upplands Vasby",
              undo=True),
    ("README.md", "kn allocate 2015            # after raising Externa tjänster from 60 000 "
                  "to 70 000 kr"): RAISE,
    ("README.md", "kn population fetch 2024 --data data"): _scb_server,
    ("README.md", "kn allocate 2015            # budgets/2015.xlsx written by a program"):
        _formula_budget,
    ("README.md", "kn population import examples/population/kolada_N01951_folkmangd_2024.csv "
                  "--data data   # with 50300 for Upplands Väsby in the snapshot"):
        _edit("data/populations/2024-12-31.csv", "0114,Upplands Väsby,50323",
              "0114,Upplands Väsby,50300", undo=True),
    ("guide.md", "kn allocate 2015            # after raising Externa tjänster from 60 000 "
                 "to 70 000 kr"): RAISE,
    ("README.md", REVISE_INVOICED): RAISE_80,
}


def _key(block: Block, command: str) -> tuple[str, str]:
    return (block.doc.name, command)


def tracked(folder: str) -> list[str]:
    """The files of ``folder`` that a fresh clone has (git's tracked files; without git, the
    files less what git ignores there: reports and decisions)."""
    try:
        listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--", folder],
                                capture_output=True, check=True).stdout.decode()
        return [name for name in listed.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        return [str(path.relative_to(ROOT).as_posix()) for path in (ROOT / folder).rglob("*")
                if path.is_file() and not {"reports", "decisions"} & set(path.parts)]


def _restore(root: Path, folder: str) -> None:
    """``folder`` of the copy as a fresh clone has it."""
    if (root / folder).exists():
        shutil.rmtree(root / folder)
    for name in tracked(folder):
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target)


def _copy(into: Path) -> Path:
    root = into / "repo"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir()
    for folder in ("data", "examples"):
        _restore(root, folder)
    return root


def run(command: str, cwd: Path) -> list[str]:
    """Run one ``kn ...`` command line in ``cwd`` (or the reset of the examples); its output
    (stdout, then stderr) as lines."""
    from typer.testing import CliRunner

    from koordination.cli.app import app

    if command == RESET:  # what it does in a clone: data/ as the clone has it
        _restore(cwd, "data")
        return []
    args = shlex.split(command, comments=True)
    assert args[0] == "kn", command
    here = os.getcwd()
    os.chdir(cwd)
    try:
        # as a user's fresh terminal has it: no data directory or debugging named
        result = CliRunner().invoke(app, args[1:], env={"KN_DATA": None, "KN_DEBUG": None})
    finally:
        os.chdir(here)
    return (result.stdout + result.stderr).splitlines()


def _wild(line: str) -> bool:
    return line.strip(" │|").strip() == "..."


def _spaces(line: str) -> str:
    """A line with no-break spaces as spaces (kn prints them in amounts: 1\u00a0234 kr)."""
    return line.replace("\u00a0", " ").replace("\u202f", " ")


def _anchor(line: str) -> str:
    """How a part between two ``...`` lines is found again: by its first line, or for a table
    row by its first cell (the municipality)."""
    if line.startswith("│"):
        return line.split("│")[1].strip()
    return _spaces(line)


def _clean(lines: list[str]) -> list[str]:
    return [line.rstrip() for line in lines]


def matches(shown: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` is ``shown`` with each ``...`` line standing for any lines."""
    shown, actual = _clean(shown), _clean(actual)

    def at(i: int, j: int) -> bool:
        if i == len(shown):
            return j == len(actual)
        if _wild(shown[i]):
            return any(at(i + 1, k) for k in range(j, len(actual) + 1))
        return j < len(actual) and shown[i] == actual[j] and at(i + 1, j + 1)

    return at(0, 0)


def updated(shown: list[str], actual: list[str]) -> list[str] | None:
    """``shown`` rewritten from ``actual`` keeping its ``...`` lines (None: a part between two
    ``...`` lines is not in the output any more; rewrite that block by hand)."""
    shown, actual = _clean(shown), _clean(actual)
    wild = [i for i, line in enumerate(shown) if _wild(line)]
    if not wild:
        return actual
    parts: list[list[str]] = []
    start = 0
    for i in wild:
        parts.append(shown[start:i])
        start = i + 1
    parts.append(shown[start:])
    out = list(actual[:len(parts[0])])
    position = len(parts[0])
    tail = actual[len(actual) - len(parts[-1]):] if parts[-1] else []
    for k, part in enumerate(parts[1:-1]):
        out.append(shown[wild[k]])
        if not part:
            continue
        found = next((n for n in range(position, len(actual))
                      if _anchor(actual[n]) == _anchor(part[0])), None)
        if found is None:
            return None
        out += actual[found:found + len(part)]
        position = found + len(part)
    out.append(shown[wild[-1]])
    return out + tail


def check(update: bool = False) -> list[str]:
    """Run every block; returns one line per block whose output differs (after rewriting the
    blocks when ``update``)."""
    failures: list[str] = []
    for doc in DOCS:
        text = doc.read_text("utf-8")
        replacements: list[tuple[int, int, str]] = []
        with tempfile.TemporaryDirectory() as tmp:
            root = _copy(Path(tmp))
            for block in blocks(doc):
                new_body: list[str] = []
                for command, shown in block.commands:
                    setup = SETUP.get(_key(block, command))
                    with setup(root) if setup else nullcontext():
                        actual = run(command, root)
                    new_body.append(f"$ {command}")
                    if matches(shown, actual):
                        new_body += shown
                        continue
                    line = text.count("\n", 0, block.start) + 1
                    if update:
                        rewritten = updated(shown, actual)
                        if rewritten is None:
                            failures.append(f"{doc.name}:{line}: $ {command}: rewrite by hand")
                            new_body += shown
                        else:
                            new_body += rewritten
                    else:
                        failures.append(f"{doc.name}:{line}: $ {command}: the output differs:\n"
                                        + "\n".join(actual))
                replacements.append((block.start, block.end, "\n".join(new_body) + "\n"))
        if update:
            for start, end, body in reversed(replacements):
                text = text[:start] + body + text[end:]
            doc.write_text(text, "utf-8")
    return failures


if __name__ == "__main__":
    problems = check(update="--update" in sys.argv[1:])
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)
