"""kintone emulator: two apps (students, cards) in memory, with kintone's value rules.

Records are stored as ``{code: str}`` (NUMBER as a normalised decimal string, DATETIME as
``YYYY-MM-DDTHH:MM:00Z``, an empty value as ""), with integer ``$id`` and ``$revision`` kept
beside them. Every write call is all-or-nothing: it runs in :meth:`KintoneStore.transaction`,
which snapshots the apps and puts them back if anything raises (bulkRequest wraps all of its
sub-requests in one transaction).

Thread-safe: one re-entrant lock around every operation.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core.demo import DemoSchool
from .kintone_query import QueryError, parse_query, sort_key
from .kintone_settings import KintoneSettings


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


STUDENT_FIELDS = (
    FieldDef("student_no", "学号", "SINGLE_LINE_TEXT", unique=True, required=True),
    FieldDef("name", "姓名", "SINGLE_LINE_TEXT"),
    FieldDef("college", "学院", "SINGLE_LINE_TEXT"),
    FieldDef("class_name", "班级", "SINGLE_LINE_TEXT"),
    FieldDef("student_status", "学籍状态", "DROP_DOWN", options=("在读", "休学", "退学", "毕业")),
)
CARD_FIELDS = (
    FieldDef("student_no", "学号", "SINGLE_LINE_TEXT", unique=True, required=True),
    FieldDef("status", "卡状态", "DROP_DOWN", options=("正常", "冻结", "注销"), default="正常"),
    FieldDef("open_time", "开卡时间", "DATETIME"),
    FieldDef("amount", "余额", "NUMBER", default="0"),
)
SYSTEM_TYPES = {"$id": "__ID__", "$revision": "__REVISION__"}


def _fmt_decimal(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "") else text


def iso_from_ms(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:00Z")


def _datetime(value: str) -> str | None:
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


@dataclass
class App:
    app_id: int
    name: str
    fields: tuple[FieldDef, ...]
    records: dict[int, dict[str, str]] = field(default_factory=dict)
    revisions: dict[int, int] = field(default_factory=dict)
    unique: dict[str, dict[str, int]] = field(default_factory=dict)  # code -> value -> $id
    next_id: int = 1

    def __post_init__(self) -> None:
        self.by_code = {f.code: f for f in self.fields}
        self.types = {**{f.code: f.type for f in self.fields}, **SYSTEM_TYPES}
        for f in self.fields:
            if f.unique:
                self.unique.setdefault(f.code, {})

    def snapshot(self) -> tuple[Any, ...]:
        return (dict(self.records), dict(self.revisions),
                {k: dict(v) for k, v in self.unique.items()}, self.next_id)

    def restore(self, snap: tuple[Any, ...]) -> None:
        self.records, self.revisions, self.unique, self.next_id = snap

    def view(self, rid: int) -> dict[str, str]:
        return {**self.records[rid], "$id": str(rid), "$revision": str(self.revisions[rid])}

    def render(self, rid: int, wanted: Sequence[str] | None = None) -> dict[str, Any]:
        rec = self.records[rid]
        out: dict[str, Any] = {}
        for f in self.fields:
            if wanted is None or f.code in wanted:
                value: Any = rec.get(f.code, "")
                if f.type == "DROP_DOWN" and value == "":
                    value = None
                out[f.code] = {"type": f.type, "value": value}
        if wanted is None or "$id" in wanted:
            out["$id"] = {"type": "__ID__", "value": str(rid)}
        if wanted is None or "$revision" in wanted:
            out["$revision"] = {"type": "__REVISION__", "value": str(self.revisions[rid])}
        return out


class KintoneStore:
    def __init__(self, school: DemoSchool, settings: KintoneSettings, *,
                 with_cards: bool = False) -> None:
        self.settings = settings
        self._lock = threading.RLock()
        self.students = App(settings.students_app, "学生信息", STUDENT_FIELDS)
        self.cards = App(settings.cards_app, "一卡通", CARD_FIELDS)
        self.apps = {a.app_id: a for a in (self.students, self.cards)}
        for s in school.students:
            self._insert(self.students, {
                "student_no": s.student_no, "name": s.name, "college": s.college,
                "class_name": s.class_name, "student_status": s.status.value})
        if with_cards:  # one card per student: the cards app's 学号 is unique
            for c in school.current_cards().values():
                self._insert(self.cards, {
                    "student_no": c.student_no, "status": c.status.value,
                    "open_time": iso_from_ms(c.open_time) if c.open_time is not None else "",
                    "amount": _fmt_decimal(Decimal(c.amount))})

    # ------------------------------------------------------------------ plumbing

    def app(self, app_id: Any) -> App:
        try:
            key = int(str(app_id))
        except ValueError:
            raise invalid({"app": ["Enter an integer value."]}) from None
        found = self.apps.get(key)
        if found is None:
            raise KintoneError("GAIA_AP01",
                               f"The app (ID: {key}) not found. The app may have been deleted.",
                               404)
        return found

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: the apps are put back as they were if the block raises."""
        with self._lock:
            snaps = {k: a.snapshot() for k, a in self.apps.items()}
            try:
                yield
            except BaseException:
                for k, a in self.apps.items():
                    a.restore(snaps[k])
                raise

    def _insert(self, app: App, values: dict[str, str]) -> int:
        rid = app.next_id
        app.next_id += 1
        app.records[rid] = values
        app.revisions[rid] = 1
        for code, index in app.unique.items():
            if values.get(code):
                index[values[code]] = rid
        return rid

    def _replace(self, app: App, rid: int, values: dict[str, str]) -> None:
        old = app.records[rid]
        for code, index in app.unique.items():
            if old.get(code) and index.get(old[code]) == rid:
                del index[old[code]]
            if values.get(code):
                index[values[code]] = rid
        app.records[rid] = values
        app.revisions[rid] += 1

    # ------------------------------------------------------------------ values

    def _convert(self, app: App, record: Any, prefix: str,
                 errors: dict[str, list[str]]) -> dict[str, str]:
        """Request values ``{code: {"value": v}}`` -> stored strings (unknown codes ignored)."""
        out: dict[str, str] = {}
        if not isinstance(record, dict):
            errors[prefix] = ["Enter an object value."]
            return out
        for code, cell in record.items():
            f = app.by_code.get(code)
            if f is None:
                continue  # unknown field codes are silently ignored (§1.4)
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
                out[code] = "" if d is None else _fmt_decimal(d)
            elif not isinstance(value, str | int | float) or isinstance(value, bool):
                errors[key] = ["Enter a string value."]
            elif f.type == "DATETIME":
                text = str(value)
                norm = _datetime(text) if text.strip() else ""
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

    def _check(self, app: App, values: dict[str, str], prefix: str, rid: int | None,
               taken: dict[tuple[str, str], int], errors: dict[str, list[str]]) -> None:
        """Required and unique checks on a merged record; ``taken``: this call's keys."""
        for f in app.fields:
            key = f"{prefix}.{f.code}.value"
            v = values.get(f.code, "")
            if f.required and v == "":
                errors.setdefault(key, []).append("Required.")
            if f.unique and v:
                holder = app.unique[f.code].get(v)
                mine = taken.get((f.code, v))
                if (holder is not None and holder != rid) or (mine is not None and mine != rid):
                    errors.setdefault(key, []).append(
                        "This value already exists in another record.")
                taken[(f.code, v)] = rid if rid is not None else -1

    # ------------------------------------------------------------------ reads

    def types(self, app_id: Any) -> dict[str, str]:
        return dict(self.app(app_id).types)

    def fields(self, app_id: Any) -> dict[str, Any]:
        app = self.app(app_id)
        return {"properties": {f.code: f.prop() for f in app.fields}, "revision": "1"}

    def _ids_matching(self, app: App, query: str) -> tuple[list[int], int | None, int | None]:
        try:
            q = parse_query(query, app.types)
        except QueryError as exc:
            raise KintoneError(exc.code, exc.message, 400,
                               {"query": {"messages": [exc.message]}}
                               if exc.code == "CB_VA01" else None) from None
        ids = list(app.records)
        if q.predicate is not None:
            pred = q.predicate
            ids = [i for i in ids if pred(app.view(i))]
        order = q.order or [("$id", True)]  # no order by: descending $id (§1.2)
        for code, desc in reversed(order):
            ftype = app.types[code]

            def key(i: int, c: str = code, t: str = ftype) -> tuple[int, Any]:
                return sort_key(t, app.view(i)[c])

            ids.sort(key=key, reverse=desc)
        return ids, q.limit, q.offset

    def select(self, app_id: Any, query: str, wanted: Sequence[str] | None,
               total: bool) -> dict[str, Any]:
        s = self.settings
        with self._lock:
            app = self.app(app_id)
            ids, limit, offset = self._ids_matching(app, query)
            limit = s.limit_default if limit is None else limit
            offset = offset or 0
            if limit > s.limit_max:
                raise invalid({"query": [f"limit must be {s.limit_max} or less."]})
            if offset > s.offset_max:
                raise invalid({"query": [f"offset must be {s.offset_max} or less."]})
            page = ids[offset:offset + limit]
            return {"records": [app.render(i, wanted) for i in page],
                    "totalCount": str(len(ids)) if total else None}

    def select_ids(self, app_id: Any, query: str) -> tuple[App, list[int]]:
        """For cursors: every matching id (limit/offset refused)."""
        with self._lock:
            app = self.app(app_id)
            ids, limit, offset = self._ids_matching(app, query)
            if limit is not None or offset is not None:
                raise invalid({"query": ["limit and offset cannot be used in a cursor query."]})
            return app, ids

    def render(self, app: App, ids: Sequence[int], wanted: Sequence[str] | None
               ) -> list[dict[str, Any]]:
        with self._lock:  # values are read at GET time; deleted records are skipped
            return [app.render(i, wanted) for i in ids if i in app.records]

    def get(self, app_id: Any, rid: Any) -> dict[str, Any]:
        with self._lock:
            app = self.app(app_id)
            return {"record": app.render(self._existing(app, rid))}

    def _existing(self, app: App, rid: Any) -> int:
        try:
            key = int(str(rid))
        except ValueError:
            raise invalid({"id": ["Enter an integer value."]}) from None
        if key not in app.records:
            raise KintoneError("GAIA_RE01", f"The specified record (ID: {key}) is not found.",
                               404)
        return key

    # ------------------------------------------------------------------ writes

    def _batch(self, records: Any, what: str) -> list[Any]:
        if not isinstance(records, list):
            raise invalid({"records": ["Required field."]})
        if len(records) > self.settings.records_max:
            n = self.settings.records_max
            raise invalid({"records": [f"A maximum of {n} records can be {what} at one time."]})
        return records

    def add(self, app_id: Any, records: Any) -> dict[str, Any]:
        with self.transaction():
            app = self.app(app_id)
            errors: dict[str, list[str]] = {}
            taken: dict[tuple[str, str], int] = {}
            rows = []
            for i, rec in enumerate(self._batch(records, "added")):
                prefix = f"records[{i}]"
                values = {f.code: f.default for f in app.fields}
                values.update(self._convert(app, rec, prefix, errors))
                self._check(app, values, prefix, None, taken, errors)
                rows.append(values)
            if errors:
                raise invalid(errors)
            ids = [self._insert(app, v) for v in rows]
            return {"ids": [str(i) for i in ids], "revisions": ["1"] * len(ids)}

    def update(self, app_id: Any, records: Any, upsert: bool = False) -> dict[str, Any]:
        with self.transaction():
            app = self.app(app_id)
            errors: dict[str, list[str]] = {}
            taken: dict[tuple[str, str], int] = {}
            plans: list[tuple[int | None, int | None, dict[str, str]]] = []
            seen: Counter[int] = Counter()
            for i, item in enumerate(self._batch(records, "updated")):
                prefix = f"records[{i}]"
                if not isinstance(item, dict):
                    errors[prefix] = ["Enter an object value."]
                    continue
                rid = self._target(app, item, prefix, upsert, errors)
                if rid is not None:
                    seen[rid] += 1
                    if seen[rid] > 1:
                        raise KintoneError("GAIA_RE09",
                                           f"The record (ID: {rid}) is specified more than once.")
                    self._check_revision(app, rid, item.get("revision"), prefix, errors)
                base = dict(app.records[rid]) if rid is not None else {
                    f.code: f.default for f in app.fields}
                changes = self._convert(app, item.get("record", {}), prefix,
                                        errors)
                if rid is None and isinstance(item.get("updateKey"), dict):
                    key = item["updateKey"]
                    changes.setdefault(str(key.get("field")), str(key.get("value")))
                merged = {**base, **changes}
                self._check(app, merged, prefix, rid, taken, errors)
                plans.append((i, rid, merged))
            if errors:
                raise invalid(errors)
            out = []
            for _i, rid, merged in plans:
                if rid is None:
                    new = self._insert(app, merged)
                    out.append({"id": str(new), "revision": "1", "operation": "INSERT"})
                else:
                    self._replace(app, rid, merged)
                    row = {"id": str(rid), "revision": str(app.revisions[rid])}
                    if upsert:
                        row["operation"] = "UPDATE"
                    out.append(row)
            return {"records": out}

    def _target(self, app: App, item: Mapping[str, Any], prefix: str, upsert: bool,
                errors: dict[str, list[str]]) -> int | None:
        has_id, key = "id" in item and item["id"] is not None, item.get("updateKey")
        if has_id and key is not None:
            errors[prefix] = ["Specify either id or updateKey, not both."]
            return None
        if has_id:
            try:
                return self._existing(app, item["id"])
            except KintoneError:
                if upsert:
                    return None
                raise
        if not isinstance(key, dict):
            errors[f"{prefix}.id"] = ["Required field."]
            return None
        fdef = app.by_code.get(str(key.get("field")))
        if fdef is None or not fdef.unique:
            errors[f"{prefix}.updateKey.field"] = [
                "Specify a field that prohibits duplicate values."]
            return None
        rid = app.unique[fdef.code].get(str(key.get("value")))
        if rid is None and not upsert:
            raise KintoneError("GAIA_RE20",
                               f"The record ({fdef.code}: {key.get('value')}) is not found.",
                               404)
        return rid

    def _check_revision(self, app: App, rid: int, revision: Any, prefix: str,
                        errors: dict[str, list[str]]) -> None:
        if revision is None or str(revision) in ("", "-1"):
            return
        try:
            expected = int(str(revision))
        except ValueError:
            errors[f"{prefix}.revision"] = ["Enter an integer value."]
            return
        if expected != app.revisions[rid]:
            raise KintoneError("GAIA_CO02",
                               "The revision is not the latest. Someone may update a record "
                               "after you opened it.", 409)

    def delete(self, app_id: Any, ids: Any, revisions: Any = None) -> dict[str, Any]:
        with self.transaction():
            app = self.app(app_id)
            if not isinstance(ids, list) or not 1 <= len(ids) <= self.settings.records_max:
                raise invalid({"ids": ["Required field.",
                                       "Between 1 and 100 records can be deleted at one time."]})
            revs = revisions if isinstance(revisions, list) else []
            for n, raw in enumerate(ids):
                rid = self._existing(app, raw)
                rev = revs[n] if n < len(revs) else None
                errors: dict[str, list[str]] = {}
                self._check_revision(app, rid, rev, f"revisions[{n}]", errors)
                if errors:
                    raise invalid(errors)
                for code, index in app.unique.items():
                    v = app.records[rid].get(code)
                    if v and index.get(v) == rid:
                        del index[v]
                del app.records[rid]
                del app.revisions[rid]
            return {}

    # ------------------------------------------------------------------ peeks (Control)

    def cards_by_student(self) -> dict[str, int]:
        with self._lock:
            return dict(Counter(r.get("student_no", "") for r in self.cards.records.values()))

    def records(self, form: str) -> list[dict[str, Any]]:
        app = self.students if form == "students" else self.cards
        with self._lock:
            return [app.render(i) for i in sorted(app.records)]
