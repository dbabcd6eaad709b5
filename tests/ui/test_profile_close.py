"""管理配置 closed with typed changes asks 保存 / 放弃更改 / 取消 (取消 the default, and what
Escape answers); without changes it closes at once."""

from __future__ import annotations

import socket

import pytest
from dialog_helpers import TIMEOUT, click, type_into
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from campuscard_gui.config import ConfigStore


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _type_profile(qtbot, dialog, name: str = "draft") -> None:
    dialog.new_button.click()
    editor = dialog.editor
    type_into(qtbot, editor.name_edit, name)
    type_into(qtbot, editor.base_url_edit, f"http://127.0.0.1:{_closed_port()}/api")
    type_into(qtbot, editor.app_id_edit, "app1")
    type_into(qtbot, editor.students_entry_edit, "students1")
    type_into(qtbot, editor.cards_entry_edit, "cards1")
    type_into(qtbot, editor.api_key_edit, "k" * 20)


def _shown(qtbot, dialog) -> None:
    qtbot.waitExposed(dialog)
    dialog.activateWindow()


def _escape_asks(qtbot, dialog) -> QMessageBox:
    with qtbot.waitSignal(dialog.closeConfirmRequested) as asked:
        qtbot.keyClick(dialog.editor.name_edit, Qt.Key.Key_Escape)
    box = asked.args[0]
    assert box.isVisible() and dialog.isVisible()
    return box


def test_no_changes_escape_closes_at_once(qtbot, dialog):
    _shown(qtbot, dialog)
    asked: list[object] = []
    dialog.closeConfirmRequested.connect(asked.append)
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.profile_list, Qt.Key.Key_Escape)
    assert asked == [] and not dialog.isVisible()


def test_new_profile_nobody_typed_into_closes_at_once(qtbot, dialog):
    _shown(qtbot, dialog)
    dialog.new_button.click()
    assert not dialog.has_unsaved_changes()
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.editor.name_edit, Qt.Key.Key_Escape)


def test_escape_with_changes_asks_and_cancel_is_the_default(qtbot, dialog):
    _shown(qtbot, dialog)
    _type_profile(qtbot, dialog)
    box = _escape_asks(qtbot, dialog)
    assert box.objectName() == "closeProfilesConfirm"
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert [box.button(b).text() for b in (QMessageBox.StandardButton.Save,
                                           QMessageBox.StandardButton.Discard,
                                           QMessageBox.StandardButton.Cancel)] == [
        "&Save", "D&iscard changes", "Cancel"]
    assert "draft" in box.text()
    # Escape on the question = 取消: the dialog stays, the text is kept
    with qtbot.waitSignal(box.finished):
        qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.editor.name_edit.text() == "draft"
    assert dialog.has_unsaved_changes()
    # Enter on the question = the default, 取消 as well
    box = _escape_asks(qtbot, dialog)
    with qtbot.waitSignal(box.finished):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.editor.name_edit.text() == "draft"


def test_close_button_and_window_close_ask_too(qtbot, dialog, paths):
    _shown(qtbot, dialog)
    _type_profile(qtbot, dialog)
    close = dialog.findChild(type(dialog.save_button), "closeProfilesButton")
    with qtbot.waitSignal(dialog.closeConfirmRequested) as asked:
        click(qtbot, close)
    with qtbot.waitSignal(asked.args[0].finished):
        click(qtbot, asked.args[0].button(QMessageBox.StandardButton.Cancel))
    assert dialog.isVisible()
    # the window manager's close button (a spontaneous close event)
    with qtbot.waitSignal(dialog.closeConfirmRequested) as asked:
        dialog.windowHandle().close()
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.rejected):
        click(qtbot, asked.args[0].button(QMessageBox.StandardButton.Discard))
    assert not dialog.isVisible()
    assert set(ConfigStore(paths).load_profiles()) == {"local"}


def test_discard_closes_without_saving(qtbot, dialog, paths, memory_keyring):
    _shown(qtbot, dialog)
    _type_profile(qtbot, dialog)
    box = _escape_asks(qtbot, dialog)
    with qtbot.waitSignal(dialog.rejected):
        click(qtbot, box.button(QMessageBox.StandardButton.Discard))
    assert not dialog.isVisible()
    assert set(ConfigStore(paths).load_profiles()) == {"local"}
    assert memory_keyring.entries == {}
    assert not dialog.has_unsaved_changes()  # opened again it shows what is saved


@pytest.mark.parametrize("anyway", [True, False])
def test_save_saves_then_closes(qtbot, dialog, paths, anyway):
    """保存 runs the usual save (its check fails against a closed port, so it asks whether to
    save anyway): saved → the dialog closes; not saved → it stays, the text kept."""
    _shown(qtbot, dialog)
    _type_profile(qtbot, dialog)
    box = _escape_asks(qtbot, dialog)
    with qtbot.waitSignal(dialog.saveAnywayRequested, timeout=TIMEOUT) as asked:
        click(qtbot, box.button(QMessageBox.StandardButton.Save))
    question = asked.args[0]
    if anyway:
        with qtbot.waitSignals([dialog.profileSaved, dialog.rejected], timeout=TIMEOUT):
            click(qtbot, question.button(QMessageBox.StandardButton.Yes))
        assert not dialog.isVisible()
        assert set(ConfigStore(paths).load_profiles()) == {"local", "draft"}
    else:
        with qtbot.waitSignal(dialog.saveFailed, timeout=TIMEOUT):
            click(qtbot, question.button(QMessageBox.StandardButton.No))
        assert dialog.isVisible() and dialog.editor.name_edit.text() == "draft"
        assert set(ConfigStore(paths).load_profiles()) == {"local"}
        # closing later asks again
        _escape_asks(qtbot, dialog)
