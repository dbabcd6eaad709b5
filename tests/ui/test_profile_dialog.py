"""The profile dialog against a real 简道云 sandbox (loopback HTTP) and an in-memory keyring
injected into the CredentialStore. Every wait is a signal or a condition."""

from __future__ import annotations

import json
import logging
import socket
from dataclasses import dataclass

import pytest
from dialog_helpers import TIMEOUT, click, save_asks, type_into
from keyring.backend import KeyringBackend
from keyring.backends import fail
from memory_keyring import LockedKeyring, MemoryKeyring  # noqa: E402
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QWidget

from campuscard_gui.config import ConfigStore, Profile
from campuscard_gui.config.credentials import CredentialStore, service_name
from campuscard_gui.config.fieldmap import CARD_KEYS, STUDENT_KEYS, FieldMap
from campuscard_gui.core.model import CardStatus, StudentStatus
from campuscard_gui.sandbox import run_sandbox
from campuscard_gui.ui.profiles.field_mapping import guess_field
from campuscard_gui.ui.profiles.profile_dialog import ProfileDialog

NAME = "jdy-test"


@pytest.fixture(scope="module")
def sandbox():
    with run_sandbox(backend="jiandaoyun", students=60, seed=5) as info:
        yield info


@pytest.fixture(scope="module")
def widget_id_sandbox():
    """The same tenant without field aliases: every field's name is its _widget_ id, so only
    the labels tell 学号 from 姓名."""
    from campuscard_gui.sandbox.jiandaoyun.settings import JdySettings

    with run_sandbox(backend="jiandaoyun", students=20, seed=6,
                     settings=JdySettings(use_aliases=False)) as info:
        yield info


def fill(qtbot, dialog: ProfileDialog, info, *, name: str = NAME, key: str | None = None,
         app_id: str | None = None, students: str | None = None, base_url: str | None = None
         ) -> None:
    """A new 简道云 profile typed into the form the way an operator would."""
    dialog.new_button.click()
    assert dialog.pages.currentWidget() is dialog.editor
    type_into(qtbot, dialog.editor.name_edit, name)
    type_into(qtbot, dialog.editor.base_url_edit, base_url or info.base_url)
    type_into(qtbot, dialog.editor.app_id_edit, app_id or info.app_id)
    type_into(qtbot, dialog.editor.students_entry_edit, students or info.students_entry_id)
    type_into(qtbot, dialog.editor.cards_entry_edit, info.cards_entry_id)
    type_into(qtbot, dialog.editor.api_key_edit, key if key is not None else info.api_key)


def test_controls_are_named(dialog):
    for name in ("profileList", "newProfileButton", "deleteProfileButton", "profileNameEdit",
                 "baseUrlEdit", "appIdEdit", "studentsEntryEdit", "cardsEntryEdit", "apiKeyEdit",
                 "timeoutSpin", "concurrencySpin", "testConnectionButton", "loadFieldsButton",
                 "saveProfileButton", "revertProfileButton", "closeProfilesButton",
                 *(f"fieldCombo_{k}" for k in STUDENT_KEYS + CARD_KEYS)):
        widget = dialog.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    assert dialog.editor.api_key_edit.echoMode() is QLineEdit.EchoMode.Password


def test_local_is_fixed(dialog):
    assert dialog.profile_names() == ["local"]
    assert dialog.pages.currentWidget() is dialog.local_page
    assert not dialog.delete_button.isEnabled() and not dialog.save_button.isEnabled()


