"""``campuscard-cli profiles …`` for 神笔 and iPaaS profiles, with an in-memory keyring."""

from __future__ import annotations

import json

import pytest
from cli_helpers import FakeTTY, config_text, fake_getpass, run
from keyring.backends import fail
from memory_keyring import MemoryKeyring

from campuscard_gui.backends.ipaas.options import IpaasOptions
from campuscard_gui.backends.shenbi.records import ShenbiOptions
from campuscard_gui.config import ConfigStore, Paths, Profile
from campuscard_gui.config.credentials import CredentialStore
from campuscard_gui.config.fieldmap import FieldMap
from campuscard_gui.core.errors import ConfigError

AK, SK, GW_TOKEN = "AKIDsb-CLI-7d1e", "sk-CLI-SECRET-41aa", "gw-CLI-TOKEN-0c3f"
SERVICE, GW_SERVICE = "campuscard-gui:sb", "campuscard-gui:gw"
SB_ADD = ("profiles", "add", "sb", "--kind", "shenbi", "--base-url",
          "https://openapi.apaas.example.com", "--app-code", "campus",
          "--students-object", "student", "--cards-object", "card")
OFFLINE = "--no-check"  # no server behind these profiles: save without the check
GW_ADD = ("profiles", "add", "gw", "--kind", "ipaas", "--gateway-url",
          "https://ipaas.example.edu.cn/trigger/abc", "--read-profile", "sb")


def no_secret(paths: Paths, *texts: str) -> None:
    for secret in (AK, SK, GW_TOKEN):
        assert secret not in config_text(paths)
        for text in texts:
            assert secret not in text


def add_shenbi(capsys: pytest.CaptureFixture[str], creds: CredentialStore,
               monkeypatch: pytest.MonkeyPatch, *extra: str,
               stdin: str = f"{AK}\n{SK}\n") -> tuple[int, str, str]:
    return run(capsys, creds, *SB_ADD, *extra, OFFLINE, "--secret-stdin", stdin=stdin,
               monkeypatch=monkeypatch)


def saved(paths: Paths, name: str) -> Profile:
    return ConfigStore(paths).get_profile(name)


# -- 神笔 -------------------------------------------------------------------------------------

