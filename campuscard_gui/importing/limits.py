"""How much an import file may hold, and the text rule every imported cell goes through.

The limits keep an import's time and memory bounded whatever the file says: a row cap (the
table is held in memory until the operator confirms), and for XLSX — a ZIP archive of XML
parts — a cap on what the archive unpacks to and on how strongly any part is compressed,
checked from the archive's directory before any part is unpacked, so a small "zip bomb" is
refused at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import ImportFileError

# A cell that starts with one of these is a formula to a spreadsheet program.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_AFTER_SPACE = ("=", "+", "-", "@")

EXCEL_MAX_ROWS = 1_048_576  # rows of one Excel worksheet


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """What one import file may hold (``campuscard-cli local import --max-rows`` sets the first).

    ``max_rows`` counts data rows (not the header, not blank rows); ``max_blank_rows`` bounds
    the blank ones, which are skipped but still cost reading. The XLSX limits apply to the
    sizes the archive declares (Python's zipfile never unpacks more than that): every part
    together, each part but the worksheets (which are streamed; the others are parsed whole),
    and the unpacked/packed ratio of any part larger than ``ratio_floor_bytes``.
    """

    max_rows: int = 200_000
    max_blank_rows: int = EXCEL_MAX_ROWS
    max_columns: int = 1_000
    max_record_chars: int = 1 << 20  # one CSV record (a quoted field may span lines)
    max_unpacked_bytes: int = 1 << 30  # XLSX: all parts unpacked
    max_part_bytes: int = 32 << 20  # XLSX: any part but a worksheet (sharedStrings is held whole)
    max_ratio: float = 200.0  # XLSX: unpacked/packed of one part; real sheets are 5-30
    ratio_floor_bytes: int = 8 << 20  # XLSX: smaller parts may compress as they like
    max_parts: int = 10_000  # XLSX: entries in the archive

    def __post_init__(self) -> None:
        if self.max_rows < 1:
            raise ValueError("max_rows must be at least 1")


DEFAULT_LIMITS = ImportLimits()


class RowLimitError(ImportFileError):
    """The file has more data rows than ``ImportLimits.max_rows``; nothing was imported."""

    code = "import_rows"

    def __init__(self, message: str, *, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


class UnsafeFileError(ImportFileError):
    """The file would unpack to far more than it holds (a compression bomb) or to more than
    the limits allow; refused before it is unpacked."""

    code = "import_unsafe"


def clean_cell(cell: str) -> str:
    """A cell as imported: leading and trailing whitespace trimmed — except leading whitespace
    that stands before a formula character (``=``, ``+``, ``-``, ``@``): ``" =1+1"`` is kept as
    typed, since that space is what keeps a spreadsheet from evaluating it when the value is
    written out again. ``"2024001.0"`` (a number that a spreadsheet turned into text) becomes
    ``"2024001"``."""
    if not cell:
        return cell
    text = cell.strip()
    if not text:
        return text
    if text[0] in _FORMULA_AFTER_SPACE and cell[0].isspace():
        return cell.rstrip()
    if text[-1] == "0" and "." in text:
        head, _, tail = text.partition(".")
        if tail.strip("0") == "" and (head[1:] if head[:1] == "-" else head).isdecimal():
            return head
    return text
