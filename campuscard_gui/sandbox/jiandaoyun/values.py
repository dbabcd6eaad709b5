"""简道云 emulator: field values (write decoding, datetime normalisation) and data/list filters.

Pure functions over plain dicts; the store and the HTTP layer use them. Spec:
shared/specs/jiandaoyun.md §3.2 (filters) and §3.4 (write format, datetimes).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

TEXT_TYPES = frozenset({"text", "textarea", "radiogroup", "combo", "sn", "richtext"})
SELECT_TYPES = frozenset({"radiogroup", "combo"})
SYSTEM_DATETIME_FIELDS = ("createTime", "updateTime")

# Methods allowed per field kind (§3.2 table). Kinds not listed accept only empty/not_empty.
METHODS_BY_TYPE: dict[str, frozenset[str]] = {
    "text": frozenset({"eq", "ne", "in", "nin", "empty", "not_empty"}),
    "textarea": frozenset({"eq", "ne", "in", "nin", "empty", "not_empty"}),
    "combo": frozenset({"eq", "ne", "in", "nin", "empty", "not_empty"}),
    "radiogroup": frozenset({"eq", "ne", "in", "nin", "empty", "not_empty"}),
    "number": frozenset({"eq", "ne", "range", "gt", "lt", "empty", "not_empty"}),
    "datetime": frozenset({"eq", "ne", "range", "empty", "not_empty"}),
    "sn": frozenset({"eq", "ne", "in", "nin", "like", "empty", "not_empty"}),
    "_id": frozenset({"eq", "in", "empty", "not_empty"}),  # the docs' "data id" row
}
_EMPTY_ONLY = frozenset({"empty", "not_empty"})

_ISO_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?"
                        r"(Z|[+-]\d{2}:?\d{2})?$")
_MIN_EPOCH_MS = 100_000_000_000  # below this an integer looks like epoch *seconds*: rejected


class FieldValueError(Exception):
    """A written value does not fit its field (answered as 3005 by the HTTP layer)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"字段 {field} 的值无效：{reason}")
        self.field = field


class FilterError(Exception):
    """A filter condition is invalid (dropped or answered 4815, per the settings)."""


def iso_utc(dt: datetime) -> str:
    """``YYYY-MM-DDTHH:mm:ss.sssZ`` in UTC."""
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def iso_from_ms(ms: int) -> str:
    return iso_utc(datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms))


def normalise_datetime(value: Any, naive_offset_hours: float) -> str:
    """Accept epoch milliseconds and ISO-ish strings (§3.4); return the stored ISO form.

    Raises ``ValueError`` for what the spec lists as rejected: second-resolution epochs, 0,
    slash-separated dates, arrays, booleans. ``None``/``""`` are handled by the caller.
    """
    if isinstance(value, bool):
        raise ValueError("布尔值不是日期")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if abs(value) < _MIN_EPOCH_MS:
            raise ValueError("时间戳须为毫秒")
        return iso_from_ms(value)
    if isinstance(value, str):
        text = value.strip()
        if not _ISO_SHAPE.match(text):
            raise ValueError("日期格式无效")
        try:
            dt = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError("日期格式无效") from exc
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=timezone(timedelta(hours=naive_offset_hours)))
        return iso_utc(dt)
    raise ValueError("日期须为毫秒时间戳或 ISO 字符串")


def decode_value(name: str, wtype: str, wrapped: Any, naive_offset_hours: float) -> Any:
    """Strip the ``{"value": …}`` wrapping and check the value against the widget type."""
    if not isinstance(wrapped, Mapping) or "value" not in wrapped:
        raise FieldValueError(name, '写入的值须包装为 {"value": …}')
    value = wrapped["value"]
    if value is None or value == "":
        return ""  # a form cannot store null: both null and "" are saved as "" (§3.4)
    if wtype in TEXT_TYPES:
        if not isinstance(value, str):
            raise FieldValueError(name, "须为字符串")
        return value
    if wtype == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FieldValueError(name, "须为数字")
        if isinstance(value, float) and not math.isfinite(value):
            raise FieldValueError(name, "须为有限数字")
        return value
    if wtype == "datetime":
        try:
            return normalise_datetime(value, naive_offset_hours)
        except ValueError as exc:
            raise FieldValueError(name, str(exc)) from exc
    return value  # other kinds are stored as sent (none of the demo forms use them)


# --------------------------------------------------------------------------- filters


Record = Mapping[str, Any]
Predicate = Callable[[Record], bool]


@dataclass(frozen=True, slots=True)
class FieldRef:
    key: str  # the key in the stored record
    wtype: str  # widget type, "datetime" for createTime/updateTime, "_id" for the record id


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _comparable(ref: FieldRef, raw: Any, naive_offset_hours: float) -> Any:
    """One filter operand, checked and brought to the stored form of the field."""
    if ref.wtype == "number":
        if not _is_number(raw):
            raise FilterError("数字字段的条件值须为数字")
        return raw
    if ref.wtype == "datetime":
        try:
            return normalise_datetime(raw, naive_offset_hours)
        except ValueError as exc:
            raise FilterError(str(exc)) from exc
    if not isinstance(raw, str):
        raise FilterError("文本字段的条件值须为字符串")
    return raw


def compile_condition(ref: FieldRef, method: Any, value: Any, *, max_in_values: int,
                      naive_offset_hours: float) -> Predicate:
    """Build the predicate of one condition, or raise FilterError when it is invalid."""
    allowed = METHODS_BY_TYPE.get(ref.wtype, _EMPTY_ONLY)
    if not isinstance(method, str) or method not in allowed:
        raise FilterError(f"字段类型 {ref.wtype} 不支持 method {method!r}")
    key = ref.key
    if method == "empty":
        return lambda r: _is_empty(r.get(key))
    if method == "not_empty":
        return lambda r: not _is_empty(r.get(key))
    if not isinstance(value, list):
        raise FilterError("条件的 value 须为数组")

    def operand(raw: Any) -> Any:
        return _comparable(ref, raw, naive_offset_hours)

    if method in ("eq", "ne"):
        if len(value) != 1:
            raise FilterError(f"{method} 须有且只有一个值")
        target = operand(value[0])
        if method == "eq":
            return lambda r: r.get(key) == target
        return lambda r: r.get(key) != target
    if method in ("in", "nin"):
        if not value or len(value) > max_in_values:
            raise FilterError(f"{method} 的值个数须在 1–{max_in_values} 之间")
        targets = frozenset(operand(v) for v in value)
        if method == "in":
            return lambda r: r.get(key) in targets
        return lambda r: r.get(key) not in targets
    if method in ("gt", "lt"):
        if len(value) != 1:
            raise FilterError(f"{method} 须有且只有一个值")
        bound = operand(value[0])
        if method == "gt":
            return lambda r: _is_number(r.get(key)) and r[key] > bound
        return lambda r: _is_number(r.get(key)) and r[key] < bound
    if method == "range":
        if len(value) != 2 or (value[0] is None and value[1] is None):
            raise FilterError("range 须为 [下限, 上限]，可有一端为 null")
        low = None if value[0] is None else operand(value[0])
        high = None if value[1] is None else operand(value[1])

        def in_range(r: Record) -> bool:
            v = r.get(key)
            if _is_empty(v) or (ref.wtype == "number" and not _is_number(v)):
                return False
            return (low is None or v >= low) and (high is None or v <= high)

        return in_range
    # like: substring match
    if len(value) != 1 or not isinstance(value[0], str):
        raise FilterError("like 须有且只有一个字符串值")
    needle = value[0]
    return lambda r: isinstance(r.get(key), str) and needle in r[key]
