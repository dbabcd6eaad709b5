"""What a hostile server costs a real connector read: time and peak memory (RSS) of a kintone
``read_cards`` against the misbehaving server of ``tests/connectors/hostile_server.py`` on
127.0.0.1, with the profile's default limits (max_answer_mb 32, request_deadline_s 0 = twice
the timeout, read_budget_s 60) and ``--timeout`` seconds per read.

Cases (each in a fresh child process, so that its peak RSS is its own):

- ``huge``: a 400 MB chunked body, served lazily;
- ``huge_length``: the same announced by Content-Length;
- ``deep``: JSON nested 100,000 deep;
- ``drip``: a body dripping 1 byte/s — one request (read_budget_s 0);
- ``drip_read``: the same through a whole read, retried for its default 60 s budget.

    python tests/bench/bench_hostile.py [--timeout 5] [--cases huge,drip] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "connectors"))
sys.path.insert(0, str(HERE.parent.parent))

CASES = {  # case -> (server mode, server options, profile options)
    "huge": ("huge", {}, {}),
    "huge_length": ("huge_length", {}, {}),
    "deep": ("deep", {}, {"read_budget_s": 0}),
    "drip": ("drip", {"interval": 1.0}, {"read_budget_s": 0}),
    "drip_read": ("drip", {"interval": 1.0}, {}),
}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KB


def child(case: str, timeout_s: float) -> dict[str, Any]:
    from hostile_server import HostileServer
    from kintone_helpers import FIELDS

    from campuscard_gui.backends.kintone.connector import KintoneAuth, KintoneConnector
    from campuscard_gui.core.errors import CampusCardError

    mode, server_options, options = CASES[case]
    with HostileServer(mode, **server_options) as server:
        conn = KintoneConnector({"base_url": server.url, "students_app": "1", "cards_app": "2",
                                 "fields": FIELDS.to_json(), "timeout_s": timeout_s,
                                 **options}, KintoneAuth(students_token="a", cards_token="b"))
        before = rss_mb()
        start = time.monotonic()
        try:
            conn.read_cards(["2024001"])
            outcome = "read"
        except CampusCardError as exc:
            outcome = f"{type(exc).__name__}({exc.code})"
        took = time.monotonic() - start
        conn.close()
        sent = server.sent
        requests = server.requests
    return {"case": case, "seconds": round(took, 2), "outcome": outcome,
            "rss_before_mb": round(before, 1), "peak_rss_mb": round(rss_mb(), 1),
            "server_sent_mb": round(sent / 2 ** 20, 1), "requests": requests}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=5.0, help="timeout_s of the profile")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.timeout)))
        return
    results = []
    for case in args.cases.split(","):
        out = subprocess.run([sys.executable, __file__, "--child", case,
                              "--timeout", str(args.timeout)],
                             capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        if not args.json:
            r = results[-1]
            print(f"{r['case']:<12} {r['seconds']:>7.2f} s  peak RSS {r['peak_rss_mb']:>6.1f} MB "
                  f"(at start {r['rss_before_mb']:.1f})  server sent {r['server_sent_mb']} MB "
                  f"in {r['requests']} request(s)  → {r['outcome']}", flush=True)
    if args.json:
        print(json.dumps({"timeout_s": args.timeout, "results": results}, indent=2))


if __name__ == "__main__":
    main()
