"""Opening the journal file: its schema and versions, and what is done with a file that is
broken or cannot be written (see journal.py's docstring). ``JournalFile(path).conn`` is the
open connection; ``notice``, ``read_only`` and ``migrated_from`` tell how it was opened."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from ..config.sqlite_schema import Schema, ensure_schema, file_version, statements
from ..core.errors import CampusCardError
from ..core.text import L_, _

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2  # 1: the first; 2: chunks.open_ms

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


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Version 2 added chunks.open_ms (a version 1 file may lack tables made since)."""
    for statement in statements(_SCHEMA):
        conn.execute(statement)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(chunks)")}
    if "open_ms" not in columns:
        conn.execute("ALTER TABLE chunks ADD COLUMN open_ms INTEGER")


def _legacy_version(conn: sqlite3.Connection, path: Path) -> int | None:
    """A journal that never set user_version: version 1 (or 2 if it has open_ms)."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"jobs", "chunks", "records"} <= names:
        return None
    columns = {row[1] for row in conn.execute("PRAGMA table_info(chunks)")}
    return 2 if "open_ms" in columns else 1


SCHEMA = Schema(what=L_("任务日志"), code="journal", version=SCHEMA_VERSION, create=_SCHEMA,
                steps=(_v1_to_v2,), legacy_version=_legacy_version)

# SQLite primary result codes: the file is not a database / is damaged
_BROKEN_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
# the file may be fine but cannot be written (a full disk, a read-only folder or file)
_UNWRITABLE_CODES = {8, 10, 13, 14}  # READONLY, IOERR, FULL, CANTOPEN


def _not_sqlite(path: Path) -> str | None:
    """Why the file at ``path`` is certainly no SQLite database (None: it may be one, or there
    is no file). Reads the first 16 bytes only."""
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        head = fh.read(16)
    if not head:
        return _("文件是空的（0 字节）")
    if head != b"SQLite format 3\x00":
        return _("文件不是 SQLite 数据库")
    return None


def _errcode(exc: sqlite3.Error) -> int:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else -1


class JournalFile:
    """Opens the journal at ``path``: migrated, moved aside or read-only as needed."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.notice: str | None = None
        self.read_only = False
        self.migrated_from: int | None = None  # the version the file had, when it was migrated
        with contextlib.suppress(OSError):  # a read-only parent that exists is fine
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            why = _not_sqlite(self.path)
        except OSError as exc:
            raise self._unusable(exc) from exc
        if why:  # moved before SQLite opens it (it would drop a write-ahead log it cannot use)
            self._move_aside(why)
        try:
            self.conn = self._open()
        except sqlite3.Error as exc:
            if _errcode(exc) in _BROKEN_CODES:
                self._move_aside(str(exc))
                try:
                    self.conn = self._open()
                except sqlite3.Error as again:
                    raise self._unusable(again) from again
            elif _errcode(exc) in _UNWRITABLE_CODES and self._has_data():
                self.conn = self._open_read_only(exc)
            else:
                raise self._unusable(exc) from exc

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            # at the current version nothing is written: reading works on a full disk
            old = ensure_schema(conn, self.path, SCHEMA)
            if old and old != SCHEMA_VERSION:
                self.migrated_from = old
                log.info("journal %s migrated from version %d to %d", self.path, old,
                         SCHEMA_VERSION)
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
        except BaseException:
            conn.close()
            raise
        return conn

    def _has_data(self) -> bool:
        try:
            return self.path.is_file() and self.path.stat().st_size > 0
        except OSError:
            return False

    def _open_read_only(self, cause: sqlite3.Error) -> sqlite3.Connection:
        """The file cannot be written (a full disk, a read-only folder): open it for reading
        only, so that the history can still be looked at. Without its write-ahead log, which
        a clean close leaves empty, the file is read as it is (immutable)."""
        wal = Path(f"{self.path}-wal")
        try:
            pending_log = wal.is_file() and wal.stat().st_size > 0
        except OSError:
            pending_log = True
        if pending_log:
            raise self._unusable(cause) from cause
        uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise self._unusable(cause) from exc
        try:
            version = file_version(conn, SCHEMA, self.path)
        except sqlite3.Error as exc:
            conn.close()
            raise self._unusable(cause) from exc
        except BaseException:
            conn.close()
            raise
        if version > SCHEMA_VERSION:
            try:
                ensure_schema(conn, self.path, SCHEMA)  # refuses a newer file, writes nothing
            finally:
                conn.close()
        if version != SCHEMA_VERSION:
            conn.close()
            raise CampusCardError(
                _("任务日志需要升级到版本 {SCHEMA_VERSION}（文件为版本 {version}），但无法写入（"
                  "{cause}）：{path}").format(
                    SCHEMA_VERSION=SCHEMA_VERSION, version=version, cause=cause,
                    path=self.path), code="journal")
        self.read_only = True
        self.notice = (_("任务日志无法写入（{cause}），已以只读方式打开：{path}。可以查看任务，但"
                         "不能执行、继续或放弃任务；请腾出磁盘空间或检查文件夹权限，然后重新打开程"
                         "序。").format(
            cause=cause, path=self.path))
        log.info("journal %s opened read-only: %s", self.path, cause)
        return conn

    def _move_aside(self, why: str) -> None:
        """Rename a broken journal (and its write-ahead log) to ``.broken-<time>`` and say so;
        a new, empty journal is then started in its place. Never deleted: it is the history."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.broken-{stamp}-{n}")
        try:
            os.replace(self.path, target)
            wal = Path(f"{self.path}-wal")
            if wal.exists():
                os.replace(wal, Path(f"{target}-wal"))
            Path(f"{self.path}-shm").unlink(missing_ok=True)
        except OSError as exc:
            raise CampusCardError(
                _("任务日志已损坏（{why}），且无法移到一旁（{value}）：{path}").format(
                    why=why, value=exc.strerror or exc, path=self.path),
                code="journal") from exc
        self.notice = (_("任务日志无法读取（{why}），已移到 {target}，并新建了一个空的任务日志。以"
                         "前的任务不在新日志中；请保留该文件，以便核对。").format(
            why=why, target=target))
        log.info("journal %s was unreadable (%s): moved to %s", self.path, why, target)

    def _unusable(self, exc: sqlite3.Error | OSError) -> CampusCardError:
        return CampusCardError(_("任务日志无法打开：{path}（{exc}）").format(
            path=self.path, exc=exc), code="journal")
