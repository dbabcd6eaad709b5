"""The reliability scenarios of issue 9, for one backend: (1) two operators at once;
(2) interrupt, change, resume — and (2b) the same when the killed chunk's write never landed;
(3) SIGKILL while writes are held in flight; and the soak's versions of 1 and 2 (random
SIGKILLs, faults).

Each returns the counts it observed (``Counts``) *before* asserting anything, so a failing run
still reports how many students got two live cards; the tests record them, then assert.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rel_cli import (
    SKIP_CHANGED,
    Job,
    Pc,
    add_backend_profile,
    add_profiles,
    start_together,
    tail,
    wait_for,
)
from rel_server import CANCELLED, LIVE, ServerView, WriteLock, view_for

from campuscard_gui.core.demo import DemoSchool, generate_school
from campuscard_gui.sandbox import Control, SandboxInfo

BACKENDS = ("local", "jiandaoyun", "kintone", "shenbi", "ipaas")
# the backends whose profiles have a settle time (no conditional writes, no unique card)
SETTLED = ("jiandaoyun", "shenbi", "ipaas")
# the write endpoint that creates cards, per backend (where "timeout" faults are aimed)
CREATE_ENDPOINT = {"jiandaoyun": "app/entry/data/batch_create", "kintone": "POST bulkRequest",
                   "shenbi": "CreateEntityRecords", "ipaas": "ipaas/gateway"}


@dataclass
class Counts:
    backend: str
    scenario: str
    students: int = 0
    duplicates: int = 0  # students with two or more live (正常/冻结) cards on the server
    revived: int = 0  # cards another operator cancelled that are not 注销 any more
    skipped_changed: int = 0  # records skipped as changed_by_other / opened_by_other
    undecided: int = 0  # records without a definite outcome (succeeded/failed/skipped)
    extra: dict[str, Any] = field(default_factory=dict)
    # students/cards behind the counts, for the failure message
    examples: dict[str, list[str]] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("examples")
        return out

    def __str__(self) -> str:
        extra = "".join(f", {k}={v}" for k, v in self.extra.items())
        seen = "".join(f"\n  {k}: {v[:2] if k == 'cli_errors' else v[:10]}"
                       for k, v in self.examples.items() if v)
        return (f"[{self.backend} · {self.scenario}] students={self.students}, "
                f"live-card duplicates={self.duplicates}, revived={self.revived}, "
                f"skipped-changed={self.skipped_changed}, undecided={self.undecided}{extra}"
                f"{seen}")


@dataclass
class World:
    """One backend with a demo school of ``students`` (no cards yet), and how to look at it."""

    backend: str
    target: SandboxInfo | Path  # the sandbox, or the local database file
    students: list[str]
    view: ServerView

    @property
    def control(self) -> Control | None:
        return self.target.control if isinstance(self.target, SandboxInfo) else None

    @property
    def db(self) -> Path:
        assert isinstance(self.target, Path)
        return self.target

    def set_latency(self, ms: float) -> None:
        if self.control is not None:
            self.control.set_latency(ms)


def local_school(db: Path, n: int, seed: int) -> list[str]:
    """A shared local database with the demo school's ``n`` students and no card yet."""
    from campuscard_gui.backends.local.store import build_file

    school = generate_school(n, seed)
    build_file(db, DemoSchool(seed, school.students, []), replace=True)
    conn = sqlite3.connect(db)
    try:  # as the connector leaves it on first use; a reader then never waits for a writer
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    return [s.student_no for s in school.students]


def sandbox_students(n: int, seed: int) -> list[str]:
    return [s.student_no for s in generate_school(n, seed).students]


def make_world(backend: str, target: SandboxInfo | Path, students: list[str]) -> World:
    return World(backend, target, students, view_for(backend, target))


OPEN = ("open", "--yes", "--allow-non-enrolled", "--format", "json")


# -- what every scenario checks ------------------------------------------------------------------

ALWAYS_ZERO = ("duplicates", "revived", "undecided", "cli_errors", "show_differs")


