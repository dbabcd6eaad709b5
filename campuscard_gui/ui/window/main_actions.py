"""The main window's card actions and the flow behind them.

select -> plan (off the GUI thread) -> ConfirmDialog -> JobController.start_plan (the journal
job is created on the worker) -> the table updates the changed rows in place and the results
panel shows the job. Also: 重试失败项 as a new job, the history, resuming unfinished jobs, and
the student import (local backend).

A job belongs to its profile. Jobs run only on the connector of the profile they are recorded
with (``JobController`` checks it again on its worker). 重试失败项 on a job of another profile
(e.g. opened from 历史记录) asks to switch to that profile; the switch loads it off the GUI
thread like the toolbar's, then the retry is planned on its students and confirmed naming it. A
job whose profile no longer exists is refused, naming it. Unfinished jobs are offered for
resume when their profile is open (at start-up, after a switch, when the window is idle again),
each once a session; those of other profiles are mentioned by name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QLocale, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QStyle, QWidget

from ...batch import JobInfo, Journal
from ...config.paths import Paths
from ...config.settings import ConfigStore, Settings
from ...connectors.base import Connector, LocalDatabase
from ...core.errors import CampusCardError
from ...core.model import Action, Card, StudentRow
from ...core.plan import Plan, plan_action, plan_for_ids
from .. import labels
from ..heap import freeze_survivors, release_free_memory
from ..importing.import_dialog import ImportDialog
from ..jobs.confirm_dialog import ConfirmDialog, Target, plan_balance, profile_target
from ..jobs.history_dialog import HistoryDialog
from ..jobs.job_controller import JobController
from ..jobs.results_panel import ResultsPanel
from ..jobs.resume import ask_resume
from ..students.student_model import PreparedCards, StudentTableModel
from ..workers import error_message, run_in_thread

log = logging.getLogger(__name__)

APPLY_SLICE = 20_000  # rows of a job's read-back put in place per event-loop turn

ACTION_NAMES = {
    Action.OPEN: "actionOpenCard",
    Action.FREEZE: "actionFreezeCard",
    Action.UNFREEZE: "actionUnfreezeCard",
    Action.CANCEL: "actionCancelCard",
}
ACTION_SHORTCUTS = {
    Action.OPEN: "Ctrl+Shift+O",
    Action.FREEZE: "Ctrl+Shift+F",
    Action.UNFREEZE: "Ctrl+Shift+U",
    Action.CANCEL: "Ctrl+Shift+X",
}
_ACTION_ICONS = {
    Action.OPEN: QStyle.StandardPixmap.SP_DialogApplyButton,
    Action.FREEZE: QStyle.StandardPixmap.SP_MediaPause,
    Action.UNFREEZE: QStyle.StandardPixmap.SP_MediaPlay,
    Action.CANCEL: QStyle.StandardPixmap.SP_TrashIcon,
}


def with_shortcut(text: str, action: QAction) -> str:
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    return f"{text} ({keys})" if keys else text


def read_target(store: ConfigStore, paths: Paths, name: str) -> Target | None:
    """Where the profile ``name`` writes (None: there is no such profile). Reads the profiles
    file: call it off the GUI thread."""
    profile = store.load_profiles().get(name)
    return None if profile is None else profile_target(profile, paths)


@dataclass(frozen=True)
class _RetryElsewhere:
    """重试失败项 of a job waiting for the job's profile to be opened."""

    job_id: int
    profile: str
    action: Action
    student_nos: tuple[str, ...]


class ActionHost(Protocol):
    """What the flow asks of the window it serves (it tells the window by signals)."""

    def current_profile(self) -> str:
        """The profile the window shows (the one being opened, during a switch)."""
        ...

    def selected_rows(self) -> list[StudentRow]: ...

    def allows_non_enrolled(self) -> bool:
        """Whether 开通 may include students who are not 在读 (the window's setting)."""
        ...

    def local_database(self) -> LocalDatabase | None:
        """The open connector's local database, when it is one (the import)."""
        ...

    def is_closing(self) -> bool: ...

    def stale_note(self) -> str | None:
        """Why the rows shown may be out of date (a refresh failed), or None."""
        ...


@dataclass(frozen=True)
class Collaborators:
    """What the flow works with besides the host: the results panel it binds jobs to, the
    student table it updates in place, the journal, the profiles and the paths."""

    results: ResultsPanel
    model: StudentTableModel
    journal: Journal
    config_store: ConfigStore
    paths: Paths


