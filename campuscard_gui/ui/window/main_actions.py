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
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QStyle

from ...batch import JobInfo
from ...config.paths import Paths
from ...config.settings import ConfigStore
from ...connectors.base import Connector
from ...core.errors import CampusCardError
from ...core.model import Action, Card, StudentRow
from ...core.plan import Plan, plan_action, plan_for_ids
from .. import labels
from ..importing.import_dialog import ImportDialog
from ..jobs.confirm_dialog import ConfirmDialog, Target, profile_target
from ..jobs.history_dialog import HistoryDialog
from ..jobs.job_controller import JobController
from ..jobs.resume import ask_resume
from ..workers import error_message, run_in_thread

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger(__name__)

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


class ActionFlow(QObject):
    """Owns the four card QActions and runs what they start."""

    busyChanged = Signal()
    confirmRequested = Signal(object)  # the ConfirmDialog just opened (window-modal)
    jobDone = Signal(object)  # JobInfo, after the student table was updated
    importDialogOpened = Signal(object)  # the ImportDialog just opened
    messageShown = Signal(object)  # a QMessageBox the flow just opened (window-modal)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
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
        window.results.retryRequested.connect(self.retry)
        window.rowsLoaded.connect(self._on_rows_loaded)
        window.loadFailed.connect(self._on_load_failed)

    def _build_actions(self) -> None:
        w = self._window
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
            self.controller = JobController(connector, self._window.journal, self,
                                            profile=profile)
            self._window.results.bind(self.controller)
            self.controller.finished.connect(self._on_job_finished)
            self.controller.failed.connect(self._on_job_failed)
            self.controller.started.connect(self._on_job_started)
            self.controller.idle.connect(self.busyChanged)
            self.controller.idle.connect(self._on_idle)
        else:
            self.controller.set_connector(connector, profile)
        self.profile = profile
        self._window.results.set_current_profile(profile)
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
        return self.profile is not None and self.profile == self._window.profile_name

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
        window = self._window
        box = QMessageBox(icon, window.windowTitle(), text, QMessageBox.StandardButton.NoButton,
                          window)
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
                       ).replace("%1", self._window.profile_name)

    # ---- plan, confirm, run ----------------------------------------------------------------

    def run_action(self, action: Action) -> None:
        """Plan ``action`` over the selected rows and ask for confirmation."""
        if self.is_busy() or self.controller is None:
            return
        if not self.is_open():
            self._window.statusBar().showMessage(self._not_open_text(), 15_000)
            return
        rows = self._window.selected_rows()
        if not rows:
            return
        allow = self._window.allow_non_enrolled
        self._plan_then_confirm(lambda: plan_action(action, rows, allow_non_enrolled=allow))

    @Slot(object, list)
    def retry(self, action: Action, student_nos: list[str]) -> None:
        """Plan ``action`` again for the failed 学号 of the job shown, as a new job whose parent
        it is — on the job's own profile: a job of another profile asks to switch to it first
        (its students are loaded, then the retry is planned and confirmed); one whose profile
        no longer exists is refused."""
        if self.is_busy() or self.controller is None or not student_nos:
            return
        job = self._window.results.job
        if job is None:
            return
        if job.profile == self.profile and self.is_open():
            self._plan_retry(job.job_id, action, student_nos)
        elif job.profile == self._window.profile_name:
            self._tell(self._not_open_text())
        else:
            self._ask_switch_for_retry(job, action, student_nos)

    def _plan_retry(self, job_id: int, action: Action, student_nos: Sequence[str]) -> None:
        model = self._window.model
        rows_by_no: dict[str, StudentRow] = {}
        for no in student_nos:
            row = model.row_for(no)
            if row is not None:
                rows_by_no[no] = row
        allow = self._window.allow_non_enrolled
        nos = list(student_nos)
        self._plan_then_confirm(
            lambda: plan_for_ids(action, nos, rows_by_no, allow_non_enrolled=allow), job_id)

    def _ask_switch_for_retry(self, job: JobInfo, action: Action,
                              student_nos: Sequence[str]) -> None:
        """Find the job's profile (off the GUI thread), then ask to switch to it."""
        window = self._window
        store, paths, name = window.config_store, window.paths, job.profile
        self._set_pending(True)

        def found(target: Target | None) -> None:
            if window.is_closing():
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
                window.profile_name)
            self._tell(text, QMessageBox.Icon.Question,
                       lambda answer: self._switch_for_retry(request, answer),
                       self.tr("Switch and retry"))

        def failed(exc: BaseException) -> None:
            self._set_pending(False)
            self._tell(error_message(exc), QMessageBox.Icon.Warning)

        run_in_thread(lambda: read_target(store, paths, name), found, failed, parent=self)

    def _switch_for_retry(self, request: _RetryElsewhere,
                          answer: QMessageBox.StandardButton) -> None:
        window = self._window
        if answer != QMessageBox.StandardButton.Ok or window.is_closing() \
                or self.is_running():
            self._set_pending(False)
            return
        self._retry_elsewhere = request  # stays pending: nothing else starts meanwhile
        window.statusBar().showMessage(
            labels.fill(self.tr("Opening the profile “%1” to retry job %2…"),
                        request.profile, str(request.job_id)))
        window.switch_profile(request.profile)

    @Slot(int)
    def _on_rows_loaded(self, _count: int) -> None:
        request = self._retry_elsewhere
        if request is None:
            return
        self._retry_elsewhere = None
        self._window.statusBar().clearMessage()
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
    def _on_load_failed(self, message: str) -> None:
        request = self._retry_elsewhere
        if request is None:
            return
        self._retry_elsewhere = None
        self._set_pending(False)
        self._window.statusBar().clearMessage()
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
        window = self._window
        store, paths = window.config_store, window.paths
        self._set_pending(True)
        window.statusBar().showMessage(self.tr("Planning…"))

        def work() -> tuple[Plan, Target]:
            plan = make_plan()
            try:
                target = read_target(store, paths, profile)
            except CampusCardError as exc:  # the confirmation still names the profile
                log.warning("profiles unreadable for the confirmation: %s", exc.message)
                target = None
            return plan, target or Target("", profile, "")

        def failed(exc: BaseException) -> None:
            self._set_pending(False)
            window.statusBar().clearMessage()
            self._tell(error_message(exc), QMessageBox.Icon.Warning)

        def done(result: tuple[Plan, Target]) -> None:
            self._confirm(result[0], result[1], parent_job_id)

        run_in_thread(work, done, failed, parent=self)

    def _confirm(self, plan: Plan, target: Target, parent_job_id: int | None) -> None:
        window = self._window
        window.statusBar().clearMessage()
        if window.is_closing():
            self._set_pending(False)
            return
        dialog = ConfirmDialog(plan, window, target=target)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm_dialog = dialog

        def finished(result: int) -> None:
            self.confirm_dialog = None
            self._pending = False
            if result == QDialog.DialogCode.Accepted and self.controller is not None \
                    and not window.is_closing():
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
            self._window.reload()  # the read-back failed: fetch everything
        elif changed:
            self._window.model.update_cards(changed)
        self._window.update_actions()
        self.jobDone.emit(info)

    @Slot(str)
    def _on_job_failed(self, message: str) -> None:
        self._window.statusBar().showMessage(message, 15_000)
        self._window.reload()  # some chunks may have been written

    # ---- history, resume, import -----------------------------------------------------------

    @Slot()
    def open_history(self) -> None:
        if self.history_dialog is not None:
            self.history_dialog.raise_()
            self.history_dialog.activateWindow()
            self.history_dialog.reload()
            return
        dialog = HistoryDialog(self._window.journal, self._window)
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
        if self._window.results.is_running():
            self._window.statusBar().showMessage(
                self.tr("A job is running; open past jobs when it has finished."), 8_000)
            return
        self._window.results.show_job(job_id)

    @Slot()
    def _on_idle(self) -> None:
        QTimer.singleShot(0, self.offer_resume)

    @Slot()
    def offer_resume(self) -> None:
        """Ask about the open profile's unfinished jobs not offered yet this session (read off
        the GUI thread); say which other profiles have some."""
        window = self._window
        if not self.offers_resume or self._resume_reading or window.is_closing() \
                or self.is_busy() or not self.is_open():
            return
        journal, store = window.journal, window.config_store
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
            if controller is None or window.is_closing():
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
                    window.statusBar().showMessage(note, 60_000)
                return
            self._seen_jobs.update(j.job_id for j in mine)

            def discard(ids: list[int]) -> None:
                for job_id in ids:
                    controller.discard(job_id)

            ids = ask_resume(window, mine, on_discard=discard, note=note)
            if self.profile == profile and self.is_open() and not window.is_closing():
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
                "%n unfinished job(s) of other profiles (%1) are offered when that profile is "
                "opened.", "", n).replace("%1", labels.join_names(elsewhere)))
        if gone:
            listed = sorted({j.profile for j in gone})
            parts.append(self.tr(
                "%n unfinished job(s) of profiles that no longer exist (%1) cannot be "
                "continued.", "", len(gone)).replace("%1", labels.join_names(listed)))
        return " ".join(parts)

    @Slot()
    def open_import_dialog(self) -> None:
        connector = self._window.connector
        local = connector.local_database() if connector is not None else None
        if local is None or not self.is_open():
            return  # never into another profile's database (a switch that failed)
        dialog = ImportDialog(local, self._window)
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
        self._window.statusBar().showMessage(
            self.tr("Import done: %1 added, %2 updated.").replace("%1", str(added))
            .replace("%2", str(updated)), 15_000)
        self._window.reload()

    @Slot()
    def _import_closed(self) -> None:
        self.import_dialog = None
