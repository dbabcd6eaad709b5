"""The profile dialog's kintone editor against a real kintone sandbox (loopback HTTP) and an
in-memory keyring injected into the CredentialStore. Every wait is a signal or a condition."""

from __future__ import annotations

import json
import logging

import pytest
from dialog_helpers import (
    SAVED,
    TIMEOUT,
    check,
    click,
    new_editor,
    save,
    secrets_saved,
    type_into,
)
from memory_keyring import MemoryKeyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QWidget

from campuscard_gui.backends.kintone.records import KintoneOptions
from campuscard_gui.config import ConfigStore, Profile
from campuscard_gui.config.credentials import CredentialStore, service_name
from campuscard_gui.config.fieldmap import FieldMap
from campuscard_gui.core.model import CardStatus, StudentStatus
from campuscard_gui.sandbox import KintoneSettings, run_sandbox
from campuscard_gui.ui.profiles.editors.kintone import KintoneEditor
from campuscard_gui.ui.profiles.profile_dialog import ProfileDialog

NAME = "kintone-test"
# the sandbox's cards app: 学号 (student_no), 卡状态 (status), 开卡时间 (open_time), 余额 (amount)
MAPPED = {"card_student": "student_no", "card_status": "status", "card_open_time": "open_time",
          "card_amount": "amount"}


@pytest.fixture(scope="module")
def sandbox():
    with run_sandbox(backend="kintone", students=50, seed=3) as info:
        yield info


@pytest.fixture(scope="module")
def guest_sandbox():
    with run_sandbox(backend="kintone", students=10, seed=4,
                     settings=KintoneSettings(guest_space=7)) as info:
        yield info


def mapped_fields() -> dict:
    fm = FieldMap()
    for key, code in MAPPED.items():
        fm.set(key, code)
    return fm.to_json()


def new_kintone(qtbot, dialog: ProfileDialog) -> KintoneEditor:
    editor = new_editor(dialog, "kintone")
    assert isinstance(editor, KintoneEditor)
    return editor


def fill(qtbot, dialog: ProfileDialog, info, *, name: str = NAME, auth: str = "token",
         students_token: str | None = None, students_app: str | None = None,
         guest_space: str = "", password: str | None = None) -> KintoneEditor:
    """A new kintone profile typed into the form the way an operator would."""
    editor = new_kintone(qtbot, dialog)
    type_into(qtbot, editor.name_edit, name)
    type_into(qtbot, editor.base_url_edit, info.base_url)
    type_into(qtbot, editor.students_app_edit, students_app or info.students_app)
    type_into(qtbot, editor.cards_app_edit, info.cards_app)
    if guest_space:
        type_into(qtbot, editor.guest_space_edit, guest_space)
    if auth == "password":
        editor.auth_combo.setCurrentIndex(editor.auth_combo.findData("password"))
        type_into(qtbot, editor.user_edit, info.user)
        type_into(qtbot, editor.password_edit, password or info.password)
    else:
        type_into(qtbot, editor.students_token_edit, students_token or info.students_token)
        type_into(qtbot, editor.cards_token_edit, info.cards_token)
    return editor


def read_fields(qtbot, editor: KintoneEditor) -> tuple[int, int]:
    with qtbot.waitSignal(editor.fieldsLoaded, timeout=TIMEOUT) as loaded:
        click(qtbot, editor.load_fields_button)
    return tuple(loaded.args)


def saved_profile(paths) -> Profile:
    return ConfigStore(paths).get_profile(NAME)


def test_controls_are_named_and_secrets_masked(qtbot, dialog):
    editor = new_kintone(qtbot, dialog)
    for name in ("profileKindCombo", "profileNameEdit", "baseUrlEdit", "guestSpaceEdit",
                 "studentsAppEdit", "cardsAppEdit", "authModeCombo", "userEdit",
                 "studentsTokenEdit", "cardsTokenEdit", "passwordEdit", "timeoutSpin",
                 "concurrencySpin", "testConnectionButton", "loadFieldsButton"):
        widget = editor.findChild(QWidget, name) or dialog.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    for edit in (editor.students_token_edit, editor.cards_token_edit, editor.password_edit):
        assert edit.echoMode() is QLineEdit.EchoMode.Password
    # the defaults of a new profile
    assert editor.concurrency_spin.value() == 6 and editor.concurrency_spin.maximum() == 50
    assert editor.base_url_edit.text() == ""
    assert editor.base_url_edit.placeholderText() == "https://example.cybozu.com"


