"""What a profile of each kind holds on the command line, all of it read from the backends'
registrations (``backends.BackendSpec``): the kinds, their names, the flags ``profiles add``
takes (a kind's own, and the numeric options from their declarations), the options built
from them, what the secrets are called, and how ``profiles list`` shows a profile.

A backend registered later (a plug-in, a test's) gets its flags, its help and its listing
here without any change to this module.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from ..backends import BackendSpec, CliFlag, find, get, specs
from ..backends.profile_flags import flag_dest, in_text
from ..config.options import Number, numbers
from ..config.settings import Profile
from ..core.errors import ConfigError
from ..core.text import L_, _
from .common import UsageError

# what a flag several kinds take is about, before each kind's own words
_LEADS = {
    "--base-url": L_("API 地址"),
    "--map": L_("字段对应（KEY：student_no/name/college/class_name/student_status/card_student/"
                "card_open_time/card_amount/card_status）"),
}


def kinds() -> tuple[str, ...]:
    return tuple(s.kind for s in specs())


def kind_label(kind: str) -> str:
    spec = find(kind)
    return spec.label if spec is not None else kind


def secret_name(key: str) -> str:
    """What the operator is asked for, for the keyring entry ``key``, in the language shown
    now (the spec's name is lazy text: ``str.join`` and slicing would see its source)."""
    for spec in specs():
        if key in spec.secret_names:
            return str(spec.secret_names[key])
    return key


def number_flags() -> dict[str, dict[str, Number]]:
    """``profiles add``'s numeric flags: flag → {kind: how that kind declares it}, in the
    order the kinds and their options are declared."""
    out: dict[str, dict[str, Number]] = {}
    for spec in specs():
        cls = spec.options_type()
        for number in (numbers(cls).values() if cls is not None else ()):
            if number.flag:
                out.setdefault(number.flag, {})[spec.kind] = number
    for flag, by_kind in out.items():
        if len({n.key for n in by_kind.values()}) != 1:
            raise RuntimeError(f"{flag} sets different options in different kinds")
    return out


def _only(kinds_: Mapping[str, object]) -> str:
    """“简道云、kintone：” before a flag's help when not every kind takes it."""
    if len(kinds_) == len(specs()):
        return ""
    return _("、").join(kind_label(k) for k in kinds_) + _("：")


def number_flag_help(by_kind: Mapping[str, Number]) -> str:
    """A numeric flag's help: what it is, then each kind's default and range."""
    first = next(iter(by_kind.values()))

    def unit(n: Number) -> str:
        return _(" 秒") if n.unit == "s" else ""

    per_kind = _("；").join(
        _("{k} {default:g}{n}（{low:g}～{high:g}{n}）").format(
            k=kind_label(k), default=n.default, n=unit(n), low=n.low, high=n.high)
        for k, n in by_kind.items())
    with_numbers = [s for s in specs() if s.options_class is not None]
    only = "" if len(by_kind) == len(with_numbers) else _only(by_kind)
    return _("{only}{help}（默认：{per_kind}）").format(
        only=only, help=first.help, per_kind=per_kind)


def kind_flags() -> dict[str, dict[str, CliFlag]]:
    """The kinds' own flags and their text options' (``BackendSpec.flags``): flag → {kind:
    its CliFlag}."""
    out: dict[str, dict[str, CliFlag]] = {}
    for spec in specs():
        for flag in spec.flags():
            out.setdefault(flag.flag, {})[spec.kind] = flag
    return out


def add_kind_arguments(parser: argparse.ArgumentParser) -> None:
    """Every kind's flags on ``profiles add``, each with every kind's help."""
    for flag, by_kind in kind_flags().items():
        first = next(iter(by_kind.values()))
        choices = tuple(dict.fromkeys(c for f in by_kind.values() for c in f.choices))
        per_kind = _("；").join(_("{k}：{help}").format(k=kind_label(k), help=f.help)
                                for k, f in by_kind.items())
        lead = _LEADS.get(flag)
        text = _("{lead}；{per_kind}").format(lead=lead, per_kind=per_kind) if lead else per_kind
        kwargs: dict[str, Any] = {"dest": first.dest, "help": text}
        if choices:
            kwargs["choices"] = choices
        else:
            kwargs["metavar"] = first.metavar or None
        if first.repeat:
            kwargs.update(action="append", default=[])
        parser.add_argument(flag, **kwargs)


def _number(kind: type[int] | type[float], minimum: float) -> Any:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(_("不是数字：{text}").format(text=text)) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(_("必须至少为 {minimum:g}：{text}").format(
                minimum=minimum, text=text))
        return value
    return parse


def add_number_arguments(parser: argparse.ArgumentParser) -> None:
    """The numeric options' flags on ``profiles add``: a whole number where every kind
    declares one, each kind's default and range in the help (the range is checked by the
    kind's options class when the profile is built)."""
    for flag, by_kind in number_flags().items():
        declared = list(by_kind.values())
        whole = all(n.integer for n in declared)
        parser.add_argument(flag, dest=flag_dest(flag),
                            type=_number(int if whole else float, min(n.low for n in declared)),
                            metavar="S" if declared[0].unit == "s" else "N",
                            help=number_flag_help(by_kind))


def secret_stdin_help() -> str:
    parts = [_("{value}为{secret_stdin}").format(
        value=in_text(s.label).strip(), secret_stdin=s.secret_stdin)
        for s in specs() if s.secret_stdin]
    return _("从标准输入读取密钥，每行一个：") + _("；").join(parts)


def _taken_by(kind: str) -> set[str]:
    """The flags a profile of ``kind`` takes (the kind's own and its numeric options')."""
    spec = get(kind)
    cls = spec.options_type()
    own = {f.flag for f in spec.flags()}
    return own | ({n.flag for n in numbers(cls).values() if n.flag} if cls is not None else set())


def profile_options(args: argparse.Namespace,
                    profiles: Mapping[str, Profile]) -> dict[str, Any]:
    """The options of the profile ``profiles add`` was asked for (UsageError when wrong).
    ``profiles``: the saved ones (an iPaaS profile reads through one of them)."""
    spec = get(args.kind)
    taken = _taken_by(args.kind)
    every: dict[str, list[str]] = {flag: list(by_kind) for flag, by_kind in kind_flags().items()}
    for flag, numbers_by_kind in number_flags().items():
        every[flag] = list(numbers_by_kind)
    for flag, by_kind in every.items():
        if flag not in taken and getattr(args, flag_dest(flag), None) not in (None, []):
            names = in_text(*(kind_label(k) for k in by_kind))
            raise UsageError(_("{flag} 只用于{names}配置（这里是 --kind {kind}）").format(
                flag=flag, names=names, kind=args.kind))
    if spec.cli_options is None:
        raise UsageError(_("{label}配置不能用命令行添加").format(label=spec.label))
    try:
        return spec.cli_options(args, profiles)
    except ConfigError as exc:
        raise UsageError(exc.message) from None


def profile_object(profile_name: str, kind: str, options: Mapping[str, Any], secret: str,
                   default: bool) -> dict[str, Any]:
    """A profile as ``profiles list --format json`` shows it (never a secret)."""
    out: dict[str, Any] = {"name": profile_name, "kind": kind, "default": default}
    spec = find(kind)
    for listed in (spec.listed if spec is not None else ()):
        value = options.get(listed.key)
        if value in (None, ""):
            if listed.default is None:
                continue  # e.g. the built-in local profile's own database: nothing to say
            value = listed.default
        out[listed.key] = value
    out["secret"] = secret
    return out


def where(spec: BackendSpec | None, options: Mapping[str, Any]) -> str:
    """The 连接 column of ``profiles list``: the listed options with a label and a value."""
    parts: list[str] = []
    for listed in (spec.listed if spec is not None else ()):
        value = options.get(listed.key)
        if not listed.label or value in (None, ""):
            continue
        shown = listed.show(options) if listed.show is not None else str(value)
        parts.append(f"{listed.label} {shown}")
    return _("、").join(parts)
