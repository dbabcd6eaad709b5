"""Hostile import files: malformed XLSX of every kind, compression bombs, too many rows, too
long records — each a per-file ImportFileError with the operator's message (in the CLI: exit
2, no traceback), read with bounded time and memory; property tests over arbitrary files."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peak_memory import run_cli_measured

import campuscard_gui
from campuscard_gui.cli.commands import main
from campuscard_gui.core.errors import ImportFileError
from campuscard_gui.importing import (
    ImportLimits,
    RowLimitError,
    Table,
    UnsafeFileError,
    clean_cell,
    guess_mapping,
    map_rows,
    read_table,
)

ROOT = Path(campuscard_gui.__file__).resolve().parents[1]
SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b"<sheetData>")
SHEET_TAIL = b"</sheetData></worksheet>"


def good_xlsx(rows: list[list[object]] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows or [["学号", "姓名", "学籍状态"], ["2024000001", "张三", "在读"]]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = good_xlsx()
Part = bytes | Callable[[io.BufferedIOBase], None] | None


def rewrite(parts: dict[str, Part], source: bytes = GOOD,
            compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """``source`` with the named parts replaced (bytes, or a function that streams them into
    the open part), removed (None) or added."""
    out = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(source))
    names = [i.filename for i in src.infolist()] + [n for n in parts if n not in src.namelist()]
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name in names:
            part = parts.get(name, src.read(name) if name in src.namelist() else None)
            if part is None:
                continue
            if isinstance(part, bytes):
                zf.writestr(name, part)
            else:
                with zf.open(name, "w", force_zip64=True) as f:
                    part(f)  # type: ignore[arg-type]
    return out.getvalue()


def bomb(size: int, unit: bytes) -> Callable[[io.BufferedIOBase], None]:
    def write(f: io.BufferedIOBase) -> None:
        f.write(SHEET_HEAD)
        block = unit * max(1, (1 << 20) // len(unit))
        for _ in range(size // len(block)):
            f.write(block)
        f.write(SHEET_TAIL)
    return write


def lie_about_size(data: bytes, name: str, declared: int) -> bytes:
    """The archive with ``name``'s uncompressed size field (local header and central
    directory) set to ``declared``: what a hand-made bomb says of itself."""
    raw = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    local = info.header_offset
    assert raw[local:local + 4] == b"PK\x03\x04"
    raw[local + 22:local + 26] = declared.to_bytes(4, "little")
    central = raw.find(b"PK\x01\x02")
    while central != -1:
        name_len = int.from_bytes(raw[central + 28:central + 30], "little")
        if raw[central + 46:central + 46 + name_len] == name.encode():
            raw[central + 24:central + 28] = declared.to_bytes(4, "little")
            return bytes(raw)
        central = raw.find(b"PK\x01\x02", central + 4)
    raise AssertionError("no central directory entry")


def encrypted_member() -> bytes:
    data = bytearray(GOOD)
    zf = zipfile.ZipFile(io.BytesIO(GOOD))
    for info in zf.infolist():  # set the "encrypted" flag bit everywhere
        data[info.header_offset + 6] |= 0x1
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        data[pos + 8] |= 0x1
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def not_a_sheet_dtd() -> bytes:
    return rewrite({SHEET: b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
                           b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                    + SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is>'
                    b"</c></row>" + SHEET_TAIL})


def bzip2_archive() -> bytes:
    return rewrite({}, compression=zipfile.ZIP_BZIP2)


MALFORMED: dict[str, tuple[Callable[[], bytes], str]] = {
    "not a zip": (lambda: b"hello, this is not a workbook", "不是有效的 XLSX 文件"),
    "empty file": (lambda: b"", "不是有效的 XLSX 文件"),
    "truncated zip": (lambda: GOOD[: len(GOOD) // 2], "不是有效的 XLSX 文件"),
    "zip without a workbook": (lambda: rewrite({n: None for n in zipfile.ZipFile(
        io.BytesIO(GOOD)).namelist()} | {"readme.txt": b"hi"}), "不是有效的 XLSX 文件"),
    "workbook part missing": (lambda: rewrite({"xl/workbook.xml": None}),
                              "不是有效的 XLSX 文件"),
    "sheet part missing": (lambda: rewrite({SHEET: None}), "没有可以读取的工作表"),
    "broken content types": (lambda: rewrite({"[Content_Types].xml": b"<<<"}),
                             r"XLSX 文件内容有误.*Content_Types"),
    "broken workbook xml": (lambda: rewrite({"xl/workbook.xml": b"<workbook"}),
                            "XLSX 文件内容有误"),
    "broken styles": (lambda: rewrite({"xl/styles.xml": b"<styleSheet><x"}),
                      "XLSX 文件内容有误"),
    "workbook of the wrong shape": (lambda: rewrite({"xl/workbook.xml": b"<a><b/></a>"}),
                                    "没有可以读取的工作表"),
    "broken sheet xml": (lambda: rewrite({SHEET: SHEET_HEAD + b'<row r="1"><c r="A1" t="s">'}),
                         "XLSX 文件内容有误"),
    "shared string out of range": (lambda: rewrite({SHEET: SHEET_HEAD + b'<row r="1">'
                                                    b'<c r="A1" t="s"><v>99</v></c></row>'
                                                    + SHEET_TAIL}), "XLSX 文件内容有误"),
    "bad cell number": (lambda: rewrite({SHEET: SHEET_HEAD + b'<row r="1"><c r="A1" t="n">'
                                         b"<v>abc</v></c></row>" + SHEET_TAIL}),
                        "XLSX 文件内容有误"),
    "encrypted workbook (OLE container)": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "加密"),
    "zip-encrypted parts": (encrypted_member, "加密"),
    "unsupported compression": (bzip2_archive, "不支持的压缩方式"),
    "document type declaration": (not_a_sheet_dtd, "DTD"),
    "size lie (declared small)": (lambda: lie_about_size(rewrite({SHEET: SHEET_HEAD + (
        b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 100_000) + SHEET_TAIL}),
        SHEET, 4096), "不是有效的 XLSX 文件"),  # its CRC fails: never more than 4096 bytes
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_malformed_xlsx_is_a_file_error(tmp_path: Path, kind: str) -> None:
    make, message = MALFORMED[kind]
    path = tmp_path / "名单.xlsx"
    path.write_bytes(make())
    with pytest.raises(ImportFileError, match=message) as raised:
        read_table(path)
    assert "名单.xlsx" in raised.value.message
    assert raised.value.code.startswith("import")


def test_malformed_xlsx_in_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for kind, (make, message) in MALFORMED.items():
        path = tmp_path / "s.xlsx"
        path.write_bytes(make())
        code = main(["local", "import", str(path), "--yes"])
        out, err = capsys.readouterr()
        assert code == 2, kind
        assert err.startswith("错误：") and "s.xlsx" in err, (kind, err)
        assert re.search(message, err), (kind, err)
        assert "Traceback" not in err and out == "", kind


def cli(*argv: str, env_dirs: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    env["CAMPUSCARD_CONFIG_DIR"] = str(env_dirs / "config")
    env["CAMPUSCARD_DATA_DIR"] = str(env_dirs / "data")
    return subprocess.run([sys.executable, "-m", "campuscard_gui.cli", *argv],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=120, check=False)


def test_malformed_xlsx_in_a_real_process(tmp_path: Path) -> None:
    for kind in ("broken sheet xml", "broken content types", "shared string out of range"):
        path = tmp_path / "s.xlsx"
        path.write_bytes(MALFORMED[kind][0]())
        res = cli("local", "import", str(path), "--yes", env_dirs=tmp_path)
        assert res.returncode == 2, (kind, res.stderr)
        assert res.stderr.startswith("错误：XLSX 文件内容有误：s.xlsx"), (kind, res.stderr)
        assert "Traceback" not in res.stderr


# -- compression bombs ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sheet_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """256 MiB of rows packed into well under 1 MiB: ~5 million rows (read whole, as before,
    they took gigabytes)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    path.write_bytes(rewrite({SHEET: bomb(256 << 20, b'<row><c t="inlineStr"><is><t>x</t>'
                                                     b"</is></c></row>")}))
    assert path.stat().st_size < 1 << 20
    return path


