"""Map a table's columns to student fields and turn its rows into Students, checking each row.

Import is all or nothing: a caller imports ``MappingResult.students`` only when
``MappingResult.errors`` is empty, and otherwise shows the errors (row number + reason) so
the operator can fix the file. Nothing is written here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..core.errors import ImportFileError
from ..core.model import Student, StudentStatus
from .table import Table


@dataclass(frozen=True, slots=True)
class Field:
    key: str  # Student attribute name
    label: str  # the Chinese column name shown to the operator
    required: bool
    synonyms: tuple[str, ...]  # header spellings, compared after _normalize


FIELDS: tuple[Field, ...] = (
    Field("student_no", "学号", True,
          ("学号", "学生学号", "学生编号", "学籍号", "studentno", "studentid", "studentnumber",
           "sno")),
    Field("name", "姓名", True, ("姓名", "学生姓名", "名字", "name", "studentname", "fullname")),
    Field("college", "学院", False,
          ("学院", "院系", "所在学院", "学院名称", "院系名称", "系", "系别", "college",
           "department", "faculty", "school")),
    Field("class_name", "班级", False,
          ("班级", "班级名称", "行政班", "所在班级", "class", "classname")),
    Field("status", "学籍状态", True,
          ("学籍状态", "状态", "学籍", "在校状态", "学生状态", "status", "studentstatus",
           "enrollmentstatus")),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)

STATUS_SYNONYMS: dict[str, StudentStatus] = {
    **{s.value: s for s in StudentStatus},
    "在校": StudentStatus.ENROLLED,
    "enrolled": StudentStatus.ENROLLED,
    "suspended": StudentStatus.SUSPENDED,
    "已休学": StudentStatus.SUSPENDED,
    "withdrawn": StudentStatus.WITHDRAWN,
    "已退学": StudentStatus.WITHDRAWN,
    "graduated": StudentStatus.GRADUATED,
    "已毕业": StudentStatus.GRADUATED,
}

_BRACKETS = re.compile(r"[(（\[【].*?[)）\]】]")
_NOISE = re.compile(r"[\s_\-*:：.]+")


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # spreadsheet row number (header = row 1)
    reason: str  # Chinese, every problem of the row joined by "；"


@dataclass(slots=True)
class MappingResult:
    students: list[Student] = field(default_factory=list)
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
    """
    cols = _check_mapping(table, mapping)
    no_col, name_col, status_col = _required(cols, "student_no"), _required(cols, "name"), \
        _required(cols, "status")
    college_col, class_col = cols["college"], cols["class_name"]
    result = MappingResult()
    first_row: dict[str, int] = {}
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        problems: list[str] = []
        student_no = row[no_col]
        name = row[name_col]
        status_text = row[status_col]
        if not student_no:
            problems.append("缺少学号")
        elif any(c.isspace() for c in student_no):
            problems.append(f"学号不能包含空格：{student_no}")
        elif student_no in first_row:
            problems.append(f"学号重复（与第{first_row[student_no]}行）")
        else:
            first_row[student_no] = number
        if not name:
            problems.append("缺少姓名")
        status = parse_status(status_text) if status_text else None
        if not status_text:
            problems.append("缺少学籍状态")
        elif status is None:
            problems.append(f"学籍状态无法识别：{status_text}")
        if problems or status is None:
            result.errors.append(RowError(number, "；".join(problems)))
            continue
        result.students.append(Student(
            student_no, name,
            row[college_col] if college_col is not None else "",
            row[class_col] if class_col is not None else "",
            status,
        ))
    return result


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
                raise ImportFileError(f"“{f.label}”对应的列不存在（第 {col + 1} 列）")
            if col in seen:
                raise ImportFileError(f"“{seen[col]}”和“{f.label}”不能对应同一列")
            seen[col] = f.label
        cols[f.key] = col
    missing = [f.label for f in FIELDS if f.required and cols[f.key] is None]
    if missing:
        raise ImportFileError(f"缺少必需的列：{'、'.join(missing)}")
    return cols
