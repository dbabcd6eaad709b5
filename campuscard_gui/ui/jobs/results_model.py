"""The per-record results table of a job: one row per ``JobRecord``.

Following design.md §8: ``set_records()`` is one reset; filtering by outcome and sorting are done
in Python over plain lists (no proxy model); ``RecordRole`` returns the backing record so the
view's selection can be mapped back to records whatever the order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from ...core.outcomes import OutcomeKind
from .. import labels

if TYPE_CHECKING:
    from ...batch.jobs import JobRecord

RecordRole = int(Qt.ItemDataRole.UserRole) + 1

COL_STUDENT_NO, COL_NAME, COL_ACTION, COL_RESULT, COL_REASON, COL_CARD_ID = range(6)

Index = QModelIndex | QPersistentModelIndex
# The overload with arguments (PySide6's emit() without an index picks the one without).
_LAYOUT_SIG = "QList<QPersistentModelIndex>,QAbstractItemModel::LayoutChangeHint"

_FAILED_BRUSH = QBrush(QColor(176, 0, 32))
_CANCELLED_BRUSH = QBrush(QColor(110, 110, 110))


_ICONS = {
    OutcomeKind.SUCCEEDED: QStyle.StandardPixmap.SP_DialogApplyButton,
    OutcomeKind.FAILED: QStyle.StandardPixmap.SP_MessageBoxCritical,
    OutcomeKind.SKIPPED: QStyle.StandardPixmap.SP_ArrowRight,
    OutcomeKind.CANCELLED: QStyle.StandardPixmap.SP_DialogCancelButton,
    None: QStyle.StandardPixmap.SP_BrowserReload,
}
_icon_cache: dict[OutcomeKind | None, QIcon] = {}


def _icon(kind: OutcomeKind | None) -> QIcon | None:
    """The result's icon beside its text (a shape as well as the words and the colour)."""
    if kind not in _icon_cache:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return None
        _icon_cache[kind] = app.style().standardIcon(_ICONS[kind])
    return _icon_cache[kind]


def _kind(record: JobRecord) -> OutcomeKind | None:
    return None if record.outcome is None else record.outcome.kind


def count_kinds(records: Sequence[JobRecord]) -> Counter[OutcomeKind | None]:
    """Records per outcome kind (``None``: not decided yet); any thread."""
    return Counter(_kind(r) for r in records)


_KIND_ORDER = {
    OutcomeKind.FAILED: 0,
    None: 1,
    OutcomeKind.CANCELLED: 2,
    OutcomeKind.SKIPPED: 3,
    OutcomeKind.SUCCEEDED: 4,
}


