"""Listing 3,000 students while the sandbox injects every fault kind into 20 % of all requests
(reads and writes: rate limits, 5xx, requests held past the timeout, dropped connections,
malformed and HTML bodies) completes — every run. Reads are retried for a time budget
(``read_budget_s``), not a number of attempts: with 4 attempts, most such listings aborted.

The default suite runs 简道云 twice (different fault sequences); ``-m soak`` runs 10
listings for each remote backend (iPaaS lists through its 神笔 profile) and prints the times."""

from __future__ import annotations

import time
from typing import Any

import pytest
from jdy_helpers import jdy_options
from kintone_helpers import kintone_options, token_auth
from shenbi_profiles import shenbi_options

from campuscard_gui.backends.jiandaoyun.connector import JiandaoyunConnector
from campuscard_gui.backends.kintone.connector import KintoneConnector
from campuscard_gui.backends.shenbi.connector import ShenbiConnector
from campuscard_gui.connectors.base import Connector
from campuscard_gui.sandbox import (
    FAULT_KINDS,
    JdySettings,
    KintoneSettings,
    SandboxInfo,
    ShenbiSettings,
    run_sandbox,
)

STUDENTS = 3000
RATE = 0.2
TIMEOUT_S = 1.0  # the client's per-read timeout …
HOLD_S = 1.5  # … shorter than a "timeout" fault's hold
LATENCY_MS = 5.0
SETTINGS: dict[str, Any] = {"jiandaoyun": JdySettings(fault_timeout_s=HOLD_S),
                            "kintone": KintoneSettings(fault_timeout_s=HOLD_S),
                            "shenbi": ShenbiSettings(fault_timeout_s=HOLD_S)}


def connect(backend: str, sb: SandboxInfo) -> Connector:
    if backend == "jiandaoyun":
        return JiandaoyunConnector(jdy_options(sb, timeout_s=TIMEOUT_S), sb.api_key)
    if backend == "kintone":
        return KintoneConnector(kintone_options(sb, timeout_s=TIMEOUT_S), token_auth(sb))
    return ShenbiConnector(shenbi_options(sb, timeout_s=TIMEOUT_S), sb.secret_id,
                           sb.secret_key)


def listing(backend: str, seed: int) -> tuple[float, dict[str, int]]:
    """List every student under faults; (seconds, faults injected by kind)."""
    with run_sandbox(backend, students=STUDENTS, seed=seed, latency_ms=LATENCY_MS,
                     fault_rate=RATE, faults=FAULT_KINDS, fault_scope="all",
                     with_cards=True, settings=SETTINGS[backend]) as sb:
        conn = connect(backend, sb)
        try:
            start = time.monotonic()
            rows = conn.list_rows()
            took = time.monotonic() - start
        finally:
            conn.close()
        faults = sb.control.counters().faults
        sb.control.clear_faults()
    assert len(rows) == STUDENTS
    assert len({r.student_no for r in rows}) == STUDENTS
    return took, faults


@pytest.mark.parametrize("seed", [101, 103])
def test_a_listing_survives_every_fault_kind_at_20_percent(seed) -> None:
    took, faults = listing("jiandaoyun", seed)
    print(f"jiandaoyun seed {seed}: {took:.1f} s, faults {faults}")
    assert sum(faults.values()) >= 3  # the faults happened


@pytest.mark.soak
@pytest.mark.parametrize("backend", ["jiandaoyun", "kintone", "shenbi"])
def test_ten_listings_out_of_ten_survive_every_fault_kind(backend) -> None:
    times = []
    kinds: set[str] = set()
    for run in range(10):
        took, faults = listing(backend, 200 + run)
        times.append(took)
        kinds |= {k for k, n in faults.items() if n}
    print(f"{backend}: 10/10 listings of {STUDENTS}; seconds min {min(times):.1f} "
          f"median {sorted(times)[5]:.1f} max {max(times):.1f}; fault kinds seen {sorted(kinds)}")
    assert len(kinds) >= 4
