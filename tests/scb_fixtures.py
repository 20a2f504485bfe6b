"""Test inputs in SCB's formats, built from the shipped snapshots, and a fake PxWebApi 2.0.

Every figure in the real-shaped inputs comes from ``data/populations/`` (SCB's published
figures). Fixtures for tables with no published figures offline (TAB5557, TAB1267) carry small
made-up numbers that no test presents as real.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.conftest import DATA

COUNTIES = {"00": "Riket", "01": "Stockholms län", "03": "Uppsala län", "25": "Norrbottens län"}


def reference(year: int) -> dict[str, tuple[str, int]]:
    """Code -> (name, population) of the shipped snapshot of 31 December ``year``."""
    path = DATA / "populations" / f"{year}-12-31.csv"
    with path.open(encoding="utf-8") as handle:
        return {r["kommunkod"]: (r["kommun"], int(r["folkmangd"])) for r in csv.DictReader(handle)}


def scb_web_csv(year: int, delimiter: str = ",", title: bool = True) -> str:
    """Statistikdatabasen's web export: title line, quoted header, Riket and county rows."""
    out = io.StringIO()
    if title:
        out.write('"Folkmängd efter region och år"\r\n\r\n')
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_NONNUMERIC,
                        lineterminator="\r\n")
    writer.writerow(["region", str(year)])
    figures = reference(year)
    writer.writerow(["00 Riket", sum(p for _, p in figures.values())])
    for code, (name, pop) in figures.items():
        if code == "0180":
            writer.writerow(["01 Stockholms län", 2_000_000])  # a county row in the middle
        writer.writerow([f"{code} {name}", pop])
    return out.getvalue()


