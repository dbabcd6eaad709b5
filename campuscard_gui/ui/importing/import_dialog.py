"""Import students from a CSV or XLSX file into the local database (all or nothing).

Pick a file -> it is read off the GUI thread -> map each field to a column (prefilled by
``guess_mapping``, with a preview of the first rows) -> 导入: the rows are checked off-thread;
if any row has a problem, every problem is listed (row number + reason) and nothing is
imported; otherwise ``import_students`` runs off-thread in one transaction.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...connectors.base import LocalDatabase
from ...importing import FIELDS, MappingResult, Table, guess_mapping, map_rows, read_table
from ..workers import error_message, run_in_thread

PREVIEW_ROWS = 20
MAX_LISTED_ERRORS = 1000


class ImportDialog(QDialog):
    """``tableLoaded(rows)`` after a file was read; ``rowErrors(count)`` when the check found
    problems (nothing imported); ``imported(summary)`` after a successful import (then the
    dialog accepts); ``failed(message)`` for a file or database error."""

    tableLoaded = Signal(int)
    rowErrors = Signal(int)
    imported = Signal(object)
    failed = Signal(str)

    def __init__(self, connector: LocalDatabase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import students"))
        self.setAccessibleName(self.windowTitle())
        self._connector = connector
        self._table: Table | None = None
        self._busy = False
        self._field_titles = {
            "student_no": self.tr("Student No."),
            "name": self.tr("Name"),
            "college": self.tr("College"),
            "class_name": self.tr("Class"),
            "status": self.tr("Student status"),
        }

        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("importPathEdit")
        self.path_edit.setAccessibleName(self.tr("File to import"))
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("Choose a CSV or XLSX file"))
        self.browse_button = QPushButton(self.tr("&Browse…"), self)
        self.browse_button.setObjectName("importBrowseButton")
        self.browse_button.setAccessibleName(self.tr("Choose the file to import"))
        self.browse_button.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)

        self.mapping_box = QGroupBox(self.tr("Columns"), self)
        self.mapping_box.setObjectName("importMappingBox")
        form = QFormLayout(self.mapping_box)
        self.mapping_combos: dict[str, QComboBox] = {}
        for f in FIELDS:
            combo = QComboBox(self.mapping_box)
            combo.setObjectName(f"importMap_{f.key}")
            title = self._field_titles.get(f.key, f.label)
            combo.setAccessibleName(self.tr("Column for %1").replace("%1", title))
            combo.currentIndexChanged.connect(self._update_buttons)
            label = f"{title} *" if f.required else title
            form.addRow(label, combo)
            self.mapping_combos[f.key] = combo
        self.mapping_box.setEnabled(False)

        self.preview = QTableWidget(self)
        self.preview.setObjectName("importPreviewTable")
        self.preview.setAccessibleName(self.tr("Preview of the first rows"))
        self.errors = QTableWidget(0, 2, self)
        self.errors.setObjectName("importErrorTable")
        self.errors.setAccessibleName(self.tr("Rows that cannot be imported"))
        self.errors.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Problem")])
        self.errors.horizontalHeader().setStretchLastSection(True)
        for table in (self.preview, self.errors):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().setVisible(False)
        self.errors.hide()

        self.status_label = QLabel(self.tr("Required fields are marked with *."), self)
        self.status_label.setObjectName("importStatusLabel")
        self.status_label.setWordWrap(True)

        buttons = QDialogButtonBox(self)
        self.import_button = QPushButton(self.tr("&Import"), self)
        self.import_button.setObjectName("importButton")
        self.import_button.setAccessibleName(self.tr("Import the students"))
        self.import_button.clicked.connect(self.start_import)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        close.setObjectName("importCancelButton")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.mapping_box)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.errors, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.resize(760, 560)
        self._update_buttons()

    # ---- file ------------------------------------------------------------------------------

    @Slot()
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import students"), "",
            self.tr("Spreadsheets (*.csv *.xlsx *.xlsm *.txt *.tsv);;All files (*)"))
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Read ``path`` off the GUI thread, then show the mapping step."""
        self.path_edit.setText(str(path))
        self._table = None
        self.mapping_box.setEnabled(False)
        self.errors.hide()
        self._set_busy(True, self.tr("Reading %1…").replace("%1", Path(path).name))
        run_in_thread(lambda: read_table(path), self._on_table, self._on_failed, parent=self)

    def _on_table(self, table: Table) -> None:
        self._table = table
        guessed = guess_mapping(table.headers)
        for key, combo in self.mapping_combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("(none)"), None)
            for i, header in enumerate(table.headers):
                combo.addItem(header or self.tr("Column %1").replace("%1", str(i + 1)), i)
            col = guessed.get(key)
            combo.setCurrentIndex(0 if col is None else col + 1)
            combo.blockSignals(False)
        self._fill_preview(table)
        self.mapping_box.setEnabled(True)
        self._set_busy(False, self.tr("%n data row(s) read. Check the columns, then import.",
                                      "", len(table.rows)))
        self.tableLoaded.emit(len(table.rows))

    def _fill_preview(self, table: Table) -> None:
        rows = table.rows[:PREVIEW_ROWS]
        self.preview.clear()
        self.preview.setColumnCount(len(table.headers))
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(table.headers)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.preview.setItem(r, c, QTableWidgetItem(value))
        self.preview.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)

    # ---- import ----------------------------------------------------------------------------

    def mapping(self) -> dict[str, int | None]:
        return {key: combo.currentData() for key, combo in self.mapping_combos.items()}

    @Slot()
    def start_import(self) -> None:
        table = self._table
        if table is None or self._busy:
            return
        mapping = self.mapping()
        self.errors.hide()
        self._set_busy(True, self.tr("Checking %n row(s)…", "", len(table.rows)))
        run_in_thread(lambda: map_rows(table, mapping), self._on_mapped, self._on_failed,
                      parent=self)

    def _on_mapped(self, result: MappingResult) -> None:
        if result.errors:
            shown = result.errors[:MAX_LISTED_ERRORS]
            self.errors.setRowCount(len(shown))
            for r, err in enumerate(shown):
                number = QTableWidgetItem(str(err.row))
                number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.errors.setItem(r, 0, number)
                self.errors.setItem(r, 1, QTableWidgetItem(err.reason))
            self.errors.show()
            self._set_busy(False, self.tr(
                "%n row(s) cannot be imported. Nothing was imported; correct the file and "
                "try again.", "", len(result.errors)))
            self.rowErrors.emit(len(result.errors))
            return
        students = result.students
        self._set_busy(True, self.tr("Importing %n student(s)…", "", len(students)))
        connector = self._connector
        run_in_thread(lambda: connector.import_students(students), self._on_imported,
                      self._on_failed, parent=self)

    def _on_imported(self, summary: object) -> None:
        self._set_busy(False, self.tr("Imported."))
        self.imported.emit(summary)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        message = error_message(exc)
        self._set_busy(False, message)
        self.failed.emit(message)

    # ---- state -----------------------------------------------------------------------------

    def _set_busy(self, busy: bool, text: str) -> None:
        self._busy = busy
        self.status_label.setText(text)
        self._update_buttons()

    @Slot()
    def _update_buttons(self) -> None:
        ready = self._table is not None and not self._busy and bool(self._table.rows)
        if ready:
            chosen = self.mapping()
            ready = all(chosen.get(f.key) is not None for f in FIELDS if f.required)
        self.import_button.setEnabled(ready)
        self.browse_button.setEnabled(not self._busy)

    def reject(self) -> None:
        if not self._busy:  # an import in flight finishes first (it is one transaction)
            super().reject()
