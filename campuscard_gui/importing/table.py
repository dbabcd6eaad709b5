"""Read a student file (CSV or XLSX) into a plain table of strings.

CSV is decoded as UTF-8 (with or without BOM), else GB18030 (a superset of GBK, what Excel
on a Chinese Windows writes). XLSX: the first sheet, read-only. Row numbers are the ones a
spreadsheet user sees (the header is normally row 1); blank rows are dropped but counted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import ImportFileError

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_INTEGRAL_TEXT = re.compile(r"^-?\d+\.0+$")  # "2024001.0": a number mangled into text


@dataclass(frozen=True, slots=True)
class Table:
    """Header names and data rows (each padded or cut to ``len(headers)``), all stripped str.

    ``row_numbers[i]`` is the spreadsheet row of ``rows[i]``. ``encoding`` is the CSV
    encoding that worked ("utf-8-sig", "utf-8" or "gb18030"), "" for XLSX.
    """

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    encoding: str


def read_table(path: Path) -> Table:
    """Read ``path``; raises ImportFileError (Chinese message) when it cannot be used."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        raw_rows, encoding = _read_csv(path)
    elif suffix in XLSX_SUFFIXES:
        raw_rows, encoding = _read_xlsx(path), ""
    elif suffix == ".xls":
        raise ImportFileError("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后再导入")
    else:
        kind = path.suffix or "（无扩展名）"
        raise ImportFileError(f"不支持的文件类型“{kind}”，请使用 CSV 或 XLSX")
    return _to_table(raw_rows, encoding, path)


def _to_table(raw_rows: list[list[str]], encoding: str, path: Path) -> Table:
    header_at = next((i for i, r in enumerate(raw_rows) if any(r)), None)
    if header_at is None:
        raise ImportFileError(f"文件是空的：{path.name}")
    headers = _trim_right(raw_rows[header_at])
    if not any(headers):
        raise ImportFileError(f"找不到表头：{path.name}")
    width = len(headers)
    rows: list[list[str]] = []
    numbers: list[int] = []
    for i in range(header_at + 1, len(raw_rows)):
        row = raw_rows[i]
        if not any(row):
            continue
        rows.append(row[:width] + [""] * (width - len(row)))
        numbers.append(i + 1)
    return Table(headers, rows, numbers, encoding)


def _trim_right(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1]:
        end -= 1
    return row[:end]


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"无法读取文件：{path}（{exc.strerror or exc}）") from exc


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    try:
        text = data.decode("utf-8-sig")
        return text, "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ImportFileError(
            f"无法识别文件编码：{path.name}（请保存为 UTF-8 或 GBK 编码的 CSV）") from None


def _read_csv(path: Path) -> tuple[list[list[str]], str]:
    text, encoding = _decode(_read_bytes(path), path)
    if "\x00" in text:
        raise ImportFileError(f"不是文本格式的 CSV 文件：{path.name}")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count) if first_line else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportFileError(f"CSV 格式有误：{path.name}（{exc}）") from exc
    rows = [[_clean_text(cell) for cell in record] for record in records]
    return rows, encoding


def _clean_text(cell: str) -> str:
    cell = cell.strip()
    return cell.split(".", 1)[0] if _INTEGRAL_TEXT.match(cell) else cell


def _read_xlsx(path: Path) -> list[list[str]]:
    import openpyxl  # only XLSX imports pay for it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise ImportFileError(f"文件不存在：{path}") from exc
    except OSError as exc:
        raise ImportFileError(f"无法读取文件：{path}（{exc.strerror or exc}）") from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFileError(f"不是有效的 XLSX 文件：{path.name}") from exc
    try:
        if not wb.worksheets:
            return []
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # some writers store a wrong size; read what is really there
        return [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(f"XLSX 文件内容有误：{path.name}") from exc
    finally:
        wb.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()
