"""Fuzzing every input format through the command line: whatever the file holds (random
bytes, a truncated file, wrong types, garbage in the right shape), kn exits 0, or exits 1
with one ``error: `` line per problem; never a traceback, never an internal error.

Examples are bounded and derandomized: the same cases run every time, in a few seconds each.
"""

from __future__ import annotations

import io
import json
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from koordination.cli.app import app
from koordination.core.errors import DataError
from koordination.io.table import read_xlsx
from tests.conftest import snapshot_csv
from tests.small import NETWORK, POPULATIONS, budget

pytestmark = pytest.mark.slow

FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
COMMANDS = [
    ["allocate", "2015", "--json"],
    ["allocate", "2015"],
    ["allocate", "2015", "--final", "--decision-date", "2015-01-01"],
    ["validate"],
    ["budget", "2015"],
    ["compare", "2014", "2015", "--json"],
]
SETTLE = [["settle", "2015", "--json"], ["settle", "2015"], ["validate"]]
IMPORT = [["population", "import", "{root}/in.csv", "--date", "2015-12-31"],
          ["population", "import", "{root}/in.csv", "--date", "2014-12-31", "--force"]]
ACTUALS = (b"year: 2015\nlines:\n  - {name: L\xc3\xb6n strateg, amount: 10500}\n"
           b"one_off:\n  - {name: Avveckling, amount: 1200, date: 2015-11-30}\n"
           b"funding:\n  - {name: Projektmedel, amount: 100}\n")
SCB = Path(__file__).parent / "data"
CASES: dict[str, int] = {}
EXITS: dict[int, int] = {}


def base_files() -> dict[str, bytes]:
    files = {
        "data/network.yaml": textwrap.dedent(NETWORK).lstrip().encode(),
        "data/budgets/2014.yaml": textwrap.dedent(budget(2014, 9000)).lstrip().encode(),
        "data/budgets/2015.yaml": textwrap.dedent(budget(2015, 10000)).lstrip().encode(),
        "data/actuals/2015.yaml": ACTUALS,
    }
    for day, pops in POPULATIONS.items():
        files[f"data/populations/{day}.csv"] = snapshot_csv(pops).encode()
    return files


def run_with(name: str, content: bytes, command: list[str], remove: str | None = None) -> None:
    """Write the base data directory (``data/``) with ``name`` replaced by ``content``, run
    ``command`` (``{root}`` in an argument is the temporary root) and check the outcome."""
    CASES[name] = CASES.get(name, 0) + 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, body in {**base_files(), name: content}.items():
            if rel == remove:
                continue
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(body)
        args = [arg.replace("{root}", tmp) for arg in command]
        result = CliRunner().invoke(app, [*args, "--data", str(root / "data")])
        check(result, command, content)


def check(result: Any, command: list[str], content: bytes) -> None:
    where = f"{command} on {content[:200]!r}"
    EXITS[result.exit_code] = EXITS.get(result.exit_code, 0) + 1
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        where, result.exception)
    assert result.exit_code in (0, 1), (where, result.exit_code, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr, where
    if result.exit_code == 1:
        lines = result.stderr.splitlines()
        assert lines, where
        assert all(line.startswith("error: ") for line in lines), (where, result.stderr)
        assert "internal error" not in result.stderr, (where, result.stderr)
        foreign = [w for w in FOREIGN if w in result.stderr.lower()]
        assert not foreign, (where, foreign, result.stderr)


#: Words of libraries (pydantic, click, Python) that must never reach the user.
FOREIGN = ("input should", "instance of", "value error", "pydantic", "validation error",
           "does not match the format", "datetimes provided", "list should have",
           "field required", "type=", "errno")


# ---- strategies ------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.dates(), st.sampled_from(["Danderyd", "0114", "Stockholms stad", "12-31", "2014-12-31",
                                 "population", "fixed", "refund", "-1", "1e9", "0.01"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8)


def shaped(keys: list[str], list_key: str, item_keys: list[str]) -> st.SearchStrategy[bytes]:
    """YAML with the right keys and random values."""
    item = st.dictionaries(st.sampled_from(item_keys), values, max_size=len(item_keys))
    doc = st.fixed_dictionaries(
        {}, optional={**{k: values for k in keys}, list_key: st.lists(item, max_size=4)})
    return doc.map(lambda d: yaml.safe_dump(d, allow_unicode=True).encode())


def mutated(original: bytes) -> st.SearchStrategy[bytes]:
    """The valid file truncated, with a span replaced, or with bytes inserted."""
    n = len(original)
    return st.one_of(
        st.integers(0, n).map(lambda i: original[:i]),
        st.tuples(st.integers(0, n), st.integers(0, 20), st.binary(max_size=12)).map(
            lambda t: original[:t[0]] + t[2] + original[t[0] + t[1]:]),
        st.tuples(st.integers(0, n), st.text(max_size=12)).map(
            lambda t: original[:t[0]] + t[1].encode() + original[t[0]:]),
    )