def test_only_the_chosen_sign_in_is_shown(qtbot, dialog):
    editor = new_kintone(qtbot, dialog)
    tokens = (editor.students_token_edit, editor.cards_token_edit)
    login = (editor.user_edit, editor.password_edit)
    assert all(e.isVisible() for e in tokens) and not any(e.isVisible() for e in login)
    editor.auth_combo.setCurrentIndex(editor.auth_combo.findData("password"))
    assert all(e.isVisible() for e in login) and not any(e.isVisible() for e in tokens)
    assert editor.needed_secrets() == ("password",)


def test_kind_choice_keeps_the_typed_name(qtbot, dialog):
    dialog.new_button.click()
    assert dialog.editor is dialog.editors["jiandaoyun"] and dialog.kind_combo.isEnabled()
    type_into(qtbot, dialog.editor.name_edit, "school-k")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("kintone"))
    assert dialog.editor is dialog.editors["kintone"]
    assert dialog.editor.name_edit.text() == "school-k"
    assert dialog.is_dirty() and not dialog.profile_list.isEnabled()
    click(qtbot, dialog.revert_button)
    assert dialog.pages.currentWidget() is dialog.local_page
    assert not dialog.kind_combo.isVisible()


def test_connection_with_tokens(qtbot, dialog, sandbox, paths):
    editor = fill(qtbot, dialog, sandbox)
    editor.mapping.set_field_map(FieldMap.from_json(mapped_fields()))
    ok, text = check(qtbot, editor)
    assert ok is True, text
    assert "✓" in editor.connection_label.text()
    assert set(ConfigStore(paths).load_profiles()) == {"local"}  # testing saves nothing


def test_connection_with_a_password(qtbot, dialog, sandbox):
    editor = fill(qtbot, dialog, sandbox, auth="password")
    editor.mapping.set_field_map(FieldMap.from_json(mapped_fields()))
    ok, text = check(qtbot, editor)
    assert ok is True, text


@pytest.mark.parametrize(("case", "heading"), [
    ("token", "The API token or the password was rejected"),
    ("password", "The API token or the password was rejected"),
    ("fields", "A mapped field is missing"),
    ("space", "The guest space ID is wrong"),
])
def test_connection_failure_says_what(qtbot, dialog, sandbox, guest_sandbox, case, heading):
    info = guest_sandbox if case == "space" else sandbox
    kwargs = {"token": {"students_token": "not-the-token"},
              "password": {"auth": "password", "password": "not-the-password"}}.get(case, {})
    editor = fill(qtbot, dialog, info, **kwargs)
    if case != "fields":  # the default mapping names fields the sandbox's cards app lacks
        editor.mapping.set_field_map(FieldMap.from_json(mapped_fields()))
    ok, text = check(qtbot, editor)
    assert ok is False
    assert text.startswith(heading + ": ") and len(text) > len(heading) + 4
    assert "✗" in editor.connection_label.text()
    for secret in (info.students_token, info.cards_token, info.password):
        assert secret not in text


def test_guest_space_connects(qtbot, dialog, guest_sandbox):
    editor = fill(qtbot, dialog, guest_sandbox, guest_space=guest_sandbox.guest_space)
    assert read_fields(qtbot, editor) == (6, 5)  # with each app's 更新时间
    ok, text = check(qtbot, editor)
    assert ok is True, text


