"""The import template: a CSV or XLSX file with the headers the import recognises and one example
row, so an operator starts from a file that imports as it is.

``write_template`` is Qt-free (it runs on a worker thread); ``TemplateTexts`` carries the
translated headers and example, made by ``template_texts`` in the window's language (each
header is one the import's column guessing accepts in either language).
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ...core.errors import CampusCardError
from ...export import csv_cell, xlsx_text
from ...importing import FIELDS
from ..workers import error_message, run_in_thread

_CTX = "ImportTemplate"


@dataclass(frozen=True, slots=True)
class TemplateTexts:
    headers: tuple[str, ...]  # one per import field, in FIELDS order
    example: tuple[str, ...]
    sheet_title: str


def _t(text: object) -> str:
    """Translate a text marked with QT_TRANSLATE_NOOP("ImportTemplate", …)."""
    return QCoreApplication.translate(_CTX, str(text))


def template_texts() -> TemplateTexts:
    """The template's headers and example row in the window's language."""
    headers = {
        "student_no": _t(QT_TRANSLATE_NOOP("ImportTemplate", "Student No.")),
        "name": _t(QT_TRANSLATE_NOOP("ImportTemplate", "Name")),
        "college": _t(QT_TRANSLATE_NOOP("ImportTemplate", "College")),
        "class_name": _t(QT_TRANSLATE_NOOP("ImportTemplate", "Class")),
        "status": _t(QT_TRANSLATE_NOOP("ImportTemplate", "Student status")),
    }
    example = {
        "student_no": "2024000001",
        "name": _t(QT_TRANSLATE_NOOP("ImportTemplate", "Zhang San")),
        "college": _t(QT_TRANSLATE_NOOP("ImportTemplate", "School of Science")),
        "class_name": _t(QT_TRANSLATE_NOOP("ImportTemplate", "Maths 2401")),
        "status": _t(QT_TRANSLATE_NOOP("ImportTemplate", "enrolled")),
    }
    sheet = _t(QT_TRANSLATE_NOOP("ImportTemplate", "Students"))
    return TemplateTexts(tuple(headers[f.key] for f in FIELDS),
                         tuple(example[f.key] for f in FIELDS), sheet)


def write_template(path: Path, texts: TemplateTexts) -> None:
    """Write the template to ``path``: XLSX for a .xlsx name (every cell text, so a 学号 keeps
    its leading zeros), else CSV (UTF-8 with BOM, as the results export); atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if path.suffix.lower() == ".xlsx":
            _write_xlsx(tmp, texts)
        else:
            _write_csv(tmp, [texts.headers, texts.example])
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_csv(path: Path, rows: Sequence[Sequence[str]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, dialect="excel")
        for row in rows:
            writer.writerow([csv_cell(v) for v in row])


def _write_xlsx(path: Path, texts: TemplateTexts) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = texts.sheet_title[:31] or "Sheet1"
    bold = Font(bold=True)
    for column, (header, value) in enumerate(zip(texts.headers, texts.example, strict=True),
                                             start=1):
        head = ws.cell(row=1, column=column, value=xlsx_text(header))
        head.font = bold
        cell = ws.cell(row=2, column=column, value=xlsx_text(value))
        cell.data_type = "s"  # text, never a number or a formula
        cell.number_format = "@"
        ws.column_dimensions[get_column_letter(column)].width = 18
    ws.freeze_panes = "A2"
    wb.save(path)


class TemplateSaver(QObject):
    """导出导入模板…: asks where (CSV or XLSX), then writes the template off the GUI thread.
    ``saved(path)`` when written; ``failed(message)`` (also shown in a message box)."""

    saved = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._widget = parent

    def ask(self) -> None:
        csv_filter = self.tr("CSV, UTF-8 (*.csv)")
        xlsx_filter = self.tr("Excel workbook (*.xlsx)")
        name = self.tr("students-template") + ".xlsx"
        path, chosen = QFileDialog.getSaveFileName(
            self._widget, self.tr("Save import template"), str(Path.home() / name),
            f"{xlsx_filter};;{csv_filter}")
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".csv", ".xlsx"):
            target = target.with_name(
                target.name + (".csv" if chosen == csv_filter else ".xlsx"))
        self.save_to(target)

    def save_to(self, path: Path) -> None:
        texts = template_texts()
        cannot = self.tr("Cannot write %1: %2")

        def work() -> None:
            try:
                write_template(path, texts)
            except OSError as exc:  # expected (no permission, disk full): not a bug
                raise CampusCardError(cannot.replace("%1", str(path)).replace(
                    "%2", exc.strerror or str(exc)), code="export") from exc

        def failed(exc: BaseException) -> None:
            message = error_message(exc)
            self.failed.emit(message)
            QMessageBox.warning(self._widget, self.tr("Template not saved"), message)

        run_in_thread(work, lambda _r: self.saved.emit(str(path)), failed, parent=self)