def any_of(original: bytes, shape: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=300), mutated(original), shape)


def fuzz(name: str, contents: st.SearchStrategy[bytes],
         commands: list[list[str]] | None = None, remove: str | None = None) -> Callable[[], None]:
    @FUZZ
    @given(content=contents, command=st.sampled_from(commands or COMMANDS))
    def run(content: bytes, command: list[str]) -> None:
        run_with(name, content, command, remove)

    return run  # type: ignore[no-any-return]


def small_xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    raw = io.BytesIO()
    wb.save(raw)
    return raw.getvalue()


# ---- the formats -----------------------------------------------------------------------------


def test_fuzz_network_yaml() -> None:
    fuzz("data/network.yaml", any_of(base_files()["data/network.yaml"], shaped(
        ["name", "administrator", "notice_months", "population", "key", "population_cap",
         "rounding", "surplus", "deficit"],
        "members", ["kommun", "joined", "notice", "left", "orgnr", "share"])))()


def test_fuzz_budget_yaml() -> None:
    fuzz("data/budgets/2015.yaml", any_of(base_files()["data/budgets/2015.yaml"], shaped(
        ["year", "period", "basis", "funding"],
        "lines", ["group", "name", "amount", "overhead_percent", "rate", "per_month",
                  "quantity"])))()


rows = st.lists(st.lists(st.one_of(st.text(max_size=8), st.sampled_from(
    ["0114", "0115", "0117", "0180", "-5", "1.5", "", "12 000", "999999999999999999999"])),
    max_size=4), max_size=6)


def test_fuzz_snapshot_csv() -> None:
    def as_csv(table: list[list[str]]) -> bytes:
        out = io.StringIO()
        import csv

        csv.writer(out).writerows([["kommunkod", "kommun", "folkmangd"], *table])
        return out.getvalue().encode("utf-8", "surrogatepass")

    original = base_files()["data/populations/2014-12-31.csv"]
    fuzz("data/populations/2014-12-31.csv", any_of(original, rows.map(as_csv)))()


def test_fuzz_decision_record(tmp_path: Path) -> None:
    """A decision file damaged or forged in any way is one clear error, never a crash."""
    for rel, body in base_files().items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(body)
    source = tmp_path / "data"
    result = CliRunner().invoke(app, ["allocate", "2015", "--final", "--json", "--data",
                                      str(source)])
    assert result.exit_code == 0, result.stderr
    original = (source / "decisions" / "2015.json").read_bytes()
    record = json.loads(original)
    forged = st.fixed_dictionaries({
        k: st.one_of(st.just(v), values) for k, v in record.items()
    }).map(lambda d: json.dumps(d, default=str).encode())
    fuzz("data/decisions/2015.json", any_of(original, forged))()


