"""``campuscard-cli profiles list|add|remove|test``: backend profiles and their secrets.

    campuscard-cli profiles list [--format table|json]
    campuscard-cli profiles add NAME --kind jiandaoyun --app-id ID --students-entry ID
                   --cards-entry ID [--base-url URL] [--map KEY=FIELD ...] [--secret-stdin]
                   [--timeout S] [--batch-rps N] [--enterprise-rps N] [--concurrency N]
                   [--allow-http] [--replace]
    campuscard-cli profiles remove NAME [--force]
    campuscard-cli profiles test NAME

The API key never comes from the command line (other users can read a process's argv): it is
the first line of standard input with ``--secret-stdin``, else typed at a hidden prompt when
standard input is a terminal; with neither, ``add`` is a usage error (exit 2). The profile
goes to profiles.json, the key to the OS keyring only. When the keyring is missing or locked
nothing is saved at all and the exit code is 1 (the command was right, the machine is not
ready).

Exit codes: 0 done; 1 the keyring or the connection test failed; 2 usage error (unknown or
duplicate profile, missing option, no way to read the key, bad --map).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import re
from typing import Any
from urllib.parse import urlsplit

from .cli_common import Context, UsageError
from .cli_output import format_table
from .config import LOCAL_PROFILE, Profile
from .config.fieldmap import CARD_KEYS, STUDENT_KEYS, FieldMap
from .core.errors import CampusCardError, ConfigError

KINDS = ("jiandaoyun",)
KIND_LABELS = {"local": "本地数据库", "jiandaoyun": "简道云"}
JDY_DEFAULT_BASE_URL = "https://api.jiandaoyun.com/api"
# the tunables' defaults (contract for issue 3; the connector reads the same names)
JDY_DEFAULTS: dict[str, int | float] = {
    "timeout_s": 15, "batch_rps": 10, "enterprise_rps": 50, "concurrency": 5,
}
_NAME = re.compile(r"^[\w.-]{1,64}$")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")

SECRET_LABELS = {"stored": "已保存", "missing": "未保存", "not_needed": "不需要",
                 "unknown": "未知（钥匙环不可用）"}


def _number(kind: type[int] | type[float], minimum: float) -> Any:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"不是数字：{text}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"必须至少为 {minimum:g}：{text}")
        return value
    return parse


def add_parser(sub: Any) -> None:
    """Register ``profiles …`` on the top-level subparsers object of campuscard-cli."""
    profiles = sub.add_parser("profiles", help="后端配置（简道云等）及其密钥")
    psub = profiles.add_subparsers(dest="profiles_command", required=True,
                                   metavar="list|add|remove|test")

    pl = psub.add_parser("list", help="列出配置（不显示密钥）")
    pl.add_argument("--format", choices=("table", "json"), default="table")
    pl.set_defaults(handler=cmd_list)

    pa = psub.add_parser("add", help="添加配置；密钥从标准输入或隐藏提示读取，存入系统钥匙环")
    pa.add_argument("name", metavar="NAME")
    pa.add_argument("--kind", choices=KINDS, required=True)
    pa.add_argument("--base-url", metavar="URL", default=JDY_DEFAULT_BASE_URL,
                    help=f"API 地址（默认：{JDY_DEFAULT_BASE_URL}）")
    pa.add_argument("--app-id", metavar="ID", help="应用 ID")
    pa.add_argument("--students-entry", metavar="ID", help="学生表单 ID")
    pa.add_argument("--cards-entry", metavar="ID", help="一卡通表单 ID")
    pa.add_argument("--map", action="append", default=[], metavar="KEY=FIELD",
                    help=f"字段对应（KEY：{'/'.join(STUDENT_KEYS + CARD_KEYS)}）")
    pa.add_argument("--secret-stdin", action="store_true",
                    help="从标准输入的第一行读取 API 密钥")
    pa.add_argument("--timeout", type=_number(float, 1), metavar="S",
                    help=f"单个请求的超时秒数（默认 {JDY_DEFAULTS['timeout_s']}）")
    pa.add_argument("--batch-rps", type=_number(float, 0.1), metavar="N",
                    help=f"批量接口每秒请求数（默认 {JDY_DEFAULTS['batch_rps']}）")
    pa.add_argument("--enterprise-rps", type=_number(float, 0.1), metavar="N",
                    help=f"整个企业每秒请求数（默认 {JDY_DEFAULTS['enterprise_rps']}）")
    pa.add_argument("--concurrency", type=_number(int, 1), metavar="N",
                    help=f"同时进行的写请求数（默认 {JDY_DEFAULTS['concurrency']}）")
    pa.add_argument("--allow-http", action="store_true",
                    help="允许用不加密的 http 地址（仅限内网私有部署）")
    pa.add_argument("--replace", action="store_true", help="覆盖同名配置及其密钥")
    pa.set_defaults(handler=cmd_add)

    pr = psub.add_parser("remove", help="删除配置及其在钥匙环中的密钥")
    pr.add_argument("name", metavar="NAME")
    pr.add_argument("--force", action="store_true",
                    help="钥匙环无法访问时也删除配置（密钥可能留在钥匙环中）")
    pr.set_defaults(handler=cmd_remove)

    pt = psub.add_parser("test", help="测试配置能否连接后端")
    pt.add_argument("name", metavar="NAME")
    pt.set_defaults(handler=cmd_test)


# -- list -------------------------------------------------------------------------------------

def _secret_state(ctx: Context, profile: Profile, problems: list[str]) -> str:
    """stored / missing / not_needed, or unknown (the keyring's message goes to problems)."""
    from .config.credentials import CredentialError, secret_keys

    keys = secret_keys(profile.kind, profile.options)
    if not keys:
        return "not_needed"
    store = ctx.credential_store()
    try:
        return "stored" if all(store.has(profile.name, k) for k in keys) else "missing"
    except CredentialError as exc:
        if exc.message not in problems:
            problems.append(exc.message)
        return "unknown"


def profile_object(profile: Profile, secret: str, default: bool) -> dict[str, Any]:
    o = profile.options
    return {
        "name": profile.name,
        "kind": profile.kind,
        "default": default,
        "base_url": o.get("base_url"),
        "app_id": o.get("app_id"),
        "students_entry": o.get("students_entry"),
        "cards_entry": o.get("cards_entry"),
        "secret": secret,
    }


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    profiles = ctx.store.load_profiles()
    default = ctx.store.load_settings().default_profile
    problems: list[str] = []
    ordered = sorted(profiles.values(), key=lambda p: (p.name != LOCAL_PROFILE, p.name))
    objects = [profile_object(p, _secret_state(ctx, p, problems), p.name == default)
               for p in ordered]
    for message in problems:
        ctx.say(f"注意：{message}")
    if args.format == "json":
        json.dump(objects, ctx.stdout, ensure_ascii=False, indent=2)
        ctx.stdout.write("\n")
        return 0
    rows = []
    for o in objects:
        where = "、".join(f"{label} {o[k]}" for k, label in (
            ("base_url", "地址"), ("app_id", "应用"), ("students_entry", "学生表单"),
            ("cards_entry", "一卡通表单")) if o.get(k))
        if o["kind"] == "local":
            where = f"数据库 {ctx.paths.local_db_path(o['name'])}"
        name = o["name"] + ("（默认）" if o["default"] else "")
        rows.append([name, KIND_LABELS.get(o["kind"], o["kind"]), SECRET_LABELS[o["secret"]],
                     where or "-"])
    ctx.stdout.write(format_table(["名称", "类型", "密钥", "连接"], rows))
    return 0


# -- add --------------------------------------------------------------------------------------

def check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name):
        raise UsageError(f"配置名称只能包含字母、数字、汉字、“-”“_”“.”，最长 64 个字符：{name!r}")
    if name == LOCAL_PROFILE:
        raise UsageError("“local”是内置的本地配置，请换一个名称")
    return name


