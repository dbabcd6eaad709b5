"""Export a job's per-record results to CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX.

No Qt here: the window passes translated header texts and label functions in through
``ExportLabels``; the defaults are the core's canonical Chinese texts (what the CLI uses).
Both writers are atomic: they write a temporary file beside the target and ``os.replace`` it,
so a failure never leaves a half-written file behind.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .core.model import Action
from .core.outcomes import Outcome, OutcomeKind, outcome_reason

DEFAULT_HEADERS: tuple[str, ...] = ("学号", "姓名", "操作", "结果", "原因/错误", "卡记录ID")

_KIND_TEXT = {
    OutcomeKind.SUCCEEDED: "成功",
    OutcomeKind.FAILED: "失败",
    OutcomeKind.SKIPPED: "跳过",
    OutcomeKind.CANCELLED: "已取消",
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
    return "待处理" if kind is None else _KIND_TEXT[kind]


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
    sheet_title: str = field(default="结果")

    def __post_init__(self) -> None:
        if len(self.headers) != len(DEFAULT_HEADERS):
            raise ValueError(f"expected {len(DEFAULT_HEADERS)} headers, got {len(self.headers)}")


# A cell starting with one of these is a formula to Excel (CSV injection): it gets a leading '.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


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
def _atomic_target(path: Path) -> Iterator[Path]:
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


def export_csv(path: str | os.PathLike[str], records: Iterable[ExportRecord],
               labels: ExportLabels | None = None) -> int:
    """Write ``records`` as CSV (UTF-8 with BOM, CRLF line ends). Returns the row count."""
    lab = labels or ExportLabels()
    n = 0
    with _atomic_target(Path(path)) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, dialect="excel")
            writer.writerow(list(lab.headers))
            for row in export_rows(records, lab):
                writer.writerow([_csv_safe(v) for v in row])
                n += 1
    return n


# Column widths in characters (a CJK character counts about two).
_XLSX_WIDTHS = (16, 12, 12, 10, 48, 24)


def export_xlsx(path: str | os.PathLike[str], records: Iterable[ExportRecord],
                labels: ExportLabels | None = None) -> int:
    """Write ``records`` as an XLSX workbook with one sheet. Returns the row count."""
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
        # is stored as text, never as a formula.
        cells: list[object] = []
        for v in row:
            if v.startswith("="):
                cell = WriteOnlyCell(ws, value=v)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(v)
        ws.append(cells)
    with _atomic_target(Path(path)) as tmp:
        wb.save(tmp)
    return len(rows)
