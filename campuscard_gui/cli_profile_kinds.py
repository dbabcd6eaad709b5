"""What a profile of each remote kind holds on the command line: the options ``profiles add``
builds from its flags, what its secrets are called, and how ``profiles list`` shows it.

    简道云:  --app-id ID --students-entry ID --cards-entry ID [--base-url URL]
             [--batch-rps N] [--enterprise-rps N]; secret: the API key
    kintone: --base-url URL --students-app ID --cards-app ID [--guest-space ID]
             [--auth token|password] [--user LOGIN]; secrets: an API token per app (token) or
             the user's password (password)
    both:    [--map KEY=FIELD ...] [--timeout S] [--concurrency N] [--allow-http]
"""

from __future__ import annotations

import argparse
from typing import Any
from urllib.parse import urlsplit

from .cli_common import UsageError
from .config.fieldmap import FieldMap
from .core.errors import ConfigError

KINDS = ("jiandaoyun", "kintone")
KIND_LABELS = {"local": "本地数据库", "jiandaoyun": "简道云", "kintone": "kintone"}
JDY_DEFAULT_BASE_URL = "https://api.jiandaoyun.com/api"
# the tunables' defaults (the connectors read the same names)
JDY_DEFAULTS: dict[str, int | float] = {
    "timeout_s": 15, "batch_rps": 10, "enterprise_rps": 50, "concurrency": 5,
}
KINTONE_DEFAULTS: dict[str, int | float] = {"timeout_s": 60, "concurrency": 4}
AUTH_LABELS = {"token": "API 令牌", "password": "密码"}
# what the operator is asked for, by keyring entry (config.credentials.secret_keys)
SECRET_NAMES = {
    "api_key": "简道云 API 密钥",
    "students_token": "学生应用的 API 令牌",
    "cards_token": "一卡通应用的 API 令牌",
    "password": "kintone 密码",
}
# the flags only one kind takes: (argparse dest, flag)
_ONLY: dict[str, tuple[tuple[str, str], ...]] = {
    "jiandaoyun": (("app_id", "--app-id"), ("students_entry", "--students-entry"),
                   ("cards_entry", "--cards-entry"), ("batch_rps", "--batch-rps"),
                   ("enterprise_rps", "--enterprise-rps")),
    "kintone": (("students_app", "--students-app"), ("cards_app", "--cards-app"),
                ("guest_space", "--guest-space"), ("auth", "--auth"), ("user", "--user")),
}
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


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


def _in_text(kind: str) -> str:
    """A kind's name inside Chinese text (a Latin name gets spaces around it)."""
    label = KIND_LABELS.get(kind, kind)
    return f" {label} " if label.isascii() else label


def _missing(kind: str, *given: tuple[str, str | None]) -> None:
    missing = [flag for flag, value in given if not (value or "").strip()]
    if missing:
        raise UsageError(f"{_in_text(kind).lstrip()}配置缺少参数：{'、'.join(missing)}")


def _tunables(args: argparse.Namespace, defaults: dict[str, int | float]) -> dict[str, Any]:
    given = {"timeout_s": args.timeout, "batch_rps": args.batch_rps,
             "enterprise_rps": args.enterprise_rps, "concurrency": args.concurrency}
    return {key: default if given[key] is None else given[key]
            for key, default in defaults.items()}


def profile_options(args: argparse.Namespace) -> dict[str, Any]:
    """The options of the profile ``profiles add`` was asked for (UsageError when wrong)."""
    for other, flags in _ONLY.items():
        if other != args.kind:
            for dest, flag in flags:
                if getattr(args, dest) is not None:
                    raise UsageError(f"{flag} 只用于{_in_text(other)}配置"
                                     f"（这里是 --kind {args.kind}）")
    if args.kind == "kintone":
        return kintone_options(args)
    return jiandaoyun_options(args)


def jiandaoyun_options(args: argparse.Namespace) -> dict[str, Any]:
    _missing("jiandaoyun", ("--app-id", args.app_id), ("--students-entry", args.students_entry),
             ("--cards-entry", args.cards_entry))
    return {
        "base_url": check_base_url(args.base_url or JDY_DEFAULT_BASE_URL, args.allow_http),
        "app_id": args.app_id.strip(),
        "students_entry": args.students_entry.strip(),
        "cards_entry": args.cards_entry.strip(),
        "fields": field_map(args.map).to_json(),
        **_tunables(args, JDY_DEFAULTS),
    }


def kintone_options(args: argparse.Namespace) -> dict[str, Any]:
    from .connectors.kintone_records import KintoneOptions

    _missing("kintone", ("--base-url", args.base_url), ("--students-app", args.students_app),
             ("--cards-app", args.cards_app))
    auth = args.auth or "token"
    if auth == "token" and args.user is not None:
        raise UsageError("--user 只用于 --auth password（用 API 令牌时不需要登录名）")
    options: dict[str, Any] = {
        "base_url": check_base_url(args.base_url, args.allow_http),
        "students_app": args.students_app.strip(),
        "cards_app": args.cards_app.strip(),
        "guest_space": (args.guest_space or "").strip(),
        "auth": auth,
        "user": (args.user or "").strip(),
        "fields": field_map(args.map).to_json(),
        **_tunables(args, KINTONE_DEFAULTS),
    }
    try:
        KintoneOptions.parse(options)  # the connector's own checks: app ids, ranges, user
    except ConfigError as exc:
        raise UsageError(exc.message) from None
    return options


def profile_object(profile_name: str, kind: str, options: dict[str, Any], secret: str,
                   default: bool) -> dict[str, Any]:
    """A profile as ``profiles list --format json`` shows it (never a secret)."""
    o = options
    out: dict[str, Any] = {"name": profile_name, "kind": kind, "default": default,
                           "base_url": o.get("base_url")}
    if kind == "kintone":
        out.update(students_app=o.get("students_app"), cards_app=o.get("cards_app"),
                   guest_space=o.get("guest_space") or "", auth=o.get("auth", "token"),
                   user=o.get("user") or "")
    else:
        out.update(app_id=o.get("app_id"), students_entry=o.get("students_entry"),
                   cards_entry=o.get("cards_entry"))
    out["secret"] = secret
    return out


def where(o: dict[str, Any]) -> str:
    """The 连接 column of ``profiles list`` for a remote profile's object."""
    if o["kind"] == "kintone":
        auth = AUTH_LABELS.get(o["auth"], o["auth"])
        if o["auth"] == "password" and o["user"]:
            auth += f"（用户 {o['user']}）"
        o = {**o, "auth": auth}
        parts: tuple[tuple[str, str], ...] = (
            ("base_url", "地址"), ("students_app", "学生应用"), ("cards_app", "一卡通应用"),
            ("guest_space", "来宾空间"), ("auth", "认证"))
    else:
        parts = (("base_url", "地址"), ("app_id", "应用"), ("students_entry", "学生表单"),
                 ("cards_entry", "一卡通表单"))
    return "、".join(f"{label} {o[k]}" for k, label in parts if o.get(k))
