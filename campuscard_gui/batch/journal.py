"""The job journal: an SQLite file that records every job, chunk and record outcome.

It is what makes design.md §5 hold. A job's whole plan is stored in one transaction before
anything is sent; a chunk is marked ``sent`` (committed) before the connector is called; the
answer (every record's outcome and the chunk ``done``) is committed in one transaction. So after
a crash, a chunk is either ``pending`` (never sent), ``sent`` (maybe applied: reconcile before
sending again) or ``done`` (outcomes known).

Tables: ``jobs``, ``chunks`` (one idempotency key per chunk, reused on every resend),
``records`` (one row per planned student, in plan order: writes first, then planned skips) and
``job_claims`` (who runs a job: information only; what counts is the OS lock on
``<journal>.locks/job-<id>.lock``, see liveness.py and ``Journal.claim``).

The file's schema version is ``PRAGMA user_version`` (config/sqlite_schema.py): an older file is
backed up to ``journal.sqlite3.v<N>.bak`` and migrated in one transaction, a newer one refused; at
the current version opening writes nothing. A file that is not a database (zero length, garbage,
damaged) is renamed ``journal.sqlite3.broken-<time>`` and a new journal started, and ``notice``
says so; one that cannot be written (a full disk, a read-only folder) is opened read-only, with
a ``notice``. Values this program does not know (a state, an action, an outcome, a skip reason, a
card state) read as errors (code "journal_value", or a Failed("unknown_value") record), never as
one of the known values.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
import uuid
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..core.errors import CampusCardError
from ..core.model import Action, CardStatus
from ..core.outcomes import Outcome, OutcomeKind, SkipReason
from ..core.plan import Plan
from ..core.text import _
from .jobs import (
    ChunkInfo,
    ChunkState,
    ClaimHolder,
    JobClaimedError,
    JobInfo,
    JobRecord,
    JobState,
    PendingWrite,
    outcome_columns,
    unknown_value,
)
from .journal_file import SCHEMA, SCHEMA_VERSION, JournalFile
from .journal_reader import JournalReader
from .liveness import JobLock, process_alive, this_host

log = logging.getLogger(__name__)

__all__ = ["SCHEMA", "SCHEMA_VERSION", "Journal"]

_OUTCOMES = tuple(k.value for k in OutcomeKind)
_REASONS = tuple(r.value for r in SkipReason)
_FROM = tuple(c.value for c in CardStatus)
_ACTIONS = frozenset(a.value for a in Action)
_STATES = frozenset(s.value for s in JobState)
_CHUNK_STATES = frozenset(c.value for c in ChunkState)


def _sql_list(values: Sequence[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


# the records of a job that the program cannot read (what resume refuses to run over)
_BAD_RECORDS_SQL = (
    "SELECT position, student_no, outcome, reason, from_status, chunk_seq FROM records"
    " WHERE job_id = ? AND ("
    f" (outcome IS NOT NULL AND outcome NOT IN ({_sql_list(_OUTCOMES)}))"
    f" OR (outcome = 'skipped' AND (reason IS NULL OR reason NOT IN ({_sql_list(_REASONS)})))"
    f" OR (chunk_seq IS NOT NULL AND (from_status IS NULL"
    f"     OR from_status NOT IN ({_sql_list(_FROM)})))"
    ") ORDER BY position LIMIT ?"
)


_JOB_COLUMNS = (
    "id, created_at, finished_at, operator, profile, action, state, total, parent_job_id,"
    " chunk_size"
)
# One pass over a job's records: succeeded, failed, skipped, cancelled, pending, unknown.
# An outcome the program does not know counts as failed (and as unknown): never as cancelled.
_COUNTS_SQL = (
    "SELECT COALESCE(SUM(outcome = 'succeeded'), 0),"
    " COALESCE(SUM(outcome IS NOT NULL AND outcome NOT IN ('succeeded', 'skipped',"
    " 'cancelled')), 0),"
    " COALESCE(SUM(outcome = 'skipped'), 0), COALESCE(SUM(outcome = 'cancelled'), 0),"
    " COALESCE(SUM(outcome IS NULL), 0),"
    f" COALESCE(SUM(outcome IS NOT NULL AND outcome NOT IN ({_sql_list(_OUTCOMES)})), 0)"
    " FROM records WHERE job_id = ?"
)


def _job_from_row(row: Sequence[Any], counts: Sequence[Any]) -> JobInfo:
    """A job from its row; CampusCardError(code="journal_value") naming what is unreadable."""
    (job_id, created, finished, operator, profile, action, state, total, parent,
     chunk_size) = row
    succeeded, failed, skipped, cancelled, pending, unknown = counts
    bad = [f"{name}={raw!r}" for name, raw, known in (("action", action, _ACTIONS),
                                                    ("state", state, _STATES))
           if raw not in known]
    bad += [f"{name}=NULL" for name, raw in (("created_at", created), ("operator", operator),
                                            ("profile", profile), ("total", total),
                                            ("chunk_size", chunk_size)) if raw is None]
    if bad:
        raise unknown_value(_("任务 {job_id}").format(job_id=job_id), bad)
    try:
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
            unknown=int(unknown),
        )
    except (TypeError, ValueError) as exc:
        raise unknown_value(_("任务 {job_id}").format(job_id=job_id), [str(exc)]) from exc


class Journal:
    """The journal file. Thread-safe: one connection, every call under one lock.

    ``notice``: a warning for the operator about how the file was opened (None if there is
    nothing to say): a broken journal moved aside and a new one started, or a journal that
    can only be read (a full disk, a read-only folder). The CLI prints it, the window shows it.
    """

    def __init__(self, path: Path) -> None:
        opened = JournalFile(Path(path))
        self.path = opened.path
        self.notice: str | None = opened.notice
        self.read_only = opened.read_only
        self.migrated_from = opened.migrated_from  # the version the file had, if migrated
        self._conn = opened.conn
        self._lock = threading.RLock()
        self._own = JournalReader(self._conn, self.path, self._lock, owned=False)
        self._job_locks: dict[int, JobLock] = {}
        self._readers: weakref.WeakSet[JournalReader] = weakref.WeakSet()  # closed with it

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT), rolled back on any exception.

        SQLite failures (disk full, locked too long, I/O) become an expected CampusCardError:
        the transaction did not happen, so the journal still tells the truth.
        """
        self.check_writable()
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

    def check_writable(self) -> None:
        """Raise CampusCardError if the journal was opened read-only (see ``notice``)."""
        if self.read_only:
            raise CampusCardError(
                _("任务日志现在只能读取，无法写入（请腾出磁盘空间或检查文件夹权限后重试）"
                  "：{path}").format(
                    path=self.path),
                code="journal")

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Hold the lock; translate SQLite failures into an expected error."""
        with self._own.reading():
            yield

    def close(self) -> None:
        with self._lock:
            for lock in self._job_locks.values():
                lock.release()
            self._job_locks.clear()
            for reader in list(self._readers):
                reader.close()
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
        first_chunk: int = 0,
    ) -> int:
        """Store the whole plan in one transaction and return the new job's id.

        Writes are split into chunks of ``chunk_size`` (each with a fresh uuid4 idempotency
        key); planned skips get their Skipped outcome at once. ``first_chunk`` (when smaller
        than ``chunk_size``): the first chunk holds only that many records — the probe the
        runner writes and checks alone before the rest, so a broken field map spoils a few
        cards, not a whole batch, and the other chunks start sooner.
        """
        if chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        head = first_chunk if 0 < first_chunk < min(chunk_size, len(plan.writes)) else 0

        def seq_of(pos: int) -> int:
            return pos // chunk_size if not head else 0 if pos < head else \
                1 + (pos - head) // chunk_size

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
            n_chunks = seq_of(len(plan.writes) - 1) + 1 if plan.writes else 0
            cur.executemany(
                "INSERT INTO chunks (job_id, seq, idempotency_key, state) VALUES (?, ?, ?, ?)",
                [(job_id, seq, str(uuid.uuid4()), ChunkState.PENDING.value)
                 for seq in range(n_chunks)],
            )
            cur.executemany(
                "INSERT INTO records (job_id, position, chunk_seq, student_no, name, card_id,"
                " revision, student_record_id, from_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((job_id, pos, seq_of(pos), w.student_no, w.name, w.card_id, w.revision,
                  w.student_record_id, w.from_status.value)
                 for pos, w in enumerate(plan.writes)),  # streamed: no 100,000-row list
            )
            base = len(plan.writes)
            cur.executemany(
                "INSERT INTO records (job_id, position, chunk_seq, student_no, name, outcome,"
                " reason, detail) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)",
                ((job_id, base + i, s.student_no, s.name, OutcomeKind.SKIPPED.value,
                  s.skipped.reason.value, s.skipped.detail)
                 for i, s in enumerate(plan.skips)),
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

    def touch_sent(self, job_id: int, seq: int) -> None:
        """Move chunk ``seq``'s send time to now: its request left later than ``mark_sent``
        (the connector waited for a rate slot), and the settle wait counts from the real
        send."""
        with self._tx() as cur:
            cur.execute("UPDATE chunks SET sent_at = ? WHERE job_id = ? AND seq = ? AND state = ?",
                        (time.time(), job_id, seq, ChunkState.SENT.value))

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

    def cancel_job(self, job_id: int, resolved: Mapping[int, Outcome] | None = None, *,
                   sent_unknown: Outcome | None = None) -> None:
        """Store ``resolved`` outcomes, mark every record still undecided Cancelled, every
        chunk done and the job CANCELLED, in one transaction.

        ``sent_unknown``: the outcome for the undecided records of chunks that were sent (they
        may have been written; e.g. Failed("unconfirmed", …) when they could not be read back)
        instead of Cancelled, which says "not written"."""
        now = time.time()
        with self._tx() as cur:
            self._store_outcomes(cur, job_id, resolved or {})
            if sent_unknown is not None:
                cur.execute(
                    "UPDATE records SET outcome = ?, code = ?, message = ?, reason = ?,"
                    " detail = ?, result_card_id = ? WHERE job_id = ? AND outcome IS NULL"
                    " AND chunk_seq IN (SELECT seq FROM chunks WHERE job_id = ? AND state = ?)",
                    (*outcome_columns(sent_unknown), job_id, job_id, ChunkState.SENT.value))
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

    def discard_unchecked(self, job_id: int, sent_unknown: Outcome, *,
                          take_over: bool = False) -> None:
        """Give up an unfinished job without reading anything back (its backend cannot be
        reached): records of chunks that were sent get ``sent_unknown`` (they may have been
        written), the rest Cancelled. Claims the job like a run does."""
        self.claim(job_id, take_over=take_over)
        try:
            self.cancel_job(job_id, sent_unknown=sent_unknown)
        finally:
            self.release(job_id)

    def lock_path(self, job_id: int) -> Path:
        """The file whose OS lock says that a process runs ``job_id`` (beside the journal)."""
        return self.path.with_name(f"{self.path.name}.locks") / f"job-{job_id}.lock"

    def claim(self, job_id: int, *, take_over: bool = False) -> None:
        """Take the job for this process; refuse if another process runs it.

        The window and the CLI share the journal: without this, both could resume one job at
        once. A running job holds an OS lock on ``lock_path(job_id)``, which the system drops
        when its process ends in any way: a job whose lock is held is refused (JobClaimedError
        with ``can_take_over`` False), whatever ``take_over`` says. A free lock with a claim
        row of this computer was left by a process that has ended: taken at once. A claim row
        of another host name (another computer sharing the data folder, or this one renamed)
        cannot be checked: refused unless ``take_over`` (the operator confirmed), and the error
        names the holder. The job's records must all be readable (else CampusCardError).
        """
        self.check_readable(job_id)
        self.check_writable()
        with self._lock:
            if job_id in self._job_locks:
                raise self._claimed(job_id, self._holder(job_id), live=True)
            lock = JobLock(self.lock_path(job_id))
            try:
                got = lock.try_acquire()
            except OSError as exc:
                raise CampusCardError(
                    _("无法为任务 {job_id} 加锁（{value}）：{path}").format(
                        job_id=job_id, value=exc.strerror or exc, path=lock.path),
                    code="journal") from exc
            if not got:
                raise self._claimed(job_id, self._holder(job_id), live=True)
            try:
                host, pid = this_host(), os.getpid()
                with self._tx() as cur:
                    holder = self._holder_row(cur, job_id)
                    if holder is not None and holder.host != host and not take_over:
                        raise self._claimed(job_id, holder, live=False)
                    cur.execute("INSERT OR REPLACE INTO job_claims VALUES (?, ?, ?, ?)",
                                (job_id, host, pid, time.time()))
                if holder is not None and (holder.host != host or holder.pid != pid):
                    log.info("job %d taken over from %s (pid %d, since %s)%s", job_id,
                                holder.host, holder.pid, holder.since_text,
                                " after the operator confirmed" if take_over else "")
            except BaseException:
                lock.release()
                raise
            self._job_locks[job_id] = lock

    def holder(self, job_id: int) -> ClaimHolder | None:
        """Who claimed ``job_id`` last (information only; None if nobody)."""
        return self._holder(job_id)

    def _holder(self, job_id: int) -> ClaimHolder | None:
        with self._reading():
            cur = self._conn.cursor()
            try:
                return self._holder_row(cur, job_id)
            finally:
                cur.close()

    @staticmethod
    def _holder_row(cur: sqlite3.Cursor, job_id: int) -> ClaimHolder | None:
        row = cur.execute("SELECT host, pid, since FROM job_claims WHERE job_id = ?",
                          (job_id,)).fetchone()
        if row is None:
            return None
        host, pid, since = row
        return ClaimHolder(str(host or ""), int(pid or 0), float(since or 0.0),
                           host == this_host() and process_alive(int(pid or 0)))

    @staticmethod
    def _claimed(job_id: int, holder: ClaimHolder | None, *, live: bool) -> JobClaimedError:
        who = holder.describe() if holder is not None else _("另一个程序")
        if live:
            return JobClaimedError(
                _("任务 {job_id} 正在由另一个程序执行（{who}），请等待其结束").format(
                    job_id=job_id, who=who), holder,
                can_take_over=False, code="job_busy")
        return JobClaimedError(
            _("任务 {job_id} 正在由另一台电脑执行或被其占用（{who}），本程序无法确认它是否仍在运行"
              "。确认它已不再运行后，可以接管该任务").format(
                job_id=job_id, who=who),
            holder, can_take_over=True, code="job_claimed")

    def release(self, job_id: int) -> None:
        """Drop this process's claim on ``job_id`` (no-op if it holds none)."""
        with self._lock:
            lock = self._job_locks.pop(job_id, None)
            if lock is None:
                return
            try:
                with self._tx() as cur:
                    cur.execute("DELETE FROM job_claims WHERE job_id = ? AND host = ? AND pid = ?",
                                (job_id, this_host(), os.getpid()))
            finally:
                lock.release()  # the lock is what counts: it goes even if the row stays

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

    def _jobs(self, where: str, params: Sequence[Any],
              problems: list[str] | None = None) -> list[JobInfo]:
        """The jobs selected; a job row the program cannot read raises CampusCardError
        (code "journal_value"), or, with ``problems``, is left out and described there."""
        out: list[JobInfo] = []
        with self._reading():
            rows = self._conn.execute(
                f"SELECT {_JOB_COLUMNS} FROM jobs {where}", params
            ).fetchall()
            for r in rows:
                try:
                    out.append(_job_from_row(
                        r, self._conn.execute(_COUNTS_SQL, (r[0],)).fetchone()))
                except CampusCardError as exc:
                    if problems is None:
                        raise
                    problems.append(exc.message)
        return out

    def job(self, job_id: int) -> JobInfo:
        jobs = self._jobs("WHERE id = ?", (job_id,))
        if not jobs:
            raise CampusCardError(_("没有编号为 {job_id} 的任务").format(
                job_id=job_id), code="no_such_job")
        return jobs[0]

    def list_jobs(self, limit: int = 500, problems: list[str] | None = None) -> list[JobInfo]:
        """Newest first. Job rows the program cannot read are left out (and logged); pass
        ``problems`` to get a message for each."""
        found: list[str] = []
        jobs = self._jobs("ORDER BY id DESC LIMIT ?", (limit,), found)
        self._report(found, problems)
        return jobs

    def unfinished_jobs(self, problems: list[str] | None = None) -> list[JobInfo]:
        """Jobs still RUNNING (interrupted ones are offered for resume), newest first."""
        found: list[str] = []
        jobs = self._jobs("WHERE state = ? ORDER BY id DESC", (JobState.RUNNING.value,), found)
        self._report(found, problems)
        return jobs

    @staticmethod
    def _report(found: list[str], problems: list[str] | None) -> None:
        for message in found:
            log.info("journal: %s", message)
        if problems is not None:
            problems.extend(found)

    def records(self, job_id: int) -> list[JobRecord]:
        """Every record of the job in plan order (writes first, then planned skips).

        A record holding a value the program does not know (an outcome, a skip reason, a
        card state) comes back with a Failed("unknown_value", …) outcome naming it: shown as
        an error, never as one of the outcomes."""
        return self._own.records(job_id)

    def iter_records(self, job_id: int) -> Iterator[JobRecord]:
        """The job's records in plan order, read a block at a time (``records`` without
        holding them all: what the CLI prints a 100,000-record job from)."""
        for block in self._own.scan(job_id):
            yield from block

    def reader(self) -> JournalReader:
        """A reader of this journal's records on a connection of its own (the window's
        results table pages through it while the runner writes; close it when done). A
        journal opened read-only is read on its own connection instead."""
        if not self.read_only:
            try:
                opened = JournalReader.open(self.path)
            except sqlite3.Error as exc:
                log.warning("journal: no second connection for reading (%s)", exc)
            else:
                self._readers.add(opened)
                return opened
        return JournalReader(self._conn, self.path, self._lock, owned=False)

    def check_readable(self, job_id: int) -> None:
        """Raise CampusCardError (code "journal_value") naming the job's rows that hold
        values the program does not know: such a job is not run, resumed or discarded."""
        job = self.job(job_id)
        with self._reading():
            bad = self._conn.execute(_BAD_RECORDS_SQL, (job_id, 11)).fetchall()
            chunks = self._conn.execute(
                "SELECT seq, state FROM chunks WHERE job_id = ? AND state NOT IN (?, ?, ?)"
                " LIMIT 11", (job_id, *(c.value for c in ChunkState))).fetchall()
        problems = [_("记录 {pos}（学号 {no}）：").format(pos=pos, no=no) + _("，").join(
            f"{name}={raw!r}" for name, raw in (("outcome", kind), ("reason", reason),
                                                ("from_status", fs), ("chunk", seq)))
            for pos, no, kind, reason, fs, seq in bad]
        problems += [_("批次 {seq}：state={state!r}").format(
            seq=seq, state=state) for seq, state in chunks]
        if problems:
            more = "……" if len(problems) > 10 else ""
            raise CampusCardError(
                _("任务 {job_id} 在任务日志中有本程序无法识别的值，不能执行：").format(
                    job_id=job.job_id)
                + _("；").join(problems[:10]) + more
                + _("（可能来自更新版本的程序，或文件已损坏）"), code="journal_value")

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
        bad = [_("批次 {seq}：state={state!r}").format(
            seq=seq, state=state) for seq, _k, state, *_ in rows
               if state not in _CHUNK_STATES]
        if bad:
            raise unknown_value(_("任务 {job_id}").format(job_id=job_id), bad)
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
        bad = [_("记录 {pos}（学号 {no}）：from_status={fs!r}").format(pos=pos, no=no, fs=fs)
               for pos, no, *_rest, fs in rows if fs not in _FROM]
        if bad:
            raise unknown_value(_("任务 {job_id}").format(job_id=job_id), bad)
        return [PendingWrite(pos, no, name, card_id, rev, rec_id, CardStatus(fs))
                for pos, no, name, card_id, rev, rec_id, fs in rows]