def problems(counts: Counts, *also: str) -> dict[str, int]:
    """The counts that must be 0 and are not: live-card duplicates, revived cards, undecided
    records, CLI crashes, ``jobs show`` disagreeing with the run, and ``also`` (extra keys)."""
    found = {}
    for key in (*ALWAYS_ZERO, *also):
        value = getattr(counts, key) if hasattr(counts, key) else counts.extra.get(key, 0)
        if value:
            found[key] = value
    return found


def skipped_changed(pc: Pc, job_id: int) -> dict[str, str]:
    """学号 -> reason code, for the job's records skipped as changed/opened by someone else
    (read from the PC's journal: the stable codes, not the printed text)."""
    return {r.student_no: str(r.reason) for r in pc.journal.records(job_id)
            if r.outcome == "skipped" and r.reason in SKIP_CHANGED}


def cli_errors(*pcs: Pc) -> list[str]:
    return [e for pc in dict.fromkeys(pcs) for e in pc.errors]


def undecided(*jobs: Job) -> list[str]:
    return [no for job in jobs for no in job.undecided()]


def show_differs(printed: Job, shown: Job) -> list[str]:
    """Records where ``jobs show`` does not say what the run printed (学号)."""
    before = {r["student_no"]: (r["outcome"], r["card_id"]) for r in printed.records}
    after = {r["student_no"]: (r["outcome"], r["card_id"]) for r in shown.records}
    return sorted(no for no in before.keys() | after.keys() if before.get(no) != after.get(no))


# -- 1. two operators at once ----------------------------------------------------------------

def two_operators(w: World, a: Pc, b: Pc, *, latency_ms: float = 0.0,
                  settle_s: float | None = None) -> Counts:
    """A and B (separate config and data dirs) open the same students at the same moment."""
    pa, pb = add_profiles((a, b), w.backend, w.target, settle_s=settle_s)
    w.set_latency(latency_ms)
    before = a.journal.latest_job(), b.journal.latest_job()
    procs = start_together([(a, ("--profile", pa, *OPEN)), (b, ("--profile", pb, *OPEN))],
                           w.students)
    ja = a.finish(procs[0], "A's open", w.students, before[0])
    jb = b.finish(procs[1], "B's open", w.students, before[1])
    w.set_latency(0)
    shown = [a.show(ja.job_id), b.show(jb.job_id)]
    return count_open(w, "1 two operators", [(a, ja), (b, jb)], shown)


def count_open(w: World, scenario: str, runs: Sequence[tuple[Pc, Job]],
               shown: Sequence[Job] = ()) -> Counts:
    """``shown``: ``jobs show`` of the first ``len(shown)`` runs' jobs, in the same order."""
    """After everyone's open of ``w.students``: one live card each, one 成功 each, and the
    成功 names the card the server holds."""
    cards = w.view.cards()
    live: dict[str, list[str]] = {}
    for c in cards:
        if c.status in LIVE:
            live.setdefault(c.student_no, []).append(c.card_id)
    dup = sorted(no for no in w.students if len(live.get(no, [])) > 1)
    missing = [s for s in w.students if not live.get(s)]
    succeeded: Counter[str] = Counter()
    wrong_card = []
    changed = 0
    by_pc: dict[str, int] = {}
    for pc, job in runs:
        changed += len(skipped_changed(pc, job.job_id))
        ok = [r for r in job.records if r["outcome"] == "succeeded"]
        by_pc[pc.name] = by_pc.get(pc.name, 0) + len(ok)
        for r in ok:
            succeeded[r["student_no"]] += 1
            if r["card_id"] not in live.get(r["student_no"], []):
                wrong_card.append(f"{r['student_no']}:{r['card_id']}")
    twice = sorted(no for no, n in succeeded.items() if n > 1)
    jobs = [job for _pc, job in runs]
    differs = [no for (_pc, job), show in zip(runs, shown, strict=False)
               for no in show_differs(job, show)]
    errors = cli_errors(*(pc for pc, _job in runs))
    return Counts(
        w.backend, scenario, len(w.students), len(dup), 0, changed, len(undecided(*jobs)),
        extra={"no_live_card": len(missing), "success_twice": len(twice),
               "success_not_on_server": len(wrong_card), "cli_errors": len(errors),
               "show_differs": len(differs), "succeeded_by": by_pc},
        examples={"cli_errors": errors, "duplicates": dup, "no_live_card": missing,
                  "success_twice": twice, "success_not_on_server": wrong_card,
                  "show_differs": differs, "undecided": undecided(*jobs)})


