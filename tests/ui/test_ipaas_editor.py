"""The profile dialog's iPaaS 集成流 editor: the 神笔 profile it reads through, the gateway and its
optional token, against the iPaaS sandbox (the seed's flow in front of an emulated 神笔) and an
in-memory keyring."""

from __future__ import annotations

import json

import pytest
from dialog_helpers import (
    SAVED,
    check,
    click,
    new_editor,
    save,
    save_asks,
    save_fails,
    type_into,
)
from memory_keyring import MemoryKeyring
from PySide6.QtWidgets import QMessageBox, QWidget

from campuscard_gui.backends.ipaas.options import IpaasOptions
from campuscard_gui.config import ConfigStore, Profile
from campuscard_gui.config.credentials import CredentialStore, service_name
from campuscard_gui.sandbox import ShenbiSettings, run_sandbox
from campuscard_gui.ui.profiles.editors.ipaas import IpaasEditor

NAME, READER = "flow", "sb"
HEADER = "X-Gateway-Token"  # the header the sandbox's gateway checks


@pytest.fixture(scope="module")
def sandbox():
    with run_sandbox(backend="ipaas", students=20, seed=6) as info:
        yield info


def save_reader(paths, keyring: MemoryKeyring, info, *, name: str = READER,
                secret_key: str | None = None) -> None:
    """A saved 神笔 profile over the sandbox's 神笔, its AK/SK in the keyring."""
    ConfigStore(paths).save_profile(Profile(name, "shenbi", {
        "base_url": info.base_url, "app_code": info.app_code,
        "students_object": info.students_object, "cards_object": info.cards_object}))
    credentials = CredentialStore(keyring)
    credentials.set(name, info.secret_id, "secret_id")
    credentials.set(name, secret_key or info.secret_key, "secret_key")


@pytest.fixture
def reader_dialog(make_dialog, memory_keyring, paths, sandbox):
    save_reader(paths, memory_keyring, sandbox)
    return make_dialog(memory_keyring)


def fill(qtbot, dialog, info, *, token: str | None = None, header: str = HEADER
         ) -> IpaasEditor:
    editor = new_editor(dialog, "ipaas")
    assert isinstance(editor, IpaasEditor)
    type_into(qtbot, editor.name_edit, NAME)
    type_into(qtbot, editor.base_url_edit, info.gateway_url)
    editor.read_profile_combo.setCurrentIndex(editor.read_profile_combo.findData(READER))
    if header:
        type_into(qtbot, editor.token_header_edit, header)
        type_into(qtbot, editor.gateway_token_edit, token or info.gateway_token)
    return editor


def test_the_form(qtbot, make_dialog, memory_keyring, paths, sandbox):
    save_reader(paths, memory_keyring, sandbox, name="sb-b")
    save_reader(paths, memory_keyring, sandbox, name="sb-a")
    ConfigStore(paths).save_profile(Profile("k", "kintone", {"base_url": "https://x"}))
    dialog = make_dialog(memory_keyring)
    editor = new_editor(dialog, "ipaas")
    for name in ("profileNameEdit", "baseUrlEdit", "readProfileCombo", "tokenHeaderEdit",
                 "studentIdCombo", "chunkSizeSpin", "timeoutSpin", "concurrencySpin",
                 "testConnectionButton"):
        widget = editor.findChild(QWidget, name)
        assert widget is not None and widget.accessibleName() and widget.isVisible(), name
    assert editor.base_url_edit.accessibleName() == "Gateway URL"
    combo = editor.read_profile_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["sb-a", "sb-b"]  # 神笔 only
    # no mapping of its own: the 神笔 profile's applies
    assert not editor.findChild(QWidget, "fieldMappingGroup").isVisible()
    assert "fields" not in editor.form_profile().options
    # the token is asked for only when the gateway takes one
    assert not editor.gateway_token_edit.isVisible() and editor.needed_secrets() == ()
    type_into(qtbot, editor.token_header_edit, HEADER)
    assert editor.gateway_token_edit.isVisible()
    assert editor.needed_secrets() == ("gateway_token",)
    assert "Enter the gateway token." in save_fails(qtbot, dialog)
    defaults = IpaasOptions.__dataclass_fields__
    assert editor.chunk_spin.value() == defaults["chunk_size"].default
    assert editor.timeout_spin.value() == defaults["timeout_s"].default
    assert editor.concurrency_spin.value() == defaults["concurrency"].default


def test_without_a_shenbi_profile_there_is_nothing_to_read_through(qtbot, dialog, sandbox):
    editor = fill(qtbot, dialog, sandbox, header="")
    assert editor.read_profile_combo.count() == 0
    assert "Choose the Shenbi profile to read through (save one first)." in save_fails(qtbot,
                                                                                   dialog)


def test_a_new_shenbi_profile_is_offered_at_once(qtbot, dialog, paths, sandbox):
    editor = new_editor(dialog, "shenbi")
    for attribute, text in (("name_edit", "sb-new"), ("base_url_edit", sandbox.base_url),
                            ("app_code_edit", sandbox.app_code),
                            ("students_object_edit", sandbox.students_object),
                            ("cards_object_edit", sandbox.cards_object),
                            ("secret_id_edit", sandbox.secret_id),
                            ("secret_key_edit", sandbox.secret_key)):
        type_into(qtbot, getattr(editor, attribute), text)
    save(qtbot, dialog)
    ipaas = dialog.editors["ipaas"]
    assert isinstance(ipaas, IpaasEditor)
    assert ipaas.read_profile_combo.findData("sb-new") >= 0


