"""XLSX, streamed and checked before it is opened.

An XLSX file is a ZIP archive of XML parts. Before openpyxl sees it, the archive's directory
is checked against ``ImportLimits`` (declared unpacked sizes, per-part compression ratio,
number of parts, encryption, compression method; Python's zipfile never unpacks more than a
part declares) and every XML part's prolog is read up to its root element: a document type
declaration (where entity expansion lives) has no place in a workbook and is refused. Then
the first sheet is read with openpyxl's read-only ``iter_rows``, one row at a time, from the
same open file. Any failure inside openpyxl, zipfile or the XML parser is the file's
problem, reported as an ``ImportFileError``.
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from ..core.errors import ImportFileError
from ..core.text import _
from .limits import ImportLimits, UnsafeFileError, clean_cell
from .table import TableBuilder

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and old .xls files
_CHUNK = 64 * 1024
_SHEETS = "xl/worksheets/"


def read_xlsx(path: Path, table: TableBuilder, limits: ImportLimits) -> None:
    """Feed the first sheet's rows to ``table``."""
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below, after openpyxl is done with it
    except FileNotFoundError as exc:
        raise ImportFileError(_("文件不存在：{path}").format(path=path)) from exc
    except OSError as exc:
        raise ImportFileError(_("无法读取文件：{path}（{value}）").format(
            path=path, value=exc.strerror or exc)) from exc
    with f:
        _check_archive(f, path, limits)
        f.seek(0)
        _read_rows(f, path, table, limits)


def _check_archive(f: IO[bytes], path: Path, limits: ImportLimits) -> None:
    name = path.name
    try:
        head = f.read(len(_OLE_MAGIC))
        if head == _OLE_MAGIC:
            raise ImportFileError(
                _("“{name}”是加密（设置了打开密码）的工作簿或旧版 Excel 文件：请在 Excel 中取消密"
                  "码并另存为 .xlsx 后再导入").format(
                    name=name))
        _check_directory(f, name, limits)
        f.seek(0)
        with zipfile.ZipFile(f) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_parts:
                raise UnsafeFileError(_("“{name}”包含的部件过多（{infos:,} 个），不像 Excel 工作簿"
                                        "，已拒绝导入").format(
                    name=name, infos=len(infos)))
            total = 0
            for info in infos:
                total += info.file_size
                _check_part(info, name, limits)
            if total > limits.max_unpacked_bytes:
                raise UnsafeFileError(
                    _("“{name}”解压后有 {total}，超过上限 {value}，已拒绝导入；请拆分成较"
                      "小的文件").format(
                        name=name, total=_mb(total), value=_mb(limits.max_unpacked_bytes)))
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and not info.is_dir():
                    _check_prolog(zf, info, name)
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise ImportFileError(_("不是有效的 XLSX 文件：{name}").format(name=name)) from exc
    except OSError as exc:
        raise ImportFileError(_("无法读取文件：{path}（{value}）").format(
            path=path, value=exc.strerror or exc)) from exc
    except Exception as exc:  # noqa: BLE001 - whatever zipfile makes of a broken archive
        raise ImportFileError(_("不是有效的 XLSX 文件：{name}（{kind}）").format(
            name=name, kind=type(exc).__name__)) from exc


_EOCD = b"PK\x05\x06"  # end of central directory record (22 bytes + a comment)
_EOCD64 = b"PK\x06\x06"  # its ZIP64 form (56 bytes), just before the 20-byte ZIP64 locator
_EOCD64_LOCATOR = b"PK\x06\x07"
_DIRECTORY_BYTES_PER_PART = 1024  # a generous central directory entry (46 bytes + the name)


def _check_directory(f: IO[bytes], name: str, limits: ImportLimits) -> None:
    """The part count and the central directory's size, from the end record (found as
    zipfile finds it), before zipfile reads the directory into memory: a small file can
    claim millions of parts or names of 64 KiB each."""
    size = f.seek(0, 2)
    tail_size = min(size, 22 + 0xFFFF + 20 + 56)
    f.seek(size - tail_size)
    tail = f.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return  # not a ZIP archive: zipfile says so
    parts = int.from_bytes(tail[at + 10:at + 12], "little")
    directory = int.from_bytes(tail[at + 12:at + 16], "little")
    locator = tail[max(0, at - 20):at]
    record = tail[max(0, at - 76):max(0, at - 20)]
    if locator.startswith(_EOCD64_LOCATOR) and record.startswith(_EOCD64):
        parts = int.from_bytes(record[32:40], "little")
        directory = int.from_bytes(record[40:48], "little")
    if parts > limits.max_parts:
        raise UnsafeFileError(_("“{name}”包含的部件过多（{parts:,} 个），不像 Excel 工作簿，已拒绝"
                                "导入").format(
            name=name, parts=parts))
    if directory > limits.max_parts * _DIRECTORY_BYTES_PER_PART:
        raise UnsafeFileError(_("“{name}”的目录过大（{directory}），不像 Excel 工作簿，已"
                                "拒绝导入").format(
            name=name, directory=_mb(directory)))


