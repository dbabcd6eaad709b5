"""``campuscard-cli profiles …`` with an in-memory keyring injected through main(credentials=)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import FakeTTY, config_text, fake_getpass, run
from keyring.backends import fail
from memory_keyring import LockedKeyring, MemoryKeyring

import campuscard_gui
from campuscard_gui.backends.kintone.records import KintoneOptions
from campuscard_gui.cli import common as cli_common
from campuscard_gui.cli.commands import build_parser
from campuscard_gui.config import ConfigStore, Paths, Profile, Settings
from campuscard_gui.config.credentials import CredentialStore
from campuscard_gui.config.fieldmap import FieldMap

SECRET = "jdy-cli-SECRET-0b9d44e1"
OFFLINE = "--no-check"  # no server behind these profiles: save without the check
ADD = ("profiles", "add", "jdy", "--kind", "jiandaoyun", "--app-id", "app-1",
       "--students-entry", "stu-1", "--cards-entry", "card-1")


def no_secret_anywhere(paths: Paths, *texts: str) -> None:
    assert SECRET not in config_text(paths)
    for text in texts:
        assert SECRET not in text


def add(capsys: pytest.CaptureFixture[str], creds: CredentialStore,
        monkeypatch: pytest.MonkeyPatch, *extra: str, secret: str = SECRET,
        name: str = "jdy") -> tuple[int, str, str]:
    argv = list(ADD)
    argv[2] = name
    return run(capsys, creds, *argv, *extra, OFFLINE, "--secret-stdin", stdin=secret + "\n",
               monkeypatch=monkeypatch)


# -- add --------------------------------------------------------------------------------------

def test_add_from_stdin(paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
                        monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = add(capsys, creds, monkeypatch, "--map", "student_no=_widget_1",
                         "--map", "card_status = 卡状态")
    assert code == 0, err
    assert memory.entries == {("campuscard-gui:jdy", "api_key"): SECRET}
    profile = ConfigStore(paths).get_profile("jdy")
    assert profile.kind == "jiandaoyun"
    fm = FieldMap()
    fm.set("student_no", "_widget_1")
    fm.set("card_status", "卡状态")
    assert profile.options == {
        "base_url": "https://api.jiandaoyun.com/api", "app_id": "app-1",
        "students_entry": "stu-1", "cards_entry": "card-1", "fields": fm.to_json(),
        "timeout_s": 15, "batch_rps": 10, "enterprise_rps": 50, "concurrency": 8,
    }
    assert FieldMap.from_json(profile.options["fields"]) == fm
    assert "--no-check" in err and "没有检查" in err and "profiles test jdy" in err
    no_secret_anywhere(paths, out, err)


def test_add_tunables_and_base_url(paths: Paths, creds: CredentialStore,
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = add(capsys, creds, monkeypatch, "--base-url", "http://127.0.0.1:8123/api/",
                       "--timeout", "30", "--batch-rps", "4", "--enterprise-rps", "20",
                       "--concurrency", "2")
    assert code == 0, err
    options = ConfigStore(paths).get_profile("jdy").options
    assert options["base_url"] == "http://127.0.0.1:8123/api"  # loopback http is fine
    assert (options["timeout_s"], options["batch_rps"], options["enterprise_rps"],
            options["concurrency"]) == (30, 4, 20, 2)


def test_add_from_hidden_prompt(paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
                                monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    prompts = fake_getpass(monkeypatch, f"  {SECRET}  ")
    code, out, err = run(capsys, creds, *ADD, OFFLINE, stdin=FakeTTY(""),
                         monkeypatch=monkeypatch)
    assert code == 0, err
    assert prompts and "API 密钥" in prompts[0]
    assert memory.entries[("campuscard-gui:jdy", "api_key")] == SECRET
    no_secret_anywhere(paths, out, err)

    fake_getpass(monkeypatch, "")
    code, _, err = run(capsys, creds, *ADD[:2], "other", *ADD[3:], stdin=FakeTTY(""),
                       monkeypatch=monkeypatch)
    assert code == 2 and "没有输入" in err


def test_add_without_a_way_to_read_the_secret(paths: Paths, creds: CredentialStore,
                                              memory: MemoryKeyring,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, creds, *ADD, stdin="", monkeypatch=monkeypatch)
    assert code == 2 and "--secret-stdin" in err and out == ""
    code, _, err = run(capsys, creds, *ADD, "--secret-stdin", stdin="\n" + SECRET,
                       monkeypatch=monkeypatch)
    assert code == 2 and "第一行" in err  # only the first line counts
    assert memory.entries == {}
    assert "jdy" not in ConfigStore(paths).load_profiles()


def test_secret_is_never_an_argument(paths: Paths, creds: CredentialStore,
                                     memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    profiles = sub.choices["profiles"]
    psub = next(a for a in profiles._actions if isinstance(a, argparse._SubParsersAction))
    for action in psub.choices["add"]._actions:
        if action.dest == "token_header":  # the *name* of the gateway's header, not a secret
            continue
        words = " ".join([action.dest, *action.option_strings]).lower()
        if any(w in words for w in ("secret", "key", "password", "token")):
            assert action.nargs == 0, f"{action.option_strings} takes a value"
    for argv in ((*ADD, "--api-key", SECRET), (*ADD, "--secret", SECRET),
                 (*ADD, "--secret-stdin", SECRET)):
        code, _, _ = run(capsys, creds, *argv, stdin="", monkeypatch=monkeypatch)
        assert code == 2
    assert memory.entries == {}
    assert SECRET not in config_text(paths)


@pytest.mark.parametrize("argv,message", [
    (("profiles", "add", "jdy", "--kind", "jiandaoyun", "--students-entry", "s",
      "--cards-entry", "c"), "--app-id"),
    ((*ADD, "--map", "bogus=x"), "未知的字段"),
    ((*ADD, "--map", "student_no"), "KEY=字段名"),
    ((*ADD, "--map", "student_no= "), "不能为空"),
    ((*ADD, "--base-url", "ftp://example.com"), "https://"),
    ((*ADD, "--base-url", "http://jdy.example.edu.cn/api"), "--allow-http"),
    ((*ADD, "--concurrency", "0"), "至少"),
    (("profiles", "add", "local", "--kind", "jiandaoyun", "--app-id", "a",
      "--students-entry", "s", "--cards-entry", "c"), "local"),
    (("profiles", "add", "a/b", "--kind", "jiandaoyun", "--app-id", "a",
      "--students-entry", "s", "--cards-entry", "c"), "名称"),
    ((*ADD[:4], "dingtalk", *ADD[5:]), "invalid choice"),  # no such kind
    ((*ADD[:4], "shenbi", *ADD[5:]), "--app-id 只用于简道云配置"),
    ((*ADD[:4], "kintone", *ADD[5:]), "--app-id 只用于简道云配置"),
    ((*ADD, "--students-app", "1"), "--students-app 只用于 kintone 配置"),
])
def test_add_usage_errors(paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
                          monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                          argv: tuple[str, ...], message: str) -> None:
    code, out, err = run(capsys, creds, *argv, "--secret-stdin", stdin=SECRET + "\n",
                         monkeypatch=monkeypatch)
    assert code == 2 and message in err and out == ""
    assert "Traceback" not in err
    assert memory.entries == {}
    assert set(ConfigStore(paths).load_profiles()) == {"local"}


def test_add_http_allowed_on_request(paths: Paths, creds: CredentialStore,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = add(capsys, creds, monkeypatch, "--base-url", "http://jdy.intra/api",
                       "--allow-http")
    assert code == 0, err
    assert ConfigStore(paths).get_profile("jdy").options["base_url"] == "http://jdy.intra/api"


def test_add_duplicate_and_replace(paths: Paths, creds: CredentialStore,
                                   memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert add(capsys, creds, monkeypatch)[0] == 0
    code, _, err = add(capsys, creds, monkeypatch, secret="second")
    assert code == 2 and "--replace" in err
    assert memory.entries[("campuscard-gui:jdy", "api_key")] == SECRET
    code, _, err = add(capsys, creds, monkeypatch, "--replace", "--app-id", "app-2",
                       secret="second")
    assert code == 0, err
    assert memory.entries[("campuscard-gui:jdy", "api_key")] == "second"
    assert ConfigStore(paths).get_profile("jdy").options["app_id"] == "app-2"


@pytest.mark.parametrize("backend,code_word", [
    (fail.Keyring(), "apt-get install gnome-keyring"),
    (LockedKeyring(), "解锁"),
])
def test_add_without_a_usable_keyring_saves_nothing(paths: Paths, backend: Any, code_word: str,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = add(capsys, CredentialStore(backend), monkeypatch)
    assert code == 1
    assert code_word in err and "Traceback" not in err
    assert not paths.profiles_path.exists()
    no_secret_anywhere(paths, out, err)


def test_add_rolls_the_secret_back_when_the_profile_cannot_be_saved(
        paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(self: ConfigStore, profile: Profile) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(ConfigStore, "save_profile", broken)
    with pytest.raises(OSError):
        add(capsys, creds, monkeypatch)
    assert memory.entries == {}


# -- list -------------------------------------------------------------------------------------

def test_list(paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
              monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert add(capsys, creds, monkeypatch)[0] == 0
    store = ConfigStore(paths)
    store.save_profile(Profile("nokey", "jiandaoyun", {"app_id": "a2"}))  # secret never saved
    store.save_settings(Settings(default_profile="jdy"))

    code, out, err = run(capsys, creds, "profiles", "list", "--format", "json")
    assert code == 0, err
    listed = json.loads(out)
    assert [p["name"] for p in listed] == ["local", "jdy", "nokey"]
    by_name = {p["name"]: p for p in listed}
    assert by_name["jdy"] == {
        "name": "jdy", "kind": "jiandaoyun", "default": True,
        "base_url": "https://api.jiandaoyun.com/api", "app_id": "app-1",
        "students_entry": "stu-1", "cards_entry": "card-1", "secret": "stored"}
    assert by_name["nokey"]["secret"] == "missing"
    assert by_name["local"]["secret"] == "not_needed" and not by_name["local"]["default"]

    code, out, err = run(capsys, creds, "profiles", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["名称", "类型", "密钥", "连接"]
    assert "jdy（默认）" in out and "简道云" in out and "已保存" in out and "未保存" in out
    assert "应用 app-1" in out
    no_secret_anywhere(paths, out, err)


def test_list_without_a_keyring(paths: Paths, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    ConfigStore(paths).save_profile(Profile("jdy", "jiandaoyun", {"app_id": "a"}))
    ConfigStore(paths).save_profile(Profile("jdy2", "jiandaoyun", {"app_id": "b"}))
    code, out, err = run(capsys, CredentialStore(fail.Keyring()), "profiles", "list",
                         "--format", "json")
    assert code == 0  # listing still works; the secret column says it cannot tell
    assert {p["name"]: p["secret"] for p in json.loads(out)} == {
        "local": "not_needed", "jdy": "unknown", "jdy2": "unknown"}
    assert err.count("注意：") == 1 and "gnome-keyring" in err  # one notice, not one a profile


# -- remove -----------------------------------------------------------------------------------

def test_remove(paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
                monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert add(capsys, creds, monkeypatch)[0] == 0
    assert add(capsys, creds, monkeypatch, name="keep")[0] == 0
    creds.set("jdy", "old-token", key="api_token")  # any key the profile may have
    ConfigStore(paths).save_settings(Settings(default_profile="jdy"))

    code, _, err = run(capsys, creds, "profiles", "remove", "jdy")
    assert code == 0, err
    assert "2 项密钥" in err
    assert set(ConfigStore(paths).load_profiles()) == {"local", "keep"}
    assert set(memory.entries) == {("campuscard-gui:keep", "api_key")}
    assert ConfigStore(paths).load_settings().default_profile == "local"

    code, _, err = run(capsys, creds, "profiles", "remove", "jdy")
    assert code == 2 and "jdy" in err
    code, _, err = run(capsys, creds, "profiles", "remove", "local")
    assert code == 2 and "local" in err
    assert "local" in ConfigStore(paths).load_profiles()


def test_remove_with_a_locked_keyring(paths: Paths, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    ConfigStore(paths).save_profile(Profile("jdy", "jiandaoyun", {"app_id": "a"}))
    locked = CredentialStore(LockedKeyring())
    code, _, err = run(capsys, locked, "profiles", "remove", "jdy")
    assert code == 1 and "解锁" in err and "--force" in err
    assert "jdy" in ConfigStore(paths).load_profiles()
    code, _, err = run(capsys, locked, "profiles", "remove", "jdy", "--force")
    assert code == 0 and "未删除" in err
    assert "jdy" not in ConfigStore(paths).load_profiles()


def test_config_store_remove_profile(paths: Paths) -> None:
    store = ConfigStore(paths)
    store.save_profile(Profile("a", "jiandaoyun", {"x": 1}))
    assert store.remove_profile("a") is True
    assert store.remove_profile("a") is False
    with pytest.raises(Exception, match="local"):
        store.remove_profile("local")


# -- test -------------------------------------------------------------------------------------

def test_test_local(paths: Paths, creds: CredentialStore,
                    capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, creds, "local", "init", "--students", "5")[0] == 0
    code, _, err = run(capsys, creds, "profiles", "test", "local")
    assert code == 0 and "连接正常" in err
    paths.local_db_path("local").write_bytes(b"not a database at all" * 100)
    code, _, err = run(capsys, creds, "profiles", "test", "local")
    assert code == 1 and "连接失败" in err and "Traceback" not in err
    assert run(capsys, creds, "profiles", "test", "nope")[0] == 2


def test_test_unsupported_kind(paths: Paths, creds: CredentialStore,
                               capsys: pytest.CaptureFixture[str]) -> None:
    ConfigStore(paths).save_profile(Profile("k", "no-such-kind"))
    code, _, err = run(capsys, creds, "profiles", "test", "k")
    assert code == 1 and "no-such-kind" in err


def test_test_jiandaoyun_against_the_sandbox(paths: Paths, creds: CredentialStore,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    try:
        from campuscard_gui.backends.jiandaoyun.connector import JiandaoyunConnector  # noqa: F401
        from campuscard_gui.sandbox import run_sandbox
    except ImportError as exc:  # pragma: no cover - only while issue 3 is being put together
        pytest.skip(f"简道云 connector or sandbox not there yet (helpers JDY/SANDBOX): {exc}")

    with run_sandbox(backend="jiandaoyun", students=20, seed=1) as info:
        argv = ["profiles", "add", "jdy", "--kind", "jiandaoyun", "--base-url", info.base_url,
                "--app-id", info.app_id, "--students-entry", info.students_entry_id,
                "--cards-entry", info.cards_entry_id, "--secret-stdin"]
        code, _, err = run(capsys, creds, *argv, stdin=info.api_key + "\n",
                           monkeypatch=monkeypatch)
        assert code == 0, err
        code, _, err = run(capsys, creds, "profiles", "test", "jdy")
        assert code == 0, err
        assert "连接正常" in err and info.api_key not in err

        # the existing commands work on the remote profile through the keyring
        code, out, err = run(capsys, creds, "--profile", "jdy", "students", "--format", "json")
        assert code == 0, err
        assert len(json.loads(out)) == 20

        # a wrong key fails the check before saving: nothing changes, the keyring neither
        code, _, err = run(capsys, creds, *argv, "--replace", stdin="wrong-key\n",
                           monkeypatch=monkeypatch)
        assert code == 1 and "连接测试失败" in err and "未保存" in err, err
        assert "wrong-key" not in err and creds.get("jdy") == info.api_key
        # saved unchecked on request, then `profiles test` finds it
        code, _, err = run(capsys, creds, *argv, "--replace", OFFLINE, stdin="wrong-key\n",
                           monkeypatch=monkeypatch)
        assert code == 0 and "--no-check" in err
        code, _, err = run(capsys, creds, "profiles", "test", "jdy")
        assert code == 1 and "连接失败" in err and "wrong-key" not in err

        creds.delete("jdy")
        code, _, err = run(capsys, creds, "profiles", "test", "jdy")
        assert code == 1 and "jdy" in err  # secret_missing names the profile

    ConfigStore(paths).save_profile(Profile("gone", "jiandaoyun", {
        **ConfigStore(paths).get_profile("jdy").options, "timeout_s": 2}))
    creds.set("gone", "k")
    code, _, err = run(capsys, creds, "profiles", "test", "gone")  # sandbox stopped
    assert code == 1 and "连接失败" in err


# -- the other commands on a remote profile ---------------------------------------------------

def test_remote_profile_gets_the_credential_store(paths: Paths, creds: CredentialStore,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[tuple[Any, ...]] = []

    def fake_open(profile: Profile, p: Paths, *rest: Any) -> Any:
        seen.append((profile.name, *rest))
        raise cli_common.UsageError("stop here")

    monkeypatch.setattr(cli_common, "open_connector", fake_open)
    ConfigStore(paths).save_profile(Profile("jdy", "jiandaoyun", {}))
    assert run(capsys, creds, "--profile", "jdy", "students")[0] == 2
    assert seen == [("jdy", creds)]
    assert run(capsys, creds, "students")[0] == 2  # local: no keyring involved
    assert seen[-1] == ("local",)


def test_default_store_is_the_os_keyring(paths: Paths, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[Any] = []

    def fake_open(profile: Profile, p: Paths, credentials: Any = None) -> Any:
        seen.append(credentials)
        raise cli_common.UsageError("stop here")

    monkeypatch.setattr(cli_common, "open_connector", fake_open)
    ConfigStore(paths).save_profile(Profile("jdy", "jiandaoyun", {}))
    assert run(capsys, None, "--profile", "jdy", "students")[0] == 2
    assert isinstance(seen[0], CredentialStore) and seen[0]._backend is None  # not used yet


# -- a real process ---------------------------------------------------------------------------

def test_subprocess_without_a_keyring(paths: Paths, tmp_path: Path) -> None:
    root = Path(campuscard_gui.__file__).resolve().parents[1]
    env = dict(os.environ)
    env.update(PYTHONPATH=os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")])),
               PYTHONIOENCODING="utf-8",
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")  # never the user's

    def cli(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "campuscard_gui.cli.commands", *argv],
                              input=stdin, capture_output=True, env=env, cwd=tmp_path,
                              timeout=120, check=False)

    res = cli(*ADD, "--secret-stdin", stdin=SECRET.encode())
    assert res.returncode == 1
    err = res.stderr.decode()
    assert "钥匙环" in err and "gnome-keyring" in err and "Traceback" not in err
    assert not paths.profiles_path.exists()
    assert SECRET.encode() not in res.stdout + res.stderr

    res = cli(*ADD)  # stdin is a pipe, not a terminal: no prompt possible
    assert res.returncode == 2 and "--secret-stdin" in res.stderr.decode()

    res = cli("profiles", "list")
    assert res.returncode == 0 and "local" in res.stdout.decode()


# -- kintone ----------------------------------------------------------------------------------

S_TOKEN, C_TOKEN, PASSWORD = "k-S-TOKEN-1f2e", "k-C-TOKEN-9a8b", "k-PASSWORD-77c1"
K_SERVICE = "campuscard-gui:kin"
K_ADD = ("profiles", "add", "kin", "--kind", "kintone", "--base-url",
         "https://school.cybozu.com", "--students-app", "12", "--cards-app", "13")
CARD_MAP = ("--map", "card_student=student_no", "--map", "card_open_time=open_time",
            "--map", "card_status=status", "--map", "card_amount=amount")


def no_kintone_secret(paths: Paths, *texts: str) -> None:
    for secret in (S_TOKEN, C_TOKEN, PASSWORD):
        assert secret not in config_text(paths)
        for text in texts:
            assert secret not in text


def test_add_with_tokens_from_stdin(paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
                                    monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, creds, *K_ADD, OFFLINE, *CARD_MAP, "--guest-space", "5",
                         "--concurrency", "8", "--secret-stdin",
                         stdin=f"\ufeff{S_TOKEN}\n {C_TOKEN} \n", monkeypatch=monkeypatch)
    assert code == 0, err
    assert memory.entries == {(K_SERVICE, "students_token"): S_TOKEN,
                              (K_SERVICE, "cards_token"): C_TOKEN}
    profile = ConfigStore(paths).get_profile("kin")
    assert profile.kind == "kintone"
    fm = FieldMap()
    for spec in CARD_MAP[1::2]:
        fm.set(*spec.split("="))
    assert profile.options == {
        "base_url": "https://school.cybozu.com", "students_app": "12", "cards_app": "13",
        "guest_space": "5", "auth": "token", "user": "", "fields": fm.to_json(),
        "timeout_s": 60, "concurrency": 8}
    assert KintoneOptions.parse(profile.options).prefix == "/k/guest/5/v1/"
    assert "学生应用的 API 令牌和一卡通应用的 API 令牌已存入系统钥匙环" in err
    assert "profiles test kin" in err
    no_kintone_secret(paths, out, err)


def test_add_with_a_password(paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
                             monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, creds, *K_ADD, OFFLINE, "--auth", "password", "--user",
                         "alice", "--secret-stdin", stdin=PASSWORD + "\nignored\n",
                         monkeypatch=monkeypatch)
    assert code == 0, err
    assert memory.entries == {(K_SERVICE, "password"): PASSWORD}
    options = ConfigStore(paths).get_profile("kin").options
    assert (options["auth"], options["user"], options["concurrency"]) == ("password", "alice", 6)
    assert "kintone 密码已存入" in err
    no_kintone_secret(paths, out, err)


def test_hidden_prompts_ask_for_each_token(paths: Paths, creds: CredentialStore,
                                           memory: MemoryKeyring,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    prompts = fake_getpass(monkeypatch, S_TOKEN, C_TOKEN)
    code, out, err = run(capsys, creds, *K_ADD, OFFLINE, stdin=FakeTTY(""),
                         monkeypatch=monkeypatch)
    assert code == 0, err
    assert [p.split("（")[0] for p in prompts] == ["学生应用的 API 令牌", "一卡通应用的 API 令牌"]
    assert memory.entries[(K_SERVICE, "cards_token")] == C_TOKEN
    no_kintone_secret(paths, out, err)


def test_second_token_missing_on_stdin(paths: Paths, creds: CredentialStore,
                                       memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, creds, *K_ADD, "--secret-stdin", stdin=S_TOKEN + "\n",
                       monkeypatch=monkeypatch)
    assert code == 2 and "第二行" in err and "一卡通应用的 API 令牌" in err
    assert memory.entries == {} and "kin" not in ConfigStore(paths).load_profiles()
    code, _, err = run(capsys, creds, *K_ADD, stdin="", monkeypatch=monkeypatch)
    assert code == 2 and "--secret-stdin" in err


@pytest.mark.parametrize("argv,message", [
    (K_ADD[:5] + K_ADD[7:], "kintone 配置缺少参数：--base-url"),
    (K_ADD[:9], "--cards-app"),
    ((*K_ADD[:-1], "12"), "不能是同一个应用"),
    ((*K_ADD[:-1], "app-13"), "应用 ID"),
    ((*K_ADD, "--guest-space", "g1"), "来宾空间"),
    ((*K_ADD, "--auth", "password"), "登录名"),
    ((*K_ADD, "--user", "alice"), "--user 只用于 --auth password"),
    ((*K_ADD, "--concurrency", "51"), "concurrency"),
    ((*K_ADD, "--app-id", "a"), "--app-id 只用于简道云配置"),
    ((*K_ADD, "--batch-rps", "3"), "--batch-rps 只用于简道云配置"),
    ((*K_ADD[:6], "http://school.example.edu.cn", *K_ADD[7:]), "--allow-http"),
    ((*K_ADD, "--auth", "oauth"), "invalid choice"),
])
def test_add_kintone_usage_errors(paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
                                  monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str], argv: tuple[str, ...],
                                  message: str) -> None:
    code, out, err = run(capsys, creds, *argv, "--secret-stdin",
                         stdin=f"{S_TOKEN}\n{C_TOKEN}\n", monkeypatch=monkeypatch)
    assert code == 2 and message in err and out == "", err
    assert "Traceback" not in err and memory.entries == {}
    assert set(ConfigStore(paths).load_profiles()) == {"local"}


def test_replace_token_with_password_removes_the_tokens(
        paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, creds, *K_ADD, OFFLINE, "--secret-stdin",
               stdin=f"{S_TOKEN}\n{C_TOKEN}\n", monkeypatch=monkeypatch)[0] == 0
    code, _, err = run(capsys, creds, *K_ADD, OFFLINE, "--auth", "password", "--user", "bob",
                       "--replace", "--secret-stdin", stdin=PASSWORD + "\n",
                       monkeypatch=monkeypatch)
    assert code == 0, err
    assert memory.entries == {(K_SERVICE, "password"): PASSWORD}
    assert "删除了不再需要的 2 项旧密钥" in err


def test_list_shows_kintone_profiles(paths: Paths, creds: CredentialStore,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, creds, *K_ADD, OFFLINE, "--guest-space", "5", "--secret-stdin",
               stdin=f"{S_TOKEN}\n{C_TOKEN}\n", monkeypatch=monkeypatch)[0] == 0
    assert run(capsys, creds, *K_ADD[:2], "pw", *K_ADD[3:], OFFLINE, "--auth", "password",
               "--user", "alice", "--secret-stdin", stdin=PASSWORD + "\n",
               monkeypatch=monkeypatch)[0] == 0
    creds.delete("pw")  # its password is gone from the keyring
    code, out, err = run(capsys, creds, "profiles", "list", "--format", "json")
    assert code == 0, err
    by_name = {p["name"]: p for p in json.loads(out)}
    assert by_name["kin"] == {
        "name": "kin", "kind": "kintone", "default": False,
        "base_url": "https://school.cybozu.com", "students_app": "12", "cards_app": "13",
        "guest_space": "5", "auth": "token", "user": "", "secret": "stored"}
    assert by_name["pw"]["secret"] == "missing" and by_name["pw"]["user"] == "alice"
    code, out, err = run(capsys, creds, "profiles", "list")
    assert code == 0
    assert "学生应用 12、一卡通应用 13、来宾空间 5、认证 API 令牌" in out
    assert "认证 密码（用户 alice）" in out and "未保存" in out
    no_kintone_secret(paths, out, err)


def test_remove_removes_every_kintone_secret(paths: Paths, creds: CredentialStore,
                                     memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, creds, *K_ADD, OFFLINE, "--secret-stdin",
               stdin=f"{S_TOKEN}\n{C_TOKEN}\n", monkeypatch=monkeypatch)[0] == 0
    code, _, err = run(capsys, creds, "profiles", "remove", "kin")
    assert code == 0 and "2 项密钥" in err
    assert memory.entries == {}


def test_test_kintone_against_the_sandbox(paths: Paths, creds: CredentialStore,
                                  monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    from campuscard_gui.sandbox import run_sandbox

    with run_sandbox(backend="kintone", students=20, seed=2) as info:
        base = ("profiles", "add", "kin", "--kind", "kintone", "--base-url", info.base_url,
                "--students-app", info.students_app, "--cards-app", info.cards_app, *CARD_MAP,
                "--secret-stdin")
        tokens = f"{info.students_token}\n{info.cards_token}\n"
        assert run(capsys, creds, *base, stdin=tokens, monkeypatch=monkeypatch)[0] == 0
        code, _, err = run(capsys, creds, "profiles", "test", "kin")
        assert code == 0 and "连接正常" in err and "kintone" in err, err

        code, out, err = run(capsys, creds, "--profile", "kin", "students",
                             "--format", "json")
        assert code == 0, err
        assert len(json.loads(out)) == 20

        code, _, err = run(capsys, creds, *base, "--auth", "password", "--user",
                           info.user, "--replace", stdin=info.password + "\n",
                           monkeypatch=monkeypatch)
        assert code == 0, err
        code, _, err = run(capsys, creds, "profiles", "test", "kin")
        assert code == 0, err

        code, _, err = run(capsys, creds, *base, "--replace",
                           stdin=f"wrong-token\n{info.cards_token}\n", monkeypatch=monkeypatch)
        assert code == 1 and "认证失败" in err and "未保存" in err, err  # checked first
        assert "wrong-token" not in err
        assert ConfigStore(paths).get_profile("kin").options["auth"] == "password"  # as was
        code, _, err = run(capsys, creds, *base, "--replace", OFFLINE,
                           stdin=f"wrong-token\n{info.cards_token}\n", monkeypatch=monkeypatch)
        assert code == 0, err
        code, _, err = run(capsys, creds, "profiles", "test", "kin")
        assert code == 1 and "连接失败" in err and "wrong-token" not in err
        for secret in (info.students_token, info.cards_token, info.password):
            assert secret not in err