def check_base_url(url: str, allow_http: bool) -> str:
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"API 地址应以 https:// 开头：{url}")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK and not allow_http:
        raise UsageError(f"API 地址不加密（http），密钥会明文传输：{url}"
                         "（如确为内网私有部署，请加 --allow-http）")
    return url


def field_map(specs: list[str]) -> FieldMap:
    fm = FieldMap()
    for spec in specs:
        key, sep, value = spec.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--map 的格式应为 KEY=字段名：{spec}")
        try:
            fm.set(key.strip(), value)
        except ConfigError as exc:
            raise UsageError(exc.message) from None
    return fm


def jiandaoyun_options(args: argparse.Namespace) -> dict[str, Any]:
    missing = [flag for flag, value in (("--app-id", args.app_id),
                                        ("--students-entry", args.students_entry),
                                        ("--cards-entry", args.cards_entry))
               if not (value or "").strip()]
    if missing:
        raise UsageError(f"简道云配置缺少参数：{'、'.join(missing)}")
    options: dict[str, Any] = {
        "base_url": check_base_url(args.base_url, args.allow_http),
        "app_id": args.app_id.strip(),
        "students_entry": args.students_entry.strip(),
        "cards_entry": args.cards_entry.strip(),
        "fields": field_map(args.map).to_json(),
    }
    for key, given in (("timeout_s", args.timeout), ("batch_rps", args.batch_rps),
                       ("enterprise_rps", args.enterprise_rps),
                       ("concurrency", args.concurrency)):
        options[key] = JDY_DEFAULTS[key] if given is None else given
    return options


