"""The student table view: row selection read through the selection's ranges.

At 100,000 rows, per-row selection calls are what costs: select-all-filtered is one
QItemSelection range, and the selected students are read from the ranges (each row once, in
table order), never from ``selectedRows()``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QTableView,
    QWidget,
)

from ...core.model import StudentRow
from ...export import csv_cell
from .student_model import COLUMN_COUNT, StudentTableModel

_COLUMN_CHARS = (14, 9, 16, 12, 9, 9, 17, 10)  # initial column widths, in average characters


class StudentTableView(QTableView):
    def __init__(self, model: StudentTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("studentTable")
        self.setAccessibleName(self.tr("Students"))
        self._model = model
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        # Tab and Shift+Tab leave the table for the next control (arrows move in it), so a
        # keyboard-only operator can reach the actions and the results below
        self.setTabKeyNavigation(False)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        metrics = self.fontMetrics()
        char = metrics.averageCharWidth()
        for col, chars in enumerate(_COLUMN_CHARS[:COLUMN_COUNT]):
            title = str(model.headerData(col, Qt.Orientation.Horizontal))
            header.resizeSection(col, max(char * chars, metrics.horizontalAdvance(title)) + 24)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # 学院 takes spare width
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorClearable(True)  # a third click returns to 学号 order
        self.setSortingEnabled(True)  # header clicks call model.sort (Python, cached)
        self._context_actions: list[QAction | None] = []
        self._stash: list[int] | None = None
        model.visibleRowsAboutToChange.connect(self._stash_selection)
        model.visibleRowsChanged.connect(self._restore_selection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_context_menu)

    def set_context_actions(self, actions: Sequence[QAction | None]) -> None:
        """The context menu's actions (None = a separator)."""
        self._context_actions = list(actions)

    def build_context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("studentContextMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for action in self._context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        return menu

    @Slot(QPoint)
    def _show_context_menu(self, pos: QPoint) -> None:
        self.build_context_menu().popup(self.viewport().mapToGlobal(pos))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_rows()
            event.accept()
            return
        super().keyPressEvent(event)

    def enter_from_search(self) -> None:
        """Focus the table from the search box: on the current row, else the first one."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        sm = self.selectionModel()
        if self._model.rowCount() and not sm.hasSelection():
            current = self.currentIndex()
            row = current.row() if current.isValid() else 0
            sm.setCurrentIndex(self._model.index(row, 0),
                               QItemSelectionModel.SelectionFlag.ClearAndSelect
                               | QItemSelectionModel.SelectionFlag.Rows)

    def rows_as_tsv(self) -> str:
        """The selected rows as shown (visible columns, table order) with a header line, tab
        separated: what a spreadsheet pastes as rows. A cell that a spreadsheet would run as a
        formula is written as text (export.csv_cell); tabs and line breaks in a cell become
        spaces so that a cell stays one cell."""
        model = self._model
        header = self.horizontalHeader()
        columns = [header.logicalIndex(v) for v in range(header.count())]
        columns = [c for c in columns if not header.isSectionHidden(c)]

        def cell(text: object) -> str:
            flat = " ".join(str(text or "").replace("\t", " ").splitlines())
            return csv_cell(flat)

        lines = ["\t".join(cell(model.headerData(c, Qt.Orientation.Horizontal))
                           for c in columns)]
        rows = sorted({r for top, bottom in self.selected_ranges()
                       for r in range(top, bottom + 1)})
        for r in rows:
            lines.append("\t".join(cell(model.index(r, c).data()) for c in columns))
        return "\n".join(lines) + "\n"

    @Slot()
    def copy_rows(self) -> None:
        """Ctrl+C: the selected rows as TSV (see ``rows_as_tsv``)."""
        if self.selectionModel().hasSelection():
            QApplication.clipboard().setText(self.rows_as_tsv())

    @Slot()
    def copy_student_numbers(self) -> None:
        """Copy the selected 学号 to the clipboard, one per line."""
        QApplication.clipboard().setText("\n".join(r.student_no for r in self.selected_rows()))

    # ---- selection across filter and sort -------------------------------------------------
    # Left to itself, QItemSelectionModel carries a selection through a layout change as one
    # persistent index per selected row (per cell, for a filter): seconds at 100,000 rows.
    # Instead the selected backing rows are noted, the selection cleared, and after the
    # change the rows still shown are selected again as a few contiguous ranges.

    @Slot()
    def _stash_selection(self) -> None:
        sm = self.selectionModel()
        if sm is None or not sm.hasSelection():
            self._stash = None
            return
        self._stash = self._model.sources_in_ranges(self.selected_ranges())
        sm.clearSelection()

    @Slot()
    def _restore_selection(self) -> None:
        stash, self._stash = self._stash, None
        if not stash:
            return
        runs = self._model.visible_runs(stash)
        if runs:
            # Whole-row ranges already: the Rows flag would only make Qt re-merge them
            # (quadratic in the number of ranges).
            self.selectionModel().select(self._model.selection_for(runs),
                                         QItemSelectionModel.SelectionFlag.Select)

    def select_all_filtered(self) -> None:
        """Select every visible row with one selection range."""
        n = self._model.rowCount()
        sm = self.selectionModel()
        if n == 0:
            sm.clearSelection()
            return
        sm.select(self._model.selection_for([(0, n - 1)]),
                  QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def selected_ranges(self) -> list[tuple[int, int]]:
        """(top, bottom) visible rows of each selection range (they may overlap)."""
        selection = self.selectionModel().selection()
        return [(r.top(), r.bottom()) for r in (selection.at(i) for i in range(selection.size()))]

    def selected_rows(self) -> list[StudentRow]:
        """The selected students in table order, each once."""
        return self._model.rows_in_ranges(self.selected_ranges())

    def selected_count(self) -> int:
        count, end = 0, -1
        for top, bottom in sorted(self.selected_ranges()):
            top = max(top, end + 1)
            if bottom >= top:
                count += bottom - top + 1
                end = bottom
        return count
