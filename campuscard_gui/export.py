"""Export a job's per-record results to CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX.

No Qt here: the window passes translated header texts and label functions in through
``ExportLabels``; the defaults are the core's canonical Chinese texts (what the CLI uses).
Both writers are atomic: they write a temporary file beside the target and ``os.replace`` it,
so a failure never leaves a half-written file behind.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .core.model import Action
from .core.outcomes import Outcome, OutcomeKind, outcome_reason
from .core.text import L_, _

DEFAULT_HEADERS: tuple[str, ...] = (L_("学号"), L_("姓名"), L_("操作"), L_("结果"), L_("原因/错误"),
                                    L_("卡记录ID"))

_KIND_TEXT = {
    OutcomeKind.SUCCEEDED: L_("成功"),
    OutcomeKind.FAILED: L_("失败"),
    OutcomeKind.SKIPPED: L_("跳过"),
    OutcomeKind.CANCELLED: L_("已取消"),
}


class ExportRecord(Protocol):
    """What is exported of a record (``batch.JobRecord`` has these)."""

    @property
    def student_no(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def action(self) -> Action: ...
    @property
    def outcome(self) -> Outcome | None: ...
    @property
    def card_id(self) -> str: ...


def _default_kind(kind: OutcomeKind | None) -> str:
    return _("待处理") if kind is None else _KIND_TEXT[kind]


def _default_reason(outcome: Outcome | None) -> str:
    return "" if outcome is None else outcome_reason(outcome)


def _default_action(action: Action) -> str:
    return action.label


@dataclass(frozen=True)
class ExportLabels:
    """Header texts (six, in column order) and how to show an action, a result and a reason."""

    headers: Sequence[str] = DEFAULT_HEADERS
    action: Callable[[Action], str] = _default_action
    kind: Callable[[OutcomeKind | None], str] = _default_kind
    reason: Callable[[Outcome | None], str] = _default_reason
    sheet_title: str = field(default=L_("结果"))
    meta_title: str = field(default=L_("任务信息"))  # the XLSX sheet of the job's metadata

    def __post_init__(self) -> None:
        if len(self.headers) != len(DEFAULT_HEADERS):
            raise ValueError(f"expected {len(DEFAULT_HEADERS)} headers, got {len(self.headers)}")


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (so XLSX) cannot hold: C0 controls but tab, LF and CR; lone surrogates
# (a JSON answer may carry one); the two noncharacters U+FFFE and U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def csv_cell(text: str) -> str:
    """``text`` as a CSV/TSV cell that a spreadsheet shows as text, never runs as a formula.

    A text starting with ``= + - @``, a tab or a CR gets a leading apostrophe (what Excel
    itself shows for a text typed as ``'=…``); anything else is written as it is, including
    a leading space before a formula character (``" =1+1"``), which already keeps it text.
    The XLSX export needs no apostrophe: it stores such a value as a text cell. A lone
    surrogate, which no UTF-8 file can hold, becomes U+FFFD.
    """
    if text.startswith(FORMULA_START):
        text = "'" + text
    return _SURROGATE.sub("\ufffd", text) if _has_surrogate(text) else text


def xlsx_text(text: str) -> str:
    """``text`` as an XLSX cell can hold it: each character XML 1.0 forbids (control
    characters such as ESC, lone surrogates) becomes U+FFFD, so the export never fails."""
    return _XML_ILLEGAL.sub("\ufffd", text)


def _has_surrogate(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


def export_rows(records: Iterable[ExportRecord],
                labels: ExportLabels | None = None) -> Iterator[list[str]]:
    """One list of cell texts per record (no header)."""
    lab = labels or ExportLabels()
    for r in records:
        outcome = r.outcome
        kind = None if outcome is None else outcome.kind
        yield [r.student_no, r.name, lab.action(r.action), lab.kind(kind), lab.reason(outcome),
               r.card_id]


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success replace ``path`` with it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


Meta = Sequence[tuple[str, str]]
"""The job's metadata as (label, value) pairs: job id, who, when, profile, backend, counts."""


def export_csv(path: str | os.PathLike[str], records: Iterable[ExportRecord],
               labels: ExportLabels | None = None, meta: Meta = ()) -> int:
    """Write ``records`` as CSV (UTF-8 with BOM, CRLF line ends). Returns the row count.
    ``meta``: (label, value) rows written first, then an empty row, then the table."""
    lab = labels or ExportLabels()
    n = 0
    with atomic_target(Path(path)) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, dialect="excel")
            for key, value in meta:
                writer.writerow([csv_cell(key), csv_cell(value)])
            if meta:
                writer.writerow([])
            writer.writerow(list(lab.headers))
            for row in export_rows(records, lab):
                writer.writerow([csv_cell(v) for v in row])
                n += 1
    return n


# Column widths in characters (a CJK character counts about two).
_XLSX_WIDTHS = (16, 12, 12, 10, 48, 24)


def export_xlsx(path: str | os.PathLike[str], records: Iterable[ExportRecord],
                labels: ExportLabels | None = None, meta: Meta = ()) -> int:
    """Write ``records`` as an XLSX workbook: one sheet of results and, with ``meta``, a
    second sheet of the job's metadata. Returns the row count."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    lab = labels or ExportLabels()
    rows = list(export_rows(records, lab))  # fail (if at all) before openpyxl starts streaming
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=lab.sheet_title[:31] or "Sheet1")
    for i, width in enumerate(_XLSX_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in lab.headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        # Every value is a string (学号 keeps its leading zeros); one that looks like a formula
        # is stored as text, never as a formula; characters XML cannot hold are replaced.
        cells: list[object] = []
        for v in row:
            v = xlsx_text(v)
            if v.startswith("="):
                cell = WriteOnlyCell(ws, value=v)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(v)
        ws.append(cells)
    if meta:
        info = wb.create_sheet(title=lab.meta_title[:31] or "Job")
        info.column_dimensions["A"].width = 16
        info.column_dimensions["B"].width = 40
        for key, value in meta:
            value_cell = WriteOnlyCell(info, value=xlsx_text(value))
            value_cell.data_type = "s"  # text as it is, never a formula or a number
            info.append([xlsx_text(key), value_cell])
    with atomic_target(Path(path)) as tmp:
        wb.save(tmp)
    return len(rows)
