"""Versioned SQLite files: one small migration helper for the journal and the local store.

A file's schema version is ``PRAGMA user_version``. ``Schema`` holds the current version, the
SQL that creates a new file at it, and the ordered forward steps (``steps[v]`` moves a file
from version ``v + 1`` to ``v + 2``). ``ensure_schema(conn, path, schema)``:

- a file at the current version is left alone: nothing is written (so reading works on a full
  disk or from a read-only folder);
- a new, empty file is created at the current version, in one transaction;
- an older file is first backed up next to itself (``<name>.v<N>.bak``, private, through the
  SQLite backup API, so a file in WAL mode is copied whole), then every step runs, and the new
  version is set, in one transaction: a failure leaves the file as it was;
- a file written by a newer program is refused with a message saying so.

Files older than ``PRAGMA user_version`` (version 0 with tables in them) are dated by
``Schema.legacy_version`` (e.g. the local store kept its version in a ``meta`` row).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import CampusCardError
from ..core.text import _

Step = str | Callable[[sqlite3.Connection], None]


@dataclass(frozen=True)
class Schema:
    what: str  # for the operator: 任务日志 / 本地数据库
    code: str  # the error code: "journal" / "store"
    version: int
    create: str  # the whole current schema, for a new file
    steps: Sequence[Step] = ()  # steps[0]: version 1 -> 2, steps[1]: 2 -> 3, …
    # a file with tables but user_version 0: its version (None: not one of ours)
    legacy_version: Callable[[sqlite3.Connection, Path], int | None] = field(
        default=lambda _conn, _path: None)
    error: Callable[..., CampusCardError] = CampusCardError

    def __post_init__(self) -> None:
        if len(self.steps) != self.version - 1:
            raise ValueError("steps must hold one step per version below the current one")


def statements(sql: str) -> Iterator[str]:
    """The complete statements of ``sql``, one by one (each ends a line with ';')."""
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf.strip()
            buf = ""
    if buf.strip() and not buf.strip().startswith("--"):
        raise ValueError(f"incomplete SQL statement: {buf.strip()[:60]}")


def file_version(conn: sqlite3.Connection, schema: Schema, path: Path) -> int:
    """The file's schema version (0: a new, empty file). Reads only."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version:
        return version
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if not tables:
        return 0
    legacy = schema.legacy_version(conn, path)
    if legacy is None:
        raise schema.error(_("该文件不是本程序的{what}：{path}").format(
            what=schema.what, path=path), code=schema.code)
    return legacy


def ensure_schema(conn: sqlite3.Connection, path: Path, schema: Schema) -> int:
    """Bring the file open on ``conn`` (autocommit: isolation_level None) to the current
    version; return the version it had (0: it was new). Writes nothing when it is current."""
    version = file_version(conn, schema, path)
    if version == schema.version:
        return version
    if version > schema.version:
        raise schema.error(
            _("{what}来自更新版本的程序（文件版本 {version}，本程序支持 {version2}），无法使用，请"
              "安装更新版本的程序：{path}").format(
                what=schema.what, version=version, version2=schema.version, path=path),
            code=schema.code)
    if version:
        try:
            backup(conn, path, version)
        except (OSError, sqlite3.Error) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise schema.error(
                _("{what}需要从版本 {version} 升级到 {version2}，但无法先备份旧文件（{why}），文件"
                  "未作改动：{path}").format(
                    what=schema.what, version=version, version2=schema.version, why=why,
                    path=path), code=schema.code) from exc
        todo: Sequence[Step] = schema.steps[version - 1:]
    else:
        todo = (schema.create,)
    conn.execute("BEGIN IMMEDIATE")
    try:
        if version and file_version(conn, schema, path) != version:  # migrated meanwhile
            conn.execute("ROLLBACK")
            return ensure_schema(conn, path, schema)
        for step in todo:
            if isinstance(step, str):
                for statement in statements(step):
                    conn.execute(statement)
            else:
                step(conn)
        conn.execute(f"PRAGMA user_version = {int(schema.version)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return version


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.v{version}.bak")


def backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the file open on ``conn`` to ``<name>.v<version>.bak`` beside it (owner-only),
    whole and consistent (the backup API), through a temp file moved into place."""
    target = backup_path(path, version)
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        dest = sqlite3.connect(tmp)
        try:
            conn.backup(dest)
        finally:
            dest.close()
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return target
