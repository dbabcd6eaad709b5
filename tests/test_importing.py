"""Student import: reading CSV/XLSX, mapping columns, checking rows (campuscard_gui/importing)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from campuscard_gui.backends.local.connector import ImportSummary, LocalConnector, init_empty
from campuscard_gui.core.errors import ImportFileError
from campuscard_gui.core.model import Student, StudentStatus
from campuscard_gui.importing import (
    FIELD_KEYS,
    RowError,
    Table,
    guess_mapping,
    map_rows,
    read_table,
)

CSV_TEXT = (
    "学号,姓名,学院,班级,学籍状态\n"
    "2024000001,张三,计算机学院,计科2401,在读\n"
    "2024000002,李四,外国语学院,英语2401,休学\n"
)
GOOD = [
    Student("2024000001", "张三", "计算机学院", "计科2401", StudentStatus.ENROLLED),
    Student("2024000002", "李四", "外国语学院", "英语2401", StudentStatus.SUSPENDED),
]


def load(path: Path) -> tuple[Table, list[Student], list[RowError]]:
    table = read_table(path)
    result = map_rows(table, guess_mapping(table.headers))
    return table, list(result.students), result.errors


@pytest.mark.parametrize(("encoding", "reported"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"),
])
def test_csv_encodings(tmp_path: Path, encoding: str, reported: str) -> None:
    path = tmp_path / "students.csv"
    path.write_bytes(CSV_TEXT.replace("\n", "\r\n").encode(encoding))
    table, students, errors = load(path)
    assert table.encoding == reported
    assert table.headers == ["学号", "姓名", "学院", "班级", "学籍状态"]
    assert list(table.row_numbers) == [2, 3]
    assert (students, errors) == (GOOD, [])


def test_xlsx_first_sheet_numbers_and_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "students.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Student ID", "Name", "College", "Class", "Status"])
    ws.append([2024000001.0, " 张三 ", "计算机学院", "计科2401", "Enrolled"])
    ws.append([None, None, None, None, None])
    ws.append([2024000002, "李四", "外国语学院", "英语2401", "SUSPENDED"])
    wb.create_sheet("other").append(["ignored"])
    wb.save(path)
    table, students, errors = load(path)
    assert table.encoding == ""
    assert table.rows[0][0] == "2024000001" and table.rows[0][1] == "张三"
    assert list(table.row_numbers) == [2, 4]
    assert (students, errors) == (GOOD, [])


def test_guess_mapping_by_synonyms() -> None:
    assert guess_mapping(["学号（必填）", "学生姓名", "院系", "班级名称", "状态", "备注"]) == {
        "student_no": 0, "name": 1, "college": 2, "class_name": 3, "status": 4}
    assert guess_mapping(["student_no", "NAME", "Department", "class", "Student Status"]) == {
        "student_no": 0, "name": 1, "college": 2, "class_name": 3, "status": 4}
    mapping = guess_mapping(["姓名", "电话"])
    assert set(mapping) == set(FIELD_KEYS)
    assert mapping["name"] == 0 and mapping["student_no"] is None and mapping["status"] is None


def test_bad_rows_are_reported_with_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "学号,姓名,学籍状态\n"
        "2024000001,张三,在读\n"       # row 2: fine
        ",无学号,在读\n"               # row 3
        "2024000003,王五,在职\n"       # row 4
        "\n"                           # row 5: blank, skipped but counted
        "2024000001,张三二,graduated\n"  # row 6: duplicate of row 2
        "2024000007,,\n"               # row 7: two problems
        "2024 0008,赵八,毕业\n",       # row 8
        encoding="utf-8",
    )
    _, students, errors = load(path)
    assert [s.student_no for s in students] == ["2024000001"]
    assert errors == [
        RowError(3, "缺少学号"),
        RowError(4, "学籍状态无法识别：在职"),
        RowError(6, "学号重复（与第2行）"),
        RowError(7, "缺少姓名；缺少学籍状态"),
        RowError(8, "学号不能包含空格：2024 0008"),
    ]


def test_nothing_is_imported_when_any_row_is_bad(tmp_path: Path) -> None:
    db = tmp_path / "real.sqlite3"
    init_empty(db)
    conn = LocalConnector(db)
    try:
        bad = tmp_path / "bad.csv"
        bad.write_text(CSV_TEXT + "2024000003,王五,理学院,数学2401,未知\n", encoding="utf-8")
        _, students, errors = load(bad)
        assert len(students) == 2 and errors == [RowError(4, "学籍状态无法识别：未知")]
        if not errors:  # the documented rule: all or nothing
            conn.import_students(students)
        assert conn.list_rows() == []
        good = tmp_path / "good.csv"
        good.write_text(CSV_TEXT, encoding="utf-8")
        _, students, errors = load(good)
        assert errors == []
        assert conn.import_students(students) == ImportSummary(2, 0, 0)
        assert [r.student for r in conn.list_rows()] == GOOD
    finally:
        conn.close()


def test_missing_required_column_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("姓名,学院\n张三,理学院\n", encoding="utf-8")
    table = read_table(path)
    with pytest.raises(ImportFileError, match="学号、学籍状态"):
        map_rows(table, guess_mapping(table.headers))
    with pytest.raises(ImportFileError, match="同一列"):
        map_rows(table, {"student_no": 0, "name": 0, "status": 1})
    with pytest.raises(ImportFileError, match="不存在"):
        map_rows(table, {"student_no": 0, "name": 1, "status": 9})


def test_csv_details(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        '\ufeff学号;姓名;学籍状态;班级\n'
        '2024000001.0;"张\n三";在读\n'   # a quoted line break: still one spreadsheet row
        '2024000002;李四;毕业;数学2001;extra\n',
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.encoding == "utf-8-sig"
    assert table.rows == [("2024000001", "张\n三", "在读", ""),
                          ("2024000002", "李四", "毕业", "数学2001")]
    assert list(table.row_numbers) == [2, 3]
    tsv = tmp_path / "s.tsv"
    tsv.write_text("学号\t姓名\t学籍状态\n1\t张三\tWithdrawn\n", encoding="utf-8")
    result = map_rows(read_table(tsv), guess_mapping(read_table(tsv).headers))
    assert result.students[0].status is StudentStatus.WITHDRAWN


@pytest.mark.parametrize(("name", "content", "message"), [
    ("s.pdf", b"%PDF", "不支持的文件类型"),
    ("s.xls", b"\xd0\xcf\x11\xe0", ".xls"),
    ("s.csv", b"", "文件是空的"),
    ("s.csv", b"\r\n , ,\r\n\r\n", "文件是空的"),
    ("s.xlsx", b"PK\x03\x04 not really a zip", "不是有效的 XLSX 文件"),
    ("s.csv", b"\x81\x30\x81", "无法识别文件编码"),
])
def test_unusable_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        read_table(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="无法读取文件"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(ImportFileError, match="文件不存在"):
        read_table(tmp_path / "nope.xlsx")


def test_empty_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ImportFileError, match="文件是空的"):
        read_table(path)
