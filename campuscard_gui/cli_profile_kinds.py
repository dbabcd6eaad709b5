"""What a profile of each remote kind holds on the command line: the options ``profiles add``
builds from its flags, what its secrets are called, and how ``profiles list`` shows it.

    简道云:  --app-id ID --students-entry ID --cards-entry ID [--base-url URL]
             [--batch-rps N] [--enterprise-rps N]; secret: the API key
    kintone: --base-url URL --students-app ID --cards-app ID [--guest-space ID]
             [--auth token|password] [--user LOGIN]; secrets: an API token per app (token) or
             the user's password (password)
    神笔:    --base-url URL --app-code CODE --students-object KEY --cards-object KEY
             [--student-link record_id|student_no] [--set KEY=VALUE ...]; secrets: the AK
             (SecretId) and the SK (SecretKey)
    iPaaS:   --gateway-url URL --read-profile NAME [--token-header H] [--chunk-size N]
             [--student-link record_id|student_no] [--set KEY=VALUE ...]; secret: the gateway
             token, only with --token-header
    local:   --database PATH (a SQLite file several PCs share); no secret
    all:     [--timeout S] [--concurrency N] [--allow-http]; all but iPaaS (which reads
             through its 神笔 profile's mapping): [--map KEY=FIELD ...]

``--set`` takes the 神笔 wire settings the spec can only infer (service, version, region,
action_*, key_*, batch_size, page_size, or_max, requests_per_second, settle_s …): every
option of the connector's own options class that has a default and no flag of its own, typed
as its default is.
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from .cli_common import UsageError
from .config.fieldmap import FieldMap
from .config.options import Number, numbers
from .config.settings import Profile, option_defaults
from .connectors.factory import options_class
from .core.errors import ConfigError

KINDS = ("jiandaoyun", "kintone", "shenbi", "ipaas", "local")
KIND_LABELS = {"local": "本地数据库", "jiandaoyun": "简道云", "kintone": "kintone",
               "shenbi": "神笔", "ipaas": "iPaaS 集成流"}
JDY_DEFAULT_BASE_URL = "https://api.jiandaoyun.com/api"


def flagged_numbers(kind: str) -> dict[str, Number]:
    """The numeric options of ``kind`` that a ``profiles add`` flag of their own sets."""
    cls = options_class(kind)
    return {} if cls is None else {k: n for k, n in numbers(cls).items() if n.flag}


def number_flags() -> dict[str, dict[str, Number]]:
    """``profiles add``'s numeric flags: flag → {kind: how that kind declares it}, in the
    order the kinds and their options are declared."""
    out: dict[str, dict[str, Number]] = {}
    for kind in KINDS:
        for spec in flagged_numbers(kind).values():
            out.setdefault(spec.flag, {})[kind] = spec
    for flag, by_kind in out.items():
        if len({n.key for n in by_kind.values()}) != 1:
            raise RuntimeError(f"{flag} sets different options in different kinds")
    return out


def flag_dest(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


def number_flag_help(by_kind: Mapping[str, Number]) -> str:
    """A numeric flag's help: what it is, then each kind's default and range."""
    first = next(iter(by_kind.values()))

    def unit(n: Number) -> str:
        return " 秒" if n.unit == "s" else ""

    per_kind = "；".join(f"{KIND_LABELS[k]} {n.default:g}{unit(n)}（{n.low:g}～{n.high:g}"
                        f"{unit(n)}）" for k, n in by_kind.items())
    only = "" if len(by_kind) == len(KINDS) - 1 else \
        f"{'、'.join(KIND_LABELS[k] for k in by_kind)}："
    return f"{only}{first.help}（默认：{per_kind}）"


AUTH_LABELS = {"token": "API 令牌", "password": "密码"}
# what the operator is asked for, by keyring entry (config.credentials.secret_keys)
SECRET_NAMES = {
    "api_key": "简道云 API 密钥",
    "students_token": "学生应用的 API 令牌",
    "cards_token": "一卡通应用的 API 令牌",
    "password": "kintone 密码",
    "secret_id": "神笔 AK（SecretId）",
    "secret_key": "神笔 SK（SecretKey）",
    "gateway_token": "iPaaS 网关密钥",
}
_JDY, _KINTONE, _SHENBI, _IPAAS, _LOCAL = KINDS
# the flags not every kind takes: (argparse dest, flag, the kinds that take it)
_FLAGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("app_id", "--app-id", (_JDY,)), ("students_entry", "--students-entry", (_JDY,)),
    ("cards_entry", "--cards-entry", (_JDY,)),
    ("students_app", "--students-app", (_KINTONE,)), ("cards_app", "--cards-app", (_KINTONE,)),
    ("guest_space", "--guest-space", (_KINTONE,)), ("auth", "--auth", (_KINTONE,)),
    ("user", "--user", (_KINTONE,)),
    ("app_code", "--app-code", (_SHENBI,)), ("students_object", "--students-object", (_SHENBI,)),
    ("cards_object", "--cards-object", (_SHENBI,)),
    ("gateway_url", "--gateway-url", (_IPAAS,)), ("read_profile", "--read-profile", (_IPAAS,)),
    ("token_header", "--token-header", (_IPAAS,)),
    ("student_link", "--student-link", (_SHENBI, _IPAAS)),
    ("settings", "--set", (_SHENBI, _IPAAS)),
    ("base_url", "--base-url", (_JDY, _KINTONE, _SHENBI)),
    ("map", "--map", (_JDY, _KINTONE, _SHENBI)),
    ("database", "--database", (_LOCAL,)),
)


def _kind_flags() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Every flag that not every kind takes, the numeric ones as their kinds declare them."""
    numeric = tuple((flag_dest(flag), flag, tuple(by_kind))
                    for flag, by_kind in number_flags().items())
    return _FLAGS + numeric
