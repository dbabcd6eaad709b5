"""Profiles and credentials (design.md §7): list, create, edit and delete backend profiles.

The left side lists the profiles (``local`` is built in and cannot be removed); the right side
shows the editor of the selected profile's kind (``JiandaoyunEditor`` for 简道云,
``KintoneEditor`` for kintone, ``ShenbiEditor`` for 神笔, ``IpaasEditor`` for an iPaaS 集成流
that reads through a saved 神笔 profile: connection, secrets, 测试连接, field mapping). 新建
starts a profile of the kind chosen above the editor.

保存 first runs the check 测试连接 runs (the connection, the secrets and the mapped fields, off
the GUI thread); when it fails, the reason is shown and the operator is asked whether to save
anyway (the default: not). It then writes the secrets to the OS keyring first and only then
the profile (``save_with_secrets``): when the keyring is missing or locked, its message is
shown and nothing is saved. Saving and deleting run off the GUI thread (the keyring may block
while it asks to be unlocked). Unsaved changes pin the editor (the list is disabled until 保存
or 还原), so nothing typed is lost and no question pops up.

Closing (Escape, 关闭, the window's close button) with typed changes asks first: 保存 (then
close once saved), 放弃更改 (close) or 取消 (the default, and what Escape answers: stay, with
the text kept). ``closeConfirmRequested(box)`` tells when that question opened.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...backends import specs
from ...backends.profile_secrets import save_with_secrets
from ...config.credentials import LOCKED, MISSING, UNAVAILABLE, CredentialError, CredentialStore
from ...config.paths import Paths
from ...config.settings import LOCAL_PROFILE, ConfigStore, Profile
from ...core.errors import CampusCardError
from ..labels import kind_label
from ..screen_fit import fitting_size
from ..workers import error_message, run_in_thread
from .editor_parts import named
from .profile_editor import ConnectorOpener, ProfileEditor, default_opener

_WARNING_STYLE = ("QLabel { background: #fdecea; color: #611a15; border-radius: 3px;"
                  " padding: 6px; }")


def _editor_class(path: str) -> type[ProfileEditor] | None:
    """The editor a backend names ("package.module:Class"), or None when it has none."""
    if not path:
        return None
    module, _, name = path.partition(":")
    editor = getattr(importlib.import_module(module), name)
    if not (isinstance(editor, type) and issubclass(editor, ProfileEditor)):
        raise TypeError(f"{path} is not a profile editor")
    return editor


class ProfileDialog(QDialog):
    """``profileSaved(name)`` / ``profileDeleted(name)`` after the files and the keyring
    changed; ``saveFailed(text)`` when saving was refused (nothing was written);
    ``saveAnywayRequested(box)`` when the check before saving failed and the question whether
    to save anyway opened;
    ``deleteConfirmRequested(box)`` when the delete confirmation opened. The editor's own
    signals (``editor.connectionChecked`` …) tell about 测试连接 and field discovery."""

    profileSaved = Signal(str)
    profileDeleted = Signal(str)
    saveFailed = Signal(str)
    saveAnywayRequested = Signal(object)  # the QMessageBox just opened (window-modal)
    deleteConfirmRequested = Signal(object)  # the QMessageBox just opened (window-modal)
    closeConfirmRequested = Signal(object)  # the QMessageBox just opened (window-modal)

    def __init__(
        self,
        config_store: ConfigStore,
        credentials: CredentialStore,
        paths: Paths,
        parent: QWidget | None = None,
        *,
        current: str | None = None,
        keyring_problem: str | None = None,
        opener: ConnectorOpener | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("profileDialog")
        self.setWindowTitle(self.tr("Profiles"))
        self.setAccessibleName(self.windowTitle())
        self._config = config_store
        self._credentials = credentials
        self._profiles: dict[str, Profile] = {}
        self._shown: Profile | None = None  # the saved profile shown (None: a new one)
        self._dirty = False
        self._edited = False  # typed into the editor since it was last shown
        self._close_after_save = False  # 保存 answered to the question on closing
        self._close_box: QMessageBox | None = None
        self._writing: str | None = None  # "save" or "delete" while the keyring is busy
        opener = opener or default_opener(paths, credentials)
        # one editor per registered backend that has one (``BackendSpec.editor``)
        self.editors: dict[str, ProfileEditor] = {}
        for spec in specs():
            editor_class = _editor_class(spec.editor)
            if editor_class is not None:
                self.editors[spec.kind] = editor_class(credentials, opener, self)
        self._new_kind = next(iter(self.editors))  # what 新建 starts with
        self.editor: ProfileEditor = self.editors[self._new_kind]  # the one shown (or last)
        self._build()
        for editor in self.editors.values():
            editor.changed.connect(self._mark_dirty)
            editor.keyringProblem.connect(self.set_keyring_problem)
        self.set_keyring_problem(keyring_problem)
        self._reload_list(current)

    # ---- construction ----------------------------------------------------------------------

    def _button(self, text: str, name: str, accessible: str, slot: Callable[[], None]
                ) -> QPushButton:
        button = named(QPushButton(text, self), name, accessible)
        button.clicked.connect(slot)
        return button

    def _info(self, name: str, accessible: str, text: str = "") -> QLabel:
        label = named(QLabel(text, self), name, accessible)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop)
        return label

    def _build(self) -> None:
        self.keyring_warning = self._info("keyringWarningLabel", self.tr("Keyring problem"))
        self.keyring_warning.setStyleSheet(_WARNING_STYLE)

        self.profile_list = named(QListWidget(self), "profileList", self.tr("Profiles"))
        self.profile_list.setMinimumWidth(150)
        self.profile_list.setMaximumWidth(230)
        self.profile_list.currentItemChanged.connect(self._on_current_changed)
        self.new_button = self._button(self.tr("&New"), "newProfileButton",
                                       self.tr("New profile"), self.new_profile)
        self.delete_button = self._button(self.tr("&Delete"), "deleteProfileButton",
                                          self.tr("Delete the selected profile"),
                                          self.delete_profile)
        left = QVBoxLayout()
        left.addWidget(self.profile_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        left.addLayout(row)

        self.local_page = self._info("localProfileInfo", self.tr("About the local profile"),
                                     self.tr("The built-in local profile keeps the students "
                                             "and cards in a database on this computer. It "
                                             "has nothing to configure and cannot be removed."))
        self.other_page = self._info("otherProfileInfo", self.tr("About this profile"))
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("profilePages")
        for page in (self.local_page, *self.editors.values(), self.other_page):
            self.pages.addWidget(page)
        self.kind_combo = named(QComboBox(self), "profileKindCombo", self.tr("Backend kind"))
        for kind, label in self._kind_labels().items():
            if kind in self.editors:
                self.kind_combo.addItem(label, kind)
        self.kind_combo.setToolTip(self.tr("The kind of a new profile; a saved profile keeps "
                                           "its kind"))
        self.kind_combo.currentIndexChanged.connect(self._on_kind_chosen)
        self.kind_label = QLabel(self.tr("&Kind:"), self)
        self.kind_label.setBuddy(self.kind_combo)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind_label)
        kind_row.addWidget(self.kind_combo)
        kind_row.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(kind_row)
        # the editor scrolls when the screen is shorter than the form (1280×720 and below)
        self.pages_scroll = QScrollArea(self)
        self.pages_scroll.setObjectName("profilePagesScroll")
        self.pages_scroll.setWidgetResizable(True)
        self.pages_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.pages_scroll.setWidget(self.pages)
        right.addWidget(self.pages_scroll, 1)

        self.status_label = self._info("profileStatusLabel", self.tr("Profile status"))
        buttons = QDialogButtonBox(self)
        self.save_button = self._button(self.tr("&Save"), "saveProfileButton",
                                        self.tr("Save the profile and its secrets"), self.save)
        self.revert_button = self._button(self.tr("&Revert"), "revertProfileButton",
                                          self.tr("Discard the changes"), self.revert)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.revert_button, QDialogButtonBox.ButtonRole.ResetRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        named(close, "closeProfilesButton", self.tr("Close"))
        close.clicked.connect(self.reject)

        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.keyring_warning)
        layout.addLayout(body, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.resize(fitting_size(self, 1080, 800))

    # ---- the list --------------------------------------------------------------------------

    @Slot(str)
    def set_keyring_problem(self, message: str | None) -> None:
        """Show (or hide) why the keyring cannot be used; remote profiles need it."""
        self.keyring_warning.setText(message or "")
        self.keyring_warning.setVisible(bool(message))

    def _reload_list(self, select: str | None = None) -> None:
        try:
            self._profiles = self._config.load_profiles()
        except CampusCardError as exc:
            self._profiles = {LOCAL_PROFILE: Profile(LOCAL_PROFILE)}
            self._set_status(exc.message, error=True)
        for editor in self.editors.values():
            editor.set_profiles(self._profiles)
        kinds = self._kind_labels()
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for name in sorted(self._profiles, key=lambda n: (n != LOCAL_PROFILE, n)):
            kind = self._profiles[name].kind
            item = QListWidgetItem(f"{name} · {kinds.get(kind, kind)}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.profile_list.addItem(item)
        self.profile_list.blockSignals(False)
        names = self.profile_names()
        wanted = select if select is not None and select in names else LOCAL_PROFILE
        self.profile_list.setCurrentRow(names.index(wanted))
        self._show(self._profiles[wanted])

    def _kind_labels(self) -> dict[str, str]:
        """Every registered kind's name (``labels.kind_label``: the window's one name for
        it, in the window's language), in the registry's order."""
        return {spec.kind: kind_label(spec.kind) for spec in specs()}

    def profile_names(self) -> list[str]:
        return [self.profile_list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.profile_list.count())]

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current_changed(self, current: QListWidgetItem | None,
                            _previous: QListWidgetItem | None) -> None:
        profile = self._profiles.get(current.data(Qt.ItemDataRole.UserRole)) \
            if current is not None else None
        if profile is not None:
            self._show(profile)

    def _show(self, profile: Profile | None, kind: str = "") -> None:
        """Show ``profile`` (None: a new profile of ``kind``), unmodified."""
        self._shown = profile
        self._set_status("")
        if profile is not None:
            kind = profile.kind
        kind = kind or self._new_kind
        editor = self.editors.get(kind)
        if kind == "local":
            self.pages.setCurrentWidget(self.local_page)
        elif editor is None:
            self.other_page.setText(self.tr(
                "Profiles of the kind “%1” are edited with campuscard-cli profiles.")
                .replace("%1", kind))
            self.pages.setCurrentWidget(self.other_page)
        else:
            self.editor = editor
            editor.show_profile(profile)
            self.pages.setCurrentWidget(editor)
            self.kind_combo.blockSignals(True)
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
            self.kind_combo.blockSignals(False)
        for widget in (self.kind_label, self.kind_combo):
            widget.setVisible(editor is not None)
        self._dirty = profile is None
        self._edited = False
        self._update_buttons()

    @Slot()
    def _on_kind_chosen(self) -> None:
        """Another kind for the new profile: its editor, with the name typed so far."""
        if self._shown is not None:
            return
        name = self.editor.name_edit.text()
        self._show(None, str(self.kind_combo.currentData()))
        self.editor.name_edit.setText(name)

    # ---- new, revert, save, delete ---------------------------------------------------------

    @Slot()
    def new_profile(self) -> None:
        """A new profile of the kind chosen in the kind box (简道云 unless changed)."""
        self._show(None, str(self.kind_combo.currentData() or self._new_kind))
        self.editor.name_edit.setFocus()

    @Slot()
    def revert(self) -> None:
        item = self.profile_list.currentItem()
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else LOCAL_PROFILE
        self._show(self._profiles.get(name, self._profiles[LOCAL_PROFILE]))

    @Slot()
    def save(self) -> None:
        """Check, then write. 测试连接's check (the connection, the secrets, the mapped fields)
        runs first, off the GUI thread; when it fails the operator is asked whether to save
        anyway (``saveAnywayRequested``; the default is not to). A local profile is not
        checked."""
        editor = self.editor
        if self.pages.currentWidget() is not editor or self._writing:
            return
        problems = editor.problems(taken=self._profiles, for_save=True)
        if problems:
            self._fail_save(" ".join(problems))
            return
        profile, typed = editor.form_profile(), editor.typed_secrets()
        no_secret = editor.untyped_secrets_text()
        if profile.kind == "local":
            self._write(profile, typed, no_secret)
            return

        def checked(exc: BaseException | None, heading: str, detail: str) -> None:
            if exc is None:
                self._write(profile, typed, no_secret)
            elif isinstance(exc, CredentialError) and exc.code in (UNAVAILABLE, LOCKED):
                self._write_failed(exc, no_secret)  # saving needs the keyring just the same
            else:
                self._ask_save_anyway(profile, typed, no_secret, heading, detail)

        self._set_status(self.tr("Checking the connection and the mapped fields before "
                                 "saving…"))
        self._set_writing("check")
        editor.check_profile(profile, typed, checked)

    def _ask_save_anyway(self, profile: Profile, typed: dict[str, str], no_secret: str,
                         heading: str, detail: str) -> None:
        """The check before saving failed: say why and ask (window-modal) whether to save all
        the same; nothing is written unless the operator says so."""
        question = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        box = QMessageBox(QMessageBox.Icon.Warning, self.windowTitle(), self.tr(
            "The check before saving failed: %1").replace("%1", heading), question, self)
        box.setObjectName("saveAnywayConfirm")
        box.setInformativeText(detail + "\n\n" + self.tr(
            "Save “%1” anyway? Until this is fixed, jobs with this profile may fail, or write "
            "cards without their student or status.").replace("%1", profile.name))
        yes = box.button(QMessageBox.StandardButton.Yes)
        no = box.button(QMessageBox.StandardButton.No)
        yes.setText(self.tr("Save &anyway"))
        yes.setObjectName("saveAnywayButton")
        no.setText(self.tr("&Don't save"))
        no.setObjectName("dontSaveButton")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(no)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        reason = self.editor.joined(heading, detail)

        def answered(_result: int) -> None:
            clicked = box.clickedButton()
            if clicked is not None and \
                    box.standardButton(clicked) == QMessageBox.StandardButton.Yes:
                self._write(profile, typed, no_secret)
            else:
                self._set_writing(None)
                self._fail_save(self.tr("Not saved. %1").replace("%1", reason))

        box.finished.connect(answered)
        self._set_status(self.tr("The check before saving failed: %1").replace("%1", reason),
                         error=True)
        box.open()
        self.saveAnywayRequested.emit(box)

    def _write(self, profile: Profile, typed: dict[str, str], no_secret: str) -> None:
        """Save ``profile`` and the ``typed`` secrets (keyring first) off the GUI thread."""
        config, credentials = self._config, self._credentials

        def work() -> None:
            save_with_secrets(config, credentials, profile, typed)

        def done(_result: object) -> None:
            self._set_writing(None)
            self._dirty = False
            self._reload_list(profile.name)
            self._set_status(self.tr("Saved “%1”.").replace("%1", profile.name))
            self.profileSaved.emit(profile.name)
            if self._close_after_save:
                self._close_after_save = False
                super(ProfileDialog, self).reject()

        self._set_status(self.tr("Saving…"))
        self._set_writing("save")
        run_in_thread(work, done, lambda exc: self._write_failed(exc, no_secret), parent=self)

    def _write_failed(self, exc: BaseException, no_secret: str) -> None:
        self._set_writing(None)
        if isinstance(exc, CredentialError) and exc.code in (UNAVAILABLE, LOCKED):
            self.set_keyring_problem(exc.message)
        missing = isinstance(exc, CredentialError) and exc.code == MISSING
        self._fail_save(no_secret if missing else error_message(exc))

    def _fail_save(self, message: str) -> None:
        self._close_after_save = False  # the question on closing was answered 保存: stay
        self._set_status(message, error=True)
        self.saveFailed.emit(message)

    @Slot()
    def delete_profile(self) -> None:
        shown = self._shown
        if shown is None or shown.name == LOCAL_PROFILE or self._writing or self._dirty:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(), self.tr(
            "Delete the profile “%1” and its secrets from the keyring? The data in the "
            "backend is not touched.").replace("%1", shown.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("deleteProfileConfirm")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self._delete(shown.name)
            if box.standardButton(button) == QMessageBox.StandardButton.Yes else None)
        box.open()
        self.deleteConfirmRequested.emit(box)

    def _delete(self, name: str) -> None:
        config, credentials = self._config, self._credentials

        def work() -> None:
            config.check_removable(name)  # an iPaaS profile may read through this one
            credentials.delete(name)  # first: a keyring that refuses leaves everything as is
            config.remove_profile(name)

        def done(_result: object) -> None:
            self._set_writing(None)
            self._reload_list(LOCAL_PROFILE)
            self._set_status(self.tr("Deleted “%1”.").replace("%1", name))
            self.profileDeleted.emit(name)

        def failed(exc: BaseException) -> None:
            self._set_writing(None)
            if isinstance(exc, CredentialError) and exc.code in (UNAVAILABLE, LOCKED):
                self.set_keyring_problem(exc.message)
            self._set_status(error_message(exc), error=True)

        self._set_writing("delete")
        run_in_thread(work, done, failed, parent=self)

    # ---- state -----------------------------------------------------------------------------

    @Slot()
    def _mark_dirty(self) -> None:
        self._edited = True
        if not self._dirty:
            self._dirty = True
            self._update_buttons()

    def is_dirty(self) -> bool:
        return self._dirty

    def has_unsaved_changes(self) -> bool:
        """Whether closing would lose something typed (a new profile nobody typed into has
        nothing to lose)."""
        return self._dirty and self._edited and self.pages.currentWidget() is self.editor

    def is_busy(self) -> bool:
        return self._writing is not None or any(e.is_busy() for e in self.editors.values())

    def _set_writing(self, what: str | None) -> None:
        self._writing = what
        self._update_buttons()

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setStyleSheet("QLabel { color: #b3261e; }" if error else "")
        self.status_label.setText(text)

    def _update_buttons(self) -> None:
        editing = self.pages.currentWidget() is self.editor
        free = not self._dirty and self._writing is None
        self.kind_combo.setEnabled(self._shown is None and self._writing is None)
        self.profile_list.setEnabled(free)
        self.new_button.setEnabled(free)
        self.delete_button.setEnabled(free and self._shown is not None
                                      and self._shown.name != LOCAL_PROFILE)
        self.save_button.setEnabled(editing and self._dirty and self._writing is None)
        self.revert_button.setEnabled(self._dirty and self._writing is None)
        for editor in self.editors.values():
            editor.setEnabled(self._writing is None)

    def reject(self) -> None:
        """Escape, 关闭 and the window's close button: close, after asking when something typed
        would be lost."""
        if self._writing is not None:  # a keyring write in flight finishes first
            return
        if self.has_unsaved_changes():
            self._ask_close()
            return
        super().reject()

    def _ask_close(self) -> None:
        """保存 / 放弃更改 / 取消 (the default; Escape answers it): window-modal."""
        if self._close_box is not None:
            self._close_box.raise_()
            return
        name = self.editor.name_edit.text().strip()
        text = (self.tr("Save the changes to the profile “%1” before closing?").replace(
            "%1", name) if name else self.tr("Save the new profile before closing?"))
        buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                   | QMessageBox.StandardButton.Cancel)
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(), text, buttons, self)
        box.setObjectName("closeProfilesConfirm")
        box.setInformativeText(self.tr("The changes are lost unless they are saved."))
        for which, label, object_name in (
                (QMessageBox.StandardButton.Save, self.tr("&Save"), "closeSaveButton"),
                (QMessageBox.StandardButton.Discard, self.tr("D&iscard changes"),
                 "closeDiscardButton"),
                (QMessageBox.StandardButton.Cancel, self.tr("Cancel"), "closeCancelButton")):
            button = box.button(which)
            button.setText(label)
            button.setObjectName(object_name)
            button.setAccessibleName(label.replace("&", ""))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._close_box = box

        def answered(_result: int) -> None:
            self._close_box = None
            clicked = box.clickedButton()
            which = box.standardButton(clicked) if clicked is not None \
                else QMessageBox.StandardButton.Cancel
            if which == QMessageBox.StandardButton.Save:
                self._close_after_save = True
                self.save()
                if self._writing is None and self._close_after_save:  # nothing started
                    self._close_after_save = False
            elif which == QMessageBox.StandardButton.Discard:
                self.revert()  # opened again, the dialog shows the saved profile
                super(ProfileDialog, self).reject()

        box.finished.connect(answered)
        box.open()
        self.closeConfirmRequested.emit(box)
