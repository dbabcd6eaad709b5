"""The long version of the reliability scenarios (``pytest -m soak tests/reliability``; the
``soak`` marker is excluded by default): more students, 20% of the writes faulted (every
fault kind the sandbox has, "timeout" holding a write past the client's timeout and applying
it afterwards), and each operator's CLI SIGKILLed several times at random points of its
progress and resumed. Then the same counts as the fast tests, through the server's own API.

Tunable by environment: RELIABILITY_SOAK_STUDENTS (2000), RELIABILITY_SOAK_KILLS (4),
RELIABILITY_SOAK_SEED (random; printed, to replay a run)."""

from __future__ import annotations

import os
import random

import pytest
from rel_scenarios import BACKENDS, SETTLED, problems, soak_freeze_cancel, soak_two_operators

from campuscard_gui.sandbox import FAULT_KINDS

pytestmark = pytest.mark.soak

STUDENTS = int(os.environ.get("RELIABILITY_SOAK_STUDENTS", "2000"))
KILLS = int(os.environ.get("RELIABILITY_SOAK_KILLS", "4"))
FAULT_RATE = 0.2
HOLD_S = 3.0  # a "timeout" fault holds the write this long, then applies it
TIMEOUT_S = 2.0  # the profiles' request timeout: shorter than the hold
SETTLE_S = 5.0  # 简道云/神笔/iPaaS: longer than the hold
LATENCY_MS = 20.0
# kintone: bulkRequests of 200 records, so a job has chunks to be killed between
KINTONE_CHUNKS = {"records_per_request": 100, "requests_per_bulk": 2}


@pytest.mark.parametrize("backend", BACKENDS)
def test_soak(backend, world, pc, report) -> None:
    seed = int(os.environ.get("RELIABILITY_SOAK_SEED", random.randrange(1 << 30)))
    print(f"soak {backend}: RELIABILITY_SOAK_SEED={seed}")
    rng = random.Random(seed)
    options = {} if backend == "local" else {
        "latency_ms": LATENCY_MS, "faults": FAULT_KINDS, "fault_rate": FAULT_RATE}
    w = world(backend, STUDENTS, hold_s=HOLD_S, **options)
    a, b = pc("A"), pc("B")
    settle = SETTLE_S if backend in SETTLED else None
    timeout = TIMEOUT_S if backend != "local" else None
    tune = KINTONE_CHUNKS if backend == "kintone" else None
    opened = soak_two_operators(w, a, b, rng, kills=KILLS, settle_s=settle, timeout_s=timeout,
                                tune=tune)
    report(opened)
    frozen = soak_freeze_cancel(w, a, b, rng, kills=KILLS, settle_s=settle, timeout_s=timeout,
                                tune=tune)
    report(frozen)
    bad = {"open": problems(opened, "no_live_card", "success_twice", "success_not_on_server"),
           "freeze": problems(frozen, "changed_not_skipped", "success_not_frozen",
                   "live_after_cancel")}
    assert not any(bad.values()), f"seed {seed}: {bad}\n{opened}\n{frozen}"
