"""The last listing of a remote profile, kept so that opening it shows the students at once.

Listing 100,000 students from 简道云 takes minutes; the window shows the snapshot of the last
listing (with its age, as stale data) while the fresh listing runs, then replaces it. Writes
never trust a snapshot: every chunk re-reads its students' cards before it is sent (the
runner's fresh-state check), and the confirmation repeats that the rows are from a snapshot.

A snapshot holds personal data: one SQLite file per profile in ``<data dir>/snapshots/``,
private (0600 in a 0700 folder), written whole to a temporary file and renamed into place,
removed with its profile (``ConfigStore.remove_profile``) and by 文件 ▸ 清除本地快照 or
``campuscard-cli profiles clear-snapshots``. A file that cannot be read as one (damaged,
another version, unknown values) is removed and ignored: the fresh listing follows anyway.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..core.model import Card, CardStatus, Student, StudentRow, StudentStatus

log = logging.getLogger(__name__)

FORMAT = 1
FOLDER = "snapshots"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE rows (
    student_no TEXT NOT NULL, name TEXT NOT NULL, college TEXT NOT NULL,
    class_name TEXT NOT NULL, status TEXT NOT NULL, record_id TEXT NOT NULL,
    card_id TEXT, card_status TEXT, open_time INTEGER, amount TEXT, revision TEXT,
    created INTEGER
);
"""


@dataclass(frozen=True)
class Snapshot:
    profile: str
    taken_at: float  # seconds since the epoch
    rows: list[StudentRow]
    # the connector's listing mark (connectors.base.DeltaListing): what a refresh reads from
    mark: str = ""


class SnapshotStore:
    """Snapshots under ``data_dir``/snapshots, one file per profile (named by a hash of the
    profile's name, which may hold any character)."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / FOLDER

    def path(self, profile: str) -> Path:
        digest = hashlib.sha256(profile.encode("utf-8")).hexdigest()[:24]
        return self.folder / f"{digest}.sqlite3"

    def save(self, profile: str, rows: Sequence[StudentRow],
             taken_at: float | None = None, mark: str = "") -> Path:
        """Write ``rows`` as ``profile``'s snapshot (replacing the last one atomically), with
        the listing's ``mark`` (DeltaListing) when it has one."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = self.path(profile)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=self.folder)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            os.chmod(tmp, 0o600)
            conn = sqlite3.connect(tmp)
            try:
                conn.executescript(_SCHEMA)
                conn.executemany("INSERT INTO meta VALUES (?, ?)", [
                    ("format", str(FORMAT)), ("profile", profile),
                    ("taken_at", repr(time.time() if taken_at is None else taken_at)),
                    ("mark", mark)])
                conn.executemany("INSERT INTO rows VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", (
                    (r.student.student_no, r.student.name, r.student.college,
                     r.student.class_name, r.student.status.value, r.student.record_id,
                     *((r.card.card_id, r.card.status.value, r.card.open_time,
                        str(r.card.amount), r.card.revision, r.card.created)
                       if r.card is not None else (None, None, None, None, None, None)))
                    for r in rows))
                conn.commit()
            finally:
                conn.close()
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return target

    def load(self, profile: str) -> Snapshot | None:
        """``profile``'s snapshot, or None when there is none or it cannot be read as one
        (then it is removed: the next listing writes a good one)."""
        path = self.path(profile)
        if not path.is_file():
            return None
        try:
            conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            try:
                meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
                if meta.get("format") != str(FORMAT) or meta.get("profile") != profile:
                    raise ValueError("another format or profile")
                taken_at = float(meta["taken_at"])
                collecting = gc.isenabled()
                gc.disable()  # 300,000 new objects, none of them garbage: passes would
                try:  # only walk them again and again
                    rows = _rows(conn.execute("SELECT * FROM rows"))
                finally:
                    if collecting:
                        gc.enable()
            finally:
                conn.close()
        except (sqlite3.Error, ValueError, KeyError, InvalidOperation, TypeError) as exc:
            log.warning("snapshot of profile %s unreadable (%s): removed", profile,
                        type(exc).__name__)
            self.remove(profile)
            return None
        return Snapshot(profile, taken_at, rows, meta.get("mark", ""))

    def remove(self, profile: str) -> bool:
        """Remove ``profile``'s snapshot; whether there was one."""
        try:
            self.path(profile).unlink()
        except FileNotFoundError:
            return False
        return True

    def clear(self) -> int:
        """Remove every snapshot; how many there were."""
        if not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.glob("*.sqlite3"):
            path.unlink(missing_ok=True)
            removed += 1
        return removed


def _rows(cursor: Iterable[tuple[object, ...]]) -> list[StudentRow]:
    """The rows of a snapshot. A whole school is 100,000 of them: the enum members, the
    amounts and the strings that repeat (colleges, classes, statuses) are looked up once and
    shared, which keeps loading under a second and the rows small."""
    student_status = {s.value: s for s in StudentStatus}
    card_status = {s.value: s for s in CardStatus}
    amounts: dict[object, Decimal] = {}
    shared: dict[object, str] = {}

    def text(value: object) -> str:
        found = shared.get(value)
        if found is None:
            found = shared[value] = str(value)
        return found

    out: list[StudentRow] = []
    append = out.append
    for no, name, college, class_name, status, record_id, card_id, state, opened, amount, \
            revision, created in cursor:
        student = Student(str(no), str(name), text(college), text(class_name),
                          student_status[str(status)], str(record_id))
        if card_id is None:
            append(StudentRow(student))
            continue
        money = amounts.get(amount)
        if money is None:
            money = amounts[amount] = Decimal(str(amount))
        append(StudentRow(student, Card(
            str(card_id), student.student_no, card_status[str(state)],
            opened if isinstance(opened, int) else None, money, str(revision or ""),
            created if isinstance(created, int) else None)))
    return out