def test_connection_succeeds(qtbot, dialog, sandbox):
    fill(qtbot, dialog, sandbox)
    with qtbot.waitSignal(dialog.editor.connectionChecked, timeout=TIMEOUT) as checked:
        click(qtbot, dialog.editor.test_button)
    assert checked.args[0] is True
    assert "✓" in dialog.editor.connection_label.text()
    assert not dialog.editor.connection_icon.pixmap().isNull()
    # nothing was saved by testing
    assert ConfigStore(dialog._config.paths).load_profiles().keys() == {"local"}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(("case", "heading"), [
    ("key", "The API key was rejected"),
    ("app", "The app ID is wrong"),
    ("entry", "A form (entry) ID is wrong"),
    ("network", "The server cannot be reached"),
])
def test_connection_failure_says_what(qtbot, dialog, sandbox, case, heading):
    wrong = "0123456789abcdef01234567"
    kwargs = {
        "key": {"key": "not-the-key"},
        "app": {"app_id": wrong},
        "entry": {"students": wrong},
        "network": {"base_url": f"http://127.0.0.1:{_closed_port()}/api"},
    }[case]
    fill(qtbot, dialog, sandbox, **kwargs)
    with qtbot.waitSignal(dialog.editor.connectionChecked, timeout=TIMEOUT) as checked:
        click(qtbot, dialog.editor.test_button)
    ok, text = checked.args
    assert ok is False
    assert text.startswith(heading + ": ") and len(text) > len(heading) + 4
    shown = dialog.editor.connection_label.text()
    assert "✗" in shown and heading in shown
    assert not dialog.editor.connection_icon.pixmap().isNull()
    assert sandbox.api_key not in text


