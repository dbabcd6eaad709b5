"""管理配置… and the keyring check, for the main window.

Opens the profile dialog, refills the profile switcher after a save or delete, opens the
current profile again when its settings or key changed (after a running job, never under it),
and says in the status bar when there is no keyring for the remote profiles.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot

from ...config.credentials import CredentialStore, unavailable_message
from ...config.settings import LOCAL_PROFILE
from ...core.errors import CampusCardError
from ..profiles.profile_dialog import ProfileDialog
from ..workers import run_in_thread

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger(__name__)


class ProfileFlow(QObject):
    def __init__(self, window: MainWindow, credentials: CredentialStore) -> None:
        super().__init__(window)
        self._window = window
        self.credentials = credentials
        self.keyring_problem: str | None = None  # set when the start-up check finds none
        self.dialog: ProfileDialog | None = None
        self._reopen_pending = False  # the current profile changed while a job ran

    def remote_profiles(self) -> list[str]:
        try:
            return [p.name for p in self._window.config_store.load_profiles().values()
                    if p.kind != "local"]
        except CampusCardError:
            return []

    def check_keyring(self) -> None:
        """Find out off the GUI thread whether a keyring exists (asking may touch D-Bus)."""
        window = self._window

        def done(ok: bool) -> None:
            self.keyring_problem = None if ok else unavailable_message()
            self.show_keyring_problem()
            window.keyringChecked.emit(ok)

        run_in_thread(self.credentials.available, done,
                      lambda exc: log.warning("keyring check failed: %s", type(exc).__name__),
                      parent=self)

    def show_keyring_problem(self) -> None:
        """Without a keyring the remote profiles cannot be used (local still works): say so
        in the status bar when there are any."""
        window = self._window
        problem = self.keyring_problem
        show = problem is not None and bool(self.remote_profiles())
        window.keyring_label.setVisible(show)
        window.keyring_label.setToolTip(problem or "")
        if show and problem is not None:
            window.statusBar().showMessage(
                self.tr("Remote profiles cannot be used: %1").replace("%1", problem), 30_000)

    @Slot()
    def open_dialog(self) -> None:
        """Open 管理配置… (window-modal; a running job carries on)."""
        window = self._window
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        dialog = ProfileDialog(window.config_store, self.credentials, window.paths, window,
                               current=window.profile_name, keyring_problem=self.keyring_problem)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.profileSaved.connect(self._on_saved)
        dialog.profileDeleted.connect(self._on_deleted)
        dialog.destroyed.connect(self._on_dialog_closed)
        self.dialog = dialog
        dialog.open()
        window.profileDialogOpened.emit(dialog)

    @Slot()
    def _on_dialog_closed(self) -> None:
        self.dialog = None

    @Slot(str)
    def _on_saved(self, name: str) -> None:
        window = self._window
        window.fill_profiles()
        self.show_keyring_problem()
        if name == window.profile_name:  # new settings or key: open it again
            self._reopen_pending = True
            self.reopen_if_pending()

    @Slot(str)
    def _on_deleted(self, name: str) -> None:
        window = self._window
        if name == window.profile_name:
            window.profile_name = LOCAL_PROFILE
            window.settings.default_profile = LOCAL_PROFILE  # remove_profile saved it too
            if not window.flow.is_busy():  # a running job keeps its rows until it ends
                window.model.set_rows([])
                window.demo_badge.hide()
            self._reopen_pending = True
        window.fill_profiles()
        self.show_keyring_problem()
        self.reopen_if_pending()

    @Slot()
    def reopen_if_pending(self) -> None:
        """Open the current profile again once no job or plan holds the connector."""
        window = self._window
        if self._reopen_pending and not window.flow.is_busy() and not window.is_closing():
            self._reopen_pending = False
            window.open_profile(window.profile_name)
