"""Issue 9, scenario 1: two operators (two PCs: separate config and data dirs, so separate
journals) open the same 500 students at the same moment with real ``campuscard-cli``
processes. Counted on the server through its own API: no student has two live cards, each
has exactly one, exactly one operator reports 成功 for it with the card the server holds, and
every record of both jobs has a definite outcome."""

from __future__ import annotations

import pytest
from rel_scenarios import BACKENDS, SETTLED, problems, two_operators

STUDENTS = 500
LATENCY_MS = 10.0  # enough for the two jobs' chunks to interleave on the server
SETTLE_S = 1.0  # 简道云/神笔/iPaaS profiles: nothing is left unanswered here, keep any wait short


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_operators_open_the_same_students_at_once(backend, world, pc, report) -> None:
    w = world(backend, STUDENTS)
    counts = two_operators(w, pc("A"), pc("B"), latency_ms=LATENCY_MS,
                           settle_s=SETTLE_S if backend in SETTLED else None)
    report(counts)
    bad = problems(counts, "no_live_card", "success_twice", "success_not_on_server")
    assert not bad, f"{bad}\n{counts}"
