"""Import students from a CSV or XLSX file into the local database (all or nothing).

Pick a file -> it is read off the GUI thread -> map each field to a column (prefilled by
``guess_mapping``, with a preview of the first rows; a required field without a column is
named with the headers the import recognises for it) -> 检查并预览: the rows are checked
off-thread; if any row has a problem, every problem is listed (row number + reason; a value
that is not accepted, such as an unknown 学籍状态, is named with the values that are) and
nothing is imported; otherwise the students are compared with the database and the preview
shows the new students and, for existing students, each field that changes (old → new) ->
导入 writes them (``import_students``, off-thread, one transaction). Nothing is written before
导入 is pressed on the preview.

导出导入模板… writes a CSV or XLSX with the headers the import recognises and one example row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, Signal, Slot
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
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...connectors.base import LocalDatabase
from ...core.model import Student
from ...importing import (
    FIELDS,
    STATUS_SYNONYMS,
    MappingResult,
    Table,
    guess_mapping,
    map_rows,
    parse_status,
    read_table,
)
from .. import labels
from ..screen_fit import fitting_size
from ..workers import error_message, run_in_thread
from .import_preview import ChangesModel, ImportPreview, NewStudentsModel, compare
from .template import TemplateSaver

PREVIEW_ROWS = 20
MAX_LISTED_ERRORS = 1000
MAX_LISTED_VALUES = 10  # values not accepted, named in the message

ExistingStudents = Callable[[], Iterable[Student]]


class BadValues:
    """The values of one column that the import does not accept: value -> rows with it."""

    def __init__(self, key: str, counts: Counter[str]) -> None:
        self.key = key
        self.counts = counts


def _bad_statuses(table: Table, column: int | None) -> BadValues | None:
    """The 学籍状态 values of ``table`` that are not accepted (None when all are)."""
    if column is None:
        return None
    counts: Counter[str] = Counter()
    accepted: dict[str, bool] = {}
    for row in table.rows:
        value = row[column]
        if not value:
            continue
        ok = accepted.get(value)
        if ok is None:
            ok = accepted[value] = parse_status(value) is not None
        if not ok:
            counts[value] += 1
    return BadValues("status", counts) if counts else None


def _ascii_first(names: Iterable[str], english: bool) -> list[str]:
    """``names`` without repeats; in English the Latin ones first, in Chinese the others."""
    unique = list(dict.fromkeys(names))
    return sorted(unique, key=lambda n: n.isascii() is not english)


def _existing_of(connector: LocalDatabase) -> ExistingStudents | None:
    """The students already in ``connector``'s database, when it can list them."""
    list_rows = getattr(connector, "list_rows", None)
    if not callable(list_rows):
        return None
    return lambda: (row.student for row in list_rows())


