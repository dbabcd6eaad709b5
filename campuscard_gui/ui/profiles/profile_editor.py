"""The profile dialog's editors of the remote kinds (简道云, kintone, 神笔, iPaaS): the shared
form (``profile_form``) plus what its buttons do — 测试连接 and, where the backend lists its
fields, reading them into the field mapping (by label: ``config.field_discovery``). Both build
a connector from the *unsaved* form values plus the typed secrets (the stored ones for the
fields left empty) and run off the GUI thread; a late answer for a profile no longer shown is
dropped. 保存 runs the same check as 测试连接 before writing (``check_profile``).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QStyle, QWidget

from ...config.credentials import (
    LOCKED,
    MISSING,
    UNAVAILABLE,
    CredentialError,
    CredentialStore,
    TypedSecrets,
)
from ...config.field_discovery import FieldLike, read_fields
from ...config.paths import Paths
from ...config.settings import Profile
from ...connectors.base import Connector
from ..workers import error_message, run_in_thread
from .editor_parts import READ
from .profile_form import ProfileForm

# (profile with the form's values, the typed secrets by key name) -> a connector. A secret the
# profile needs and the mapping lacks is the one stored in the keyring.
ConnectorOpener = Callable[[Profile, Mapping[str, str]], Connector]
# after a check: (None, what was checked, "") or (the error, what failed, the backend's words)
CheckDone = Callable[[BaseException | None, str, str], None]


def default_opener(paths: Paths, credentials: CredentialStore) -> ConnectorOpener:
    """Open a connector through the factory, the typed secrets read in front of the stored."""

    def open_(profile: Profile, typed: Mapping[str, str]) -> Connector:
        from ...backends.factory import open_connector

        return open_connector(profile, paths,
                              credentials=TypedSecrets(credentials, profile.name, typed))

    return open_


def _check(opener: ConnectorOpener, profile: Profile, typed: Mapping[str, str]) -> None:
    connector = opener(profile, typed)
    try:
        connector.check_connection()
    finally:
        connector.close()


def _read_fields(opener: ConnectorOpener, profile: Profile, typed: Mapping[str, str],
                 forms: tuple[str, str]) -> tuple[list[FieldLike], list[FieldLike]]:
    connector = opener(profile, typed)
    try:
        return read_fields(connector.field_lister(), forms)
    finally:
        connector.close()


class ProfileEditor(ProfileForm):
    """``connectionChecked(ok, text)`` after 测试连接; ``fieldsLoaded(n_students, n_cards)`` /
    ``fieldsFailed(text)`` after reading the fields (and ProfileForm's signals)."""

    connectionChecked = Signal(bool, str)
    fieldsLoaded = Signal(int, int)
    fieldsFailed = Signal(str)

    def __init__(self, credentials: CredentialStore, opener: ConnectorOpener,
                 parent: QWidget | None = None) -> None:
        self._opener = opener
        self._busy: set[str] = set()  # "test", "fields"
        super().__init__(credentials, parent)
        self.test_button.clicked.connect(self.test_connection)
        self.load_fields_button.clicked.connect(self.load_fields)

    def show_profile(self, profile: Profile | None) -> None:
        super().show_profile(profile)
        self._set_connection_result(None, "")

    # ---- 测试连接 and field discovery ------------------------------------------------------

    def is_busy(self) -> bool:
        return bool(self._busy)

    def _set_busy(self, what: str, busy: bool) -> None:
        if busy:
            self._busy.add(what)
        else:
            self._busy.discard(what)
        self.test_button.setEnabled("test" not in self._busy)
        self.load_fields_button.setEnabled("fields" not in self._busy)

    @Slot()
    def test_connection(self) -> None:
        problems = self.problems()
        if problems:
            self._set_connection_result(False, self.tr("The form is not complete"),
                                        " ".join(problems))
            self.connectionChecked.emit(False, " ".join(problems))
            return
        self.check_profile(self.form_profile(), self.typed_secrets())

    def check_profile(self, profile: Profile, typed: Mapping[str, str],
                      then: CheckDone | None = None) -> None:
        """测试连接's check (``connector.check_connection()``: the connection, the secrets and
        the mapped fields) on ``profile`` and the ``typed`` secrets, off the GUI thread; 保存
        runs it too before writing. The result goes to the 测试连接 row and
        ``connectionChecked``; then ``then(None, heading, "")`` or ``then(error, heading,
        detail)`` — called even when another profile is shown by then."""
        opener, gen = self._opener, self._gen
        self._set_connection_result(None, self.tr("Testing the connection…"))
        self._set_busy("test", True)

        def done(_result: object) -> None:
            self._set_busy("test", False)
            if gen == self._gen:
                self._set_connection_result(True, self.texts.connected)
                self.connectionChecked.emit(True, self.texts.connected)
            if then is not None:
                then(None, self.texts.connected, "")

        def failed(exc: BaseException) -> None:
            self._set_busy("test", False)
            heading, detail = self.describe_failure(exc)
            if gen == self._gen:
                self._set_connection_result(False, heading, detail)
                self.connectionChecked.emit(False, self.joined(heading, detail))
            if then is not None:
                then(exc, heading, detail)

        run_in_thread(lambda: _check(opener, profile, typed), done, failed, parent=self)

    def joined(self, heading: str, detail: str) -> str:
        return self.tr("%1: %2").replace("%1", heading).replace("%2", detail)

    def describe_failure(self, exc: BaseException) -> tuple[str, str]:
        """(what failed, the backend's explanation): by the error's code, never its text."""
        code = getattr(exc, "code", "")
        if isinstance(exc, CredentialError) and code in (UNAVAILABLE, LOCKED):
            self.keyringProblem.emit(exc.message)
        what = {
            "network": self.tr("The server cannot be reached"),
            "field": self.tr("A mapped field is missing"),
            UNAVAILABLE: self.tr("No usable keyring"),
            LOCKED: self.tr("The keyring is locked"),
            MISSING: self.tr("A secret of this profile is not stored"),
            **self.texts.failures,
        }.get(code, self.tr("The connection test failed"))
        return what, error_message(exc)

    def _set_connection_result(self, ok: bool | None, text: str, detail: str = "") -> None:
        """No icon while testing (``ok`` None); else the icon, ✓ or ✗ and the heading in bold,
        and the backend's explanation on its own line."""
        sp = QStyle.StandardPixmap
        if ok is None:
            self.connection_icon.clear()
            self.connection_label.setText(html.escape(text))
        else:
            icon = self.style().standardIcon(sp.SP_DialogApplyButton if ok
                                             else sp.SP_MessageBoxCritical)
            self.connection_icon.setPixmap(icon.pixmap(18, 18))
            mark = "✓" if ok else "✗"
            color = "#1b7f3b" if ok else "#b3261e"
            more = f"<br>{html.escape(detail)}" if detail else ""
            self.connection_label.setText(
                f'<span style="color:{color}"><b>{mark} {html.escape(text)}</b>{more}</span>')
        self.connection_label.setToolTip(self.joined(text, detail) if detail else text)

    @Slot()
    def load_fields(self) -> None:
        if self.FIELDS != READ:  # the kind has no field list to read (the button is hidden)
            return
        problems = self.problems()
        if problems:
            self.fields_label.setText(" ".join(problems))
            self.fieldsFailed.emit(" ".join(problems))
            return
        profile, typed = self.form_profile(), self.typed_secrets()
        opener, gen, forms = self._opener, self._gen, self._forms(profile.options)
        self.fields_label.setText(self.tr("Reading the fields…"))
        self._set_busy("fields", True)

        def done(result: tuple[list[FieldLike], list[FieldLike]]) -> None:
            self._set_busy("fields", False)
            if gen != self._gen:
                return
            students, cards = result
            self.mapping.set_fields(students, cards)
            self.fields_label.setText(self.texts.fields_read.replace("%1", str(len(students)))
                                      .replace("%2", str(len(cards))))
            self.fieldsLoaded.emit(len(students), len(cards))

        def failed(exc: BaseException) -> None:
            self._set_busy("fields", False)
            if gen == self._gen:
                text = self.joined(*self.describe_failure(exc))
                self.fields_label.setText(text)
                self.fieldsFailed.emit(text)

        run_in_thread(lambda: _read_fields(opener, profile, typed, forms), done, failed,
                      parent=self)