# -- 2. interrupt, change, resume ------------------------------------------------------------

@dataclass
class Killed:
    job_id: int
    chunks: dict[int, str]  # seq -> state when killed
    pending: list[str]  # 学号 whose chunk was never sent
    done: list[str]  # 学号 whose outcome was recorded


def kill_mid_job(w: World, pc: Pc, profile: str, argv: Sequence[str], *,
                 latency_ms: float, target: str, timeout: float = 60.0) -> Killed:
    """Start ``argv`` on ``pc`` and SIGKILL it once its journal shows some chunks done and
    some never sent (remote: with ``latency_ms`` on the sandbox; local: the database's and the
    journal's write locks step the CLI to that point)."""
    ids = pc.home / f"ids-{len(pc.procs)}.txt"
    ids.write_text("\n".join(w.students) + "\n", encoding="utf-8")
    full = ("--profile", profile, *argv, "--ids", str(ids))
    before = pc.journal.latest_job()
    if w.backend == "local":
        proc = pc.start(*full)
        job_id = _local_step_to_second_chunk(w, pc, proc, target, before)
    else:
        w.set_latency(latency_ms)
        proc = pc.start(*full)
        job_id = wait_for(lambda: _has_job(pc, proc, before), timeout,
                          "A's job in its journal")

        def midway() -> bool:
            states = Counter(pc.journal.chunk_states(job_id).values())
            _alive(pc, proc)
            return states["done"] >= 1 and states["pending"] >= 1

        wait_for(midway, timeout, "some chunks done and some not sent", interval=0.005)
        pc.kill(proc)
        w.set_latency(0)
    chunks = pc.journal.chunk_states(job_id)
    records = pc.journal.records(job_id)
    return Killed(job_id, chunks,
                  [r.student_no for r in records if r.chunk_seq is not None
                   and chunks.get(r.chunk_seq) == "pending"],
                  [r.student_no for r in records if r.outcome is not None])


class CliExited(Exception):
    """The CLI ended (crashed, or finished) before the scenario could interrupt it."""


def _alive(pc: Pc, proc: subprocess.Popen[str]) -> None:
    """CliExited (noted in ``pc.errors`` when it crashed) if ``proc`` has ended."""
    if proc.poll() is None:
        return
    out, err = proc.communicate()
    if proc.returncode not in (0, 1) or "Traceback" in err or not out.strip():
        pc.errors.append(f"[{pc.name}] exited {proc.returncode} before it could be "
                         f"interrupted: {tail(err)}")
        raise CliExited(pc.errors[-1])
    raise AssertionError(f"[{pc.name}] the job finished before it could be interrupted; "
                         f"raise the sandbox latency: {err.strip()[-500:]}")


def crashed(w: World, scenario: str, *pcs: Pc) -> Counts:
    """The counts of a scenario whose CLI crashed before it could be interrupted: what the
    server holds, and every student undecided."""
    live = w.view.live_by_student()
    dup = sorted(no for no in w.students if len(live.get(no, [])) > 1)
    errors = cli_errors(*pcs)
    return Counts(w.backend, scenario, len(w.students), len(dup), 0, 0, len(w.students),
                  extra={"cli_errors": len(errors)},
                  examples={"cli_errors": errors, "duplicates": dup})


def _has_job(pc: Pc, proc: subprocess.Popen[str], before: int | None) -> int | None:
    """The job ``proc`` created (newer than ``before``), once its chunks are journalled."""
    _alive(pc, proc)
    job = pc.journal.latest_job()
    if job is None or job == before:
        return None
    return job if pc.journal.chunk_states(job) else None


