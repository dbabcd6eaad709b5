"""``campuscard-cli profiles add`` finds the field map by label and runs 测试连接's check before
saving (issue 9), against the real loopback sandboxes and an in-memory keyring."""

from __future__ import annotations

import json
import socket

import pytest
from cli_helpers import config_text, run
from memory_keyring import MemoryKeyring

from campuscard_gui.config import ConfigStore, Paths
from campuscard_gui.config.credentials import CredentialStore
from campuscard_gui.config.fieldmap import FieldMap
from campuscard_gui.sandbox import run_sandbox
from campuscard_gui.sandbox.jiandaoyun.settings import JdySettings

# the kintone sandbox's fields, by label: 学号 (student_no) … and 学号 (student_no), 卡状态
# (status), 开卡时间 (open_time), 余额 (amount) in the cards app
KINTONE_FOUND = {"student_no": "student_no", "name": "name", "college": "college",
                 "class_name": "class_name", "student_status": "student_status",
                 "card_student": "student_no", "card_status": "status",
                 "card_open_time": "open_time", "card_amount": "amount"}


@pytest.fixture(scope="module")
def kintone():
    with run_sandbox(backend="kintone", students=30, seed=11) as info:
        yield info


@pytest.fixture(scope="module")
def jdy():
    with run_sandbox(backend="jiandaoyun", students=20, seed=12) as info:
        yield info


@pytest.fixture(scope="module")
def jdy_widget_ids():
    """No field aliases: every field's name is its _widget_ id, only the labels tell."""
    with run_sandbox(backend="jiandaoyun", students=20, seed=13,
                     settings=JdySettings(use_aliases=False)) as info:
        yield info


def kintone_add(info, *extra: str, name: str = "school") -> tuple[str, ...]:
    """``profiles add`` for the kintone sandbox exactly as README.md shows it."""
    return ("profiles", "add", name, "--kind", "kintone", "--base-url", info.base_url,
            "--students-app", info.students_app, "--cards-app", info.cards_app, *extra,
            "--secret-stdin")


def jdy_add(info, *extra: str, name: str = "jdy", students: str | None = None
            ) -> tuple[str, ...]:
    return ("profiles", "add", name, "--kind", "jiandaoyun", "--base-url", info.base_url,
            "--app-id", info.app_id, "--students-entry", students or info.students_entry_id,
            "--cards-entry", info.cards_entry_id, *extra, "--secret-stdin")


def tokens(info) -> str:
    return f"{info.students_token}\n{info.cards_token}\n"


def saved_map(paths: Paths, name: str) -> FieldMap:
    return FieldMap.from_json(ConfigStore(paths).get_profile(name).options["fields"])


def mapped(fm: FieldMap) -> dict[str, str]:
    return {key: getattr(fm, key) for key in KINTONE_FOUND}


def nothing_saved(paths: Paths, memory: MemoryKeyring, name: str) -> None:
    assert name not in ConfigStore(paths).load_profiles()
    assert not any(service.endswith(f":{name}") for service, _ in memory.entries)


