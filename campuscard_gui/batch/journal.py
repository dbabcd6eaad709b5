"""The job journal: an SQLite file that records every job, chunk and record outcome.

It is what makes design.md §5 hold. A job's whole plan is stored in one transaction before
anything is sent; a chunk is marked ``sent`` (committed) before the connector is called; the
answer (every record's outcome and the chunk ``done``) is committed in one transaction. So after
a crash, a chunk is either ``pending`` (never sent), ``sent`` (maybe applied: reconcile before
sending again) or ``done`` (outcomes known).

Tables: ``jobs``, ``chunks`` (one idempotency key per chunk, reused on every resend) and
``records`` (one row per planned student, in plan order: writes first, then planned skips).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..core.errors import CampusCardError
from ..core.model import Action, CardStatus
from ..core.outcomes import Outcome, OutcomeKind
from ..core.plan import Plan
from .jobs import (
    ChunkInfo,
    ChunkState,
    JobInfo,
    JobRecord,
    JobState,
    PendingWrite,
    outcome_columns,
    outcome_from_row,
)
from .liveness import process_alive, this_host

SCHEMA_VERSION = 2  # 2: chunks.open_ms

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at    REAL    NOT NULL,
    finished_at   REAL,
    operator      TEXT    NOT NULL,
    profile       TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    state         TEXT    NOT NULL,
    chunk_size    INTEGER NOT NULL,
    parent_job_id INTEGER REFERENCES jobs(id),
    total         INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS job_claims (  -- which process is running a job right now
    job_id  INTEGER PRIMARY KEY REFERENCES jobs(id),
    host    TEXT    NOT NULL,
    pid     INTEGER NOT NULL,
    since   REAL    NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    job_id          INTEGER NOT NULL REFERENCES jobs(id),
    seq             INTEGER NOT NULL,
    idempotency_key TEXT    NOT NULL UNIQUE,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'done')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    sent_at         REAL,
    done_at         REAL,
    open_ms         INTEGER,  -- the open time (ms) every send of the chunk's opens carries
    PRIMARY KEY (job_id, seq)
);
CREATE TABLE IF NOT EXISTS records (
    job_id            INTEGER NOT NULL REFERENCES jobs(id),
    position          INTEGER NOT NULL,
    chunk_seq         INTEGER,              -- NULL for a planned skip
    student_no        TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    card_id           TEXT    NOT NULL DEFAULT '',  -- to update (open: the cancelled card, or '')
    revision          TEXT    NOT NULL DEFAULT '',
    student_record_id TEXT    NOT NULL DEFAULT '',
    from_status       TEXT,                 -- NULL for a planned skip
    outcome           TEXT,                 -- NULL = not decided yet
    code              TEXT,
    message           TEXT,
    reason            TEXT,
    detail            TEXT,
    result_card_id    TEXT,
    PRIMARY KEY (job_id, position)
);
CREATE INDEX IF NOT EXISTS records_by_chunk ON records (job_id, chunk_seq);
"""


_JOB_COLUMNS = (
    "id, created_at, finished_at, operator, profile, action, state, total, parent_job_id,"
    " chunk_size"
)
# One pass over a job's records: succeeded, failed, skipped, cancelled, pending.
_COUNTS_SQL = (
    "SELECT COALESCE(SUM(outcome = 'succeeded'), 0), COALESCE(SUM(outcome = 'failed'), 0),"
    " COALESCE(SUM(outcome = 'skipped'), 0), COALESCE(SUM(outcome = 'cancelled'), 0),"
    " COALESCE(SUM(outcome IS NULL), 0) FROM records WHERE job_id = ?"
)


def _job_from_row(row: Sequence[Any], counts: Sequence[Any]) -> JobInfo:
    (job_id, created, finished, operator, profile, action, state, total, parent,
     chunk_size) = row
    succeeded, failed, skipped, cancelled, pending = counts
    return JobInfo(
        job_id=int(job_id),
        created_at=float(created),
        finished_at=None if finished is None else float(finished),
        operator=str(operator),
        profile=str(profile),
        action=Action(action),
        state=JobState(state),
        total=int(total),
        succeeded=int(succeeded),
        failed=int(failed),
        skipped=int(skipped),
        cancelled=int(cancelled),
        pending=int(pending),
        parent_job_id=None if parent is None else int(parent),
        chunk_size=int(chunk_size),
    )