def _local_step_to_second_chunk(w: World, pc: Pc, proc: subprocess.Popen[str],
                                target: str, before: int | None) -> int:
    """Local: let the first chunk land and be journalled, then hold the database's write lock
    so the second is marked sent and waits in SQLite's busy handler; SIGKILL the CLI there."""
    with _LocalSteps(w, pc, proc, before) as step:
        step.first_chunk_landed(target)
        step.db.hold()  # the second chunk will wait here...
        step.journal.release()  # ...once the first one's outcome is journalled
        wait_for(lambda: step.state(0) == "done" and step.state(1) == "sent", 30,
                 "the first chunk done and the second sent")
        pc.kill(proc)
        return step.job_id


def _local_landed_unjournalled(w: World, pc: Pc, proc: subprocess.Popen[str],
                               before: int | None) -> int:
    """Local: the first chunk committed to the database while the journal is held locked
    (the write has landed, the journal does not know it); SIGKILL the CLI there."""
    with _LocalSteps(w, pc, proc, before) as step:
        step.first_chunk_landed("正常")
        pc.kill(proc)
        assert step.state(0) == "sent"
        return step.job_id


class _LocalSteps:
    """Steps a local CLI job with two write locks the test holds: the shared database's
    (the CLI's card writes wait) and the PC's journal's (its outcomes wait)."""

    def __init__(self, w: World, pc: Pc, proc: subprocess.Popen[str],
                 before: int | None) -> None:
        self.w, self.pc, self.proc, self.before = w, pc, proc, before
        self.db = WriteLock(w.db)
        self.db.hold()  # before the CLI gets to write anything
        self.job_id = 0
        self.journal: WriteLock

    def __enter__(self) -> _LocalSteps:
        return self

    def __exit__(self, *exc: object) -> None:
        if hasattr(self, "journal"):
            self.journal.close()
        self.db.close()

    def state(self, index: int) -> str | None:
        states = self.pc.journal.chunk_states(self.job_id)
        seqs = sorted(states)
        return states[seqs[index]] if index < len(seqs) else None

    def first_chunk_landed(self, target: str) -> None:
        """Return once the first chunk is in the database and its outcome waits for the
        journal's lock (held)."""
        self.job_id = int(wait_for(lambda: _has_job(self.pc, self.proc, self.before), 30,
                                   "A's job in its journal"))
        wait_for(lambda: self.state(0) == "sent", 30, "the first chunk sent (and waiting)")
        self.journal = WriteLock(self.pc.journal.path)
        self.journal.hold()  # the first chunk's outcome will wait for this
        self.db.release()  # the first chunk is written
        seq = min(self.pc.journal.chunk_states(self.job_id))
        first = [r.student_no for r in self.pc.journal.records(self.job_id)
                 if r.chunk_seq == seq]
        wait_for(lambda: _landed(self.w, first, target), 30, "the first chunk in the database")


def _landed(w: World, students: Sequence[str], status: str) -> bool:
    """Every one of ``students`` has a card in ``status`` in the local database."""
    have = {c.student_no for c in w.view.cards() if c.status == status}
    return all(s in have for s in students)


