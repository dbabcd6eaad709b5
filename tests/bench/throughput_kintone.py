"""The kintone half of ``bench_throughput.py``: our connector against the official client.

In one run, against one sandbox (a subprocess with the given latency):

1. the official JavaScript client ``@kintone/rest-api-client`` (Node.js,
   ``tests/node/kintone_client.mjs bench``) adds one card per student with ``addAllRecords``
   and sets them all to 冻结 with ``updateAllRecords`` — sequential bulkRequests of 2,000;
2. those cards are deleted again (bulkRequests of 20 × 100 DELETEs);
3. campuscard-gui opens cards for the same students and freezes them, each as the window runs
   a job (JobController → BatchRunner → KintoneConnector), at the profile's concurrency.

Our requests pass through a counting transport, so the report shows the most requests we had
in flight at once next to the configured limit.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx

from campuscard_gui.backends.kintone.connector import KintoneAuth, KintoneConnector
from campuscard_gui.batch import Journal
from campuscard_gui.config.fieldmap import FieldMap
from campuscard_gui.connectors.http import make_client
from campuscard_gui.core.model import Action, StudentRow
from campuscard_gui.ui.heap import settle_after_load

ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = ROOT / "tests" / "node"
TARGET_SPEEDUP = 1.5
FIELDS = FieldMap(card_student="student_no", card_status="status", card_open_time="open_time",
                  card_amount="amount")


class CountingTransport(httpx.BaseTransport):
    """Counts the requests in flight through it (and the most at once)."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self._lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.in_flight += 1
            self.requests += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            response = self._inner.handle_request(request)
            response.read()  # the request is in flight until its answer has arrived
            return response
        finally:
            with self._lock:
                self.in_flight -= 1

    def close(self) -> None:
        self._inner.close()


