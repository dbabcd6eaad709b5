"""Numeric options are declared once (``config.options``) and come back as they were saved:
a timeout of 450 s or 2.5 s set with ``profiles add`` shows in the profile dialog as such,
is written back unchanged when the dialog saves another edit, and the connector reads the
same value; what the dialog offers is the range the connector takes, for every kind."""

from __future__ import annotations

import pytest
from cli_helpers import run
from dialog_helpers import save_asks
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

from campuscard_gui.backends.factory import options_class
from campuscard_gui.config import ConfigStore
from campuscard_gui.config.options import numbers

DOWN = "http://127.0.0.1:9"  # nothing listens: the dialog's check before saving fails fast
ADD = {
    "jiandaoyun": ("--base-url", f"{DOWN}/api", "--app-id", "a1", "--students-entry", "s1",
                   "--cards-entry", "c1"),
    "kintone": ("--base-url", DOWN, "--students-app", "1", "--cards-app", "2"),
    "shenbi": ("--base-url", DOWN, "--app-code", "campus", "--students-object", "student",
               "--cards-object", "card"),
    "ipaas": ("--gateway-url", f"{DOWN}/flow", "--read-profile", "reader"),
}
STDIN = {"jiandaoyun": "k\n", "kintone": "t1\nt2\n", "shenbi": "ak\nsk\n", "ipaas": ""}


def cli_add(capsys, creds, monkeypatch, kind: str, name: str, *extra: str) -> None:
    code, _, err = run(capsys, creds, "profiles", "add", name, "--kind", kind, *ADD[kind],
                       *extra, "--no-check", "--secret-stdin", stdin=STDIN[kind],
                       monkeypatch=monkeypatch)
    assert code == 0, err


def show(qtbot, dialog, name: str):
    """The saved profile ``name`` chosen in the dialog's list: its editor."""
    items = dialog.profile_list.findItems(name, Qt.MatchFlag.MatchStartsWith)
    assert items, name
    dialog.profile_list.setCurrentItem(items[0])
    qtbot.waitUntil(lambda: dialog.editor is not None and dialog.editor.name_edit.text() == name)
    return dialog.editor


def type_number(qtbot, spin: QDoubleSpinBox | QSpinBox, text: str) -> None:
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    spin.interpretText()


@pytest.mark.parametrize("kind", ["jiandaoyun", "kintone", "shenbi", "ipaas"])
def test_timeouts_of_450_and_2_5_survive_the_cli_the_dialog_and_the_connector(
        qtbot, make_dialog, paths, creds, memory, monkeypatch, capsys, kind) -> None:
    if kind == "ipaas":
        cli_add(capsys, creds, monkeypatch, "shenbi", "reader")
    cli_add(capsys, creds, monkeypatch, kind, "long", "--timeout", "450")
    cli_add(capsys, creds, monkeypatch, kind, "short", "--timeout", "2.5")
    store = ConfigStore(paths)
    assert store.get_profile("long").options["timeout_s"] == 450
    assert store.get_profile("short").options["timeout_s"] == 2.5

    dialog = make_dialog(memory)
    for name, value in (("long", 450), ("short", 2.5)):
        editor = show(qtbot, dialog, name)
        assert editor.timeout_spin.value() == value  # not clamped, not rounded
        assert editor.form_profile().options["timeout_s"] == value
        # another option edited and saved: the timeout is written back as it was
        editor.concurrency_spin.stepUp()
        save_asks(qtbot, dialog, anyway=True)  # nothing listens; saved all the same
        saved = ConfigStore(paths).get_profile(name).options
        assert saved["timeout_s"] == value and isinstance(saved["timeout_s"], type(value))
        parsed = options_class(kind).parse(saved)  # what the connector (and the CLI) reads
        assert parsed.timeout_s == value

    # typed by the operator: 2.5 s on the profile that had 450
    editor = show(qtbot, dialog, "long")
    type_number(qtbot, editor.timeout_spin, "2.5")
    assert editor.form_profile().options["timeout_s"] == 2.5
    save_asks(qtbot, dialog, anyway=True)
    assert ConfigStore(paths).get_profile("long").options["timeout_s"] == 2.5


@pytest.mark.parametrize("kind", ["jiandaoyun", "kintone", "shenbi", "ipaas"])
def test_the_dialog_offers_what_the_connector_declares(qtbot, dialog, kind) -> None:
    """Range, whole or not, and a new profile's value: from the options class, for every
    numeric option the editor shows."""
    from dialog_helpers import new_editor

    editor = new_editor(dialog, kind)
    declared = numbers(options_class(kind))
    assert {"timeout_s", "concurrency"} <= set(editor.number_spins)
    for key, spin in editor.number_spins.items():
        spec = declared[key]
        assert (spin.minimum(), spin.maximum()) == (spec.low, spec.high), key
        assert isinstance(spin, QSpinBox) == spec.integer, key
        assert spin.value() == spec.default, key
