"""What an import would do, worked out before anything is written: which students are new, which
existing students change (field by field, old → new) and how many stay as they are.

``compare`` is Qt-free (it runs on a worker thread); the two table models show its result to
the operator, each cell's text made only when it is drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from PySide6.QtCore import QObject

from ...core.model import Student, StudentStatus
from ..text_model import TextTableModel

# The fields an import sets, in the order shown (the record id is the backend's, kept).
COMPARED: tuple[str, ...] = ("name", "college", "class_name", "status")


class FieldChange(NamedTuple):
    """One field of an existing student that the import changes."""

    student_no: str
    name: str  # the name after the import
    key: str  # Student attribute ("name", "college", "class_name", "status")
    old: str
    new: str


@dataclass(slots=True)
class ImportPreview:
    """``students``: what will be imported (all of them); ``new``: the 学号 not yet in the
    database; ``changes``: each changed field of an existing student; ``updated``: how many
    existing students change; ``unchanged``: how many are already as the file says."""

    students: Sequence[Student]
    new: list[Student] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0


def _value(student: Student, key: str) -> str:
    value = getattr(student, key)
    return value.value if isinstance(value, StudentStatus) else str(value)


def compare(students: Sequence[Student], existing: Iterable[Student]) -> ImportPreview:
    """Compare the students to import with those in the database (by 学号)."""
    known = {s.student_no: s for s in existing}
    preview = ImportPreview(students)
    new, changes = preview.new, preview.changes
    for student in students:
        old = known.get(student.student_no)
        if old is None:
            new.append(student)
            continue
        changed = False
        for key in COMPARED:
            before, after = _value(old, key), _value(student, key)
            if before != after:
                changes.append(FieldChange(student.student_no, student.name, key, before,
                                           after))
                changed = True
        if changed:
            preview.updated += 1
        else:
            preview.unchanged += 1
    return preview


def _status_text(value: str, label: Callable[[StudentStatus], str]) -> str:
    try:
        return label(StudentStatus(value))
    except ValueError:
        return value


class NewStudentsModel(TextTableModel):
    """The new students: 学号, 姓名, 学院, 班级, 学籍状态."""

    def __init__(self, students: Sequence[Student], headers: Sequence[str],
                 status_label: Callable[[StudentStatus], str],
                 parent: QObject | None = None) -> None:
        super().__init__(headers, parent)
        self._students = students
        self._status_label = status_label

    def row_count(self) -> int:
        return len(self._students)

    def cell(self, row: int, column: int) -> str:
        s = self._students[row]
        if column == 4:
            return self._status_label(s.status)
        return (s.student_no, s.name, s.college, s.class_name)[column]


class ChangesModel(TextTableModel):
    """The changes to existing students, one line per changed field: 学号, 姓名, field,
    now, after the import."""

    def __init__(self, changes: Sequence[FieldChange], headers: Sequence[str],
                 field_titles: Mapping[str, str],
                 status_label: Callable[[StudentStatus], str],
                 empty: str, parent: QObject | None = None) -> None:
        super().__init__(headers, parent)
        self._changes = changes
        self._titles = field_titles
        self._status_label = status_label
        self._empty = empty  # how an empty value is shown ("(empty)")

    def row_count(self) -> int:
        return len(self._changes)

    def cell(self, row: int, column: int) -> str:
        change = self._changes[row]
        if column == 0:
            return change.student_no
        if column == 1:
            return change.name
        if column == 2:
            return self._titles.get(change.key, change.key)
        value = change.old if column == 3 else change.new
        if not value:
            return self._empty
        return _status_text(value, self._status_label) if change.key == "status" else value
