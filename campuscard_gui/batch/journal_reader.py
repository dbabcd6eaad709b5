"""Reading a job's records from the journal a page at a time (no Qt here).

The results table of a 100,000-record job does not hold 100,000 ``JobRecord`` objects (about
40 MB, built again by every live re-read while the job runs): it holds the positions it shows
and asks for the records of the rows painted (``JobRecords.at``). ``JournalReader`` reads on a
connection of its own, so the window's page reads never wait for the runner's commits (the
journal is in WAL mode: readers and the writer do not block each other), and the runner never
waits for them.

Every record is read the way ``Journal.records`` reads it (``decode_record``): a value the
program does not know is a Failed("unknown_value") record, never one of the outcomes.
``KIND_SQL`` gives the same outcome kind inside SQLite, so counting a 100,000-record job's
outcomes, or picking the records of one outcome, builds no record and keeps no row in Python
(tests/test_journal_reader.py checks that the two agree on every combination).
"""

from __future__ import annotations

import sqlite3
import threading
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..core.errors import CampusCardError
from ..core.model import Action, CardStatus
from ..core.outcomes import OutcomeKind, SkipReason
from ..core.text import _
from .jobs import JobRecord, outcome_from_row, unknown_outcome, unknown_value

_REASONS = frozenset(r.value for r in SkipReason)
_FROM = frozenset(c.value for c in CardStatus)
_ACTIONS = frozenset(a.value for a in Action)
_KINDS = {k.value: k for k in OutcomeKind}

def _sql_list(values: frozenset[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values))


# ``decode_record``'s outcome kind in SQL: counting and picking by kind inside SQLite (no row
# reaches Python; the GIL is let go while SQLite works: a 100,000-row count holds up no one).
KIND_SQL = (
    "CASE"
    f" WHEN (from_status IS NULL OR from_status NOT IN ({_sql_list(_FROM)}))"
    " AND (chunk_seq IS NOT NULL OR from_status IS NOT NULL) THEN 'failed'"
    " WHEN outcome IS NULL THEN NULL"
    f" WHEN outcome = 'skipped' AND (reason IS NULL OR reason NOT IN ({_sql_list(_REASONS)}))"
    " THEN 'failed'"
    f" WHEN outcome IN ({_sql_list(frozenset(_KINDS))}) THEN outcome"
    " ELSE 'failed' END"
)

RECORD_COLUMNS = ("position, student_no, name, card_id, from_status, outcome, code, message,"
                  " reason, detail, result_card_id, chunk_seq")
IN_LIST_MAX = 500  # positions per ``IN (…)`` query (SQLite allows 32,766 variables)
SCAN_BLOCK = 5_000  # records per query of a whole-job scan (the lock is let go between)


def decode_record(action: Action, row: Sequence[Any]) -> JobRecord:
    """A record from its ``RECORD_COLUMNS`` row."""
    pos, no, name, card_id, from_status, kind, code, msg, reason, detail, res, seq = row
    outcome = outcome_from_row(kind, code, msg, reason, detail, res)
    status: CardStatus | None = None
    if from_status in _FROM:
        status = CardStatus(from_status)
    elif seq is not None or from_status is not None:
        outcome = unknown_outcome(f"from_status={from_status!r}")
    return JobRecord(student_no=str(no or ""), name=str(name or ""), action=action,
                     outcome=outcome, card_id=res or card_id or "", position=int(pos),
                     from_status=status)


