"""What the profile dialog's tests do the way an operator would (typing, clicking)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

TIMEOUT = 20_000  # ms for an answer from a sandbox on loopback
SAVED = "Saved (leave empty to keep it)"  # a stored secret's placeholder


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def click(qtbot, widget: QWidget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def new_editor(dialog, kind: str):
    """新建, then the kind chosen in the kind box: that kind's editor, shown."""
    dialog.new_button.click()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))
    editor = dialog.editor
    assert editor is dialog.editors[kind] and dialog.pages.currentWidget() is editor
    return editor


def check(qtbot, editor) -> tuple[bool, str]:
    """测试连接, clicked; (ok, text) as the editor says."""
    with qtbot.waitSignal(editor.connectionChecked, timeout=TIMEOUT) as checked:
        click(qtbot, editor.test_button)
    return tuple(checked.args)


def save(qtbot, dialog) -> None:
    """保存, clicked, until the dialog says it saved."""
    with qtbot.waitSignal(dialog.profileSaved, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)


def save_fails(qtbot, dialog) -> str:
    """保存, clicked, refused: the dialog's reason."""
    with qtbot.waitSignal(dialog.saveFailed, timeout=TIMEOUT) as failed:
        click(qtbot, dialog.save_button)
    return str(failed.args[0])


def secrets_saved(qtbot, dialog, editor, keyring, name: str, stored: dict[str, str],
                  *texts: str) -> None:
    """After 保存: the keyring holds exactly ``stored`` (key -> secret) for profile ``name``,
    and none of it is in ``texts`` (the profiles file, the log); the editor shows the saved
    profile with those fields empty, their placeholders saying they are stored."""
    from campuscard_gui.config.credentials import service_name

    assert keyring.entries == {(service_name(name), key): v for key, v in stored.items()}
    for secret in stored.values():
        assert all(secret not in text for text in texts)
    assert dialog.editor is editor and not dialog.kind_combo.isEnabled()
    edits = [editor.secret_edits[key] for key in stored]
    qtbot.waitUntil(lambda: all(e.placeholderText() == SAVED for e in edits))
    assert all(e.text() == "" for e in edits)


def save_asks(qtbot, dialog, *, anyway: bool) -> str:
    """保存, clicked; the check before saving fails and the dialog asks whether to save anyway:
    answered yes (``anyway``, until it saved) or no (until it says it did not). Returns what
    the question said (the reason and the question)."""
    from PySide6.QtWidgets import QMessageBox

    with qtbot.waitSignal(dialog.saveAnywayRequested, timeout=TIMEOUT) as asked:
        click(qtbot, dialog.save_button)
    box = asked.args[0]
    text = f"{box.text()}\n{box.informativeText()}"
    button = QMessageBox.StandardButton.Yes if anyway else QMessageBox.StandardButton.No
    with qtbot.waitSignal(dialog.profileSaved if anyway else dialog.saveFailed,
                          timeout=TIMEOUT):
        click(qtbot, box.button(button))
    return text
