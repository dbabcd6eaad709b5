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
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...batch import JobInfo, JobRecord, JobState, Journal, Progress, Wait, WaitKind
from ...core.errors import CampusCardError
from ...core.model import Action
from ...core.outcomes import OutcomeKind
from ...export import ExportLabels, csv_cell, export_csv, export_xlsx
from .. import labels
from ..labels import fill
from ..workers import error_message, run_in_thread
from .job_report import count, job_meta, print_report, write_pdf
from .result_views import JobRecords, ResultView, ViewParams, compute_view, with_page
from .results_actions import INVERSE, ExportScope, ask_export_scope, wait_text
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
    # the 学号 of the result rows shown: the window selects these students in its table
    selectStudentsRequested = Signal(list)
    # (Action, list[str] 学号): the inverse of a finished job's succeeded records, planned
    # and confirmed like any action (解冻 for what a 冻结 job froze, and back)
    reverseRequested = Signal(object, list)
    reportWritten = Signal(str)  # a PDF report's path
    liveRecordsShown = Signal(int, int)  # job id, records with an outcome, while it runs

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsPanel")
        self._journal = journal
        self._reader = journal.reader()  # the table's pages: a connection of its own
        self._job: JobInfo | None = None
        self._job_id: int | None = None
        self._running = False
        self._load_seq = 0
        self._exporting = False
        self._current_profile: str | None = None
        self._kinds: dict[str, str] = {}  # profile name -> backend kind, as far as known
        self.ask_export_scope: ExportScope = ask_export_scope  # tests answer it
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
        # its choices carry counts ("失败 (1,234)"): the box grows with them, never clips them
        self.filter_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
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
        self.export_button.setAccessibleName(self.tr("Export the results"))
        self.export_button.clicked.connect(self._on_export_clicked)

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("resultsSearch")
        self.search_edit.setAccessibleName(self.tr("Search the results"))
        self.search_edit.setPlaceholderText(self.tr("Search results…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaximumWidth(220)
        self.search_edit.textChanged.connect(self._on_search_changed)

        self.more_button = QPushButton(self.tr("Job"), self)  # a menu: its arrow says so
        self.more_button.setObjectName("jobMoreButton")
        self.more_button.setAccessibleName(self.tr("More for this job"))
        menu = QMenu(self.more_button)
        menu.setToolTipsVisible(True)
        self.select_action = menu.addAction(self.tr("&Select these students"))
        self.select_action.setObjectName("selectResultStudentsAction")
        self.select_action.setToolTip(self.tr(
            "Select, in the student table, the students of the result rows shown"))
        self.select_action.triggered.connect(self._on_select_students)
        self.reverse_action = menu.addAction(self.tr("&Reverse this job…"))
        self.reverse_action.setObjectName("reverseJobAction")
        self.reverse_action.triggered.connect(self._on_reverse)
        menu.addSeparator()
        self.pdf_action = menu.addAction(self.tr("Save report as &PDF…"))
        self.pdf_action.setObjectName("reportPdfAction")
        self.pdf_action.triggered.connect(self._on_pdf_clicked)
        self.print_action = menu.addAction(self.tr("&Print report…"))
        self.print_action.setObjectName("printReportAction")
        self.print_action.triggered.connect(self._on_print_clicked)
        self.more_button.setMenu(menu)

        self.model = ResultsModel(self)
        self.model.viewFailed.connect(self._on_view_failed)
        self.model.viewReady.connect(self._update_buttons)
        self.table = QTableView(self)
        self.table.setObjectName("resultsTable")
        self.table.setAccessibleName(self.tr("Per-record results"))
        self.table.setModel(self.model)
        self.model.first_shown = lambda: self.table.rowAt(0)
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
                  fit(*(labels.outcome_kind_label(k) for k in OutcomeKind))
                  + self.table.iconSize().width() + 8, 0,  # the result's icon beside it
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
        self.export_button.setToolTip(self.tr(
            "Export the job's results and its details (%1)").replace(
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
        second.addWidget(self.search_edit, 1)
        second.addWidget(filter_label)
        second.addWidget(self.filter_combo)
        second.addWidget(self.retry_button)
        second.addWidget(self.export_button)
        second.addWidget(self.more_button)

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
        self.model.clear()
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(0)
        self._bar_text(0, total)
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
        self._bar_text(progress.done, progress.total)
        parts = [
            fill(self.tr("%1 of %2"), count(progress.done), count(progress.total)),
            self.tr("%1 records/s").replace("%1", f"{progress.rate:.1f}"),
        ]
        eta = progress.eta
        wait = progress.wait
        if wait is None and progress.waiting_s > 0:  # (a Progress made without the event)
            wait = Wait(WaitKind.SETTLE, progress.waiting_s)
        if wait is not None:  # a retry or a settle wait: say why, how long, which attempt
            parts.append(wait_text(wait))
        elif self._running and eta is not None and progress.done < progress.total:
            parts.append(self.tr("about %1 left").replace("%1", format_duration(eta)))
        self.status_label.setText(" · ".join(parts))
        self.status_label.setToolTip(wait.detail if wait is not None else "")  # its own words
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
        source = self._records_of(job_id)
        params = self.model.params
        started = time.monotonic()

        first = self.model.first_shown_row()

        def load() -> ResultView:  # no record is kept but the page shown (result_views.py)
            return with_page(source, compute_view(source, params), first)

        def loaded(view: ResultView) -> None:
            self._live_loading = False
            took = time.monotonic() - started
            self._live_gap = max(LIVE_MIN_GAP_S, 5 * took)
            if seq != self._load_seq or not self._running or self._job_id != job_id:
                return
            self._live_done = view.total - view.counts[None]
            bar = self.table.verticalScrollBar()
            at = bar.value()
            self.model.show_source(source, view, params)
            bar.setValue(at)
            self.liveRecordsShown.emit(job_id, self._live_done)

        def failed(exc: BaseException) -> None:
            self._live_loading = False
            log.warning("live results of job %s unreadable: %s", job_id, error_message(exc))

        run_in_thread(load, loaded, failed, parent=self)

    def _records_of(self, job_id: int) -> JobRecords:
        """The job's records in the journal: the same source for the same job, so that a
        re-read shows as a change of outcomes, not a new table."""
        shown = self.model.source
        if isinstance(shown, JobRecords) and shown.job_id == job_id:
            return shown
        return JobRecords(self._reader, job_id)

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
        source = self._records_of(job_id)
        params = self.model.params
        # the same job again (it just finished): its page where the table is; another: the top
        first = self.model.first_shown_row() if source is self.model.source else 0

        def load() -> tuple[JobInfo, ResultView]:
            return journal.job(job_id), with_page(source, compute_view(source, params), first)

        run_in_thread(load, lambda result: self._on_loaded(seq, source, params, result),
                      lambda exc: self._on_load_failed(seq, exc), parent=self)

    def _on_loaded(self, seq: int, source: JobRecords, params: ViewParams,
                   result: tuple[JobInfo, ResultView]) -> None:
        if seq != self._load_seq:
            return
        info, view = result
        self._job = info
        self._job_id = info.job_id
        self.model.show_source(source, view, params)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setRange(0, max(info.total, 1))
        self.progress_bar.setValue(info.done if info.total else 1)
        self._bar_text(info.done, info.total)
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

    @Slot(str)
    def _on_view_failed(self, message: str) -> None:
        self.status_label.setText(
            self.tr("Could not load the job: %1").replace("%1", message))
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

    def _bar_text(self, done: int, total: int) -> None:
        """"1,234 / 72,230" on the bar (its own %v / %m has no thousands separators)."""
        self.progress_bar.setFormat(f"{count(done)} / {count(total)}")

    def set_current_profile(self, name: str | None) -> None:
        """The profile open in the window: 重试失败项 of another profile's job says it switches."""
        self._current_profile = name
        self._update_buttons()

    def _show_summary(self, succeeded: int, failed: int, skipped: int, cancelled: int) -> None:
        text = self.tr("Succeeded %1 · Failed %2 · Skipped %3 · Cancelled %4")
        self.summary_label.setText(fill(text, *(count(n) for n in (
            succeeded, failed, skipped, cancelled))))

    def set_profile_kind(self, profile: str, kind: str) -> None:
        """The backend ``kind`` of the profile ``profile`` (the export and report name it)."""
        self._kinds[profile] = kind

    def backend_text(self, profile: str) -> str:
        kind = self._kinds.get(profile, "")
        return labels.kind_label(kind) if kind else ""

    def reverse_plan(self) -> tuple[Action, list[str]] | None:
        """The inverse action and the 学号 of the shown job's succeeded records (never its
        skipped, failed or cancelled ones), or None when the job has no inverse."""
        job = self._job
        if job is None or self._running or job.action not in INVERSE:
            return None
        nos = self.model.student_nos(OutcomeKind.SUCCEEDED)
        return (INVERSE[job.action], nos) if nos else None

    def _reverse_why_not(self) -> str:
        """Why the job cannot be reversed ("" when it can)."""
        job = self._job
        if job is None or self._running:
            return self.tr("Reverse a finished job: open one first")
        if job.action is Action.OPEN:
            return self.tr("An opened card cannot be un-opened here: there is no inverse of "
                           "Open card")
        if job.action is Action.CANCEL:
            return self.tr("Cancelling a card is irreversible: there is no inverse of Cancel "
                           "card")
        if not job.finished:
            return self.tr("The job is unfinished: resume or discard it first")
        if not self.model.counts()[OutcomeKind.SUCCEEDED]:  # (counted, not listed: cheap)
            return self.tr("No record of this job succeeded: there is nothing to reverse")
        return ""

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
        self._show_filter_counts()
        loaded = not self._running and job is not None
        self.select_action.setEnabled(self.model.rowCount() > 0)
        why_not = self._reverse_why_not()
        self.reverse_action.setEnabled(not why_not)
        if why_not:
            self.reverse_action.setToolTip(why_not)
        else:
            assert job is not None
            self.reverse_action.setToolTip(fill(
                self.tr("%1 the %2 students whose record succeeded (you confirm first)"),
                labels.action_label(INVERSE[job.action]),
                count(self.model.counts()[OutcomeKind.SUCCEEDED])))
        self.pdf_action.setEnabled(loaded)
        self.print_action.setEnabled(loaded)

    # -- filter, copy, retry ----------------------------------------------------------------

    def set_outcome_filter(self, kind: OutcomeKind | None) -> None:
        self.filter_combo.setCurrentIndex(_FILTER_KINDS.index(kind))

    def _show_filter_counts(self) -> None:
        """Each choice of 显示 says how many records it shows ("失败 (3)")."""
        counts = self.model.counts()
        total = sum(counts.values())
        for i, kind in enumerate(_FILTER_KINDS):
            label = self.tr("All results") if kind is None else labels.outcome_kind_label(kind)
            n = total if kind is None else counts[kind]
            self.filter_combo.setItemText(i, fill(self.tr("%1 (%2)"), label, count(n)))

    @Slot(int)
    def _on_filter_changed(self, index: int) -> None:
        self.model.set_outcome_filter(_FILTER_KINDS[index])
        self._update_buttons()

    @Slot(str)
    def _on_search_changed(self, text: str) -> None:
        self.model.set_search_text(text)
        self._update_buttons()

    @Slot()
    def _on_select_students(self) -> None:
        nos = self.model.student_nos(shown=True)
        if nos:
            self.selectStudentsRequested.emit(nos)

    @Slot()
    def _on_reverse(self) -> None:
        plan = self.reverse_plan()
        if plan is not None:
            self.reverseRequested.emit(plan[0], plan[1])

    # -- the job's report -------------------------------------------------------------------

    @Slot()
    def _on_pdf_clicked(self) -> None:
        if self._job is None:
            return
        path, _chosen = QFileDialog.getSaveFileName(
            self, self.tr("Save report as PDF"),
            str(Path.home() / f"campuscard-job-{self._job.job_id}.pdf"),
            self.tr("PDF (*.pdf)"))
        if path:
            target = Path(path)
            if target.suffix.lower() != ".pdf":
                target = target.with_name(target.name + ".pdf")
            self.write_report_pdf(target)

    def write_report_pdf(self, path: Path) -> bool:
        """Write the shown job's report as a PDF (on the GUI thread: Qt lays the text out
        with its fonts; the failures listed are bounded). ``reportWritten`` on success."""
        job = self._job
        if job is None:
            return False
        write_pdf(path, job, self.model.records_of(OutcomeKind.FAILED),
                  self.backend_text(job.profile))
        if not path.is_file() or path.stat().st_size == 0:
            QMessageBox.warning(self, self.tr("Report not written"), fill(
                self.tr("The report could not be written to %1."), str(path)))
            return False
        self.status_label.setText(fill(self.tr("Report of job %1 written to %2"),
                                       str(job.job_id), str(path)))
        self.reportWritten.emit(str(path))
        return True

    @Slot()
    def _on_print_clicked(self) -> None:
        job = self._job
        if job is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print the report of job %1").replace(
            "%1", str(job.job_id)))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_report(printer, job, self.model.records_of(OutcomeKind.FAILED),
                         self.backend_text(job.profile))

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
                            sheet_title=self.tr("Results"), meta_title=self.tr("Job"))

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
        shown_only = False
        if self.model.is_narrowed():
            scope = self.ask_export_scope(self, self.model.total_count(),
                                          self.model.rowCount())
            if scope is None:
                return
            shown_only = scope == "shown"
        self.export_to(target, shown_only=shown_only)

    def export_to(self, path: Path, *, shown_only: bool = False) -> None:
        """Write the job's records — all of them (in plan order), or with ``shown_only``
        those shown (filtered, in the shown order) — and the job's metadata (job id, who,
        when, profile, backend, action, counts) to ``path`` (.xlsx or CSV) on a worker
        thread; ``exported`` is emitted when done, a message box on error."""
        read = self.model.shown_reader() if shown_only else self.model.all_reader()
        lab = self.export_labels()
        job = self._job
        meta = job_meta(job, self.backend_text(job.profile)) if job is not None else []
        writer = export_xlsx if path.suffix.lower() == ".xlsx" else export_csv
        self._exporting = True
        self._update_buttons()
        self.status_label.setToolTip("")
        cannot = self.tr("Cannot write %1: %2")

        def write() -> int:
            try:
                return writer(path, read(), lab, meta)  # read here: a big job is not held
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