class JournalReader:
    """Reads records on one connection under its own lock (any thread)."""

    def __init__(self, conn: sqlite3.Connection, path: Path,
                 lock: threading.RLock | None = None, *, owned: bool = True) -> None:
        self._conn = conn
        self.path = path
        self._lock = lock if lock is not None else threading.RLock()
        self._owned = owned  # close the connection with the reader
        self._actions: dict[int, Action] = {}

    @classmethod
    def open(cls, path: Path) -> JournalReader:
        """A reader on a read-only connection of its own (sqlite3.Error if it cannot open)."""
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        return cls(conn, Path(path))

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock; SQLite failures become an expected CampusCardError."""
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise CampusCardError(
                    _("任务日志读写失败：{path}（{exc}）").format(
                        path=self.path, exc=exc), code="journal"
                ) from exc

    def close(self) -> None:
        if self._owned:
            with self._lock:
                self._conn.close()

    def action(self, job_id: int) -> Action:
        """The job's action (CampusCardError: no such job, or an action unknown here)."""
        if job_id in self._actions:
            return self._actions[job_id]
        with self.reading() as conn:
            row = conn.execute("SELECT action FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise CampusCardError(_("没有编号为 {job_id} 的任务").format(
                job_id=job_id), code="no_such_job")
        if row[0] not in _ACTIONS:
            raise unknown_value(_("任务 {job_id}").format(job_id=job_id), [f"action={row[0]!r}"])
        self._actions[job_id] = Action(row[0])
        return self._actions[job_id]

    def records(self, job_id: int, positions: Sequence[int] | None = None) -> list[JobRecord]:
        """The job's records at ``positions``, in that order (missing ones left out); every
        record in plan order when ``positions`` is None. A ``range`` is read as one."""
        action = self.action(job_id)
        if positions is None:
            return [rec for block in self.scan(job_id) for rec in block]
        if isinstance(positions, range) and positions.step == 1:
            return [rec for block in self.scan(job_id, positions.start, positions.stop)
                    for rec in block]
        found: dict[int, JobRecord] = {}
        for start in range(0, len(positions), IN_LIST_MAX):
            part = positions[start:start + IN_LIST_MAX]
            marks = ",".join("?" * len(part))
            with self.reading() as conn:
                rows = conn.execute(
                    f"SELECT {RECORD_COLUMNS} FROM records WHERE job_id = ?"  # noqa: S608
                    f" AND position IN ({marks})", (job_id, *part)).fetchall()
            for row in rows:
                found[int(row[0])] = decode_record(action, row)
        return [found[p] for p in positions if p in found]

    def scan(self, job_id: int, start: int = 0, stop: int | None = None
             ) -> Iterator[list[JobRecord]]:
        """The job's records in plan order (positions ``start`` to ``stop``, the end when
        None), ``SCAN_BLOCK`` at a time: one short query each, so page reads on other threads
        are not held up by a whole-job scan."""
        action = self.action(job_id)
        after = start - 1
        end = (1 << 62) if stop is None else stop
        while True:
            with self.reading() as conn:
                rows = conn.execute(
                    f"SELECT {RECORD_COLUMNS} FROM records WHERE job_id = ?"  # noqa: S608
                    " AND position > ? AND position < ? ORDER BY position LIMIT ?",
                    (job_id, after, end, SCAN_BLOCK)).fetchall()
            if not rows:
                return
            after = int(rows[-1][0])
            yield [decode_record(action, row) for row in rows]

    def counts(self, job_id: int) -> dict[OutcomeKind | None, int]:
        """Records per outcome kind (as ``decode_record`` gives it; None: not decided yet)."""
        self.action(job_id)
        with self.reading() as conn:
            rows = conn.execute(f"SELECT {KIND_SQL} AS k, count(*) FROM records"  # noqa: S608
                                " WHERE job_id = ? GROUP BY k", (job_id,)).fetchall()
        return {None if k is None else _KINDS[k]: int(n) for k, n in rows}

    def positions_of(self, job_id: int, kind: OutcomeKind | None) -> array[int]:
        """Positions of the records of outcome ``kind`` (None: not decided yet), in plan
        order."""
        self.action(job_id)
        with self.reading() as conn:
            return array("q", (row[0] for row in conn.execute(
                f"SELECT position FROM records WHERE job_id = ? AND ({KIND_SQL}) IS ?"  # noqa: S608
                " ORDER BY position", (job_id, None if kind is None else kind.value))))

    def student_nos_of(self, job_id: int, kind: OutcomeKind | None) -> list[str]:
        """学号 of the records of outcome ``kind`` (None: not decided yet), in plan order."""
        self.action(job_id)
        with self.reading() as conn:
            return [str(row[0] or "") for row in conn.execute(
                f"SELECT student_no FROM records WHERE job_id = ? AND ({KIND_SQL}) IS ?"  # noqa: S608
                " ORDER BY position", (job_id, None if kind is None else kind.value))]

    def student_nos(self, job_id: int, positions: Sequence[int]) -> list[str]:
        """学号 of the records at ``positions``, in that order (no record is built)."""
        if isinstance(positions, range) and positions.step == 1:
            with self.reading() as conn:
                return [str(row[0] or "") for row in conn.execute(
                    "SELECT student_no FROM records WHERE job_id = ? AND position >= ?"
                    " AND position < ? ORDER BY position",
                    (job_id, positions.start, positions.stop))]
        found: dict[int, str] = {}
        for start in range(0, len(positions), IN_LIST_MAX):
            part = positions[start:start + IN_LIST_MAX]
            marks = ",".join("?" * len(part))
            with self.reading() as conn:
                found.update((int(p), str(no or "")) for p, no in conn.execute(
                    "SELECT position, student_no FROM records WHERE job_id = ?"
                    f" AND position IN ({marks})", (job_id, *part)))  # noqa: S608
        return [found[p] for p in positions if p in found]