def test_zip_bomb_is_refused_before_unpacking(sheet_bomb: Path) -> None:
    started = time.perf_counter()
    with pytest.raises(UnsafeFileError, match="疑似压缩炸弹") as raised:
        read_table(sheet_bomb)
    assert time.perf_counter() - started < 2.0
    assert "bomb.xlsx" in raised.value.message and SHEET in raised.value.message


def test_zip_bomb_in_a_real_process_bounded_memory(sheet_bomb: Path, tmp_path: Path) -> None:
    """The CLI refuses it with a message, quickly, in a process that stays small."""
    env = dict(os.environ)
    env["CAMPUSCARD_CONFIG_DIR"] = str(tmp_path / "config")
    env["CAMPUSCARD_DATA_DIR"] = str(tmp_path / "data")
    run = run_cli_measured(["local", "import", str(sheet_bomb), "--yes"], env)
    assert run.returncode == 2 and "疑似压缩炸弹" in run.stderr and "Traceback" not in run.stderr
    assert 0 < run.peak_mb < 150, f"peak RSS {run.peak_mb:.0f} MB"


def test_shared_strings_bomb_and_unpacked_total(tmp_path: Path) -> None:
    strings = rewrite({"xl/sharedStrings.xml": bomb(64 << 20, b"<si><t>x</t></si>")})
    path = tmp_path / "strings.xlsx"
    path.write_bytes(strings)
    with pytest.raises(UnsafeFileError, match="sharedStrings"):
        read_table(path)
    # below the ratio rule but over the total a file may unpack to
    with pytest.raises(UnsafeFileError, match="解压后"):
        read_table(path, ImportLimits(max_ratio=1e9, max_unpacked_bytes=32 << 20))
    # … or over what one part other than a sheet may be
    with pytest.raises(UnsafeFileError, match="sharedStrings.*超过上限"):
        read_table(path, ImportLimits(max_ratio=1e9))