def test_field_discovery_fills_the_mapping_by_label(qtbot, dialog, sandbox, paths):
    editor = fill(qtbot, dialog, sandbox)
    assert read_fields(qtbot, editor) == (6, 5)  # with each app's 更新时间
    combos = editor.mapping.field_combos
    expected = {"student_no": "学号 (student_no)", "name": "姓名 (name)",
                "college": "学院 (college)", "class_name": "班级 (class_name)",
                "student_status": "学籍状态 (student_status)",
                "card_student": "学号 (student_no)", "card_status": "卡状态 (status)",
                "card_open_time": "开卡时间 (open_time)", "card_amount": "余额 (amount)"}
    assert {key: combo.currentText() for key, combo in combos.items()} == expected
    options = editor.mapping.student_option_combos
    assert {s: c.currentText() for s, c in options.items()} == {s: s.value for s in StudentStatus}
    cards = editor.mapping.card_option_combos
    assert {c: combo.currentText() for c, combo in cards.items()} == {
        CardStatus.ACTIVE: "正常", CardStatus.FROZEN: "冻结", CardStatus.CANCELLED: "注销"}
    assert [cards[CardStatus.FROZEN].itemText(i) for i in range(3)] == ["正常", "冻结", "注销"]
    assert "6" in editor.fields_label.text() and "5" in editor.fields_label.text()
    # ... what the connection test checks, and what is saved
    ok, text = check(qtbot, editor)
    assert ok is True, text
    save(qtbot, dialog)
    saved = FieldMap.from_json(saved_profile(paths).options["fields"])
    assert (saved.card_student, saved.card_open_time, saved.card_status) == (
        "student_no", "open_time", "status")


def test_save_writes_the_options_and_both_tokens(qtbot, dialog, sandbox, memory_keyring,
                                                 paths, caplog):
    caplog.set_level(logging.DEBUG)
    editor = fill(qtbot, dialog, sandbox)
    editor.concurrency_spin.setValue(8)
    editor.mapping.set_field_map(FieldMap.from_json(mapped_fields()))
    save(qtbot, dialog)
    text = paths.profiles_path.read_text(encoding="utf-8")
    body = json.loads(text)[NAME]
    assert body["kind"] == "kintone"
    options = body["options"]
    assert {k: options[k] for k in ("base_url", "students_app", "cards_app", "guest_space",
                                    "auth", "user", "concurrency", "timeout_s")} == {
        "base_url": sandbox.base_url, "students_app": sandbox.students_app,
        "cards_app": sandbox.cards_app, "guest_space": "", "auth": "token", "user": "",
        "concurrency": 8, "timeout_s": 60}
    parsed = KintoneOptions.parse(options)  # exactly what the connector reads
    assert parsed.concurrency == 8 and parsed.fields.card_status == "status"
    # shown again: nothing filled back, the placeholders say the tokens are stored
    secrets_saved(qtbot, dialog, editor, memory_keyring, NAME,
                  {"students_token": sandbox.students_token,
                   "cards_token": sandbox.cards_token}, text, caplog.text)
    assert dialog.profile_list.currentItem().text() == f"{NAME} · kintone"
    assert editor.password_edit.placeholderText() != SAVED
    ok, text = check(qtbot, editor)  # with the stored tokens
    assert ok is True, text
    # one token typed again, the other kept: the typed one is what is tested
    type_into(qtbot, editor.students_token_edit, "a-wrong-token")
    ok, text = check(qtbot, editor)
    assert ok is False and text.startswith("The API token or the password was rejected")


def test_switching_to_a_password_replaces_the_tokens(qtbot, make_dialog, memory_keyring,
                                                      paths, sandbox):
    ConfigStore(paths).save_profile(Profile(NAME, "kintone", {
        "base_url": sandbox.base_url, "students_app": sandbox.students_app,
        "cards_app": sandbox.cards_app, "guest_space": "", "auth": "token", "user": "",
        "fields": mapped_fields(), "concurrency": 4, "page_size": 200}))
    credentials = CredentialStore(memory_keyring)
    credentials.set(NAME, sandbox.students_token, "students_token")
    credentials.set(NAME, sandbox.cards_token, "cards_token")
    dialog = make_dialog(memory_keyring, current=NAME)
    editor = dialog.editor
    assert isinstance(editor, KintoneEditor) and editor.auth_mode() == "token"
    editor.auth_combo.setCurrentIndex(editor.auth_combo.findData("password"))
    assert dialog.is_dirty()
    with qtbot.waitSignal(dialog.saveFailed) as failed:
        click(qtbot, dialog.save_button)
    assert editor.text_options["user"].missing() in failed.args[0]  # as KintoneOptions declares
    assert "Enter the password." in failed.args[0]
    type_into(qtbot, editor.user_edit, sandbox.user)
    type_into(qtbot, editor.password_edit, sandbox.password)
    ok, text = check(qtbot, editor)
    assert ok is True, text
    save(qtbot, dialog)
    assert memory_keyring.entries == {(service_name(NAME), "password"): sandbox.password}
    options = saved_profile(paths).options
    assert (options["auth"], options["user"]) == ("password", sandbox.user)
    assert options["page_size"] == 200  # options the dialog does not show are kept
    qtbot.waitUntil(lambda: editor.password_edit.placeholderText() == SAVED)
    ok, text = check(qtbot, editor)  # with the stored password
    assert ok is True, text