def scb_xlsx(path: Path, year: int) -> Path:
    """The same table as Statistikdatabasen's xlsx export: title and notes around it."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Tabell"
    ws.append(["Folkmängd efter region och år"])
    ws.append([])
    ws.append(["region", str(year)])
    ws.append(["00 Riket", sum(p for _, p in reference(year).values())])
    for code, (name, pop) in reference(year).items():
        ws.append([f"{code} {name}", pop])
    ws.append([])
    ws.append(["Källa: SCB, Statistikdatabasen"])
    ws.append(["Folkmängden avser förhållandet den 31 december."])
    wb.save(path)
    return path


def jsonstat(table: str, regions: Mapping[str, tuple[str, int | None]], year: str,
             content: tuple[str, str] = ("BE0101N1", "Folkmängd"),
             extra: Mapping[str, tuple[str, str]] | None = None,
             notes: list[str] | None = None, status: Mapping[str, str] | None = None
             ) -> dict[str, Any]:
    """A json-stat2 dataset in the shape PxWebApi 2.0 returns (see the saved TAB6471)."""
    extra = extra or {}
    dims: dict[str, Any] = {
        "Region": {"label": "region", "category": {
            "index": {c: i for i, c in enumerate(regions)},
            "label": {c: n for c, (n, _) in regions.items()}},
            "extension": {"elimination": False, "show": "code_value"}},
    }
    for dim_id, (code, label) in extra.items():
        dims[dim_id] = {"label": dim_id.lower(), "category": {"index": {code: 0},
                                                              "label": {code: label}},
                        "extension": {"elimination": True, "show": "value"}}
    dims["ContentsCode"] = {"label": "tabellinnehåll", "category": {
        "index": {content[0]: 0}, "label": {content[0]: content[1]},
        "unit": {content[0]: {"base": "antal", "decimals": 0}}},
        "extension": {"elimination": False, "show": "value"}}
    dims["Tid"] = {"label": "år", "category": {"index": {year: 0}, "label": {year: year}},
                   "extension": {"elimination": False, "show": "code"}}
    ids = list(dims)
    doc: dict[str, Any] = {
        "version": "2.0", "class": "dataset",
        "label": f"Folkmängd efter region och år ({table})", "source": "SCB",
        "updated": "2025-02-21T07:00:00Z",
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "id": ids, "size": [len(dims[i]["category"]["index"]) for i in ids],
        "dimension": dims,
        "extension": {"px": {"infofile": "BE0101", "tableid": table, "decimals": 0}},
        "value": [pop for _, pop in regions.values()],
    }
    if notes:
        doc["note"] = notes
    if status:
        doc["status"] = {str(list(regions).index(c)): s for c, s in status.items()}
    return doc


def tab638(year: int) -> dict[str, Any]:
    regions: dict[str, tuple[str, int | None]] = {"00": ("Riket", 0)}
    regions.update({c: (n, p) for c, (n, p) in reference(year).items()})
    regions["00"] = ("Riket", sum(p for _, p in reference(year).values()))
    return jsonstat("TAB638", regions, str(year))


def metadata(table: str, years: list[str], regions: Mapping[str, str],
             contents: Mapping[str, str], alder_eliminable: bool = True) -> dict[str, Any]:
    """A PxWebApi 2.0 metadata response (json-stat2 with no values)."""
    def dim(label: str, codes: Mapping[str, str], elimination: bool) -> dict[str, Any]:
        return {"label": label, "category": {"index": {c: i for i, c in enumerate(codes)},
                                             "label": dict(codes)},
                "extension": {"elimination": elimination, "show": "value"}}

    dims = {
        "Region": dim("region", regions, True),
        "Alder": dim("ålder", {"tot": "totalt ålder", "0": "0 år", "1": "1 år"},
                     alder_eliminable),
        "Kon": dim("kön", {"1": "män", "2": "kvinnor"}, True),
        "ContentsCode": dim("tabellinnehåll", contents, False),
        "Tid": dim("år", {y: y for y in years}, False),
    }
    ids = list(dims)
    return {"version": "2.0", "class": "dataset", "label": f"{table}", "source": "SCB",
            "role": {"time": ["Tid"], "metric": ["ContentsCode"]}, "id": ids,
            "size": [len(dims[i]["category"]["index"]) for i in ids], "dimension": dims,
            "extension": {"px": {"tableid": table}}, "value": []}


@dataclass
class FakeScb:
    """What the fake API answers. ``tables``: table id -> (metadata, {year: {code: pop}}).
    ``failures``: statuses (or "slow"/"malformed") to answer first, one per request;
    "drip" answers one byte every ``slow_seconds``, "endless" a body that never ends."""

    tables: dict[str, tuple[dict[str, Any], dict[str, dict[str, int]]]] = field(
        default_factory=dict)
    failures: list[int | str] = field(default_factory=list)
    requests: list[tuple[str, str, Any]] = field(default_factory=list)
    slow_seconds: float = 1.0
    notes: dict[str, list[str]] = field(default_factory=dict)
    url: str = ""

    def answer(self, method: str, path: str, body: Any) -> tuple[int, bytes, dict[str, str]]:
        self.requests.append((method, path, body))
        if self.failures:
            failure = self.failures.pop(0)
            if failure == "slow":
                time.sleep(self.slow_seconds)
                return 200, b"{}", {}
            if failure == "malformed":
                return 200, b'{"version": "2.0", "class": "dataset", "valu', {}
            if failure == "html":
                return 200, b"<html>maintenance</html>", {}
            assert isinstance(failure, int)
            detail = json.dumps({"title": "error", "status": failure}).encode()
            return failure, detail, {"Retry-After": "1"} if failure == 429 else {}
        parts = path.split("?")[0].strip("/").split("/")
        # .../tables/{id}/metadata or .../tables/{id}/data
        table, what = parts[-2], parts[-1]
        if table not in self.tables:
            return 404, json.dumps({"title": "Not Found",
                                    "detail": f"table {table} not found"}).encode(), {}
        meta, figures = self.tables[table]
        if what == "metadata" and method == "GET":
            return 200, json.dumps(meta).encode(), {}
        if what == "data" and method == "POST":
            selection = {s["variableCode"]: s["valueCodes"] for s in body["selection"]}
            year = selection["Tid"][0]
            codes = selection["Region"]
            names = meta["dimension"]["Region"]["category"]["label"]
            regions = {c: (names[c], figures[year].get(c)) for c in codes}
            content = selection["ContentsCode"][0]
            label = meta["dimension"]["ContentsCode"]["category"]["label"][content]
            doc = jsonstat(table, regions, year, (content, label),
                           notes=self.notes.get(table))
            return 200, json.dumps(doc).encode(), {}
        return 400, b'{"title": "Bad Request"}', {}


@contextmanager
def fake_scb(fake: FakeScb) -> Iterator[FakeScb]:
    """Serve ``fake`` on 127.0.0.1 (a free port) in a thread; ``fake.url`` is the base."""

    class Handler(BaseHTTPRequestHandler):
        def _stream(self, kind: str) -> None:
            """A body that trickles in (a byte every ``slow_seconds``) or never ends; stops
            when the client hangs up (or after a bounded while)."""
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.end_headers()
                self.wfile.write(b'{"values": [')
                for _ in range(600 if kind == "drip" else 100_000):
                    if kind == "drip":
                        time.sleep(fake.slow_seconds)
                        self.wfile.write(b"1")
                    else:
                        self.wfile.write(b"1," * 32768)
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                pass

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            if fake.failures and fake.failures[0] in ("drip", "endless"):
                fake.requests.append((method, self.path, body))
                self._stream(str(fake.failures.pop(0)))
                return
            status, payload, headers = fake.answer(method, self.path, body)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_GET(self) -> None:  # noqa: N802
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/api/v2"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def municipal_metadata(table: str, years: list[str],
                       contents: Mapping[str, str] | None = None,
                       alder_eliminable: bool = True) -> dict[str, Any]:
    regions = {"00": "Riket", "01": "Stockholms län"}
    regions.update({c: n for c, (n, _) in reference(2024).items()})
    return metadata(table, years, regions, contents or {"BE0101N1": "Folkmängd"},
                    alder_eliminable)