@pytest.mark.parametrize(("parts", "name_size", "zip64", "message"), [
    (10_001, 1, False, "部件过多（10,001 个）"),
    (70_000, 1, True, "部件过多（70,000 个）"),  # over 65,535: counted in the ZIP64 record
    (200, 60_000, False, "目录过大"),  # names of 60,000 bytes each
])
def test_archive_directory_is_checked_before_it_is_read(tmp_path: Path, parts: int,
                                                        name_size: int, zip64: bool,
                                                        message: str) -> None:
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w", allowZip64=zip64) as zf:
        for i in range(parts):
            zf.writestr(f"{i}".ljust(name_size, "n"), b"")
    with pytest.raises(UnsafeFileError, match=message):
        read_table(path)


def test_a_real_sheet_compresses_well_below_the_ratio(tmp_path: Path) -> None:
    rows: list[list[object]] = [["学号", "姓名", "学籍状态"]]
    rows += [[f"20240{i:05d}", "张三", "在读"] for i in range(5_000)]
    path = tmp_path / "ok.xlsx"
    path.write_bytes(good_xlsx(rows))
    table = read_table(path, ImportLimits(ratio_floor_bytes=1 << 10))  # the ratio applies
    assert len(table.rows) == 5_000


# -- caps on rows, columns, records -----------------------------------------------------------

