"""The local backend's SQLite file: schema, opening and checking it, building it atomically.

``local.py`` holds the connector that reads and writes through these; this module owns the file
itself (what is in it, how a new one is made, how sqlite3 errors are told to the operator).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path

from ...config.sqlite_schema import Schema, ensure_schema, file_version
from ...core.demo import DemoSchool, generate_school
from ...core.errors import CampusCardError, ConnectorError, FatalError, RetryableError
from ...core.text import L_, _

# PRAGMA user_version, mirrored in meta.schema_version (what the first versions read). A new
# version: bump it, append a step to _STEPS that also updates the meta row, keep _SCHEMA whole.
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE students (
    student_no TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    college TEXT NOT NULL DEFAULT '',
    class_name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('在读', '休学', '退学', '毕业')),
    record_id TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE cards (
    card_id TEXT PRIMARY KEY,
    student_no TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('正常', '冻结', '注销')),
    open_time INTEGER,
    amount_cents INTEGER NOT NULL DEFAULT 0,
    revision INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX cards_by_student ON cards (student_no, created_at, card_id);
CREATE TABLE idempotency (
    idempotency_key TEXT PRIMARY KEY,
    operation TEXT NOT NULL,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    results TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
"""  # text: data (SQL holding the stored status values)

_STEPS: tuple[str, ...] = ()  # _STEPS[0]: version 1 -> 2, …


def _meta_version(conn: sqlite3.Connection, path: Path, expected: str) -> None:
    """The meta row must say ``expected`` (else the file is not ours or was altered)."""
    has_meta = conn.execute("SELECT count(*) FROM sqlite_master"
                            " WHERE type = 'table' AND name = 'meta'").fetchone()[0]
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                       ).fetchone() if has_meta else None
    if row is None:
        raise FatalError(_("该文件不是一卡通本地数据库：{path}").format(path=path), code="not_ours")
    if row[0] != expected:
        raise FatalError(
            _("本地数据库版本不匹配（文件为 {value}，程序需要 {SCHEMA_VERSION}）：{path}").format(
                value=row[0], SCHEMA_VERSION=SCHEMA_VERSION, path=path),
            code="schema_version")


def _legacy_version(conn: sqlite3.Connection, path: Path) -> int | None:
    """Files written before user_version was set kept their version (1) in the meta table."""
    _meta_version(conn, path, "1")
    return 1


SCHEMA = Schema(what=L_("本地数据库"), code="store", version=SCHEMA_VERSION, create=_SCHEMA,
                steps=_STEPS, legacy_version=_legacy_version, error=FatalError)


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


# SQLite primary result code -> (error class, code, message); BUSY/LOCKED rolled back: retry.
_SQLITE_ERRORS: dict[int, tuple[type[ConnectorError], str, str]] = {
    5: (RetryableError, "busy", L_("本地数据库正忙，请稍后重试")),
    6: (RetryableError, "busy", L_("本地数据库正忙，请稍后重试")),
    8: (FatalError, "readonly", L_("本地数据库文件是只读的")),
    11: (FatalError, "corrupt", L_("本地数据库文件已损坏或不是 SQLite 数据库")),
    13: (FatalError, "disk_full", L_("磁盘已满，无法写入本地数据库")),
    14: (FatalError, "cantopen", L_("无法打开本地数据库文件")),
    26: (FatalError, "corrupt", L_("本地数据库文件已损坏或不是 SQLite 数据库")),
}


def db_error(exc: sqlite3.Error, path: Path) -> ConnectorError:
    """Translate a sqlite3 error by its result code (never by message text)."""
    code = getattr(exc, "sqlite_errorcode", None)
    known = _SQLITE_ERRORS.get(code & 0xFF) if isinstance(code, int) else None
    if known is not None:
        return known[0](_("{value}：{path}").format(value=known[2], path=path), code=known[1])
    name = getattr(exc, "sqlite_errorname", None) or exc.__class__.__name__
    return FatalError(_("本地数据库出错（{name}）：{path}").format(
        name=name, path=path), code="sqlite")


def open_db(path: Path, schema: Schema = SCHEMA) -> sqlite3.Connection:
    """Open an existing database read-write, check that it is ours and bring it to the
    current version (an older file is backed up first, see config/sqlite_schema.py; a file at
    the current version is not written to)."""
    if not path.is_file():
        raise FatalError(_("本地数据库文件不存在：{path}").format(path=path), code="missing")
    uri = path.resolve().as_uri() + "?mode=rw"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise db_error(exc, path) from exc
    try:
        for pragma in (f"busy_timeout = {BUSY_TIMEOUT_MS}", "synchronous = NORMAL"):
            conn.execute(f"PRAGMA {pragma}")
        if file_version(conn, schema, path) == 0:  # an empty file is not made one here
            raise FatalError(_("该文件不是一卡通本地数据库：{path}").format(
                path=path), code="not_ours")
        ensure_schema(conn, path, schema)
        _meta_version(conn, path, str(schema.version))
        if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.Error):
            raise db_error(exc, path) from exc
        raise
    return conn


def _write_school(conn: sqlite3.Connection, school: DemoSchool | None) -> None:
    conn.execute("PRAGMA journal_mode = MEMORY")  # a private temp file: no crash recovery needed
    conn.execute("PRAGMA synchronous = OFF")
    conn.executescript(_SCHEMA)
    cards = school.cards if school is not None else []
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "is_demo": "1" if school is not None else "0",
        "demo_seed": str(school.seed) if school is not None else "",
        "demo_students": str(len(school.students)) if school is not None else "",
        "next_card_seq": str(len(cards) + 1),
    }
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    if school is not None:
        conn.executemany(
            "INSERT INTO students VALUES (?, ?, ?, ?, ?, ?)",
            ((s.student_no, s.name, s.college, s.class_name, s.status.value, s.record_id)
             for s in school.students))
        conn.executemany(
            "INSERT INTO cards VALUES (?, ?, ?, ?, ?, 1, ?)",
            ((c.card_id, c.student_no, c.status.value, c.open_time, _cents(c.amount),
              c.open_time or 0) for c in cards))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode = WAL")


def build_file(db_path: Path, school: DemoSchool | None, *, replace: bool) -> None:
    """Write a new database to a temp file beside ``db_path``, then move it into place.

    ``replace`` False keeps a file that appeared meanwhile (another process won the race).
    """
    tmp: Path | None = None
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp",
                                        dir=db_path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            _write_school(conn, school)
        finally:
            conn.close()
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        if replace or not db_path.exists():
            # A stale WAL of the old file must never be replayed into the new one.
            for suffix in ("-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            os.replace(tmp, db_path)
    except (OSError, sqlite3.Error) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise FatalError(_("无法写入本地数据库文件：{db_path}（{detail}）").format(
            db_path=db_path, detail=detail), code="io") from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def init_demo(db_path: Path, students: int, seed: int = 1, force: bool = False) -> None:
    """(Re)build ``db_path`` as a demo school of ``students`` students, atomically.

    Close every connector on the file first. Raises CampusCardError if the file exists and
    ``force`` is False.
    """
    _init(Path(db_path), generate_school(students, seed), force)


def init_empty(db_path: Path, force: bool = False) -> None:
    """(Re)build ``db_path`` as an empty, non-demo database (to import real students into)."""
    _init(Path(db_path), None, force)


def _init(db_path: Path, school: DemoSchool | None, force: bool) -> None:
    if db_path.exists() and not force:
        raise CampusCardError(
            _("数据库文件已存在：{db_path}（如需覆盖，请使用强制重建）").format(
                db_path=db_path), code="exists")
    build_file(db_path, school, replace=True)
