"""A backend's numeric options, each declared once — on the connector's options class.

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
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.errors import ConfigError
from ..core.text import _

_KEY = "option"  # the dataclass field metadata key


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
                service=service, key=self.key, low=self.low, high=self.high))
        if self.integer:
            if value != int(value):
                raise ConfigError(_("{service}配置“{key}”必须是整数：{value:g}").format(
                    service=service, key=self.key, value=value))
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
    out: dict[str, Number] = {}
    for f in dataclasses.fields(options_class):
        spec = f.metadata.get(_KEY)
        if spec is not None:
            out[f.name] = Number(key=f.name, **spec)
    return out


def parse_numbers(options_class: type, options: Mapping[str, Any],
                  service: str) -> dict[str, Any]:
    """The numeric options of ``options_class`` read from a profile's ``options``: each one
    given checked against its range and type, each one left out at its default. (Typed Any
    for ``cls(**…)``: every value is an int where the field is a whole number, else a
    float, as ``Number.check`` makes it.)"""
    return {key: spec.check(options.get(key, spec.default), service)
            for key, spec in numbers(options_class).items()}
