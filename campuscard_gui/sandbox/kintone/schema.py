"""The emulated kintone apps' fields and kintone's rules for field values (specs/kintone.md §5).

Stored values are strings: NUMBER as a normalised decimal, DATETIME as ``YYYY-MM-DDTHH:MM:00Z``
(seconds dropped), an empty value as "".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any


class KintoneError(Exception):
    """An error answered as kintone's ``{"code", "id", "message", "errors"?}`` body."""

    def __init__(self, code: str, message: str, status: int = 400,
                 errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.errors = errors


def invalid(errors: dict[str, list[str]]) -> KintoneError:
    return KintoneError("CB_VA01", "Missing or invalid input.", 400,
                        {k: {"messages": v} for k, v in errors.items()})


@dataclass(frozen=True, slots=True)
class FieldDef:
    code: str
    label: str
    type: str
    unique: bool = False
    required: bool = False
    options: tuple[str, ...] = ()
    default: str = ""

    def prop(self) -> dict[str, Any]:
        p: dict[str, Any] = {"type": self.type, "code": self.code, "label": self.label,
                             "noLabel": False}
        if self.type in ("SINGLE_LINE_TEXT", "NUMBER", "DATETIME", "DROP_DOWN"):
            p["required"] = self.required
            p["defaultValue"] = self.default
        if self.type in ("SINGLE_LINE_TEXT", "NUMBER", "DATETIME"):
            p["unique"] = self.unique
        if self.options:
            p["options"] = {o: {"label": o, "index": str(i)} for i, o in enumerate(self.options)}
        return p


# Every app's UPDATED_TIME field, under the code a Chinese-language app gets (a Japanese one
# says 更新日時, an English one Updated_datetime): set by the server on every write, minutes
# kept as for every datetime (§5), not writable through the API without app-management rights
# (§1.4), so writes of it are ignored here. Seeded records carry a minute each from
# SEED_UPDATED on.
UPDATED_FIELD = FieldDef("更新时间", "更新时间", "UPDATED_TIME")
SEED_UPDATED = "2024-08-20T00:00:00Z"
DATETIME_TYPES = frozenset({"DATETIME", "UPDATED_TIME", "CREATED_TIME"})
STUDENT_FIELDS = (
    FieldDef("student_no", "学号", "SINGLE_LINE_TEXT", unique=True, required=True),
    FieldDef("name", "姓名", "SINGLE_LINE_TEXT"),
    FieldDef("college", "学院", "SINGLE_LINE_TEXT"),
    FieldDef("class_name", "班级", "SINGLE_LINE_TEXT"),
    FieldDef("student_status", "学籍状态", "DROP_DOWN", options=("在读", "休学", "退学", "毕业")),
    UPDATED_FIELD,
)
CARD_FIELDS = (
    FieldDef("student_no", "学号", "SINGLE_LINE_TEXT", unique=True, required=True),
    FieldDef("status", "卡状态", "DROP_DOWN", options=("正常", "冻结", "注销"), default="正常"),
    FieldDef("open_time", "开卡时间", "DATETIME"),
    FieldDef("amount", "余额", "NUMBER", default="0"),
    UPDATED_FIELD,
)
SYSTEM_TYPES = {"$id": "__ID__", "$revision": "__REVISION__"}


def fmt_decimal(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "") else text


def iso_from_ms(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:00Z")


def parse_datetime(value: str) -> str | None:
    text = value.strip()
    if len(text) == 10:
        text += "T00:00:00Z"
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:00Z")


def convert_record(by_code: Mapping[str, FieldDef], record: Any, prefix: str,
                   errors: dict[str, list[str]]) -> dict[str, str]:
    """Request values ``{code: {"value": v}}`` -> stored strings (unknown codes ignored).

    Problems go into ``errors`` under kintone's keys (``records[3].status.value``; a bad
    NUMBER is ``records[3][amount].value``, brackets and all).
    """
    out: dict[str, str] = {}
    if not isinstance(record, dict):
        errors[prefix] = ["Enter an object value."]
        return out
    for code, cell in record.items():
        f = by_code.get(code)
        if f is None or f.type == "UPDATED_TIME":
            continue  # unknown field codes are silently ignored (§1.4); see UPDATED_FIELD
        value = cell.get("value") if isinstance(cell, dict) else None
        key = f"{prefix}.{code}.value"
        if value is None:
            out[code] = ""
        elif f.type == "NUMBER":
            try:
                d = Decimal(str(value).strip()) if str(value).strip() else None
            except InvalidOperation:
                d = None
            if str(value).strip() and (d is None or isinstance(value, bool)
                                       or not d.is_finite()):
                errors[f"{prefix}[{code}].value"] = ["Only numbers are allowed."]
                continue
            out[code] = "" if d is None else fmt_decimal(d)
        elif not isinstance(value, str | int | float) or isinstance(value, bool):
            errors[key] = ["Enter a string value."]
        elif f.type == "DATETIME":
            text = str(value)
            norm = parse_datetime(text) if text.strip() else ""
            if norm is None:
                errors[key] = ["Enter a date and time in a valid format."]
            else:
                out[code] = norm
        elif f.type == "DROP_DOWN":
            text = str(value)
            if text and text not in f.options:
                errors[key] = [f'"{text}" is not in options.']
            else:
                out[code] = text
        else:
            out[code] = str(value)
    return out
