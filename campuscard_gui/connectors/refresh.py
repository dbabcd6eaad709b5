"""What every backend's refresh (``base.DeltaListing``) does the same way: the mark kept with
a snapshot, and merging the students read again into the kept rows.

A refresh reads the records changed since the mark (and the students the last listing left
out, so that their warnings are said again), then the current cards of every student whose
student record or card changed; those students are joined afresh (``joining.join_rows``) and
replace their rows. Rows come back in the order a full listing gives (by record id), so a
refresh and a full listing of the same data are equal.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..config.fieldmap import FieldMap
from ..core.errors import ConnectorError
from ..core.model import StudentRow
from .joining import Record, RecordReader, join_rows

log = logging.getLogger(__name__)
T = TypeVar("T")

MARK_VERSION = 1


@dataclass(frozen=True, slots=True)
class Mark:
    """A listing's mark: whose data (``source``), per app/form what the backend says about
    it (``apps``: e.g. the newest update time, the highest id and the count read), and the
    student records the listing left out (read again by every refresh)."""

    source: str
    apps: dict[str, dict[str, Any]] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)

    def dump(self) -> str:
        return json.dumps({"v": MARK_VERSION, "source": self.source, "apps": self.apps,
                           "left_out": self.left_out}, ensure_ascii=False,
                          separators=(",", ":"), sort_keys=True)

    @classmethod
    def load(cls, text: str, source: str) -> Mark | None:
        """The mark in ``text`` when it is one of ``source`` (None: unreadable, another
        version or another backend/app/field map)."""
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("v") != MARK_VERSION \
                or data.get("source") != source or not isinstance(data.get("apps"), dict) \
                or not isinstance(data.get("left_out"), list):
            return None
        return cls(source, dict(data["apps"]), [str(x) for x in data["left_out"]])


def source_of(*parts: Any) -> str:
    """A mark's source: what the rows depend on (address, app ids, field map), as text."""
    return json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)


def affected_students(rows: Sequence[StudentRow], changed_cards: Iterable[Record],
                      fm: FieldMap, reader: RecordReader) -> set[str]:
    """学号 of the students whose card changed: named by a changed card record, or holding
    (in ``rows``) a card whose record changed (its student field may have changed)."""
    nos: set[str] = set()
    ids: set[str] = set()
    for rec in changed_cards:
        no = reader.text(rec, fm.card_student)
        if no:
            nos.add(no)
        ids.add(reader.record_id(rec))
    nos.update(r.student_no for r in rows if r.card is not None and r.card.card_id in ids)
    return nos


def merge_rows(rows: Sequence[StudentRow], again: Sequence[Record],
               current: Mapping[str, Record], fm: FieldMap, reader: RecordReader,
               order: Callable[[str], Any]) -> tuple[list[StudentRow], list[str], list[str]]:
    """``rows`` with the students ``again`` (student records read again) joined afresh with
    ``current`` (学号 -> current card record) in place of their rows; sorted by
    ``order(record id)``. Also the warnings for the students left out, and their record ids."""
    joined, warnings = join_rows(again, current, fm, reader, whole=False)
    ids = {reader.record_id(r) for r in again}
    nos = {reader.text(r, fm.student_no) for r in again}
    kept = [r for r in rows if r.student.record_id not in ids and r.student_no not in nos]
    merged = kept + joined
    merged.sort(key=lambda r: order(r.student.record_id))
    left_out = sorted(ids - {r.student.record_id for r in joined})
    return merged, warnings, left_out


def both_marks(service: str, read: Callable[[str], T | None], objects: tuple[str, str],
               missing: str) -> tuple[T, T] | None:
    """Each object's part of a listing's mark (``read(object)``, e.g. its newest update
    time), read at once on two threads as a listing starts. None (logged: the listing goes
    on, later refreshes list in full) when a read failed or an object has none (``missing``,
    English, says what is missing)."""
    try:
        with ThreadPoolExecutor(2, thread_name_prefix=f"campuscard-{service}-mark") as pool:
            found = list(pool.map(read, objects))
    except ConnectorError as exc:
        log.warning("%s: no update times for a later refresh (%s)", service, exc.code)
        return None
    if found[0] is None or found[1] is None:
        log.info("%s: %s: refreshes list in full", service, missing)
        return None
    return found[0], found[1]


def left_out_ids(rows: Sequence[StudentRow], students: Iterable[Record],
                 record_id: Callable[[Record], str]) -> list[str]:
    """Ids of the student records a listing read but did not list (a mark's ``left_out``:
    every refresh reads them again, so that their warnings are said again)."""
    listed = {r.student.record_id for r in rows}
    return [i for i in map(record_id, students) if i not in listed]
