"""The results area of the main window (design.md §7): the running or last job's progress
(count, rate, ETA, cancel), its summary counts and its per-record table with an outcome filter,
重试失败项 and 导出.

Wire it to a ``JobController`` with ``bind(controller)``, or call ``job_started``,
``on_progress``, ``job_finished`` and ``job_failed`` yourself. ``show_job(job_id)`` shows any
journalled job (e.g. from the history); its records load off the GUI thread.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...batch import JobInfo, JobRecord, JobState, Journal, Progress
from ...core.errors import CampusCardError
from ...core.model import Action
from ...core.outcomes import OutcomeKind
from ...export import ExportLabels, csv_cell, export_csv, export_xlsx
from .. import labels
from ..labels import fill
from ..workers import error_message, run_in_thread
from .results_model import ResultsModel

if TYPE_CHECKING:
    from .job_controller import JobController

_FILTER_KINDS: tuple[OutcomeKind | None, ...] = (
    None, OutcomeKind.SUCCEEDED, OutcomeKind.FAILED, OutcomeKind.SKIPPED, OutcomeKind.CANCELLED,
)


log = logging.getLogger(__name__)

LIVE_MIN_GAP_S = 1.0  # the least time between two live reads of a running job


def format_duration(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss``."""
    total = max(0, math.ceil(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class ResultsPanel(QWidget):
    """Progress, summary and per-record results of one job."""

    cancelRequested = Signal()
    retryRequested = Signal(object, list)  # (Action, list[str] 学号 of the failed records)
    exported = Signal(str)  # path written
    jobLoaded = Signal(int)  # the records of this job are now shown
    liveRecordsShown = Signal(int, int)  # job id, records with an outcome, while it runs

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsPanel")
        self._journal = journal
        self._job: JobInfo | None = None
        self._job_id: int | None = None
        self._running = False
        self._load_seq = 0
        self._exporting = False
        self._current_profile: str | None = None
        # live results: the journal's records re-read while a job runs, at most once per
        # ``_live_gap`` seconds (grown with the time a read takes, so a 100,000-record job is
        # not re-read back to back), never two reads at once
        self._live_done = -1
        self._live_loading = False
        self._live_gap = LIVE_MIN_GAP_S
        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.timeout.connect(self._load_live)
        self._build()
        self._update_buttons()

    # -- construction -----------------------------------------------------------------------

    def _build(self) -> None:
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("jobProgress")
        self.progress_bar.setAccessibleName(self.tr("Job progress"))
        self.progress_bar.setFormat("%v / %m")
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setTextVisible(False)  # "0 / 1" before any job would mislead

        self.status_label = QLabel(self)
        self.status_label.setObjectName("jobStatusLabel")
        self.status_label.setAccessibleName(self.tr("Job status"))
        self.status_label.setText(self.tr("No job yet"))

        self.cancel_button = QPushButton(self.tr("Cancel job"), self)
        self.cancel_button.setObjectName("cancelJobButton")
        self.cancel_button.setAccessibleName(self.tr("Cancel the running job"))
        self.cancel_button.clicked.connect(self._on_cancel_clicked)

        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("jobSummaryLabel")
        self.summary_label.setAccessibleName(self.tr("Job summary"))
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.filter_combo = QComboBox(self)
        self.filter_combo.setObjectName("outcomeFilterCombo")
        self.filter_combo.setAccessibleName(self.tr("Show results"))
        for kind in _FILTER_KINDS:
            text = self.tr("All results") if kind is None else labels.outcome_kind_label(kind)
            self.filter_combo.addItem(text, kind)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_changed)
        filter_label = QLabel(self.tr("&Show:"), self)
        filter_label.setBuddy(self.filter_combo)

        self.retry_button = QPushButton(self.tr("Retry failed"), self)
        self.retry_button.setObjectName("retryFailedButton")
        self.retry_button.setAccessibleName(self.tr("Retry the failed records"))
        self.retry_button.clicked.connect(self._on_retry_clicked)

        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setObjectName("exportButton")
        self.export_button.setAccessibleName(self.tr("Export the shown results"))
        self.export_button.clicked.connect(self._on_export_clicked)

        self.model = ResultsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("resultsTable")
        self.table.setAccessibleName(self.tr("Per-record results"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 6
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        metrics = self.table.fontMetrics()

        def fit(*texts: str) -> int:
            return max(metrics.horizontalAdvance(t) for t in texts) + 24

        widths = (fit("20240000000000"), fit("欧阳明轩明"),
                  fit(*(labels.action_label(a) for a in Action)),
                  fit(*(labels.outcome_kind_label(k) for k in OutcomeKind)), 0,
                  fit("1458712091891462184"))  # 神笔's 19-digit record Ids fit whole
        for col, width in enumerate(widths):
            if width:
                header.resizeSection(col, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)  # 原因/错误
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

        self.copy_action = QAction(self.tr("&Copy"), self.table)
        self.copy_action.setObjectName("copyResultsAction")
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy_selection)
        self.table.addAction(self.copy_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        # the export from the keyboard, anywhere in the window (the button's tooltip says so)
        self.export_action = QAction(self.tr("Export results…"), self)
        self.export_action.setObjectName("exportResultsAction")
        self.export_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.export_action.triggered.connect(self._on_export_shortcut)
        self.addAction(self.export_action)
        self.export_button.setToolTip(self.tr("Export the shown results (%1)").replace(
            "%1", self.export_action.shortcut().toString(
                QKeySequence.SequenceFormat.NativeText)))

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.progress_bar, 2)
        top.addWidget(self.status_label, 3)
        top.addWidget(self.cancel_button)

        second = QHBoxLayout()
        second.setContentsMargins(0, 0, 0, 0)
        second.addWidget(self.summary_label, 1)
        second.addWidget(filter_label)
        second.addWidget(self.filter_combo)
        second.addWidget(self.retry_button)
        second.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        self._show_summary(0, 0, 0, 0)

    # -- wiring -----------------------------------------------------------------------------

    def bind(self, controller: JobController) -> None:
        """Connect to ``controller``'s signals and send cancel requests to it."""
        controller.started.connect(self.job_started)
        controller.progress.connect(self.on_progress)
        controller.finished.connect(self.job_finished)
        controller.failed.connect(self.job_failed)
        self.cancelRequested.connect(controller.cancel)

    @property
    def job_id(self) -> int | None:
        """The job shown (running or loaded)."""
        return self._job_id

    @property
    def job(self) -> JobInfo | None:
        """The loaded job's summary (None while running or loading)."""
        return self._job

    def is_running(self) -> bool:
        return self._running

    # -- a running job ----------------------------------------------------------------------

    @Slot(int, int)
    def job_started(self, job_id: int, total: int) -> None:
        self._load_seq += 1  # a load still on its way is stale now
        self._live_done = -1
        self._live_timer.stop()
        self._job_id = job_id
        self._job = None
        self._running = True
        self.model.set_records([])
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(0)
        self.cancel_button.setText(self.tr("Cancel job"))
        self.status_label.setText(self.tr("Job %1 started").replace("%1", str(job_id)))
        self.status_label.setToolTip("")
        self._show_summary(0, 0, 0, 0)
        self._update_buttons()

    @Slot(object)
    def on_progress(self, progress: Progress) -> None:
        if progress.job_id != self._job_id:
            return
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setRange(0, max(progress.total, 1))
        self.progress_bar.setValue(min(progress.done, max(progress.total, 1)))
        parts = [
            self.tr("%1 of %2").replace("%1", str(progress.done)).replace(
                "%2", str(progress.total)),
            self.tr("%1 records/s").replace("%1", f"{progress.rate:.1f}"),
        ]
        eta = progress.eta
        if progress.retry_in_s > 0:  # a retryable failure: say so, and when the retry comes
            parts.append(fill(self.tr("%1 — retrying in %2 s (attempt %3)"),
                              progress.retry_reason, str(math.ceil(progress.retry_in_s)),
                              str(progress.retry_attempt)))
        elif progress.waiting_s > 0:  # a send left unanswered (maybe before a crash) may land
            parts.append(self.tr("Waiting for unanswered writes to settle: %1 s left")
                         .replace("%1", str(math.ceil(progress.waiting_s))))
        elif self._running and eta is not None and progress.done < progress.total:
            parts.append(self.tr("about %1 left").replace("%1", format_duration(eta)))
        self.status_label.setText(" · ".join(parts))
        self._show_summary(progress.succeeded, progress.failed, progress.skipped,
                           progress.cancelled)
        if self._running and progress.done != self._live_done \
                and not self._live_loading and not self._live_timer.isActive():
            self._live_timer.start(0 if self._live_done < 0 else int(self._live_gap * 1000))

    @Slot()
    def _load_live(self) -> None:
        """Per-record results while the job runs: read from the journal off the GUI thread."""
        job_id = self._job_id
        if not self._running or job_id is None or self._live_loading:
            return
        self._live_loading = True
        seq = self._load_seq
        journal = self._journal
        started = time.monotonic()

        def load() -> list[JobRecord]:
            return journal.records(job_id)

        def loaded(records: list[JobRecord]) -> None:
            self._live_loading = False
            took = time.monotonic() - started
            self._live_gap = max(LIVE_MIN_GAP_S, 5 * took)
            if seq != self._load_seq or not self._running or self._job_id != job_id:
                return
            self._live_done = sum(r.outcome is not None for r in records)
            bar = self.table.verticalScrollBar()
            at = bar.value()
            self.model.set_records(records)
            bar.setValue(at)
            self.liveRecordsShown.emit(job_id, self._live_done)

        def failed(exc: BaseException) -> None:
            self._live_loading = False
            log.warning("live results of job %s unreadable: %s", job_id, error_message(exc))

        run_in_thread(load, loaded, failed, parent=self)

    @Slot(object, object)
    def job_finished(self, info: JobInfo, changed: object = None) -> None:
        self._running = False
        self.show_job(info.job_id)

    @Slot(str)
    def job_failed(self, message: str) -> None:
        self._running = False
        self.status_label.setText(self.tr("Stopped: %1").replace("%1", message))
        self.status_label.setToolTip(message)
        if self._job_id is not None:
            self.show_job(self._job_id, keep_status=True)
        else:
            self._update_buttons()

    # -- a journalled job -------------------------------------------------------------------

    def show_job(self, job_id: int, *, keep_status: bool = False) -> None:
        """Show job ``job_id`` from the journal (loaded off the GUI thread)."""
        self._load_seq += 1
        seq = self._load_seq
        self._job_id = job_id
        if not keep_status:
            self.status_label.setText(self.tr("Loading job %1…").replace("%1", str(job_id)))
            self.status_label.setToolTip("")
        self._update_buttons()
        journal = self._journal

        def load() -> tuple[JobInfo, list[JobRecord]]:
            return journal.job(job_id), journal.records(job_id)

        run_in_thread(load, lambda result: self._on_loaded(seq, result),
                      lambda exc: self._on_load_failed(seq, exc), parent=self)

    def _on_loaded(self, seq: int, result: tuple[JobInfo, list[JobRecord]]) -> None:
        if seq != self._load_seq:
            return
        info, records = result
        self._job = info
        self._job_id = info.job_id
        self.model.set_records(records)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setRange(0, max(info.total, 1))
        self.progress_bar.setValue(info.done if info.total else 1)
        if not self.status_label.toolTip():
            self.status_label.setText(self._describe(info))
        self._show_summary(info.succeeded, info.failed, info.skipped, info.cancelled)
        self._update_buttons()
        self.jobLoaded.emit(info.job_id)

    def _on_load_failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._load_seq:
            return
        self.status_label.setText(
            self.tr("Could not load the job: %1").replace("%1", error_message(exc)))
        self._update_buttons()

    def _describe(self, info: JobInfo) -> str:
        """"Job 5 (Freeze, on “jdy-prod”) finished": a job always names its profile."""
        action = labels.action_label(info.action)
        if info.state is JobState.CANCELLED:
            text = self.tr("Job %1 (%2, on “%3”) was cancelled")
        elif info.finished:
            text = self.tr("Job %1 (%2, on “%3”) finished")
        else:
            text = self.tr("Job %1 (%2, on “%3”) is unfinished")
        return labels.fill(text, str(info.job_id), action, info.profile)

    def set_current_profile(self, name: str | None) -> None:
        """The profile open in the window: 重试失败项 of another profile's job says it switches."""
        self._current_profile = name
        self._update_buttons()

    def _show_summary(self, succeeded: int, failed: int, skipped: int, cancelled: int) -> None:
        text = self.tr("Succeeded %1 · Failed %2 · Skipped %3 · Cancelled %4")
        for i, n in enumerate((succeeded, failed, skipped, cancelled), start=1):
            text = text.replace(f"%{i}", str(n))
        self.summary_label.setText(text)

    def _update_buttons(self) -> None:
        self.cancel_button.setEnabled(self._running)
        has_failures = (not self._running and self._job is not None
                        and self.model.counts()[OutcomeKind.FAILED] > 0)
        self.retry_button.setEnabled(has_failures)
        job = self._job
        if job is not None and self._current_profile is not None \
                and job.profile != self._current_profile:
            self.retry_button.setToolTip(
                self.tr("This job was run on the profile “%1”: its failures are retried there "
                        "(you are asked before switching to it).").replace("%1", job.profile))
        else:
            self.retry_button.setToolTip(self.tr("Retry the failed records as a new job"))
        self.export_button.setEnabled(
            not self._running and not self._exporting and self.model.rowCount() > 0)
        self.filter_combo.setEnabled(not self._running)

    # -- filter, copy, retry ----------------------------------------------------------------

    def set_outcome_filter(self, kind: OutcomeKind | None) -> None:
        self.filter_combo.setCurrentIndex(_FILTER_KINDS.index(kind))

    @Slot(int)
    def _on_filter_changed(self, index: int) -> None:
        self.model.set_outcome_filter(_FILTER_KINDS[index])
        self._update_buttons()

    def selected_records(self) -> list[JobRecord]:
        sel = self.table.selectionModel()
        rows = sorted(i.row() for i in sel.selectedRows())
        return [self.model.record(r) for r in rows]

    @Slot()
    def copy_selection(self) -> None:
        """Copy the selected rows as tab-separated text (what spreadsheets paste)."""
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        if not rows:
            return
        cols = range(self.model.columnCount())
        lines = ["\t".join(csv_cell(" ".join(str(self.model.index(r, c).data() or "")
                                              .replace("\t", " ").splitlines()))
                           for c in cols)
                 for r in rows]
        QApplication.clipboard().setText("\n".join(lines))

    @Slot()
    def _on_cancel_clicked(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(self.tr("Cancelling…"))
        self.cancelRequested.emit()

    @Slot()
    def _on_retry_clicked(self) -> None:
        if self._job is None:
            return
        nos = self.model.failed_student_nos()
        if nos:
            self.retryRequested.emit(self._job.action, nos)

    # -- export -----------------------------------------------------------------------------

    def export_labels(self) -> ExportLabels:
        headers = tuple(str(self.model.headerData(c, Qt.Orientation.Horizontal))
                        for c in range(self.model.columnCount()))
        return ExportLabels(headers=headers, action=labels.action_label,
                            kind=labels.outcome_kind_label, reason=labels.outcome_reason_label,
                            sheet_title=self.tr("Results"))

    @Slot()
    def _on_export_shortcut(self) -> None:
        if self.export_button.isEnabled():
            self._on_export_clicked()

    @Slot()
    def _on_export_clicked(self) -> None:
        csv_filter = self.tr("CSV, UTF-8 (*.csv)")
        xlsx_filter = self.tr("Excel workbook (*.xlsx)")
        name = f"campuscard-job-{self._job_id or 0}.csv"
        path, chosen = QFileDialog.getSaveFileName(
            self, self.tr("Export results"), str(Path.home() / name),
            f"{csv_filter};;{xlsx_filter}",
        )
        if not path:
            return
        target = Path(path)
        suffix = target.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            suffix = ".xlsx" if chosen == xlsx_filter else ".csv"
            target = target.with_name(target.name + suffix)
        self.export_to(target)

    def export_to(self, path: Path) -> None:
        """Write the shown records (filtered, in the shown order) to ``path`` (.xlsx or
        CSV) on a worker thread; ``exported`` is emitted when done, a message box on error."""
        records = self.model.shown_records()
        lab = self.export_labels()
        writer = export_xlsx if path.suffix.lower() == ".xlsx" else export_csv
        self._exporting = True
        self._update_buttons()
        self.status_label.setToolTip("")
        cannot = self.tr("Cannot write %1: %2")

        def write() -> int:
            try:
                return writer(path, records, lab)
            except OSError as exc:  # expected (disk full, no permission): not a bug
                reason = exc.strerror or str(exc)
                raise CampusCardError(
                    cannot.replace("%1", str(path)).replace("%2", reason), code="export"
                ) from exc

        run_in_thread(write, lambda n: self._on_exported(path, n), self._on_export_failed,
                      parent=self)

    def _on_exported(self, path: Path, n: int) -> None:
        self._exporting = False
        self._update_buttons()
        self.status_label.setText(
            self.tr("Exported %1 records to %2").replace("%1", str(n)).replace(
                "%2", str(path)))
        self.exported.emit(str(path))

    def _on_export_failed(self, exc: BaseException) -> None:
        self._exporting = False
        self._update_buttons()
        QMessageBox.warning(
            self, self.tr("Export failed"),
            self.tr("The results could not be exported: %1").replace("%1", error_message(exc)),
        )