def _check_part(info: zipfile.ZipInfo, name: str, limits: ImportLimits) -> None:
    if info.flag_bits & 0x1:
        raise ImportFileError(_("“{name}”已加密：请在 Excel 中取消密码并另存为 .xlsx 后再"
                                "导入").format(
            name=name))
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ImportFileError(_("“{name}”使用了不支持的压缩方式，请在 Excel 中另存为 .xlsx").format(
            name=name))
    size = info.file_size
    if size > limits.ratio_floor_bytes and size > limits.max_ratio * max(info.compress_size, 1):
        raise UnsafeFileError(
            _("“{name}”中的“{filename}”压缩了 {value:,.0f} 倍（解压后 {size}），疑似压缩炸弹，已拒"
              "绝导入").format(
                name=name, filename=info.filename, value=size / max(info.compress_size, 1),
                size=_mb(size)))
    if size > limits.max_part_bytes and not info.filename.startswith(_SHEETS):
        raise UnsafeFileError(
            _("“{name}”中的“{filename}”解压后有 {size}，超过上限 {value}，已拒绝导入").format(
                name=name, filename=info.filename, size=_mb(size),
                value=_mb(limits.max_part_bytes)))


class _Root(Exception):
    """The prolog ended: the root element started."""


class _Doctype(Exception):
    """A document type declaration."""


def _check_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    parser = expat.ParserCreate()

    def doctype(*_: object) -> None:
        raise _Doctype

    def root(*_: object) -> None:
        raise _Root

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    with zf.open(info) as part:
        try:
            while chunk := part.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except _Root:
            return
        except _Doctype:
            raise UnsafeFileError(_("“{name}”中的“{filename}”含有文档类型声明（DTD），Excel 工作簿"
                                    "不会有它，已拒绝导入").format(
                name=name, filename=info.filename)) from None
        except expat.ExpatError as exc:
            raise ImportFileError(_("XLSX 文件内容有误：{name}（{filename}）").format(
                name=name, filename=info.filename)) from exc


def _read_rows(f: IO[bytes], path: Path, table: TableBuilder, limits: ImportLimits) -> None:
    import openpyxl

    name = path.name
    with warnings.catch_warnings():
        # openpyxl warns about what it leaves out of a workbook (styles, extensions, data
        # validation …); none of it matters to a student list.
        warnings.simplefilter("ignore")
        try:
            wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl's many ways to fail on a broken file
            broken_xml = isinstance(exc.__cause__ or exc, SyntaxError | expat.ExpatError)
            what = _("XLSX 文件内容有误") if broken_xml else _("不是有效的 XLSX 文件")
            raise ImportFileError(_("{what}：{name}（{kind}）").format(
                what=what, name=name, kind=type(exc).__name__)) from exc
        try:
            if not wb.worksheets:
                raise ImportFileError(_("“{name}”中没有可以读取的工作表").format(name=name))
            ws: Any = wb.worksheets[0]
            ws.reset_dimensions()  # some writers store a wrong size; read what is really there
            # max_col: no row is built wider than a header may be, whatever column a cell
            # in it claims (Excel's last column would make every row 16,384 values long).
            rows: Iterator[tuple[object, ...]] = ws.iter_rows(
                values_only=True, max_col=limits.max_columns + 1)
            number = 0
            while True:
                try:
                    values = next(rows)
                except StopIteration:
                    break
                except Exception as exc:  # noqa: BLE001 - a broken sheet, found while streaming
                    where = _("读到第 {number} 行后出错，").format(number=number) if number else ""
                    raise ImportFileError(
                        _("XLSX 文件内容有误：{name}（{where}{kind}）").format(
                            name=name, where=where, kind=type(exc).__name__)) from exc
                number += 1
                # past the header's last column nothing is kept: no need to convert it
                table.add(number, [_cell_text(v) for v in values[:table.width or len(values)]])
        finally:
            try:
                wb.close()
            except Exception:  # noqa: BLE001, S110 - closing a broken archive: nothing to say
                pass


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_cell(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return clean_cell(str(value))


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MB" if size < 10 << 20 else f"{size / (1 << 20):,.0f} MB"
