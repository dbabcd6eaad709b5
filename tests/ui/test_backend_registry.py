"""A backend is one package plus one registration (issue 10): the tests' read-only "memo"
backend (``plugin_backend``), registered here and nowhere else, shows up in ``profiles add``
and its ``--help``, in ``profiles list``, in the factory, in the profile dialog's kind list
with its own editor, and in the window's labels — with no change to any of their code."""

from __future__ import annotations

import json

import plugin_backend
import pytest
from cli_helpers import run

from campuscard_gui import backends
from campuscard_gui.backends import BUILTIN, get, kinds, register, secret_keys, unregister
from campuscard_gui.backends.factory import open_connector, options_class
from campuscard_gui.config import ConfigStore, Profile
from campuscard_gui.core.errors import ConfigError, FatalError
from campuscard_gui.core.model import CardStatus


@pytest.fixture
def memo():
    register(plugin_backend.SPEC)
    yield plugin_backend.SPEC
    unregister(plugin_backend.KIND)


def test_the_builtin_backends_are_registered_in_order() -> None:
    assert kinds()[:len(BUILTIN)] == BUILTIN
    for kind in BUILTIN:
        assert get(kind).kind == kind
    with pytest.raises(ConfigError, match="不支持的后端类型"):
        get("yida")


def test_a_kind_cannot_be_registered_twice(memo) -> None:
    with pytest.raises(ValueError):
        register(plugin_backend.SPEC)
    with pytest.raises(ValueError):
        register(get("kintone"))


def test_a_registered_backend_is_in_profiles_add_and_its_help(memo, creds, capsys) -> None:
    code, out, _ = run(capsys, creds, "profiles", "add", "--help")
    assert code == 0
    assert "memo" in out  # a choice of --kind
    assert "--school NAME" in out and "内存学校：学校名称" in out
    # its numeric option has a flag of its own, with its declared default and range
    assert "--students N" in out and "内存学校 3（1～10000）" in out
    # and a shared one lists its range next to the others'
    assert "内存学校 5 秒（0.5～60 秒）" in out


def test_profiles_add_builds_checks_and_lists_it(memo, paths, creds, capsys) -> None:
    code, _, err = run(capsys, creds, "profiles", "add", "m1", "--kind", "memo", "--school",
                       "一中", "--students", "7", "--timeout", "2.5", "--no-check")
    assert code == 0, err
    options = ConfigStore(paths).get_profile("m1").options
    assert options == {"base_url": "https://memo.invalid", "school": "一中", "students": 7,
                       "timeout_s": 2.5, "concurrency": 1}
    # a flag another kind takes is refused for it, and its own range is its options class's
    code, _, err = run(capsys, creds, "profiles", "add", "m2", "--kind", "memo", "--school",
                       "x", "--app-id", "a", "--no-check")
    assert code == 2 and "--app-id 只用于简道云配置" in err
    code, _, err = run(capsys, creds, "profiles", "add", "m2", "--kind", "memo", "--school",
                       "x", "--timeout", "90", "--no-check")
    assert code == 2 and "0.5～60" in err
    code, _, err = run(capsys, creds, "profiles", "add", "m3", "--kind", "kintone",
                       "--school", "x", "--no-check")
    assert code == 2 and "--school 只用于内存学校配置" in err

    code, out, err = run(capsys, creds, "profiles", "list", "--format", "json")
    assert code == 0, err
    listed = {p["name"]: p for p in json.loads(out)}["m1"]
    assert listed == {"name": "m1", "kind": "memo", "default": False, "school": "一中",
                      "students": 7, "secret": "not_needed"}
    code, out, _ = run(capsys, creds, "profiles", "list")
    assert "内存学校" in out and "学校 一中、人数 7" in out


def test_the_factory_opens_it(memo, paths) -> None:
    profile = Profile("m", "memo", {"school": "一中", "students": 4})
    assert secret_keys("memo", profile.options) == ()
    assert options_class("memo") is plugin_backend.MemoOptions
    connector = open_connector(profile, paths)
    rows = connector.list_rows()
    assert [r.student.college for r in rows] == ["一中"] * 4
    with pytest.raises(FatalError):
        connector.update_cards([], CardStatus.FROZEN, "k")


def test_the_profile_dialog_offers_it_with_its_editor(memo, qtbot, dialog) -> None:
    from dialog_helpers import new_editor
    from plugin_editor import MemoEditor

    assert dialog.kind_combo.findData("memo") >= 0
    assert dialog.kind_combo.itemText(dialog.kind_combo.findData("memo")) == "In-memory school"
    editor = new_editor(dialog, "memo")
    assert isinstance(editor, MemoEditor)
    # its spin boxes come from its declared options, as the built-in kinds' do
    assert editor.timeout_spin.maximum() == 60 and editor.timeout_spin.value() == 5
    assert editor.concurrency_spin.maximum() == 4


def test_the_window_names_it_in_each_language(memo, qapp, chinese) -> None:
    from campuscard_gui.ui.labels import kind_label

    assert kind_label("memo") == "内存学校"


def test_the_window_names_it_in_english(memo, qapp) -> None:
    from campuscard_gui.ui.labels import kind_label

    assert kind_label("memo") == "In-memory school"


def test_unregistered_it_is_gone(paths) -> None:
    assert "memo" not in kinds()
    with pytest.raises(ConfigError):
        open_connector(Profile("m", "memo", {"school": "x"}), paths)
    assert backends.find("memo") is None


def test_its_sandbox_is_one_registration_too() -> None:
    import httpx

    from campuscard_gui.sandbox import registry as sandboxes
    from campuscard_gui.sandbox import start_sandbox

    sandboxes.register(plugin_backend.sandbox_spec())
    try:
        assert "memo" in sandboxes.kinds()
        running = start_sandbox("memo", students=12)
        try:
            info = running.info
            assert info.extra == {"school": "一中"}
            assert info.start_line() == {"backend": "memo", "base_url": info.base_url,
                                         "school": "一中"}
            answer = httpx.get(f"{info.base_url}/students").json()
            assert answer == {"school": "一中", "students": 12}
            # its endpoints are its own: faults can be aimed at them, not at a typo
            info.control.set_faults(["5xx"], 0.5, endpoints=["students"])
            with pytest.raises(ValueError):
                info.control.set_faults(["5xx"], 0.5, endpoints=["app/entry/data/list"])
        finally:
            running.stop()
    finally:
        sandboxes.unregister("memo")
    assert "memo" not in sandboxes.kinds()