class ImportDialog(QDialog):
    """``tableLoaded(rows)`` after a file was read; ``rowErrors(count)`` when the check found
    problems (nothing imported); ``previewReady(preview)`` when the preview shows what would
    be imported (an ``ImportPreview``; nothing written yet); ``imported(summary)`` after a
    successful import (then the dialog accepts); ``failed(message)`` for a file or database
    error; ``templateSaved(path)`` after 导出导入模板… wrote a template."""

    tableLoaded = Signal(int)
    rowErrors = Signal(int)
    previewReady = Signal(object)
    imported = Signal(object)
    failed = Signal(str)
    templateSaved = Signal(str)

    def __init__(self, connector: LocalDatabase, parent: QWidget | None = None, *,
                 existing: ExistingStudents | None = None) -> None:
        """``existing``: the students in the database now (for the preview; read off the GUI
        thread); by default the connector's own list."""
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import students"))
        self.setAccessibleName(self.windowTitle())
        self._connector = connector
        self._existing = existing or _existing_of(connector)
        self._table: Table | None = None
        self._preview: ImportPreview | None = None
        self._busy = False
        self._field_titles = {
            "student_no": self.tr("Student No."),
            "name": self.tr("Name"),
            "college": self.tr("College"),
            "class_name": self.tr("Class"),
            "status": self.tr("Student status"),
        }
        # English window: the Latin header names and values are listed first
        self._english = self._field_titles["student_no"].isascii()
        self.template_saver = TemplateSaver(self)
        self.template_saver.saved.connect(self._on_template_saved)

        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("importPathEdit")
        self.path_edit.setAccessibleName(self.tr("File to import"))
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("Choose a CSV or XLSX file"))
        self.browse_button = QPushButton(self.tr("&Browse…"), self)
        self.browse_button.setObjectName("importBrowseButton")
        self.browse_button.setAccessibleName(self.tr("Choose the file to import"))
        self.browse_button.clicked.connect(self._browse)
        self.template_button = QPushButton(self.tr("Save &template…"), self)
        self.template_button.setObjectName("importTemplateButton")
        self.template_button.setAccessibleName(
            self.tr("Save an import template: the expected headers and an example row"))
        self.template_button.setToolTip(self.template_button.accessibleName())
        self.template_button.clicked.connect(self.template_saver.ask)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        file_row.addWidget(self.template_button)

        # ---- step 1: the columns ----
        self.mapping_box = QGroupBox(self.tr("Columns"), self)
        self.mapping_box.setObjectName("importMappingBox")
        form = QFormLayout(self.mapping_box)
        self.mapping_combos: dict[str, QComboBox] = {}
        for f in FIELDS:
            combo = QComboBox(self.mapping_box)
            combo.setObjectName(f"importMap_{f.key}")
            title = self._field_titles.get(f.key, f.label)
            combo.setAccessibleName(self.tr("Column for %1").replace("%1", title))
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
            combo.currentIndexChanged.connect(self._on_mapping_changed)
            label = f"{title} *" if f.required else title
            form.addRow(label, combo)
            self.mapping_combos[f.key] = combo
        self.mapping_box.setEnabled(False)
        self.missing_label = self._message_label("importMissingLabel",
                                                 self.tr("Required columns not found"))

        self.preview = QTableWidget(self)
        self.preview.setObjectName("importPreviewTable")
        self.preview.setAccessibleName(self.tr("Preview of the first rows"))
        self.values_label = self._message_label("importValuesLabel",
                                                self.tr("Values that are not accepted"))
        self.errors = QTableWidget(0, 2, self)
        self.errors.setObjectName("importErrorTable")
        self.errors.setAccessibleName(self.tr("Rows that cannot be imported"))
        self.errors.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Problem")])
        self.errors.horizontalHeader().setStretchLastSection(True)
        for table in (self.preview, self.errors):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().setVisible(False)
            table.setMinimumHeight(90)
        self.errors.hide()

        left = QVBoxLayout()
        left.addWidget(self.mapping_box)
        left.addWidget(self.missing_label)
        left.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(left)
        top.addWidget(self.preview, 1)
        mapping_page = QWidget(self)
        mapping_layout = QVBoxLayout(mapping_page)
        mapping_layout.setContentsMargins(0, 0, 0, 0)
        mapping_layout.addLayout(top, 1)
        mapping_layout.addWidget(self.values_label)
        mapping_layout.addWidget(self.errors, 1)

        # ---- step 2: what the import would do ----
        preview_page = QWidget(self)
        self.summary_label = QLabel(preview_page)
        self.summary_label.setObjectName("importSummaryLabel")
        self.summary_label.setAccessibleName(self.tr("What the import will do"))
        self.summary_label.setWordWrap(True)
        self.preview_tabs = QTabWidget(preview_page)
        self.preview_tabs.setObjectName("importPreviewTabs")
        self.preview_tabs.setAccessibleName(self.tr("Students to import"))
        self.new_view = self._view("importNewTable", self.tr("New students"))
        self.changes_view = self._view("importChangesTable",
                                       self.tr("Changes to existing students"))
        self.preview_tabs.addTab(self.new_view, "")
        self.preview_tabs.addTab(self.changes_view, "")
        preview_layout = QVBoxLayout(preview_page)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(self.summary_label)
        preview_layout.addWidget(self.preview_tabs, 1)

        self.steps = QStackedWidget(self)
        self.steps.setObjectName("importSteps")
        self.steps.addWidget(mapping_page)
        self.steps.addWidget(preview_page)

        self.status_label = QLabel(self.tr("Required fields are marked with *."), self)
        self.status_label.setObjectName("importStatusLabel")
        self.status_label.setWordWrap(True)

        buttons = QDialogButtonBox(self)
        self.back_button = QPushButton(self.tr("&Back"), self)
        self.back_button.setObjectName("importBackButton")
        self.back_button.setAccessibleName(self.tr("Back to the columns"))
        self.back_button.clicked.connect(self.back_to_columns)
        self.import_button = QPushButton(self.tr("&Check and preview"), self)
        self.import_button.setObjectName("importButton")
        self.import_button.setAccessibleName(
            self.tr("Check the rows and preview the import; nothing is written yet"))
        self.import_button.clicked.connect(self.start_preview)
        self.confirm_button = QPushButton(self.tr("&Import"), self)
        self.confirm_button.setObjectName("importConfirmButton")
        self.confirm_button.setAccessibleName(self.tr("Import the students as previewed"))
        self.confirm_button.clicked.connect(self.confirm_import)
        buttons.addButton(self.back_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        close.setObjectName("importCancelButton")
        close.setAccessibleName(self.tr("Close without importing"))
        buttons.rejected.connect(self.reject)
        for button in (self.back_button, self.template_button, self.browse_button):
            button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.steps, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.resize(fitting_size(self, 960, 640))
        self._update_buttons()

    def _message_label(self, name: str, accessible: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setStyleSheet("QLabel { color: #8c1d18; }")
        label.hide()
        return label

    def _view(self, name: str, accessible: str) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setAccessibleName(accessible)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
        view.horizontalHeader().setStretchLastSection(True)
        view.setMinimumHeight(90)
        return view

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
        self.back_to_columns()
        self.mapping_box.setEnabled(False)
        self.errors.hide()
        self.values_label.hide()
        self.missing_label.hide()
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
        self._set_busy(False, self.tr("%n data row(s) read. Check the columns, then preview "
                                      "the import.", "", len(table.rows)))
        self._show_missing()
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

    # ---- what the file lacks ---------------------------------------------------------------

    def accepted_headers(self, key: str) -> list[str]:
        """The headers the import recognises for field ``key`` (case, spaces, _ - * : . and
        text in brackets do not matter)."""
        field = next(f for f in FIELDS if f.key == key)
        return _ascii_first((field.label, *field.synonyms), self._english)

    def accepted_statuses(self) -> list[str]:
        """The 学籍状态 values the import accepts (case does not matter)."""
        return _ascii_first(STATUS_SYNONYMS, self._english)

    def missing_fields(self) -> list[str]:
        """The required fields that have no column (keys, in FIELDS order)."""
        chosen = self.mapping()
        return [f.key for f in FIELDS if f.required and chosen.get(f.key) is None]

    def _show_missing(self) -> None:
        missing = self.missing_fields() if self._table is not None else []
        if not missing:
            self.missing_label.hide()
            self.missing_label.clear()
            return
        lines = [self.tr("Required columns not found:")]
        for key in missing:
            lines.append(labels.fill(self.tr("• %1: a column headed %2"),
                                     self._field_titles[key],
                                     labels.join_names(self.accepted_headers(key))))
        lines.append(self.tr("Case, spaces, _ and - in a header do not matter. Rename the "
                             "header in the file, or choose the column above."))
        self.missing_label.setText("\n".join(lines))
        self.missing_label.show()

    @Slot()
    def _on_mapping_changed(self) -> None:
        self._show_missing()
        self._update_buttons()

    # ---- check and preview -----------------------------------------------------------------

    def mapping(self) -> dict[str, int | None]:
        return {key: combo.currentData() for key, combo in self.mapping_combos.items()}

    @Slot()
    def start_preview(self) -> None:
        """Check every row and compare with the database (off the GUI thread): the problems,
        or the preview (``previewReady``). Nothing is written."""
        table = self._table
        if table is None or self._busy or self.missing_fields():
            return
        mapping = self.mapping()
        existing = self._existing
        self.errors.hide()
        self.values_label.hide()
        self._set_busy(True, self.tr("Checking %n row(s)…", "", len(table.rows)))

        def work() -> tuple[MappingResult, BadValues | None, ImportPreview | None]:
            result = map_rows(table, mapping)
            if result.errors:
                return result, _bad_statuses(table, mapping.get("status")), None
            known: Iterable[Student] = existing() if existing is not None else ()
            return result, None, compare(result.students, known)

        run_in_thread(work, self._on_checked, self._on_failed, parent=self)

    def _on_checked(self, checked: tuple[MappingResult, BadValues | None,
                                          ImportPreview | None]) -> None:
        result, bad, preview = checked
        if preview is None:
            self._show_errors(result, bad)
            return
        self._show_preview(preview)

    def _show_errors(self, result: MappingResult, bad: BadValues | None) -> None:
        shown = result.errors[:MAX_LISTED_ERRORS]
        self.errors.setRowCount(len(shown))
        for r, err in enumerate(shown):
            number = QTableWidgetItem(str(err.row))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.errors.setItem(r, 0, number)
            self.errors.setItem(r, 1, QTableWidgetItem(err.reason))
        self.errors.show()
        if bad is not None:
            self.values_label.setText(self.bad_values_text(bad))
            self.values_label.show()
        self._set_busy(False, self.tr(
            "%n row(s) cannot be imported. Nothing was imported; correct the file and "
            "try again.", "", len(result.errors)))
        self.rowErrors.emit(len(result.errors))

    def bad_values_text(self, bad: BadValues) -> str:
        """“Student status” does not accept: 放假 (2 rows). Accepted: …"""
        locale = QLocale()
        values = [self.tr("“%1” (%n row(s))", "", n).replace("%1", value)
                  for value, n in bad.counts.most_common(MAX_LISTED_VALUES)]
        more = len(bad.counts) - MAX_LISTED_VALUES
        if more > 0:
            values.append(self.tr("and %1 more").replace("%1", locale.toString(more)))
        return labels.fill(
            self.tr("%1 does not accept: %2.\nAccepted values: %3 (case does not matter)."),
            self._field_titles[bad.key], labels.join_names(values),
            labels.join_names(self.accepted_statuses()))

    def _show_preview(self, preview: ImportPreview) -> None:
        self._preview = preview
        locale = QLocale()
        status_label = labels.student_status_label
        headers = (self._field_titles["student_no"], self._field_titles["name"],
                   self._field_titles["college"], self._field_titles["class_name"],
                   self._field_titles["status"])
        old_new = self.new_view.model(), self.changes_view.model()
        self.new_view.setModel(NewStudentsModel(preview.new, headers, status_label, self))
        self.changes_view.setModel(ChangesModel(
            preview.changes,
            (self._field_titles["student_no"], self.tr("Name (after import)"),
             self.tr("Field"), self.tr("Now"), self.tr("After import")),
            self._field_titles, status_label, self.tr("(empty)"), self))
        for model in old_new:
            if model is not None:
                model.deleteLater()
        for view, widths in ((self.new_view, (12, 10, 14, 12)),
                             (self.changes_view, (12, 20, 14, 16))):
            char = view.fontMetrics().averageCharWidth()
            header = view.horizontalHeader()
            for column, chars in enumerate(widths):
                title = str(view.model().headerData(column, Qt.Orientation.Horizontal) or "")
                room = header.fontMetrics().horizontalAdvance(title) + 24  # the title whole
                header.resizeSection(column, max(char * chars + 24, room))
        self.preview_tabs.setTabText(0, self.tr("New students (%1)").replace(
            "%1", locale.toString(len(preview.new))))
        self.preview_tabs.setTabText(1, self.tr("Updated students (%1)").replace(
            "%1", locale.toString(preview.updated)))
        self.preview_tabs.setCurrentIndex(0 if preview.new or not preview.updated else 1)
        self.summary_label.setText(self.summary_text(preview))
        self.steps.setCurrentIndex(1)
        if preview.new or preview.updated:
            self._set_busy(False, self.tr("Nothing has been written yet. Press Import to "
                                          "write these changes, or Back to change the "
                                          "columns."))
        else:
            self._set_busy(False, self.tr("Nothing to import: every student in the file is "
                                          "already as it says."))
        self.confirm_button.setDefault(True)
        self.confirm_button.setFocus()
        self.previewReady.emit(preview)

    def summary_text(self, preview: ImportPreview) -> str:
        locale = QLocale()
        return labels.fill(
            self.tr("%1 new students will be added and %2 existing students updated (%3 "
                    "field changes); %4 are already as the file says."),
            locale.toString(len(preview.new)), locale.toString(preview.updated),
            locale.toString(len(preview.changes)), locale.toString(preview.unchanged))

    @Slot()
    def back_to_columns(self) -> None:
        """From the preview back to the columns; the preview is dropped."""
        self._preview = None
        self.steps.setCurrentIndex(0)
        self.confirm_button.setDefault(False)
        self._update_buttons()

    # ---- import ----------------------------------------------------------------------------

    @Slot()
    def confirm_import(self) -> None:
        """Write the students the preview showed (off-thread, one transaction)."""
        preview = self._preview
        if preview is None or self._busy:
            return
        students: Sequence[Student] = preview.students
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

    @Slot(str)
    def _on_template_saved(self, path: str) -> None:
        self.status_label.setText(self.tr("Template saved to %1").replace("%1", path))
        self.templateSaved.emit(path)

    # ---- state -----------------------------------------------------------------------------

    def _set_busy(self, busy: bool, text: str) -> None:
        self._busy = busy
        self.status_label.setText(text)
        self._update_buttons()

    @Slot()
    def _update_buttons(self) -> None:
        previewing = self.steps.currentIndex() == 1
        ready = self._table is not None and not self._busy and bool(self._table.rows)
        if ready:
            ready = not self.missing_fields()
        self.import_button.setVisible(not previewing)
        self.import_button.setEnabled(ready and not previewing)
        self.back_button.setVisible(previewing)
        self.back_button.setEnabled(previewing and not self._busy)
        self.confirm_button.setVisible(previewing)
        self.confirm_button.setEnabled(previewing and not self._busy
                                       and self._preview is not None
                                       and bool(self._preview.new or self._preview.updated))
        self.browse_button.setEnabled(not self._busy)

    def reject(self) -> None:
        if not self._busy:  # an import in flight finishes first (it is one transaction)
            super().reject()

