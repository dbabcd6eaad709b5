"""The profile dialog's 神笔 editor against the 神笔 sandbox (loopback HTTP, TC3 signatures
checked by the emulator) and an in-memory keyring. Every wait is a signal or a condition."""

from __future__ import annotations

import json
import logging
import re
import time

import pytest
from dialog_helpers import check, click, new_editor, save, save_fails, secrets_saved, type_into
from memory_keyring import MemoryKeyring
from PySide6.QtWidgets import QLineEdit, QMessageBox, QWidget

from campuscard_gui.backends.shenbi.records import ShenbiOptions
from campuscard_gui.config import ConfigStore, Profile
from campuscard_gui.config.credentials import CredentialStore, service_name
from campuscard_gui.config.options import texts
from campuscard_gui.core.model import CardStatus
from campuscard_gui.sandbox import ShenbiSettings, run_sandbox
from campuscard_gui.ui.profiles.editors.shenbi import ShenbiEditor

NAME = "shenbi-test"
KEY_HEADING = "The AK (SecretId) was rejected"
SIGNATURE_HEADING = ("The signature was rejected: check the SK (SecretKey) and the signing "
                     "settings")


@pytest.fixture(scope="module")
def sandbox():
    with run_sandbox(backend="shenbi", students=30, seed=5) as info:
        yield info


@pytest.fixture(scope="module")
def fast_clock_sandbox():
    """A server whose clock is ten minutes ahead of ours."""
    settings = ShenbiSettings(clock=lambda: time.time() + 600)
    with run_sandbox(backend="shenbi", students=5, seed=5, settings=settings) as info:
        yield info


def new_shenbi(dialog) -> ShenbiEditor:
    editor = new_editor(dialog, "shenbi")
    assert isinstance(editor, ShenbiEditor)
    return editor


def fill(qtbot, dialog, info, *, name: str = NAME, secret_id: str | None = None,
         secret_key: str | None = None, **edits: str) -> ShenbiEditor:
    """A new 神笔 profile typed into the form the way an operator would; ``edits``: other
    text boxes (attribute name -> text)."""
    editor = new_shenbi(dialog)
    values = {"name_edit": name, "base_url_edit": info.base_url,
              "app_code_edit": info.app_code, "students_object_edit": info.students_object,
              "cards_object_edit": info.cards_object,
              "secret_id_edit": secret_id or info.secret_id,
              "secret_key_edit": secret_key or info.secret_key, **edits}
    for attribute, text in values.items():
        type_into(qtbot, getattr(editor, attribute), text)
    return editor


def test_controls_are_named_and_secrets_masked(qtbot, dialog):
    editor = new_shenbi(dialog)
    names = ("profileNameEdit", "baseUrlEdit", "appCodeEdit", "studentsObjectEdit",
             "cardsObjectEdit", "studentLinkCombo", "secretIdEdit", "secretKeyEdit",
             "timeoutSpin", "concurrencySpin", "serviceEdit", "versionEdit",
             "testConnectionButton", "fieldEdit_student_no", "fieldEdit_card_status",
             "cardOption_frozen", "studentOption_suspended")
    for name in names:
        widget = editor.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
        assert widget.isVisible(), name
    for edit in (editor.secret_id_edit, editor.secret_key_edit):
        assert edit.echoMode() is QLineEdit.EchoMode.Password and edit.text() == ""
    # no field list to read: the keys are typed, the seed's card fields by default
    assert not editor.load_fields_button.isVisible()
    assert editor.findChild(QWidget, "fieldCombo_student_no") is None
    assert "no public field list" in editor.fields_label.text()
    edits = editor.mapping.field_edits
    assert {k: edits[k].text() for k in ("card_student", "card_open_time", "card_amount",
                                         "card_status")} == {
        "card_student": "studentInfo", "card_open_time": "openTime", "card_amount": "amount",
        "card_status": "status"}
    # a new profile shows the connector's defaults
    defaults = ShenbiOptions.__dataclass_fields__
    assert editor.service_edit.text() == defaults["service"].default
    assert editor.version_edit.text() == defaults["version"].default
    assert editor.concurrency_spin.value() == defaults["concurrency"].default
    assert editor.timeout_spin.value() == defaults["timeout_s"].default
    assert editor.student_link_combo.currentData() == "record_id"
    assert editor.needed_secrets() == ("secret_id", "secret_key")