def test_fuzz_xlsx_opener(tmp_path: Path) -> None:
    """Every reader of workbooks goes through the one table reader: it returns the sheets or
    raises one DataError, whatever the bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["name", "amount"])
    wb.active.append(["Lön", 1000])
    raw = io.BytesIO()
    wb.save(raw)
    original = raw.getvalue()
    path = tmp_path / "budget.xlsx"

    @FUZZ
    @given(content=st.one_of(st.binary(max_size=300), mutated(original)))
    def run(content: bytes) -> None:
        CASES["xlsx"] = CASES.get("xlsx", 0) + 1
        path.write_bytes(content)
        try:
            read_xlsx(path.read_bytes(), str(path))
        except DataError as err:
            assert len(err.problems) == 1
            assert "\n" not in str(err)

    run()


def test_fuzz_budget_xlsx_through_the_cli() -> None:
    original = small_xlsx([["year", 2015], ["group", "name", "amount"],
                           ["Lön", "Lön strateg", 10000]])
    fuzz("data/budgets/2015.xlsx", st.one_of(st.binary(max_size=300), mutated(original)),
         remove="data/budgets/2015.yaml")()


def test_fuzz_actuals_yaml() -> None:
    fuzz("data/actuals/2015.yaml", any_of(ACTUALS, shaped(
        ["year", "funding", "one_off"], "lines", ["name", "amount", "date"])), SETTLE)()


def test_fuzz_actuals_xlsx() -> None:
    original = small_xlsx([["year", 2015], ["kind", "name", "amount", "date"],
                           ["line", "Lön strateg", 10500, None],
                           ["one_off", "Avveckling", 1200, "2015-11-30"]])
    fuzz("data/actuals/2015.xlsx", st.one_of(st.binary(max_size=300), mutated(original)),
         SETTLE, remove="data/actuals/2015.yaml")()


def test_fuzz_scb_import_csv() -> None:
    original = (SCB / "scb" / "kolada_N01951_folkmangd_2024.csv").read_bytes()[:2000]
    fuzz("in.csv", any_of(original, rows.map(lambda t: "\n".join(
        ",".join(r) for r in [["kommunkod", "folkmangd"], *t]).encode("utf-8", "surrogatepass"))),
        IMPORT)()


def test_fuzz_scb_import_json_stat() -> None:
    original = (SCB / "scb-api" / "BefolkningNy_v1_jsonstat.json").read_bytes()
    fuzz("in.json", any_of(original, values.map(lambda v: json.dumps(v, default=str).encode())),
         [[arg.replace("in.csv", "in.json") for arg in c] for c in IMPORT])()


# ---- the input rules (docs/reference.md section 2) -----------------------------------------

#: Forms of an amount and what a person reads in them (None: nothing certain, so refused).
AMOUNT_FORMS: dict[str, int | None] = {
    "10000": 10000, "0100": 100, '"10 000"': 10000, '"10\u00a0000"': 10000, '"9999,50"': 10000,
    "9999.5": 10000, '"+10000"': 10000, "010000": 10000,
    "1:30": None, "yes": None, "on": None, "No": None, "0x10": None, "0o17": None,
    "1_000": None, '"905,000"': None, '"1,234,567"': None, "905.000": None, "1e3": None,
    "1" + "0" * 30: None, "9" * 400: None, "2015-06-01": None, "true": None, "~": None,
    ".inf": None, '"1.000,50"': None, "0.001": None, '"10 00"': None,
}


@FUZZ
@given(form=st.sampled_from(sorted(AMOUNT_FORMS)), twice=st.booleans(),
       command=st.sampled_from([["allocate", "2015", "--json"], ["budget", "2015"]]))
def test_fuzz_amount_forms_never_become_other_money(form: str, twice: bool,
                                                    command: list[str]) -> None:
    """An amount in any form becomes exactly what a person reads in it, or the run is
    refused; a key written twice is always refused."""
    text = f"year: 2015\nlines:\n  - {{group: Lön, name: Lön strateg, amount: {form}}}\n"
    if twice:
        text += "year: 2015\n"
    CASES["amount forms"] = CASES.get("amount forms", 0) + 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, body in {**base_files(), "data/budgets/2015.yaml": text.encode()}.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(body)
        result = CliRunner().invoke(app, [*command, "--data", str(root / "data")])
        check(result, command, text.encode())
        expected = None if twice else AMOUNT_FORMS[form]
        if expected is None:
            assert result.exit_code == 1, (form, twice, result.stdout)
        else:
            assert result.exit_code == 0, (form, result.stderr)
            if "--json" in command:
                assert json.loads(result.stdout)["total"] == expected


@FUZZ
@given(line=st.integers(0, 40), command=st.sampled_from(COMMANDS[:1] + COMMANDS[3:4]))
def test_fuzz_a_repeated_key_is_always_refused(line: int, command: list[str]) -> None:
    """Any line of network.yaml that holds a key, written twice in its place, is refused: the
    second never silently replaces the first."""
    original = base_files()["data/network.yaml"].decode().splitlines(keepends=True)
    index = line % len(original)
    target = original[index]
    key = target.strip().lstrip("- ").split(":")[0]
    if ":" not in target or not key:
        return
    repeated = target.lstrip("- ") if target.lstrip().startswith("- ") else target
    indent = len(target) - len(target.lstrip()) + (2 if target.lstrip().startswith("- ") else 0)
    doubled = original[:index + 1] + [" " * indent + repeated.lstrip()] + original[index + 1:]
    content = "".join(doubled).encode()
    CASES["repeated keys"] = CASES.get("repeated keys", 0) + 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, body in {**base_files(), "data/network.yaml": content}.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(body)
        result = CliRunner().invoke(app, [*command, "--data", str(root / "data")])
        check(result, command, content)
        assert result.exit_code == 1, content.decode()
        assert "appears twice" in result.stderr, result.stderr


@FUZZ
@given(target=st.sampled_from(["network.yaml", "budgets/2015.yaml", "decisions/2015.json",
                               "populations/2014-12-31.csv", "decisions", "budgets/x.xlsx",
                               ".kn.lock", "reports/2015/ok.xlsx", "reports/2015/no.txt",
                               "reports/none/a.xlsx", "reports/2015"]),
       command=st.sampled_from([["allocate", "2015"], ["allocate", "2015", "--final"],
                                ["compare", "2014", "2015"], ["settle", "2015"]]))
def test_fuzz_output_targets_never_touch_what_kn_reads(target: str, command: list[str]) -> None:
    """-o anywhere: what kn reads or records is never changed, whatever the run did."""
    CASES["-o targets"] = CASES.get("-o targets", 0) + 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, body in base_files().items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(body)
        (root / "data" / "reports" / "2015").mkdir(parents=True)
        before = {rel: (root / rel).read_bytes() for rel in base_files()}
        result = CliRunner().invoke(app, [*command, "--data", str(root / "data"), "-o",
                                          str(root / "data" / target)])
        check(result, command, target.encode())
        assert {rel: (root / rel).read_bytes() for rel in base_files()} == before
        ok = target in ("reports/2015/ok.xlsx",)
        assert (result.exit_code == 0) == ok, (target, result.stderr)