def test_field_discovery_fills_the_combos_by_label(qtbot, dialog, widget_id_sandbox):
    fill(qtbot, dialog, widget_id_sandbox)
    with qtbot.waitSignal(dialog.editor.fieldsLoaded, timeout=TIMEOUT) as loaded:
        click(qtbot, dialog.editor.load_fields_button)
    assert loaded.args[0] >= 5 and loaded.args[1] >= 4
    combos = dialog.editor.mapping.field_combos
    labels = {"student_no": "学号", "name": "姓名", "college": "学院", "class_name": "班级",
              "student_status": "学籍状态", "card_student": "学生学号",
              "card_open_time": "开通时间", "card_amount": "余额", "card_status": "状态"}
    for key, label in labels.items():
        combo = combos[key]
        name = combo.currentData()
        assert name.startswith("_widget_"), key
        assert combo.currentText() == f"{label} ({name})", key
    assert len({c.currentData() for c in combos.values()}) == 9
    student_options = dialog.editor.mapping.student_option_combos
    assert {s: c.currentText() for s, c in student_options.items()} == {
        s: s.value for s in StudentStatus}
    assert [student_options[StudentStatus.ENROLLED].itemText(i)
            for i in range(student_options[StudentStatus.ENROLLED].count())] == [
        "在读", "休学", "退学", "毕业"]
    card_options = dialog.editor.mapping.card_option_combos
    assert {c: combo.currentText() for c, combo in card_options.items()} == {
        CardStatus.ACTIVE: "正常", CardStatus.FROZEN: "冻结", CardStatus.CANCELLED: "注销"}
    # ... and the discovered mapping is what the connection test checks and what is saved
    with qtbot.waitSignal(dialog.editor.connectionChecked, timeout=TIMEOUT) as checked:
        click(qtbot, dialog.editor.test_button)
    assert checked.args[0] is True, checked.args[1]
    with qtbot.waitSignal(dialog.profileSaved, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    saved = FieldMap.from_json(ConfigStore(dialog._config.paths).get_profile(NAME)
                               .options["fields"])
    assert saved.student_no == combos["student_no"].currentData()
    assert saved.card_status == combos["card_status"].currentData()


@dataclass
class F:
    name: str
    label: str
    type: str = "text"
    options: tuple[str, ...] = ()


def test_guess_prefers_saved_then_label_then_default_name():
    fields = [F("_widget_1", "姓名"), F("_widget_2", "学 号"), F("student_no", "旧学号")]
    assert guess_field("student_no", fields) == "_widget_2"  # by label (spaces ignored)
    assert guess_field("student_no", fields, saved="student_no") == "student_no"
    assert guess_field("student_no", fields, saved="gone") == "_widget_2"
    assert guess_field("college", fields) is None
    assert guess_field("name", [F("name", "Name")]) == "name"  # the default name


def test_save_writes_profile_without_secret_and_key_to_keyring(
        qtbot, dialog, sandbox, memory_keyring, paths, caplog):
    caplog.set_level(logging.DEBUG)
    fill(qtbot, dialog, sandbox)
    dialog.editor.timeout_spin.setValue(20)
    with qtbot.waitSignal(dialog.profileSaved, timeout=TIMEOUT) as saved:
        click(qtbot, dialog.save_button)
    assert saved.args == [NAME]
    text = paths.profiles_path.read_text(encoding="utf-8")
    assert sandbox.api_key not in text
    options = json.loads(text)[NAME]["options"]
    assert json.loads(text)[NAME]["kind"] == "jiandaoyun"
    assert options["base_url"] == sandbox.base_url and options["app_id"] == sandbox.app_id
    assert options["students_entry"] == sandbox.students_entry_id
    assert options["cards_entry"] == sandbox.cards_entry_id
    assert options["timeout_s"] == 20 and options["concurrency"] == 8  # JdyOptions declares 8
    assert FieldMap.from_json(options["fields"]) == FieldMap()
    assert memory_keyring.entries == {(service_name(NAME), "api_key"): sandbox.api_key}
    # shown again: the key is not filled back, the placeholder says one is stored
    assert dialog.profile_list.currentItem().data(Qt.ItemDataRole.UserRole) == NAME
    qtbot.waitUntil(lambda: dialog.editor.api_key_edit.placeholderText()
                    == "Saved (leave empty to keep it)")
    assert dialog.editor.api_key_edit.text() == ""
    assert not dialog.editor.name_edit.isEnabled() or dialog.editor.name_edit.isReadOnly()
    assert not dialog.is_dirty() and dialog.profile_list.isEnabled()
    # the stored key is used when the field is left empty
    with qtbot.waitSignal(dialog.editor.connectionChecked, timeout=TIMEOUT) as checked:
        click(qtbot, dialog.editor.test_button)
    assert checked.args[0] is True
    for where in (caplog.text, (paths.config_dir / "settings.json").read_text()
                  if (paths.config_dir / "settings.json").exists() else ""):
        assert sandbox.api_key not in where


@pytest.mark.parametrize("backend", [fail.Keyring, LockedKeyring], ids=["unavailable", "locked"])
def test_unusable_keyring_saves_nothing(qtbot, make_dialog, sandbox, paths, backend):
    dialog = make_dialog(backend())
    fill(qtbot, dialog, sandbox)
    with qtbot.waitSignal(dialog.saveFailed, timeout=TIMEOUT) as failed:
        click(qtbot, dialog.save_button)
    message = failed.args[0]
    assert "钥匙环" in message and sandbox.api_key not in message
    assert dialog.status_label.text() == message
    assert dialog.keyring_warning.isVisible()
    assert not paths.profiles_path.exists() or NAME not in paths.profiles_path.read_text()
    assert dialog.is_dirty()  # the form keeps what was typed


def test_keyring_problem_banner(make_dialog):
    dialog = make_dialog(fail.Keyring(), keyring_problem="没有可用的系统钥匙环")
    assert dialog.keyring_warning.isVisible()
    assert dialog.keyring_warning.text() == "没有可用的系统钥匙环"


def test_form_problems_are_listed_and_nothing_saved(qtbot, dialog, sandbox, paths):
    fill(qtbot, dialog, sandbox)
    dialog.editor.app_id_edit.clear()
    with qtbot.waitSignal(dialog.saveFailed) as failed:
        click(qtbot, dialog.save_button)
    # what is missing is said with the option's declared label (JdyOptions)
    assert dialog.editor.text_options["app_id"].missing() in failed.args[0]
    assert dialog.status_label.text() == failed.args[0]
    type_into(qtbot, dialog.editor.app_id_edit, sandbox.app_id)
    for name, problem in (("local", "“local” exists already"), ("a b", "cannot be “local”")):
        type_into(qtbot, dialog.editor.name_edit, name)
        type_into(qtbot, dialog.editor.base_url_edit, "http://example.com/api")
        with qtbot.waitSignal(dialog.saveFailed) as failed:
            click(qtbot, dialog.save_button)
        assert problem in failed.args[0] and "not encrypted" in failed.args[0]
    assert not paths.profiles_path.exists()
    # the same checks stop 测试连接 before it sends anything
    with qtbot.waitSignal(dialog.editor.connectionChecked) as checked:
        click(qtbot, dialog.editor.test_button)
    assert checked.args[0] is False and "not encrypted" in checked.args[1]


def test_revert_and_unsaved_changes_pin_the_editor(qtbot, dialog, sandbox):
    fill(qtbot, dialog, sandbox)
    assert dialog.is_dirty()
    assert not dialog.profile_list.isEnabled() and not dialog.new_button.isEnabled()
    click(qtbot, dialog.revert_button)
    assert not dialog.is_dirty() and dialog.pages.currentWidget() is dialog.local_page
    assert dialog.profile_list.isEnabled()


def test_delete_removes_profile_and_key(qtbot, dialog, sandbox, memory_keyring, paths):
    fill(qtbot, dialog, sandbox)
    with qtbot.waitSignal(dialog.profileSaved, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    assert memory_keyring.entries
    with qtbot.waitSignal(dialog.deleteConfirmRequested) as asked:
        click(qtbot, dialog.delete_button)
    box: QMessageBox = asked.args[0]
    with qtbot.waitSignal(dialog.profileDeleted, timeout=TIMEOUT) as deleted:
        click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    assert deleted.args == [NAME]
    assert dialog.profile_names() == ["local"]
    assert memory_keyring.entries == {}
    assert NAME not in json.loads(paths.profiles_path.read_text(encoding="utf-8"))


def test_existing_profile_keeps_its_name_and_saved_mapping(qtbot, make_dialog, memory_keyring,
                                                             paths, sandbox):
    fm = FieldMap()
    fm.card_status_labels[CardStatus.FROZEN] = "停用"
    ConfigStore(paths).save_profile(Profile(NAME, "jiandaoyun", {
        "base_url": sandbox.base_url, "app_id": sandbox.app_id,
        "students_entry": sandbox.students_entry_id, "cards_entry": sandbox.cards_entry_id,
        "fields": fm.to_json(), "batch_rps": 7}))
    CredentialStore(memory_keyring).set(NAME, sandbox.api_key)
    dialog = make_dialog(memory_keyring, current=NAME)
    assert dialog.pages.currentWidget() is dialog.editor
    assert dialog.editor.name_edit.isReadOnly() and dialog.editor.name_edit.text() == NAME
    assert dialog.editor.mapping.card_option_combos[CardStatus.FROZEN].currentText() == "停用"
    qtbot.waitUntil(lambda: dialog.editor.api_key_edit.placeholderText()
                    == "Saved (leave empty to keep it)")
    type_into(qtbot, dialog.editor.cards_entry_edit, sandbox.cards_entry_id)  # an edit: dirty
    # the sandbox's status field has no option 停用: the check says so, saved on request
    assert "“停用”" in save_asks(qtbot, dialog, anyway=True)
    options = ConfigStore(paths).get_profile(NAME).options
    assert options["batch_rps"] == 7  # options the dialog does not show are kept
    assert FieldMap.from_json(options["fields"]).card_status_labels[CardStatus.FROZEN] == "停用"
    assert memory_keyring.entries[(service_name(NAME), "api_key")] == sandbox.api_key


# ---- the main window's side: 配置…, the keyring check, switching ---------------------------


@pytest.fixture
def window_factory(qtbot, paths, journal):
    from campuscard_gui.backends.factory import open_connector
    from campuscard_gui.backends.local.connector import init_demo
    from campuscard_gui.ui.window.main_window import MainWindow

    init_demo(paths.local_db_path("local"), students=30, seed=2)
    made = []

    def make(backend: KeyringBackend) -> MainWindow:
        credentials = CredentialStore(backend)
        window = MainWindow(ConfigStore(paths), paths,
                            lambda p: open_connector(p, paths, credentials=credentials),
                            journal, offer_resume=False, credentials=credentials)
        qtbot.addWidget(window)
        made.append(window)
        window.show()
        return window

    yield make
    for window in made:
        window.close()


def save_remote_profile(paths, info, name: str = NAME) -> None:
    ConfigStore(paths).save_profile(Profile(name, "jiandaoyun", {
        "base_url": info.base_url, "app_id": info.app_id,
        "students_entry": info.students_entry_id, "cards_entry": info.cards_entry_id}))


def switch_to(qtbot, window, name: str, signal):
    combo = window.profile_combo
    index = combo.findData(name)
    assert index >= 0, name
    with qtbot.waitSignal(signal, timeout=TIMEOUT) as got:
        combo.setCurrentIndex(index)
        combo.activated.emit(index)
    return got.args


def test_no_keyring_at_startup_is_shown_and_local_still_works(qtbot, window_factory, paths,
                                                              sandbox):
    save_remote_profile(paths, sandbox)
    window = window_factory(fail.Keyring())
    with qtbot.waitSignal(window.keyringChecked, timeout=TIMEOUT) as checked:
        pass
    assert checked.args == [False]
    qtbot.waitUntil(lambda: window.model.total_count == 30)
    assert window.keyring_label.isVisible() and "钥匙环" in window.keyring_label.toolTip()
    assert "钥匙环" in window.statusBar().currentMessage()
    [message] = switch_to(qtbot, window, NAME, window.loadFailed)
    assert "钥匙环" in message and "not connected" in window.connection_label.text()
    assert switch_to(qtbot, window, "local", window.rowsLoaded) == [30]
    # the profile dialog says the same
    with qtbot.waitSignal(window.profileDialogOpened) as opened:
        window.profiles_action.trigger()
    dialog = opened.args[0]
    assert dialog.keyring_warning.isVisible() and "钥匙环" in dialog.keyring_warning.text()
    dialog.reject()


def test_keyring_fine_and_no_remote_profiles_shows_nothing(qtbot, window_factory):
    window = window_factory(MemoryKeyring())
    with qtbot.waitSignal(window.keyringChecked, timeout=TIMEOUT) as checked:
        pass
    assert checked.args == [True] and not window.keyring_label.isVisible()


def test_profiles_action_in_toolbar_and_menu(window_factory):
    window = window_factory(MemoryKeyring())
    action = window.findChild(type(window.profiles_action), "profilesAction")
    assert action is window.profiles_action and action.isEnabled()
    assert any(action in m.actions() for m in window.menuBar().findChildren(type(
        window.menuBar().actions()[0].menu())))
    toolbar = window.findChild(QWidget, "mainToolBar")
    assert action in toolbar.actions()


def test_saving_and_deleting_reload_the_profile_combo(qtbot, window_factory, sandbox, paths):
    backend = MemoryKeyring()
    window = window_factory(backend)
    qtbot.waitUntil(lambda: window.model.total_count == 30)
    with qtbot.waitSignal(window.profileDialogOpened) as opened:
        window.profiles_action.trigger()
    dialog = opened.args[0]
    fill(qtbot, dialog, sandbox)
    with qtbot.waitSignal(dialog.profileSaved, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    combo = window.profile_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["local", NAME]
    dialog.reject()
    qtbot.waitUntil(lambda: window.profile_dialog is None)
    assert switch_to(qtbot, window, NAME, window.rowsLoaded) == [60]
    assert NAME in window.connection_label.text()
    # deleting the profile in use goes back to local
    with qtbot.waitSignal(window.profileDialogOpened) as opened:
        window.profiles_action.trigger()
    dialog = opened.args[0]
    assert dialog.profile_list.currentItem().data(Qt.ItemDataRole.UserRole) == NAME
    with qtbot.waitSignal(dialog.deleteConfirmRequested) as asked:
        click(qtbot, dialog.delete_button)
    with qtbot.waitSignal(window.rowsLoaded, timeout=TIMEOUT) as loaded:
        click(qtbot, asked.args[0].button(QMessageBox.StandardButton.Yes))
    assert loaded.args == [30] and window.profile_name == "local"
    assert [combo.itemData(i) for i in range(combo.count())] == ["local"]
    assert ConfigStore(paths).load_settings().default_profile == "local"
    assert backend.entries == {}
    dialog.reject()


def test_reading_the_same_fields_again_changes_nothing(qtbot, make_dialog, memory_keyring,
                                                        paths, sandbox):
    save_remote_profile(paths, sandbox)
    profile = ConfigStore(paths).get_profile(NAME)
    profile.options["fields"] = FieldMap().to_json()
    ConfigStore(paths).save_profile(profile)
    CredentialStore(memory_keyring).set(NAME, sandbox.api_key)
    dialog = make_dialog(memory_keyring, current=NAME)
    with qtbot.waitSignal(dialog.editor.fieldsLoaded, timeout=TIMEOUT):
        click(qtbot, dialog.editor.load_fields_button)  # with the stored key
    assert dialog.editor.mapping.field_combos["name"].currentText() == "姓名 (name)"
    assert not dialog.is_dirty() and not dialog.save_button.isEnabled()
    dialog.editor.mapping.student_option_combos[StudentStatus.GRADUATED].setEditText("已毕业")
    assert dialog.is_dirty() and dialog.save_button.isEnabled()
