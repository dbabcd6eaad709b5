"""A backend's options, each declared once — on the connector's options class: the numbers
(:func:`number`) and the texts (:func:`text`).

A field of an options dataclass (``JdyOptions``, ``KintoneOptions`` …) declared with
:func:`number` carries its whole description: default, range, whether it is a whole number,
its unit, the ``profiles add`` flag that sets it (if any) and the help text. Everything else
derives from that declaration:

- the connector's ``parse`` (:func:`parse_numbers`: range and type checks, the defaults),
- ``profiles add``: its flags, their help with each kind's default and range, and what a flag
  puts into a profile (``cli.profile_kinds``),
- the profile dialog's spin boxes: range, decimals and a new profile's value
  (``ui.profile_form``),

so a stored timeout of 450 s or 2.5 s comes back from every one of them as it was saved.

A text option (an app's id, a form's key, a sign-in method) declared with :func:`text` carries
its operator's name (``label``), whether it must be given (and whether only when another option
has some value, ``when``), its default, its choices, the ``profiles add`` flag and metavar, the
help and the hint an empty field shows. From it come ``profiles add``'s flags, their help and the
missing-flag check (``backends.profile_flags.flagged_texts``) and the profile dialog's rows, with
the same label in the row, in the help and in what says it is missing (``ui.profile_form``).
Secrets are never options: they stay in the keyring code.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.errors import ConfigError
from ..core.text import SOURCE_LANGUAGE, _, language

_KEY = "option"  # the dataclass field metadata key of a number
_TEXT_KEY = "text_option"  # … of a text


def _named(service: str) -> str:
    """The backend's name as its messages take it: "kintone " keeps the space that parts it
    from the Chinese after it, which English does not want twice."""
    return service if language() == SOURCE_LANGUAGE else str(service).strip()


@dataclass(frozen=True, slots=True)
class Number:
    """How one numeric option may be set."""

    key: str  # the option's name in Profile.options (the field's name)
    default: int | float
    low: float
    high: float
    integer: bool  # a whole number (a count); else any finite number in range
    unit: str = ""  # "s" for seconds, "" for a count
    flag: str = ""  # the ``profiles add`` flag that sets it, e.g. "--timeout"
    help: str = ""  # what it is, for ``profiles add --help`` (the operator's words)

    def check(self, value: object, service: str) -> int | float:
        """``value`` as this option takes it, or ConfigError saying the range."""
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value) or not self.low <= value <= self.high:
            raise ConfigError(_("{service}配置“{key}”必须是 {low:g}～{high:g} 之间的数").format(
                service=_named(service), key=self.key, low=self.low, high=self.high))
        if self.integer:
            if value != int(value):
                raise ConfigError(_("{service}配置“{key}”必须是整数：{value:g}").format(
                    service=_named(service), key=self.key, value=value))
            return int(value)
        return float(value)

    @property
    def decimals(self) -> int:
        """Decimal places a spin box shows: none for a count, two for the rest (the finest
        step any default or bound here uses is 0.01)."""
        return 0 if self.integer else 2


def number(default: int | float, low: float, high: float, *, unit: str = "", flag: str = "",
           help: str = "") -> Any:
    """A dataclass field for a numeric option (``timeout_s: float = number(15.0, 0.05, 600,
    unit="s", flag="--timeout")``): a whole number when ``default`` is an int."""
    if not low <= default <= high:
        raise ValueError(f"default {default} outside [{low}, {high}]")
    spec = {"default": default, "low": low, "high": high,
            "integer": isinstance(default, int) and not isinstance(default, bool),
            "unit": unit, "flag": flag, "help": help}
    return dataclasses.field(default=default, metadata={_KEY: spec})


def numbers(options_class: type) -> dict[str, Number]:
    """Every numeric option ``options_class`` declares with :func:`number`, by name, in the
    order of its fields."""
    return {name: Number(key=name, **spec) for name, spec in _declared(options_class, _KEY)}


def _declared(options_class: type, key: str) -> list[tuple[str, dict[str, Any]]]:
    """(field name, declaration) of each field declared under ``key``, in field order."""
    return [(f.name, f.metadata[key]) for f in dataclasses.fields(options_class)
            if key in f.metadata]


def parse_numbers(options_class: type, options: Mapping[str, Any],
                  service: str) -> dict[str, Any]:
    """The numeric options of ``options_class`` read from a profile's ``options``: each one
    given checked against its range and type, each one left out at its default. (Typed Any
    for ``cls(**…)``: every value is an int where the field is a whole number, else a
    float, as ``Number.check`` makes it.)"""
    return {key: spec.check(options.get(key, spec.default), service)
            for key, spec in numbers(options_class).items()}


@dataclass(frozen=True, slots=True)
class Text:
    """How one text option is set and what the operator calls it. Every text the operator
    reads is lazily translated (``L_``): said in the language installed when it is used."""

    key: str  # the option's name in Profile.options (the field's name)
    label: str  # the operator's name for it: the dialog's row, the help, the missing message
    default: str | None = None  # None: no default (a new profile leaves it empty)
    required: bool = False  # must not be empty (where ``when`` holds)
    flag: str = ""  # the ``profiles add`` flag that sets it, e.g. "--app-id"
    metavar: str = ""  # the flag's value in --help, e.g. "ID"
    help: str = ""  # more for --help after the label ("" : the hint)
    hint: str = ""  # where to find it: an empty field's placeholder
    choices: tuple[tuple[str, str], ...] = ()  # (value, what the operator reads), the first default
    when: tuple[str, str] | None = None  # (option, value): only then shown and required
    object_name: str = ""  # the dialog widget's object name ("": keyEdit / keyCombo)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _label in self.choices)

    def applies(self, options: Mapping[str, Any]) -> bool:
        """Whether the option counts for ``options`` (its ``when`` holds, or it has none)."""
        return self.when is None or str(options.get(self.when[0]) or "") == self.when[1]

    def value(self, given: object) -> str:
        """A given value as stored: stripped; nothing given is ""."""
        return "" if given is None else str(given).strip()

    def row_label(self) -> str:
        """The label of the dialog's row."""
        return _("{label}：").format(label=self.label)

    def missing(self) -> str:
        """What says the option is empty (the dialog's check)."""
        return _("请填写“{label}”。").format(label=self.label)

    def missing_flag(self) -> str:
        """The flag and what it is, in ``profiles add``'s list of missing flags."""
        return _("{flag}（{label}）").format(flag=self.flag, label=self.label)

    def cli_help(self) -> str:
        """The flag's ``--help``: the label, then the help (or hint), the choices and the
        default."""
        parts = [str(self.help or self.hint)] if self.help or self.hint else []
        if self.choices:
            parts.append(_("、").join(_("{value} = {label}").format(value=v, label=label)
                                      for v, label in self.choices))
            parts.append(_("默认 {value}").format(value=self.default or self.choices[0][0]))
        if not parts:
            return str(self.label)
        return _("{label}：{help}").format(label=self.label, help=_("；").join(parts))

    @property
    def widget_name(self) -> str:
        if self.object_name:
            return self.object_name
        head, *rest = self.key.split("_")
        return head + "".join(w[:1].upper() + w[1:] for w in rest) + (
            "Combo" if self.choices else "Edit")


