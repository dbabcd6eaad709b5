"""Text options are declared once (``config.options.text``) on each remote kind's options class:
the label a declaration gives is the same text in ``profiles add --help``, in the profile
dialog's row and in what says the option is missing (``profiles add`` and the dialog), in
Chinese and in English; and a value set with ``profiles add`` comes back from the dialog and is
saved by it unchanged, leading and trailing spaces stripped by both."""

from __future__ import annotations

import pytest
from cli_helpers import run
from dialog_helpers import new_editor, save_asks, type_into
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit
from test_option_round_trip import ADD, STDIN, cli_add, show

from campuscard_gui.backends.factory import options_class
from campuscard_gui.config import ConfigStore
from campuscard_gui.config.options import texts
from campuscard_gui.core.text import has_cjk

KINDS = ["jiandaoyun", "kintone", "shenbi", "ipaas"]


def _flat(text: str) -> str:
    return " ".join(text.split())  # argparse wraps its help


def _row_label(editor, widget) -> str:
    """The text of the label that names ``widget``: its form row's, or the caption whose buddy
    it is (a row under “Advanced”)."""
    label = editor.connection_form.labelForField(widget)
    if isinstance(label, QLabel):
        return label.text()
    captions = [c for c in editor.findChildren(QLabel) if c.buddy() is widget]
    assert len(captions) == 1, widget.objectName()
    return captions[0].text()


def _without(args: tuple[str, ...], flag: str) -> tuple[str, ...]:
    i = args.index(flag)
    return args[:i] + args[i + 2:]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_one_label_in_the_help_the_dialog_and_the_missing_messages(
        qtbot, make_dialog, memory_keyring, creds, capsys, kind, lang) -> None:
    code, out, _ = run(capsys, creds, "--lang", lang, "profiles", "add", "--help")
    assert code == 0  # and the texts below the GUI are in ``lang`` from here on
    helps = _flat(out)
    declared = texts(options_class(kind))
    assert declared
    dialog = make_dialog(memory_keyring)
    editor = new_editor(dialog, kind)
    if kind == "kintone":  # the login name counts (is shown, is required) with a password
        editor.auth_combo.setCurrentIndex(editor.auth_combo.findData("password"))
    for widget in editor.text_inputs.values():
        if isinstance(widget, QLineEdit):
            widget.clear()  # 神笔's signing service and API version have a default
    problems = editor.problems()
    for key, spec in declared.items():
        label = str(spec.label)
        assert has_cjk(label) == (lang == "zh_CN"), label
        # --help: the flag's help is the declared one, starting with the label (神笔's
        # signing service and API version have none: ``--set``)
        assert bool(spec.flag) == (key not in ("service", "version")), key
        if spec.flag:
            assert _flat(spec.cli_help()).startswith(label)
            assert _flat(spec.cli_help()) in helps, key
        # the dialog: the row says the label; its field is named after the option
        widget = editor.text_inputs.get(key) or getattr(editor, f"{key}_combo")
        assert _row_label(editor, widget) == spec.row_label()
        assert label in spec.row_label() and widget.accessibleName() == label
        if not spec.required:
            continue
        # the dialog's check of an empty one (iPaaS's saved profile is chosen from a list)
        if key in editor.text_inputs:
            assert spec.missing() in problems, key
            assert label in spec.missing()
        if not spec.flag:
            continue
        # profiles add without its flag (with --auth password where it counts only then)
        args = ADD[kind] + (("--auth", "password") if spec.when else ())
        if spec.flag in args:
            args = _without(args, spec.flag)
        code, _, err = run(capsys, creds, "--lang", lang, "profiles", "add", "x", "--kind", kind,
                           *args, "--no-check")
        assert code == 2 and spec.missing_flag() in err, err
        assert label in spec.missing_flag()


EXTRA = {  # every declared text option given, with spaces around each value
    "jiandaoyun": (),
    "kintone": ("--guest-space", " 5 ", "--auth", "password", "--user", "  alice  "),
    "shenbi": ("--student-link", "student_no"),
    "ipaas": ("--token-header", "  X-Gateway-Token ", "--student-link", "student_no"),
}
SECRETS = {"kintone": "pw\n", "ipaas": "tok\n"}


def _padded(args: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(a if a.startswith("--") else f"  {a} " for a in args)


@pytest.mark.parametrize("kind", KINDS)
def test_a_value_round_trips_through_profiles_add_and_the_dialog(
        qtbot, make_dialog, memory, paths, creds, monkeypatch, capsys, kind) -> None:
    monkeypatch.setitem(ADD, kind, _padded(ADD[kind]) + EXTRA[kind])
    monkeypatch.setitem(STDIN, kind, SECRETS.get(kind, STDIN[kind]))
    if kind == "ipaas":
        cli_add(capsys, creds, monkeypatch, "shenbi", "reader")
    cli_add(capsys, creds, monkeypatch, kind, "p")
    declared = [key for key, spec in texts(options_class(kind)).items() if spec.flag]
    stored = ConfigStore(paths).get_profile("p").options
    for key in declared:
        assert stored[key] == stored[key].strip() and stored[key], key
    assert {"user": "alice", "guest_space": "5", "token_header": "X-Gateway-Token"}.items() \
        >= {k: stored[k] for k in ("user", "guest_space", "token_header") if k in stored}.items()

    dialog = make_dialog(memory)  # the keyring profiles add stored the secrets in
    editor = show(qtbot, dialog, "p")
    for key, widget in editor.text_inputs.items():
        shown = widget.currentData() if isinstance(widget, QComboBox) else widget.text()
        assert shown == stored.get(key, texts(options_class(kind))[key].default), key
    assert {k: editor.form_profile().options[k] for k in declared} \
        == {k: stored[k] for k in declared}
    # typed again with spaces around: saved as it was
    for key, widget in editor.text_inputs.items():
        if isinstance(widget, QLineEdit) and key in stored:
            type_into(qtbot, widget, f"  {stored[key]}  ")
    editor.concurrency_spin.stepUp()  # a change: the same values alone are none
    save_asks(qtbot, dialog, anyway=True)  # nothing listens; saved all the same
    saved = ConfigStore(paths).get_profile("p").options
    assert {k: saved[k] for k in declared} == {k: stored[k] for k in declared}
