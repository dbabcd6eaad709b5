"""Read a student file (CSV/TSV or XLSX) into a plain table of strings.

CSV is decoded as UTF-8 (with or without BOM), else GB18030 (a superset of GBK, what Excel
on a Chinese Windows writes). XLSX: the first sheet, read-only. Row numbers are the ones a
spreadsheet user sees (the header is normally row 1); blank rows are dropped but counted.

Both readers stream: a row is cleaned (``limits.clean_cell``) and stored as it is read, so
memory holds the table once (rows as tuples, a value repeated down a column such as 学院 or
学籍状态 stored once) and never the file's text beside it. ``ImportLimits`` caps the rows and,
for XLSX, what the archive may unpack to. Every problem with the file — unreadable, not a
spreadsheet, broken inside, over a limit — is an ``ImportFileError`` naming the file.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import ImportFileError
from ..core.text import _
from .limits import DEFAULT_LIMITS, ImportLimits, RowLimitError

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})

_CACHE_ENTRIES = 20_000  # distinct values stored once per column (学院, 班级, 学籍状态 …)
_CACHE_CHECK = 4_096  # rows between checks of the caches' sizes


@dataclass(frozen=True, slots=True)
class Table:
    """Header names and data rows (each padded or cut to ``len(headers)``), all str.

    ``row_numbers[i]`` is the spreadsheet row of ``rows[i]``. ``encoding`` is the CSV
    encoding that worked ("utf-8-sig", "utf-8" or "gb18030"), "" for XLSX.
    """

    headers: list[str]
    rows: list[tuple[str, ...]]
    row_numbers: Sequence[int]
    encoding: str


def read_table(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> Table:
    """Read ``path``; raises ImportFileError (Chinese message) when it cannot be used."""
    path = Path(path)
    suffix = path.suffix.lower()
    builder = TableBuilder(path, limits)
    if suffix in CSV_SUFFIXES:
        from .csv_reader import read_csv

        encoding = read_csv(path, builder, limits)
    elif suffix in XLSX_SUFFIXES:
        from .xlsx_reader import read_xlsx  # only XLSX imports pay for openpyxl

        read_xlsx(path, builder, limits)
        encoding = ""
    elif suffix == ".xls":
        raise ImportFileError(_("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后再导入"))
    else:
        kind = path.suffix or _("（无扩展名）")
        raise ImportFileError(_("不支持的文件类型“{kind}”，请使用 CSV 或 XLSX").format(kind=kind))
    return builder.table(encoding)


class TableBuilder:
    """Takes a file's rows one at a time (``add(row_number, cleaned_cells)``): finds the header
    (the first non-blank row), skips blank rows, pads or cuts the others to the header's width
    and enforces the row caps as it goes, so a reader can stop at the first row too many."""

    def __init__(self, path: Path, limits: ImportLimits) -> None:
        self._name = path.name
        self._limits = limits
        self.headers: list[str] | None = None
        self._width = 0
        self._rows: list[tuple[str, ...]] = []
        self._numbers = array("q")
        self._blank = 0
        self._caches: list[dict[str, str]] = []
        self._store: list[Callable[[str, str], str]] = []
        self._until_check = _CACHE_CHECK

    @property
    def width(self) -> int:
        """The header's width (0 until the header was found)."""
        return self._width

    def add(self, number: int, cells: list[str]) -> None:
        if not any(cells):
            self._blank += 1
            if self._blank > self._limits.max_blank_rows:
                raise ImportFileError(
                    _("文件“{name}”中的空行过多（超过 {max_blank_rows:,} 行），请删除多余的空行后"
                      "再导入").format(
                        name=self._name, max_blank_rows=self._limits.max_blank_rows))
            return
        if self.headers is None:
            self._set_headers(cells)
            return
        if len(self._rows) >= self._limits.max_rows:
            raise RowLimitError(
                _("文件“{name}”的数据超过导入上限 {max_rows:,} 行（不含表头和空行），没有导入任何"
                  "学生。请把它拆分成几个不超过上限的文件，分批导入").format(
                    name=self._name, max_rows=self._limits.max_rows),
                limit=self._limits.max_rows)
        width = self._width
        if len(cells) != width:
            cells = cells[:width] + [""] * (width - len(cells))
        # A value seen before in its column is stored once (dict.setdefault returns the
        # stored string); a column whose distinct values fill the cache stops adding to it.
        self._rows.append(tuple([store(c, c) for store, c in zip(self._store, cells, strict=True)]))
        self._numbers.append(number)
        self._until_check -= 1
        if not self._until_check:
            self._until_check = _CACHE_CHECK
            self._store = [cache.get if len(cache) >= _CACHE_ENTRIES else cache.setdefault
                           for cache in self._caches]

    def _set_headers(self, cells: list[str]) -> None:
        end = len(cells)
        while end and not cells[end - 1]:
            end -= 1
        if end > self._limits.max_columns:
            raise ImportFileError(
                _("文件“{name}”的表头有 {end} 列，超过上限 {max_columns} 列").format(
                    name=self._name, end=end, max_columns=self._limits.max_columns))
        self.headers = cells[:end]
        self._width = end
        self._caches = [{} for _ in range(end)]
        self._store = [cache.setdefault for cache in self._caches]

    def table(self, encoding: str) -> Table:
        if self.headers is None:
            raise ImportFileError(_("文件是空的：{name}").format(name=self._name))
        self._caches = []
        self._store = []
        return Table(self.headers, self._rows, self._numbers, encoding)