@pytest.mark.parametrize(("field", "value", "problem"), [
    ("base_url_edit", "https://example.cybozu.com/k/12/", "without a path"),
    ("base_url_edit", "", "Enter the base URL."),
    ("students_app_edit", "abc", "Enter the IDs of both apps"),
    ("cards_app_edit", "1", "must be two apps"),
    ("guest_space_edit", "space", "The guest space ID is a number"),
])
def test_form_problems(qtbot, dialog, sandbox, paths, field, value, problem):
    editor = fill(qtbot, dialog, sandbox)
    edit = getattr(editor, field)
    edit.clear()
    if value:
        qtbot.keyClicks(edit, value)
    with qtbot.waitSignal(dialog.saveFailed) as failed:
        click(qtbot, dialog.save_button)
    assert problem in failed.args[0]
    with qtbot.waitSignal(editor.connectionChecked) as checked:  # nothing is sent either
        click(qtbot, editor.test_button)
    assert checked.args[0] is False and problem in checked.args[1]
    assert not paths.profiles_path.exists()


def test_new_profile_needs_both_tokens(qtbot, dialog, sandbox):
    editor = fill(qtbot, dialog, sandbox)
    editor.cards_token_edit.clear()
    with qtbot.waitSignal(dialog.saveFailed) as failed:
        click(qtbot, dialog.save_button)
    assert "Enter the API token of the cards app." in failed.args[0]


def test_delete_removes_the_tokens(qtbot, dialog, sandbox, memory_keyring, paths):
    editor = fill(qtbot, dialog, sandbox)
    editor.mapping.set_field_map(FieldMap.from_json(mapped_fields()))
    save(qtbot, dialog)
    assert len(memory_keyring.entries) == 2
    with qtbot.waitSignal(dialog.deleteConfirmRequested) as asked:
        click(qtbot, dialog.delete_button)
    box: QMessageBox = asked.args[0]
    with qtbot.waitSignal(dialog.profileDeleted, timeout=TIMEOUT):
        click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    assert memory_keyring.entries == {}
    assert dialog.profile_names() == ["local"]


def test_saved_kintone_profile_is_listed_with_its_kind(qtbot, make_dialog, paths):
    ConfigStore(paths).save_profile(Profile("k1", "kintone", {
        "base_url": "https://example.cybozu.com", "students_app": "3", "cards_app": "4",
        "auth": "password", "user": "alice"}))
    dialog = make_dialog(MemoryKeyring(), current="k1")
    editor = dialog.editor
    assert isinstance(editor, KintoneEditor)
    assert dialog.findChild(QComboBox, "profileKindCombo").currentData() == "kintone"
    assert editor.name_edit.isReadOnly() and editor.user_edit.text() == "alice"
    assert editor.auth_mode() == "password" and editor.password_edit.isVisible()
    assert not dialog.is_dirty()
    items = [dialog.profile_list.item(i).text() for i in range(dialog.profile_list.count())]
    assert "k1 · kintone" in items
    dialog.profile_list.setCurrentRow(0)  # local
    assert dialog.pages.currentWidget() is dialog.local_page
    assert dialog.profile_list.item(0).data(Qt.ItemDataRole.UserRole) == "local"
