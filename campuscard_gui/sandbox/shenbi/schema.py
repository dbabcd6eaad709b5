"""The emulated 神笔 objects (students, cards) and 神笔's rules for field values (spec §2.1).

Written values arrive as the iPaaS connector writes them: text as a string, int/real as a JSON
number, datetime as epoch milliseconds, enum as an array of option labels (``["正常"]``),
relation as the related record's Id [INFER]. They are stored as: str, int, Decimal, int (ms),
a tuple of option codes, and the related record's Id (int); None where a value is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

TEXT, INT, REAL, DATETIME, ENUM, RELATION = "text", "int", "real", "datetime", "enum", "relation"
SYSTEM_FIELDS = ("Id", "CreatedTime", "UpdatedTime")


class ShenbiError(Exception):
    """An error answered inside the TC3 envelope: ``{"Error": {"Code", "Message"}}``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def field_error(where: str, key: str, why: str) -> ShenbiError:
    return ShenbiError("InvalidParameterValue.Field", f"{where}字段 {key}：{why}")


@dataclass(frozen=True, slots=True)
class FieldDef:
    key: str  # the field's api_key
    label: str
    type: str
    options: tuple[tuple[int, str], ...] = ()  # enum: (option code, label)
    target: str = ""  # relation: the related object's key

    def label_of(self, code: int) -> str | None:
        return next((lab for c, lab in self.options if c == code), None)

    def code_of(self, label: str) -> int | None:
        return next((c for c, lab in self.options if lab == label), None)


@dataclass(frozen=True, slots=True)
class Entity:
    key: str
    name: str
    fields: tuple[FieldDef, ...]
    main_field: str | None = None  # None: MainField is the record Id
    by_key: dict[str, FieldDef] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.by_key.update({f.key: f for f in self.fields})


# Option codes are [UNKNOWN]; §4.1 shows five-digit integers such as 10001.
STUDENT_STATUS = ((10001, "在读"), (10002, "休学"), (10003, "退学"), (10004, "毕业"))
CARD_STATUS = ((20001, "正常"), (20002, "冻结"), (20003, "注销"))


def student_entity(key: str) -> Entity:
    return Entity(key, "学生信息", (
        FieldDef("student_no", "学号", TEXT),
        FieldDef("name", "姓名", TEXT),
        FieldDef("college", "学院", TEXT),
        FieldDef("class_name", "班级", TEXT),
        FieldDef("student_status", "学籍状态", ENUM, STUDENT_STATUS),
    ), main_field="student_no")


def card_entity(key: str, students: str) -> Entity:
    # The seed's card object (§7): studentInfo, openTime, amount, status.
    return Entity(key, "校园一卡通", (
        FieldDef("studentInfo", "学生信息", RELATION, target=students),
        FieldDef("openTime", "开通时间", DATETIME),
        FieldDef("amount", "余额", REAL),
        FieldDef("status", "开通状态", ENUM, CARD_STATUS),
    ))


# ------------------------------------------------------------------ values written


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    d = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    return d if d.is_finite() else None


def _fits_real(d: Decimal) -> bool:
    """Up to 20 integer digits and 8 decimals (spec §2.1, 实数)."""
    _sign, digits, exp = d.normalize().as_tuple()
    assert isinstance(exp, int)
    decimals = max(-exp, 0)
    integer = max(len(digits) + exp, 0)
    return decimals <= 8 and integer <= 20


def parse_id(value: Any) -> int | None:
    """A record Id as a JSON integer or a string of digits (both spellings occur, §4.1)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
        return int(value) or None
    return None


def convert(f: FieldDef, value: Any, where: str) -> Any:
    """A written value -> the stored one; raises InvalidParameterValue.Field naming ``f``."""
    if value is None:
        return () if f.type == ENUM else None
    if f.type == TEXT:
        if not isinstance(value, str):
            raise field_error(where, f.key, "文本字段的值须为字符串")
        return value
    if f.type in (INT, REAL):
        d = _number(value)
        if d is None:
            raise field_error(where, f.key, "数值字段的值须为数字")
        if f.type == INT:
            if d != d.to_integral_value() or len(str(abs(int(d)))) > 20:
                raise field_error(where, f.key, "整数字段的值须为整数")
            return int(d)
        if not _fits_real(d):
            raise field_error(where, f.key, "实数最多 20 位整数、8 位小数")
        return d
    if f.type == DATETIME:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise field_error(where, f.key, "日期时间字段的值须为毫秒时间戳（整数）")
        return value
    if f.type == ENUM:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise field_error(where, f.key, "枚举字段的值须为选项名称的数组，如 [\"正常\"]")
        if len(value) > 1:
            raise field_error(where, f.key, "单选枚举只能有一个选项")
        codes = []
        for label in value:
            code = f.code_of(label)
            if code is None:
                raise field_error(where, f.key, f"选项 {label!r} 不存在")
            codes.append(code)
        return tuple(codes)
    rid = parse_id(value)  # RELATION
    if rid is None:
        raise field_error(where, f.key, "关联字段的值须为关联记录的 Id")
    return rid


# ------------------------------------------------------------------ values read


def fmt_number(value: int | Decimal) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text