def csv_file(tmp_path: Path, rows: int, tail: str = "", name: str = "big.csv") -> Path:
    path = tmp_path / name
    lines = ["学号,姓名,学籍状态"] + [f"{2024000000 + i},某{i},在读" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")
    return path


def test_row_cap_stops_reading_at_the_first_row_too_many(tmp_path: Path) -> None:
    # after the 11th row comes a record that would be refused for its length: the cap is
    # what is reported, so reading stopped there
    path = csv_file(tmp_path, 11, tail='1,"' + "x" * 5000 + "\n")
    limits = ImportLimits(max_rows=10, max_record_chars=1000)
    with pytest.raises(RowLimitError, match="导入上限 10 行") as raised:
        read_table(path, limits)
    assert "big.csv" in raised.value.message and raised.value.limit == 10
    assert len(read_table(csv_file(tmp_path, 10, name="ten.csv"), limits).rows) == 10
    with pytest.raises(ImportFileError, match="超过 1,000 个字符"):
        read_table(path, ImportLimits(max_rows=20, max_record_chars=1000))


def test_row_cap_xlsx(tmp_path: Path) -> None:
    rows: list[list[object]] = [["学号", "姓名", "学籍状态"]]
    rows += [[str(i), "某", "在读"] for i in range(1, 8)]
    path = tmp_path / "s.xlsx"
    path.write_bytes(good_xlsx(rows))
    with pytest.raises(RowLimitError, match="导入上限 5 行"):
        read_table(path, ImportLimits(max_rows=5))
    assert len(read_table(path, ImportLimits(max_rows=7)).rows) == 7


def test_row_cap_in_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path, 30)
    code = main(["local", "import", str(path), "--yes", "--max-rows", "20"])
    err = capsys.readouterr().err
    assert code == 2
    assert "big.csv" in err and "导入上限 20 行" in err and "--max-rows" in err
    assert main(["local", "import", str(path), "--yes", "--max-rows", "30"]) == 0
    assert "新增 30" in capsys.readouterr().err
    assert main(["local", "import", str(path), "--yes", "--max-rows", "0"]) == 2  # usage


def test_blank_rows_and_wide_headers_are_bounded(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("学号,姓名,学籍状态\n" + ",,\n" * 50 + "1,甲,在读\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="空行过多"):
        read_table(path, ImportLimits(max_blank_rows=20))
    assert len(read_table(path).rows) == 1
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(1_001)) + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="1001 列"):
        read_table(wide)


def test_cells_far_to_the_right_do_not_widen_xlsx_rows(tmp_path: Path) -> None:
    # every row has a cell in Excel's last column (XFD): rows stay as wide as the header
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{r}</t></is></c>'
                   f'<c r="B{r}" t="inlineStr"><is><t>某</t></is></c>'
                   f'<c r="C{r}" t="inlineStr"><is><t>在读</t></is></c>'
                   f'<c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c></row>'
                   for r in range(2, 3_002))
    header = ('<row r="1"><c r="A1" t="inlineStr"><is><t>学号</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>姓名</t></is></c>'
              '<c r="C1" t="inlineStr"><is><t>学籍状态</t></is></c></row>')
    path = tmp_path / "far.xlsx"
    path.write_bytes(rewrite({SHEET: SHEET_HEAD + (header + rows).encode() + SHEET_TAIL}))
    started = time.perf_counter()
    table = read_table(path)
    assert time.perf_counter() - started < 5.0
    assert table.headers == ["学号", "姓名", "学籍状态"] and len(table.rows) == 3_000
    assert table.rows[0] == ("2", "某", "在读")


# -- the space that keeps a formula text --------------------------------------------------------

@pytest.mark.parametrize(("cell", "kept"), [
    (" =1+1 ", " =1+1"), ("\t=SUM(A1)", "\t=SUM(A1)"), ("  +86 138", "  +86 138"),
    (" -5", " -5"), (" @A1", " @A1"), ("=1+1", "=1+1"), ("  张三  ", "张三"),
    (" 2024001.0 ", "2024001"), ("-12.00", "-12"), ("1.5", "1.5"), ("   ", ""),
    ("a = b ", "a = b"),
])
def test_clean_cell(cell: str, kept: str) -> None:
    assert clean_cell(cell) == kept
    assert clean_cell(kept) == kept


