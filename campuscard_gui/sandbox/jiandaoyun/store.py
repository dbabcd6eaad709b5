"""简道云 emulator: the in-memory tenant (one app, a students form and a cards form).

Each form keeps ``dict[_id, record]`` plus a sorted ``_id`` list, so the exclusive ``data_id``
cursor is a bisect. Ids are ObjectId-like (8 hex seconds + 16 hex counter) and strictly
increase, so ascending ``_id`` is insertion order. Records are stored unwrapped, keyed by the
widget id (``_widget_…``); reads translate to each widget's ``name`` (alias or widget id).

``createTime``/``updateTime`` are UTC with milliseconds. Each write request takes one stamp,
strictly later than the previous one (even if the wall clock steps back), so records created
by different requests never share a createTime; the records of one batch share it and their
``_id`` order is the batch's order. Seeded records get distinct stamps from SEED_EPOCH_S on.
Clients order a student's cards by (createTime, _id) (``core.cards``), so both must agree with
the order the records were created in.

Thread-safe: one lock around every operation (the event loop and the test thread both call in).
"""

from __future__ import annotations

import bisect
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...core.demo import DemoSchool
from .schema import (
    ADMIN,
    APP_ID,
    CARD_WIDGETS,
    CARDS_ENTRY_ID,
    SEED_EPOCH_S,
    STUDENT_WIDGETS,
    STUDENTS_ENTRY_ID,
    SYS_WIDGETS,
    Form,
    IdGenerator,
    JdyError,
    Widget,
)
from .settings import JdySettings
from .values import (
    SELECT_TYPES,
    FieldRef,
    FieldValueError,
    FilterError,
    Predicate,
    compile_condition,
    decode_value,
    iso_from_ms,
)

# System fields a record carries (sysWidgets without flowState/ext, which these forms lack).
_RECORD_SYSTEM = ("creator", "updater", "createTime", "updateTime")


@dataclass(slots=True)
class _Txn:
    ids: list[str | None]  # aligned with the batch's data_list; None: that item was not created
    at: float