class ResultsModel(QAbstractTableModel):
    """Rows are the records whose outcome kind passes the filter (all when it is None)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[JobRecord] = []
        self._counts: Counter[OutcomeKind | None] = Counter()
        self._rows: list[JobRecord] = []
        self._filter: OutcomeKind | None = None
        self._search = ""  # casefolded text a shown row holds (学号, name, reason, card id)
        self._hay: list[str] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._headers = (
            self.tr("Student no."),
            self.tr("Name"),
            self.tr("Action"),
            self.tr("Result"),
            self.tr("Reason / error"),
            self.tr("Card record ID"),
        )

    # -- data -------------------------------------------------------------------------------

    def set_records(self, records: Sequence[JobRecord],
                    counts: Counter[OutcomeKind | None] | None = None) -> None:
        """Show ``records`` (a job's records in plan order), keeping filter and sort.
        ``counts``: ``count_kinds(records)``, when the caller made it off the GUI thread."""
        self.beginResetModel()
        self._all = list(records)
        self._hay = None
        self._counts = count_kinds(self._all) if counts is None else counts
        self._rows = self._select()
        self.endResetModel()

    def records(self) -> list[JobRecord]:
        """Every record, whatever the filter (plan order)."""
        return list(self._all)

    def shown_records(self) -> list[JobRecord]:
        """The records as shown: filtered and sorted."""
        return list(self._rows)

    def record(self, row: int) -> JobRecord:
        return self._rows[row]

    def counts(self) -> Counter[OutcomeKind | None]:
        """Records per outcome kind over all records (``None`` = not decided yet)."""
        return Counter(self._counts)

    def student_nos(self, kind: OutcomeKind | None = None, *, shown: bool = False
                    ) -> list[str]:
        """学号 of the records (``shown``: those shown, in the shown order; else all, in plan
        order) of outcome ``kind`` (None: any), without repeats."""
        seen: dict[str, None] = {}
        for r in self._rows if shown else self._all:
            if kind is None or _kind(r) is kind:
                seen.setdefault(r.student_no, None)
        return list(seen)

    def failed_student_nos(self) -> list[str]:
        """学号 of every failed record, in plan order, without repeats."""
        seen: dict[str, None] = {}
        for r in self._all:
            if _kind(r) is OutcomeKind.FAILED:
                seen.setdefault(r.student_no, None)
        return list(seen)

    # -- filter and sort --------------------------------------------------------------------

    @property
    def outcome_filter(self) -> OutcomeKind | None:
        return self._filter

    def set_outcome_filter(self, kind: OutcomeKind | None) -> None:
        """Show only records of ``kind`` (None = all). One reset."""
        if kind == self._filter:
            return
        self.beginResetModel()
        self._filter = kind
        self._rows = self._select()
        self.endResetModel()

    @property
    def search_text(self) -> str:
        return self._search

    def set_search_text(self, text: str) -> None:
        """Show only records whose 学号, name, result, reason or card id holds ``text``
        (case-insensitive; "" shows all). One reset."""
        text = text.strip().casefold()
        if text == self._search:
            return
        self.beginResetModel()
        self._search = text
        self._rows = self._select()
        self.endResetModel()

    def _haystack(self) -> list[str]:
        """Per record (as ``_all``), the casefolded texts a search looks in; built at the
        first search after ``set_records`` (0.2 s at 100,000 records), then reused."""
        if self._hay is None:
            sep = "\x1f"  # a search never matches across two columns
            self._hay = [sep.join((r.student_no, r.name, r.card_id,
                                   labels.outcome_kind_label(_kind(r)),
                                   labels.outcome_reason_label(r.outcome))).casefold()
                         for r in self._all]
        return self._hay

    def is_narrowed(self) -> bool:
        """Whether the filter or the search hides some records."""
        return len(self._rows) < len(self._all)

    def _select(self) -> list[JobRecord]:
        kind = self._filter
        text = self._search
        if text:
            rows = [r for r, hay in zip(self._all, self._haystack(), strict=True)
                    if text in hay and (kind is None or _kind(r) is kind)]
        else:
            rows = list(self._all) if kind is None \
                else [r for r in self._all if _kind(r) is kind]
        if self._sort is not None:
            column, order = self._sort
            rows.sort(key=self._sort_key(column),
                      reverse=order == Qt.SortOrder.DescendingOrder)
        return rows

    def _sort_key(self, column: int) -> Callable[[JobRecord], Any]:
        if column == COL_STUDENT_NO:
            return lambda r: r.student_no
        if column == COL_NAME:
            return lambda r: r.name
        if column == COL_ACTION:
            return lambda r: r.action.value
        if column == COL_RESULT:
            return lambda r: _KIND_ORDER[_kind(r)]
        if column == COL_REASON:
            return lambda r: labels.outcome_reason_label(r.outcome)
        if column == COL_CARD_ID:
            return lambda r: r.card_id
        return lambda r: r.position

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python (stable), keeping persistent indexes (the view's selection)."""
        if not 0 <= column < len(self._headers):
            column = -1  # the view's "unsorted": back to plan order
        self._sort = None if column < 0 else (column, order)
        hint = QAbstractTableModel.LayoutChangeHint.VerticalSortHint
        # ignore: PySide6's stubs give SignalInstance no __getitem__ (an overload by signature)
        self.layoutAboutToBeChanged[_LAYOUT_SIG].emit([], hint)  # type: ignore[index]
        old_rows = self._rows
        new_rows = list(old_rows)
        if column < 0:
            new_rows.sort(key=lambda r: r.position)
        else:
            new_rows.sort(key=self._sort_key(column),
                          reverse=order == Qt.SortOrder.DescendingOrder)
        where = {id(r): i for i, r in enumerate(new_rows)}
        old_persistent = self.persistentIndexList()
        new_persistent = [
            self.index(where[id(old_rows[p.row()])], p.column()) for p in old_persistent
        ]
        self._rows = new_rows
        self.changePersistentIndexList(old_persistent, new_persistent)
        # ignore: PySide6's stubs give SignalInstance no __getitem__ (an overload by signature)
        self.layoutChanged[_LAYOUT_SIG].emit([], hint)  # type: ignore[index]

    # -- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        rec = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._text(rec, col)
            if role == Qt.ItemDataRole.ToolTipRole:
                return text if col == COL_REASON and text else None
            return text
        if role == RecordRole:
            return rec
        if role == Qt.ItemDataRole.DecorationRole and col == COL_RESULT:
            return _icon(_kind(rec))
        if role == Qt.ItemDataRole.ForegroundRole:
            kind = _kind(rec)
            if kind is OutcomeKind.FAILED:
                return _FAILED_BRUSH
            if kind is OutcomeKind.CANCELLED:
                return _CANCELLED_BRUSH
            return None
        return None

    @staticmethod
    def _text(rec: JobRecord, col: int) -> str:
        if col == COL_STUDENT_NO:
            return rec.student_no
        if col == COL_NAME:
            return rec.name
        if col == COL_ACTION:
            return labels.action_label(rec.action)
        if col == COL_RESULT:
            return labels.outcome_kind_label(_kind(rec))
        if col == COL_REASON:
            return labels.outcome_reason_label(rec.outcome)
        if col == COL_CARD_ID:
            return rec.card_id
        return ""

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