def test_leading_space_before_a_formula_survives_import(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text('学号,姓名,学籍状态\n1, =1+1,在读\n2,"\t@cmd",在读\n3,  李四 ,在读\n',
                    encoding="utf-8")
    table = read_table(path)
    students = list(map_rows(table, guess_mapping(table.headers)).students)
    assert [s.name for s in students] == [" =1+1", "\t@cmd", "李四"]
    xlsx = tmp_path / "s.xlsx"
    xlsx.write_bytes(good_xlsx([["学号", "姓名", "学籍状态"], ["1", " =1+1", "在读"],
                                ["2", " 王五 ", "在读"]]))
    assert [r[1] for r in read_table(xlsx).rows] == [" =1+1", "王五"]


# -- property tests: only typed errors escape ---------------------------------------------------

# each example writes its own file over the last one: a shared tmp_path is fine
FIXTURE_OK = [HealthCheck.function_scoped_fixture]


def read_or_file_error(path: Path) -> Table | None:
    try:
        return read_table(path)
    except ImportFileError as exc:
        assert exc.message and exc.code.startswith("import")
        return None


@settings(suppress_health_check=FIXTURE_OK)
@given(data=st.binary(max_size=2_000), suffix=st.sampled_from([".csv", ".tsv", ".xlsx"]))
def test_arbitrary_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    read_or_file_error(path)


@settings(max_examples=60, suppress_health_check=FIXTURE_OK)
@given(edits=st.lists(st.tuples(st.integers(0, len(GOOD) - 1), st.binary(min_size=1,
                                                                         max_size=8)),
                      min_size=1, max_size=4))
def test_damaged_xlsx(tmp_path: Path, edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(GOOD)
    for at, chunk in edits:
        data[at:at + len(chunk)] = chunk
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    read_or_file_error(path)


@settings(max_examples=60, suppress_health_check=FIXTURE_OK)
@given(part=st.sampled_from(sorted(zipfile.ZipFile(io.BytesIO(GOOD)).namelist())),
       body=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_damaged_xlsx_part(tmp_path: Path, part: str, body: bytes) -> None:
    path = tmp_path / "part.xlsx"
    path.write_bytes(rewrite({part: body}))
    read_or_file_error(path)


@settings(suppress_health_check=FIXTURE_OK)
@given(text=st.text(max_size=500))
def test_arbitrary_csv_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    table = read_or_file_error(path)
    if table is not None:
        assert all(len(row) == len(table.headers) for row in table.rows)
        assert len(table.row_numbers) == len(table.rows)


CELL = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=12)


@settings(suppress_health_check=FIXTURE_OK)
@given(rows=st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=8))
def test_csv_cells_round_trip(tmp_path: Path, rows: list[list[str]]) -> None:
    """Whatever the cells, a CSV written by the csv module reads back as the cleaned cells,
    on the rows the operator sees them on; blank rows are skipped."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["学号", "姓名", "学籍状态"])
    writer.writerows(rows)
    path = tmp_path / "r.csv"
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    table = read_table(path)
    expected = [(n, tuple(clean_cell(c) for c in row)) for n, row in enumerate(rows, start=2)]
    expected = [(n, row) for n, row in expected if any(row)]
    assert list(zip(table.row_numbers, table.rows, strict=True)) == expected
    result = map_rows(table, guess_mapping(table.headers))
    assert len(result.students) + len(result.errors) == len(table.rows)


XLSX_CELL = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).filter(
    lambda s: not s.startswith("="))


@settings(max_examples=30, suppress_health_check=FIXTURE_OK)
@given(rows=st.lists(st.lists(XLSX_CELL | st.integers(-10**6, 10**12), min_size=3,
                              max_size=3), min_size=1, max_size=6))
def test_xlsx_cells_round_trip(tmp_path: Path, rows: list[list[object]]) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(good_xlsx([["学号", "姓名", "学籍状态"], *rows]))
    table = read_table(path)
    expected = [tuple(clean_cell(c) if isinstance(c, str) else str(c) for c in row)
                for row in rows]
    assert table.rows == [row for row in expected if any(row)]
