"""Statistics Sweden's PxWebApi 2.0: the population of every municipality for one date.

Tables (all by region, one figure per municipality and year):

- ``TAB638``  registered population on 31 December, up to 2024 (BE0101N1, "Folkmängd");
- ``TAB5557`` population on 31 December from 2025 on; SCB adds a small controlled random
  noise to every figure from reference year 2025 (Cell Key Method);
- ``TAB1267`` population on 1 November.

A fetch asks for the table's metadata (``GET tables/{id}/metadata``), builds a selection (the
290 municipalities, the year, the population content, the total of every other variable that
cannot be eliminated) and posts it to ``tables/{id}/data`` for json-stat2. The base address is
``$KN_SCB_API`` or :data:`DEFAULT_BASE`.

Requests have a timeout, and a fetch has an overall deadline (``--timeout``, 60 s): an answer
that trickles in or never ends is stopped there, and an answer larger than the gate's limit of
an answer is refused as it arrives. 429 and 5xx answers and timeouts are retried a bounded
number of times with exponential backoff (honouring ``Retry-After``), and the client never
sends more than SCB's published limit of 30 requests per 10 seconds.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from koordination.core.errors import DataError, NetworkError, Problem
from koordination.core.municipalities import register
from koordination.io.gate import limit
from koordination.io.scb.exports import PopulationTable, populations_from_jsonstat
from koordination.io.scb.jsonstat import JsonStat, JsonStatError, decode_jsonstat, time_year

DEFAULT_BASE = "https://statistikdatabasen.scb.se/api/v2"
#: The overall deadline of a fetch, in seconds (``--timeout``).
DEADLINE = 60.0
MAX_CALLS = 30
TIME_WINDOW = 10.0
LAST_TAB638_YEAR = 2024
NOISE_NOTE = (
    "From reference year 2025 SCB adds a small controlled random noise to every published "
    "figure (Cell Key Method, to protect individuals); a municipality's figure may differ by a "
    "few persons from the register, and totals need not equal the sum of their parts."
)


def api_base() -> str:
    """``$KN_SCB_API`` or SCB's public address, without a trailing slash."""
    return (os.environ.get("KN_SCB_API") or DEFAULT_BASE).rstrip("/")


def table_for(year: int, month_day: str) -> str:
    """The table that holds the population of ``year`` on ``month_day`` (12-31 or 11-01)."""
    if month_day == "11-01":
        return "TAB1267"
    return "TAB638" if year <= LAST_TAB638_YEAR else "TAB5557"


@dataclass(frozen=True)
class FetchResult:
    table: str
    url: str
    populations: PopulationTable
    noise: bool