def test_add_shenbi_from_stdin(paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
                               monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = add_shenbi(capsys, creds, monkeypatch, "--map", "student_no=xh",
                                "--student-link", "student_no",
                                stdin=f"\ufeff{AK}\n  {SK} \nignored\n")
    assert code == 0, err
    assert memory.entries == {(SERVICE, "secret_id"): AK, (SERVICE, "secret_key"): SK}
    profile = saved(paths, "sb")
    fm = FieldMap()
    fm.set("student_no", "xh")
    assert profile.kind == "shenbi"
    assert profile.options == {
        "base_url": "https://openapi.apaas.example.com", "app_code": "campus",
        "students_object": "student", "cards_object": "card", "fields": fm.to_json(),
        "student_link": "student_no", "timeout_s": 30.0, "concurrency": 8}
    parsed = ShenbiOptions.parse(profile.options)  # exactly what the connector reads
    assert parsed.fields.card_student == "studentInfo"  # the seed's card fields by default
    assert "神笔 AK（SecretId）和神笔 SK（SecretKey）已存入系统钥匙环" in err
    assert "profiles test sb" in err
    no_secret(paths, out, err)


def test_add_shenbi_wire_settings(paths: Paths, creds: CredentialStore,
                                  monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = add_shenbi(capsys, creds, monkeypatch, "--set", "service=lowcode",
                              "--set", " version = 2023-06-01 ", "--set", "batch_size=50",
                              "--set", "settle_s=90.5", "--set", "action_create=BatchCreate",
                              "--timeout", "45", "--concurrency", "2")
    assert code == 0, err
    options = saved(paths, "sb").options
    assert {k: options[k] for k in ("service", "version", "batch_size", "settle_s",
                                    "action_create", "timeout_s", "concurrency")} == {
        "service": "lowcode", "version": "2023-06-01", "batch_size": 50, "settle_s": 90.5,
        "action_create": "BatchCreate", "timeout_s": 45, "concurrency": 2}
    parsed = ShenbiOptions.parse(options)
    assert (parsed.service, parsed.batch_size, parsed.region) == ("lowcode", 50, "")


def test_hidden_prompts_ask_for_ak_then_sk(paths: Paths, creds: CredentialStore,
                                           memory: MemoryKeyring,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    prompts = fake_getpass(monkeypatch, AK, SK)
    code, out, err = run(capsys, creds, *SB_ADD, OFFLINE, stdin=FakeTTY(""),
                         monkeypatch=monkeypatch)
    assert code == 0, err
    assert [p.split("（输入时不显示）")[0] for p in prompts] == [
        "神笔 AK（SecretId）", "神笔 SK（SecretKey）"]
    assert memory.entries == {(SERVICE, "secret_id"): AK, (SERVICE, "secret_key"): SK}
    no_secret(paths, out, err)


def test_sk_missing_on_stdin(paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
                             monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = add_shenbi(capsys, creds, monkeypatch, stdin=AK + "\n")
    assert code == 2 and "第二行" in err and "SecretKey" in err
    assert memory.entries == {} and "sb" not in ConfigStore(paths).load_profiles()
    code, _, err = run(capsys, creds, *SB_ADD, stdin="", monkeypatch=monkeypatch)
    assert code == 2 and "--secret-stdin" in err  # no terminal to ask on


@pytest.mark.parametrize("argv,message", [
    (SB_ADD[:7] + SB_ADD[9:], "神笔配置缺少参数：--app-code"),
    (SB_ADD[:5] + SB_ADD[7:], "--base-url"),
    ((*SB_ADD[:-1], "student"), "不能是同一个对象"),
    ((*SB_ADD[:-1], "9card"), "cards_object"),
    ((*SB_ADD, "--student-link", "name"), "invalid choice"),
    ((*SB_ADD, "--map", "bogus=x"), "未知的字段"),
    ((*SB_ADD, "--set", "bogus=1"), "--set 不认识“bogus”"),
    ((*SB_ADD, "--set", "service"), "KEY=值"),
    ((*SB_ADD, "--set", "batch_size=many"), "--set batch_size 应为整数"),
    ((*SB_ADD, "--set", "settle_s=nan"), "--set settle_s 应为数"),
    ((*SB_ADD, "--set", "batch_size=5000"), "batch_size"),
    ((*SB_ADD, "--set", "timeout_s=5"), "请用 --timeout 设置"),
    ((*SB_ADD, "--set", "app_code=x"), "请用 --app-code 设置"),
    ((*SB_ADD, "--gateway-url", "https://x"), "--gateway-url 只用于 iPaaS 集成流配置"),
    ((*SB_ADD, "--app-id", "a"), "--app-id 只用于简道云配置"),
    ((*SB_ADD[:6], "http://openapi.example.com", *SB_ADD[7:]), "--allow-http"),
    ((*SB_ADD[:6], "ftp://openapi.example.com", *SB_ADD[7:]), "神笔 OpenAPI 地址应以 https://"),
    (("profiles", "add", "k", "--kind", "kintone", "--base-url", "https://x.cybozu.com",
      "--students-app", "1", "--cards-app", "2", "--app-code", "c"), "--app-code 只用于神笔配置"),
    (("profiles", "add", "j", "--kind", "jiandaoyun", "--app-id", "a", "--students-entry", "s",
      "--cards-entry", "c", "--student-link", "student_no"),
     "--student-link 只用于神笔和 iPaaS 集成流配置"),
])
def test_add_shenbi_usage_errors(paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
                                 monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str], argv: tuple[str, ...],
                                 message: str) -> None:
    code, out, err = run(capsys, creds, *argv, "--secret-stdin", stdin=f"{AK}\n{SK}\n",
                         monkeypatch=monkeypatch)
    assert code == 2 and message in err and out == "", err
    assert "Traceback" not in err and memory.entries == {}
    assert set(ConfigStore(paths).load_profiles()) == {"local"}


# -- iPaaS ------------------------------------------------------------------------------------

@pytest.fixture
def with_shenbi(paths: Paths, creds: CredentialStore, monkeypatch: pytest.MonkeyPatch,
                capsys: pytest.CaptureFixture[str]) -> None:
    assert add_shenbi(capsys, creds, monkeypatch)[0] == 0


def test_add_ipaas_with_a_gateway_token(paths: Paths, creds: CredentialStore,
                                        memory: MemoryKeyring, with_shenbi: None,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, creds, *GW_ADD, OFFLINE, "--token-header", "X-Gateway-Token",
                         "--chunk-size", "50", "--set", "settle_s=30", "--secret-stdin",
                         stdin=GW_TOKEN + "\n", monkeypatch=monkeypatch)
    assert code == 0, err
    assert memory.entries[(GW_SERVICE, "gateway_token")] == GW_TOKEN
    profile = saved(paths, "gw")
    assert profile.kind == "ipaas"
    assert profile.options == {
        "gateway_url": "https://ipaas.example.edu.cn/trigger/abc", "read_profile": "sb",
        "token_header": "X-Gateway-Token", "student_id": "record_id", "timeout_s": 120.0,
        "concurrency": 2, "chunk_size": 50, "settle_s": 30.0}
    assert IpaasOptions.parse(profile.options).chunk_size == 50
    assert "iPaaS 网关密钥已存入系统钥匙环" in err
    no_secret(paths, out, err)


def test_add_ipaas_without_a_token_needs_no_secret_and_no_keyring(
        paths: Paths, with_shenbi: None, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # no --secret-stdin, no terminal, no keyring: nothing to ask for, nothing to store
    code, _, err = run(capsys, CredentialStore(fail.Keyring()), *GW_ADD, OFFLINE,
                       "--student-link", "student_no", stdin="", monkeypatch=monkeypatch)
    assert code == 0, err
    assert "此配置不需要密钥" in err and "没有测试连接" in err
    options = saved(paths, "gw").options
    assert (options["token_header"], options["student_id"]) == ("", "student_no")


def test_replace_ipaas_without_the_header_removes_the_token(
        paths: Paths, creds: CredentialStore, memory: MemoryKeyring, with_shenbi: None,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, creds, *GW_ADD, OFFLINE, "--token-header", "X-Token", "--secret-stdin",
               stdin=GW_TOKEN + "\n", monkeypatch=monkeypatch)[0] == 0
    code, _, err = run(capsys, creds, *GW_ADD, OFFLINE, "--replace", stdin="",
                       monkeypatch=monkeypatch)
    assert code == 0, err
    assert "删除了不再需要的 1 项旧密钥" in err
    assert set(memory.entries) == {(SERVICE, "secret_id"), (SERVICE, "secret_key")}


def test_token_header_prompts_for_the_token(paths: Paths, creds: CredentialStore,
                                            memory: MemoryKeyring, with_shenbi: None,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    prompts = fake_getpass(monkeypatch, GW_TOKEN)
    code, _, err = run(capsys, creds, *GW_ADD, OFFLINE, "--token-header", "X-Token",
                       stdin=FakeTTY(""), monkeypatch=monkeypatch)
    assert code == 0, err
    assert len(prompts) == 1 and prompts[0].startswith("iPaaS 网关密钥")
    code, _, err = run(capsys, creds, *GW_ADD[:2], "gw2", *GW_ADD[3:], "--token-header",
                       "X-Token", "--secret-stdin", stdin="\n", monkeypatch=monkeypatch)
    assert code == 2 and "第一行" in err and "gw2" not in ConfigStore(paths).load_profiles()


@pytest.mark.parametrize("argv,message", [
    ((*GW_ADD[:-1], "nope"), "--read-profile 应为已保存的神笔配置，“nope”不存在（可用：sb）"),
    ((*GW_ADD[:-1], "jdy"), "“jdy”是简道云配置"),
    ((*GW_ADD[:-1], "gw"), "“gw”不存在"),
    (GW_ADD[:7], "iPaaS 集成流配置缺少参数：--read-profile"),
    (GW_ADD[:5] + GW_ADD[7:], "--gateway-url"),
    ((*GW_ADD, "--token-header", "X Token"), "请求头名称不正确"),
    ((*GW_ADD, "--chunk-size", "0"), "至少"),
    ((*GW_ADD, "--chunk-size", "5000"), "chunk_size"),
    ((*GW_ADD, "--set", "service=x"), "--set 不认识“service”（可设置：flow_actions、max_answer_mb、"
                                       "request_deadline_s、settle_s）"),
    ((*GW_ADD, "--map", "student_no=x"), "--map 只用于简道云、kintone 和神笔配置"),
    ((*GW_ADD, "--base-url", "https://x"), "--base-url 只用于简道云、kintone 和神笔配置"),
    ((*GW_ADD, "--app-code", "c"), "--app-code 只用于神笔配置"),
    ((*GW_ADD[:6], "http://ipaas.example.edu.cn/t", *GW_ADD[7:]), "iPaaS 网关地址不加密"),
])
def test_add_ipaas_usage_errors(paths: Paths, creds: CredentialStore, memory: MemoryKeyring,
                                with_shenbi: None, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str], argv: tuple[str, ...],
                                message: str) -> None:
    ConfigStore(paths).save_profile(Profile("jdy", "jiandaoyun", {"app_id": "a"}))
    before = dict(memory.entries)
    code, out, err = run(capsys, creds, *argv, "--secret-stdin", stdin=GW_TOKEN + "\n",
                         monkeypatch=monkeypatch)
    assert code == 2 and message in err and out == "", err
    assert "Traceback" not in err and memory.entries == before
    assert set(ConfigStore(paths).load_profiles()) == {"local", "sb", "jdy"}


def test_read_profile_with_no_shenbi_profile_at_all(paths: Paths, creds: CredentialStore,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, creds, *GW_ADD, stdin="", monkeypatch=monkeypatch)
    assert code == 2 and "请先添加 --kind shenbi 配置" in err


# -- list and remove --------------------------------------------------------------------------

def test_list_shows_shenbi_and_ipaas(paths: Paths, creds: CredentialStore, with_shenbi: None,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, creds, *GW_ADD, OFFLINE, stdin="", monkeypatch=monkeypatch)[0] == 0
    assert run(capsys, creds, *GW_ADD[:2], "gw-tok", *GW_ADD[3:], OFFLINE, "--token-header",
               "X-Gateway-Token", "--secret-stdin", stdin=GW_TOKEN + "\n",
               monkeypatch=monkeypatch)[0] == 0
    creds.delete("gw-tok")  # its token is gone from the keyring
    code, out, err = run(capsys, creds, "profiles", "list", "--format", "json")
    assert code == 0, err
    by_name = {p["name"]: p for p in json.loads(out)}
    assert by_name["sb"] == {
        "name": "sb", "kind": "shenbi", "default": False,
        "base_url": "https://openapi.apaas.example.com", "app_code": "campus",
        "students_object": "student", "cards_object": "card", "student_link": "record_id",
        "secret": "stored"}
    assert by_name["gw"] == {
        "name": "gw", "kind": "ipaas", "default": False,
        "gateway_url": "https://ipaas.example.edu.cn/trigger/abc", "read_profile": "sb",
        "token_header": "", "student_id": "record_id", "secret": "not_needed"}
    assert by_name["gw-tok"]["secret"] == "missing"
    code, out, err = run(capsys, creds, "profiles", "list")
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert "神笔" in rows["sb"] and "已保存" in rows["sb"]
    assert ("地址 https://openapi.apaas.example.com、应用 campus、学生对象 student、"
            "一卡通对象 card") in rows["sb"]
    assert "iPaaS 集成流" in rows["gw"] and "不需要" in rows["gw"]
    assert "网关 https://ipaas.example.edu.cn/trigger/abc、读取用神笔配置 sb" in rows["gw"]
    assert "网关密钥请求头 X-Gateway-Token" in rows["gw-tok"] and "未保存" in rows["gw-tok"]
    no_secret(paths, out, err)


def test_remove_takes_the_secrets_along(paths: Paths, creds: CredentialStore,
                                        memory: MemoryKeyring, with_shenbi: None,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, creds, *GW_ADD, OFFLINE, "--token-header", "X-Token", "--secret-stdin",
               stdin=GW_TOKEN + "\n", monkeypatch=monkeypatch)[0] == 0
    code, _, err = run(capsys, creds, "profiles", "remove", "gw")
    assert code == 0 and "1 项密钥" in err
    code, _, err = run(capsys, creds, "profiles", "remove", "sb")
    assert code == 0 and "2 项密钥" in err
    assert memory.entries == {}
    assert set(ConfigStore(paths).load_profiles()) == {"local"}


def test_profiles_test_says_what_is_missing(paths: Paths, with_shenbi: None,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The saved profiles open through the factory; without the 神笔 profile's secrets the
    test fails naming the profile, never with a traceback (no server is reached)."""
    empty = CredentialStore(MemoryKeyring())
    code, _, err = run(capsys, empty, "profiles", "test", "sb")
    assert code == 1 and "连接失败" in err and "sb" in err and "Traceback" not in err


def test_profiles_test_against_the_sandboxes(paths: Paths, creds: CredentialStore,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from campuscard_gui.sandbox import run_sandbox

    with run_sandbox(backend="ipaas", students=10, seed=4) as info:
        base = ("profiles", "add", "sb", "--kind", "shenbi", "--base-url", info.base_url,
                "--app-code", info.app_code, "--students-object", info.students_object,
                "--cards-object", info.cards_object, "--secret-stdin")
        assert run(capsys, creds, *base, stdin=f"{info.secret_id}\n{info.secret_key}\n",
                   monkeypatch=monkeypatch)[0] == 0
        code, _, err = run(capsys, creds, "profiles", "test", "sb")
        assert code == 0 and "连接正常" in err and "神笔" in err, err
        gateway = ("profiles", "add", "gw", "--kind", "ipaas", "--gateway-url",
                   info.gateway_url, "--read-profile", "sb", "--token-header",
                   "X-Gateway-Token", "--secret-stdin")
        assert run(capsys, creds, *gateway, stdin=info.gateway_token + "\n",
                   monkeypatch=monkeypatch)[0] == 0
        code, _, err = run(capsys, creds, "profiles", "test", "gw")
        assert code == 0 and "iPaaS 集成流" in err, err

        code, _, err = run(capsys, creds, *base, "--replace",
                           stdin=f"{info.secret_id}\n{'0' * 32}\n", monkeypatch=monkeypatch)
        assert code == 1 and "签名有误" in err and "未保存" in err, err  # checked first
        assert creds.get("sb", "secret_key") == info.secret_key  # the keyring as it was
        assert run(capsys, creds, *base, "--replace", OFFLINE,
                   stdin=f"{info.secret_id}\n{'0' * 32}\n", monkeypatch=monkeypatch)[0] == 0
        for name in ("sb", "gw"):  # the gateway's test reads through the 神笔 profile first
            code, _, err = run(capsys, creds, "profiles", "test", name)
            assert code == 1 and "签名有误" in err and info.secret_key not in err, err


def test_the_actions_a_flow_handles_are_validated():
    """``--set flow_actions=open`` for the walkthrough's flow, which only opens cards."""
    options = IpaasOptions.parse({"gateway_url": "https://gw.example.com/flow",
                                  "read_profile": "school", "flow_actions": "cancel, open"})
    assert options.flow_actions == "open,cancel"
    for bad in ("", "open,close"):
        with pytest.raises(ConfigError):
            IpaasOptions.parse({"gateway_url": "https://gw.example.com/flow",
                                "read_profile": "school", "flow_actions": bad})


def test_a_shenbi_profile_an_ipaas_profile_reads_through_is_not_removed(tmp_path):
    paths = Paths(tmp_path / "config", tmp_path / "data", tmp_path / "logs")
    store = ConfigStore(paths)
    store.save_profile(Profile("school", "shenbi", {"base_url": "https://x.example"}))
    store.save_profile(Profile("flow", "ipaas", {"gateway_url": "https://gw.example",
                                                 "read_profile": "school"}))
    with pytest.raises(ConfigError) as err:
        store.remove_profile("school")
    assert "“flow”" in err.value.message
    assert set(store.load_profiles()) >= {"school", "flow"}
    store.remove_profile("flow")
    store.remove_profile("school")
    assert "school" not in store.load_profiles()
