"""How fast a remote profile's students are listed: cold, warm and after a few changes.

    python tests/bench/bench_listing.py --backend jiandaoyun|kintone|shenbi \\
        --students 100000 --latency-ms 200 [--sequential] [--json]

Starts the backend's sandbox as a subprocess (``python -m campuscard_gui.sandbox.cli
--with-cards``, its real rate limits, the given latency), then measures through the path the
window and the CLI share (``batch.listing.list_students``, a private SnapshotStore):

- ``cold_s``: a full listing (``--fresh``), partitioned unless ``--sequential`` (the old
  one-cursor-per-form path: the "before" figure);
- ``read_ceiling_share``: list pages actually read per second ÷ the backend's documented read
  ceiling. 简道云: 30 data/list calls/s (spec §5). 神笔: its per-SecretId rate, 20 calls/s
  ([INFER], ShenbiOptions.requests_per_second). kintone documents no request rate, only 100
  concurrent requests per domain (§4); the profile's ``concurrency`` bounds ours, so the
  ceiling used is ``concurrency`` pages per round trip (concurrency ÷ latency);
- ``warm_s``: loading the snapshot the window shows at once (SnapshotStore.load);
- ``delta_s``: listing again after 100 students were changed through the sandbox's API: a
  refresh from the snapshot where the backend can tell what changed (``refreshed``), else a
  full listing.

It is a measurement, not a test: it prints the figures and exits 0 unless something crashed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sandbox_process import sandbox_process  # noqa: E402

from campuscard_gui.backends.jiandaoyun.api import BATCH_UPDATE  # noqa: E402
from campuscard_gui.backends.jiandaoyun.connector import JiandaoyunConnector  # noqa: E402
from campuscard_gui.backends.kintone.connector import (  # noqa: E402
    KintoneAuth,
    KintoneConnector,
)
from campuscard_gui.backends.shenbi.connector import ShenbiConnector  # noqa: E402
from campuscard_gui.batch.listing import list_students  # noqa: E402
from campuscard_gui.config.fieldmap import FieldMap  # noqa: E402
from campuscard_gui.config.snapshots import SnapshotStore  # noqa: E402
from campuscard_gui.connectors.http import make_client  # noqa: E402

CHANGED = 100
KINTONE_FIELDS = FieldMap(card_student="student_no", card_status="status",
                          card_open_time="open_time", card_amount="amount")
LIST_PATHS = {"jiandaoyun": "/data/list", "kintone": "/records.json",
              "shenbi": "/DescribeEntityRecords"}


@contextmanager
def sandbox(backend: str, students: int, latency_ms: float) -> Iterator[dict[str, Any]]:
    with sandbox_process(backend, students, latency_ms, "--with-cards") as started:
        yield started


class Counting:
    """A client factory whose clients count the list requests they send."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.pages = 0
        self._lock = threading.Lock()

    def __call__(self, url: str, timeout: float) -> httpx.Client:
        client = make_client(url, timeout, max_connections=64)
        client.event_hooks["request"].append(self._count)
        return client

    def _count(self, request: httpx.Request) -> None:
        if request.url.path.endswith(self.path):
            with self._lock:
                self.pages += 1


def connector(backend: str, line: dict[str, Any], sequential: bool,
              factory: Counting) -> Any:
    if backend == "jiandaoyun":
        return JiandaoyunConnector({
            "base_url": line["base_url"], "app_id": line["app_id"],
            "students_entry": line["students_entry_id"], "cards_entry": line["cards_entry_id"],
            **({"list_cursors": 1} if sequential else {})}, line["api_key"],
            client_factory=factory)
    if backend == "kintone":
        return KintoneConnector({
            "base_url": line["base_url"], "students_app": line["students_app"],
            "cards_app": line["cards_app"], "fields": KINTONE_FIELDS.to_json(),
            **({"list_workers": 1} if sequential else {})},
            KintoneAuth(students_token=line["students_token"],
                        cards_token=line["cards_token"]), client_factory=factory)
    return ShenbiConnector({
        "base_url": line["base_url"], "app_code": line["app_code"],
        "students_object": line["students_object"], "cards_object": line["cards_object"],
        "service": line["service"], "version": line["version"],
        **({"list_workers": 1} if sequential else {})}, line["secret_id"], line["secret_key"],
        client_factory=factory)


