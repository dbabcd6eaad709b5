"""The history of jobs (design.md §7): past jobs newest first, with their id, times to the
second and counts with the locale's separators; a search box narrows them (job id, operator,
profile, action, state); open one to see its records in the results panel — the history closes
then, so it never covers the panel it loads into."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...batch import JobInfo, JobState, Journal
from .. import labels
from ..workers import error_message, run_in_thread
from .job_report import count

JobRole = int(Qt.ItemDataRole.UserRole) + 1
Index = QModelIndex | QPersistentModelIndex

(COL_JOB, COL_TIME, COL_OPERATOR, COL_PROFILE, COL_ACTION, COL_STATE, COL_TOTAL,
 COL_SUCCEEDED, COL_FAILED, COL_SKIPPED, COL_CANCELLED) = range(11)
_NUMBER_COLUMNS = frozenset({COL_JOB, *range(COL_TOTAL, COL_CANCELLED + 1)})


def job_state_label(state: JobState) -> str:
    """Translated job state (a RUNNING job that is not running now was interrupted)."""
    return {
        JobState.RUNNING: QCoreApplication.translate("History", "Unfinished"),
        JobState.DONE: QCoreApplication.translate("History", "Done"),
        JobState.CANCELLED: QCoreApplication.translate("History", "Cancelled"),
    }[state]


def format_time(epoch: float) -> str:
    """Local date and time, to the second."""
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")


class HistoryModel(QAbstractTableModel):
    """One row per JobInfo, in the order given (the journal gives newest first)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[JobInfo] = []
        self._jobs: list[JobInfo] = []
        self._search = ""
        self._headers = (
            self.tr("Job"), self.tr("Time"), self.tr("Operator"), self.tr("Profile"),
            self.tr("Action"), self.tr("State"), self.tr("Total"), self.tr("Succeeded"),
            self.tr("Failed"), self.tr("Skipped"), self.tr("Cancelled"),
        )

    def set_jobs(self, jobs: Sequence[JobInfo]) -> None:
        self.beginResetModel()
        self._all = list(jobs)
        self._jobs = self._select()
        self.endResetModel()

    def set_search_text(self, text: str) -> None:
        """Show the jobs whose operator, profile, action, state or time holds ``text``
        (case-insensitive; "" shows all); a number (or "#12") is a job id. One reset."""
        text = text.strip().casefold()
        if text == self._search:
            return
        self.beginResetModel()
        self._search = text
        self._jobs = self._select()
        self.endResetModel()

    def _select(self) -> list[JobInfo]:
        text = self._search
        if not text:
            return list(self._all)
        if text.lstrip("#").isdigit():  # a number is a job id (every time holds digits)
            number = text.lstrip("#")
            return [j for j in self._all if str(j.job_id) == number
                    or number in j.operator.casefold() or number in j.profile.casefold()]
        return [j for j in self._all
                if any(text in self._text(j, c).casefold()
                       for c in (COL_JOB, COL_TIME, COL_OPERATOR, COL_PROFILE, COL_ACTION,
                                 COL_STATE))]

    def total_count(self) -> int:
        """Jobs loaded, whatever the search."""
        return len(self._all)

    def job(self, row: int) -> JobInfo:
        return self._jobs[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self._headers)):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._jobs):
            return None
        job = self._jobs[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(job, col)
        if role == JobRole:
            return job
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_TIME and job.finished_at:
            return self.tr("Ended %1").replace("%1", format_time(job.finished_at))
        return None

    @staticmethod
    def _text(job: JobInfo, col: int) -> str:
        if col == COL_JOB:
            return str(job.job_id)
        if col == COL_TIME:
            return format_time(job.created_at)
        if col == COL_OPERATOR:
            return job.operator
        if col == COL_PROFILE:
            return job.profile
        if col == COL_ACTION:
            return labels.action_label(job.action)
        if col == COL_STATE:
            return job_state_label(job.state)
        numbers = (job.total, job.succeeded, job.failed, job.skipped, job.cancelled)
        return count(numbers[col - COL_TOTAL]) if col >= COL_TOTAL else ""

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class HistoryDialog(QDialog):
    """Lists the journal's jobs (loaded off the GUI thread); 打开 emits ``openJobRequested``
    and closes the dialog (the job shows in the results panel, which it would cover)."""

    openJobRequested = Signal(int)
    loaded = Signal(int)  # number of jobs listed

    def __init__(self, journal: Journal, parent: QWidget | None = None, *,
                 limit: int = 500) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(self.tr("Job history"))
        self.setAccessibleName(self.windowTitle())
        self._journal = journal
        self._limit = limit
        self.problems: list[str] = []  # job rows the journal could not read (unknown values)

        self.model = HistoryModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName(self.tr("Past jobs, newest first"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.doubleClicked.connect(self._on_double_clicked)

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("historySearch")
        self.search_edit.setAccessibleName(self.tr("Search the jobs"))
        self.search_edit.setPlaceholderText(
            self.tr("Search: job id, operator, profile, action, state, date…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_search_changed)
        search_label = QLabel(self.tr("&Search:"), self)
        search_label.setBuddy(self.search_edit)

        self.status_label = QLabel(self.tr("Loading…"), self)
        self.status_label.setObjectName("historyStatusLabel")

        buttons = QDialogButtonBox(self)
        self.open_button = QPushButton(self.tr("&Open"), self)
        self.open_button.setObjectName("openJobButton")
        self.open_button.setAccessibleName(self.tr("Open the selected job"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._on_open_clicked)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeHistoryButton")
        close.setAccessibleName(self.tr("Close the history"))
        buttons.rejected.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        layout = QVBoxLayout(self)
        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_edit, 1)
        layout.addLayout(search_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.resize(900, 420)
        self.reload()

    def reload(self) -> None:
        """Load the jobs from the journal on a worker thread."""
        journal, limit = self._journal, self._limit
        self.status_label.setText(self.tr("Loading…"))

        def read() -> tuple[list[JobInfo], list[str]]:
            problems: list[str] = []
            return journal.list_jobs(limit, problems), problems

        run_in_thread(read, self._on_read, self._on_failed, parent=self)

    def _on_read(self, result: tuple[list[JobInfo], list[str]]) -> None:
        jobs, self.problems = result
        self._on_loaded(jobs)

    def _on_loaded(self, jobs: list[JobInfo]) -> None:
        self.model.set_jobs(jobs)
        self._say_count()
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update_buttons()
        self.loaded.emit(len(jobs))

    def _say_count(self) -> None:
        total, shown = self.model.total_count(), self.model.rowCount()
        if shown < total:  # (no "job(s)": a count after a colon needs no plural)
            text = self.tr("Jobs: %1 of %2").replace("%1", count(shown)).replace(
                "%2", count(total))
        else:
            text = self.tr("Jobs: %1").replace("%1", count(total))
        if self.problems:  # shown, not hidden: each names the job and the value
            text += " " + self.tr("(%n more could not be read: they hold values this "
                                  "version does not know)", "", len(self.problems))
        self.status_label.setText(text)
        self.status_label.setToolTip("\n".join(self.problems))

    @Slot(str)
    def _on_search_changed(self, text: str) -> None:
        self.model.set_search_text(text)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._say_count()
        self._update_buttons()

    def _on_failed(self, exc: BaseException) -> None:
        self.status_label.setText(
            self.tr("Could not read the job history: %1").replace("%1", error_message(exc)))

    def selected_job(self) -> JobInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.job(rows[0].row()) if rows else None

    @Slot()
    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.selected_job() is not None)

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open(self.model.job(index.row()).job_id)

    @Slot()
    def _on_open_clicked(self) -> None:
        job = self.selected_job()
        if job is not None:
            self._open(job.job_id)

    def _open(self, job_id: int) -> None:
        """Show the job in the results panel and close: the history would cover it."""
        self.openJobRequested.emit(job_id)
        self.accept()