def check_secret_source(args: argparse.Namespace, ctx: Context, what: str) -> None:
    """Usage error (exit 2) when there is neither --secret-stdin nor a terminal to ask on."""
    if not args.secret_stdin and not ctx.interactive():
        raise UsageError(f"没有可以输入{what}的终端：请用 --secret-stdin 从标准输入提供"
                         f"（例如 campuscard-cli profiles add … --secret-stdin < 密钥文件）")


def read_secret(args: argparse.Namespace, ctx: Context, what: str) -> str:
    """The secret from stdin's first line (--secret-stdin) or a hidden prompt; never argv."""
    if args.secret_stdin:
        secret = ctx.stdin.readline().lstrip("\ufeff").strip()
        if not secret:
            raise UsageError(f"标准输入的第一行是空的：没有读到{what}")
        return secret
    check_secret_source(args, ctx, what)
    secret = getpass.getpass(f"{what}（输入时不显示）：", stream=ctx.stderr).strip()
    if not secret:
        raise UsageError(f"没有输入{what}")
    return secret


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    name = check_name(args.name)
    exists = name in ctx.store.load_profiles()
    if exists and not args.replace:
        raise UsageError(f"已有名为“{name}”的配置（如需覆盖，请加 --replace）")
    options = jiandaoyun_options(args)
    profile = Profile(name, args.kind, options)
    check_secret_source(args, ctx, "简道云 API 密钥")
    store = ctx.credential_store()
    if not store.available():  # say so before anyone types a key for nothing
        from .config.credentials import UNAVAILABLE, CredentialError, unavailable_message

        raise CredentialError(unavailable_message(), code=UNAVAILABLE)
    secret = read_secret(args, ctx, "简道云 API 密钥")

    store.set(name, secret, "api_key")  # CredentialError (exit 1): nothing saved
    try:
        ctx.store.save_profile(profile)
    except BaseException:
        if not exists:  # no profile, so no secret either
            with contextlib.suppress(CampusCardError):
                store.delete(name)
        raise
    ctx.say(f"已保存配置“{name}”（{KIND_LABELS[args.kind]}），API 密钥已存入系统钥匙环；"
            f"可用 campuscard-cli profiles test {name} 测试连接")
    return 0


# -- remove -----------------------------------------------------------------------------------

def _existing(ctx: Context, name: str) -> Profile:
    profiles = ctx.store.load_profiles()
    if name not in profiles:
        raise UsageError(f"没有名为“{name}”的配置（可用：{'、'.join(sorted(profiles))}）")
    return profiles[name]


def cmd_remove(args: argparse.Namespace, ctx: Context) -> int:
    from .config.credentials import CredentialError

    if args.name == LOCAL_PROFILE:
        raise UsageError("内置的本地配置“local”不能删除")
    profile = _existing(ctx, args.name)
    try:
        removed = ctx.credential_store().delete(profile.name)
    except CredentialError as exc:
        if not args.force:
            ctx.say(f"错误：{exc.message}")
            ctx.say("配置未删除（否则密钥会留在钥匙环中）；解锁后重试，或加 --force 只删除配置")
            return 1
        ctx.say(f"注意：{exc.message}")
        ctx.say("钥匙环中的密钥（如有）未删除")
        removed = 0
    ctx.store.remove_profile(profile.name)
    note = f"，并从钥匙环删除了 {removed} 项密钥" if removed else ""
    ctx.say(f"已删除配置“{profile.name}”{note}")
    return 0


# -- test -------------------------------------------------------------------------------------

def cmd_test(args: argparse.Namespace, ctx: Context) -> int:
    from .connectors.factory import open_connector

    profile = _existing(ctx, args.name)
    try:
        connector = open_connector(profile, ctx.paths, ctx.credential_store())
        try:
            connector.check_connection()
        finally:
            connector.close()
    except CampusCardError as exc:
        ctx.say(f"连接失败（配置“{profile.name}”）：{exc.message}")
        return 1
    ctx.say(f"连接正常（配置“{profile.name}”，{KIND_LABELS.get(profile.kind, profile.kind)}）")
    return 0