def interrupt_change_resume(w: World, a: Pc, b: Pc, *, latency_ms: float,
                            settle_s: float | None = None, changes: int = 40,
                            tune: dict[str, Any] | None = None,
                            concurrency: int | None = None,
                            on_counts: Callable[[Counts], None] = lambda _c: None
                            ) -> list[Counts]:
    """Two phases, each: A's job SIGKILLed part-way, B (another PC) changes some of the
    students A has not reached yet, A resumes.

    - open: B opens some of A's unsent students → A must skip them (changed_by_other or
      opened_by_other) and leave B's card the only one;
    - freeze: after everyone has a card, A freezes all; B cancels some unsent ones and some A
      already froze → those stay 注销 (never revived), A skips the unsent ones as changed.
    """
    pa, pb = add_profiles((a, b), w.backend, w.target, settle_s=settle_s,
                          concurrency=concurrency)
    if tune:
        a.tune_profile(pa, **tune)
        b.tune_profile(pb, **tune)
    out = []

    # phase 1: open
    try:
        k1 = kill_mid_job(w, a, pa, OPEN, latency_ms=latency_ms, target="正常")
    except CliExited:
        out.append(crashed(w, "2 interrupt · B opens · resume", a))
        on_counts(out[-1])
        return out
    assert k1.pending, f"nothing left unsent when A was killed: {k1.chunks}"
    taken = k1.pending[::3][:changes]
    jb = b.action(pb, "open", taken, "--allow-non-enrolled")
    ja = a.resume(k1.job_id)
    shown = a.show(k1.job_id)
    counts = count_open(w, "2 interrupt · B opens · resume", [(a, ja), (b, jb)], [shown])
    skipped = skipped_changed(a, k1.job_id)
    not_skipped = [s for s in taken if s not in skipped]
    b_cards = {r["student_no"]: r["card_id"] for r in jb.records if r["outcome"] == "succeeded"}
    live = w.view.live_by_student()
    b_lost = [s for s, cid in b_cards.items()
              if [c.card_id for c in live.get(s, [])] != [cid]]
    counts.extra.update(b_changed=len(taken), b_succeeded=len(b_cards),
                        changed_not_skipped=len(not_skipped), b_card_replaced=len(b_lost),
                        killed_chunks=dict(Counter(k1.chunks.values())))
    counts.examples.update(changed_not_skipped=not_skipped, b_card_replaced=b_lost)
    out.append(counts)
    on_counts(counts)

    # phase 2: freeze, B cancels
    freeze = ("freeze", "--yes", "--format", "json")
    try:
        k2 = kill_mid_job(w, a, pa, freeze, latency_ms=latency_ms, target="冻结")
    except CliExited:
        out.append(crashed(w, "2 interrupt · B cancels · resume", a))
        on_counts(out[-1])
        return out
    assert k2.pending, f"nothing left unsent when A was killed: {k2.chunks}"
    done_ok = [r.student_no for r in a.journal.records(k2.job_id) if r.outcome == "succeeded"]
    cancel_pending = k2.pending[1::3][:changes]
    cancel_done = done_ok[::5][:max(1, changes // 2)]
    jc = b.action(pb, "cancel", [*cancel_pending, *cancel_done])
    ja2 = a.resume(k2.job_id)
    shown2 = a.show(k2.job_id)
    out.append(count_cancelled(w, a, k2.job_id, jc, ja2, shown2, cancel_pending, k2,
                               cli_errors(a, b)))
    on_counts(out[-1])
    return out


def count_cancelled(w: World, a: Pc, job_id: int, cancel_job: Job, printed: Job, shown: Job,
                    cancel_pending: Sequence[str], killed: Killed, errors: list[str],
                    scenario: str = "2 interrupt · B cancels · resume") -> Counts:
    cards = w.view.cards()
    status = {c.card_id: c.status for c in cards}
    live: dict[str, list[str]] = {}
    for c in cards:
        if c.status in LIVE:
            live.setdefault(c.student_no, []).append(c.card_id)
    cancelled = {r["student_no"]: r["card_id"] for r in cancel_job.records
                 if r["outcome"] == "succeeded"}
    revived = sorted(f"{no}:{cid}={status.get(cid)}" for no, cid in cancelled.items()
                     if status.get(cid) != CANCELLED)
    live_again = sorted(f"{no}:{live[no]}" for no in cancelled if live.get(no))
    skipped = skipped_changed(a, job_id)
    not_skipped = [s for s in cancel_pending if s not in skipped]
    dup = sorted(no for no, ids in live.items() if len(ids) > 1)
    final = printed.by_student()
    frozen_wrong = [no for no, r in final.items() if r["outcome"] == "succeeded"
                    and status.get(r["card_id"]) != "冻结" and no not in cancelled]
    return Counts(
        w.backend, scenario, len(w.students), len(dup), len(revived),
        len(skipped), len(undecided(printed)),
        extra={"cli_errors": len(errors), "live_after_cancel": len(live_again),
               "b_cancelled": len(cancelled), "b_cancelled_unsent": len(cancel_pending),
               "changed_not_skipped": len(not_skipped),
               "success_not_frozen": len(frozen_wrong),
               "show_differs": len(show_differs(printed, shown)),
               "killed_chunks": dict(Counter(killed.chunks.values())),
               **dict(Counter(r["outcome"] for r in printed.records))},
        examples={"cli_errors": errors, "duplicates": dup, "revived": revived,
                  "live_after_cancel": live_again,
                  "changed_not_skipped": not_skipped,
                  "success_not_frozen": frozen_wrong, "undecided": undecided(printed),
                  "show_differs": show_differs(printed, shown)})


def lost_write_then_other_opens(w: World, a: Pc, b: Pc, *, settle_s: float | None,
                                changes: int = 30, timeout: float = 60.0) -> Counts:
    """A's open is SIGKILLed with a chunk marked sent whose write never lands (remote: held by
    the sandbox for longer than the test; local: waiting for the database's write lock); B
    then opens some of that chunk's students and A resumes. The cards there are B's: A must
    skip those students (changed_by_other / opened_by_other), not report B's card as its own
    成功 — exactly one operator sees 成功 per student."""
    pa, pb = add_profiles((a, b), w.backend, w.target, settle_s=settle_s)
    scenario = "2b lost write · B opens · resume"
    ids = a.home / "lost-ids.txt"
    ids.write_text("\n".join(w.students) + "\n", encoding="utf-8")
    argv = ("--profile", pa, *OPEN, "--ids", str(ids))
    before = a.journal.latest_job()
    try:
        if w.backend == "local":
            job_id = _local_step_to_second_chunk(w, a, a.start(*argv), "正常", before)
        else:
            job_id, _held = _kill_while_held(w, a, argv, before, 0.0, timeout)
    except CliExited:
        return crashed(w, scenario, a)
    chunks = a.journal.chunk_states(job_id)
    unlanded = [r.student_no for r in a.journal.records(job_id)
                if r.chunk_seq is not None and chunks[r.chunk_seq] == "sent"]
    live = w.view.live_by_student()
    assert unlanded and not any(live.get(s) for s in unlanded), "the sent chunk has landed"
    taken = unlanded[::2][:changes]
    jb = b.action(pb, "open", taken, "--allow-non-enrolled")
    ja = a.resume(job_id)
    counts = count_open(w, scenario, [(a, ja), (b, jb)], [a.show(job_id)])
    skipped = skipped_changed(a, job_id)
    not_skipped = [s for s in taken if s not in skipped]
    counts.extra.update(b_changed=len(taken), changed_not_skipped=len(not_skipped),
                        killed_chunks=dict(Counter(chunks.values())))
    counts.examples.update(changed_not_skipped=not_skipped)
    return counts


# -- 3. SIGKILL while the sandbox holds writes in flight -------------------------------------

def held_writes(w: World, a: Pc, *, hold_s: float, settle_s: float | None,
                latency_ms: float = 20.0, timeout: float = 60.0) -> Counts:
    """A opens every student; the sandbox holds its card-creating writes (fault "timeout",
    applied after ``hold_s``); A is SIGKILLed while they are held and ``jobs resume`` runs at
    once. After the held writes have landed: no student has two live cards.

    Local (no server to hold a write): A's chunk 1 is committed to the database while its
    journal is held locked, so the write has landed and the journal does not know it; A is
    SIGKILLed there and resumed."""
    pa = add_backend_profile(a, w.backend, w.target, settle_s=settle_s)
    ids = a.home / "held-ids.txt"
    ids.write_text("\n".join(w.students) + "\n", encoding="utf-8")
    argv = ("--profile", pa, *OPEN, "--ids", str(ids))
    before = a.journal.latest_job()
    scenario = "3 SIGKILL while writes are held"
    try:
        job_id, held = _kill_while_held(w, a, argv, before, latency_ms, timeout)
    except CliExited:
        return crashed(w, scenario, a)
    chunks = dict(Counter(a.journal.chunk_states(job_id).values()))
    ja = a.resume(job_id)
    if w.control is not None:
        control = w.control
        assert control.wait_landed(hold_s + 30), "the held writes did not land"
    shown = a.show(job_id)
    counts = count_open(w, scenario, [(a, ja)], [shown])
    counts.extra.update(held_writes=held, killed_chunks=chunks)
    return counts


def _kill_while_held(w: World, a: Pc, argv: Sequence[str], before: int | None,
                     latency_ms: float, timeout: float) -> tuple[int, int]:
    """Start A, SIGKILL it while the sandbox holds one of its writes; (job id, writes held)."""
    if w.backend == "local":
        return _local_landed_unjournalled(w, a, a.start(*argv), before), 1
    control = w.control
    assert control is not None
    w.set_latency(latency_ms)
    control.set_faults(["timeout"], 1.0, endpoints=[CREATE_ENDPOINT[w.backend]])
    proc = a.start(*argv)
    job_id = wait_for(lambda: _has_job(a, proc, before), timeout,
                      "A's job in its journal")
    wait_for(lambda: _alive(a, proc) or control.held() >= 1, timeout,
             "a write held by the sandbox")
    a.kill(proc)
    held = control.counters().faults.get("timeout", 0)
    control.clear_faults()
    assert held >= 1 and control.held() >= 1, "the held write was no longer held when A died"
    return int(job_id), held


# -- soak: the same checks through random SIGKILLs and injected faults -----------------------

def chaos_job(w: World, pc: Pc, argv: Sequence[str], rng: random.Random, kills: int,
              between: Callable[[int, int], None] | None = None,
              timeout: float = 900.0) -> tuple[int, Job, Killed | None]:
    """Run ``argv`` on ``pc`` and SIGKILL it ``kills`` times, each at a random point of its
    progress as its journal shows it (chunks done), with ``jobs resume`` right after each
    kill; then resume until the job is finished. ``between(job_id, kill_no)`` runs while the
    CLI is dead after each kill. Returns (job id, ``jobs show``, the state at the first
    kill)."""
    before = pc.journal.latest_job()
    proc = pc.start(*argv)
    job_id = int(wait_for(lambda: _job_or_exit(pc, proc, before), timeout, "the job"))
    first: Killed | None = None
    running: subprocess.Popen[str] | None = proc
    for n in range(kills):
        assert running is not None
        done, total = _progress(pc, job_id)
        # the first kill in the first half (so that some chunks are still unsent), the
        # others anywhere, also after the last chunk
        last = max(done + 1, total // 2) if n == 0 else total
        target = rng.randint(min(done + 1, total), min(last, total))

        def reached(t: int = target, p: subprocess.Popen[str] = running) -> bool:
            return p.poll() is not None or _progress(pc, job_id)[0] >= t

        wait_for(reached, timeout, f"{pc.name}'s job {job_id} to reach {target} chunks")
        if running.poll() is not None:  # it ended by itself first
            _collect(pc, running, f"job {job_id}")
        else:
            pc.kill(running)
            if first is None:
                first = _killed_state(pc, job_id)
        running = None
        if between is not None:
            between(job_id, n)
        if pc.journal.job(job_id).state != "running":
            break
        running = pc.start("jobs", "resume", str(job_id), "--format", "json")
    for _attempt in range(10):
        if running is not None:
            _collect(pc, running, f"job {job_id}", timeout)
        if pc.journal.job(job_id).state != "running":
            break
        running = pc.start("jobs", "resume", str(job_id), "--format", "json")
    return job_id, pc.show(job_id), first


def _job_or_exit(pc: Pc, proc: subprocess.Popen[str], before: int | None) -> int | None:
    job = pc.journal.latest_job()
    if job is not None and job != before and pc.journal.chunk_states(job):
        return job
    if proc.poll() is not None:
        _collect(pc, proc, "the job's start")
        raise CliExited(f"[{pc.name}] exited before making its job")
    return None


def _progress(pc: Pc, job_id: int) -> tuple[int, int]:
    states = Counter(pc.journal.chunk_states(job_id).values())
    return states["done"], sum(states.values())


def _killed_state(pc: Pc, job_id: int) -> Killed:
    chunks = pc.journal.chunk_states(job_id)
    records = pc.journal.records(job_id)
    return Killed(job_id, chunks,
                  [r.student_no for r in records if r.chunk_seq is not None
                   and chunks.get(r.chunk_seq) == "pending"],
                  [r.student_no for r in records if r.outcome is not None])


def _collect(pc: Pc, proc: subprocess.Popen[str], what: str, timeout: float = 60.0) -> None:
    """Wait for a CLI that is ending by itself; a crash (not exit 0/1, a traceback) is noted."""
    _out, err = proc.communicate(timeout=timeout)
    if proc.returncode not in (0, 1) or "Traceback" in err:
        pc.errors.append(f"[{pc.name}] {what} exited {proc.returncode}: {tail(err)}")


def _profiles(w: World, pcs: Sequence[Pc], settle_s: float | None, timeout_s: float | None,
              tune: dict[str, Any] | None) -> list[str]:
    control = w.control
    faults = control.faults if control is not None else ((), 0.0, "writes")
    if control is not None:  # profiles add tests the connection: not through the faults
        control.clear_faults()
    try:
        names = add_profiles(pcs, w.backend, w.target, settle_s=settle_s,
                             timeout_s=timeout_s)
    finally:
        if control is not None:
            control.set_faults(faults[0], faults[1], scope=faults[2])
    for pc, name in zip(pcs, names, strict=True):
        if tune:
            pc.tune_profile(name, **tune)
    return names


def soak_two_operators(w: World, a: Pc, b: Pc, rng: random.Random, *, kills: int,
                       settle_s: float | None, timeout_s: float | None,
                       tune: dict[str, Any] | None = None) -> Counts:
    """Both open every student at the same moment; each is SIGKILLed ``kills`` times at random
    points and resumed."""
    pa, pb = _profiles(w, (a, b), settle_s, timeout_s, tune)
    results: dict[str, tuple[int, Job, Killed | None]] = {}
    seeds = {"A": rng.random(), "B": rng.random()}

    def drive(pc: Pc, profile: str) -> None:
        ids = pc.home / "soak-open.txt"
        ids.write_text("\n".join(w.students) + "\n", encoding="utf-8")
        results[pc.name] = chaos_job(w, pc, ("--profile", profile, *OPEN, "--ids", str(ids)),
                                     random.Random(seeds[pc.name]), kills)

    threads = [threading.Thread(target=drive, args=(pc, p)) for pc, p in ((a, pa), (b, pb))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(results) == {"A", "B"}, "a driver thread failed; see the output above"
    _settled(w)
    return count_open(w, "soak 1 two operators + SIGKILLs", [(a, results["A"][1]),
                                                          (b, results["B"][1])])


def soak_freeze_cancel(w: World, a: Pc, b: Pc, rng: random.Random, *, kills: int,
                       settle_s: float | None, timeout_s: float | None,
                       tune: dict[str, Any] | None = None, changes: int = 100) -> Counts:
    """After the soak's opens: A freezes everyone, SIGKILLed ``kills`` times; after the first
    kill B cancels some students A has not sent yet and some it has frozen."""
    pa, pb = _profiles(w, (a, b), settle_s, timeout_s, tune)
    ids = a.home / "soak-freeze.txt"
    ids.write_text("\n".join(w.students) + "\n", encoding="utf-8")
    cancelled: dict[str, Any] = {}

    def b_cancels(job_id: int, n: int) -> None:
        if n != 0:
            return
        state = _killed_state(a, job_id)
        done_ok = [r.student_no for r in a.journal.records(job_id) if r.outcome == "succeeded"]
        pending = state.pending[::3][:changes]
        cancelled["pending"] = pending
        cancelled["job"] = b.action(pb, "cancel", [*pending, *done_ok[::7][:changes // 2]])

    job_id, shown, first = chaos_job(
        w, a, ("--profile", pa, "freeze", "--yes", "--format", "json", "--ids", str(ids)),
        rng, max(1, kills), between=b_cancels)
    _settled(w)
    assert first is not None and "job" in cancelled, "A finished before its first kill"
    return count_cancelled(w, a, job_id, cancelled["job"], shown, shown, cancelled["pending"],
                           first, cli_errors(a, b), "soak 2 freeze, B cancels + SIGKILLs")


def _settled(w: World) -> None:
    """Wait until the sandbox holds no write any more (held "timeout" faults land)."""
    control = w.control
    if control is not None:
        assert control.wait_landed(120), "the held writes did not land"