class JdyStore:
    def __init__(self, school: DemoSchool, settings: JdySettings, *,
                 with_cards: bool = False) -> None:
        self.settings = settings
        self._lock = threading.RLock()
        self._gen = IdGenerator()
        self._last_ms = SEED_EPOCH_S * 1000 - 1  # the latest createTime/updateTime given
        self._txns: dict[tuple[str, str], _Txn] = {}
        self.app_name = "校园一卡通（沙箱）"
        aliases = settings.use_aliases
        self.students = Form(APP_ID, STUDENTS_ENTRY_ID, "学生信息", STUDENT_WIDGETS, aliases)
        self.cards = Form(APP_ID, CARDS_ENTRY_ID, "一卡通", CARD_WIDGETS, aliases)
        self.forms = {f.entry_id: f for f in (self.students, self.cards)}
        w = {x.alias: x.widget_name for x in STUDENT_WIDGETS + CARD_WIDGETS}
        for s in school.students:
            self._insert(self.students, {
                w["student_no"]: s.student_no, w["name"]: s.name, w["college"]: s.college,
                w["class_name"]: s.class_name, w["student_status"]: s.status.value,
            }, ADMIN, self._seed_stamp(), SEED_EPOCH_S)
        if with_cards:
            for c in school.cards:  # oldest first (demo order): createTime follows it
                self._insert(self.cards, {
                    w["studentInfo"]: c.student_no,
                    w["openTime"]: iso_from_ms(c.open_time) if c.open_time is not None else "",
                    w["amount"]: float(c.amount), w["status"]: c.status.value,
                }, ADMIN, self._seed_stamp(), SEED_EPOCH_S)
        seeded = iso_from_ms(self._last_ms)
        for form in self.forms.values():
            form.data_modify_time = seeded

    # ------------------------------------------------------------------ lookups

    def app_list(self, skip: int, limit: int) -> list[dict[str, Any]]:
        return [{"name": self.app_name, "app_id": APP_ID}][skip:skip + limit]

    def entry_list(self, app_id: str, skip: int, limit: int) -> list[dict[str, Any]]:
        self.check_app(app_id)
        forms = [{"name": f.name, "app_id": f.app_id, "entry_id": f.entry_id}
                 for f in self.forms.values()]
        return forms[skip:skip + limit]

    def check_app(self, app_id: str) -> None:
        if app_id != APP_ID:
            raise JdyError(2004, "应用不存在")

    def form(self, app_id: str, entry_id: str) -> Form:
        self.check_app(app_id)
        form = self.forms.get(entry_id)
        if form is None:
            raise JdyError(3000, "表单不存在")
        return form

    def widget_list(self, form: Form) -> dict[str, Any]:
        widgets = []
        for w in form.widgets:
            item: dict[str, Any] = {"name": form.name_of(w), "widgetName": w.widget_name,
                                    "label": w.label, "type": w.type}
            if w.type in SELECT_TYPES and self.settings.select_items:
                item["items"] = [{"text": o, "value": o} for o in w.options]
            widgets.append(item)
        with self._lock:
            modified = form.data_modify_time
        return {"widgets": widgets, "sysWidgets": [{"name": n} for n in SYS_WIDGETS],
                "dataModifyTime": modified}

    # ------------------------------------------------------------------ reads

    def _render(self, form: Form, rec: Mapping[str, Any],
                only: Sequence[Widget] | None = None,
                system: Sequence[str] = _RECORD_SYSTEM) -> dict[str, Any]:
        out: dict[str, Any] = {"_id": rec["_id"], "appId": form.app_id, "entryId": form.entry_id}
        for key in _RECORD_SYSTEM if only is None else system:
            out[key] = rec[key]
        for w in form.widgets if only is None else only:
            out[form.name_of(w)] = rec.get(w.widget_name, "")
        return out

    def _compile_filter(self, form: Form, flt: Any) -> Predicate | None:
        """The filter's predicate (None: no filter). Invalid parts drop or raise per settings."""
        if flt is None:
            return None
        s = self.settings
        preds: list[Predicate] = []
        rel = "and"
        try:
            if not isinstance(flt, Mapping):
                raise FilterError("filter 须为对象")
            rel = flt.get("rel", "and")
            if rel not in ("and", "or"):
                raise FilterError("rel 须为 and 或 or")
            conds = flt.get("cond", [])
            if not isinstance(conds, list):
                raise FilterError("cond 须为数组")
        except FilterError as exc:
            if s.invalid_filter == "error":
                raise JdyError(4815, f"过滤条件无效：{exc}") from exc
            return None
        for cond in conds:
            try:
                if not isinstance(cond, Mapping):
                    raise FilterError("条件须为对象")
                ref = self._field_ref(form, cond.get("field"))
                preds.append(compile_condition(
                    ref, cond.get("method"), cond.get("value"), max_in_values=s.max_in_values,
                    naive_offset_hours=s.naive_tz_offset_hours))
            except FilterError as exc:
                if s.invalid_filter == "error":
                    raise JdyError(4815, f"过滤条件无效：{exc}") from exc
                # [FIELD] the invalid condition is dropped silently
        if not preds:
            return None
        if rel == "or":
            return lambda r: any(p(r) for p in preds)
        return lambda r: all(p(r) for p in preds)

    @staticmethod
    def _field_ref(form: Form, key: Any) -> FieldRef:
        if key in ("createTime", "updateTime"):  # documented as datetime filters [OFF 10993]
            return FieldRef(key, "datetime")
        if key == "_id":
            return FieldRef("_id", "_id")
        w = form.by_key.get(key) if isinstance(key, str) else None
        if w is None:
            raise FilterError(f"未知字段 {key!r}")
        return FieldRef(w.widget_name, w.type)

    def list_data(self, form: Form, data_id: str | None, limit: int, fields: Sequence[str] | None,
             flt: Any) -> list[dict[str, Any]]:
        only: list[Widget] | None = None
        system: list[str] = []
        if fields:  # [FIELD] [] and ["_id"]-only projections are ignored: full rows
            # [INFER] system fields (sysWidgets: creator, createTime, …) may be named too
            system = [f for f in _RECORD_SYSTEM if f in fields]
            only = [form.by_key[f] for f in fields if f in form.by_key]
            if not only and not system:
                only = None
        pred = self._compile_filter(form, flt)
        out: list[dict[str, Any]] = []
        with self._lock:
            ids = form.ids
            i = 0 if data_id is None else bisect.bisect_right(ids, data_id)
            while i < len(ids) and len(out) < limit:
                rec = form.records[ids[i]]
                if pred is None or pred(rec):
                    out.append(self._render(form, rec, only, system))
                i += 1
        return out

    def get(self, form: Form, data_id: str) -> dict[str, Any]:
        with self._lock:
            return self._render(form, self._existing(form, data_id))

    def _existing(self, form: Form, data_id: str) -> dict[str, Any]:
        rec = form.records.get(data_id)
        if rec is None:
            raise JdyError(4001, "数据不存在")
        return rec

    # ------------------------------------------------------------------ writes

    def _decode(self, form: Form, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise JdyError(3005, "data 须为对象")
        values: dict[str, Any] = {}
        for key, wrapped in data.items():
            w = form.by_key.get(key)
            if w is None:
                if self.settings.reject_unknown_fields:
                    raise JdyError(3005, f"字段 {key} 不存在")
                continue
            try:
                values[w.widget_name] = decode_value(
                    key, w.type, wrapped, self.settings.naive_tz_offset_hours)
            except FieldValueError as exc:
                raise JdyError(3005, str(exc)) from exc
        return values

    def _insert(self, form: Form, values: dict[str, Any], creator: Mapping[str, Any], now: str,
                ts: int | None = None) -> dict[str, Any]:
        rid = self._gen.next(ts)
        rec = {"_id": rid, "creator": dict(creator), "updater": dict(creator),
               "createTime": now, "updateTime": now, **values}
        form.records[rid] = rec
        form.ids.append(rid)  # ids only grow, so appending keeps the list sorted
        return rec

    def _remove(self, form: Form, rid: str) -> bool:
        if form.records.pop(rid, None) is None:
            return False
        del form.ids[bisect.bisect_left(form.ids, rid)]
        return True

    def _now(self) -> str:
        """The stamp of one write request (the caller holds the lock): the wall clock in ms,
        but always after the previous stamp, so creation order and createTime agree."""
        ms = max(time.time_ns() // 1_000_000, self._last_ms + 1)
        self._last_ms = ms
        return iso_from_ms(ms)

    def _seed_stamp(self) -> str:
        self._last_ms += 1
        return iso_from_ms(self._last_ms)

    def _check_missing(self, form: Form, data_ids: Iterable[str]) -> None:
        """With ``missing_ids="error"`` an id naming no record fails the whole request."""
        if self.settings.missing_ids == "error" and any(
                rid not in form.records for rid in data_ids):
            raise JdyError(4001, "数据不存在")

    def create(self, form: Form, data: Any, creator: Mapping[str, Any]) -> dict[str, Any]:
        values = self._decode(form, data)
        with self._lock:
            now = self._now()
            rec = self._insert(form, values, creator, now)
            form.data_modify_time = now
            return self._render(form, rec)

    def update(self, form: Form, data_id: str, data: Any) -> dict[str, Any]:
        values = self._decode(form, data)
        with self._lock:
            rec = self._existing(form, data_id)
            now = self._now()
            rec.update(values)  # partial: only the fields sent change
            rec["updateTime"] = now
            rec["updater"] = dict(ADMIN)
            form.data_modify_time = now
            return self._render(form, rec)

    def delete(self, form: Form, data_id: str) -> None:
        with self._lock:
            if not self._remove(form, data_id):
                raise JdyError(4001, "数据不存在")
            form.data_modify_time = self._now()

    def batch_create(self, form: Form, data_list: Sequence[Any], transaction_id: str | None,
                     creator: Mapping[str, Any], skip: Iterable[int] = ()
                     ) -> tuple[int, list[str]]:
        """Create the batch; return (success_count, success_ids).

        A ``transaction_id`` replayed within the TTL replaces that batch's rows: with
        ``replay_reuses_ids`` the i-th item overwrites the i-th row of the first run (same id;
        an item whose row is gone, or that failed, gets a new id) and rows beyond the new
        list are deleted; otherwise all old rows are deleted and new ids issued.
        ``skip``: item indexes not created (the "partial" fault).
        """
        decoded = [self._decode(form, d) for d in data_list]
        skipped = set(skip)
        with self._lock:
            now = self._now()
            mono = time.monotonic()
            old: list[str | None] = []
            if transaction_id is not None:
                txn = self._txns.get((form.entry_id, transaction_id))
                if txn is not None and mono - txn.at <= self.settings.transaction_ttl_s:
                    old = txn.ids
            if not self.settings.replay_reuses_ids:
                for rid in old:
                    if rid is not None:
                        self._remove(form, rid)
                old = []
            new_ids: list[str | None] = []
            for i, values in enumerate(decoded):
                prev = old[i] if i < len(old) else None
                if i in skipped:
                    if prev is not None:
                        self._remove(form, prev)
                    new_ids.append(None)
                elif prev is not None and prev in form.records:
                    rec = form.records[prev]
                    keep = {k: rec[k] for k in ("_id", "creator", "createTime")}
                    rec.clear()
                    rec.update(keep, updater=dict(creator), updateTime=now, **values)
                    new_ids.append(prev)
                else:
                    new_ids.append(self._insert(form, values, creator, now)["_id"])
            for rid in old[len(decoded):]:
                if rid is not None:
                    self._remove(form, rid)
            if transaction_id is not None:
                self._txns[(form.entry_id, transaction_id)] = _Txn(new_ids, mono)
            form.data_modify_time = now
            created = [rid for rid in new_ids if rid is not None]
            return len(created), created

    def batch_update(self, form: Form, data_ids: Sequence[str], data: Any) -> int:
        values = self._decode(form, data)
        with self._lock:
            self._check_missing(form, data_ids)
            now = self._now()
            count = 0
            for rid in dict.fromkeys(data_ids):  # each id once, in order
                rec = form.records.get(rid)
                if rec is None:
                    continue  # UNCONFIRMED (§3.6): a missing id only lowers success_count
                rec.update(values)
                rec["updateTime"] = now
                rec["updater"] = dict(ADMIN)
                count += 1
            form.data_modify_time = now
            return count

    def batch_delete(self, form: Form, data_ids: Sequence[str]) -> int:
        """Delete the records; the answer's success_count is how many existed (each id once).
        All checks come before the first removal: a refused request deletes nothing."""
        with self._lock:
            self._check_missing(form, data_ids)
            count = sum(self._remove(form, rid) for rid in dict.fromkeys(data_ids))
            if count:
                form.data_modify_time = self._now()
            return count

    # ------------------------------------------------------------------ for tests

    def cards_by_student(self) -> dict[str, int]:
        key = self.cards.widget_by_alias("studentInfo").widget_name
        with self._lock:
            return dict(Counter(str(r.get(key, "")) for r in self.cards.records.values()))

    def records(self, entry_id: str) -> list[dict[str, Any]]:
        form = self.forms[entry_id]
        with self._lock:
            return [self._render(form, form.records[rid]) for rid in form.ids]