def test_kintone_added_as_the_readme_shows_writes_whole_cards(
        paths: Paths, creds: CredentialStore, memory: MemoryKeyring, kintone, tmp_path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, creds, *kintone_add(kintone), stdin=tokens(kintone),
                         monkeypatch=monkeypatch)
    assert code == 0, err
    assert mapped(saved_map(paths, "school")) == KINTONE_FOUND  # not the 神笔 walkthrough's
    assert "card_status=status" in err and "连接测试通过" in err
    for secret in (kintone.students_token, kintone.cards_token):
        assert secret not in out + err + config_text(paths)

    # the profile works: opened cards are read back linked to their students, status 正常
    code, out, err = run(capsys, creds, "--profile", "school", "students", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    ids = [r["student_no"] for r in rows
           if r["student_status"] == "在读" and r["card_status"] == "未开通"][:3]
    assert len(ids) == 3
    (tmp_path / "ids.txt").write_text("\n".join(ids) + "\n", encoding="utf-8")
    code, out, err = run(capsys, creds, "--profile", "school", "open", "--ids",
                         str(tmp_path / "ids.txt"), "--yes", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["summary"]["succeeded"] == 3
    code, out, err = run(capsys, creds, "--profile", "school", "students", "--format", "json")
    now = {r["student_no"]: r for r in json.loads(out)}
    for no in ids:
        assert now[no]["card_status"] == "正常" and now[no]["card_id"], now[no]
        assert now[no]["open_time"]


def test_jiandaoyun_fields_are_found_by_label(paths: Paths, creds: CredentialStore,
                                              jdy_widget_ids, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    info = jdy_widget_ids
    code, _, err = run(capsys, creds, *jdy_add(info), stdin=info.api_key + "\n",
                       monkeypatch=monkeypatch)
    assert code == 0, err
    fm = saved_map(paths, "jdy")
    names = [getattr(fm, key) for key in KINTONE_FOUND]
    assert all(n.startswith("_widget_") for n in names) and len(set(names)) == 9
    code, out, err = run(capsys, creds, "--profile", "jdy", "students", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 20 and all(r["name"] and r["student_status"] for r in rows)


def test_map_wins_for_its_field(paths: Paths, creds: CredentialStore, jdy,
                                monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, creds, *jdy_add(jdy, "--map", "class_name=college"),
                       stdin=jdy.api_key + "\n", monkeypatch=monkeypatch)
    assert code == 0, err
    fm = saved_map(paths, "jdy")
    assert fm.class_name == "college"  # as given, though 班级 is found by label
    assert (fm.student_no, fm.card_student, fm.card_status) == (
        "student_no", "studentInfo", "status")
    assert "--map 指定的除外" in err


def test_a_field_not_found_by_label_names_it_and_the_labels_seen(
        paths: Paths, creds: CredentialStore, memory: MemoryKeyring, jdy,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # the cards form given as the students form: none of 学号, 姓名 … is there
    argv = jdy_add(jdy, students=jdy.cards_entry_id)
    code, out, err = run(capsys, creds, *argv, stdin=jdy.api_key + "\n",
                         monkeypatch=monkeypatch)
    assert code == 2 and out == ""
    assert "student_no（标签“学号”）" in err and "student_status（标签“学籍状态”）" in err
    assert "学生学号（studentInfo）" in err and "状态（status）" in err  # the labels seen
    assert "--map" in err and jdy.api_key not in err and "Traceback" not in err
    nothing_saved(paths, memory, "jdy")
    # ... unless each is given with --map (then the check decides: these fields exist)
    given = [f"--map={key}=studentInfo" for key in
             ("student_no", "name", "college", "class_name", "student_status")]
    code, _, err = run(capsys, creds, *jdy_add(jdy, *given, students=jdy.cards_entry_id),
                       stdin=jdy.api_key + "\n", monkeypatch=monkeypatch)
    assert code == 0, err
    assert saved_map(paths, "jdy").student_no == "studentInfo"


@pytest.mark.parametrize(("extra", "words"), [
    (("--map", "card_status=nope"), "卡状态（nope）"),  # no such field
    (("--map", "card_student=amount"), "禁止重复值"),  # a field, but not the unique 学号
])
def test_a_wrong_field_fails_the_check_and_saves_nothing(
        paths: Paths, creds: CredentialStore, memory: MemoryKeyring, kintone,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        extra: tuple[str, ...], words: str) -> None:
    code, out, err = run(capsys, creds, *kintone_add(kintone, *extra), stdin=tokens(kintone),
                         monkeypatch=monkeypatch)
    assert code == 1 and out == ""
    assert "连接测试失败" in err and words in err and "未保存" in err, err
    nothing_saved(paths, memory, "school")


def test_a_failed_check_leaves_the_saved_profile_as_it_was(
        paths: Paths, creds: CredentialStore, memory: MemoryKeyring, jdy,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, creds, *jdy_add(jdy), stdin=jdy.api_key + "\n",
               monkeypatch=monkeypatch)[0] == 0
    before, keyring = ConfigStore(paths).get_profile("jdy").options, dict(memory.entries)
    code, _, err = run(capsys, creds, *jdy_add(jdy, "--replace", "--timeout", "9"),
                       stdin="wrong-key\n", monkeypatch=monkeypatch)
    assert code == 1 and "连接测试失败" in err and "wrong-key" not in err
    assert ConfigStore(paths).get_profile("jdy").options == before
    assert memory.entries == keyring


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_check_saves_offline_with_a_warning(paths: Paths, creds: CredentialStore,
                                               memory: MemoryKeyring,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    argv = ("profiles", "add", "off", "--kind", "kintone", "--base-url",
            f"http://127.0.0.1:{_closed_port()}", "--students-app", "1", "--cards-app", "2",
            "--map", "card_status=status", "--timeout", "2", "--secret-stdin")
    code, _, err = run(capsys, creds, *argv, stdin="s-token\nc-token\n",
                       monkeypatch=monkeypatch)
    assert code == 1 and "连接测试失败" in err and "--no-check" in err, err
    nothing_saved(paths, memory, "off")

    code, _, err = run(capsys, creds, *argv, "--no-check", stdin="s-token\nc-token\n",
                       monkeypatch=monkeypatch)
    assert code == 0, err
    assert "注意" in err and "没有检查" in err and "profiles test off" in err
    fm = saved_map(paths, "off")
    assert fm.card_status == "status" and fm.card_student == FieldMap().card_student


def test_shenbi_and_ipaas_are_checked_before_saving(paths: Paths, creds: CredentialStore,
                                                    memory: MemoryKeyring,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with run_sandbox(backend="ipaas", students=10, seed=14) as info:
        keys = f"{info.secret_id}\n{info.secret_key}\n"
        shenbi = ("profiles", "add", "sb", "--kind", "shenbi", "--base-url", info.base_url,
                  "--app-code", info.app_code, "--students-object", info.students_object,
                  "--cards-object", info.cards_object, "--secret-stdin")
        # 神笔 lists no fields: the walkthrough's keys (or --map), proven by the check
        code, _, err = run(capsys, creds, *shenbi, "--map", "card_amount=balance", stdin=keys,
                           monkeypatch=monkeypatch)
        assert code == 1 and "字段" in err and "未保存" in err, err
        nothing_saved(paths, memory, "sb")
        code, _, err = run(capsys, creds, *shenbi, stdin=keys, monkeypatch=monkeypatch)
        assert code == 0 and "连接测试通过" in err, err
        assert saved_map(paths, "sb") == FieldMap()

        gateway = ("profiles", "add", "gw", "--kind", "ipaas", "--gateway-url",
                   info.gateway_url, "--read-profile", "sb", "--token-header",
                   "X-Gateway-Token", "--secret-stdin")
        code, _, err = run(capsys, creds, *gateway, stdin="not-the-token\n",
                           monkeypatch=monkeypatch)
        assert code == 1 and "连接测试失败" in err and "not-the-token" not in err, err
        nothing_saved(paths, memory, "gw")
        code, _, err = run(capsys, creds, *gateway, stdin=info.gateway_token + "\n",
                           monkeypatch=monkeypatch)
        assert code == 0 and "连接测试通过" in err, err
        for secret in (info.secret_id, info.secret_key, info.gateway_token):
            assert secret not in err + config_text(paths)
