"""Issue 9, scenario 3: SIGKILL while the sandbox holds writes in flight. Every card-creating
write of A's open is held by the sandbox (fault "timeout", applied ``HOLD_S`` after it
arrived: timeout_apply="after"); A is SIGKILLed while a write is held and ``jobs resume`` runs
at once, before the held write lands. Once it has landed: no student has two live cards, each
has one, and every record has a definite outcome. The 神笔/iPaaS profiles' settle_s is longer
than the hold, as it must be for the resume to wait for the write instead of repeating it.

Local has no server to hold a write: there the first chunk is committed to the shared
database while the PC's journal is held locked, so it has landed unjournalled when A dies."""

from __future__ import annotations

import pytest
from rel_scenarios import BACKENDS, SETTLED, held_writes, problems

STUDENTS = 500
HOLD_S = 1.5
SETTLE_S = 2.5  # > HOLD_S: the resume waits for the held write instead of repeating it


@pytest.mark.parametrize("backend", BACKENDS)
def test_sigkill_while_writes_are_held(backend, world, pc, report) -> None:
    w = world(backend, STUDENTS, hold_s=HOLD_S)
    counts = held_writes(w, pc("A"), hold_s=HOLD_S,
                         settle_s=SETTLE_S if backend in SETTLED else None)
    report(counts)
    bad = problems(counts, "no_live_card", "success_not_on_server")
    assert not bad, f"{bad}\n{counts}"
