"""CSV/TSV, streamed: one pass finds the encoding (in 1 MiB chunks), a second parses the rows
with ``csv.reader`` over the open file. Nothing holds the whole text; one record is bounded
by ``ImportLimits.max_record_chars`` (a quoted field may span lines), one field by the csv
module's own limit."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from ..core.errors import ImportFileError
from ..core.text import _
from .limits import ImportLimits, clean_cell
from .table import TableBuilder

_CHUNK = 1 << 20
_DELIMITERS = ",\t;"


def read_csv(path: Path, table: TableBuilder, limits: ImportLimits) -> str:
    """Feed ``path``'s rows to ``table``; returns the encoding that worked."""
    encoding = _detect_encoding(path)
    try:
        with open(path, encoding=encoding, newline="") as f:
            first_line = f.readline(64 * 1024)
            delimiter = max(_DELIMITERS, key=first_line.count) if first_line else ","
            f.seek(0)
            lines = _BoundedLines(f, path, limits.max_record_chars)
            number = 0
            for record in csv.reader(lines, delimiter=delimiter):
                lines.pending = 0
                number += 1
                table.add(number, [clean_cell(cell) for cell in record])
    except csv.Error as exc:
        raise ImportFileError(_("CSV 格式有误：{name}（{exc}）").format(
            name=path.name, exc=exc)) from exc
    except UnicodeDecodeError as exc:  # the file changed after its encoding was checked
        raise ImportFileError(_("无法识别文件编码：{name}").format(name=path.name)) from exc
    except OSError as exc:
        raise ImportFileError(_("无法读取文件：{path}（{value}）").format(
            path=path, value=exc.strerror or exc)) from exc
    return encoding


class _BoundedLines(Iterator[str]):
    """The file's lines for csv.reader; raises once the record being read grows past
    ``limit`` characters (the caller resets ``pending`` after each record)."""

    def __init__(self, f: TextIO, path: Path, limit: int) -> None:
        self._f = f
        self._path = path
        self._limit = limit
        self.pending = 0

    def __next__(self) -> str:
        line = self._f.readline(self._limit + 1)
        if not line:
            raise StopIteration
        self.pending += len(line)
        if self.pending > self._limit:
            raise ImportFileError(
                _("文件“{name}”中有一行超过 {limit:,} 个字符，不像学生名单；请检查文件（引号是否成"
                  "对）").format(
                    name=self._path.name, limit=self._limit))
        return line


def _detect_encoding(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            bom = f.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
        for encoding in ("utf-8", "gb18030"):
            if _decodes(path, encoding):
                return "utf-8-sig" if bom and encoding == "utf-8" else encoding
    except OSError as exc:
        raise ImportFileError(_("无法读取文件：{path}（{value}）").format(
            path=path, value=exc.strerror or exc)) from exc
    raise ImportFileError(
        _("无法识别文件编码：{name}（请保存为 UTF-8 或 GBK 编码的 CSV）").format(
            name=path.name)) from None


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(_CHUNK):
                if b"\x00" in chunk:
                    raise ImportFileError(_("不是文本格式的 CSV 文件：{name}").format(
                        name=path.name))
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
