"""The per-record results table of a job: one row per ``JobRecord``, paged from the journal.

The model holds no records: it holds the keys (journal positions) of the rows it shows, in
the shown order, and the counts per outcome; the records of the rows painted are read when
asked for, a page at a time, and kept in a small cache (``CACHE_MAX``). A 100,000-record job
then costs the window about 1 MB instead of about 40 MB, and a live re-read while the job runs
builds no records at all (``batch.journal_reader``). A view made on a worker brings the page
the table shows with it (``result_views.with_page``), so a load, a live re-read or a sort
reads nothing on the GUI thread; a scroll reads its page there, by primary key on the
reader's own connection: 256 rows of a 100,000-record job in 1.3 ms (2.3 ms scattered by a
sort; about 30 ms the first time, from a cold file).

Which keys are shown, in which order (``ResultView``), comes from ``result_views.compute_view``:
the outcome filter, the search and the sort (no proxy model, design.md §8), over a
``JobRecords`` (a journalled job) or a ``RecordList`` (records in memory: ``set_records``).
For up to ``SYNC_MAX`` records it runs at once; for more it runs on a worker thread and the
view changes when it is ready (``viewReady``). ``RecordRole`` returns a row's record, so the
view's selection maps back to records whatever the order.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from ...core.outcomes import OutcomeKind
from .. import labels
from ..workers import error_message, run_in_thread
from .result_views import (
    COL_ACTION,
    COL_CARD_ID,
    COL_NAME,
    COL_REASON,
    COL_RESULT,
    COL_STUDENT_NO,
    EMPTY_VIEW,
    FETCH_AFTER,
    FETCH_BEFORE,
    RecordList,
    RecordSource,
    ResultView,
    ViewParams,
    compute_view,
    kind_of,
    with_page,
)

if TYPE_CHECKING:
    from ...batch.jobs import JobRecord

log = logging.getLogger(__name__)

__all__ = [  # the columns are the view's as well
    "CACHE_MAX", "COL_ACTION", "COL_CARD_ID", "COL_NAME", "COL_REASON", "COL_RESULT",
    "COL_STUDENT_NO", "SYNC_MAX", "RecordRole", "ResultsModel",
]

SYNC_MAX = 5_000  # views of up to this many records are made at once, larger on a worker
CACHE_MAX = 4_000  # records kept for painting (then the cache starts again)

RecordRole = int(Qt.ItemDataRole.UserRole) + 1


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


def _same(a: Sequence[int], b: Sequence[int]) -> bool:
    """Whether two views show the same keys (a range and an array compare by type too)."""
    return type(a) is type(b) and a == b


class ResultsModel(QAbstractTableModel):
    """Rows are the records whose outcome kind passes the filter (all when it is None) and
    whose texts hold the search, in the sort's order (plan order when unsorted)."""

    viewReady = Signal()  # a view made on a worker is shown
    viewFailed = Signal(str)  # the records could not be read (what to tell the operator)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source: RecordSource | None = None
        self._view = EMPTY_VIEW
        self._params = ViewParams()
        self._asked = 0  # views asked for; a view made for an older ask is dropped
        self._making = False
        self._cache: dict[int, JobRecord] = {}
        self.first_shown: Callable[[], int] = lambda: 0  # the view's top row (panel sets it)
        self._headers = (
            self.tr("Student no."),
            self.tr("Name"),
            self.tr("Action"),
            self.tr("Result"),
            self.tr("Reason / error"),
            self.tr("Card record ID"),
        )

    # -- the source and its view ------------------------------------------------------------

    def set_records(self, records: Sequence[JobRecord]) -> None:
        """Show ``records`` (in memory, plan order), keeping filter, search and sort."""
        self.show_source(RecordList(records))

    def clear(self) -> None:
        self.show_source(None)

    def show_source(self, source: RecordSource | None, view: ResultView | None = None,
                    params: ViewParams | None = None) -> None:
        """Show ``source``. ``view``: its view made elsewhere (e.g. on the worker that
        loaded the job) under ``params``; it is made here when missing or made under other
        parameters than the model's now."""
        if view is not None and (params is None or params == self._params):
            self._asked += 1
            self._making = False
            self._show(source, view, reset=source is not self._source)
            return
        self._remake(source, reset=True, new_source=source is not self._source)

    def first_shown_row(self) -> int:
        """The top row the view shows (the panel tells: ``first_shown``); its page is read
        with a view made on a worker."""
        return max(0, self.first_shown())

    @property
    def params(self) -> ViewParams:
        return self._params

    @property
    def source(self) -> RecordSource | None:
        return self._source

    def is_making(self) -> bool:
        """Whether a view is being made on a worker."""
        return self._making

    def refresh(self) -> None:
        """Read the source again (a running job's records change)."""
        self._remake(self._source, reset=False)

    def _remake(self, source: RecordSource | None, *, reset: bool, layout: bool = False,
                new_source: bool = False) -> None:
        """Make the view of ``source`` under the model's parameters and show it: at once
        when it is small, else on a worker (the old view stays until then)."""
        self._asked += 1
        asked = self._asked
        if source is None:
            self._making = False
            self._show(None, EMPTY_VIEW, reset=True)
            return
        params = self._params
        if isinstance(source, RecordList) or not new_source and self._view.total <= SYNC_MAX:
            self._making = False
            try:
                view = compute_view(source, params)
            except Exception as exc:  # noqa: BLE001 - the journal may be unreadable
                self._failed(asked, exc)
                return
            self._show(source, view, reset=reset, layout=layout)
            return
        self._making = True

        def shown(view: ResultView) -> None:
            if asked == self._asked:
                self._making = False
                self._show(source, view, reset=reset, layout=layout)
                self.viewReady.emit()

        first = 0 if reset else self.first_shown_row()  # a reset shows the top
        run_in_thread(lambda: with_page(source, compute_view(source, params), first), shown,
                      lambda exc: self._failed(asked, exc), parent=self)

    def _failed(self, asked: int, exc: BaseException) -> None:
        if asked != self._asked:
            return
        self._making = False
        log.warning("results not readable: %s", exc)
        self.viewFailed.emit(error_message(exc))

    def _show(self, source: RecordSource | None, view: ResultView, *, reset: bool,
              layout: bool = False) -> None:
        """Show ``view``: the same keys again only repaint (a running job's outcomes
        changed; the selection and the scroll position stay); a sort moves the rows (the
        selection follows its records); anything else is a reset."""
        old = self._view
        if not reset and source is self._source and _same(view.keys, old.keys):
            self._view = view
            self._cache.clear()
            self._cache.update(view.records)
            if view.keys:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(view.keys) - 1, len(self._headers) - 1))
            return
        if layout and not reset and source is self._source:
            hint = QAbstractTableModel.LayoutChangeHint.VerticalSortHint
            # ignore: PySide6's stubs give SignalInstance no __getitem__ (an overload)
            self.layoutAboutToBeChanged[_LAYOUT_SIG].emit([], hint)  # type: ignore[index]
            old_persistent = self.persistentIndexList()
            where = {k: i for i, k in enumerate(view.keys)} if old_persistent else {}
            new_persistent = []
            for p in old_persistent:
                row = where.get(old.keys[p.row()]) if 0 <= p.row() < len(old.keys) else None
                new_persistent.append(QModelIndex() if row is None
                                      else self.index(row, p.column()))
            self._view = view
            self._cache.update(view.records)
            self.changePersistentIndexList(old_persistent, new_persistent)
            # ignore: as above
            self.layoutChanged[_LAYOUT_SIG].emit([], hint)  # type: ignore[index]
            return
        self.beginResetModel()
        self._source = source
        self._view = view
        self._cache.clear()
        self._cache.update(view.records)
        self.endResetModel()

    # -- records ----------------------------------------------------------------------------

    def total_count(self) -> int:
        """How many records the job has (whatever the filter)."""
        return self._view.total

    def records(self) -> list[JobRecord]:
        """Every record, whatever the filter (plan order); read from the source (a worker
        thread for a big job)."""
        source = self._source
        if source is None:
            return []
        return source.at(range(self._view.total))

    def shown_reader(self) -> Callable[[], list[JobRecord]]:
        """What reads the records as shown now (filtered and sorted), on any thread later."""
        source, keys = self._source, list(self._view.keys)
        return (lambda: []) if source is None else (lambda: source.at(keys))

    def all_reader(self) -> Callable[[], list[JobRecord]]:
        """What reads every record (plan order), on any thread later."""
        source, total = self._source, self._view.total
        if source is None:
            return lambda: []
        return lambda: source.at(range(total))

    def shown_records(self) -> list[JobRecord]:
        """The records as shown: filtered and sorted."""
        return self.shown_reader()()

    def records_of(self, kind: OutcomeKind | None) -> list[JobRecord]:
        """The records of outcome ``kind``, in plan order."""
        source = self._source
        if source is None:
            return []
        return source.at(source.keys_of(kind))

    def record(self, row: int) -> JobRecord:
        """The record shown in ``row`` (read if not cached; CampusCardError if unreadable)."""
        key = self._view.keys[row]
        rec = self._cache.get(key)
        if rec is None:
            self._fetch(row)
            rec = self._cache.get(key)
            if rec is None:
                raise IndexError(row)
        return rec

    def _fetch(self, row: int) -> None:
        """Read the records of the rows around ``row`` that are not cached."""
        source = self._source
        if source is None:
            return
        keys = self._view.keys
        lo, hi = max(0, row - FETCH_BEFORE), min(len(keys), row + FETCH_AFTER)
        wanted = [k for k in keys[lo:hi] if k not in self._cache]
        if len(self._cache) + len(wanted) > CACHE_MAX:
            self._cache.clear()
            wanted = list(keys[lo:hi])
        for key, rec in zip(wanted, source.at(wanted), strict=True):
            self._cache[key] = rec

    def _cached(self, row: int) -> JobRecord | None:
        try:
            return self.record(row)
        except (IndexError, ValueError):
            return None
        except Exception as exc:  # noqa: BLE001 - a journal that became unreadable: no crash
            log.warning("a result row could not be read: %s", exc)
            return None

    def cached_count(self) -> int:
        """How many records the model holds now (at most ``CACHE_MAX``)."""
        return len(self._cache)

    def counts(self) -> Counter[OutcomeKind | None]:
        """Records per outcome kind over all records (``None`` = not decided yet)."""
        return Counter(self._view.counts)

    def student_nos(self, kind: OutcomeKind | None = None, *, shown: bool = False
                    ) -> list[str]:
        """学号 of the records (``shown``: those shown, in the shown order; else all, in plan
        order) of outcome ``kind`` (None: any), without repeats."""
        source = self._source
        if source is None:
            return []
        if shown:
            keys: Sequence[int] = self._view.keys
            if kind is not None:
                of_kind = set(source.keys_of(kind))
                keys = [k for k in keys if k in of_kind]
            nos = source.student_nos(list(keys))
        elif kind is None:
            nos = source.student_nos(range(self._view.total))
        else:
            nos = source.student_nos_of(kind)
        return list(dict.fromkeys(nos))

    def failed_student_nos(self) -> list[str]:
        """学号 of every failed record, in plan order, without repeats."""
        return self.student_nos(OutcomeKind.FAILED)

    # -- filter and sort --------------------------------------------------------------------

    @property
    def outcome_filter(self) -> OutcomeKind | None:
        return self._params.kind

    def set_outcome_filter(self, kind: OutcomeKind | None) -> None:
        """Show only records of ``kind`` (None = all). One reset (when the view is ready)."""
        if kind == self._params.kind:
            return
        self._params = ViewParams(kind, self._params.search, self._params.sort)
        self._remake(self._source, reset=True)

    @property
    def search_text(self) -> str:
        return self._params.search

    def set_search_text(self, text: str) -> None:
        """Show only records whose 学号, name, result, reason or card id holds ``text``
        (case-insensitive; "" shows all). One reset (when the view is ready)."""
        text = text.strip().casefold()
        if text == self._params.search:
            return
        self._params = ViewParams(self._params.kind, text, self._params.sort)
        self._remake(self._source, reset=True)

    def is_narrowed(self) -> bool:
        """Whether the filter or the search hides some records."""
        return len(self._view.keys) < self._view.total

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort (stable; back to plan order for a column outside the table), keeping the
        selection on its records (when the view is ready)."""
        if not 0 <= column < len(self._headers):
            column = -1  # the view's "unsorted": back to plan order
        self._params = ViewParams(self._params.kind, self._params.search,
                                  None if column < 0 else (column, order))
        self._remake(self._source, reset=False, layout=True)

    # -- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._view.keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._view.keys):
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._view.keys):
            return None
        rec = self._cached(index.row())
        if rec is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._text(rec, col)
            if role == Qt.ItemDataRole.ToolTipRole:
                return text if col == COL_REASON and text else None
            return text
        if role == RecordRole:
            return rec
        if role == Qt.ItemDataRole.DecorationRole and col == COL_RESULT:
            return _icon(kind_of(rec))
        if role == Qt.ItemDataRole.ForegroundRole:
            kind = kind_of(rec)
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
            return labels.outcome_kind_label(kind_of(rec))
        if col == COL_REASON:
            return labels.outcome_reason_label(rec.outcome)
        if col == COL_CARD_ID:
            return rec.card_id
        return ""

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
