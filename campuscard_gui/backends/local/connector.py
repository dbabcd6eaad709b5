"""Local backend: students and card records in one SQLite file (the embedded default).

Tables: ``meta`` (schema version, demo flag, seed, card-id counter), ``students``, ``cards``
(a student may have several card records over time; the newest by ``(created_at, card_id)``
is the current one) and ``idempotency`` (each write chunk's answer, keyed by its idempotency
key, so a resent chunk is answered from the table and writes nothing: exactly once).

Each write chunk is one ``BEGIN IMMEDIATE`` transaction. Every thread gets its own
connection (WAL mode, busy timeout), so reads never wait for a write.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ...connectors.base import (
    Abilities,
    CardCreate,
    CardUpdate,
    Consistency,
    Limits,
    ListProgress,
    LocalDatabase,
    RecordResult,
)
from ...core.demo import card_id_for, generate_school
from ...core.errors import FatalError
from ...core.model import Card, CardStatus, Student, StudentRow, StudentStatus
from ...core.outcomes import Failed, Skipped, SkipReason, Succeeded
from ...core.text import _
from .store import SCHEMA_VERSION, build_file, db_error, init_demo, init_empty, open_db

__all__ = ["SCHEMA_VERSION", "ImportSummary", "LocalConnector", "LocalStats", "init_demo",
           "init_empty"]

_PARAMS_PER_QUERY = 500
_PROGRESS_EVERY = 10_000

# The newest card per student, joined in one pass (the index serves the correlated lookup).
_LIST_SQL = """
SELECT s.student_no, s.name, s.college, s.class_name, s.status, s.record_id,
       c.card_id, c.status, c.open_time, c.amount_cents, c.revision
FROM students AS s
LEFT JOIN cards AS c ON c.card_id = (
    SELECT card_id FROM cards WHERE student_no = s.student_no
    ORDER BY created_at DESC, card_id DESC LIMIT 1)