class Journal:
    """The journal file. Thread-safe: one connection, every call under one lock."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(
                str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise self._unusable(exc) from exc
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._create_schema()
        except BaseException as exc:
            self._conn.close()
            if isinstance(exc, sqlite3.Error):
                raise self._unusable(exc) from exc
            raise

    def _unusable(self, exc: sqlite3.Error) -> CampusCardError:
        return CampusCardError(f"任务日志无法打开：{self.path}（{exc}）", code="journal")

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT), rolled back on any exception.

        SQLite failures (disk full, locked too long, I/O) become an expected CampusCardError:
        the transaction did not happen, so the journal still tells the truth.
        """
        with self._reading():
            cur = self._conn.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE")
                yield cur
                cur.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.rollback()
                raise
            finally:
                cur.close()

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Hold the lock; translate SQLite failures into an expected error."""
        with self._lock:
            try:
                yield
            except sqlite3.Error as exc:
                raise CampusCardError(
                    f"任务日志读写失败：{self.path}（{exc}）", code="journal"
                ) from exc

    def _create_schema(self) -> None:
        with self._lock:
            version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise CampusCardError(
                    f"任务日志来自更新的版本，无法使用：{self.path}", code="journal"
                )
            # executescript commits on its own; the statements are idempotent.
            self._conn.executescript(_SCHEMA)
            columns = {row[1] for row in self._conn.execute("PRAGMA table_info(chunks)")}
            if "open_ms" not in columns:  # a version 1 journal
                self._conn.execute("ALTER TABLE chunks ADD COLUMN open_ms INTEGER")
            self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------

    def create_job(
        self,
        plan: Plan,
        *,
        profile: str,
        operator: str,
        chunk_size: int,
        parent_job_id: int | None = None,
    ) -> int:
        """Store the whole plan in one transaction and return the new job's id.

        Writes are split into chunks of ``chunk_size`` (each with a fresh uuid4 idempotency
        key); planned skips get their Skipped outcome at once.
        """
        if chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        now = time.time()
        with self._tx() as cur:
            cur.execute(
                "INSERT INTO jobs (created_at, operator, profile, action, state, chunk_size,"
                " parent_job_id, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (now, operator, profile, plan.action.value, JobState.RUNNING.value, chunk_size,
                 parent_job_id, plan.total),
            )
            job_id = cur.lastrowid
            assert job_id is not None
            n_chunks = (len(plan.writes) + chunk_size - 1) // chunk_size
            cur.executemany(
                "INSERT INTO chunks (job_id, seq, idempotency_key, state) VALUES (?, ?, ?, ?)",
                [(job_id, seq, str(uuid.uuid4()), ChunkState.PENDING.value)
                 for seq in range(n_chunks)],
            )
            cur.executemany(
                "INSERT INTO records (job_id, position, chunk_seq, student_no, name, card_id,"
                " revision, student_record_id, from_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(job_id, pos, pos // chunk_size, w.student_no, w.name, w.card_id, w.revision,
                  w.student_record_id, w.from_status.value)
                 for pos, w in enumerate(plan.writes)],
            )
            base = len(plan.writes)
            cur.executemany(
                "INSERT INTO records (job_id, position, chunk_seq, student_no, name, outcome,"
                " reason, detail) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)",
                [(job_id, base + i, s.student_no, s.name, OutcomeKind.SKIPPED.value,
                  s.skipped.reason.value, s.skipped.detail)
                 for i, s in enumerate(plan.skips)],
            )
        return int(job_id)

    def mark_sent(self, job_id: int, seq: int, open_ms: int | None = None) -> int | None:
        """Commit that chunk ``seq`` is about to be sent (call before the connector).

        ``open_ms``: the open time to send; the chunk keeps the first one it was given, and
        that is returned (every resend of the chunk carries the same open time)."""
        with self._tx() as cur:
            cur.execute(
                "UPDATE chunks SET state = ?, attempts = attempts + 1, sent_at = ?,"
                " open_ms = COALESCE(open_ms, ?) WHERE job_id = ? AND seq = ? AND state != ?",
                (ChunkState.SENT.value, time.time(), open_ms, job_id, seq,
                 ChunkState.DONE.value),
            )
            if cur.rowcount != 1:
                raise RuntimeError(f"chunk {job_id}/{seq} is missing or already done")
            row = cur.execute("SELECT open_ms FROM chunks WHERE job_id = ? AND seq = ?",
                              (job_id, seq)).fetchone()
        return None if row[0] is None else int(row[0])

    def finish_chunk(self, job_id: int, seq: int, outcomes: Mapping[int, Outcome]) -> None:
        """Record the outcome of every undecided record of the chunk (by position) and mark
        the chunk done, in one transaction. Every undecided record must get an outcome."""
        with self._tx() as cur:
            self._store_outcomes(cur, job_id, outcomes)
            left = cur.execute(
                "SELECT COUNT(*) FROM records WHERE job_id = ? AND chunk_seq = ?"
                " AND outcome IS NULL", (job_id, seq),
            ).fetchone()[0]
            if left:
                raise RuntimeError(f"chunk {job_id}/{seq}: {left} records without an outcome")
            cur.execute(
                "UPDATE chunks SET state = ?, done_at = ? WHERE job_id = ? AND seq = ?",
                (ChunkState.DONE.value, time.time(), job_id, seq),
            )

    def cancel_job(self, job_id: int, resolved: Mapping[int, Outcome] | None = None) -> None:
        """Store ``resolved`` outcomes, mark every record still undecided Cancelled, every
        chunk done and the job CANCELLED, in one transaction."""
        now = time.time()
        with self._tx() as cur:
            self._store_outcomes(cur, job_id, resolved or {})
            cur.execute(
                "UPDATE records SET outcome = ? WHERE job_id = ? AND outcome IS NULL",
                (OutcomeKind.CANCELLED.value, job_id),
            )
            cur.execute(
                "UPDATE chunks SET state = ?, done_at = ? WHERE job_id = ? AND state != ?",
                (ChunkState.DONE.value, now, job_id, ChunkState.DONE.value),
            )
            cur.execute(
                "UPDATE jobs SET state = ?, finished_at = ? WHERE id = ?",
                (JobState.CANCELLED.value, now, job_id),
            )

    def claim(self, job_id: int) -> None:
        """Record that this process runs ``job_id``; refuse if another live process does.

        The window and the CLI share the journal: without this, both could resume one job at
        once. A claim left by a process that has died (a crash) is taken over.
        """
        host, pid = this_host(), os.getpid()
        with self._tx() as cur:
            row = cur.execute("SELECT host, pid FROM job_claims WHERE job_id = ?",
                              (job_id,)).fetchone()
            if row is not None and row[0] == host and process_alive(int(row[1])):
                raise CampusCardError(
                    f"任务 {job_id} 正在由另一个程序执行（进程 {row[1]}），请等待其结束",
                    code="job_busy")
            if row is not None and row[0] != host:
                raise CampusCardError(
                    f"任务 {job_id} 正在由另一台电脑（{row[0]}）执行", code="job_busy")
            cur.execute("INSERT OR REPLACE INTO job_claims VALUES (?, ?, ?, ?)",
                        (job_id, host, pid, time.time()))

    def release(self, job_id: int) -> None:
        """Drop this process's claim on ``job_id`` (no-op if it holds none)."""
        with self._tx() as cur:
            cur.execute("DELETE FROM job_claims WHERE job_id = ? AND host = ? AND pid = ?",
                        (job_id, this_host(), os.getpid()))

    def finish_job(self, job_id: int) -> None:
        """Mark the job DONE (all chunks done)."""
        with self._tx() as cur:
            open_chunks = cur.execute(
                "SELECT COUNT(*) FROM chunks WHERE job_id = ? AND state != ?",
                (job_id, ChunkState.DONE.value),
            ).fetchone()[0]
            if open_chunks:
                raise RuntimeError(f"job {job_id} still has {open_chunks} unfinished chunks")
            cur.execute(
                "UPDATE jobs SET state = ?, finished_at = ? WHERE id = ?",
                (JobState.DONE.value, time.time(), job_id),
            )

    @staticmethod
    def _store_outcomes(cur: sqlite3.Cursor, job_id: int,
                        outcomes: Mapping[int, Outcome]) -> None:
        cur.executemany(
            "UPDATE records SET outcome = ?, code = ?, message = ?, reason = ?, detail = ?,"
            " result_card_id = ? WHERE job_id = ? AND position = ? AND outcome IS NULL",
            [(*outcome_columns(o), job_id, pos) for pos, o in outcomes.items()],
        )

    # -- reading ----------------------------------------------------------------------------

    def _jobs(self, where: str, params: Sequence[Any]) -> list[JobInfo]:
        with self._reading():
            rows = self._conn.execute(
                f"SELECT {_JOB_COLUMNS} FROM jobs {where}", params
            ).fetchall()
            return [_job_from_row(r, self._conn.execute(_COUNTS_SQL, (r[0],)).fetchone())
                    for r in rows]

    def job(self, job_id: int) -> JobInfo:
        jobs = self._jobs("WHERE id = ?", (job_id,))
        if not jobs:
            raise CampusCardError(f"没有编号为 {job_id} 的任务", code="no_such_job")
        return jobs[0]

    def list_jobs(self, limit: int = 500) -> list[JobInfo]:
        """Newest first."""
        return self._jobs("ORDER BY id DESC LIMIT ?", (limit,))

    def unfinished_jobs(self) -> list[JobInfo]:
        """Jobs still RUNNING (interrupted ones are offered for resume), newest first."""
        return self._jobs("WHERE state = ? ORDER BY id DESC", (JobState.RUNNING.value,))

    def records(self, job_id: int) -> list[JobRecord]:
        """Every record of the job in plan order (writes first, then planned skips)."""
        with self._reading():
            action_row = self._conn.execute(
                "SELECT action FROM jobs WHERE id = ?", (job_id,)
            ).fetchone()
            if action_row is None:
                raise CampusCardError(f"没有编号为 {job_id} 的任务", code="no_such_job")
            rows = self._conn.execute(
                "SELECT position, student_no, name, card_id, from_status, outcome, code,"
                " message, reason, detail, result_card_id FROM records WHERE job_id = ?"
                " ORDER BY position", (job_id,),
            ).fetchall()
        action = Action(action_row[0])
        out: list[JobRecord] = []
        for pos, no, name, card_id, from_status, kind, code, msg, reason, detail, res in rows:
            outcome = outcome_from_row(kind, code, msg, reason, detail, res)
            out.append(JobRecord(
                student_no=no, name=name, action=action, outcome=outcome,
                card_id=res or card_id or "", position=pos,
                from_status=None if from_status is None else CardStatus(from_status),
            ))
        return out

    def student_nos(self, job_id: int, kind: OutcomeKind) -> list[str]:
        """The 学号 of the job's records with outcome ``kind``, in plan order.

        For callers that need only the numbers (reading back what a job changed): no record
        objects are built, which matters at 100,000 records.
        """
        with self._reading():
            return [row[0] for row in self._conn.execute(
                "SELECT student_no FROM records WHERE job_id = ? AND outcome = ?"
                " ORDER BY position", (job_id, kind.value))]

    def chunks(self, job_id: int) -> list[ChunkInfo]:
        """The job's chunks in order."""
        with self._reading():
            rows = self._conn.execute(
                "SELECT seq, idempotency_key, state, attempts, sent_at, open_ms FROM chunks"
                " WHERE job_id = ? ORDER BY seq", (job_id,),
            ).fetchall()
        return [ChunkInfo(job_id, seq, key, ChunkState(state), attempts,
                          None if sent is None else float(sent),
                          None if opened is None else int(opened))
                for seq, key, state, attempts, sent, opened in rows]

    def sent_at(self, job_id: int, seq: int) -> float | None:
        """When chunk ``seq`` was last sent (epoch seconds), None if never."""
        with self._reading():
            row = self._conn.execute("SELECT sent_at FROM chunks WHERE job_id = ? AND seq = ?",
                                     (job_id, seq)).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def pending_writes(self, job_id: int, seq: int) -> list[PendingWrite]:
        """The chunk's records whose outcome is not known yet, in order."""
        with self._reading():
            rows = self._conn.execute(
                "SELECT position, student_no, name, card_id, revision, student_record_id,"
                " from_status FROM records WHERE job_id = ? AND chunk_seq = ?"
                " AND outcome IS NULL ORDER BY position", (job_id, seq),
            ).fetchall()
        return [PendingWrite(pos, no, name, card_id, rev, rec_id, CardStatus(fs))
                for pos, no, name, card_id, rev, rec_id, fs in rows]
