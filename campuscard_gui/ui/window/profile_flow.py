"""管理配置… and the keyring check, for the main window.

Opens the profile dialog and says what the window should do about it — by signals, never by
reaching into the window: refill the profile switcher after a save or delete
(``profilesChanged``), fall back to the local profile when the current one was deleted
(``currentProfileRemoved``), open the current profile again when its settings or key changed,
after a running job and never under it (``reopenRequested``), and show or hide the "no
keyring" notice (``keyringProblemChanged``). What it needs to know of the window is the narrow
``ProfileHost``.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget

from ...config.credentials import CredentialStore, unavailable_message
from ...config.paths import Paths
from ...config.settings import ConfigStore
from ...core.errors import CampusCardError
from ..profiles.profile_dialog import ProfileDialog
from ..workers import run_in_thread

log = logging.getLogger(__name__)


class ProfileHost(Protocol):
    """What the flow asks of the window it serves."""

    def current_profile(self) -> str:
        """The profile the window works on."""
        ...

    def job_busy(self) -> bool:
        """Whether a job (or its plan) holds the connector."""
        ...

    def is_closing(self) -> bool: ...


class ProfileFlow(QObject):
    """``keyringChecked(ok)`` after the start-up check; ``keyringProblemChanged(show, text)``
    when the notice should appear or go; ``dialogOpened(dialog)``; ``profilesChanged`` after a
    save or delete; ``currentProfileRemoved`` when the window's profile was deleted (before
    ``profilesChanged``); ``reopenRequested(name)`` to open a profile again."""

    keyringChecked = Signal(bool)
    keyringProblemChanged = Signal(bool, str)
    dialogOpened = Signal(object)
    profilesChanged = Signal()
    currentProfileRemoved = Signal()
    reopenRequested = Signal(str)

    def __init__(self, host: ProfileHost, config_store: ConfigStore, paths: Paths,
                 credentials: CredentialStore, parent: QWidget) -> None:
        super().__init__(parent)
        self._host = host
        self._config = config_store
        self._paths = paths
        self._parent = parent  # the dialog's parent (window-modal over it)
        self.credentials = credentials
        self.keyring_problem: str | None = None  # set when the start-up check finds none
        self.dialog: ProfileDialog | None = None
        self._reopen_pending = False  # the current profile changed while a job ran

    def remote_profiles(self) -> list[str]:
        try:
            return [p.name for p in self._config.load_profiles().values() if p.kind != "local"]
        except CampusCardError:
            return []

    def check_keyring(self) -> None:
        """Find out off the GUI thread whether a keyring exists (asking may touch D-Bus)."""
        def done(ok: bool) -> None:
            self.keyring_problem = None if ok else unavailable_message()
            self.show_keyring_problem()
            self.keyringChecked.emit(ok)

        run_in_thread(self.credentials.available, done,
                      lambda exc: log.warning("keyring check failed: %s", type(exc).__name__),
                      parent=self)

    def show_keyring_problem(self) -> None:
        """Without a keyring the remote profiles cannot be used (local still works): the
        notice is shown when there are any."""
        problem = self.keyring_problem
        show = problem is not None and bool(self.remote_profiles())
        self.keyringProblemChanged.emit(show, problem or "")

    @Slot()
    def open_dialog(self) -> None:
        """Open 管理配置… (window-modal; a running job carries on)."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        dialog = ProfileDialog(self._config, self.credentials, self._paths, self._parent,
                               current=self._host.current_profile(),
                               keyring_problem=self.keyring_problem)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.profileSaved.connect(self._on_saved)
        dialog.profileDeleted.connect(self._on_deleted)
        dialog.destroyed.connect(self._on_dialog_closed)
        self.dialog = dialog
        dialog.open()
        self.dialogOpened.emit(dialog)

    @Slot()
    def _on_dialog_closed(self) -> None:
        self.dialog = None

    @Slot(str)
    def _on_saved(self, name: str) -> None:
        self.profilesChanged.emit()
        self.show_keyring_problem()
        if name == self._host.current_profile():  # new settings or key: open it again
            self._reopen_pending = True
            self.reopen_if_pending()

    @Slot(str)
    def _on_deleted(self, name: str) -> None:
        if name == self._host.current_profile():
            self.currentProfileRemoved.emit()  # the window falls back to the local profile
            self._reopen_pending = True
        self.profilesChanged.emit()
        self.show_keyring_problem()
        self.reopen_if_pending()

    @Slot()
    def reopen_if_pending(self) -> None:
        """Open the current profile again once no job or plan holds the connector."""
        host = self._host
        if self._reopen_pending and not host.job_busy() and not host.is_closing():
            self._reopen_pending = False
            self.reopenRequested.emit(host.current_profile())