def test_the_kind_box_offers_both_new_kinds(qtbot, dialog):
    combo = dialog.kind_combo
    assert [combo.itemData(i) for i in range(combo.count())] == [
        "jiandaoyun", "kintone", "shenbi", "ipaas"]
    assert combo.itemText(combo.findData("shenbi")) == "Shenbi"  # English: no Chinese
    dialog.new_button.click()
    type_into(qtbot, dialog.editor.name_edit, "school-sb")
    for kind in ("shenbi", "ipaas", "shenbi"):
        combo.setCurrentIndex(combo.findData(kind))
        assert dialog.editor is dialog.editors[kind]
        assert dialog.editor.name_edit.text() == "school-sb"  # the typed name goes along
    assert dialog.is_dirty() and not dialog.profile_list.isEnabled()


def test_connection_with_the_typed_ak_sk(qtbot, dialog, sandbox, paths):
    editor = fill(qtbot, dialog, sandbox)
    ok, text = check(qtbot, editor)
    assert ok is True, text
    assert "✓" in editor.connection_label.text()
    assert set(ConfigStore(paths).load_profiles()) == {"local"}  # testing saves nothing


@pytest.mark.parametrize(("case", "edits", "heading", "detail"), [
    ("wrong SK", {"secret_key": "0" * 32}, SIGNATURE_HEADING, "AuthFailure.SignatureFailure"),
    ("wrong AK", {"secret_id": "AKIDnot-issued-by-this-tenant"}, KEY_HEADING,
     "AuthFailure.SecretIdNotFound"),
    ("wrong service", {"service_edit": "lowcode"}, SIGNATURE_HEADING, "签名"),
    ("wrong object", {"cards_object_edit": "no_such_object"}, "An object key is wrong",
     "no_such_object"),
    ("wrong app", {"app_code_edit": "other_app"}, "The app code is wrong", "ResourceNotFound.App"),
    ("wrong field", {}, "A mapped field is missing", "cardState"),
])
def test_connection_failure_says_what(qtbot, dialog, sandbox, case, edits, heading, detail):
    editor = fill(qtbot, dialog, sandbox, **edits)
    if case == "wrong field":
        type_into(qtbot, editor.mapping.field_edits["card_status"], "cardState")
    ok, text = check(qtbot, editor)
    assert ok is False
    assert text.startswith(heading + ": ") and detail in text, text
    assert "✗" in editor.connection_label.text()
    assert sandbox.secret_key not in text and sandbox.secret_key not in editor.toolTip()


def test_a_clock_off_by_minutes_is_named(qtbot, dialog, fast_clock_sandbox):
    editor = fill(qtbot, dialog, fast_clock_sandbox)
    ok, text = check(qtbot, editor)
    assert ok is False
    assert text.startswith("This computer's clock is off: "), text
    assert re.search(r"本机时钟比服务器慢约 (59\d|60\d) 秒", text), text  # and by how much


def test_save_writes_the_options_and_both_secrets(qtbot, dialog, sandbox, memory_keyring,
                                                  paths, caplog):
    caplog.set_level(logging.DEBUG)
    editor = fill(qtbot, dialog, sandbox)
    editor.student_link_combo.setCurrentIndex(editor.student_link_combo.findData("record_id"))
    editor.concurrency_spin.setValue(3)
    option = editor.mapping.card_option_combos[CardStatus.FROZEN]
    option.setEditText("停用")  # a school's own label for 冻结 stays editable
    save(qtbot, dialog)
    text = paths.profiles_path.read_text(encoding="utf-8")
    body = json.loads(text)[NAME]
    assert body["kind"] == "shenbi"
    options = body["options"]
    assert {k: options[k] for k in ("base_url", "app_code", "students_object", "cards_object",
                                    "student_link", "service", "version", "concurrency")} == {
        "base_url": sandbox.base_url, "app_code": sandbox.app_code,
        "students_object": sandbox.students_object, "cards_object": sandbox.cards_object,
        "student_link": "record_id", "service": sandbox.service, "version": sandbox.version,
        "concurrency": 3}
    parsed = ShenbiOptions.parse(options)  # exactly what the connector reads
    assert parsed.fields.card_student == "studentInfo"
    assert parsed.fields.card_status_labels[CardStatus.FROZEN] == "停用"
    # shown again: nothing filled back, the placeholders say both are stored
    secrets_saved(qtbot, dialog, editor, memory_keyring, NAME,
                  {"secret_id": sandbox.secret_id, "secret_key": sandbox.secret_key},
                  text, caplog.text)
    assert dialog.profile_list.currentItem().text() == f"{NAME} · Shenbi"
    ok, text = check(qtbot, editor)  # with the stored AK/SK
    assert ok is True, text
    # the SK typed again, wrong; the stored AK kept: the typed one is what is tested
    type_into(qtbot, editor.secret_key_edit, "f" * 32)
    ok, text = check(qtbot, editor)
    assert ok is False and text.startswith(SIGNATURE_HEADING)
    assert memory_keyring.entries[(service_name(NAME), "secret_key")] == sandbox.secret_key


