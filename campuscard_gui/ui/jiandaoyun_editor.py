"""The profile dialog's editor for a 简道云 profile: connection settings, the API key,
测试连接 and the field mapping read from the forms.

The API key is typed into a password field and never read back into it: a stored key shows as
the placeholder "已保存（留空则不修改）". 测试连接 and 从表单读取字段 build a connector from the
*unsaved* form values plus the typed key (or, left empty, the stored one) and run off the GUI
thread; a late answer for a profile no longer shown is dropped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..config.credentials import LOCKED, MISSING, UNAVAILABLE, CredentialError, CredentialStore
from ..config.fieldmap import FieldMap
from ..config.paths import Paths
from ..config.settings import LOCAL_PROFILE, Profile
from ..connectors.base import Connector
from ..core.errors import CampusCardError
from .field_mapping import FieldLike, FieldMappingBox
from .workers import error_message, run_in_thread

JIANDAOYUN = "jiandaoyun"
DEFAULT_BASE_URL = "https://api.jiandaoyun.com/api"
DEFAULT_TIMEOUT_S = 15
DEFAULT_CONCURRENCY = 5
NAME_RE = re.compile(r"^[\w.-]{1,64}$")  # as campuscard-cli profiles add accepts
LOOPBACK = ("127.0.0.1", "localhost", "::1")

W = TypeVar("W", bound=QWidget)

# (profile with the form's values, the typed key or None for the stored one) -> a connector
ConnectorOpener = Callable[[Profile, str | None], Connector]


@runtime_checkable
class FieldLister(Protocol):
    def list_fields(self, entry_id: str) -> Sequence[FieldLike]: ...


def default_opener(paths: Paths, credentials: CredentialStore) -> ConnectorOpener:
    """Open a 简道云 connector with a typed key, or through the factory (the stored key)."""

    def open_(profile: Profile, api_key: str | None) -> Connector:
        if api_key is None:
            from ..connectors.factory import open_connector

            return open_connector(profile, paths, credentials=credentials)
        from ..connectors.jiandaoyun import JiandaoyunConnector

        connector: Connector = JiandaoyunConnector(profile.options, api_key)
        return connector

    return open_


def _check(opener: ConnectorOpener, profile: Profile, key: str | None) -> None:
    connector = opener(profile, key)
    try:
        connector.check_connection()
    finally:
        connector.close()


def _read_fields(opener: ConnectorOpener, profile: Profile, key: str | None
                 ) -> tuple[list[FieldLike], list[FieldLike]]:
    connector = opener(profile, key)
    try:
        if not isinstance(connector, FieldLister):
            raise CampusCardError("该后端不支持读取字段")
        students = list(connector.list_fields(str(profile.options["students_entry"])))
        cards = list(connector.list_fields(str(profile.options["cards_entry"])))
    finally:
        connector.close()
    return students, cards


def named(widget: W, name: str, accessible: str) -> W:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


class JiandaoyunEditor(QWidget):
    """``changed`` when the operator edits anything (or the mapping read from the forms
    differs from the saved one); ``connectionChecked(ok, text)`` after 测试连接;
    ``fieldsLoaded(n_students, n_cards)`` / ``fieldsFailed(text)`` after reading the fields;
    ``keyStateChanged(stored)`` once the keyring said whether the shown profile has a key;
    ``keyringProblem(message)`` when the keyring is missing or locked."""

    changed = Signal()
    connectionChecked = Signal(bool, str)
    fieldsLoaded = Signal(int, int)
    fieldsFailed = Signal(str)
    keyStateChanged = Signal(bool)
    keyringProblem = Signal(str)

    def __init__(self, credentials: CredentialStore, opener: ConnectorOpener,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jiandaoyunEditor")
        self._credentials = credentials
        self._opener = opener
        self._shown: Profile | None = None  # the saved profile shown (None: a new one)
        self._gen = 0  # bumped for every profile shown: late answers are dropped
        self._busy: set[str] = set()  # "test", "fields"
        self._build()
        self.show_profile(None)

    # ---- construction ----------------------------------------------------------------------

    def _line(self, name: str, accessible: str, placeholder: str = "") -> QLineEdit:
        edit = named(QLineEdit(self), name, accessible)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self.changed)
        return edit

    def _button(self, text: str, name: str, accessible: str, slot: Callable[[], None]
                ) -> QPushButton:
        button = named(QPushButton(text, self), name, accessible)
        button.clicked.connect(slot)
        return button

    def _build(self) -> None:
        conn = QGroupBox(self.tr("简道云 connection"), self)
        conn.setObjectName("connectionBox")
        form = QFormLayout(conn)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = self._line("profileNameEdit", self.tr("Profile name"),
                                    self.tr("e.g. jdy-school"))
        self.name_edit.setMaxLength(64)
        self.base_url_edit = self._line("baseUrlEdit", self.tr("Base URL"), DEFAULT_BASE_URL)
        self.app_id_edit = self._line("appIdEdit", self.tr("App ID"),
                                      self.tr("From the form's URL or 开放平台 → API 调试"))
        self.students_entry_edit = self._line("studentsEntryEdit",
                                              self.tr("Students form entry ID"),
                                              self.tr("entry_id of the students form"))
        self.cards_entry_edit = self._line("cardsEntryEdit", self.tr("Cards form entry ID"),
                                           self.tr("entry_id of the cards form"))
        self.api_key_edit = self._line("apiKeyEdit", self.tr("API key"))
        self.api_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key_edit.setInputMethodHints(Qt.InputMethodHint.ImhHiddenText
                                              | Qt.InputMethodHint.ImhNoPredictiveText)
        for label, edit in (
            (self.tr("&Name:"), self.name_edit),
            (self.tr("Base &URL:"), self.base_url_edit),
            (self.tr("&App ID:"), self.app_id_edit),
            (self.tr("S&tudents form:"), self.students_entry_edit),
            (self.tr("Car&ds form:"), self.cards_entry_edit),
            (self.tr("API &key:"), self.api_key_edit),
        ):
            form.addRow(label, edit)

        self.timeout_spin = named(QSpinBox(self), "timeoutSpin",
                                  self.tr("Request timeout in seconds"))
        self.timeout_spin.setRange(1, 300)
        self.timeout_spin.setSuffix(self.tr(" s"))
        self.concurrency_spin = named(QSpinBox(self), "concurrencySpin",
                                      self.tr("Write requests in flight at once"))
        self.concurrency_spin.setRange(1, 20)
        for spin in (self.timeout_spin, self.concurrency_spin):
            spin.valueChanged.connect(self.changed)
        advanced = QHBoxLayout()
        for text, spin in ((self.tr("T&imeout:"), self.timeout_spin),
                           (self.tr("C&oncurrent writes:"), self.concurrency_spin)):
            caption = QLabel(text, self)
            caption.setBuddy(spin)
            advanced.addWidget(caption)
            advanced.addWidget(spin)
            advanced.addSpacing(16)
        advanced.addStretch(1)
        form.addRow(self.tr("Advanced:"), advanced)

        self.test_button = self._button(self.tr("&Test connection"), "testConnectionButton",
                                        self.tr("Test the connection with these settings"),
                                        self.test_connection)
        self.connection_icon = named(QLabel(self), "connectionIcon",
                                     self.tr("Connection test result icon"))
        self.connection_icon.setFixedSize(20, 20)
        self.connection_label = named(QLabel(self), "connectionResultLabel",
                                      self.tr("Connection test result"))
        self.connection_label.setWordWrap(True)
        self.connection_label.setTextFormat(Qt.TextFormat.RichText)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addWidget(self.connection_icon, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addWidget(self.connection_label, 1)
        form.addRow(test_row)

        fields = QGroupBox(self.tr("Field mapping"), self)
        fields.setObjectName("fieldMappingGroup")
        self.load_fields_button = self._button(
            self.tr("&Read fields from the forms"), "loadFieldsButton",
            self.tr("Read the fields of both forms from 简道云"), self.load_fields)
        self.fields_label = named(QLabel(self), "fieldsStatusLabel",
                                  self.tr("Field reading status"))
        self.fields_label.setWordWrap(True)
        self.mapping = FieldMappingBox(fields)
        self.mapping.changed.connect(self._on_mapping_changed)
        top = QHBoxLayout()
        top.addWidget(self.load_fields_button)
        top.addWidget(self.fields_label, 1)
        box = QVBoxLayout(fields)
        box.addLayout(top)
        box.addWidget(self.mapping)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(conn)
        layout.addWidget(fields)
        layout.addStretch(1)

    # ---- showing a profile -----------------------------------------------------------------

    def show_profile(self, profile: Profile | None) -> None:
        """Fill the form from ``profile`` (None: a new one, with the defaults)."""
        self._gen += 1
        self._shown = profile
        opts = profile.options if profile is not None else {}
        self.name_edit.setText(profile.name if profile is not None else "")
        self.name_edit.setReadOnly(profile is not None)  # the keyring entry is by name
        self.name_edit.setToolTip(self.tr("A saved profile keeps its name") if profile else "")
        self.base_url_edit.setText(str(opts.get("base_url") or DEFAULT_BASE_URL))
        self.app_id_edit.setText(str(opts.get("app_id", "")))
        self.students_entry_edit.setText(str(opts.get("students_entry", "")))
        self.cards_entry_edit.setText(str(opts.get("cards_entry", "")))
        self.api_key_edit.clear()
        self.api_key_edit.setPlaceholderText(self.tr("开放平台 → 密钥管理 → 创建 API KEY"))
        for spin, key, default in ((self.timeout_spin, "timeout_s", DEFAULT_TIMEOUT_S),
                                   (self.concurrency_spin, "concurrency", DEFAULT_CONCURRENCY)):
            value = opts.get(key, default)
            spin.blockSignals(True)
            spin.setValue(int(value) if isinstance(value, int | float) else default)
            spin.blockSignals(False)
        self.fields_label.setText(self.tr("Read the fields to choose them by their labels."))
        try:
            fm, saved = FieldMap.from_json(opts.get("fields")), "fields" in opts
        except CampusCardError as exc:
            fm, saved = FieldMap(), False
            self.fields_label.setText(exc.message)
        self.mapping.set_field_map(fm, saved=saved)
        self._set_connection_result(None, "")
        if profile is not None:
            self._ask_key_stored(profile.name)

    def _ask_key_stored(self, name: str) -> None:
        gen, credentials = self._gen, self._credentials

        def done(stored: bool) -> None:
            if gen == self._gen:
                if stored:
                    self.api_key_edit.setPlaceholderText(
                        self.tr("Saved (leave empty to keep it)"))
                self.keyStateChanged.emit(stored)

        def failed(exc: BaseException) -> None:
            if gen == self._gen:
                if isinstance(exc, CredentialError) and exc.code in (UNAVAILABLE, LOCKED):
                    self.keyringProblem.emit(exc.message)
                self.keyStateChanged.emit(False)

        run_in_thread(lambda: credentials.has(name), done, failed, parent=self)

    @Slot()
    def _on_mapping_changed(self) -> None:
        """A change only when the mapping differs from the saved one (reading the fields
        again and finding the same choices changes nothing)."""
        shown = self._shown
        if shown is None or self.mapping.field_map().to_json() != shown.options.get("fields"):
            self.changed.emit()

    # ---- reading the form ------------------------------------------------------------------

    def is_new(self) -> bool:
        return self._shown is None

    def form_profile(self) -> Profile:
        """The profile as the form says (not saved). The key is not part of it; options the
        form does not show are kept."""
        base = self._shown
        options: dict[str, Any] = dict(base.options) if base is not None else {}
        options.update(
            base_url=self.base_url_edit.text().strip().rstrip("/") or DEFAULT_BASE_URL,
            app_id=self.app_id_edit.text().strip(),
            students_entry=self.students_entry_edit.text().strip(),
            cards_entry=self.cards_entry_edit.text().strip(),
            timeout_s=self.timeout_spin.value(),
            concurrency=self.concurrency_spin.value(),
            fields=self.mapping.field_map().to_json(),
        )
        name = base.name if base is not None else self.name_edit.text().strip()
        return Profile(name, JIANDAOYUN, options)

    def typed_key(self) -> str | None:
        return self.api_key_edit.text().strip() or None

    def problems(self, *, taken: Collection[str] = (), for_save: bool = False) -> list[str]:
        """What keeps the form from being tested (or, ``for_save``, saved): empty when fine.
        ``taken``: the names of the existing profiles."""
        p = self.form_profile()
        out = []
        if for_save and self._shown is None:
            if not p.name:
                out.append(self.tr("Enter a name for the profile."))
            elif p.name in taken:
                out.append(self.tr("A profile named “%1” exists already.").replace("%1", p.name))
            elif not NAME_RE.match(p.name) or p.name == LOCAL_PROFILE:
                out.append(self.tr("A profile name may hold letters, digits, “-”, “_” and "
                                   "“.” (at most 64), and cannot be “local”."))
        url = str(p.options["base_url"])
        parts = urlsplit(url)
        kept = self._shown is not None and self._shown.options.get("base_url") == url
        if parts.scheme not in ("http", "https") or not parts.hostname:
            out.append(self.tr("The base URL must start with https://."))
        elif parts.scheme == "http" and parts.hostname not in LOOPBACK and not kept:
            out.append(self.tr("The base URL is not encrypted (http://): the key would travel "
                               "in clear text. Use https://, or campuscard-cli profiles add "
                               "--allow-http for a private deployment."))
        if not p.options["app_id"]:
            out.append(self.tr("Enter the app ID."))
        if not p.options["students_entry"] or not p.options["cards_entry"]:
            out.append(self.tr("Enter the entry IDs of both forms."))
        if self.typed_key() is None and self._shown is None:
            out.append(self.tr("Enter the API key."))
        if for_save and self.mapping.has_fields() and self.mapping.missing():
            out.append(self.tr("Choose a field for: %1")
                       .replace("%1", "、".join(self.mapping.missing())))
        return out

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
        profile, key, opener, gen = self.form_profile(), self.typed_key(), self._opener, self._gen
        self._set_connection_result(None, self.tr("Testing the connection…"))
        self._set_busy("test", True)

        def done(_result: object) -> None:
            self._set_busy("test", False)
            if gen == self._gen:
                text = self.tr("Connected: the app, both forms and the mapped fields were "
                               "found.")
                self._set_connection_result(True, text)
                self.connectionChecked.emit(True, text)

        def failed(exc: BaseException) -> None:
            self._set_busy("test", False)
            if gen == self._gen:
                heading, detail = self._describe_failure(exc)
                self._set_connection_result(False, heading, detail)
                self.connectionChecked.emit(False, self._joined(heading, detail))

        run_in_thread(lambda: _check(opener, profile, key), done, failed, parent=self)

    def _joined(self, heading: str, detail: str) -> str:
        return self.tr("%1: %2").replace("%1", heading).replace("%2", detail)

    def _describe_failure(self, exc: BaseException) -> tuple[str, str]:
        """(what failed, the backend's explanation): by the error's code, never its text."""
        code = getattr(exc, "code", "")
        if isinstance(exc, CredentialError) and code in (UNAVAILABLE, LOCKED):
            self.keyringProblem.emit(exc.message)
        what = {
            "network": self.tr("The server cannot be reached"),
            "auth": self.tr("The API key was rejected"),
            "permission": self.tr("The API key may not use this app or form"),
            "app": self.tr("The app ID is wrong"),
            "form": self.tr("A form (entry) ID is wrong"),
            "field": self.tr("A mapped field is missing"),
            UNAVAILABLE: self.tr("No usable keyring"),
            LOCKED: self.tr("The keyring is locked"),
            MISSING: self.tr("No API key stored"),
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
        self.connection_label.setToolTip(self._joined(text, detail) if detail else text)

    @Slot()
    def load_fields(self) -> None:
        problems = self.problems()
        if problems:
            self.fields_label.setText(" ".join(problems))
            self.fieldsFailed.emit(" ".join(problems))
            return
        profile, key, opener, gen = self.form_profile(), self.typed_key(), self._opener, self._gen
        self.fields_label.setText(self.tr("Reading the fields…"))
        self._set_busy("fields", True)

        def done(result: tuple[list[FieldLike], list[FieldLike]]) -> None:
            self._set_busy("fields", False)
            if gen != self._gen:
                return
            students, cards = result
            self.mapping.set_fields(students, cards)
            self.fields_label.setText(
                self.tr("Read %1 fields of the students form and %2 of the cards form; "
                        "check the choices.")
                .replace("%1", str(len(students))).replace("%2", str(len(cards))))
            self.fieldsLoaded.emit(len(students), len(cards))

        def failed(exc: BaseException) -> None:
            self._set_busy("fields", False)
            if gen == self._gen:
                text = self._joined(*self._describe_failure(exc))
                self.fields_label.setText(text)
                self.fieldsFailed.emit(text)

        run_in_thread(lambda: _read_fields(opener, profile, key), done, failed, parent=self)
