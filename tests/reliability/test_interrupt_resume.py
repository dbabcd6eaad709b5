"""Issue 9, scenario 2: interrupt, change, resume. Operator A's job is SIGKILLed part-way
(its journal shows some chunks done and some never sent), operator B on another PC (its own
config, data dir and journal) changes some of the students A has not reached, then A runs
``jobs resume``. Twice: an open (B opens some of A's students meanwhile), then a freeze of
everyone (B cancels some of A's unsent students and some A already froze).

Counted on the server through its own API: no student with two live cards, no card B
cancelled live again, and each record B changed under A is skipped by A with the reason code
changed_by_other (由他人修改) or opened_by_other (已由他人开通); no record left undecided.

And (2b) the case where A's killed chunk was marked sent but its write never landed, and B
opens some of those students before A resumes: the cards are B's, so A must skip them, not
report them as its own 成功."""

from __future__ import annotations

import pytest
from rel_scenarios import (
    BACKENDS,
    SETTLED,
    interrupt_change_resume,
    lost_write_then_other_opens,
    problems,
)

STUDENTS = 500
LATENCY_MS = 80.0  # per request while A runs: slow enough to kill it between chunks
# writes in flight at once (简道云 5, 神笔 8 by default): with 5 chunks, 2 leave some unsent
# for a whole chunk's time after the first one is done, the moment A is killed
CONCURRENCY = 2
SETTLE_S = 1.0  # 简道云/神笔/iPaaS: a chunk A left "sent" is read back this long after its send
# kintone: one bulkRequest holds 2,000 records, so 500 students would be one chunk; smaller
# ones (no `profiles add` flag sets them) give A's job chunks to be killed between
KINTONE_CHUNKS = {"records_per_request": 50, "requests_per_bulk": 1}


@pytest.mark.parametrize("backend", BACKENDS)
def test_interrupt_change_resume(backend, world, pc, report) -> None:
    w = world(backend, STUDENTS)
    phases = interrupt_change_resume(
        w, pc("A"), pc("B"), latency_ms=LATENCY_MS,
        settle_s=SETTLE_S if backend in SETTLED else None,
        tune=KINTONE_CHUNKS if backend == "kintone" else None,
        concurrency=CONCURRENCY if backend != "local" else None, on_counts=report)
    also = {"open": ("changed_not_skipped", "b_card_replaced", "no_live_card", "success_twice",
                     "success_not_on_server"),
            "freeze": ("changed_not_skipped", "success_not_frozen", "live_after_cancel")}
    bad = {phase: problems(counts, *also[phase])
           for phase, counts in zip(("open", "freeze"), phases, strict=False)}
    assert not any(bad.values()), f"{bad}\n" + "\n".join(map(str, phases))
    assert len(phases) == 2, "the freeze phase did not run"


LOST_WRITE_HOLD_S = 300.0  # longer than the test: the held write never lands while it runs
# A chunk's opens carry one open time, kept in the journal; a live card found on resume with
# another open time is someone else's. Two routes cannot tell: kintone keeps DATETIME to the
# minute only (a card B opened within the same minute as A's lost write looks like A's), and
# the iPaaS flow sets the open time itself (the seed's request carries none). There A's resume
# reports B's card as its own 成功: still one card per student, but both operators see 成功.
# Not strict: when B's open falls in another minute than A's lost write, kintone tells them
# apart and the test passes; whether it does depends on the clock, not on the code.
CLAIMS_OTHERS_CARD = pytest.mark.xfail(
    strict=False, reason="the backend does not keep our open time exactly enough to tell a "
                        "card another operator opened from the resumed job's own")


@pytest.mark.parametrize("backend", [
    pytest.param(b, marks=CLAIMS_OTHERS_CARD) if b in ("kintone", "ipaas") else b
    for b in BACKENDS])
def test_resume_after_a_write_that_never_landed(backend, world, pc, report) -> None:
    w = world(backend, STUDENTS, hold_s=LOST_WRITE_HOLD_S)
    counts = lost_write_then_other_opens(
        w, pc("A"), pc("B"), settle_s=SETTLE_S if backend in SETTLED else None)
    report(counts)
    bad = problems(counts, "changed_not_skipped", "success_twice", "no_live_card",
                   "success_not_on_server")
    assert not bad, f"{bad}\n{counts}"
