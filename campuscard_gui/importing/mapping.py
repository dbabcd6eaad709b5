"""Map a table's columns to student fields and turn its rows into Students, checking each row.

Import is all or nothing: a caller imports ``MappingResult.students`` only when
``MappingResult.errors`` is empty, and otherwise shows the errors (row number + reason) so
the operator can fix the file. Nothing is written here.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import overload

from ..core.errors import ImportFileError
from ..core.model import Student, StudentStatus
from ..core.text import N_, _
from .table import Table


@dataclass(frozen=True, slots=True)
class Field:
    key: str  # Student attribute name
    label: str  # the column's name, said through _()
    required: bool
    synonyms: tuple[str, ...]  # header spellings, compared after _normalize


FIELDS: tuple[Field, ...] = (
    Field("student_no", N_("学号"), True,
          ("学号", "学生学号", "学生编号", "学籍号",  # text: data
           "studentno", "studentid", "studentnumber", "sno")),
    Field("name", N_("姓名"), True,
          ("姓名", "学生姓名", "名字", "name", "studentname", "fullname")),  # text: data
    Field("college", N_("学院"), False,
          ("学院", "院系", "所在学院", "学院名称", "院系名称", "系", "系别",  # text: data
           "college", "department", "faculty", "school")),
    Field("class_name", N_("班级"), False,
          ("班级", "班级名称", "行政班", "所在班级", "class", "classname")),  # text: data
    Field("status", N_("学籍状态"), True,
          ("学籍状态", "状态", "学籍", "在校状态", "学生状态",  # text: data
           "status", "studentstatus", "enrollmentstatus")),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)

STATUS_SYNONYMS: dict[str, StudentStatus] = {
    **{s.value: s for s in StudentStatus},
    "在校": StudentStatus.ENROLLED,  # text: data
    "enrolled": StudentStatus.ENROLLED,
    "suspended": StudentStatus.SUSPENDED,
    "已休学": StudentStatus.SUSPENDED,  # text: data
    "withdrawn": StudentStatus.WITHDRAWN,
    "已退学": StudentStatus.WITHDRAWN,  # text: data
    "graduated": StudentStatus.GRADUATED,
    "已毕业": StudentStatus.GRADUATED,  # text: data
}

_STATUSES = tuple(StudentStatus)
_STATUS_INDEX = {status: i for i, status in enumerate(_STATUSES)}
_STATUS_CODES = {text: _STATUS_INDEX[status] for text, status in STATUS_SYNONYMS.items()}
_SPACE = re.compile(r"\s")
_BRACKETS = re.compile(r"[(（\[【].*?[)）\]】]")  # text: data
_NOISE = re.compile(r"[\s_\-*:：.]+")  # text: data


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # spreadsheet row number (header = row 1)
    reason: str  # every problem of the row, in the installed language, joined by "；" ("; ")


@dataclass(slots=True)
class MappingResult:
    students: Sequence[Student] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _normalize(header: str) -> str:
    """'学号（必填）' -> '学号', 'Student_ID' -> 'studentid'."""
    return _NOISE.sub("", _BRACKETS.sub("", header)).casefold()


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """Field key -> column index (None when no header matches); each column used once."""
    normalized = [_normalize(h) for h in headers]
    used: set[int] = set()
    mapping: dict[str, int | None] = {}
    for f in FIELDS:
        mapping[f.key] = None
        for synonym in f.synonyms:  # earlier synonyms are the stronger ones
            col = next((i for i, h in enumerate(normalized) if h == synonym and i not in used),
                       None)
            if col is not None:
                mapping[f.key] = col
                used.add(col)
                break
    return mapping


def parse_status(text: str) -> StudentStatus | None:
    return STATUS_SYNONYMS.get(text.strip().casefold())


def map_rows(table: Table, mapping: Mapping[str, int | None]) -> MappingResult:
    """Build Students from ``table`` through ``mapping`` (field key -> column index).

    Raises ImportFileError when a required field has no column or the mapping is invalid;
    row problems become RowErrors. Import only when ``errors`` is empty (all or nothing).
    ``students`` is a sequence over ``table``: each Student is made when it is read, so the
    table's rows are not held twice.
    """
    cols = _check_mapping(table, mapping)
    no_col, name_col, status_col = _required(cols, "student_no"), _required(cols, "name"), \
        _required(cols, "status")
    rows, numbers = table.rows, table.row_numbers
    errors: list[RowError] = []
    good = array("q")
    codes = bytearray()
    seen: set[str] = set()  # 学号 taken by an earlier row
    first_row: dict[str, int] | None = None  # … and which row: made at the first duplicate
    for i, row in enumerate(rows):
        student_no, name, status_text = row[no_col], row[name_col], row[status_col]
        status = _STATUS_CODES.get(status_text)
        if status is None and status_text:
            parsed = parse_status(status_text)
            status = None if parsed is None else _STATUS_INDEX[parsed]
        fine_no = bool(student_no) and _SPACE.search(student_no) is None
        if fine_no and student_no not in seen and name and status is not None:
            seen.add(student_no)
            if first_row is not None:
                first_row[student_no] = numbers[i]
            good.append(i)
            codes.append(status)
            continue
        problems: list[str] = []
        if not student_no:
            problems.append(_("缺少学号"))
        elif not fine_no:
            problems.append(_("学号不能包含空格：{student_no}").format(student_no=student_no))
        elif student_no in seen:
            if first_row is None:
                first_row = _first_rows(rows, numbers, no_col, i)
            problems.append(_("学号重复（与第{row}行）").format(row=first_row[student_no]))
        else:
            seen.add(student_no)
            if first_row is not None:
                first_row[student_no] = numbers[i]
        if not name:
            problems.append(_("缺少姓名"))
        if not status_text:
            problems.append(_("缺少学籍状态"))
        elif status is None:
            problems.append(_("学籍状态无法识别：{status}").format(status=status_text))
        errors.append(RowError(numbers[i], _("；").join(problems)))
    students = MappedStudents(rows, good, codes,
                              (no_col, name_col, cols["college"], cols["class_name"]))
    return MappingResult(students, errors)


def _first_rows(rows: Sequence[Sequence[str]], numbers: Sequence[int], no_col: int,
                end: int) -> dict[str, int]:
    """学号 -> the row that has it first, over ``rows[:end]`` (the rule map_rows applies)."""
    first: dict[str, int] = {}
    for i in range(end):
        student_no = rows[i][no_col]
        if student_no and _SPACE.search(student_no) is None and student_no not in first:
            first[student_no] = numbers[i]
    return first


class MappedStudents(Sequence[Student]):
    """The good rows of a mapped table as Students, made one at a time when read."""

    __slots__ = ("_rows", "_good", "_codes", "_cols")

    def __init__(self, rows: Sequence[Sequence[str]], good: Sequence[int], codes: bytearray,
                 cols: tuple[int, int, int | None, int | None]) -> None:
        self._rows = rows
        self._good = good
        self._codes = codes
        self._cols = cols

    def __len__(self) -> int:
        return len(self._good)

    @overload
    def __getitem__(self, index: int) -> Student: ...
    @overload
    def __getitem__(self, index: slice) -> list[Student]: ...

    def __getitem__(self, index: int | slice) -> Student | list[Student]:
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(len(self._good)))]
        if index < 0:
            index += len(self._good)
        if not 0 <= index < len(self._good):
            raise IndexError(index)
        return self._make(index)

    def __iter__(self) -> Iterator[Student]:
        for i in range(len(self._good)):
            yield self._make(i)

    def __repr__(self) -> str:
        return f"<MappedStudents: {len(self._good)}>"

    def _make(self, i: int) -> Student:
        row = self._rows[self._good[i]]
        no_col, name_col, college_col, class_col = self._cols
        return Student(row[no_col], row[name_col],
                       row[college_col] if college_col is not None else "",
                       row[class_col] if class_col is not None else "",
                       _STATUSES[self._codes[i]])


def _required(cols: dict[str, int | None], key: str) -> int:
    col = cols[key]
    assert col is not None  # _check_mapping raised otherwise
    return col


def _check_mapping(table: Table, mapping: Mapping[str, int | None]) -> dict[str, int | None]:
    width = len(table.headers)
    cols: dict[str, int | None] = {}
    seen: dict[int, str] = {}
    for f in FIELDS:
        col = mapping.get(f.key)
        if col is not None:
            if not 0 <= col < width:
                raise ImportFileError(_("“{label}”对应的列不存在（第 {value} 列）").format(
                    label=_(f.label), value=col + 1))
            if col in seen:
                raise ImportFileError(_("“{value}”和“{label}”不能对应同一列").format(
                    value=seen[col], label=_(f.label)))
            seen[col] = _(f.label)
        cols[f.key] = col
    missing = [_(f.label) for f in FIELDS if f.required and cols[f.key] is None]
    if missing:
        raise ImportFileError(_("缺少必需的列：{value}").format(value=_("、").join(missing)))
    return cols