def test_a_saved_profile_shows_what_it_left_out_as_the_defaults(qtbot, make_dialog, paths,
                                                                 sandbox):
    """A profile made by campuscard-cli (no service, version or tunables) shows the
    connector's defaults and keeps the options the dialog does not show."""
    ConfigStore(paths).save_profile(Profile(NAME, "shenbi", {
        "base_url": sandbox.base_url, "app_code": sandbox.app_code,
        "students_object": sandbox.students_object, "cards_object": sandbox.cards_object,
        "batch_size": 50, "region": "ap-guangzhou", "student_link": "student_no"}))
    keyring = MemoryKeyring()
    credentials = CredentialStore(keyring)
    credentials.set(NAME, sandbox.secret_id, "secret_id")
    credentials.set(NAME, sandbox.secret_key, "secret_key")
    dialog = make_dialog(keyring, current=NAME)
    editor = dialog.editor
    assert isinstance(editor, ShenbiEditor) and not dialog.is_dirty()
    assert editor.name_edit.isReadOnly()
    assert editor.student_link_combo.currentData() == "student_no"
    assert editor.service_edit.text() == "apaas"
    type_into(qtbot, editor.version_edit, sandbox.version)  # typed again: a change
    assert dialog.is_dirty()
    save(qtbot, dialog)
    options = ConfigStore(paths).get_profile(NAME).options
    assert (options["batch_size"], options["region"]) == (50, "ap-guangzhou")  # kept
    assert options["service"] == "apaas" and options["student_link"] == "student_no"


MISSING = {key: spec.missing() for key, spec in texts(ShenbiOptions).items()}


@pytest.mark.parametrize(("edit", "value", "problem"), [
    ("base_url_edit", "", "Enter the OpenAPI URL."),
    ("base_url_edit", "openapi.example.com", "The OpenAPI URL must start with https://."),
    ("base_url_edit", "http://openapi.example.com", "The OpenAPI URL is not encrypted"),
    ("app_code_edit", "", MISSING["app_code"]),  # the declared label (ShenbiOptions)
    ("cards_object_edit", "student", "must be two objects"),
    ("students_object_edit", "", MISSING["students_object"]),
    ("version_edit", "", MISSING["version"]),
    ("app_code_edit", "9app", "app_code"),  # the connector's own format check
    ("field:card_status", "", "Field for Card status"),
])
def test_form_problems(qtbot, dialog, sandbox, paths, edit, value, problem):
    editor = fill(qtbot, dialog, sandbox)
    target = (editor.mapping.field_edits[edit.split(":")[1]] if edit.startswith("field:")
              else getattr(editor, edit))
    target.clear()
    if value:
        qtbot.keyClicks(target, value)
    assert problem in save_fails(qtbot, dialog)
    with qtbot.waitSignal(editor.connectionChecked) as checked:  # nothing is sent either
        click(qtbot, editor.test_button)
    assert checked.args[0] is False and problem in checked.args[1]
    assert not paths.profiles_path.exists()


def test_a_new_profile_needs_both_ak_and_sk(qtbot, dialog, sandbox, memory_keyring):
    editor = fill(qtbot, dialog, sandbox)
    editor.secret_key_edit.clear()
    assert "Enter the SK (SecretKey)." in save_fails(qtbot, dialog)
    editor.secret_id_edit.clear()
    assert "Enter the AK (SecretId), SK (SecretKey)." in save_fails(qtbot, dialog)
    assert memory_keyring.entries == {}


def test_delete_removes_ak_and_sk(qtbot, dialog, sandbox, memory_keyring):
    fill(qtbot, dialog, sandbox)
    save(qtbot, dialog)
    assert len(memory_keyring.entries) == 2
    with qtbot.waitSignal(dialog.deleteConfirmRequested) as asked:
        click(qtbot, dialog.delete_button)
    box: QMessageBox = asked.args[0]
    with qtbot.waitSignal(dialog.profileDeleted):
        click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    assert memory_keyring.entries == {}
    assert dialog.profile_names() == ["local"]
