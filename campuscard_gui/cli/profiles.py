"""``campuscard-cli profiles list|add|remove|test``: backend profiles and their secrets.

    campuscard-cli profiles list [--format table|json]
    campuscard-cli profiles add NAME --kind jiandaoyun --app-id ID --students-entry ID
                   --cards-entry ID [--base-url URL] [--map KEY=FIELD ...] [--secret-stdin]
                   [--timeout S] [--batch-rps N] [--enterprise-rps N] [--concurrency N]
                   [--allow-http] [--replace] [--no-check]
    campuscard-cli profiles add NAME --kind kintone --base-url URL --students-app ID
                   --cards-app ID [--guest-space ID] [--auth token|password] [--user LOGIN]
                   [--map KEY=FIELD ...] [--secret-stdin] [--timeout S] [--concurrency N]
                   [--allow-http] [--replace] [--no-check]
    campuscard-cli profiles add NAME --kind shenbi --base-url URL --app-code CODE
                   --students-object KEY --cards-object KEY [--student-link record_id|student_no]
                   [--map KEY=FIELD ...] [--set KEY=VALUE ...] [--secret-stdin] [--timeout S]
                   [--concurrency N] [--allow-http] [--replace] [--no-check]
    campuscard-cli profiles add NAME --kind ipaas --gateway-url URL --read-profile NAME
                   [--token-header H] [--chunk-size N] [--student-link record_id|student_no]
                   [--set KEY=VALUE ...] [--secret-stdin] [--timeout S] [--concurrency N]
                   [--allow-http] [--replace] [--no-check]
    campuscard-cli profiles remove NAME [--force]
    campuscard-cli profiles test NAME

Secrets never come from the command line (other users can read a process's argv): with
``--secret-stdin`` they are read from standard input, one a line — the 简道云 API key; for
kintone the students app's API token and then the cards app's, or (``--auth password``) the
password; for 神笔 the AK (SecretId) and then the SK (SecretKey); for iPaaS the gateway token
when ``--token-header`` is given — else typed at hidden prompts when standard input is a
terminal; with neither, ``add`` is a usage error (exit 2). An iPaaS gateway without a token
needs no secret (its 神笔 profile, ``--read-profile``, keeps the AK/SK). The profile goes to
profiles.json, the secrets to the OS keyring only; ``--replace`` removes the secrets the new
settings no longer need. When the keyring is missing or locked nothing is saved at all and the
exit code is 1 (the command was right, the machine is not ready).

Before saving, ``add`` checks the profile the way 测试连接 does. 简道云 and kintone: the field
map is read from the two forms (apps) by label, exactly as the dialog's 从表单读取字段 picks
(``config.field_discovery``); a ``--map KEY=FIELD`` wins for its key. 神笔 has no field list:
its map is the walkthrough's field keys unless ``--map`` says otherwise; an iPaaS profile reads
through its 神笔 profile's map. Then ``connector.check_connection()`` runs on the result (the
connection, the secrets, the mapped fields and the card status options). When a field is not
found by label, or the check fails, nothing is saved (the keyring included). ``--no-check``
skips both for an offline set-up: the defaults and ``--map`` are saved unchecked, with a
warning to run ``profiles test`` later. A local profile is never checked.

Exit codes: 0 done; 1 the keyring or the connection test failed; 2 usage error (unknown or
duplicate profile, missing option, no way to read the key, bad --map or --set, a
--read-profile that is not a saved 神笔 profile, a field not found by label and not given with
--map).
"""

from __future__ import annotations

import argparse
import getpass
import json
import re
from typing import Any

from ..backends import find, secret_keys
from ..config import LOCAL_PROFILE, Profile
from ..config.fieldmap import CARD_KEYS, STUDENT_KEYS, FieldMap
from ..config.snapshots import SnapshotStore
from ..core.errors import CampusCardError, ConfigError
from ..core.text import L_, _
from .common import Context, UsageError
from .output import format_table
from .profile_kinds import (
    add_kind_arguments,
    add_number_arguments,
    kind_label,
    kinds,
    profile_object,
    profile_options,
    secret_name,
    secret_stdin_help,
    where,
)

_NAME = re.compile(r"^[\w.-]{1,64}$")
_LINES = (L_("第一行"), L_("第二行"))

SECRET_LABELS = {"stored": L_("已保存"), "missing": L_("未保存"), "not_needed": L_("不需要"),
                 "unknown": L_("未知（钥匙环不可用）")}