# the options of the connectors' options classes that a flag of their own sets (not --set);
# the numeric ones come from their declarations (``number_flags``)
_OWN_FLAGS = {"base_url": "--base-url", "app_code": "--app-code",
              "students_object": "--students-object", "cards_object": "--cards-object",
              "fields": "--map", "student_link": "--student-link", "student_id": "--student-link",
              "gateway_url": "--gateway-url", "read_profile": "--read-profile",
              "token_header": "--token-header"}
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_LATIN_CJK = re.compile(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z])|(?<=[A-Za-z])(?=[\u4e00-\u9fff])")


def check_base_url(url: str, allow_http: bool, what: str = "API 地址") -> str:
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{what}应以 https:// 开头：{url}")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK and not allow_http:
        raise UsageError(f"{what}不加密（http），密钥会明文传输：{url}"
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


def _in_text(*kinds: str) -> str:
    """Kinds' names inside Chinese text: “简道云”, “ kintone ”, “简道云、kintone 和神笔” (a
    space wherever a Latin word meets a Chinese character, also at either end)."""
    labels = [KIND_LABELS.get(k, k) for k in kinds]
    text = labels[-1] if len(labels) == 1 else "、".join(labels[:-1]) + "和" + labels[-1]
    text = _LATIN_CJK.sub(" ", text)
    return (" " if text[0].isascii() else "") + text + (" " if text[-1].isascii() else "")


def _missing(kind: str, *given: tuple[str, str | None]) -> None:
    missing = [flag for flag, value in given if not (value or "").strip()]
    if missing:
        raise UsageError(f"{_in_text(kind).lstrip()}配置缺少参数：{'、'.join(missing)}")


def _tunables(args: argparse.Namespace, kind: str) -> dict[str, Any]:
    """The numeric options ``kind`` takes a flag for: as given, else the declared default."""
    out: dict[str, Any] = {}
    for key, spec in flagged_numbers(kind).items():
        given = getattr(args, flag_dest(spec.flag), None)
        out[key] = spec.default if given is None else given
    return out


def _own_flag(key: str, options_class: type) -> str | None:
    spec = numbers(options_class).get(key)
    return spec.flag if spec is not None and spec.flag else _OWN_FLAGS.get(key)


def wire_settings(specs: list[str], options_class: type) -> dict[str, Any]:
    """``--set KEY=VALUE ...``: any option of ``options_class`` with a default and no flag of
    its own, the value typed as the default is (range checks are the class's parse)."""
    settable = {k: v for k, v in option_defaults(options_class).items()
                if _own_flag(k, options_class) is None}
    out: dict[str, Any] = {}
    for spec in specs:
        key, sep, text = (part.strip() for part in spec.partition("="))
        if not sep or not key:
            raise UsageError(f"--set 的格式应为 KEY=值：{spec}")
        own = _own_flag(key, options_class)
        if own is not None:
            raise UsageError(f"“{key}”请用 {own} 设置")
        if key not in settable:
            raise UsageError(f"--set 不认识“{key}”（可设置：{'、'.join(sorted(settable))}）")
        default = settable[key]
        try:
            value: Any = type(default)(text) if isinstance(default, int | float) else text
        except ValueError:
            kind = "整数" if isinstance(default, int) else "数"
            raise UsageError(f"--set {key} 应为{kind}：{text}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise UsageError(f"--set {key} 应为数：{text}")
        out[key] = value
    return out


def _checked(parse: Callable[[Mapping[str, Any]], object],
             options: dict[str, Any]) -> dict[str, Any]:
    """``options`` when the connector's own ``parse`` accepts them (UsageError otherwise), so
    the CLI cannot save a profile the connector refuses."""
    try:
        parse(options)
    except ConfigError as exc:
        raise UsageError(exc.message) from None
    return options


def profile_options(args: argparse.Namespace,
                    profiles: Mapping[str, Profile]) -> dict[str, Any]:
    """The options of the profile ``profiles add`` was asked for (UsageError when wrong).
    ``profiles``: the saved ones (an iPaaS profile reads through one of them)."""
    for dest, flag, kinds in _kind_flags():
        if args.kind not in kinds and getattr(args, dest) not in (None, []):
            raise UsageError(f"{flag} 只用于{_in_text(*kinds)}配置（这里是 --kind {args.kind}）")
    if args.kind == _KINTONE:
        return kintone_options(args)
    if args.kind == _SHENBI:
        return shenbi_options(args)
    if args.kind == _IPAAS:
        return ipaas_options(args, profiles)
    if args.kind == _LOCAL:
        return local_options(args)
    return jiandaoyun_options(args)


def local_options(args: argparse.Namespace) -> dict[str, Any]:
    """A local profile on a database file of its own choosing (``--database``), e.g. one that
    several PCs share: the file must exist (``local init`` makes the built-in one)."""
    from pathlib import Path

    _missing(_LOCAL, ("--database", args.database))
    path = Path(args.database.strip()).expanduser().resolve()
    if not path.is_file():
        raise UsageError(f"本地数据库文件不存在：{path}")
    return {"database": str(path)}


def jiandaoyun_options(args: argparse.Namespace) -> dict[str, Any]:
    from .connectors.jiandaoyun_records import JdyOptions

    _missing("jiandaoyun", ("--app-id", args.app_id), ("--students-entry", args.students_entry),
             ("--cards-entry", args.cards_entry))
    options: dict[str, Any] = {
        "base_url": check_base_url(args.base_url or JDY_DEFAULT_BASE_URL, args.allow_http),
        "app_id": args.app_id.strip(),
        "students_entry": args.students_entry.strip(),
        "cards_entry": args.cards_entry.strip(),
        "fields": field_map(args.map).to_json(),
        **_tunables(args, _JDY),
    }
    return _checked(JdyOptions.parse, options)  # ranges


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
        **_tunables(args, _KINTONE),
    }
    return _checked(KintoneOptions.parse, options)  # app ids, ranges, the user


def shenbi_options(args: argparse.Namespace) -> dict[str, Any]:
    from .connectors.shenbi_records import ShenbiOptions

    _missing(_SHENBI, ("--base-url", args.base_url), ("--app-code", args.app_code),
             ("--students-object", args.students_object),
             ("--cards-object", args.cards_object))
    defaults = option_defaults(ShenbiOptions)
    options: dict[str, Any] = {
        "base_url": check_base_url(args.base_url, args.allow_http, "神笔 OpenAPI 地址"),
        "app_code": args.app_code.strip(),
        "students_object": args.students_object.strip(),
        "cards_object": args.cards_object.strip(),
        "fields": field_map(args.map).to_json(),
        "student_link": args.student_link or defaults["student_link"],
        **_tunables(args, _SHENBI),
        **wire_settings(args.settings, ShenbiOptions),
    }
    return _checked(ShenbiOptions.parse, options)


def ipaas_options(args: argparse.Namespace, profiles: Mapping[str, Profile]) -> dict[str, Any]:
    from .connectors.ipaas import IpaasOptions

    _missing(_IPAAS, ("--gateway-url", args.gateway_url), ("--read-profile", args.read_profile))
    reader = args.read_profile.strip()
    shenbi = sorted(n for n, p in profiles.items() if p.kind == _SHENBI and n != args.name)
    found = profiles.get(reader)
    if found is None or found.kind != _SHENBI or reader == args.name.strip():
        what = "不存在" if found is None else f"是{_in_text(found.kind)}配置"
        raise UsageError(f"--read-profile 应为已保存的神笔配置，“{reader}”{what}"
                         f"（可用：{'、'.join(shenbi) or '无，请先添加 --kind shenbi 配置'}）")
    defaults = option_defaults(IpaasOptions)
    options: dict[str, Any] = {
        "gateway_url": check_base_url(args.gateway_url, args.allow_http, "iPaaS 网关地址"),
        "read_profile": reader,
        "token_header": (args.token_header or "").strip(),
        "student_id": args.student_link or defaults["student_id"],
        **_tunables(args, _IPAAS),
        **wire_settings(args.settings, IpaasOptions),
    }
    return _checked(IpaasOptions.parse, options)


def profile_object(profile_name: str, kind: str, options: dict[str, Any], secret: str,
                   default: bool) -> dict[str, Any]:
    """A profile as ``profiles list --format json`` shows it (never a secret)."""
    o = options
    out: dict[str, Any] = {"name": profile_name, "kind": kind, "default": default}
    if kind == _LOCAL and o.get("database"):
        out["database"] = o["database"]
    if kind == _IPAAS:
        out.update(gateway_url=o.get("gateway_url"), read_profile=o.get("read_profile"),
                   token_header=o.get("token_header") or "",
                   student_id=o.get("student_id", "record_id"))
    else:
        out["base_url"] = o.get("base_url")
    if kind == _KINTONE:
        out.update(students_app=o.get("students_app"), cards_app=o.get("cards_app"),
                   guest_space=o.get("guest_space") or "", auth=o.get("auth", "token"),
                   user=o.get("user") or "")
    elif kind == _SHENBI:
        out.update(app_code=o.get("app_code"), students_object=o.get("students_object"),
                   cards_object=o.get("cards_object"),
                   student_link=o.get("student_link", "record_id"))
    elif kind != _IPAAS:
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
    elif o["kind"] == _SHENBI:
        parts = (("base_url", "地址"), ("app_code", "应用"), ("students_object", "学生对象"),
                 ("cards_object", "一卡通对象"))
    elif o["kind"] == _IPAAS:
        parts = (("gateway_url", "网关"), ("read_profile", "读取用神笔配置"),
                 ("token_header", "网关密钥请求头"))
    else:
        parts = (("base_url", "地址"), ("app_id", "应用"), ("students_entry", "学生表单"),
                 ("cards_entry", "一卡通表单"))
    return "、".join(f"{label} {o[k]}" for k, label in parts if o.get(k))
