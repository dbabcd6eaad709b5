"""The form the profile dialog's editors of the remote kinds (简道云, kintone, 神笔, iPaaS)
share: the profile's name and address, the secrets, the tunables, the 测试连接 row, the field
mapping, and the checks before testing or saving. A kind's editor adds its own connection rows
and texts; what the two buttons do is ``ProfileEditor``'s.

The field mapping comes in three kinds (``FIELDS``): read from the backend and chosen by label
(简道云, kintone), typed by key where the backend has no public field list (神笔), or none at
all where the profile reads through another profile (iPaaS).

Secrets are typed into password fields and never read back into them: a stored secret shows
as the placeholder "已保存（留空则不修改）"; a field left empty keeps the stored secret.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...backends import field_forms, secret_keys
from ...backends.factory import options_class
from ...config.credentials import LOCKED, UNAVAILABLE, CredentialError, CredentialStore
from ...config.fieldmap import FieldMap
from ...config.options import Number, Text, numbers, texts
from ...config.settings import LOCAL_PROFILE, Profile, option_defaults
from ...core.errors import CampusCardError
from ..workers import run_in_thread
from .editor_parts import (
    NONE,
    READ,
    TYPED,
    EditorTexts,
    named,
    number_spin,
    show_number,
    show_text,
    spin_number,
    text_input,
    text_value,
)
from .field_mapping import FieldMappingBox

NAME_RE = re.compile(r"^[\w.-]{1,64}$")  # as campuscard-cli profiles add accepts
LOOPBACK = ("127.0.0.1", "localhost", "::1")

class ProfileForm(QWidget):
    """The base of the remote kinds' editors: the form, without what its buttons do.

    ``changed`` when the operator edits anything (or the mapping read from the backend differs
    from the saved one); ``keyStateChanged(stored)`` once the keyring said whether the shown
    profile's secrets are all there; ``keyringProblem(message)`` when the keyring is missing or
    locked.

    A kind's editor sets ``KIND``, ``NAME_EXAMPLE`` and ``DEFAULT_BASE_URL`` (and
    ``URL_KEY``, ``FIELDS`` where they differ) and implements the hooks at the end of this
    class. The numeric options' spin boxes (timeout, concurrency, a kind's own) take range,
    decimals and a new profile's value from the connector's options class, where each option
    is declared once (``config.options``); so do the text options' rows (``text_inputs``):
    label, hint, choices, shown and required when — shown, read back stripped and checked
    here, each under the URL (``_add_connection_rows``) unless the editor places it under
    “Advanced” (``ADVANCED_TEXTS``) or builds its own field (``OWN_TEXT_ROWS``).
    """

    changed = Signal()
    keyStateChanged = Signal(bool)
    keyringProblem = Signal(str)

    KIND = ""
    NAME_EXAMPLE = ""  # the name field's placeholder
    DEFAULT_BASE_URL = ""
    URL_KEY = "base_url"  # the option the address row holds
    FIELDS = READ  # the field mapping: READ, TYPED or NONE (see the module doc)
    # declared text options whose field the editor builds, shows, reads and checks itself
    OWN_TEXT_ROWS: tuple[str, ...] = ()
    # declared text options shown in one row under “Advanced” rather than under the URL
    ADVANCED_TEXTS: tuple[str, ...] = ()

    def __init__(self, credentials: CredentialStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{self.KIND}Editor")
        self._credentials = credentials
        self._shown: Profile | None = None  # the saved profile shown (None: a new one)
        self._gen = 0  # bumped for every profile shown: late answers are dropped
        self.secret_edits: dict[str, QLineEdit] = {}  # key name in the keyring -> its field
        self.texts = self._texts()
        cls = options_class(self.KIND)
        self.numbers: dict[str, Number] = {} if cls is None else numbers(cls)
        self.number_spins: dict[str, QSpinBox | QDoubleSpinBox] = {}
        self.text_options: dict[str, Text] = {} if cls is None else texts(cls)
        self.text_inputs: dict[str, QLineEdit | QComboBox] = {}
        self._build()
        self.show_profile(None)

    # ---- construction ----------------------------------------------------------------------

    def _line(self, name: str, accessible: str, placeholder: str = "") -> QLineEdit:
        edit = named(QLineEdit(self), name, accessible)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self.changed)
        return edit

    def _secret(self, key: str, name: str, accessible: str) -> QLineEdit:
        """A masked field for the keyring entry ``key``: never filled, never shown back."""
        edit = self._line(name, accessible)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setInputMethodHints(Qt.InputMethodHint.ImhHiddenText
                                 | Qt.InputMethodHint.ImhNoPredictiveText
                                 | Qt.InputMethodHint.ImhSensitiveData)
        self.secret_edits[key] = edit
        return edit

    def _button(self, text: str, name: str, accessible: str) -> QPushButton:
        return named(QPushButton(text, self), name, accessible)

    def _spin(self, key: str, name: str, accessible: str) -> QSpinBox | QDoubleSpinBox:
        """The spin box of the numeric option ``key``, shown and saved with the others."""
        spin = number_spin(self, self.numbers[key], name, accessible)
        if self.numbers[key].unit == "s":
            spin.setSuffix(self.tr(" s"))
        spin.valueChanged.connect(self.changed)
        self.number_spins[key] = spin
        return spin

    def _text_input(self, key: str) -> QLineEdit | QComboBox:
        """The field of the declared text option ``key`` (``editor_parts.text_input``), shown,
        read and checked with the others; also the editor's ``<key>_edit`` or ``<key>_combo``."""
        widget = text_input(self, self.text_options[key])
        if isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(self._on_text_chosen)
            setattr(self, f"{key}_combo", widget)
        else:
            widget.textEdited.connect(self.changed)
            setattr(self, f"{key}_edit", widget)
        self.text_inputs[key] = widget
        return widget

    def _add_text_rows(self, form: QFormLayout, *keys: str) -> None:
        """A row (its declared label) for each of ``keys``: by default every declared text
        option not under “Advanced” nor the editor's own."""
        for key in keys or [k for k in self.text_inputs if k not in self.ADVANCED_TEXTS]:
            form.addRow(self.text_options[key].row_label(), self.text_inputs[key])

    @Slot()
    def _on_text_chosen(self) -> None:
        self._show_text_rows()
        self.changed.emit()

    def _show_text_rows(self) -> None:
        """Each text option's row shown only where its ``when`` holds."""
        options = {key: text_value(w) for key, w in self.text_inputs.items()}
        for key, widget in self.text_inputs.items():
            spec = self.text_options[key]
            if spec.when is not None and self.connection_form.indexOf(widget) >= 0:
                self.connection_form.setRowVisible(widget, spec.applies(options))

    def _build(self) -> None:
        texts = self.texts
        conn = QGroupBox(texts.connection_title, self)
        conn.setObjectName("connectionBox")
        form = QFormLayout(conn)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.connection_form = form
        self.name_edit = self._line("profileNameEdit", self.tr("Profile name"),
                                    self.tr("e.g. %1").replace("%1", self.NAME_EXAMPLE))
        self.name_edit.setMaxLength(64)
        url_name = self._url_name()
        self.base_url_edit = self._line("baseUrlEdit", url_name[:1].upper() + url_name[1:],
                                        self._base_url_placeholder())
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(texts.url_label or self.tr("Base &URL:"), self.base_url_edit)
        for key in self.text_options:
            if key not in self.OWN_TEXT_ROWS:
                self._text_input(key)
        self._add_connection_rows(form)

        self.timeout_spin = self._spin("timeout_s", "timeoutSpin",
                                       self.tr("Request timeout in seconds"))
        self.concurrency_spin = self._spin("concurrency", "concurrencySpin",
                                           texts.concurrency_accessible)
        advanced = QHBoxLayout()
        for text, spin in ((self.tr("T&imeout:"), self.timeout_spin),
                           (texts.concurrency_label, self.concurrency_spin)):
            caption = QLabel(text, self)
            caption.setBuddy(spin)
            advanced.addWidget(caption)
            advanced.addWidget(spin)
            advanced.addSpacing(16)
        advanced.addStretch(1)
        form.addRow(self.tr("Advanced:"), advanced)
        self._add_advanced_rows(form)

        self.test_button = self._button(self.tr("&Test connection"), "testConnectionButton",
                                        self.tr("Test the connection with these settings"))
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
        self.load_fields_button = self._button(  # hidden unless FIELDS == READ
            texts.read_fields or self.tr("&Read fields"), "loadFieldsButton",
            texts.read_fields_accessible or self.tr("Read the fields from the backend"))
        self.fields_label = named(QLabel(self), "fieldsStatusLabel",
                                  self.tr("Field reading status"))
        self.fields_label.setWordWrap(True)
        self.mapping = FieldMappingBox(fields, forms=texts.forms, typed=self.FIELDS == TYPED)
        self.mapping.changed.connect(self._on_mapping_changed)
        self.load_fields_button.setVisible(self.FIELDS == READ)
        fields.setVisible(self.FIELDS != NONE)
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
        # what the profile leaves out is the connector's default
        opts = {**self._option_defaults(), **(profile.options if profile is not None else {})}
        self.name_edit.setText(profile.name if profile is not None else "")
        self.name_edit.setReadOnly(profile is not None)  # the keyring entry is by name
        self.name_edit.setToolTip(self.tr("A saved profile keeps its name") if profile else "")
        self.base_url_edit.setText(str(opts.get(self.URL_KEY) or self.DEFAULT_BASE_URL))
        for key, widget in self.text_inputs.items():
            show_text(widget, opts.get(key))
        self._show_options(opts)
        self._show_text_rows()
        for key, edit in self.secret_edits.items():
            edit.clear()
            edit.setPlaceholderText(self._secret_hint(key))
        for key, spin in self.number_spins.items():
            show_number(spin, self.numbers[key], opts.get(key))
        self.fields_label.setText(self.texts.fields_hint
                                  or self.tr("Read the fields to choose them by their labels."))
        try:
            fm, saved = FieldMap.from_json(opts.get("fields")), "fields" in opts
        except CampusCardError as exc:
            fm, saved = FieldMap(), False
            self.fields_label.setText(exc.message)
        self.mapping.set_field_map(fm, saved=saved)
        if profile is not None:
            self._ask_secrets_stored(profile)

    def _ask_secrets_stored(self, profile: Profile) -> None:
        """Which of the secrets the form can take are stored (all of them, so that switching
        a kintone profile's sign-in shows the truth too)."""
        gen, credentials, keys = self._gen, self._credentials, list(self.secret_edits)
        needed = set(secret_keys(profile.kind, profile.options))

        def done(stored: set[str]) -> None:
            if gen == self._gen:
                for key in stored:
                    self.secret_edits[key].setPlaceholderText(
                        self.tr("Saved (leave empty to keep it)"))
                self.keyStateChanged.emit(needed <= stored)

        def failed(exc: BaseException) -> None:
            if gen == self._gen:
                if isinstance(exc, CredentialError) and exc.code in (UNAVAILABLE, LOCKED):
                    self.keyringProblem.emit(exc.message)
                self.keyStateChanged.emit(False)

        run_in_thread(lambda: {k for k in keys if credentials.has(profile.name, k)},
                      done, failed, parent=self)

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
        """The profile as the form says (not saved). The secrets are not part of it; options
        the form does not show are kept."""
        base = self._shown
        options: dict[str, Any] = dict(base.options) if base is not None else {}
        options[self.URL_KEY] = (self.base_url_edit.text().strip().rstrip("/")
                                 or self.DEFAULT_BASE_URL)
        options.update({key: text_value(w) for key, w in self.text_inputs.items()})
        options.update(self._form_options())
        options.update({key: spin_number(spin) for key, spin in self.number_spins.items()})
        if self.FIELDS != NONE:
            options["fields"] = self.mapping.field_map().to_json()
        name = base.name if base is not None else self.name_edit.text().strip()
        return Profile(name, self.KIND, options)

    def needed_secrets(self) -> tuple[str, ...]:
        """The keyring entries the profile as the form says needs."""
        p = self.form_profile()
        return secret_keys(p.kind, p.options)

    def typed_secrets(self) -> dict[str, str]:
        """The secrets typed for the profile as the form says (the others stay as stored)."""
        typed = {key: self.secret_edits[key].text().strip() for key in self.needed_secrets()}
        return {key: value for key, value in typed.items() if value}

    def untyped_secrets_text(self) -> str:
        """“Enter the …: none is stored” for the needed secrets left empty (save found one
        missing from the keyring)."""
        typed = self.typed_secrets()
        names = [self._secret_name(k) for k in self.needed_secrets() if k not in typed]
        return self.tr("Enter the %1: none is stored for this profile.").replace(
            "%1", self.tr(", ").join(names))

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
        url = str(p.options[self.URL_KEY])
        parts = urlsplit(url)
        kept = self._shown is not None and self._shown.options.get(self.URL_KEY) == url
        url_name = self._url_name()
        if not url:
            out.append(self.tr("Enter the %1.").replace("%1", url_name))
        elif parts.scheme not in ("http", "https") or not parts.hostname:
            out.append(self.tr("The %1 must start with https://.").replace("%1", url_name))
        elif parts.scheme == "http" and parts.hostname not in LOOPBACK and not kept:
            out.append(self.tr("The %1 is not encrypted (http://): the key would travel in "
                               "clear text. Use https://, or campuscard-cli profiles add "
                               "--allow-http for a private deployment.").replace("%1", url_name))
        out += [self.text_options[key].missing() for key in self.text_inputs
                if self.text_options[key].required and self.text_options[key].applies(p.options)
                and not p.options[key]]
        out += self._option_problems(p.options)
        # A secret the saved profile did not need (a new profile; kintone switched from API
        # tokens to a password) is not in the keyring: it must be typed.
        had = set(secret_keys(self._shown.kind, self._shown.options)) if self._shown else set()
        typed = self.typed_secrets()
        missing = [self._secret_name(k) for k in self.needed_secrets()
                   if k not in typed and k not in had]
        if missing:
            out.append(self.tr("Enter the %1.").replace("%1", self.tr(", ").join(missing)))
        # typed field keys are checked before a test too: an empty one would test the default
        if (for_save or self.FIELDS == TYPED) and self.FIELDS != NONE \
                and self.mapping.has_fields() and self.mapping.missing():
            out.append(self.tr("Choose a field for: %1")
                       .replace("%1", "、".join(self.mapping.missing())))
        return out

    def _url_name(self) -> str:
        return self.texts.url_name or self.tr("base URL")

    def set_profiles(self, profiles: Mapping[str, Profile]) -> None:
        """The saved profiles, whenever the dialog (re)reads them (for a kind that refers to
        another profile; nothing by default)."""

    # ---- what a kind's editor provides -----------------------------------------------------

    def _texts(self) -> EditorTexts:
        raise NotImplementedError

    def _base_url_placeholder(self) -> str:
        return self.DEFAULT_BASE_URL

    def _option_defaults(self) -> Mapping[str, Any]:
        """The connector's defaults for the options a profile leaves out (``option_defaults``
        of its options class); shown for a new profile."""
        cls = options_class(self.KIND)
        return {} if cls is None else option_defaults(cls)

    def _add_advanced_rows(self, form: QFormLayout) -> None:
        """Rows of the kind's own under “Advanced”: by default the ``ADVANCED_TEXTS`` in one
        row, each with its declared label, its hint as the tooltip."""
        if not self.ADVANCED_TEXTS:
            return
        row = QHBoxLayout()
        for key in self.ADVANCED_TEXTS:
            spec, widget = self.text_options[key], self.text_inputs[key]
            widget.setToolTip(str(spec.hint))
            caption = QLabel(spec.row_label(), self)
            caption.setBuddy(widget)
            row.addWidget(caption)
            row.addWidget(widget, 1)
            row.addSpacing(16)
        form.addRow("", row)

    def _add_connection_rows(self, form: QFormLayout) -> None:
        """Add the kind's rows under the URL: by default a row for each declared text option
        (``_add_text_rows``); an editor adds its secrets (``_secret``) and what else it has."""
        self._add_text_rows(form)

    def _show_options(self, options: Mapping[str, Any]) -> None:
        """Fill the kind's own rows from a profile's options (empty: a new profile); the
        declared text options are shown already."""

    def _form_options(self) -> dict[str, Any]:
        """The kind's own options as the form says (the declared text options are read
        already)."""
        return {}

    def _option_problems(self, options: Mapping[str, Any]) -> list[str]:
        """What else is wrong with the kind's options (the URL's scheme and the declared text
        options left empty are checked already)."""
        return []

    def _forms(self, options: Mapping[str, Any]) -> tuple[str, str]:
        """The ids of the students and the cards form (app) to read the fields of (by default
        the options the kind's ``BackendSpec.forms`` names)."""
        forms = field_forms(self.KIND, options)
        if forms is None:
            raise NotImplementedError(f"{self.KIND} lists no fields")
        return forms

    def _secret_name(self, key: str) -> str:
        """What the operator calls the keyring entry ``key`` ("API key" …)."""
        raise NotImplementedError

    def _secret_hint(self, key: str) -> str:
        """The placeholder of an empty secret field: where to find the secret."""
        raise NotImplementedError