class ActionFlow(QObject):
    """Owns the four card QActions and runs what they start.

    It tells the window by signals: ``statusMessage(text, ms)`` / ``statusCleared`` for the
    status bar, ``reloadRequested`` to fetch every row again, ``actionsChanged`` after the
    table changed, ``switchRequested(profile)`` to open another profile (重试失败项 of its job);
    the window calls ``rows_loaded``/``load_failed`` when a profile it opened has loaded or
    failed to."""

    busyChanged = Signal()
    confirmRequested = Signal(object)  # the ConfirmDialog just opened (window-modal)
    jobDone = Signal(object)  # JobInfo, after the student table was updated
    importDialogOpened = Signal(object)  # the ImportDialog just opened
    messageShown = Signal(object)  # a QMessageBox the flow just opened (window-modal)
    statusMessage = Signal(str, int)  # text, milliseconds (0: until replaced)
    statusCleared = Signal()
    reloadRequested = Signal()
    actionsChanged = Signal()
    switchRequested = Signal(str)

    def __init__(self, host: ActionHost, parts: Collaborators, parent: QWidget) -> None:
        super().__init__(parent)
        self._host = host
        self._parts = parts
        self._parent = parent  # the QActions' owner and the dialogs' parent
        self.controller: JobController | None = None
        self.profile: str | None = None  # the profile whose connector the jobs run on
        self.offers_resume = True  # offer unfinished jobs (tests turn it off)
        self._pending = False  # planning, confirming or switching for a retry
        self.confirm_dialog: ConfirmDialog | None = None
        self.history_dialog: HistoryDialog | None = None
        self.import_dialog: ImportDialog | None = None
        self.message_box: QMessageBox | None = None
        self.card_actions: dict[Action, QAction] = {}
        self._retry_elsewhere: _RetryElsewhere | None = None
        self._seen_jobs: set[int] = set()  # offered for resume or run in this session
        self._mentioned: set[int] = set()  # other profiles' unfinished jobs already mentioned
        self._resume_reading = False
        self._build_actions()
        parts.results.retryRequested.connect(self.retry)
        parts.results.reverseRequested.connect(self.retry)  # the inverse, planned and confirmed

    def _build_actions(self) -> None:
        w = self._parent
        texts = {
            Action.OPEN: (self.tr("Open card"),
                          self.tr("Open a campus card for the selected students")),
            Action.FREEZE: (self.tr("Freeze"),
                            self.tr("Freeze the cards of the selected students")),
            Action.UNFREEZE: (self.tr("Unfreeze"),
                              self.tr("Unfreeze the cards of the selected students")),
            Action.CANCEL: (self.tr("Cancel card"),
                            self.tr("Cancel the cards of the selected students (irreversible)")),
        }
        for action, (text, tip) in texts.items():
            qa = QAction(w.style().standardIcon(_ACTION_ICONS[action]), text, w)
            qa.setObjectName(ACTION_NAMES[action])
            qa.setShortcut(QKeySequence(ACTION_SHORTCUTS[action]))
            qa.setToolTip(with_shortcut(tip, qa))
            qa.setStatusTip(tip)
            qa.setEnabled(False)
            qa.triggered.connect(lambda _checked=False, a=action: self.run_action(a))
            w.addAction(qa)
            self.card_actions[action] = qa

    # ---- state -----------------------------------------------------------------------------

    def set_connector(self, connector: Connector, profile: str) -> None:
        """Jobs run on ``connector`` from now on; it was opened for the profile ``profile``."""
        if self.controller is None:
            self.controller = JobController(connector, self._parts.journal, self,
                                            profile=profile)
            self._parts.results.bind(self.controller)
            self.controller.finished.connect(self._on_job_finished)
            self.controller.failed.connect(self._on_job_failed)
            self.controller.started.connect(self._on_job_started)
            self.controller.idle.connect(self.busyChanged)
            self.controller.idle.connect(self._on_idle)
        else:
            self.controller.set_connector(connector, profile)
        self.profile = profile
        self._parts.results.set_current_profile(profile)
        self._parts.results.set_profile_kind(profile, connector.kind)
        self.busyChanged.emit()

    def is_running(self) -> bool:
        return self.controller is not None and self.controller.is_running()

    def is_busy(self) -> bool:
        """Planning, confirming, switching for a retry or running: no second write may
        start."""
        return self._pending or self.is_running()

    def _set_pending(self, pending: bool) -> None:
        self._pending = pending
        self.busyChanged.emit()

    def is_open(self) -> bool:
        """The window's profile is the one whose connector the jobs run on (not while another
        profile opens, nor after it failed to open)."""
        return self.profile is not None and self.profile == self._host.current_profile()

    def shutdown(self) -> None:
        self._retry_elsewhere = None
        if self.message_box is not None:
            self.message_box.reject()
        if self.confirm_dialog is not None:
            self.confirm_dialog.reject()
        if self.controller is not None:
            self.controller.shutdown()

    def _tell(self, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information,
              on_done: Callable[[QMessageBox.StandardButton], None] | None = None,
              accept_text: str = "") -> QMessageBox:
        """A window-modal message box that does not block (``messageShown`` gives it). With
        ``accept_text`` it asks: that button or Cancel; ``on_done`` gets Ok or Cancel."""
        parent = self._parent
        box = QMessageBox(icon, parent.windowTitle(), text, QMessageBox.StandardButton.NoButton,
                          parent)
        box.setObjectName("flowMessageBox")
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if accept_text:
            ok = box.addButton(QMessageBox.StandardButton.Ok)
            ok.setText(accept_text)
            ok.setObjectName("flowAcceptButton")
            cancel = box.addButton(QMessageBox.StandardButton.Cancel)
            cancel.setObjectName("flowCancelButton")
            box.setDefaultButton(cancel)  # nothing switches on a stray Enter
        else:
            box.addButton(QMessageBox.StandardButton.Ok).setObjectName("flowAcceptButton")
        self.message_box = box

        def finished(_result: int) -> None:
            if self.message_box is box:
                self.message_box = None
            clicked = box.clickedButton()
            answer = (QMessageBox.StandardButton.Ok
                      if clicked is not None
                      and box.standardButton(clicked) == QMessageBox.StandardButton.Ok
                      else QMessageBox.StandardButton.Cancel)
            if on_done is not None:
                on_done(answer)

        box.finished.connect(finished)
        box.open()
        self.messageShown.emit(box)
        return box

    def _not_open_text(self) -> str:
        return self.tr("The profile “%1” is not open yet (it is loading, or it could not be "
                       "opened). Try again when its students are shown. Nothing was written."
                       ).replace("%1", self._host.current_profile())

    # ---- plan, confirm, run ----------------------------------------------------------------

    def run_action(self, action: Action) -> None:
        """Plan ``action`` over the selected rows and ask for confirmation."""
        if self.is_busy() or self.controller is None:
            return
        if not self.is_open():
            self.statusMessage.emit(self._not_open_text(), 15_000)
            return
        rows = self._host.selected_rows()
        if not rows:
            return
        allow = self._host.allows_non_enrolled()
        self._plan_then_confirm(lambda: plan_action(action, rows, allow_non_enrolled=allow))

    @Slot(object, list)
    def retry(self, action: Action, student_nos: list[str]) -> None:
        """Plan ``action`` again for the failed 学号 of the job shown, as a new job whose parent
        it is — on the job's own profile: a job of another profile asks to switch to it first
        (its students are loaded, then the retry is planned and confirmed); one whose profile
        no longer exists is refused."""
        if self.is_busy() or self.controller is None or not student_nos:
            return
        job = self._parts.results.job
        if job is None:
            return
        if job.profile == self.profile and self.is_open():
            self._plan_retry(job.job_id, action, student_nos)
        elif job.profile == self._host.current_profile():
            self._tell(self._not_open_text())
        else:
            self._ask_switch_for_retry(job, action, student_nos)

    def _plan_retry(self, job_id: int, action: Action, student_nos: Sequence[str]) -> None:
        model = self._parts.model
        rows_by_no: dict[str, StudentRow] = {}
        for no in student_nos:
            row = model.row_for(no)
            if row is not None:
                rows_by_no[no] = row
        allow = self._host.allows_non_enrolled()
        nos = list(student_nos)
        self._plan_then_confirm(
            lambda: plan_for_ids(action, nos, rows_by_no, allow_non_enrolled=allow), job_id)

    def _ask_switch_for_retry(self, job: JobInfo, action: Action,
                              student_nos: Sequence[str]) -> None:
        """Find the job's profile (off the GUI thread), then ask to switch to it."""
        host = self._host
        store, paths, name = self._parts.config_store, self._parts.paths, job.profile
        self._set_pending(True)

        def found(target: Target | None) -> None:
            if host.is_closing():
                self._set_pending(False)
                return
            if target is None:
                self._set_pending(False)
                self._tell(labels.fill(self.tr(
                    "Job %1 was run on the profile “%2”, which no longer exists. Its failures "
                    "are never retried on another profile. Nothing was written."),
                    str(job.job_id), name), QMessageBox.Icon.Warning)
                return
            request = _RetryElsewhere(job.job_id, name, action, tuple(student_nos))
            text = labels.fill(self.tr(
                "Job %1 was run on the profile “%2” (%3), not on the profile open now (“%4”). "
                "Its failures can only be retried there.\n\nSwitch to “%2” and retry? Its "
                "students are loaded first, and you confirm before anything is written."),
                str(job.job_id), name, labels.kind_and_address(target.kind, target.address),
                host.current_profile())
            self._tell(text, QMessageBox.Icon.Question,
                       lambda answer: self._switch_for_retry(request, answer),
                       self.tr("Switch and retry"))

        def failed(exc: BaseException) -> None:
            self._set_pending(False)
            self._tell(error_message(exc), QMessageBox.Icon.Warning)

        run_in_thread(lambda: read_target(store, paths, name), found, failed, parent=self)

    def _switch_for_retry(self, request: _RetryElsewhere,
                          answer: QMessageBox.StandardButton) -> None:
        if answer != QMessageBox.StandardButton.Ok or self._host.is_closing() \
                or self.is_running():
            self._set_pending(False)
            return
        self._retry_elsewhere = request  # stays pending: nothing else starts meanwhile
        self.statusMessage.emit(
            labels.fill(self.tr("Opening the profile “%1” to retry job %2…"),
                        request.profile, str(request.job_id)), 0)
        self.switchRequested.emit(request.profile)

    @Slot(int)
    def rows_loaded(self, _count: int) -> None:
        """The window loaded the rows of the profile it opened."""
        request = self._retry_elsewhere
        if request is None:
            return
        self._retry_elsewhere = None
        self.statusCleared.emit()
        if self.profile != request.profile or not self.is_open():
            # something else was opened meanwhile (e.g. the profile was deleted)
            self._set_pending(False)
            self._tell(labels.fill(self.tr("The profile “%1” is not the one open now; job %2 "
                                           "was not retried. Nothing was written."),
                                   request.profile, str(request.job_id)),
                       QMessageBox.Icon.Warning)
            return
        self._plan_retry(request.job_id, request.action, request.student_nos)

    @Slot(str)
    def load_failed(self, message: str) -> None:
        """The profile the window tried to open could not be opened."""
        request = self._retry_elsewhere
        if request is None:
            return
        self._retry_elsewhere = None
        self._set_pending(False)
        self.statusCleared.emit()
        self._tell(labels.fill(self.tr("The profile “%1” could not be opened: %2\n\nJob %3 was "
                                       "not retried. Nothing was written."),
                               request.profile, message, str(request.job_id)),
                   QMessageBox.Icon.Warning)

    def _plan_then_confirm(
        self, make_plan: Callable[[], Plan], parent_job_id: int | None = None
    ) -> None:
        """Plan (off the GUI thread, with where the job writes) and confirm, on the profile
        open now."""
        profile = self.profile
        assert profile is not None
        store, paths = self._parts.config_store, self._parts.paths
        self._set_pending(True)
        self.statusMessage.emit(self.tr("Planning…"), 0)

        def work() -> tuple[Plan, Target, int]:
            plan = make_plan()
            try:
                target = read_target(store, paths, profile)
            except CampusCardError as exc:  # the confirmation still names the profile
                log.warning("profiles unreadable for the confirmation: %s", exc.message)
                target = None
            try:
                guard = store.load_settings().mass_write_threshold
            except CampusCardError as exc:  # the guard falls back to its default
                log.warning("settings unreadable for the confirmation: %s", exc.message)
                guard = Settings().mass_write_threshold
            return plan, target or Target("", profile, ""), guard

        def failed(exc: BaseException) -> None:
            self._set_pending(False)
            self.statusCleared.emit()
            self._tell(error_message(exc), QMessageBox.Icon.Warning)

        def done(result: tuple[Plan, Target, int]) -> None:
            self._confirm(result[0], result[1], parent_job_id, result[2])

        run_in_thread(work, done, failed, parent=self)

    def _confirm(self, plan: Plan, target: Target, parent_job_id: int | None,
                 guard: int = 0) -> None:
        host = self._host
        self.statusCleared.emit()
        if host.is_closing():
            self._set_pending(False)
            return
        # 注销 says the balance it closes (the cards as the table shows them)
        balance = plan_balance(plan, self._parts.model.row_for) \
            if plan.action is Action.CANCEL else None
        dialog = ConfirmDialog(plan, self._parent, target=target, guard=guard,
                               stale=host.stale_note(), balance=balance)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm_dialog = dialog

        def finished(result: int) -> None:
            self.confirm_dialog = None
            self._pending = False
            if result == QDialog.DialogCode.Accepted and self.controller is not None \
                    and not host.is_closing():
                if self.profile == target.name and self.is_open():
                    self.controller.start_plan(plan, profile=target.name,
                                               parent_job_id=parent_job_id)
                else:  # the profile changed under the dialog: never write elsewhere
                    self._tell(self._not_open_text(), QMessageBox.Icon.Warning)
            self.busyChanged.emit()

        dialog.finished.connect(finished)
        dialog.open()
        self.confirmRequested.emit(dialog)

    @Slot(int, int)
    def _on_job_started(self, job_id: int, _total: int) -> None:
        self._seen_jobs.add(job_id)  # one that stops stays unfinished: offered next session
        self.busyChanged.emit()

    @Slot(object, object)
    def _on_job_finished(self, info: JobInfo, changed: Mapping[str, Card] | None) -> None:
        if changed is None:
            self.reloadRequested.emit()  # the read-back failed: fetch everything
        elif changed:
            # the new rows are made off the GUI thread (72,000 cards: half a second), put in
            # place on it; no write may start in between (busy), none acts on the old rows
            model = self._parts.model
            self._set_pending(True)

            def prepared(cards: PreparedCards) -> None:
                parts = cards.parts(APPLY_SLICE)

                def step() -> None:  # a slice per turn, then the filter: no long stall
                    if parts:
                        model.apply_cards(parts.pop(0))
                        QTimer.singleShot(0, self, step)
                        return
                    self._set_pending(False)
                    self._after_job(info, changed=True)

                step()

            def failed(exc: BaseException) -> None:
                self._set_pending(False)
                log.warning("rows not updated after job %s: %s", info.job_id, exc)
                self.reloadRequested.emit()
                self._after_job(info, changed=False)

            def prepare() -> PreparedCards:
                cards = model.prepare_cards(changed)
                freeze_survivors()  # the rows are kept: no full pass scans them (heap.py)
                return cards

            run_in_thread(prepare, prepared, failed, parent=self)
            return
        self._after_job(info, changed=False)

    def _after_job(self, info: JobInfo, *, changed: bool) -> None:
        if changed:
            # the filter or preset is applied again: rows the job moved out of it (待开通 rows
            # that are 正常 now) leave the view and the selection, so nothing acts on them twice
            hidden = self._parts.model.reapply_filter()
            if hidden:
                self.statusMessage.emit(
                    self.tr("Rows hidden because they no longer match the filter: %Ln", "",
                            hidden), 15_000)
        self.actionsChanged.emit()
        self.jobDone.emit(info)
        release_free_memory()  # what the job read and planned is freed by now (ui/heap.py)

    @Slot(str)
    def _on_job_failed(self, message: str) -> None:
        self.statusMessage.emit(message, 15_000)
        self.reloadRequested.emit()  # some chunks may have been written

    # ---- history, resume, import -----------------------------------------------------------

    @Slot()
    def open_history(self) -> None:
        if self.history_dialog is not None:
            self.history_dialog.raise_()
            self.history_dialog.activateWindow()
            self.history_dialog.reload()
            return
        dialog = HistoryDialog(self._parts.journal, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.openJobRequested.connect(self._show_job)
        dialog.destroyed.connect(self._history_closed)
        self.history_dialog = dialog
        dialog.show()

    @Slot()
    def _history_closed(self) -> None:
        self.history_dialog = None

    @Slot(int)
    def _show_job(self, job_id: int) -> None:
        if self._parts.results.is_running():
            self.statusMessage.emit(
                self.tr("A job is running; open past jobs when it has finished."), 8_000)
            return
        self._parts.results.show_job(job_id)

    @Slot()
    def _on_idle(self) -> None:
        QTimer.singleShot(0, self.offer_resume)

    @Slot()
    def offer_resume(self) -> None:
        """Ask about the open profile's unfinished jobs not offered yet this session (read off
        the GUI thread); say which other profiles have some."""
        host = self._host
        if not self.offers_resume or self._resume_reading or host.is_closing() \
                or self.is_busy() or not self.is_open():
            return
        journal, store = self._parts.journal, self._parts.config_store
        profile = self.profile

        def read() -> tuple[list[JobInfo], set[str] | None]:
            jobs = journal.unfinished_jobs()
            try:
                names: set[str] | None = set(store.load_profiles())
            except CampusCardError as exc:
                log.warning("profiles unreadable: %s", exc.message)
                names = None  # every profile counts as existing
            return jobs, names

        def ask(result: tuple[list[JobInfo], set[str] | None]) -> None:
            self._resume_reading = False
            jobs, names = result
            controller = self.controller
            if controller is None or host.is_closing():
                return
            if self.is_busy() or self.profile != profile or not self.is_open():
                QTimer.singleShot(0, self.offer_resume)  # asked again for the profile open now
                return
            fresh = [j for j in jobs if j.job_id not in self._seen_jobs]
            mine = [j for j in fresh if j.profile == profile]
            others = [j for j in fresh if j.profile != profile
                      and j.job_id not in self._mentioned]
            note = self._others_note(others, names)
            self._mentioned.update(j.job_id for j in others)
            if not mine:
                if note:
                    self.statusMessage.emit(note, 60_000)
                return
            self._seen_jobs.update(j.job_id for j in mine)

            def discard(ids: list[int]) -> None:
                for job_id in ids:
                    controller.discard(job_id)

            ids = ask_resume(self._parent, mine, on_discard=discard, note=note)
            if self.profile == profile and self.is_open() and not host.is_closing():
                for job_id in ids:
                    controller.start(job_id)
            self.busyChanged.emit()

        def failed(exc: BaseException) -> None:
            self._resume_reading = False
            log.warning("unfinished jobs unreadable: %s", exc)

        self._resume_reading = True
        run_in_thread(read, ask, failed, parent=self)

    def _others_note(self, others: Sequence[JobInfo], names: set[str] | None) -> str:
        """Names the other profiles with unfinished jobs (continued when that profile is open)
        and those whose profile no longer exists (never continued elsewhere)."""
        elsewhere = sorted({j.profile for j in others if names is None or j.profile in names})
        gone = [j for j in others if names is not None and j.profile not in names]
        parts = []
        if elsewhere:
            n = sum(1 for j in others if names is None or j.profile in names)
            parts.append(self.tr(
                "%n unfinished job(s) of other profiles (%1) will be offered when their profile is "
                "opened.", "", n).replace("%1", labels.join_names(elsewhere)))
        if gone:
            listed = sorted({j.profile for j in gone})
            parts.append(self.tr(
                "%n unfinished job(s) of profiles that no longer exist (%1) cannot be "
                "continued.", "", len(gone)).replace("%1", labels.join_names(listed)))
        return " ".join(parts)

    @Slot()
    def open_import_dialog(self) -> None:
        local = self._host.local_database()
        if local is None or not self.is_open():
            return  # never into another profile's database (a switch that failed)
        dialog = ImportDialog(local, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self._on_imported)
        dialog.destroyed.connect(self._import_closed)
        self.import_dialog = dialog
        dialog.open()
        self.importDialogOpened.emit(dialog)

    @Slot(object)
    def _on_imported(self, summary: object) -> None:
        added = getattr(summary, "added", 0)
        updated = getattr(summary, "updated", 0)
        locale = QLocale()
        self.statusMessage.emit(
            labels.fill(self.tr("Import done: %1 added, %2 updated."),
                        locale.toString(int(added)), locale.toString(int(updated))), 15_000)
        self.reloadRequested.emit()

    @Slot()
    def _import_closed(self) -> None:
        self.import_dialog = None