def add_parser(sub: Any) -> None:
    """Register ``profiles …`` on the top-level subparsers object of campuscard-cli."""
    profiles = sub.add_parser("profiles", help=_("后端配置（简道云、kintone、神笔等）及其密钥"))
    psub = profiles.add_subparsers(dest="profiles_command", required=True,
                                   metavar="list|add|remove|test|clear-snapshots")

    pl = psub.add_parser("list", help=_("列出配置（不显示密钥）"))
    pl.add_argument("--format", choices=("table", "json"), default="table")
    pl.set_defaults(handler=cmd_list)

    pa = psub.add_parser("add", help=_("添加配置；密钥从标准输入或隐藏提示读取，存入系统钥匙环"))
    pa.add_argument("name", metavar="NAME")
    pa.add_argument("--kind", choices=kinds(), required=True)
    add_kind_arguments(pa)  # each backend's own flags, as its registration declares them
    pa.add_argument("--secret-stdin", action="store_true", help=secret_stdin_help())
    add_number_arguments(pa)  # the numeric options' flags, as the connectors declare them
    pa.add_argument("--allow-http", action="store_true",
                    help=_("允许用不加密的 http 地址（仅限内网私有部署）"))
    pa.add_argument("--replace", action="store_true", help=_("覆盖同名配置及其密钥"))
    pa.add_argument("--no-check", action="store_true",
                    help=_("不读取字段、不测试连接就保存（离线设置；字段对应为默认值和 --map，"
                         "未经检查，之后请运行 profiles test）"))
    pa.set_defaults(handler=cmd_add)

    pr = psub.add_parser("remove", help=_("删除配置及其在钥匙环中的密钥"))
    pr.add_argument("name", metavar="NAME")
    pr.add_argument("--force", action="store_true",
                    help=_("钥匙环无法访问时也删除配置（密钥可能留在钥匙环中）"))
    pr.set_defaults(handler=cmd_remove)

    pt = psub.add_parser("test", help=_("测试配置能否连接后端"))
    pt.add_argument("name", metavar="NAME")
    pt.set_defaults(handler=cmd_test)

    pc = psub.add_parser("clear-snapshots",
                         help=_("删除本机保存的学生名单快照（全部配置，或指定的配置）"))
    pc.add_argument("name", metavar="NAME", nargs="?")
    pc.set_defaults(handler=cmd_clear_snapshots)


def cmd_clear_snapshots(args: argparse.Namespace, ctx: Context) -> int:
    """The students' lists kept to open remote profiles at once (personal data)."""
    store = SnapshotStore(ctx.paths.data_dir)
    if args.name:
        ctx.store.get_profile(args.name)  # a name that is no profile is an error
        removed = int(store.remove(args.name))
    else:
        removed = store.clear()
    ctx.say(_("已删除 {n} 份学生名单快照").format(n=removed))
    return 0


# -- list -------------------------------------------------------------------------------------

def _secret_state(ctx: Context, profile: Profile, problems: list[str]) -> str:
    """stored / missing / not_needed, or unknown (the keyring's message goes to problems)."""
    from ..config.credentials import CredentialError

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


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    profiles = ctx.store.load_profiles()
    default = ctx.store.load_settings().default_profile
    problems: list[str] = []
    ordered = sorted(profiles.values(), key=lambda p: (p.name != LOCAL_PROFILE, p.name))
    objects = [profile_object(p.name, p.kind, p.options, _secret_state(ctx, p, problems),
                              p.name == default) for p in ordered]
    for message in problems:
        ctx.say(_("注意：{message}").format(message=message))
    if args.format == "json":
        json.dump(objects, ctx.stdout, ensure_ascii=False, indent=2)
        ctx.stdout.write("\n")
        return 0
    rows = []
    for o in objects:
        connection = where(find(o["kind"]), o)
        if o["kind"] == "local":
            connection = _("数据库 {path}").format(
                path=o.get("database") or ctx.paths.local_db_path(o["name"]))
        name = o["name"] + (_("（默认）") if o["default"] else "")
        rows.append([name, kind_label(o["kind"]), SECRET_LABELS[o["secret"]],
                     connection or "-"])
    ctx.stdout.write(format_table([_("名称"), _("类型"), _("密钥"), _("连接")], rows))
    return 0


# -- add --------------------------------------------------------------------------------------

def check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name):
        raise UsageError(_("配置名称只能包含字母、数字、汉字、“-”“_”“.”，最长 64 个字符："
                           "{name!r}").format(
            name=name))
    if name == LOCAL_PROFILE:
        raise UsageError(_("“local”是内置的本地配置，请换一个名称"))
    return name


