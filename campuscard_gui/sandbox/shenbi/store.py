"""The 神笔 emulator's tenant: one app with a students object and a cards object, in memory.

Record Ids are 19-digit snowflake-like numbers above 2**53, one sequence for the whole tenant,
so a later record has a larger Id; its CreatedTime (ms, the server's clock) never goes back
either: a student's card records are in the same order by (CreatedTime, Id) for every reader
(core.cards).
Every write call runs in :meth:`ShenbiStore.transaction` (undo.py: a log of replaced records, put
back newest first if anything raises; a nested transaction rolls back only its own part), so
a call is all-or-nothing unless ``atomic_writes`` is off, in which case the rows before the
failing one stay written. Reads render records in the spellings the settings choose.

Thread-safe: one re-entrant lock around every operation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from ...core.demo import DemoSchool
from ..undo import UndoLog
from .filter import SYSTEM_DEFS, Group, compile_filter, lookup
from .schema import (
    ENUM,
    INT,
    REAL,
    RELATION,
    SYSTEM_FIELDS,
    Entity,
    ShenbiError,
    card_entity,
    convert,
    field_error,
    fmt_number,
    parse_id,
    student_entity,
)
from .settings import FIRST_ID, ShenbiSettings
from .table import Rec, Table, find, get

SEED_CREATED_MS = 1_725_148_800_000  # 2024-09-01 00:00 UTC: when the seeded students were entered


class ShenbiStore(UndoLog[Table, Rec]):
    def __init__(self, school: DemoSchool, settings: ShenbiSettings, *,
                 with_cards: bool = False) -> None:
        super().__init__()
        self.settings = settings
        self.next_id = FIRST_ID
        self._last_created = 0  # CreatedTime of the last record made through the API
        s = settings
        self.students = Table(student_entity(s.students_object))
        self.cards = Table(card_entity(s.cards_object, s.students_object))
        self.tables = {t.entity.key: t for t in (self.students, self.cards)}
        by_no: dict[str, int] = {}
        for st in school.students:
            by_no[st.student_no] = self._insert(self.students, {
                "student_no": st.student_no, "name": st.name, "college": st.college,
                "class_name": st.class_name,
                "student_status": self._codes(self.students.entity, "student_status",
                                              st.status.value)}, SEED_CREATED_MS)
        if with_cards:  # every card record, oldest first: a replaced card stays 注销
            for c in school.cards:
                created = c.open_time if c.open_time is not None else SEED_CREATED_MS
                self._insert(self.cards, {
                    "studentInfo": by_no[c.student_no], "openTime": c.open_time,
                    "amount": Decimal(c.amount),
                    "status": self._codes(self.cards.entity, "status", c.status.value)},
                    created)

    @staticmethod
    def _codes(entity: Entity, key: str, label: str) -> tuple[int, ...]:
        code = entity.by_key[key].code_of(label)
        return () if code is None else (code,)

    def now_ms(self) -> int:
        return int(self.settings.clock() * 1000)

    def _created_ms(self) -> int:
        """Now, for a new record: never before the last one made (a clock stepped back)."""
        self._last_created = max(self.now_ms(), self._last_created)
        return self._last_created

    # ------------------------------------------------------------------ plumbing

    def check_app(self, app_code: Any, required: bool = True) -> None:
        if app_code is None and not required:
            return
        if app_code is None:
            raise ShenbiError("MissingParameter", "缺少参数 AppCode")
        if app_code != self.settings.app_code:
            raise ShenbiError("ResourceNotFound.App", f"应用 {app_code!r} 不存在")

    def table(self, key: Any) -> Table:
        if key is None:
            raise ShenbiError("MissingParameter", "缺少参数 Entity")
        found = self.tables.get(key) if isinstance(key, str) else None
        if found is None:
            raise ShenbiError("ResourceNotFound.Entity", f"对象 {key!r} 不存在")
        return found

    def _numbering(self, table: Table) -> ShenbiStore:  # one Id sequence for the tenant
        return self

    def _insert(self, table: Table, values: dict[str, Any], created: int) -> int:
        rid = self.next_id
        self._put(table, rid, Rec(rid, values, created, created))
        self.next_id = rid + 1
        return rid

    # ------------------------------------------------------------------ rendering

    def spell_id(self, rid: int) -> int | str:
        return rid if self.settings.ids_as_numbers else str(rid)

    def _main(self, table: Table, rec: Rec) -> str:
        key = table.entity.main_field
        value = rec.values.get(key) if key else None
        return str(rec.rid) if value is None else str(value)

    def _pair(self, table: Table, rec: Rec, key: str) -> tuple[Any, Any]:
        if key in SYSTEM_DEFS:
            value = get(rec, key)
            spelled = self.spell_id(value) if key == "Id" else value
            return spelled, spelled
        f = table.entity.by_key[key]
        value = rec.values.get(f.key)
        if f.type == ENUM:
            if not value:
                return [""], [None]  # as the iPaaS read sample shows an empty enum (§3.3)
            labels = [f.label_of(c) for c in value]
            return (list(value) if self.settings.enum_value == "codes" else labels), labels
        if value is None:
            return None, None
        if f.type in (INT, REAL):
            text = fmt_number(value)
            return text, text
        if f.type == RELATION:
            target = self.tables[f.target].rows.get(value)
            shown = self._main(self.tables[f.target], target) if target else None
            return self.spell_id(value), shown
        return value, value  # text, datetime (ms)

    def render(self, table: Table, rec: Rec, wanted: Sequence[str] | None = None
               ) -> dict[str, Any]:
        s = self.settings
        v_key, d_key = ("Value", "DisplayValue") if s.value_key_case == "upper" else (
            "value", "displayValue")
        keys = wanted or [*(f.key for f in table.entity.fields), *SYSTEM_FIELDS]
        values: dict[str, Any] = {}
        for key in keys:
            value, shown = self._pair(table, rec, key)
            out_key = key[:1].upper() + key[1:] if s.capitalize_field_keys else key
            values[out_key] = {v_key: value, d_key: shown}
        return {"Id": self.spell_id(rec.rid), "Entity": table.entity.key,
                "MainField": self._main(table, rec), "FieldValue": values}

    # ------------------------------------------------------------------ reads

    def fields(self, table: Table, raw: Any) -> list[str] | None:
        """A read's Fields: None/[] for all, else known field keys (system fields allowed)."""
        if raw is None:
            return None
        if not isinstance(raw, list) or not all(isinstance(k, str) for k in raw):
            raise ShenbiError("InvalidParameter", "Fields 须为字段 key 的数组")
        for key in raw:
            lookup(table.entity, key, "Fields")
        return list(dict.fromkeys(raw)) or None

    def describe(self, entity: Any, fields: Any, filter_: Any, order_by: Any, limit: int,
                 offset: int) -> dict[str, Any]:
        with self._lock:
            table = self.table(entity)
            wanted = self.fields(table, fields)
            where: Group | None = None
            if filter_ is not None and self.settings.filter_mode == "apply":
                where = compile_filter(table.entity, filter_, get, self.settings.children_max)
            order = self._order(table, order_by)
            page, total = find(table, where, order, offset, offset + limit)
            return {"EntityRecordSet": [self.render(table, table.rows[i], wanted) for i in page],
                    "TotalCount": total}

    @staticmethod
    def _order(table: Table, raw: Any) -> list[tuple[str, bool]]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise ShenbiError("InvalidParameter", "OrderBy 须为数组")
        order = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict) or item.get("Order", "ASC") not in ("ASC", "DESC"):
                raise ShenbiError("InvalidParameterValue",
                                  f"OrderBy[{i}] 须为 {{\"Field\", \"Order\": \"ASC\"|\"DESC\"}}")
            f = lookup(table.entity, item.get("Field"), f"OrderBy[{i}]")
            order.append((f.key, item.get("Order", "ASC") == "DESC"))
        return order

    def by_ids(self, entity: Any, ids: list[int], fields: Any) -> dict[str, Any]:
        """Records by Id in the order asked; Ids that name no record are left out."""
        with self._lock:
            table = self.table(entity)
            wanted = self.fields(table, fields)
            found = [table.rows[i] for i in dict.fromkeys(ids) if i in table.rows]
            return {"EntityRecordSet": [self.render(table, r, wanted) for r in found],
                    "TotalCount": len(found)}

    # ------------------------------------------------------------------ writes

    def _write_fields(self, table: Table, raw: Any) -> list[str]:
        if not isinstance(raw, list) or not raw or not all(isinstance(k, str) for k in raw):
            raise ShenbiError("InvalidParameter", "Fields 须为非空的字段 key 数组")
        if len(set(raw)) != len(raw):
            raise ShenbiError("InvalidParameterValue", "Fields 中有重复的字段")
        for key in raw:
            if key in SYSTEM_FIELDS:
                raise field_error("Fields ", key, "系统字段不可写")
            lookup(table.entity, key, "Fields")
        return list(raw)

    def _rows(self, raw: Any, width: int, what: str) -> list[list[Any]]:
        if not isinstance(raw, list) or not raw:
            raise ShenbiError("InvalidParameter", "Values 须为非空的数组")
        if len(raw) > self.settings.batch_max:
            raise ShenbiError("LimitExceeded", f"单次最多{what} {self.settings.batch_max} 条记录，"
                              f"收到 {len(raw)} 条")
        for i, row in enumerate(raw):
            if not isinstance(row, list) or len(row) != width:
                raise ShenbiError("InvalidParameterValue",
                                  f"Values[{i}] 须为与 Fields 等长（{width}）的数组")
        return raw

    def _convert_row(self, table: Table, keys: list[str], row: list[Any], i: int
                     ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in zip(keys, row, strict=True):
            f = table.entity.by_key[key]
            stored = convert(f, value, f"Values[{i}] ")
            if f.type == RELATION and stored is not None and self.settings.check_relations \
                    and stored not in self.tables[f.target].rows:
                raise field_error(f"Values[{i}] ", key,
                                  f"关联的 {f.target} 记录 {stored} 不存在")
            out[key] = stored
        return out

    @staticmethod
    def _blank(table: Table) -> dict[str, Any]:
        return {f.key: (() if f.type == ENUM else None) for f in table.entity.fields}

    def create(self, entity: Any, fields: Any, values: Any) -> list[int]:
        with self._lock:
            table = self.table(entity)
            keys = self._write_fields(table, fields)
            rows = self._rows(values, len(keys), "新建")
            now = self._created_ms()
            if self.settings.atomic_writes:  # every row is checked before any is written
                converted = [self._convert_row(table, keys, r, i) for i, r in enumerate(rows)]
                with self.transaction():
                    return [self._insert(table, {**self._blank(table), **c}, now)
                            for c in converted]
            ids: list[int] = []
            for i, row in enumerate(rows):
                with _written_so_far(i):
                    changes = self._convert_row(table, keys, row, i)
                ids.append(self._insert(table, {**self._blank(table), **changes}, now))
            return ids

    def modify(self, entity: Any, raw_ids: Any, fields: Any, values: Any) -> list[int]:
        with self._lock:
            table = self.table(entity)
            ids = parse_ids(raw_ids, self.settings.batch_max, "更新")
            keys = self._write_fields(table, fields)
            rows = self._rows(values, len(keys), "更新")
            if len(rows) != len(ids):
                raise ShenbiError("InvalidParameterValue",
                                  f"Ids（{len(ids)} 个）与 Values（{len(rows)} 行）须一一对应")
            if len(set(ids)) != len(ids):
                dup = next(i for i, n in Counter(ids).items() if n > 1)
                raise ShenbiError("InvalidParameterValue", f"Ids 中记录 {dup} 重复")
            now = self.now_ms()

            def change(i: int, rid: int, row: list[Any]) -> tuple[Rec, dict[str, Any]]:
                old = table.rows.get(rid)
                if old is None:
                    raise ShenbiError("ResourceNotFound.Record",
                                      f"Ids[{i}]：{table.entity.key} 记录 {rid} 不存在")
                return old, self._convert_row(table, keys, row, i)

            def apply(old: Rec, changes: dict[str, Any]) -> None:
                self._put(table, old.rid, Rec(old.rid, {**old.values, **changes}, old.created,
                                              now))

            if self.settings.atomic_writes:  # every row is checked before any is written
                planned = [change(i, rid, row)
                           for i, (rid, row) in enumerate(zip(ids, rows, strict=True))]
                with self.transaction():
                    for old, changes in planned:
                        apply(old, changes)
                return ids
            for i, (rid, row) in enumerate(zip(ids, rows, strict=True)):
                with _written_so_far(i):
                    planned_one = change(i, rid, row)
                apply(*planned_one)
            return ids

    def delete(self, entity: Any, raw_ids: Any) -> list[int]:
        """Delete records by Id. An Id that names no record is ResourceNotFound.Record (the
        whole call, with ``atomic_writes``; else the ones before it stay deleted)."""
        with self._lock:
            table = self.table(entity)
            ids = parse_ids(raw_ids, self.settings.batch_max, "删除")
            if len(set(ids)) != len(ids):
                dup = next(i for i, n in Counter(ids).items() if n > 1)
                raise ShenbiError("InvalidParameterValue", f"Ids 中记录 {dup} 重复")

            def check(i: int, rid: int) -> None:
                if rid not in table.rows:
                    raise ShenbiError("ResourceNotFound.Record",
                                      f"Ids[{i}]：{table.entity.key} 记录 {rid} 不存在")

            if self.settings.atomic_writes:
                for i, rid in enumerate(ids):
                    check(i, rid)
                with self.transaction():
                    for rid in ids:
                        self._put(table, rid, None)
                return ids
            for i, rid in enumerate(ids):
                with _written_so_far(i):
                    check(i, rid)
                self._put(table, rid, None)
            return ids

    # ------------------------------------------------------------------ peeks (Control, gateway)

    def cards_of(self, student_id: int) -> list[int]:
        """The Ids of the cards related to a student record, oldest first."""
        with self._lock:
            return sorted(self.cards.related["studentInfo"].get(student_id, ()))

    def cards_by_student(self) -> dict[str, int]:
        with self._lock:
            counts: Counter[str] = Counter()
            for rec in self.cards.rows.values():
                sid = rec.values.get("studentInfo")
                student = self.students.rows.get(sid) if sid is not None else None
                counts[student.values["student_no"] if student else str(sid or "")] += 1
            return dict(counts)

    def records(self, form: str) -> list[dict[str, Any]]:
        table = self.students if form == "students" else self.cards
        with self._lock:
            return [self.render(table, table.rows[i]) for i in table.ids]


@contextmanager
def _written_so_far(done: int) -> Iterator[None]:
    """Non-atomic writes: an error says how many rows before it were written."""
    try:
        yield
    except ShenbiError as exc:
        raise ShenbiError(exc.code, f"{exc.message}（之前的 {done} 行已写入）") from None


def parse_ids(raw: Any, cap: int, what: str) -> list[int]:
    if raw is None:
        raise ShenbiError("MissingParameter", "缺少参数 Ids")
    if not isinstance(raw, list) or not raw:
        raise ShenbiError("InvalidParameter", "Ids 须为非空的数组")
    if len(raw) > cap:
        raise ShenbiError("LimitExceeded", f"单次最多{what} {cap} 条记录，收到 {len(raw)} 条")
    ids = []
    for i, value in enumerate(raw):
        rid = parse_id(value)
        if rid is None:
            raise ShenbiError("InvalidParameterValue", f"Ids[{i}] 不是合法的记录 Id：{value!r}")
        ids.append(rid)
    return ids