def official_client(line: dict[str, Any], rows: list[StudentRow]) -> dict[str, Any]:
    """addAllRecords + updateAllRecords of the same cards through the official client."""
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "@kintone").is_dir():
        raise RuntimeError("the official client needs Node.js and `npm ci --prefix tests/node`")
    opened = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    request = {
        # the client accepts plain http only for "localhost"
        "baseUrl": line["base_url"].replace("127.0.0.1", "localhost"),
        "auth": {"apiToken": [line["students_token"], line["cards_token"]]},
        "cardsApp": line["cards_app"],
        "records": [{"student_no": {"value": r.student_no}, "status": {"value": "正常"},
                     "open_time": {"value": opened}, "amount": {"value": "0"}}
                    for r in rows],
        "statusField": "status", "status": "冻结",
    }
    done = subprocess.run([node, str(NODE_DIR / "kintone_client.mjs"), "bench"],
                          input=json.dumps(request, ensure_ascii=False), text=True,
                          capture_output=True, cwd=ROOT, timeout=3600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the official client failed ({done.returncode}): "
                           f"{done.stdout.strip()[-2000:]} {done.stderr.strip()[-2000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    for what in ("add", "update"):
        seconds = figures[f"{what}_seconds"]
        figures[f"{what}_records_per_s"] = round(figures[f"{what}_records"] / seconds, 1) \
            if seconds > 0 else 0.0
    return figures


def delete_all_cards(connector: KintoneConnector, line: dict[str, Any]) -> None:
    """Empty the cards app again (bulkRequests of 20 DELETEs of 100 ids), as another
    integration would: plain HTTP with the cards app's token."""
    ids = [r.card.card_id for r in connector.list_rows() if r.card is not None]
    headers = {"X-Cybozu-API-Token": line["cards_token"]}
    for start in range(0, len(ids), 2000):
        part = ids[start:start + 2000]
        body = {"requests": [{"method": "DELETE", "api": "/k/v1/records.json",
                              "payload": {"app": line["cards_app"], "ids": part[i:i + 100]}}
                             for i in range(0, len(part), 100)]}
        httpx.post(f"{line['base_url']}/k/v1/bulkRequest.json", json=body, headers=headers,
                   timeout=120).raise_for_status()
    if any(r.card is not None for r in connector.list_rows()):
        raise RuntimeError("the cards app is not empty after deleting the official client's cards")


def run(args: Any, app: Any, run_job: Callable[..., dict[str, Any]],
        controller_for: Callable[[Any, Journal], Any],
        sandbox: Callable[..., AbstractContextManager[dict[str, Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {"backend": "kintone", "records": args.records,
                           "latency_ms": args.latency_ms}
    # a subprocess: the server must not share this process's GIL with our client
    with sandbox(args.records, args.latency_ms, False, "kintone") as line, \
            tempfile.TemporaryDirectory() as tmp:
        counting = CountingTransport()
        options = {"base_url": line["base_url"], "students_app": line["students_app"],
                   "cards_app": line["cards_app"], "fields": FIELDS.to_json()}
        if args.concurrency:
            options["concurrency"] = args.concurrency
        connector = KintoneConnector(
            options, KintoneAuth(line["students_token"], line["cards_token"]),
            client_factory=lambda url, t: make_client(url, t, transport=counting))
        limits = connector.limits
        out.update(batch_size=limits.batch_size, concurrency=limits.concurrency)
        t = time.perf_counter()
        rows = connector.list_rows()[:args.records]
        out["list_seconds"] = round(time.perf_counter() - t, 3)

        out["official"] = official_client(line, rows)
        delete_all_cards(connector, line)
        counting.peak = 0

        journal = Journal(Path(tmp) / "journal.sqlite3")
        controller = controller_for(connector, journal)
        try:
            for action, theirs in ((Action.OPEN, "add"), (Action.FREEZE, "update")):
                rows = connector.list_rows()[:args.records]
                settle_after_load()  # as the window does when it has loaded the rows
                figures = run_job(app, controller, action, rows)
                baseline = out["official"][f"{theirs}_records_per_s"]
                figures["official_records_per_s"] = baseline
                figures["speedup"] = round(figures["records_per_s"] / baseline, 2) \
                    if baseline else None
                figures["pass_throughput"] = (figures["speedup"] or 0) >= TARGET_SPEEDUP
                out[action.value] = figures
            out["peak_in_flight"] = counting.peak
            out["pass_concurrency"] = counting.peak <= limits.concurrency
        finally:
            controller.shutdown()
            journal.close()
            connector.close()
    return out


def report(out: dict[str, Any], target_gap_ms: float) -> None:
    o = out["official"]
    print(f"kintone: {out['records']} records, latency {out['latency_ms']:g} ms, one "
          f"bulkRequest per {out['batch_size']} records, concurrency {out['concurrency']}; "
          f"listing took {out['list_seconds']} s")
    print(f"  official @kintone/rest-api-client: addAllRecords {o['add_records']} in "
          f"{o['add_seconds']:.3f} s = {o['add_records_per_s']} records/s; updateAllRecords "
          f"{o['update_records']} in {o['update_seconds']:.3f} s = "
          f"{o['update_records_per_s']} records/s")
    for action in (Action.OPEN, Action.FREEZE):
        f = out[action.value]
        print(f"  {action.value:<7} {f['succeeded']}/{f['records']} written in "
              f"{f['write_seconds']} s (whole job incl. read-back {f['job_seconds']} s): "
              f"{f['records_per_s']} records/s = {f['speedup']}× the official client "
              f"(target ≥ {TARGET_SPEEDUP:g}×) {'PASS' if f['pass_throughput'] else 'MISS'}; "
              f"GUI timer gap max {f['gui_max_gap_ms']} ms, p99 {f['gui_p99_gap_ms']} ms "
              f"(target max < {target_gap_ms:g} ms)")
    print(f"  most requests in flight at once: {out['peak_in_flight']} (limit "
          f"{out['concurrency']}) {'PASS' if out['pass_concurrency'] else 'MISS'}")
