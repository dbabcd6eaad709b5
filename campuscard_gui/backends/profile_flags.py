"""What the backends' ``profiles add`` builders share (``SPEC.cli_options``): checking an
address, a ``--map``, the text and the numeric options from their declared flags (the missing
ones named with their labels),
``--set`` for the wire settings, and the connector's own last word on the options.

Everything here raises ConfigError; the CLI reports it as a usage error (exit code 2).
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from ..config.fieldmap import FieldMap
from ..config.options import numbers, texts
from ..config.settings import option_defaults
from ..core.errors import ConfigError
from ..core.text import L_, SOURCE_LANGUAGE, _, language

LOOPBACK = ("127.0.0.1", "localhost", "::1")
_LATIN_CJK = re.compile(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z])|(?<=[A-Za-z])(?=[\u4e00-\u9fff])")


def in_text(*labels: str) -> str:
    """Backends' names inside Chinese text: “简道云”, “ kintone ”, “简道云、kintone 和神笔” (a
    space wherever a Latin word meets a Chinese character, also at either end)."""
    text = labels[-1] if len(labels) == 1 else _("、").join(labels[:-1]) + _("和") + labels[-1]
    if language() != SOURCE_LANGUAGE:  # not shown in Chinese: the words are spaced already
        return str(text)
    text = _LATIN_CJK.sub(" ", text)
    return (" " if text[0].isascii() else "") + text + (" " if text[-1].isascii() else "")


def check_base_url(url: str, allow_http: bool, what: str = L_("API 地址")) -> str:
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(_("{what}应以 https:// 开头：{url}").format(what=what, url=url))
    if parts.scheme == "http" and parts.hostname not in LOOPBACK and not allow_http:
        raise ConfigError(_("{what}不加密（http），密钥会明文传输：{url}（如确为内网私有部署，请加"
                            " --allow-http）").format(
            what=what, url=url))
    return url


def field_map(specs: list[str]) -> FieldMap:
    """``--map KEY=FIELD ...`` as a field map (the defaults for the keys not given)."""
    fm = FieldMap()
    for spec in specs:
        key, sep, value = spec.partition("=")
        if not sep or not key.strip():
            raise ConfigError(_("--map 的格式应为 KEY=字段名：{spec}").format(spec=spec))
        fm.set(key.strip(), value)
    return fm


def require(label: str, *given: tuple[str, str | None]) -> None:
    """Every ``(flag, value)`` given a value, else ConfigError naming the missing flags."""
    missing = [flag for flag, value in given if not (value or "").strip()]
    if missing:
        raise ConfigError(_("{value}配置缺少参数：{value2}").format(
            value=in_text(label).lstrip(), value2=_('、').join(missing)))


def flagged_texts(args: argparse.Namespace, options_class: type, label: str, *,
                  also: Sequence[tuple[str, str | None]] = ()) -> dict[str, str]:
    """The text options ``options_class`` declares a flag for: as given, stripped, else the
    declared default (else ""). ConfigError naming every flag in ``also`` (``(flag, value)``:
    e.g. the address) given no value and every required option left empty, with its label;
    or naming a flag given where its ``when`` does not hold (``--user`` without ``--auth
    password``)."""
    declared = {key: spec for key, spec in texts(options_class).items() if spec.flag}
    given = {key: getattr(args, flag_dest(spec.flag), None) for key, spec in declared.items()}
    out: dict[str, str] = {}
    for key, spec in declared.items():
        value = spec.value(given[key])
        out[key] = value or spec.default or ""
    missing = [flag for flag, value in also if not (value or "").strip()]
    for key, spec in declared.items():
        if spec.applies(out):
            if spec.required and not out[key]:
                missing.append(spec.missing_flag())
        elif given[key] is not None and spec.when is not None:
            other = declared.get(spec.when[0])
            raise ConfigError(_("{flag} 只用于 {when} {value}（{label}）").format(
                flag=spec.flag, when=other.flag if other is not None else spec.when[0],
                value=spec.when[1], label=spec.label))
    if missing:
        raise ConfigError(_("{value}配置缺少参数：{value2}").format(
            value=in_text(label).lstrip(), value2=_('、').join(missing)))
    return out


def flag_dest(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


def flagged_numbers(args: argparse.Namespace, options_class: type) -> dict[str, Any]:
    """The numeric options ``options_class`` declares a flag for: as given, else the
    declared default."""
    out: dict[str, Any] = {}
    for key, spec in numbers(options_class).items():
        if spec.flag:
            given = getattr(args, flag_dest(spec.flag), None)
            out[key] = spec.default if given is None else given
    return out


def wire_settings(specs: list[str], options_class: type, own: Mapping[str, str]) -> dict[str, Any]:
    """``--set KEY=VALUE ...``: any option of ``options_class`` with a default and no flag of
    its own (``own``: option → flag; the declared options' flags come from their declaration),
    the value typed as the default is (range checks are the class's parse)."""
    flags = {key: spec.flag for key, spec in numbers(options_class).items() if spec.flag}
    flags.update({key: spec.flag for key, spec in texts(options_class).items() if spec.flag})

    def own_flag(key: str) -> str | None:
        return flags.get(key) or own.get(key)

    settable = {k: v for k, v in option_defaults(options_class).items() if own_flag(k) is None}
    out: dict[str, Any] = {}
    for spec in specs:
        key, sep, text = (part.strip() for part in spec.partition("="))
        if not sep or not key:
            raise ConfigError(_("--set 的格式应为 KEY=值：{spec}").format(spec=spec))
        flag = own_flag(key)
        if flag is not None:
            raise ConfigError(_("“{key}”请用 {flag} 设置").format(key=key, flag=flag))
        if key not in settable:
            raise ConfigError(_("--set 不认识“{key}”（可设置：{value}）").format(
                key=key, value=_('、').join(sorted(settable))))
        default = settable[key]
        try:
            value: Any = type(default)(text) if isinstance(default, int | float) else text
        except ValueError:
            kind = _("整数") if isinstance(default, int) else _("数")
            raise ConfigError(_("--set {key} 应为{kind}：{text}").format(
                key=key, kind=kind, text=text)) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(_("--set {key} 应为数：{text}").format(key=key, text=text))
        out[key] = value
    return out


def checked(parse: Callable[[Mapping[str, Any]], object],
            options: dict[str, Any]) -> dict[str, Any]:
    """``options`` when the connector's own ``parse`` accepts them, so that ``profiles add``
    cannot save a profile the connector refuses."""
    parse(options)
    return options
