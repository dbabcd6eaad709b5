"""The student table view: row selection read through the selection's ranges.

At 100,000 rows, per-row selection calls are what costs: select-all-filtered is one
QItemSelection range, and the selected students are read from the ranges (each row once, in
table order), never from ``selectedRows()``.

Also the column chooser (the header's context menu, and the View menu's 列), the layout the
window remembers per profile (``header_layout`` / ``apply_header_layout``: widths, hidden
columns and sort, keyed by column name) and a hint painted in an empty table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ...core.model import StudentRow
from ...export import csv_cell
from .student_model import COL_CARD_ID, COL_COLLEGE, COLUMN_COUNT, COLUMN_KEYS, StudentTableModel

_COLUMN_CHARS = (14, 9, 16, 12, 9, 9, 17, 10)  # initial column widths, in average characters
# a 简道云 data_id is 24 hex characters: the card id column is as wide as one, whole
_CARD_ID_SAMPLE = "5f0d8a2b9c3e4f6a7b1c0d2e"
DEFAULT_HIDDEN = frozenset({COL_CARD_ID})  # shown from the column chooser


class _ElideMiddle(QStyledItemDelegate):
    """Long ids elided in the middle (start and end stay readable); the tooltip has it whole."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class StudentTableView(QTableView):
    """``columnsChanged`` after a column was shown or hidden from the chooser."""

    columnsChanged = Signal()

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
        # A header asks, at every paint, whether each section it draws and its neighbours
        # are wholly selected (for the style's "selected position", highlighting or not):
        # one flags() call per row and column through Python, 2 s per paint with 100,000
        # rows selected. Rows are what is selected here, so the headers get a selection model
        # of their own that stays empty.
        header.setHighlightSections(False)
        vertical.setHighlightSections(False)
        self._header_selection = QItemSelectionModel(model, self)
        header.setSelectionModel(self._header_selection)
        vertical.setSelectionModel(self._header_selection)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self._default_widths = self._initial_widths()
        for col, width in enumerate(self._default_widths):
            header.resizeSection(col, width)
        header.setSectionResizeMode(COL_COLLEGE, QHeaderView.ResizeMode.Stretch)  # spare width
        for col in DEFAULT_HIDDEN:
            header.setSectionHidden(col, True)
        self.setItemDelegateForColumn(COL_CARD_ID, _ElideMiddle(self))
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_column_menu)
        self._empty_hint = ""
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted,
                       model.rowsRemoved):
            signal.connect(self._describe)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorClearable(True)  # a third click returns to 学号 order
        self.setSortingEnabled(True)  # header clicks call model.sort (Python, cached)
        self._context_actions: list[QAction | None] = []
        self._stash: list[int] | None = None
        model.visibleRowsAboutToChange.connect(self._stash_selection)
        model.visibleRowsChanged.connect(self._restore_selection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_context_menu)

    def _initial_widths(self) -> list[int]:
        metrics = self.fontMetrics()
        char = metrics.averageCharWidth()
        widths = []
        for col in range(COLUMN_COUNT):
            title = str(self._model.headerData(col, Qt.Orientation.Horizontal))
            content = (metrics.horizontalAdvance(_CARD_ID_SAMPLE) if col == COL_CARD_ID
                       else char * _COLUMN_CHARS[col])
            widths.append(max(content, metrics.horizontalAdvance(title)) + 24)
        return widths

    # ---- columns: the chooser and the remembered layout -----------------------------------

    def build_column_menu(self, menu: QMenu | None = None) -> QMenu:
        """A checkable action per column (the last shown one cannot be hidden) and 默认列;
        into ``menu`` (cleared first) or a new one."""
        if menu is None:
            menu = QMenu(self)
            menu.setObjectName("columnMenu")
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.clear()
        header = self.horizontalHeader()
        shown = [c for c in range(COLUMN_COUNT) if not header.isSectionHidden(c)]
        for col in range(COLUMN_COUNT):
            title = str(self._model.headerData(col, Qt.Orientation.Horizontal))
            qa = menu.addAction(title)
            qa.setObjectName(f"column_{COLUMN_KEYS[col]}")
            qa.setCheckable(True)
            qa.setChecked(col in shown)
            qa.setEnabled(shown != [col])
            qa.toggled.connect(lambda on, c=col: self.set_column_visible(c, on))
        menu.addSeparator()
        reset = menu.addAction(self.tr("Default columns"))
        reset.setObjectName("defaultColumnsAction")
        reset.triggered.connect(self.reset_columns)
        return menu

    @Slot(QPoint)
    def _show_column_menu(self, pos: QPoint) -> None:
        self.build_column_menu().popup(self.horizontalHeader().mapToGlobal(pos))

    def set_column_visible(self, column: int, visible: bool) -> None:
        header = self.horizontalHeader()
        if not visible and all(header.isSectionHidden(c) for c in range(COLUMN_COUNT)
                               if c != column):
            return  # never an empty table header
        if header.isSectionHidden(column) == (not visible):
            return
        header.setSectionHidden(column, not visible)
        if visible and header.sectionSize(column) < 16:
            header.resizeSection(column, self._default_widths[column])
        self.columnsChanged.emit()

    @Slot()
    def reset_columns(self) -> None:
        """The columns as at first start: default widths, the card id hidden."""
        header = self.horizontalHeader()
        for col in range(COLUMN_COUNT):
            header.setSectionHidden(col, col in DEFAULT_HIDDEN)
            if col != COL_COLLEGE:
                header.resizeSection(col, self._default_widths[col])
        self.columnsChanged.emit()

    def hidden_columns(self) -> list[int]:
        header = self.horizontalHeader()
        return [c for c in range(COLUMN_COUNT) if header.isSectionHidden(c)]

    def header_layout(self) -> dict[str, Any]:
        """Widths, hidden columns and sort by column name: what the window saves."""
        header = self.horizontalHeader()
        widths = {COLUMN_KEYS[c]: header.sectionSize(c) for c in range(COLUMN_COUNT)
                  if c != COL_COLLEGE and not header.isSectionHidden(c)}
        column = self._model.sort_column
        return {
            "widths": widths,
            "hidden": [COLUMN_KEYS[c] for c in self.hidden_columns()],
            "sort": {"column": COLUMN_KEYS[column] if 0 <= column < COLUMN_COUNT else None,
                     "descending": self._model.sort_order == Qt.SortOrder.DescendingOrder},
        }

    def apply_header_layout(self, layout: Mapping[str, Any]) -> None:
        """Apply what ``header_layout`` gave; anything unknown or malformed is left out (the
        file may be older, newer or edited by hand)."""
        header = self.horizontalHeader()
        index = {key: col for col, key in enumerate(COLUMN_KEYS)}
        hidden = layout.get("hidden")
        if isinstance(hidden, list):
            cols = {index[k] for k in hidden if isinstance(k, str) and k in index}
            if len(cols) < COLUMN_COUNT:
                for col in range(COLUMN_COUNT):
                    header.setSectionHidden(col, col in cols)
        widths = layout.get("widths")
        if isinstance(widths, dict):
            limit = max(2000, self.fontMetrics().averageCharWidth() * 200)
            for key, width in widths.items():
                found = index.get(key) if isinstance(key, str) else None
                if found is not None and found != COL_COLLEGE and isinstance(width, int) \
                        and not isinstance(width, bool) and 16 <= width <= limit:
                    header.resizeSection(found, width)
        sort = layout.get("sort")
        if isinstance(sort, dict):
            key = sort.get("column")
            order = (Qt.SortOrder.DescendingOrder if sort.get("descending") is True
                     else Qt.SortOrder.AscendingOrder)
            if key is None:
                header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
                self._model.sort(-1)
            elif isinstance(key, str) and key in index:
                header.setSortIndicator(index[key], order)  # sorts the model (sorting enabled)

    # ---- the hint in an empty table --------------------------------------------------------

    def set_empty_hint(self, text: str) -> None:
        """What an empty table says when it has no students at all (first start, loading, a
        load that failed); a filter that hides every row says so by itself."""
        self._empty_hint = text
        self._describe()
        self.viewport().update()

    @Slot()
    def _describe(self) -> None:
        """A screen reader hears the empty table's hint too (it is painted, not a widget)."""
        self.setAccessibleDescription(self.empty_hint())

    def empty_hint(self) -> str:
        """What the empty table shows now ("" when it has rows)."""
        if self._model.rowCount():
            return ""
        if self._model.total_count:
            return self.tr("No students match the filter. Clear the search or choose the "
                           "preset “All students”.")
        return self._empty_hint

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        hint = self.empty_hint()
        if not hint:
            return
        painter = QPainter(self.viewport())
        try:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            margin = 24
            rect = self.viewport().rect().adjusted(margin, margin, -margin, -margin)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                                       | Qt.TextFlag.TextWordWrap), hint)
        finally:
            painter.end()

    # ---- context menu ----------------------------------------------------------------------

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

    def select_students(self, student_nos: Iterable[str]) -> int:
        """Select the rows of these 学号 that are shown (after the rows were replaced by a
        fresh listing: the operator's selection stays on the same students). Returns how
        many rows are selected."""
        runs = self._model.visible_runs(self._model.sources_of(student_nos))
        sm = self.selectionModel()
        sm.clearSelection()
        if runs:
            sm.select(self._model.selection_for(runs), QItemSelectionModel.SelectionFlag.Select)
        return sum(b - a + 1 for a, b in runs)

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