def check_secret_source(args: argparse.Namespace, ctx: Context, what: str) -> None:
    """Usage error (exit 2) when there is neither --secret-stdin nor a terminal to ask on."""
    if not args.secret_stdin and not ctx.interactive():
        raise UsageError(_("没有可以输入{what}的终端：请用 --secret-stdin 从标准输入提供（例如 cam"
                           "puscard-cli profiles add … --secret-stdin < 密钥文件）").format(
            what=what))


def read_secrets(args: argparse.Namespace, ctx: Context, keys: tuple[str, ...]
                 ) -> dict[str, str]:
    """The secrets ``keys`` from stdin, one a line (--secret-stdin), or hidden prompts; never
    from argv."""
    out: dict[str, str] = {}
    for i, key in enumerate(keys):
        what = secret_name(key)
        if args.secret_stdin:
            secret = ctx.stdin.readline().lstrip("\ufeff").strip()
            if not secret:
                raise UsageError(_("标准输入的{value}是空的：没有读到{what}").format(
                    value=_LINES[i], what=what))
        else:
            check_secret_source(args, ctx, what)
            secret = getpass.getpass(_("{what}（输入时不显示）：").format(
                what=what), stream=ctx.stderr).strip()
            if not secret:
                raise UsageError(_("没有输入{what}").format(what=what))
        out[key] = secret
    return out


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    from ..backends.profile_secrets import save_with_secrets

    name = check_name(args.name)
    exists = name in ctx.store.load_profiles()
    if exists and not args.replace:
        raise UsageError(_("已有名为“{name}”的配置（如需覆盖，请加 --replace）").format(name=name))
    profile = Profile(name, args.kind, profile_options(args, ctx.store.load_profiles()))
    keys = secret_keys(profile.kind, profile.options)
    what = _("和").join(secret_name(k) for k in keys)
    store = ctx.credential_store()
    if keys:  # an iPaaS gateway without a token has none to ask for
        check_secret_source(args, ctx, what)
        if not store.available():  # say so before anyone types a secret for nothing
            from ..config.credentials import UNAVAILABLE, CredentialError, unavailable_message

            raise CredentialError(unavailable_message(), code=UNAVAILABLE)
    secrets = read_secrets(args, ctx, keys)
    checked = profile.kind != "local" and not args.no_check
    if checked:
        profile = checked_profile(args, ctx, profile, secrets)
    elif profile.kind != "local":
        _say_unchecked(args, ctx, profile)
    # CredentialError (exit 1) when the keyring refuses: the profile is not saved
    removed = save_with_secrets(ctx.store, store, profile, secrets)
    stale = _("，并删除了不再需要的 {removed} 项旧密钥").format(removed=removed) if removed else ""
    stored = _("{what}已存入系统钥匙环").format(what=what) if keys else _("此配置不需要密钥")
    test = (_("连接测试通过") if checked else
            _("可用 campuscard-cli profiles test {name} 测试连接").format(name=name))
    ctx.say(_("已保存配置“{name}”（{value}），{stored}{stale}；{test}").format(
        name=name, value=kind_label(args.kind), stored=stored, stale=stale, test=test))
    return 0


def given_fields(specs: list[str]) -> dict[str, str]:
    """``--map KEY=FIELD ...`` as key -> field (already checked by ``profile_options``)."""
    out = {}
    for spec in specs:
        key, _, value = spec.partition("=")
        out[key.strip()] = value.strip()
    return out


