"""The job journal: plan storage, chunking, outcomes, counts, persistence."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from campuscard_gui.batch import ChunkState, JobState, Journal
from campuscard_gui.core.errors import CampusCardError
from campuscard_gui.core.model import Action, CardStatus
from campuscard_gui.core.outcomes import (
    Cancelled,
    Failed,
    Skipped,
    SkipReason,
    Succeeded,
)
from campuscard_gui.core.plan import Plan, PlannedSkip, PlannedWrite


def make_plan(action: Action, writes: int, skips: int = 0) -> Plan:
    plan = Plan(action)
    from_status = CardStatus.NONE if action is Action.OPEN else CardStatus.ACTIVE
    for i in range(writes):
        card_id = "" if action is Action.OPEN else f"c{i}"
        plan.writes.append(PlannedWrite(f"S{i:05d}", f"学生{i}", action, from_status, card_id,
                                        f"r{i}", f"rec{i}"))
    for i in range(skips):
        plan.skips.append(PlannedSkip(f"K{i:05d}", f"跳过{i}", Skipped(SkipReason.ALREADY_OPEN)))
    return plan


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


def test_create_job_chunks_writes_and_records_skips(journal: Journal) -> None:
    job_id = journal.create_job(make_plan(Action.FREEZE, 250, 7), profile="local",
                                operator="alice", chunk_size=100)
    chunks = journal.chunks(job_id)
    assert [c.seq for c in chunks] == [0, 1, 2]
    assert all(c.state is ChunkState.PENDING and c.attempts == 0 for c in chunks)
    keys = {c.idempotency_key for c in chunks}
    assert len(keys) == 3
    assert [len(journal.pending_writes(job_id, c.seq)) for c in chunks] == [100, 100, 50]

    info = journal.job(job_id)
    assert (info.total, info.pending, info.skipped, info.succeeded) == (257, 250, 7, 0)
    assert info.state is JobState.RUNNING and info.finished_at is None
    assert (info.operator, info.profile, info.action) == ("alice", "local", Action.FREEZE)
    assert info.chunk_size == 100 and info.parent_job_id is None

    records = journal.records(job_id)
    assert [r.student_no for r in records[:2]] == ["S00000", "S00001"]
    assert records[0].outcome is None and records[0].card_id == "c0"
    assert records[0].from_status is CardStatus.ACTIVE
    assert records[-1].outcome == Skipped(SkipReason.ALREADY_OPEN)
    assert records[-1].from_status is None
    first = journal.pending_writes(job_id, 0)[0]
    assert (first.card_id, first.revision, first.student_record_id) == ("c0", "r0", "rec0")


@pytest.mark.parametrize(("writes", "first", "sizes"), [
    (250, 20, [20, 100, 100, 30]),  # a probe, then full chunks
    (120, 20, [20, 100]),
    (15, 20, [15]),  # no fewer records than the probe: one chunk as before
    (100, 20, [20, 80]),
    (250, 0, [100, 100, 50]),  # no probe asked for
    (250, 100, [100, 100, 50]),  # a probe as big as a chunk is just the first chunk
])
def test_a_job_can_start_with_a_small_probe_chunk(journal: Journal, writes: int, first: int,
                                                 sizes: list[int]) -> None:
    job_id = journal.create_job(make_plan(Action.FREEZE, writes), profile="p", operator="o",
                                chunk_size=100, first_chunk=first)
    chunks = journal.chunks(job_id)
    assert [c.seq for c in chunks] == list(range(len(sizes)))
    pending = [journal.pending_writes(job_id, c.seq) for c in chunks]
    assert [len(p) for p in pending] == sizes
    assert [w.position for p in pending for w in p] == list(range(writes))  # in order


def test_every_job_gets_fresh_keys(journal: Journal) -> None:
    a = journal.create_job(make_plan(Action.OPEN, 10), profile="p", operator="o", chunk_size=3)
    b = journal.create_job(make_plan(Action.OPEN, 10), profile="p", operator="o", chunk_size=3)
    keys_a = {c.idempotency_key for c in journal.chunks(a)}
    keys_b = {c.idempotency_key for c in journal.chunks(b)}
    assert len(keys_a) == 4 and not keys_a & keys_b


def test_skips_only_job_has_no_chunks(journal: Journal) -> None:
    job_id = journal.create_job(make_plan(Action.OPEN, 0, 3), profile="p", operator="o",
                                chunk_size=100)
    assert journal.chunks(job_id) == []
    journal.finish_job(job_id)
    info = journal.job(job_id)
    assert info.state is JobState.DONE and info.skipped == 3 and info.finished_at is not None


def test_finish_chunk_records_outcomes_in_one_go(journal: Journal) -> None:
    job_id = journal.create_job(make_plan(Action.FREEZE, 4), profile="p", operator="o",
                                chunk_size=2)
    journal.mark_sent(job_id, 0)
    assert journal.chunks(job_id)[0].state is ChunkState.SENT
    assert journal.chunks(job_id)[0].attempts == 1
    # an incomplete answer is refused and nothing is stored
    with pytest.raises(RuntimeError):
        journal.finish_chunk(job_id, 0, {0: Succeeded("c0")})
    assert journal.job(job_id).pending == 4
    journal.finish_chunk(job_id, 0, {0: Succeeded("c0"), 1: Failed("E1", "失败了")})
    assert journal.chunks(job_id)[0].state is ChunkState.DONE
    with pytest.raises(RuntimeError):
        journal.mark_sent(job_id, 0)  # a done chunk is never sent again
    info = journal.job(job_id)
    assert (info.succeeded, info.failed, info.pending) == (1, 1, 2)
    recs = journal.records(job_id)
    assert recs[1].outcome == Failed("E1", "失败了")
    with pytest.raises(RuntimeError):
        journal.finish_job(job_id)  # chunk 1 is still open


def test_cancel_job_marks_the_rest(journal: Journal) -> None:
    job_id = journal.create_job(make_plan(Action.OPEN, 5, 1), profile="p", operator="o",
                                chunk_size=2)
    journal.mark_sent(job_id, 0)
    journal.finish_chunk(job_id, 0, {0: Succeeded("n0"), 1: Succeeded("n1")})
    journal.mark_sent(job_id, 1)
    journal.cancel_job(job_id, {2: Succeeded("n2")})
    info = journal.job(job_id)
    assert info.state is JobState.CANCELLED and info.finished_at is not None
    assert (info.succeeded, info.cancelled, info.skipped, info.pending) == (3, 2, 1, 0)
    assert all(c.state is ChunkState.DONE for c in journal.chunks(job_id))
    recs = journal.records(job_id)
    assert recs[2].card_id == "n2" and recs[3].outcome == Cancelled()
    assert journal.unfinished_jobs() == []


def test_list_and_unfinished_newest_first(journal: Journal) -> None:
    ids = [journal.create_job(make_plan(Action.OPEN, 1), profile="p", operator="o",
                              chunk_size=10) for _ in range(3)]
    journal.cancel_job(ids[1])
    assert [j.job_id for j in journal.list_jobs()] == ids[::-1]
    assert [j.job_id for j in journal.list_jobs(limit=2)] == ids[:0:-1]
    assert [j.job_id for j in journal.unfinished_jobs()] == [ids[2], ids[0]]
    child = journal.create_job(make_plan(Action.OPEN, 1), profile="p", operator="o",
                               chunk_size=10, parent_job_id=ids[0])
    assert journal.job(child).parent_job_id == ids[0]


def test_unknown_job_is_an_expected_error(journal: Journal) -> None:
    with pytest.raises(CampusCardError):
        journal.job(999)
    with pytest.raises(CampusCardError):
        journal.records(999)


def test_persists_across_instances_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal(path) as j:
        job_id = j.create_job(make_plan(Action.CANCEL, 3), profile="p", operator="o",
                              chunk_size=2)
        j.mark_sent(job_id, 0)
    with Journal(path) as j:
        assert j.chunks(job_id)[0].state is ChunkState.SENT
        assert j.unfinished_jobs()[0].job_id == job_id
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_not_a_database_is_moved_aside_and_said(tmp_path: Path) -> None:
    """(More cases in test_journal_migrations.py.) Never silently replaced."""
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not sqlite" * 100)
    with Journal(bad) as j:
        assert j.list_jobs() == []
        assert j.notice is not None and "bad.sqlite3.broken-" in j.notice
    (aside,) = tmp_path.glob("bad.sqlite3.broken-*")
    assert aside.read_bytes() == b"this is not sqlite" * 100


def test_an_unopenable_journal_is_an_expected_error(tmp_path: Path) -> None:
    with pytest.raises(CampusCardError) as err:
        Journal(tmp_path)  # a folder
    assert err.value.code == "journal"


def test_thread_safe_writes(journal: Journal) -> None:
    job_id = journal.create_job(make_plan(Action.FREEZE, 40), profile="p", operator="o",
                                chunk_size=1)
    errors: list[BaseException] = []

    def work(seqs: range) -> None:
        try:
            for seq in seqs:
                journal.mark_sent(job_id, seq)
                journal.finish_chunk(job_id, seq, {seq: Succeeded(f"c{seq}")})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(range(i, 40, 4),)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert journal.job(job_id).succeeded == 40


def test_sqlite_failures_are_expected_errors(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.sqlite3")
    job_id = j.create_job(make_plan(Action.OPEN, 2), profile="p", operator="o", chunk_size=2)
    j.close()
    with pytest.raises(CampusCardError) as err:
        j.job(job_id)
    assert err.value.code == "journal"
    with pytest.raises(CampusCardError):
        j.mark_sent(job_id, 0)


def test_student_nos_by_outcome(tmp_path):
    from campuscard_gui.core.outcomes import OutcomeKind

    journal = Journal(tmp_path / "j.sqlite3")
    plan = make_plan(Action.FREEZE, writes=3, skips=2)
    job_id = journal.create_job(plan, profile="local", operator="t", chunk_size=10)
    assert journal.student_nos(job_id, OutcomeKind.SKIPPED) == ["K00000", "K00001"]
    assert journal.student_nos(job_id, OutcomeKind.SUCCEEDED) == []
    journal.close()


def test_a_version_1_journal_gains_the_open_time_column(tmp_path):
    """Journals written before chunks.open_ms existed open, keep their jobs and gain it."""
    import sqlite3

    path = tmp_path / "v1.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE chunks (job_id INTEGER NOT NULL, seq INTEGER NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE, state TEXT NOT NULL, attempts INTEGER NOT
            NULL DEFAULT 0, sent_at REAL, done_at REAL, PRIMARY KEY (job_id, seq));
        PRAGMA user_version=1;""")
    conn.close()
    with Journal(path) as journal:
        assert journal.list_jobs() == []
    conn = sqlite3.connect(path)
    try:
        assert "open_ms" in {r[1] for r in conn.execute("PRAGMA table_info(chunks)")}
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    finally:
        conn.close()


def test_every_send_of_a_chunk_carries_its_first_open_time(tmp_path):
    from campuscard_gui.core.model import Action, Student, StudentRow, StudentStatus
    from campuscard_gui.core.plan import plan_action

    rows = [StudentRow(Student(f"S{i}", "n", "c", "k", StudentStatus.ENROLLED))
            for i in range(3)]
    with Journal(tmp_path / "j.sqlite3") as journal:
        job = journal.create_job(plan_action(Action.OPEN, rows), profile="p", operator="o",
                                 chunk_size=10)
        assert journal.mark_sent(job, 0, 111) == 111
        assert journal.mark_sent(job, 0, 222) == 111
        assert journal.chunks(job)[0].open_ms == 111