ORDER BY s.student_no
"""
_NEWEST_CARD_SQL = (
    "SELECT card_id, status, created_at FROM cards WHERE student_no = ? "
    "ORDER BY created_at DESC, card_id DESC LIMIT 1"
)
_STUDENT_STATUS = {s.value: s for s in StudentStatus}
_CARD_STATUS = {s.value: s for s in CardStatus}
_LIVE = (CardStatus.ACTIVE.value, CardStatus.FROZEN.value)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What ``import_students`` did: new 学号, changed students, students already identical."""

    added: int
    updated: int
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class LocalStats:
    students: int
    card_records: int
    is_demo: bool
    seed: int | None


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class LocalConnector(Abilities):
    """The Connector protocol over a SQLite file; created with the demo school on first use."""

    kind: str = "local"
    list_warnings: tuple[str, ...] = ()  # a local listing leaves nothing out
    limits: Limits = Limits(batch_size=200, concurrency=1)
    # one transaction per chunk: a second live card and an update of a changed card are
    # refused (skipped as changed by someone else); an idempotency key makes a resend a replay
    consistency: Consistency = Consistency(conditional_updates=True, one_card_per_student=True,
                                           open_time_resolution_ms=1)

    def __init__(self, db_path: Path, *, demo_students: int = 2000, demo_seed: int = 1,
                 now_ms: Callable[[], int] = _now_ms) -> None:
        self.db_path = Path(db_path)
        self._now_ms = now_ms
        self._lock = threading.Lock()
        self._conns: dict[int, sqlite3.Connection] = {}
        if not self.db_path.exists():
            build_file(self.db_path, generate_school(demo_students, demo_seed), replace=False)

    def _conn(self) -> sqlite3.Connection:
        ident = threading.get_ident()
        with self._lock:
            conn = self._conns.get(ident)
        if conn is None:
            conn = open_db(self.db_path)
            with self._lock:
                self._conns[ident] = conn
        return conn

    @contextmanager
    def _transaction(self, mode: str = "IMMEDIATE") -> Iterator[sqlite3.Connection]:
        """One transaction; sqlite3 errors become ConnectorErrors, any error rolls back."""
        conn = self._conn()
        try:
            conn.execute(f"BEGIN {mode}")
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise db_error(exc, self.db_path) from exc
            raise

    # -- abilities (connectors.base.Connector) -------------------------------------------------

    def local_database(self) -> LocalDatabase | None:
        return self

    def close(self) -> None:
        """Close every thread's connection; a later call opens new ones."""
        with self._lock:
            conns, self._conns = list(self._conns.values()), {}
        for conn in conns:
            conn.close()

    def check_connection(self) -> None:
        open_db(self.db_path).close()

    def _meta(self, conn: sqlite3.Connection) -> dict[str, str]:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())

    def is_demo(self) -> bool:
        """True while the data set holds generated demo students (the UI shows 演示数据)."""
        with self._transaction("DEFERRED") as conn:
            return self._meta(conn).get("is_demo") == "1"

    def stats(self) -> LocalStats:
        with self._transaction("DEFERRED") as conn:
            meta = self._meta(conn)
            students = conn.execute("SELECT count(*) FROM students").fetchone()[0]
            cards = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
        seed = meta.get("demo_seed", "")
        return LocalStats(students, cards, meta.get("is_demo") == "1",
                          int(seed) if seed else None)

    def list_rows(self, progress: ListProgress | None = None) -> list[StudentRow]:
        student_status, card_status = _STUDENT_STATUS, _CARD_STATUS
        rows: list[StudentRow] = []
        append = rows.append
        with self._transaction("DEFERRED") as conn:  # one snapshot for count and rows
            total: int = conn.execute("SELECT count(*) FROM students").fetchone()[0]
            if progress is not None:
                progress(0, total)
            cur = conn.execute(_LIST_SQL)
            # a school has a few hundred colleges and classes: one string each, not one per
            # student (14 MB of 100,000 students' rows)
            shared: dict[str, str] = {}
            same = shared.setdefault
            amounts: dict[int, Decimal] = {}  # (Decimal is immutable: shared safely)
            while batch := cur.fetchmany(_PROGRESS_EVERY):
                for no, name, college, cls, st, rec, cid, cst, opened, cents, rev in batch:
                    student = Student(no, name, same(college, college), same(cls, cls),
                                      student_status[st], same(rec, rec) if not rec else rec)
                    if cid is None:
                        append(StudentRow(student))
                    else:
                        revision = str(rev)
                        amount = amounts.get(cents)
                        if amount is None:
                            amount = amounts[cents] = Decimal(cents).scaleb(-2)
                        card = Card(cid, no, card_status[cst], opened, amount,
                                    same(revision, revision))
                        append(StudentRow(student, card))
                if progress is not None:
                    progress(len(rows), total)
        return rows

    def read_cards(self, student_nos: Iterable[str]) -> dict[str, Card]:
        wanted = list(dict.fromkeys(student_nos))
        found: dict[str, Card] = {}
        amounts: dict[int, Decimal] = {}  # one Decimal per amount (72,000 cards: 7 MB less)
        with self._transaction("DEFERRED") as conn:
            for start in range(0, len(wanted), _PARAMS_PER_QUERY):
                part = wanted[start:start + _PARAMS_PER_QUERY]
                marks = ",".join("?" * len(part))
                cur = conn.execute(
                    "SELECT card_id, student_no, status, open_time, amount_cents, revision "
                    f"FROM cards WHERE student_no IN ({marks}) "
                    "ORDER BY student_no, created_at, card_id", part)
                for cid, no, st, opened, cents, rev in cur:  # oldest first: newest wins
                    amount = amounts.get(cents)
                    if amount is None:
                        amount = amounts[cents] = Decimal(cents).scaleb(-2)
                    found[no] = Card(cid, no, _CARD_STATUS[st], opened, amount, str(rev))
        return found

    def create_cards(self, items: Sequence[CardCreate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        """Create one card per item unless the student has a live (正常/冻结) card.

        An ``idempotency_key`` seen before returns the first answer and writes nothing
        ("" disables the check). ``open_time`` 0 means now.
        """
        if status is CardStatus.NONE:
            raise FatalError(_("不能创建状态为“未开通”的卡记录"), code="bad_request")
        idents = [[it.student_no] for it in items]
        with self._transaction() as conn:
            replay = _replay(conn, idempotency_key, "create", status, idents)
            if replay is not None:
                return replay
            results: list[RecordResult] = []
            seq = int(self._meta(conn)["next_card_seq"])
            for item in items:
                if conn.execute("SELECT 1 FROM students WHERE student_no = ?",
                                (item.student_no,)).fetchone() is None:
                    results.append(Failed("unknown_student", _("学号不存在")))
                    continue
                newest = conn.execute(_NEWEST_CARD_SQL, (item.student_no,)).fetchone()
                if newest is not None and newest[1] in _LIVE:  # opened by someone else
                    results.append(Skipped(SkipReason.CHANGED_BY_OTHER, newest[1]))
                    continue
                now = self._now_ms()
                # Keep the new record the newest even if the wall clock stepped back.
                created = max(now, newest[2] + 1) if newest is not None else now
                card_id = card_id_for(seq)
                seq += 1
                conn.execute(
                    "INSERT INTO cards (card_id, student_no, status, open_time, amount_cents,"
                    " revision, created_at) VALUES (?, ?, ?, ?, 0, 1, ?)",
                    (card_id, item.student_no, status.value, item.open_time or now, created))
                results.append(Succeeded(card_id))
            conn.execute("UPDATE meta SET value = ? WHERE key = 'next_card_seq'", (str(seq),))
            self._remember(conn, idempotency_key, "create", status, idents, results)
        return list(results)

    def update_cards(self, items: Sequence[CardUpdate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        """Set ``status`` on each card (it must exist, belong to the student and not be
        注销); a given ``revision`` must match. Idempotency as for ``create_cards``."""
        if status is CardStatus.NONE:
            raise FatalError(_("不能把卡状态改为“未开通”"), code="bad_request")
        idents = [[it.student_no, it.card_id] for it in items]
        with self._transaction() as conn:
            replay = _replay(conn, idempotency_key, "update", status, idents)
            if replay is not None:
                return replay
            results: list[RecordResult] = []
            for item in items:
                row = conn.execute("SELECT student_no, status, revision FROM cards"
                                   " WHERE card_id = ?", (item.card_id,)).fetchone()
                if row is None:
                    results.append(Failed("card_not_found", _("卡记录不存在")))
                elif row[0] != item.student_no:
                    results.append(Failed("card_mismatch", _("该卡记录不属于此学号")))
                elif item.revision and item.revision != str(row[2]):  # changed since read
                    results.append(Skipped(SkipReason.CHANGED_BY_OTHER, row[1]))
                elif row[1] == CardStatus.CANCELLED.value:
                    results.append(Failed("cancelled", _("该卡已注销，不能再修改")))
                else:
                    conn.execute("UPDATE cards SET status = ?, revision = revision + 1"
                                 " WHERE card_id = ?", (status.value, item.card_id))
                    results.append(Succeeded(item.card_id))
            self._remember(conn, idempotency_key, "update", status, idents, results)
        return list(results)

    def _remember(self, conn: sqlite3.Connection, key: str, operation: str,
                  status: CardStatus, idents: list[list[str]],
                  results: list[RecordResult]) -> None:
        if not key:
            return
        encoded = [["ok", r.card_id] if isinstance(r, Succeeded)
                   else ["skipped", r.reason.value, r.detail] if isinstance(r, Skipped)
                   else ["failed", r.code, r.message]
                   for r in results]
        conn.execute(
            "INSERT INTO idempotency (idempotency_key, operation, status, request, results,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (key, operation, status.value, json.dumps(idents, ensure_ascii=False),
             json.dumps(encoded, ensure_ascii=False), self._now_ms()))

    def import_students(self, students: Sequence[Student]) -> ImportSummary:
        """Upsert students by 学号 in one transaction (all or nothing).

        The demo flag is left as it is: while generated students remain in the file the data
        set *is* demo data, and the label must not vanish because real rows were added. For
        a real data set start from ``init_empty`` and import into that.
        A blank ``record_id`` keeps the stored one.
        """
        added = updated = unchanged = 0
        with self._transaction() as conn:
            for s in students:
                old = conn.execute("SELECT name, college, class_name, status, record_id"
                                   " FROM students WHERE student_no = ?",
                                   (s.student_no,)).fetchone()
                new = (s.name, s.college, s.class_name, s.status.value,
                       s.record_id or (old[4] if old else ""))
                if old is None:
                    conn.execute("INSERT INTO students VALUES (?, ?, ?, ?, ?, ?)",
                                 (s.student_no, *new))
                    added += 1
                elif tuple(old) != new:
                    conn.execute("UPDATE students SET name = ?, college = ?, class_name = ?,"
                                 " status = ?, record_id = ? WHERE student_no = ?",
                                 (*new, s.student_no))
                    updated += 1
                else:
                    unchanged += 1
        return ImportSummary(added, updated, unchanged)


def _replay(conn: sqlite3.Connection, key: str, operation: str, status: CardStatus,
            idents: list[list[str]]) -> list[RecordResult] | None:
    """The stored answer for ``key`` (per item, in the order asked), or None if it is new.

    A resend may be the whole chunk or any part of it; anything else under the same key is
    a caller bug and raises FatalError rather than being written or guessed at.
    """
    if not key:
        return None
    row = conn.execute("SELECT operation, status, request, results FROM idempotency"
                       " WHERE idempotency_key = ?", (key,)).fetchone()
    if row is None:
        return None
    mismatch = FatalError(_("幂等键 {key} 已用于另一批不同的请求").format(
        key=key), code="idempotency_mismatch")
    if row[0] != operation or row[1] != status.value:
        raise mismatch
    stored: dict[tuple[str, ...], RecordResult] = {}
    for ident, res in zip(json.loads(row[2]), json.loads(row[3]), strict=True):
        result: RecordResult = (
            Succeeded(res[1]) if res[0] == "ok"
            else Skipped(SkipReason(res[1]), res[2]) if res[0] == "skipped"
            else Failed(res[1], res[2]))
        stored.setdefault(tuple(ident), result)
    try:
        return [stored[tuple(ident)] for ident in idents]
    except KeyError:
        raise mismatch from None