def checked_profile(args: argparse.Namespace, ctx: Context, profile: Profile,
                    secrets: dict[str, str]) -> Profile:
    """``profile`` with its field map read from the forms by label where the backend lists
    its fields (``--map`` wins per key), once 测试连接's check passed on it. UsageError (exit
    2) when a field is not found by label; CampusCardError (exit 1) when the check fails.
    Nothing is saved here."""
    from ..backends import field_forms, get
    from ..backends.factory import open_connector
    from ..config.credentials import TypedSecrets
    from ..config.field_discovery import FieldsNotFound, discover_field_map, read_fields

    credentials = TypedSecrets(ctx.credential_store(), profile.name, secrets)
    forms = field_forms(profile.kind, profile.options)
    try:
        connector = open_connector(profile, ctx.paths, credentials)
        try:
            try:  # first the connection and the secrets, to say exactly what is wrong
                connector.check_connection()
                passed = True
            except CampusCardError as exc:
                if forms is None or exc.code != "field":
                    raise
                passed = False  # the fields are found next
            if forms is None:
                return profile
            students, cards = read_fields(connector.field_lister(), forms)
        finally:
            connector.close()
        base = FieldMap.from_json(profile.options.get("fields"))
        fm = discover_field_map(students, cards, given_fields(args.map), base=base,
                                titles=get(profile.kind).form_titles)
        ctx.say(_("字段对应（按标签从{forms}读取{but}）：").format(
            forms=_("和").join(get(profile.kind).form_titles),
            but=_("，--map 指定的除外") if args.map else "")
                + _("、").join(f"{k}={getattr(fm, k)}" for k in STUDENT_KEYS + CARD_KEYS))
        if passed and fm.to_json() == base.to_json():
            return profile
        profile = Profile(profile.name, profile.kind,
                          {**profile.options, "fields": fm.to_json()})
        connector = open_connector(profile, ctx.paths, credentials)
        try:
            connector.check_connection()
        finally:
            connector.close()
    except FieldsNotFound as exc:
        raise UsageError(_("{message}请用 --map KEY=字段名 指定这些字段（配置“{name}”未保"
                           "存）").format(
            message=exc.message, name=profile.name)) from None
    except CampusCardError as exc:
        text = exc.message if exc.message.startswith(_("连接测试失败")) \
            else _("连接测试失败：{message}").format(message=exc.message)
        raise CampusCardError(_("{text}（配置“{name}”未保存，钥匙环未改动；无法连接时要先保存，请"
                                "加 --no-check）").format(
            text=text, name=profile.name), code="check") from None
    return profile


def _say_unchecked(args: argparse.Namespace, ctx: Context, profile: Profile) -> None:
    """--no-check: say that nothing was read or tested, and what map is saved unchecked."""
    from ..backends import field_forms

    if "fields" in profile.options:
        used = _("--map 指定的和默认的字段名") if args.map else _("默认的字段名")
        read = _("没有按标签从表单读取，也") if field_forms(profile.kind, profile.options) else ""
        what = _("没有测试连接，字段对应{read}没有检查（保存的是{used}）").format(
            read=read, used=used)
    else:
        what = _("没有测试连接")
    ctx.say(_("注意：--no-check：{what}；请在能连接后端时运行 campuscard-cli profiles tes"
              "t {name}").format(
        what=what, name=profile.name))


# -- remove -----------------------------------------------------------------------------------

def _existing(ctx: Context, name: str) -> Profile:
    profiles = ctx.store.load_profiles()
    if name not in profiles:
        raise UsageError(_("没有名为“{name}”的配置（可用：{value}）").format(
            name=name, value=_('、').join(sorted(profiles))))
    return profiles[name]


def cmd_remove(args: argparse.Namespace, ctx: Context) -> int:
    from ..config.credentials import CredentialError

    if args.name == LOCAL_PROFILE:
        raise UsageError(_("内置的本地配置“local”不能删除"))
    profile = _existing(ctx, args.name)
    try:
        ctx.store.check_removable(profile.name)  # before its secrets go
    except ConfigError as exc:
        raise UsageError(exc.message) from None
    try:
        removed = ctx.credential_store().delete(profile.name)
    except CredentialError as exc:
        if not args.force:
            ctx.say(_("错误：{message}").format(message=exc.message))
            ctx.say(_("配置未删除（否则密钥会留在钥匙环中）；解锁后重试，或加 --force 只删除配置"))
            return 1
        ctx.say(_("注意：{message}").format(message=exc.message))
        ctx.say(_("钥匙环中的密钥（如有）未删除"))
        removed = 0
    ctx.store.remove_profile(profile.name)
    note = _("，并从钥匙环删除了 {removed} 项密钥").format(removed=removed) if removed else ""
    ctx.say(_("已删除配置“{name}”{note}").format(name=profile.name, note=note))
    return 0


# -- test -------------------------------------------------------------------------------------

def cmd_test(args: argparse.Namespace, ctx: Context) -> int:
    from ..backends.factory import open_connector

    profile = _existing(ctx, args.name)
    try:
        connector = open_connector(profile, ctx.paths, ctx.credential_store())
        try:
            connector.check_connection()
        finally:
            connector.close()
    except CampusCardError as exc:
        ctx.say(_("连接失败（配置“{name}”）：{message}").format(
            name=profile.name, message=exc.message))
        return 1
    ctx.say(_("连接正常（配置“{name}”，{value}）").format(
        name=profile.name, value=kind_label(profile.kind)))
    return 0
