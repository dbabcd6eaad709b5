"""保存 in 管理配置… runs 测试连接's check (the connection and the mapped fields) off the GUI
thread before writing; when it fails, the reason is shown and the operator is asked whether to
save anyway, the default being not to (issue 9). Real sandboxes on loopback, real widgets, an
in-memory keyring; every wait is a signal or a condition."""

from __future__ import annotations

import socket

import pytest
from dialog_helpers import TIMEOUT, click, new_editor, save, save_asks, type_into
from memory_keyring import LockedKeyring, MemoryKeyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from campuscard_gui.config import ConfigStore, Profile
from campuscard_gui.config.credentials import service_name
from campuscard_gui.config.fieldmap import FieldMap
from campuscard_gui.sandbox import run_sandbox

NAME = "checked"


@pytest.fixture(scope="module")
def kintone():
    with run_sandbox(backend="kintone", students=20, seed=21) as info:
        yield info


@pytest.fixture(scope="module")
def jdy():
    with run_sandbox(backend="jiandaoyun", students=20, seed=22) as info:
        yield info


def fill_kintone(qtbot, dialog, info):
    """A new kintone profile typed in; its mapping left at the defaults, which name fields the
    sandbox's cards app does not have."""
    editor = new_editor(dialog, "kintone")
    for edit, text in ((editor.name_edit, NAME), (editor.base_url_edit, info.base_url),
                       (editor.students_app_edit, info.students_app),
                       (editor.cards_app_edit, info.cards_app),
                       (editor.students_token_edit, info.students_token),
                       (editor.cards_token_edit, info.cards_token)):
        type_into(qtbot, edit, text)
    return editor


def fill_jdy(qtbot, dialog, info, *, base_url: str | None = None):
    editor = new_editor(dialog, "jiandaoyun")
    for edit, text in ((editor.name_edit, NAME), (editor.base_url_edit, base_url or info.base_url),
                       (editor.app_id_edit, info.app_id),
                       (editor.students_entry_edit, info.students_entry_id),
                       (editor.cards_entry_edit, info.cards_entry_id),
                       (editor.api_key_edit, info.api_key)):
        type_into(qtbot, edit, text)
    return editor


def ask(qtbot, dialog) -> QMessageBox:
    """保存, clicked: the check runs off the GUI thread (the dialog busy meanwhile) and fails;
    the question it opens."""
    with qtbot.waitSignal(dialog.saveAnywayRequested, timeout=TIMEOUT) as asked:
        click(qtbot, dialog.save_button)
        assert dialog.is_busy() and not dialog.save_button.isEnabled()
        assert not dialog.editor.isEnabled()  # nothing can change under the check
    return asked.args[0]


def nothing_saved(paths, keyring: MemoryKeyring) -> None:
    assert NAME not in ConfigStore(paths).load_profiles()
    assert not any(service == service_name(NAME) for service, _ in keyring.entries)


def test_a_failed_field_check_asks_and_does_not_save_by_default(qtbot, dialog, kintone, paths,
                                                                memory_keyring):
    editor = fill_kintone(qtbot, dialog, kintone)
    box = ask(qtbot, dialog)
    assert box.objectName() == "saveAnywayConfirm" and box.isVisible()
    assert box.windowModality() != Qt.WindowModality.NonModal
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.No)
    assert box.text() == "The check before saving failed: A mapped field is missing"
    assert "studentInfo" in box.informativeText()  # the backend's words: what is missing
    assert "Save “checked” anyway?" in box.informativeText()
    assert box.button(QMessageBox.StandardButton.Yes).text() == "Save &anyway"
    assert "✗" in editor.connection_label.text()  # the 测试连接 row shows the result too
    for secret in (kintone.students_token, kintone.cards_token):
        assert secret not in box.text() + box.informativeText()
    nothing_saved(paths, memory_keyring)  # nothing written while the question is open
    with qtbot.waitSignal(dialog.saveFailed, timeout=TIMEOUT) as failed:
        click(qtbot, box.button(QMessageBox.StandardButton.No))
    assert failed.args[0].startswith("Not saved. A mapped field is missing: ")
    assert dialog.status_label.text() == failed.args[0]
    nothing_saved(paths, memory_keyring)
    assert dialog.is_dirty() and dialog.save_button.isEnabled()  # the form is kept

    # Escape is "don't save" too
    box = ask(qtbot, dialog)
    with qtbot.waitSignal(dialog.saveFailed, timeout=TIMEOUT):
        qtbot.keyClick(box, Qt.Key.Key_Escape)
    nothing_saved(paths, memory_keyring)

    # ... and saved when the operator says so
    assert "A mapped field is missing" in save_asks(qtbot, dialog, anyway=True)
    saved = ConfigStore(paths).get_profile(NAME)
    assert FieldMap.from_json(saved.options["fields"]) == FieldMap()
    assert memory_keyring.entries[(service_name(NAME), "cards_token")] == kintone.cards_token


def test_the_fields_read_by_label_pass_and_save_without_a_question(qtbot, dialog, kintone,
                                                                    paths):
    editor = fill_kintone(qtbot, dialog, kintone)
    with qtbot.waitSignal(editor.fieldsLoaded, timeout=TIMEOUT):
        click(qtbot, editor.load_fields_button)
    asked = []
    dialog.saveAnywayRequested.connect(asked.append)
    with qtbot.waitSignal(editor.connectionChecked, timeout=TIMEOUT) as checked:
        save(qtbot, dialog)
    assert checked.args[0] is True and not asked
    assert dialog.status_label.text() == f"Saved “{NAME}”."
    fm = FieldMap.from_json(ConfigStore(paths).get_profile(NAME).options["fields"])
    assert (fm.card_student, fm.card_status) == ("student_no", "status")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_server_asks_too(qtbot, dialog, jdy, paths, memory_keyring):
    fill_jdy(qtbot, dialog, jdy, base_url=f"http://127.0.0.1:{_closed_port()}/api")
    dialog.editor.timeout_spin.setValue(2)
    box = ask(qtbot, dialog)
    assert box.text() == "The check before saving failed: The server cannot be reached"
    with qtbot.waitSignal(dialog.saveFailed, timeout=TIMEOUT):
        click(qtbot, box.button(QMessageBox.StandardButton.No))
    nothing_saved(paths, memory_keyring)


def test_a_locked_keyring_fails_the_save_without_a_question(qtbot, make_dialog, jdy, paths):
    """The check needs the stored key and the keyring is locked: saving could not write either,
    so it says so at once (no question whether to save anyway)."""
    ConfigStore(paths).save_profile(Profile(NAME, "jiandaoyun", {
        "base_url": jdy.base_url, "app_id": jdy.app_id,
        "students_entry": jdy.students_entry_id, "cards_entry": jdy.cards_entry_id}))
    dialog = make_dialog(LockedKeyring(), current=NAME)
    asked = []
    dialog.saveAnywayRequested.connect(asked.append)
    type_into(qtbot, dialog.editor.cards_entry_edit, jdy.cards_entry_id)  # an edit: dirty
    with qtbot.waitSignal(dialog.saveFailed, timeout=TIMEOUT) as failed:
        click(qtbot, dialog.save_button)
    assert "解锁" in failed.args[0] and not asked
    assert dialog.keyring_warning.isVisible()
    assert not dialog.is_busy() and dialog.save_button.isEnabled()
