"""The main window's card actions and the flow behind them.

select -> plan (off the GUI thread) -> ConfirmDialog -> JobController.start_plan (the journal
job is created on the worker) -> the table updates the changed rows in place and the results
panel shows the job. Also: 重试失败项 as a new job, the history, resuming unfinished jobs at
start-up, and the student import (local backend).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QStyle

from ..batch import JobInfo
from ..connectors.base import Connector
from ..core.model import Action, Card, StudentRow
from ..core.plan import Plan, plan_action, plan_for_ids
from .confirm_dialog import ConfirmDialog
from .history_dialog import HistoryDialog
from .import_dialog import ImportDialog, StudentImporter
from .job_controller import JobController
from .resume import ask_resume
from .workers import error_message, run_in_thread

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


class ActionFlow(QObject):
    """Owns the four card QActions and runs what they start."""

    busyChanged = Signal()
    confirmRequested = Signal(object)  # the ConfirmDialog just opened (window-modal)
    jobDone = Signal(object)  # JobInfo, after the student table was updated
    importDialogOpened = Signal(object)  # the ImportDialog just opened

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.controller: JobController | None = None
        self._pending = False  # planning or confirming
        self.confirm_dialog: ConfirmDialog | None = None
        self.history_dialog: HistoryDialog | None = None
        self.import_dialog: ImportDialog | None = None
        self.card_actions: dict[Action, QAction] = {}
        self._build_actions()
        window.results.retryRequested.connect(self.retry)

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

    def set_connector(self, connector: Connector) -> None:
        if self.controller is None:
            self.controller = JobController(connector, self._window.journal, self)
            self._window.results.bind(self.controller)
            self.controller.finished.connect(self._on_job_finished)
            self.controller.failed.connect(self._on_job_failed)
            self.controller.started.connect(lambda *_: self.busyChanged.emit())
            self.controller.idle.connect(self.busyChanged)
        else:
            self.controller.set_connector(connector)
        self.busyChanged.emit()

    def is_running(self) -> bool:
        return self.controller is not None and self.controller.is_running()

    def is_busy(self) -> bool:
        """Planning, confirming or running: no second write may start."""
        return self._pending or self.is_running()

    def _set_pending(self, pending: bool) -> None:
        self._pending = pending
        self.busyChanged.emit()

    def shutdown(self) -> None:
        if self.confirm_dialog is not None:
            self.confirm_dialog.reject()
        if self.controller is not None:
            self.controller.shutdown()

    # ---- plan, confirm, run ----------------------------------------------------------------

    def run_action(self, action: Action) -> None:
        """Plan ``action`` over the selected rows and ask for confirmation."""
        if self.is_busy() or self.controller is None:
            return
        rows = self._window.selected_rows()
        if not rows:
            return
        allow = self._window.allow_non_enrolled
        self._plan_then_confirm(lambda: plan_action(action, rows, allow_non_enrolled=allow))

    @Slot(object, list)
    def retry(self, action: Action, student_nos: list[str]) -> None:
        """Plan ``action`` again for the failed 学号 over the current rows; a new job whose
        parent is the job shown."""
        if self.is_busy() or self.controller is None or not student_nos:
            return
        job = self._window.results.job
        if job is not None and job.profile != self._window.profile_name:
            # a job belongs to its profile: its failures are never retried on another backend
            QMessageBox.information(
                self._window, self._window.windowTitle(),
                self.tr("Job %1 was run on the profile “%2”, not on the profile open now (“%3”)."
                        " Switch to “%2” in the toolbar to retry its failures. Nothing was "
                        "written.").replace("%1", str(job.job_id)).replace("%2", job.profile)
                .replace("%3", self._window.profile_name))
            return
        model = self._window.model
        rows_by_no: dict[str, StudentRow] = {}
        for no in student_nos:
            row = model.row_for(no)
            if row is not None:
                rows_by_no[no] = row
        allow = self._window.allow_non_enrolled
        parent = self._window.results.job_id
        nos = list(student_nos)
        self._plan_then_confirm(
            lambda: plan_for_ids(action, nos, rows_by_no, allow_non_enrolled=allow), parent)

    def _plan_then_confirm(
        self, make_plan: Callable[[], Plan], parent_job_id: int | None = None
    ) -> None:
        self._set_pending(True)
        self._window.statusBar().showMessage(self.tr("Planning…"))

        def failed(exc: BaseException) -> None:
            self._set_pending(False)
            self._window.statusBar().clearMessage()
            QMessageBox.warning(self._window, self._window.windowTitle(), error_message(exc))

        run_in_thread(make_plan, lambda plan: self._confirm(plan, parent_job_id), failed,
                      parent=self)

    def _confirm(self, plan: Plan, parent_job_id: int | None) -> None:
        self._window.statusBar().clearMessage()
        dialog = ConfirmDialog(plan, self._window, target=self._target())
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm_dialog = dialog

        def finished(result: int) -> None:
            self.confirm_dialog = None
            self._pending = False
            if result == QDialog.DialogCode.Accepted and self.controller is not None \
                    and not self._window.is_closing():
                self.controller.start_plan(plan, profile=self._window.profile_name,
                                           parent_job_id=parent_job_id)
            self.busyChanged.emit()

        dialog.finished.connect(finished)
        dialog.open()
        self.confirmRequested.emit(dialog)

    def _target(self) -> tuple[str, str, str] | None:
        """(kind, name, address) of the profile a confirmed job writes to."""
        window = self._window
        name = window.profile_name
        try:
            profile = window.config_store.load_profiles().get(name)
        except Exception:  # the confirmation still names the profile
            log.warning("profiles unreadable for the confirmation", exc_info=True)
            profile = None
        if profile is None:
            return None
        options = profile.options
        if profile.kind == "local":
            database = options.get("database")
            path = Path(database) if isinstance(database, str) and database.strip() \
                else window.paths.local_db_path(name)
            return profile.kind, name, path.name
        url = options.get("gateway_url") or options.get("base_url") or (
            "https://api.jiandaoyun.com/api" if profile.kind == "jiandaoyun" else "")
        host = urlsplit(url).hostname if isinstance(url, str) else None
        return profile.kind, name, host or ""

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
    def offer_resume(self) -> None:
        """Ask about this profile's unfinished jobs (read off the GUI thread)."""
        journal = self._window.journal
        profile = self._window.profile_name

        def ask(jobs: list[JobInfo]) -> None:
            mine = [j for j in jobs if j.profile == profile]
            controller = self.controller
            if not mine or controller is None or self.is_busy() or self._window.is_closing():
                return
            def discard(ids: list[int]) -> None:
                for job_id in ids:
                    controller.discard(job_id)

            ids = ask_resume(self._window, mine, on_discard=discard)
            for job_id in ids:
                controller.start(job_id)
            self.busyChanged.emit()

        run_in_thread(journal.unfinished_jobs, ask,
                      lambda exc: log.warning("unfinished jobs unreadable: %s", exc),
                      parent=self)

    @Slot()
    def open_import_dialog(self) -> None:
        connector = self._window.connector
        if not isinstance(connector, StudentImporter):
            return
        dialog = ImportDialog(connector, self._window)
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