def test_the_reader_is_tested_first(qtbot, make_dialog, memory_keyring, paths, sandbox):
    save_reader(paths, memory_keyring, sandbox, secret_key="0" * 32)  # a wrong SK stored
    dialog = make_dialog(memory_keyring)
    editor = fill(qtbot, dialog, sandbox)
    ok, text = check(qtbot, editor)
    assert ok is False
    assert text.startswith("The signature was rejected"), text
    assert sandbox.gateway_token not in text


def test_connection_through_the_gateway(qtbot, reader_dialog, sandbox):
    editor = fill(qtbot, reader_dialog, sandbox)
    ok, text = check(qtbot, editor)
    assert ok is True, text


def test_a_wrong_gateway_token_is_named(qtbot, reader_dialog, sandbox):
    editor = fill(qtbot, reader_dialog, sandbox, token="not-the-token")
    ok, text = check(qtbot, editor)
    assert ok is False and text.startswith("The gateway refused the token: "), text


def test_a_gateway_without_a_token(qtbot, make_dialog, memory_keyring, paths):
    with run_sandbox(backend="ipaas", students=5, seed=6,
                     settings=ShenbiSettings(gateway_token="")) as info:
        save_reader(paths, memory_keyring, info)
        dialog = make_dialog(memory_keyring)
        editor = fill(qtbot, dialog, info, header="")
        assert editor.typed_secrets() == {}
        ok, text = check(qtbot, editor)
        assert ok is True, text
        save(qtbot, dialog)
    assert (service_name(NAME), "gateway_token") not in memory_keyring.entries


def test_save_with_a_token_then_without(qtbot, reader_dialog, memory_keyring, paths, sandbox):
    dialog = reader_dialog
    editor = fill(qtbot, dialog, sandbox)
    editor.chunk_spin.setValue(50)
    editor.student_id_combo.setCurrentIndex(editor.student_id_combo.findData("student_no"))
    save(qtbot, dialog)
    text = paths.profiles_path.read_text(encoding="utf-8")
    body = json.loads(text)[NAME]
    assert body == {"kind": "ipaas", "options": {
        "gateway_url": sandbox.gateway_url, "read_profile": READER, "token_header": HEADER,
        "student_id": "student_no", "chunk_size": 50, "timeout_s": 120, "concurrency": 2}}
    assert IpaasOptions.parse(body["options"]).chunk_size == 50
    token_entry = (service_name(NAME), "gateway_token")
    assert memory_keyring.entries[token_entry] == sandbox.gateway_token
    assert sandbox.gateway_token not in text
    assert dialog.profile_list.currentItem().text() == f"{NAME} · iPaaS flow"
    qtbot.waitUntil(lambda: editor.gateway_token_edit.placeholderText() == SAVED)
    # the gateway no longer takes a token: saving removes it
    editor.token_header_edit.clear()
    qtbot.keyClicks(editor.token_header_edit, " ")
    assert not editor.gateway_token_edit.isVisible() and dialog.is_dirty()
    # (this sandbox's gateway still wants one: the check before saving says so)
    assert "The gateway refused the token" in save_asks(qtbot, dialog, anyway=True)
    assert token_entry not in memory_keyring.entries
    assert (service_name(READER), "secret_key") in memory_keyring.entries  # the reader's stay
    assert ConfigStore(paths).get_profile(NAME).options["token_header"] == ""


def test_a_reader_that_is_gone_is_named(qtbot, make_dialog, paths, sandbox):
    ConfigStore(paths).save_profile(Profile(NAME, "ipaas", {
        "gateway_url": sandbox.gateway_url, "read_profile": "removed-sb"}))
    dialog = make_dialog(MemoryKeyring(), current=NAME)
    editor = dialog.editor
    assert isinstance(editor, IpaasEditor) and not dialog.is_dirty()
    assert editor.read_profile_combo.currentData() == "removed-sb"
    assert "not a saved Shenbi profile" in editor.read_profile_combo.currentText()
    type_into(qtbot, editor.token_header_edit, "")  # any edit, to be able to save
    editor.chunk_spin.setValue(10)
    assert "“removed-sb” is not a saved Shenbi profile" in save_fails(qtbot, dialog)


def test_the_shenbi_profile_it_reads_through_cannot_be_deleted(qtbot, make_dialog,
                                                               memory_keyring, paths, sandbox):
    save_reader(paths, memory_keyring, sandbox)
    ConfigStore(paths).save_profile(Profile(NAME, "ipaas", {
        "gateway_url": sandbox.gateway_url, "read_profile": READER}))
    dialog = make_dialog(memory_keyring, current=READER)
    with qtbot.waitSignal(dialog.deleteConfirmRequested) as asked:
        click(qtbot, dialog.delete_button)
    box: QMessageBox = asked.args[0]
    click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    qtbot.waitUntil(lambda: f"“{NAME}”" in dialog.status_label.text())
    assert "不能删除" in dialog.status_label.text()
    assert set(ConfigStore(paths).load_profiles()) >= {READER, NAME}
    assert (f"campuscard-gui:{READER}", "secret_key") in memory_keyring.entries  # kept