def change_students(backend: str, line: dict[str, Any], record_ids: list[str]) -> None:
    """Set 休学 on ``record_ids`` through the sandbox's API, as another operator would."""
    if backend == "jiandaoyun":
        writer = JiandaoyunConnector({
            "base_url": line["base_url"], "app_id": line["app_id"],
            "students_entry": line["students_entry_id"],
            "cards_entry": line["cards_entry_id"]}, line["api_key"])
        writer._api.post(BATCH_UPDATE, {
            "app_id": line["app_id"], "entry_id": line["students_entry_id"],
            "data_ids": record_ids, "data": {"student_status": {"value": "休学"}}}, write=True)
    elif backend == "kintone":
        writer = KintoneConnector({
            "base_url": line["base_url"], "students_app": line["students_app"],
            "cards_app": line["cards_app"], "fields": KINTONE_FIELDS.to_json(),
            "auth": "password", "user": line["user"]},
            KintoneAuth(password=line["password"]))
        writer._api.call("PUT", "records", {"app": line["students_app"], "records": [
            {"id": i, "record": {"student_status": {"value": "休学"}}} for i in record_ids]},
            write=True)
    else:
        writer = ShenbiConnector({
            "base_url": line["base_url"], "app_code": line["app_code"],
            "students_object": line["students_object"], "cards_object": line["cards_object"],
            "service": line["service"], "version": line["version"]},
            line["secret_id"], line["secret_key"])
        api = writer._api
        api.call("ModifyEntityRecords", api.body(
            line["students_object"], Ids=record_ids, Fields=["student_status"],
            Values=[[["休学"]] for _ in record_ids]), write=True)
    writer.close()


def ceiling(backend: str, conn: Any, latency_ms: float) -> tuple[float, str]:
    if backend == "jiandaoyun":
        return float(conn.options.list_rps), "data/list calls/s (spec §5)"
    if backend == "shenbi":
        return float(conn.options.requests_per_second), "calls/s per SecretId ([INFER])"
    slots = conn.options.concurrency
    return slots / (latency_ms / 1000.0), (
        f"{slots} requests in flight (profile concurrency; kintone: 100 per domain, no "
        "rate) per round trip")


def run(args: argparse.Namespace) -> dict[str, Any]:
    counting = Counting(LIST_PATHS[args.backend])
    out: dict[str, Any] = {"backend": args.backend, "students": args.students,
                           "latency_ms": args.latency_ms,
                           "path": "sequential" if args.sequential else "partitioned"}
    with sandbox(args.backend, args.students, args.latency_ms) as line, \
            tempfile.TemporaryDirectory() as tmp:
        store = SnapshotStore(Path(tmp))
        conn = connector(args.backend, line, args.sequential, counting)
        try:
            t0 = time.perf_counter()
            listing = list_students(conn, store, "bench", fresh=True)
            cold = time.perf_counter() - t0
            pages = counting.pages
            top, what = ceiling(args.backend, conn, args.latency_ms)
            out.update(cold_s=round(cold, 2), rows=len(listing.rows), list_pages=pages,
                       pages_per_s=round(pages / cold, 2), read_ceiling=round(top, 2),
                       read_ceiling_is=what,
                       read_ceiling_share=round(pages / cold / top, 3))
            t0 = time.perf_counter()
            kept = store.load("bench")
            out["warm_s"] = round(time.perf_counter() - t0, 3)
            assert kept is not None and len(kept.rows) == len(listing.rows)
            ids = [r.student.record_id for r in listing.rows[::max(1, len(listing.rows)
                                                                    // CHANGED)]][:CHANGED]
            change_students(args.backend, line, ids)
            counting.pages = 0
            t0 = time.perf_counter()
            again = list_students(conn, store, "bench")
            out.update(delta_s=round(time.perf_counter() - t0, 2),
                       refreshed=again.refreshed, delta_pages=counting.pages)
            changed = {r.student.record_id: r for r in again.rows}
            out["delta_correct"] = all(changed[i].student.status.value == "休学" for i in ids)
        finally:
            conn.close()
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", choices=("jiandaoyun", "kintone", "shenbi"), required=True)
    p.add_argument("--students", type=int, default=20000)
    p.add_argument("--latency-ms", type=float, default=200.0)
    p.add_argument("--sequential", action="store_true",
                   help="list with the old one-cursor-per-form path (the 'before' figure)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    out = run(args)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        for key, value in out.items():
            print(f"{key:>20}: {value}")
    print(f"targets: read_ceiling_share ≥ 0.8: {out['read_ceiling_share'] >= 0.8}, "
          f"warm_s ≤ 1: {out['warm_s'] <= 1.0}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