def text(label: str, *, default: str | None = None, required: bool = False, flag: str = "",
         metavar: str = "", help: str = "", hint: str = "",
         choices: tuple[tuple[str, str], ...] = (), when: tuple[str, str] | None = None,
         object_name: str = "") -> Any:
    """A dataclass field for a text option (``app_id: str = text(L_("应用 ID"), required=True,
    flag="--app-id", metavar="ID")``). Without a ``default`` the field has none at run time,
    though mypy takes any ``= text(…)`` for one: so the class puts its other fields without a
    default (``fields: FieldMap``) before every text option, and is built by keyword. With
    ``choices`` and no default the first choice is the default."""
    if choices and default is None:
        default = choices[0][0]
    if choices and default not in tuple(v for v, _l in choices):
        raise ValueError(f"default {default!r} is not one of the choices")
    spec = {"label": label, "default": default, "required": required, "flag": flag,
            "metavar": metavar, "help": help, "hint": hint, "choices": tuple(choices),
            "when": when, "object_name": object_name}
    if default is None:
        return dataclasses.field(metadata={_TEXT_KEY: spec})
    return dataclasses.field(default=default, metadata={_TEXT_KEY: spec})


def texts(options_class: type) -> dict[str, Text]:
    """Every text option ``options_class`` declares with :func:`text`, by name, in the order
    of its fields."""
    return {name: Text(key=name, **spec) for name, spec in _declared(options_class, _TEXT_KEY)}


def parse_texts(options_class: type, options: Mapping[str, Any],
                service: str) -> dict[str, Any]:
    """Every text option ``options_class`` declares, as a connector takes it from a profile's
    ``options``: stripped (a whole number, as a stored app id may be, is taken as its digits),
    the default where none is stored, one of the ``choices`` when it has some, and present
    when it is ``required`` (and its ``when`` holds). ConfigError names the option and its
    label. The backend's own format checks (an app id's digits, a key's characters) follow.
    (Typed Any, as ``parse_numbers``: the values go into the class by keyword; each is a str.)"""
    out: dict[str, Any] = {}
    for key, spec in texts(options_class).items():
        raw = options.get(key)
        if raw is None or raw == "":
            raw = spec.default if spec.default is not None else ""
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(raw, str):
            raise ConfigError(_("{service}配置“{key}”必须是文字").format(
                service=_named(service), key=key))
        value = raw.strip()
        if spec.choices and value not in spec.values:
            raise ConfigError(_("{service}配置“{key}”只能是 {values}").format(
                service=_named(service), key=key, values=" / ".join(spec.values)))
        if spec.required and not value and spec.applies({**options, **out}):
            raise ConfigError(_("{service}配置缺少“{key}”（{label}）").format(
                service=_named(service), key=key, label=spec.label))
        out[key] = value
    return out
