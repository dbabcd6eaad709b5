"""DescribeEntityRecords' ``Filter`` (spec §3.3): ``{"Connector": "AND"|"OR", "Children": [...]}``.

A child is a condition ``{"Field", "Operator", "Value"}`` or a nested group. Operators (Web SDK
spellings, §3.3): EQ and NOT_EQ for every type; CONTAINS and NOT_CONTAINS for text (substring)
and enum (shares an option); GT, GTE, LT, LTE for numbers, datetimes and the record Id.
Enum values may be a label, an option code or an array of them; a relation's value is the
related record's Id. ``Value: null`` with EQ/NOT_EQ asks for an empty/non-empty field.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .schema import (
    DATETIME,
    ENUM,
    INT,
    REAL,
    RELATION,
    TEXT,
    Entity,
    FieldDef,
    ShenbiError,
    parse_id,
)

# Getter: (record, field key) -> stored value (Id/CreatedTime/UpdatedTime included)
Getter = Callable[[Any, str], Any]
OPERATORS = ("EQ", "NOT_EQ", "CONTAINS", "NOT_CONTAINS", "GT", "GTE", "LT", "LTE")
_ORDER_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "GT": operator.gt, "GTE": operator.ge, "LT": operator.lt, "LTE": operator.le}
ID_FIELD = FieldDef("Id", "Id", "id")
SYSTEM_DEFS = {"Id": ID_FIELD, "CreatedTime": FieldDef("CreatedTime", "创建时间", DATETIME),
               "UpdatedTime": FieldDef("UpdatedTime", "更新时间", DATETIME)}


@dataclass(frozen=True, slots=True)
class Cond:
    field: FieldDef
    op: str
    value: Any  # normalised: int/Decimal, str, frozenset of codes, or None
    test: Callable[[Any], bool]


@dataclass(frozen=True, slots=True)
class Group:
    all_of: bool  # AND (True) or OR (False)
    children: tuple[Cond | Group, ...]

    def test(self, rec: Any) -> bool:
        if self.all_of:
            return all(c.test(rec) for c in self.children)
        return not self.children or any(c.test(rec) for c in self.children)


Node = Cond | Group


def lookup(entity: Entity, key: Any, where: str) -> FieldDef:
    f = entity.by_key.get(key) if isinstance(key, str) else None
    if f is None and isinstance(key, str):
        f = SYSTEM_DEFS.get(key)
    if f is None:
        raise ShenbiError("InvalidParameterValue.Field",
                          f"{where}：对象 {entity.key} 没有字段 {key!r}")
    return f


def compile_filter(entity: Entity, raw: Any, get: Getter, children_max: int,
                   where: str = "Filter") -> Group:
    if not isinstance(raw, dict):
        raise ShenbiError("InvalidParameter", f"{where} 须为对象")
    connector = raw.get("Connector")
    if connector not in ("AND", "OR"):
        raise ShenbiError("InvalidParameterValue", f"{where}.Connector 须为 AND 或 OR")
    children = raw.get("Children")
    if not isinstance(children, list):
        raise ShenbiError("InvalidParameter", f"{where}.Children 须为数组")
    if len(children) > children_max:
        raise ShenbiError("LimitExceeded",
                          f"{where}.Children 最多 {children_max} 个条件，收到 {len(children)} 个")
    nodes: list[Node] = []
    for i, child in enumerate(children):
        here = f"{where}.Children[{i}]"
        if isinstance(child, dict) and "Connector" in child:
            nodes.append(compile_filter(entity, child, get, children_max, here))
        else:
            nodes.append(_condition(entity, child, get, here))
    return Group(connector == "AND", tuple(nodes))


def _condition(entity: Entity, raw: Any, get: Getter, where: str) -> Cond:
    if not isinstance(raw, dict):
        raise ShenbiError("InvalidParameter", f"{where} 须为对象")
    for key in ("Field", "Operator", "Value"):
        if key not in raw:
            raise ShenbiError("MissingParameter", f"缺少参数 {where}.{key}")
    f = lookup(entity, raw["Field"], where)
    op, value = raw["Operator"], raw["Value"]
    if op not in OPERATORS:
        raise ShenbiError("InvalidParameterValue",
                          f"{where}.Operator 须为 {'、'.join(OPERATORS)} 之一")
    key = f.key
    if value is None:
        if op not in ("EQ", "NOT_EQ"):
            raise _bad(where, f, op)
        want = op == "EQ"
        return Cond(f, op, None, lambda rec: _empty(get(rec, key)) == want)
    if f.type == TEXT:
        if op in _ORDER_OPS or not isinstance(value, str):
            raise _bad(where, f, op)
        return Cond(f, op, value, _text_test(key, op, value, get))
    if f.type == ENUM:
        if op in _ORDER_OPS:
            raise _bad(where, f, op)
        codes = _codes(f, value, where)
        return Cond(f, op, codes, _enum_test(key, op, codes, get))
    if f.type in (RELATION, "id"):
        rid = parse_id(value)
        if rid is None or (f.type == RELATION and op not in ("EQ", "NOT_EQ")) \
                or op in ("CONTAINS", "NOT_CONTAINS"):
            raise _bad(where, f, op)
        return Cond(f, op, rid, _order_test(key, op, rid, get))
    number = _number(value, f.type)  # INT, REAL, DATETIME
    if number is None or op in ("CONTAINS", "NOT_CONTAINS"):
        raise _bad(where, f, op)
    return Cond(f, op, number, _order_test(key, op, number, get))


def _bad(where: str, f: FieldDef, op: str) -> ShenbiError:
    return ShenbiError("InvalidParameterValue.Field",
                       f"{where}：字段 {f.key} 不支持 {op} 或该取值")


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == ()


def _number(value: Any, ftype: str) -> int | Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            return None
    if not isinstance(value, int | Decimal) or (isinstance(value, Decimal)
                                                and not value.is_finite()):
        return None
    if ftype == DATETIME and value != int(value):
        return None
    return value if ftype in (INT, REAL) else int(value)


def _codes(f: FieldDef, value: Any, where: str) -> frozenset[int]:
    items = value if isinstance(value, list) else [value]
    codes = set()
    for item in items:
        if isinstance(item, str):
            code = f.code_of(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            code = item if f.label_of(item) is not None else None
        else:
            code = None
        if code is None:
            raise ShenbiError("InvalidParameterValue.Field",
                              f"{where}：字段 {f.key} 没有选项 {item!r}")
        codes.add(code)
    return frozenset(codes)


def _text_test(key: str, op: str, value: str, get: Getter) -> Callable[[Any], bool]:
    def text(rec: Any) -> str:
        return get(rec, key) or ""

    if op == "EQ":
        return lambda rec: text(rec) == value
    if op == "NOT_EQ":
        return lambda rec: text(rec) != value
    if op == "CONTAINS":
        return lambda rec: value in text(rec)
    return lambda rec: value not in text(rec)


def _enum_test(key: str, op: str, codes: frozenset[int], get: Getter
               ) -> Callable[[Any], bool]:
    if op == "EQ":
        return lambda rec: frozenset(get(rec, key)) == codes
    if op == "NOT_EQ":
        return lambda rec: frozenset(get(rec, key)) != codes
    if op == "CONTAINS":
        return lambda rec: not codes.isdisjoint(get(rec, key))
    return lambda rec: codes.isdisjoint(get(rec, key))


def _order_test(key: str, op: str, value: Any, get: Getter) -> Callable[[Any], bool]:
    if op == "EQ":
        return lambda rec: get(rec, key) == value
    if op == "NOT_EQ":
        return lambda rec: get(rec, key) != value
    compare = _ORDER_OPS[op]

    def test(rec: Any) -> bool:
        have = get(rec, key)
        return have is not None and compare(have, value)

    return test
