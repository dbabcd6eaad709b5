"""Exporting job results: CSV with BOM for Excel, XLSX via openpyxl, atomic writes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook

from campuscard_gui.batch import JobRecord
from campuscard_gui.core.model import Action
from campuscard_gui.core.outcomes import Cancelled, Failed, Skipped, SkipReason, Succeeded
from campuscard_gui.export import (
    DEFAULT_HEADERS,
    ExportLabels,
    csv_cell,
    export_csv,
    export_xlsx,
    xlsx_text,
)

RECORDS = [
    JobRecord("0012001", "张三", Action.OPEN, Succeeded("C-1"), "C-1", 0),
    JobRecord("0012002", "李四", Action.OPEN, Failed("conflict", "该卡在此期间已被修改"), "", 1),
    JobRecord("0012003", "王五", Action.OPEN, Skipped(SkipReason.STUDENT_NOT_ENROLLED, "休学"),
              "", 2),
    JobRecord("0012004", "=HYPERLINK(\"x\")", Action.OPEN, Cancelled(), "", 3),
    JobRecord("0012005", "赵六", Action.OPEN, None, "", 4),
]

EXPECTED = [
    ["0012001", "张三", "开通一卡通", "成功", "", "C-1"],
    ["0012002", "李四", "开通一卡通", "失败", "[conflict] 该卡在此期间已被修改", ""],
    ["0012003", "王五", "开通一卡通", "跳过", "学籍状态不是在读（休学）", ""],
    ["0012004", "=HYPERLINK(\"x\")", "开通一卡通", "已取消", "已取消", ""],
    ["0012005", "赵六", "开通一卡通", "待处理", "", ""],
]


def test_csv_has_bom_and_chinese(tmp_path):
    path = tmp_path / "out.csv"
    assert export_csv(path, RECORDS) == len(RECORDS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "张三".encode() in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(DEFAULT_HEADERS)
    expected = [list(r) for r in EXPECTED]
    expected[3][1] = "'" + expected[3][1]  # no formula injection into Excel
    assert rows[1:] == expected
    assert b"\r\n" in raw  # Excel's line ends


def test_csv_with_translated_labels(tmp_path):
    labels = ExportLabels(
        headers=("No.", "Name", "Action", "Result", "Reason", "Card"),
        action=lambda a: a.value, kind=lambda k: "?" if k is None else k.value,
        reason=lambda o: "r" if o is not None else "",
    )
    path = tmp_path / "en.csv"
    export_csv(path, RECORDS[:2], labels)
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))
    assert rows == [["No.", "Name", "Action", "Result", "Reason", "Card"],
                    ["0012001", "张三", "open", "succeeded", "r", "C-1"],
                    ["0012002", "李四", "open", "failed", "r", ""]]


def test_labels_need_six_headers():
    with pytest.raises(ValueError):
        ExportLabels(headers=("a", "b"))


def test_xlsx_reads_back(tmp_path):
    path = tmp_path / "out.xlsx"
    assert export_xlsx(path, RECORDS) == len(RECORDS)
    wb = load_workbook(path)
    ws = wb.active
    rows = [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]
    assert rows[0] == list(DEFAULT_HEADERS)
    assert rows[1:] == EXPECTED  # 学号 keeps its leading zeros: stored as text
    assert ws["A1"].font.bold
    assert ws["A2"].data_type == "s"
    assert ws["B5"].data_type == "s"  # a name that looks like a formula stays text
    assert ws.column_dimensions["E"].width >= 40


def _failing() -> Iterator[JobRecord]:
    yield RECORDS[0]
    raise OSError("disk went away")


@pytest.mark.parametrize("writer", [export_csv, export_xlsx])
def test_failure_leaves_no_half_file(tmp_path, writer):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    path = tmp_path / "keep.out"
    path.write_bytes(b"old")
    with pytest.raises(OSError):
        writer(path, _failing())
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.out"]

    fresh = tmp_path / "new.out"
    with pytest.raises(OSError):
        writer(fresh, _failing())
    assert not fresh.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.out"]


def test_xlsx_save_failure_leaves_no_file(tmp_path, monkeypatch):
    import openpyxl.workbook.workbook as wbmod

    real_save = wbmod.Workbook.save

    def broken_save(self, filename):
        real_save(self, filename)  # the temp file is written ...
        raise OSError("disk full")  # ... but the write is reported failed

    monkeypatch.setattr(wbmod.Workbook, "save", broken_save)
    out = tmp_path / "out"
    with pytest.raises(OSError):
        export_xlsx(out / "x.xlsx", RECORDS)
    assert list(out.iterdir()) == []


# -- formulas and characters a cell cannot hold ------------------------------------------------

HOSTILE_NAMES = {
    "formula": '=HYPERLINK("http://evil.example","点我")',
    "plus": "+1+1",
    "minus": "-2+3",
    "at": "@SUM(A1)",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
    "space": " =1+1",  # already text to a spreadsheet: left exactly as it is
    "plain": "张三",
    "esc": "张\x1b[31m三\x07",
    "surrogate": "李\ud800四",
}


def hostile_records() -> list[JobRecord]:
    return [JobRecord(f"00{i}", name, Action.FREEZE, Failed("x", f"原因 {name}"), "", i)
            for i, name in enumerate(HOSTILE_NAMES.values())]


@pytest.mark.parametrize(("text", "cell"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), (" =1+1", " =1+1"), ("a=1", "a=1"), ("", ""), ("李\ud800四", "李\ufffd四"),
])
def test_csv_cell(text, cell):
    assert csv_cell(text) == cell


def test_xlsx_text():
    assert xlsx_text("a\x1bb\x00c\x07\td\ne\rf\ud83d\ufffeg") == \
        "a\ufffdb\ufffdc\ufffd\td\ne\rf\ufffd\ufffdg"
    assert xlsx_text("张三 =1") == "张三 =1"


def test_csv_export_neutralizes_every_formula_start(tmp_path):
    path = tmp_path / "out.csv"
    assert export_csv(path, hostile_records()) == len(HOSTILE_NAMES)
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))[1:]
    names = dict(zip(HOSTILE_NAMES, (r[1] for r in rows), strict=True))
    for key in ("formula", "plus", "minus", "at", "tab", "cr"):
        assert names[key] == "'" + HOSTILE_NAMES[key]
    assert names["space"] == " =1+1" and names["plain"] == "张三"
    assert names["esc"] == HOSTILE_NAMES["esc"]  # a CSV cell can hold it
    assert names["surrogate"] == "李\ufffd四"  # UTF-8 cannot
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r)


def test_xlsx_export_with_control_characters_succeeds(tmp_path):
    path = tmp_path / "out.xlsx"
    assert export_xlsx(path, hostile_records()) == len(HOSTILE_NAMES)
    ws = load_workbook(path).active
    names = dict(zip(HOSTILE_NAMES, (ws.cell(row=r, column=2) for r in range(2, 12)),
                     strict=True))
    assert names["esc"].value == "张\ufffd[31m三\ufffd"
    assert names["surrogate"].value == "李\ufffd四"
    assert ws.cell(row=10, column=5).value == "[x] 原因 张\ufffd[31m三\ufffd"
    for key in ("formula", "plus", "minus", "at", "tab", "space"):
        assert names[key].value == HOSTILE_NAMES[key] and names[key].data_type == "s", key
    assert names["cr"].value in ("\r=1+1", "\n=1+1")  # XML turns a lone CR into LF on read
