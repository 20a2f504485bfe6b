"""The PxWebApi 2.0 client against a fake SCB on 127.0.0.1: the request it builds, retries on
429/5xx, timeouts, malformed bodies, offline; and ``kn population fetch`` end to end."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from koordination.cli.app import app
from koordination.core.errors import DataError, NetworkError
from koordination.io.scb.api import (
    DEFAULT_BASE,
    RateLimiter,
    ScbClient,
    api_base,
    build_selection,
    table_for,
)
from koordination.io.scb.jsonstat import decode_jsonstat
from tests.conftest import DATA, ROOT
from tests.scb_fixtures import FakeScb, fake_scb, municipal_metadata, reference

TESTDATA = ROOT / "tests" / "data" / "scb-api"


def figures(year: int) -> dict[str, int]:
    return {c: p for c, (_, p) in reference(year).items()}


def tab638_fake(**kwargs) -> FakeScb:  # type: ignore[no-untyped-def]
    years = [str(y) for y in range(1968, 2025)]
    return FakeScb(tables={"TAB638": (municipal_metadata("TAB638", years),
                                      {"2024": figures(2024), "2019": figures(2019)})},
                   **kwargs)


def client(fake: FakeScb, **kwargs) -> ScbClient:  # type: ignore[no-untyped-def]
    sleeps: list[float] = []
    kwargs.setdefault("sleep", sleeps.append)
    made = ScbClient(base=fake.url, **kwargs)
    made.sleeps = sleeps  # type: ignore[attr-defined]
    return made


def test_tables_by_date() -> None:
    assert table_for(2024, "12-31") == "TAB638"
    assert table_for(2010, "12-31") == "TAB638"
    assert table_for(2025, "12-31") == "TAB5557"
    assert table_for(2012, "11-01") == "TAB1267"


def test_base_address(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("KN_SCB_API", raising=False)
    assert api_base() == DEFAULT_BASE == "https://statistikdatabasen.scb.se/api/v2"
    monkeypatch.setenv("KN_SCB_API", "http://127.0.0.1:9/api/v2/")
    assert api_base() == "http://127.0.0.1:9/api/v2"


def test_selection_from_the_real_metadata() -> None:
    meta = decode_jsonstat(json.loads((TESTDATA / "TAB6471_metadata.json").read_text("utf-8")),
                           with_values=False)
    selection = build_selection(meta, "TAB6471", 2025)
    by_var = {s["variableCode"]: s["valueCodes"] for s in selection}
    # Region: the 290 municipalities, no Riket or counties; Alder cannot be eliminated: its
    # total; Kon can: left to SCB; the one content; Tid: no plain year in a monthly table.
    assert len(by_var["Region"]) == 290 and "0114" in by_var["Region"] and "01" not in \
        by_var["Region"]
    assert by_var["Alder"] == ["TotSA"]
    assert "Kon" not in by_var
    assert by_var["ContentsCode"] == ["000007SF"]
    assert by_var["Tid"] == ["2025M12"]  # a monthly table: December


def test_selection_says_when_the_year_is_not_published() -> None:
    meta = decode_jsonstat(municipal_metadata("TAB638", ["2023", "2024"]), with_values=False)
    with pytest.raises(DataError) as err:
        build_selection(meta, "TAB638", 2026)
    assert str(err.value) == (
        "SCB table TAB638: SCB has no figures for 2026 in table TAB638 (it has 2023 to 2024); "
        "SCB publishes the population of 31 December in February-March of the year after, and "
        "of 1 November in the spring after")


def test_fetch_builds_the_v2_request() -> None:
    with fake_scb(tab638_fake()) as fake:
        result = client(fake).fetch(2024)
    assert result.table == "TAB638" and not result.noise
    assert result.populations.populations == figures(2024)
    assert sum(result.populations.populations.values()) == 10_587_710
    (m1, p1, b1), (m2, p2, b2) = fake.requests
    assert (m1, p1, b1) == ("GET", "/api/v2/tables/TAB638/metadata?lang=sv", None)
    assert m2 == "POST" and p2 == "/api/v2/tables/TAB638/data?lang=sv&outputFormat=json-stat2"
    by_var = {s["variableCode"]: s["valueCodes"] for s in b2["selection"]}
    assert set(by_var) == {"Region", "ContentsCode", "Tid"}
    assert by_var["Tid"] == ["2024"] and by_var["ContentsCode"] == ["BE0101N1"]
    assert len(by_var["Region"]) == 290


def test_retries_429_then_succeeds() -> None:
    with fake_scb(tab638_fake(failures=[429, 503])) as fake:
        made = client(fake, backoff=0.5)
        result = made.fetch(2019)
    assert result.populations.populations == figures(2019)
    assert len(fake.requests) == 4
    # Backoff doubles, and Retry-After (1 s on the 429) is honoured.
    assert made.sleeps == [1.0, 1.0]  # type: ignore[attr-defined]


def test_429_every_time_gives_up_with_one_line() -> None:
    with fake_scb(tab638_fake(failures=[429] * 4)) as fake:
        with pytest.raises(NetworkError) as err:
            client(fake).fetch(2024)
    assert str(err.value) == (
        f"SCB's API answered 429 Too Many Requests for {fake.url}/tables/TAB638/metadata?lang=sv "
        "(4 attempts); SCB limits requests to 30 per 10 seconds: wait a minute and run again")
    assert len(fake.requests) == 4


def test_500_every_time_gives_up_with_one_line() -> None:
    with fake_scb(tab638_fake(failures=[500] * 3)) as fake:
        with pytest.raises(NetworkError) as err:
            client(fake, attempts=3).fetch(2024)
    assert str(err.value) == (
        f"SCB's API answered 500 Internal Server Error for {fake.url}/tables/TAB638/metadata"
        "?lang=sv (3 attempts); SCB's service has a problem: try again later")


def test_slow_answer_times_out() -> None:
    with fake_scb(tab638_fake(failures=["slow", "slow"], slow_seconds=0.5)) as fake:
        with pytest.raises(NetworkError) as err:
            client(fake, timeout=0.1, attempts=2).fetch(2024)
    assert str(err.value) == (
        f"SCB's API did not answer within 0.1 s for {fake.url}/tables/TAB638/metadata (2 "
        "attempts); check the network connection and try again later, or download the table "
        "from Statistikdatabasen and run 'kn population import FILE'")


def test_slow_once_then_answers() -> None:
    with fake_scb(tab638_fake(failures=["slow"], slow_seconds=0.5)) as fake:
        result = client(fake, timeout=0.2).fetch(2024)
    assert len(result.populations.populations) == 290


def test_malformed_body() -> None:
    with fake_scb(tab638_fake(failures=["malformed"])) as fake:
        with pytest.raises(NetworkError) as err:
            client(fake).fetch(2024)
    assert str(err.value) == (
        f"SCB's API answered {fake.url}/tables/TAB638/metadata?lang=sv with a body that is not "
        "JSON; try again later, or import a file downloaded from Statistikdatabasen")


def test_json_that_is_not_jsonstat() -> None:
    fake = tab638_fake()
    fake.tables["TAB638"] = ({"hello": "world"}, {})
    with fake_scb(fake) as fake, pytest.raises(NetworkError) as err:
        client(fake).fetch(2024)
    assert str(err.value) == ("SCB's metadata for TAB638 is not json-stat2 (no 'dimension' "
                              "object); try again later, or import a file downloaded from "
                              "Statistikdatabasen")


def test_404_says_what_to_do() -> None:
    with fake_scb(FakeScb()) as fake, pytest.raises(NetworkError) as err:
        client(fake).fetch(2024)
    assert str(err.value) == (
        f"SCB's API answered 404 Not Found for {fake.url}/tables/TAB638/metadata?lang=sv (table "
        "TAB638 not found); the table or address was not found: check KN_SCB_API, or import a "
        "file downloaded from Statistikdatabasen with 'kn population import FILE'")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_offline_is_one_clear_line() -> None:
    base = f"http://127.0.0.1:{_closed_port()}/api/v2"
    with pytest.raises(NetworkError) as err:
        ScbClient(base=base, sleep=lambda s: None).fetch(2024)
    text = str(err.value)
    assert text.startswith(f"cannot reach Statistics Sweden's API at {base} (")
    assert text.endswith("); check the network connection (or KN_SCB_API), or download the "
                         "table from Statistikdatabasen and run 'kn population import FILE'")
    assert "\n" not in text


def test_rate_limiter_keeps_to_30_per_10_seconds() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(clock=lambda: now[0], sleep=sleep)
    for _ in range(30):
        limiter.wait()
        now[0] += 0.01
    assert slept == []
    limiter.wait()
    assert slept == [pytest.approx(10 - 0.30)]


# -- kn population fetch -----------------------------------------------------------------------


def test_fetch_2024_writes_the_snapshot(runner, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    data.mkdir()
    with fake_scb(tab638_fake()) as fake:
        monkeypatch.setenv("KN_SCB_API", fake.url)
        result = runner.invoke(app, ["population", "fetch", "2024", "--data", str(data),
                                     "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    target = data / "populations" / "2024-12-31.csv"
    assert target.read_bytes() == (DATA / "populations" / "2024-12-31.csv").read_bytes()
    assert result.stdout == (
        f"wrote {target}: 290 municipalities, 10,587,710 inhabitants, reference date "
        "2024-12-31 (from SCB table TAB638)\n")
    assert result.stderr == ""  # no progress when not on a terminal
    readme = (data / "populations" / "README.md").read_text("utf-8")
    assert "- 2024-12-31.csv: Statistics Sweden (SCB), PxWebApi 2.0 table TAB638.\n" in readme


def test_fetch_2025_uses_tab5557_and_notes_the_noise(runner, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Made-up figures in TAB5557's shape; only the route and the README note are tested.
    made_up = {c: 1000 + i for i, c in enumerate(figures(2024))}
    fake = FakeScb(tables={"TAB5557": (
        municipal_metadata("TAB5557", ["2025"], {"000007V8": "Folkmängd", "X": "Folkökning"},
                           alder_eliminable=False), {"2025": made_up})})
    data = tmp_path / "data"
    data.mkdir()
    with fake_scb(fake) as fake:
        monkeypatch.setenv("KN_SCB_API", fake.url)
        result = runner.invoke(app, ["population", "fetch", "2025", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    by_var = {s["variableCode"]: s["valueCodes"] for s in fake.requests[1][2]["selection"]}
    assert by_var["ContentsCode"] == ["000007V8"] and by_var["Alder"] == ["tot"]
    assert "SCB lägger till ett litet brus i siffrorna från 2025" in result.stdout
    readme = (data / "populations" / "README.md").read_text("utf-8")
    assert "2025-12-31.csv: Statistics Sweden (SCB), PxWebApi 2.0 table TAB5557. From " \
        "reference year 2025 SCB adds a small controlled random noise" in readme


def test_fetch_1_november_uses_tab1267(runner, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    made_up = {c: 500 + i for i, c in enumerate(figures(2024))}
    fake = FakeScb(tables={"TAB1267": (municipal_metadata("TAB1267", ["2011", "2012"]),
                                       {"2012": made_up})})
    data = tmp_path / "data"
    data.mkdir()
    with fake_scb(fake) as fake:
        monkeypatch.setenv("KN_SCB_API", fake.url)
        result = runner.invoke(app, ["population", "fetch", "2012", "--date", "11-01",
                                     "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    assert (data / "populations" / "2012-11-01.csv").exists()


def test_fetch_http_error_is_one_line(runner, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("koordination.io.scb.api.time.sleep", lambda seconds: None)
    data = tmp_path / "data"
    data.mkdir()
    with fake_scb(tab638_fake(failures=[503] * 4)) as fake:
        monkeypatch.setenv("KN_SCB_API", fake.url)
        result = runner.invoke(app, ["population", "fetch", "2024", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: SCB's API answered 503 Service Unavailable for {fake.url}/tables/TAB638/"
        "metadata?lang=sv (4 attempts); SCB's service has a problem: try again later\n")
    assert not Path(data / "populations").exists()


def test_fetch_offline_is_one_line(runner, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KN_SCB_API", f"http://127.0.0.1:{_closed_port()}/api/v2")
    result = runner.invoke(app, ["population", "fetch", "2024", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot reach Statistics Sweden's API at ")
    assert result.stderr.count("\n") == 1


def test_fetch_rejects_other_dates(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["population", "fetch", "2024", "--date", "06-30",
                                 "--data", str(tmp_path)])
    assert result.exit_code == 2


# -- the deadline and the size of an answer --------------------------------------------------


@pytest.mark.parametrize("failure", ["drip", "endless"])
def test_an_answer_that_trickles_or_never_ends_is_stopped(runner, tmp_path, monkeypatch,  # type: ignore[no-untyped-def]
                                                          failure: str) -> None:
    """A server that sends a byte every 5 s, or bytes without end: one line, nothing
    written (a fetch once waited 20 minutes, or read 3.4 GB)."""
    data = tmp_path / "data"
    data.mkdir()
    with fake_scb(tab638_fake(failures=[failure], slow_seconds=5)) as fake:
        monkeypatch.setenv("KN_SCB_API", fake.url)
        result = runner.invoke(app, ["population", "fetch", "2024", "--data", str(data),
                                     "--timeout", "2"])
    assert result.exit_code == 1
    url = f"{fake.url}/tables/TAB638/metadata?lang=sv"
    if failure == "drip":
        assert result.stderr == (
            f"error: SCB's API did not finish answering within 2 s for {url}; nothing was "
            "written; try again later (or allow more time with --timeout), or download the "
            "table from Statistikdatabasen and run 'kn population import FILE'\n")
    else:
        assert result.stderr == (
            f"error: SCB's API answered more than 20971520 bytes for {url}; nothing was "
            "written; a table of the municipalities is far smaller: check the address (--api "
            "or KN_SCB_API), or import a file downloaded from Statistikdatabasen\n")
    assert not (data / "populations").exists()


def test_a_bad_timeout_is_a_bad_command_line(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["population", "fetch", "2024", "--timeout", "0",
                                 "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "--timeout: 0 is outside 1-3600; give a number of seconds from 1 to 3600" in \
        result.stderr


def test_the_fetch_deadline_is_the_one_the_help_shows() -> None:
    """``--timeout``'s default (written in the command, which must not load the API client
    to show its help) is the client's own deadline."""
    import inspect

    from koordination.cli.population import fetch_command
    from koordination.io.scb.api import DEADLINE

    assert inspect.signature(fetch_command).parameters["timeout"].default == DEADLINE == 60