class RateLimiter:
    """At most ``calls`` requests in any ``window`` seconds."""

    def __init__(self, calls: int = MAX_CALLS, window: float = TIME_WINDOW,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.calls, self.window, self.clock, self.sleep = calls, window, clock, sleep
        self.sent: deque[float] = deque()

    def wait(self) -> None:
        now = self.clock()
        while self.sent and now - self.sent[0] >= self.window:
            self.sent.popleft()
        if len(self.sent) >= self.calls:
            self.sleep(self.window - (now - self.sent[0]))
            self.sent.popleft()
        self.sent.append(self.clock())


class ScbClient:
    """A small client for PxWebApi 2.0 (one instance per run)."""

    def __init__(self, base: str | None = None, timeout: float = 30.0, attempts: int = 4,
                 backoff: float = 1.0, max_wait: float = 30.0,
                 sleep: Callable[[float], None] | None = None,
                 progress: Callable[[str], None] | None = None,
                 transport: Any = None, deadline: float = DEADLINE) -> None:
        self.base = (base or api_base()).rstrip("/")
        self.deadline = deadline
        self.ends = time.monotonic() + deadline
        self.timeout, self.attempts, self.backoff, self.max_wait = timeout, attempts, backoff, \
            max_wait
        self.sleep: Callable[[float], None] = sleep or (lambda seconds: time.sleep(seconds))
        self.progress = progress or (lambda _text: None)
        self.limiter = RateLimiter(sleep=self.sleep)
        self.transport = transport

    # -- HTTP ---------------------------------------------------------------------------------

    def request(self, method: str, path: str, params: dict[str, str],
                body: dict[str, Any] | None = None) -> Any:
        """Send one request (retrying 429/5xx and timeouts) and return the parsed JSON."""
        import httpx

        url = shown = f"{self.base}/{path}"
        last = advice = ""
        with httpx.Client(timeout=self.timeout, transport=self.transport,
                          headers={"User-Agent": "kn (koordination)",
                                   "Accept": "application/json"}) as client:
            for attempt in range(1, self.attempts + 1):
                self.limiter.wait()
                wait = min(self.timeout, self._left(url))
                try:
                    with client.stream(method, url, params=params, json=body,
                                       timeout=wait) as response:
                        shown = str(response.url)
                        content = self._read(response, shown)
                except httpx.TimeoutException:
                    if wait < self.timeout:  # the deadline, not the request, ran out
                        raise self._late(shown) from None
                    last = f"did not answer within {wait:g} s"
                    advice = ("check the network connection and try again later, or download "
                              "the table from Statistikdatabasen and run 'kn population import "
                              "FILE'")
                    self._pause(attempt, None, shown)
                    continue
                except httpx.TransportError as err:
                    raise NetworkError(Problem(
                        f"cannot reach Statistics Sweden's API at {self.base} "
                        f"({_reason(err)}); check the network connection (or KN_SCB_API), or "
                        "download the table from Statistikdatabasen and run "
                        "'kn population import FILE'")) from None
                status = response.status_code
                if status == 429 or status >= 500:
                    last = f"answered {status} {response.reason_phrase}"
                    advice = ("SCB limits requests to 30 per 10 seconds: wait a minute and run "
                              "again" if status == 429 else
                              "SCB's service has a problem: try again later")
                    self._pause(attempt, response.headers.get("Retry-After"), shown)
                    continue
                if status >= 400:
                    raise NetworkError(Problem(
                        f"SCB's API answered {status} {response.reason_phrase} for {shown}"
                        f"{_detail(content)}; {_advice(status)}"))
                try:
                    return json.loads(content)
                except ValueError:
                    raise NetworkError(Problem(
                        f"SCB's API answered {shown} with a body that is not JSON; try again "
                        "later, or import a file downloaded from Statistikdatabasen")) from None
        raise NetworkError(Problem(f"SCB's API {last} for {shown} ({self.attempts} attempts); "
                                   f"{advice}"))

    def _left(self, url: str) -> float:
        """Seconds left before the deadline; past it the fetch ends."""
        left = self.ends - time.monotonic()
        if left <= 0:
            raise self._late(url)
        return left

    def _late(self, url: str) -> NetworkError:
        return NetworkError(Problem(
            f"SCB's API did not finish answering within {self.deadline:g} s for {url}; "
            "nothing was written; try again later (or allow more time with --timeout), or "
            "download the table from Statistikdatabasen and run 'kn population import FILE'"))

    def _read(self, response: Any, url: str) -> bytes:
        """The body of ``response``, read as it arrives: stopped at the deadline, refused
        beyond the limit of an answer."""
        most = limit("answer")
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > most:
                raise NetworkError(Problem(
                    f"SCB's API answered more than {most} bytes for {url}; nothing was "
                    "written; a table of the municipalities is far smaller: check the address "
                    "(--api or KN_SCB_API), or import a file downloaded from "
                    "Statistikdatabasen"))
            self._left(url)
        return bytes(body)

    def _pause(self, attempt: int, retry_after: str | None, url: str = "") -> None:
        if attempt >= self.attempts:
            return
        wait = self.backoff * 2 ** (attempt - 1)
        if retry_after and re.fullmatch(r"[0-9]{1,6}", retry_after.strip()):
            wait = max(wait, float(retry_after))
        wait = min(wait, self.max_wait)
        if wait >= self.ends - time.monotonic():
            raise self._late(url or self.base)
        self.progress(f"SCB is busy; trying again in {wait:g} s")
        self.sleep(wait)

    # -- tables -------------------------------------------------------------------------------

    def fetch(self, year: int, month_day: str = "12-31") -> FetchResult:
        """The population of every municipality on ``year``-``month_day``."""
        table = table_for(year, month_day)
        self.progress(f"reading the description of SCB table {table}")
        meta = _decoded(self.request("GET", f"tables/{table}/metadata", {"lang": "sv"}),
                        f"SCB's metadata for {table}", with_values=False)
        selection = build_selection(meta, table, year)
        self.progress(f"fetching {year} from SCB table {table}")
        path = f"tables/{table}/data"
        data = _decoded(self.request("POST", path, {"lang": "sv", "outputFormat": "json-stat2"},
                                     {"selection": selection}), f"SCB's answer for {table}")
        result = populations_from_jsonstat(data, f"SCB table {table}", year)
        if month_day == "11-01":
            result = replace(result, month_day="11-01")
        noise = table == "TAB5557" or "slumpmässig osäkerhet" in " ".join(data.notes)
        return FetchResult(table, f"{self.base}/{path}", result, noise)


def build_selection(meta: JsonStat, table: str, year: int) -> list[dict[str, Any]]:
    """The PxWebApi 2.0 selection: municipalities, the year, the population content, and the
    total of every variable that cannot be eliminated."""
    file = f"SCB table {table}"
    selection: list[dict[str, Any]] = []
    time_ids = meta.roles.get("time") or ["Tid"]
    metric_ids = meta.roles.get("metric") or ["ContentsCode"]
    municipalities = register()
    for dim in meta.dimensions:
        if dim.id.lower() == "region":
            codes = [c for c in dim.codes if c in municipalities]
            if not codes:
                raise NetworkError(Problem(f"SCB's table {table} lists no municipalities", file))
            selection.append({"variableCode": dim.id, "valueCodes": codes})
        elif dim.id in time_ids:
            codes = sorted((c for c in dim.codes if time_year(c) == year), key=len)
            if not codes:
                years = sorted({y for y in map(time_year, dim.codes) if y is not None})
                span = f"{years[0]} to {years[-1]}" if years else "no years"
                raise DataError(Problem(
                    f"SCB has no figures for {year} in table {table} (it has {span}); SCB "
                    "publishes the population of 31 December in February-March of the year "
                    "after, and of 1 November in the spring after", file))
            selection.append({"variableCode": dim.id, "valueCodes": codes[:1]})
        elif dim.id in metric_ids:
            codes = list(dim.codes)
            if len(codes) > 1:
                codes = [c for c in dim.codes
                         if dim.labels.get(c, "").lower().startswith("folkmängd")][:1]
            if not codes:
                raise NetworkError(Problem(
                    f"cannot tell which content of table {table} is the population "
                    f"({', '.join(dim.labels.values())})", file))
            selection.append({"variableCode": dim.id, "valueCodes": codes})
        elif dim.extension.get("elimination") is True:
            continue  # SCB sums it for us
        else:
            totals = [c for c in dim.codes
                      if dim.labels.get(c, "").lower().startswith(("totalt", "samtliga"))
                      or c.lower() in ("totsa", "tot", "1+2")]
            if not totals:
                raise NetworkError(Problem(
                    f"table {table} is split by {dim.id} with no total to choose", file))
            selection.append({"variableCode": dim.id, "valueCodes": totals[:1]})
    return selection


def _decoded(doc: Any, what: str, with_values: bool = True) -> JsonStat:
    try:
        return decode_jsonstat(doc, with_values)
    except JsonStatError as err:
        raise NetworkError(Problem(f"{what} is not json-stat2 ({err}); try again later, or "
                                   "import a file downloaded from Statistikdatabasen")) from None


def _reason(err: Exception) -> str:
    text = str(err) or type(err).__name__
    return text.splitlines()[0][:120]


def _detail(content: bytes) -> str:
    try:
        body = json.loads(content)
    except ValueError:
        return ""
    if isinstance(body, dict):
        text = body.get("detail") or body.get("title") or body.get("message")
        if text:
            return f" ({str(text).splitlines()[0][:160]})"
    return ""


def _advice(status: int) -> str:
    if status == 404:
        return ("the table or address was not found: check KN_SCB_API, or import a file "
                "downloaded from Statistikdatabasen with 'kn population import FILE'")
    if status in (401, 403):
        return "access was refused: check KN_SCB_API (a proxy may need to allow the address)"
    return ("SCB did not accept the request: import a file downloaded from Statistikdatabasen "
            "with 'kn population import FILE', and report this to kn's maintainers")
