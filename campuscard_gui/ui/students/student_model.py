"""The student table's model: students joined with their cards, filtered and sorted in Python.

Everything a keystroke or a header click needs is computed once in ``set_rows``: a lowercase
search key per row, a small integer status code per row, and (lazily, then cached) one sorted
order per column and direction. A filter is then one list comprehension over precomputed
values and a sort is a cached permutation intersected with the filter, which keeps both within a
few milliseconds at 100,000 rows. No QSortFilterProxyModel: it would call ``data()`` per row.

The visible rows are a list of indexes into the backing list. Filtering and sorting are layout
changes (persistent indexes, hence the view's selection, follow their rows); ``set_rows`` is
one reset; ``update_cards`` changes rows in place and emits ``dataChanged`` for those only.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ...core.model import Card, CardStatus, StudentRow, StudentStatus
from ..labels import card_status_label, student_status_label

ROW_ROLE = int(Qt.ItemDataRole.UserRole)  # -> the StudentRow behind a visible row
STUDENT_NO_ROLE = ROW_ROLE + 1  # -> its 学号

COL_STUDENT_NO, COL_NAME, COL_COLLEGE, COL_CLASS = 0, 1, 2, 3
COL_STUDENT_STATUS, COL_CARD_STATUS, COL_OPEN_TIME, COL_AMOUNT = 4, 5, 6, 7
COL_CARD_ID = 8  # the backend's card record id (简道云: 24 characters); hidden at first
COLUMN_COUNT = 9
# a stable name per column: what the remembered layout (widths, hidden columns, sort) is keyed
# on, so that a column added later does not shift the others
COLUMN_KEYS = ("student_no", "name", "college", "class", "student_status", "card_status",
               "open_time", "amount", "card_id")

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

_LAYOUT_SIG = "QList<QPersistentModelIndex>,QAbstractItemModel::LayoutChangeHint"

_STUDENT_STATUSES: tuple[StudentStatus, ...] = tuple(StudentStatus)
_CARD_STATUSES: tuple[CardStatus, ...] = tuple(CardStatus)
_S_INDEX = {s: i for i, s in enumerate(_STUDENT_STATUSES)}
_C_INDEX = {c: i for i, c in enumerate(_CARD_STATUSES)}
_N_CARD = len(_CARD_STATUSES)
_ALL_CODES = len(_STUDENT_STATUSES) * _N_CARD

Index = QModelIndex | QPersistentModelIndex


def _code(row: StudentRow) -> int:
    """Student status and card status as one small int (index into the allowed-table)."""
    card = row.card
    c = _C_INDEX[card.status] if card is not None else 0
    return _S_INDEX[row.student.status] * _N_CARD + c


def format_open_time(ms: int | None) -> str:
    """Milliseconds since the epoch as local ``yyyy-MM-dd HH:mm`` ("" when not opened)."""
    if ms is None:
        return ""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ms / 1000))


def format_amount(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


class PreparedCards(NamedTuple):
    """Rows with their new cards, made by ``prepare_cards`` for one ``set_rows`` generation:
    (row index, new row, its status code)."""

    generation: int
    rows: list[tuple[int, StudentRow, int]]

    def parts(self, size: int) -> list[PreparedCards]:
        """These rows in slices of ``size``, to put in place one per event-loop turn (72,000
        rows at once held the window for about 20 ms, twice that while a worker ran)."""
        return [PreparedCards(self.generation, self.rows[i:i + size])
                for i in range(0, len(self.rows), size)]


class StudentTableModel(QAbstractTableModel):
    """A table of ``StudentRow``; see the module docstring for how it stays fast.

    ``visibleRowsAboutToChange`` / ``visibleRowsChanged`` bracket every filter or sort,
    outside the layout change, so that a view can carry its selection across cheaply
    (``StudentTableView`` does).
    """

    visibleRowsAboutToChange = Signal()
    visibleRowsChanged = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[StudentRow] = []
        self._keys: list[str] = []  # lowercase "学号\t姓名\t班级" per backing row
        self._codes: list[int] = []  # _code(row) per backing row
        self._by_no: dict[str, int] = {}  # 学号 -> backing index
        self._display: list[tuple[str, ...] | None] = []  # lazily formatted cells
        self._orders: dict[tuple[int, bool], list[int]] = {}  # (column, descending) -> order
        self._visible: list[int] = []
        self._needle = ""
        self._student_filter: frozenset[StudentStatus] = frozenset()
        self._card_filter: frozenset[CardStatus] = frozenset()
        self._generation = 0  # set_rows calls so far
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._s_labels: dict[StudentStatus, str] = {}
        self._c_labels: dict[CardStatus, str] = {}
        self._headers: list[str] = []
        self.retranslate()

    # ---- data in -------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Re-read translated labels (after a language change)."""
        self._s_labels = {s: student_status_label(s) for s in _STUDENT_STATUSES}
        self._c_labels = {c: card_status_label(c) for c in _CARD_STATUSES}
        self._headers = [
            self.tr("Student No."),
            self.tr("Name"),
            self.tr("College"),
            self.tr("Class"),
            self.tr("Student status"),
            self.tr("Card status"),
            self.tr("Opened at"),
            self.tr("Balance"),
            self.tr("Card ID"),
        ]
        self._display = [None] * len(self._rows)
        if self._visible:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._visible) - 1, COLUMN_COUNT - 1)
            )
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)

    def set_rows(self, rows: Iterable[StudentRow]) -> None:
        """Replace all rows (one model reset). Filter and sort settings are kept."""
        self.beginResetModel()
        self._rows = list(rows)
        rs = self._rows
        self._keys = [
            f"{r.student.student_no}\t{r.student.name}\t{r.student.class_name}".lower() for r in rs
        ]
        s_index, c_index, n_card = _S_INDEX, _C_INDEX, _N_CARD
        self._codes = [
            s_index[r.student.status] * n_card + (c_index[r.card.status] if r.card else 0)
            for r in rs
        ]
        self._by_no = {r.student.student_no: i for i, r in enumerate(rs)}
        self._display = [None] * len(rs)
        self._generation += 1  # cards prepared for the rows before are dropped
        self._orders.clear()
        self._visible = self._compute_visible()
        self.endResetModel()

    def update_cards(self, changed: Mapping[str, Card]) -> int:
        """Put the given cards (by 学号) into their rows in place; returns how many rows changed.

        Emits ``dataChanged`` for the affected visible rows only. Rows stay where they are even
        if they no longer match the filter or order. (``prepare_cards`` off the GUI thread,
        then ``apply_cards`` on it, does the same without a stall for 100,000 cards.)
        """
        return self.apply_cards(self.prepare_cards(changed))

    def prepare_cards(self, changed: Mapping[str, Card]) -> PreparedCards:
        """The rows ``changed`` makes, computed on any thread (it only reads the rows; the
        result is dropped by ``apply_cards`` if ``set_rows`` came in between)."""
        generation, by_no, rows = self._generation, self._by_no, self._rows
        out: list[tuple[int, StudentRow, int]] = []
        for no, card in changed.items():
            i = by_no.get(no)
            if i is None or i >= len(rows):
                continue
            row = rows[i]
            if row.card == card:
                continue
            new = StudentRow(row.student, card)
            out.append((i, new, _code(new)))
        return PreparedCards(generation, out)

    def apply_cards(self, prepared: PreparedCards) -> int:
        """Put prepared rows in place (GUI thread); returns how many rows changed."""
        if prepared.generation != self._generation or not prepared.rows:
            return 0
        rows, codes, display = self._rows, self._codes, self._display
        for i, new, code in prepared.rows:
            rows[i] = new
            codes[i] = code
            display[i] = None
        for key in [k for k in self._orders if k[0] >= COL_CARD_STATUS]:
            del self._orders[key]
        if self._visible:
            # one range over the shown rows: the view repaints only what it shows of it, where
            # thousands of scattered ranges (a job over a sorted, filtered table) cost a second
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._visible) - 1, COLUMN_COUNT - 1))
        return len(prepared.rows)

    # ---- filter and sort -----------------------------------------------------------------

    def set_filter(
        self,
        text: str | None = None,
        student_statuses: Collection[StudentStatus] | None = None,
        card_statuses: Collection[CardStatus] | None = None,
    ) -> None:
        """Change any of the three filters (None = leave as is; an empty set = no filter)."""
        if text is not None:
            self._needle = text.strip().lower()
        if student_statuses is not None:
            self._student_filter = frozenset(student_statuses)
        if card_statuses is not None:
            self._card_filter = frozenset(card_statuses)
        self._relayout(
            self._compute_visible(), QAbstractItemModel.LayoutChangeHint.NoLayoutChangeHint
        )

    def reapply_filter(self) -> int:
        """Filter and sort again over the rows as they are now (after a job changed cards:
        a row that no longer matches leaves the view, and with it the selection). Returns how
        many rows left the view."""
        before = len(self._visible)
        visible = self._compute_visible()
        if visible == self._visible:
            return 0  # nothing left the view or moved: no relayout (25 ms at 100,000 rows)
        self._relayout(visible, QAbstractItemModel.LayoutChangeHint.NoLayoutChangeHint)
        return max(0, before - len(visible))

    def set_search_text(self, text: str) -> None:
        self.set_filter(text=text)

    @property
    def search_text(self) -> str:
        return self._needle

    @property
    def student_filter(self) -> frozenset[StudentStatus]:
        return self._student_filter

    @property
    def card_filter(self) -> frozenset[CardStatus]:
        return self._card_filter

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Stable sort by ``column`` (-1 = backing order). A layout change, selection kept."""
        if column >= COLUMN_COUNT:
            return
        self._sort_column = column
        self._sort_order = Qt.SortOrder(order)
        self._relayout(
            self._compute_visible(), QAbstractItemModel.LayoutChangeHint.VerticalSortHint
        )

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def _order(self) -> Sequence[int]:
        col = self._sort_column
        if col < 0:
            return range(len(self._rows))
        desc = self._sort_order == Qt.SortOrder.DescendingOrder
        cached = self._orders.get((col, desc))
        if cached is None:
            keys = self._sort_keys(col)
            # Python's sort is stable with reverse=True too: ties keep backing order.
            cached = sorted(range(len(keys)), key=keys.__getitem__, reverse=desc)
            self._orders[(col, desc)] = cached
        return cached

    def _sort_keys(self, col: int) -> list[Any]:
        rs = self._rows
        if col == COL_STUDENT_NO:
            return [r.student.student_no for r in rs]
        if col == COL_NAME:
            return [r.student.name for r in rs]
        if col == COL_COLLEGE:
            return [r.student.college for r in rs]
        if col == COL_CLASS:
            return [r.student.class_name for r in rs]
        if col == COL_STUDENT_STATUS:
            return [c // _N_CARD for c in self._codes]
        if col == COL_CARD_STATUS:
            return [c % _N_CARD for c in self._codes]
        if col == COL_OPEN_TIME:
            return [
                -1 if r.card is None or r.card.open_time is None else r.card.open_time for r in rs
            ]
        if col == COL_CARD_ID:
            return ["" if r.card is None else r.card.card_id for r in rs]
        return [-1.0 if r.card is None else float(r.card.amount) for r in rs]

    def _allowed(self) -> list[bool] | None:
        """Per status code: does it pass the status filters (None = everything passes)."""
        sf, cf = self._student_filter, self._card_filter
        if not sf and not cf:
            return None
        allowed = [False] * _ALL_CODES
        for si, s in enumerate(_STUDENT_STATUSES):
            if sf and s not in sf:
                continue
            for ci, c in enumerate(_CARD_STATUSES):
                if not cf or c in cf:
                    allowed[si * _N_CARD + ci] = True
        return allowed

    def _compute_visible(self) -> list[int]:
        order = self._order()
        needle = self._needle
        allowed = self._allowed()
        keys, codes = self._keys, self._codes
        if allowed is None:
            if not needle:
                return list(order)
            return [i for i in order if needle in keys[i]]
        if not needle:
            return [i for i in order if allowed[codes[i]]]
        return [i for i in order if allowed[codes[i]] and needle in keys[i]]

    def _relayout(self, visible: list[int], hint: QAbstractItemModel.LayoutChangeHint) -> None:
        self.visibleRowsAboutToChange.emit()
        # ignore: PySide6's stubs give SignalInstance no __getitem__ (an overload by signature)
        self.layoutAboutToBeChanged[_LAYOUT_SIG].emit([], hint)  # type: ignore[index]
        old = self._visible
        self._visible = visible
        persistent = self.persistentIndexList()
        if persistent:
            where = dict(zip(visible, range(len(visible)), strict=True))
            invalid = QModelIndex()
            create = self.createIndex
            targets = []
            for idx in persistent:
                r = idx.row()
                new_row = where.get(old[r]) if 0 <= r < len(old) else None
                targets.append(invalid if new_row is None else create(new_row, idx.column()))
            self.changePersistentIndexList(persistent, targets)
        # ignore: PySide6's stubs give SignalInstance no __getitem__ (an overload by signature)
        self.layoutChanged[_LAYOUT_SIG].emit([], hint)  # type: ignore[index]
        self.visibleRowsChanged.emit()

    # ---- reading ---------------------------------------------------------------------------

    @property
    def total_count(self) -> int:
        return len(self._rows)

    @property
    def visible_count(self) -> int:
        return len(self._visible)

    def all_rows(self) -> list[StudentRow]:
        """The backing rows (the model's own list: do not modify)."""
        return self._rows

    def row_at(self, visible_row: int) -> StudentRow:
        return self._rows[self._visible[visible_row]]

    def row_for(self, student_no: str) -> StudentRow | None:
        i = self._by_no.get(student_no)
        return None if i is None else self._rows[i]

    def visible_row_of(self, student_no: str) -> int:
        """The visible row of a 学号 (-1 if filtered out or unknown). O(visible rows)."""
        i = self._by_no.get(student_no)
        if i is None:
            return -1
        try:
            return self._visible.index(i)
        except ValueError:
            return -1

    def rows_in_ranges(self, ranges: Iterable[tuple[int, int]]) -> list[StudentRow]:
        """The rows of visible row ranges (inclusive), in visible order, each row once."""
        rows = self._rows
        return [rows[i] for i in self.sources_in_ranges(ranges)]

    def sources_in_ranges(self, ranges: Iterable[tuple[int, int]]) -> list[int]:
        """Backing indexes of visible row ranges (inclusive), in visible order, each once."""
        spans = sorted((max(0, t), min(b, len(self._visible) - 1)) for t, b in ranges)
        merged: list[tuple[int, int]] = []
        for t, b in spans:
            if t > b:
                continue
            if merged and t <= merged[-1][1] + 1:
                if b > merged[-1][1]:
                    merged[-1] = (merged[-1][0], b)
            else:
                merged.append((t, b))
        vis = self._visible
        out: list[int] = []
        for t, b in merged:
            out.extend(vis[t : b + 1])
        return out

    def sources_of(self, student_nos: Iterable[str]) -> list[int]:
        """The backing rows of these 学号 (those the model holds)."""
        by_no = self._by_no
        return [i for no in student_nos if (i := by_no.get(no)) is not None]

    def selection_for(self, runs: Iterable[tuple[int, int]]) -> QItemSelection:
        """A selection of whole visible rows, one range per (top, bottom) run."""
        selection = QItemSelection()
        create, last = self.createIndex, COLUMN_COUNT - 1
        for top, bottom in runs:
            selection.select(create(top, 0), create(bottom, last))
        return selection

    def visible_runs(self, sources: Collection[int]) -> list[tuple[int, int]]:
        """Where the given backing rows are now shown: maximal (top, bottom) runs of visible
        rows, top to bottom (rows filtered out are left out)."""
        wanted = sources if isinstance(sources, set | frozenset) else set(sources)
        runs: list[tuple[int, int]] = []
        start = prev = -2
        for pos, src in enumerate(self._visible):
            if src in wanted:
                if pos != prev + 1:
                    if start >= 0:
                        runs.append((start, prev))
                    start = pos
                prev = pos
        if start >= 0:
            runs.append((start, prev))
        return runs

    # ---- QAbstractItemModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            if 0 <= section < COLUMN_COUNT:
                return self._headers[section]
            return None
        if orientation == Qt.Orientation.Vertical and role == _DISPLAY:
            return section + 1
        return None

    def _cells(self, src: int) -> tuple[str, ...]:
        cells = self._display[src]
        if cells is None:
            row = self._rows[src]
            st, card = row.student, row.card
            status = card.status if card is not None else CardStatus.NONE
            cells = (
                st.student_no,
                st.name,
                st.college,
                st.class_name,
                self._s_labels[st.status],
                self._c_labels[status],
                format_open_time(card.open_time) if card is not None else "",
                format_amount(card.amount) if card is not None else "",
                card.card_id if card is not None else "",
            )
            self._display[src] = cells
        return cells

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        r = index.row()
        if r >= len(self._visible):
            return None
        if role == _DISPLAY:
            return self._cells(self._visible[r])[index.column()]
        if role == ROW_ROLE:
            return self._rows[self._visible[r]]
        if role == STUDENT_NO_ROLE:
            return self._rows[self._visible[r]].student.student_no
        if role == _ALIGN and index.column() == COL_AMOUNT:
            return _RIGHT
        if role == _TOOLTIP and index.column() == COL_CARD_ID:
            # a long id may be shown elided in the middle (the view's delegate): whole here
            return self._cells(self._visible[r])[COL_CARD_ID] or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _FLAGS
