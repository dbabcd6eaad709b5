"""kintone emulator: two apps (students, cards) in memory, with kintone's value rules.

Every write call is all-or-nothing: it runs in :meth:`KintoneStore.transaction` (undo.py),
which logs the row each change replaces and, if anything raises, puts those rows back newest
first (bulkRequest wraps all of its sub-requests in one transaction; a nested transaction rolls
back only its own part before the error reaches the outer one). The cost of a write is that
of the rows it touches, not of the apps' size.

Thread-safe: one re-entrant lock around every operation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from ...core.demo import DemoSchool
from ..undo import UndoLog
from .query import QueryError, parse_query
from .schema import (
    CARD_FIELDS,
    SEED_UPDATED,
    STUDENT_FIELDS,
    UPDATED_FIELD,
    KintoneError,
    convert_record,
    fmt_decimal,
    invalid,
    iso_from_ms,
)
from .settings import KintoneSettings
from .table import App, Row, find

__all__ = ["App", "KintoneError", "KintoneStore", "invalid"]


def _now() -> str:
    """An UPDATED_TIME value: now, in minutes (§5)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:00Z")


class KintoneStore(UndoLog[App, Row]):
    def __init__(self, school: DemoSchool, settings: KintoneSettings, *,
                 with_cards: bool = False) -> None:
        super().__init__()
        self.settings = settings
        self.students = App(settings.students_app, "学生信息", STUDENT_FIELDS)
        self.cards = App(settings.cards_app, "一卡通", CARD_FIELDS)
        self.apps = {a.app_id: a for a in (self.students, self.cards)}
        self._seed_minutes = -1
        for s in school.students:
            self._insert(self.students, {
                "student_no": s.student_no, "name": s.name, "college": s.college,
                "class_name": s.class_name, "student_status": s.status.value},
                self._seeded())
        if with_cards:  # one card per student: the cards app's 学号 is unique
            for c in school.current_cards().values():
                self._insert(self.cards, {
                    "student_no": c.student_no, "status": c.status.value,
                    "open_time": iso_from_ms(c.open_time) if c.open_time is not None else "",
                    "amount": fmt_decimal(Decimal(c.amount))}, self._seeded())

    def _seeded(self) -> str:
        """The next seeded record's UPDATED_TIME: a minute after the previous one's, from
        SEED_UPDATED, as if the school's records had been entered over time."""
        self._seed_minutes += 1
        start = datetime.fromisoformat(SEED_UPDATED)
        return (start + timedelta(minutes=self._seed_minutes)).strftime("%Y-%m-%dT%H:%M:00Z")

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

    def _numbering(self, table: App) -> App:  # each app numbers its own records
        return table

    def _insert(self, app: App, values: dict[str, str], stamp: str | None = None) -> int:
        rid = app.next_id
        row = {**values, UPDATED_FIELD.code: stamp or _now(), "$id": str(rid),
               "$revision": "1"}
        self._put(app, rid, row)
        app.next_id = rid + 1
        return rid

    def _replace(self, app: App, rid: int, values: Mapping[str, str]) -> int:
        revision = app.revision(rid) + 1
        self._put(app, rid, {**values, UPDATED_FIELD.code: _now(), "$id": str(rid),
                             "$revision": str(revision)})
        return revision

    # ------------------------------------------------------------------ values

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

    def _find(self, app: App, query: str, limits: bool, total: bool = True
              ) -> tuple[list[int], int | None]:
        try:
            q = parse_query(query, app.types)
        except QueryError as exc:
            raise KintoneError(exc.code, exc.message, 400,
                               {"query": {"messages": [exc.message]}}
                               if exc.code == "CB_VA01" else None) from None
        if not limits:  # a cursor's query
            if q.limit is not None or q.offset is not None:
                raise invalid({"query": ["limit and offset cannot be used in a cursor query."]})
            return find(app, q.where, q.order, count=False)
        s = self.settings
        limit = s.limit_default if q.limit is None else q.limit
        offset = q.offset or 0
        if limit > s.limit_max:
            raise invalid({"query": [f"limit must be {s.limit_max} or less."]})
        if offset > s.offset_max:
            raise invalid({"query": [f"offset must be {s.offset_max} or less."]})
        return find(app, q.where, q.order, offset, offset + limit, total)

    def select(self, app_id: Any, query: str, wanted: Sequence[str] | None,
               total: bool) -> dict[str, Any]:
        with self._lock:
            app = self.app(app_id)
            page, count = self._find(app, query, True, total)
            return {"records": [app.render(i, wanted) for i in page],
                    "totalCount": str(count) if total else None}

    def select_ids(self, app_id: Any, query: str) -> tuple[App, list[int]]:
        """For cursors: every matching id (limit/offset refused)."""
        with self._lock:
            app = self.app(app_id)
            return app, self._find(app, query, False)[0]

    def render(self, app: App, ids: Sequence[int], wanted: Sequence[str] | None
               ) -> list[dict[str, Any]]:
        with self._lock:  # values are read at GET time; deleted records are skipped
            return [app.render(i, wanted) for i in ids if i in app.rows]

    def get(self, app_id: Any, rid: Any) -> dict[str, Any]:
        with self._lock:
            app = self.app(app_id)
            return {"record": app.render(self._existing(app, rid))}

    def _existing(self, app: App, rid: Any) -> int:
        try:
            key = int(str(rid))
        except ValueError:
            raise invalid({"id": ["Enter an integer value."]}) from None
        if key not in app.rows:
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
                values.update(convert_record(app.by_code, rec, prefix, errors))
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
                base = app.rows[rid] if rid is not None else {
                    f.code: f.default for f in app.fields}
                changes = convert_record(app.by_code, item.get("record", {}), prefix, errors)
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
                    revision = self._replace(app, rid, merged)
                    row = {"id": str(rid), "revision": str(revision)}
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
        if expected != app.revision(rid):
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
                self._put(app, rid, None)
            return {}

    # ------------------------------------------------------------------ peeks (Control)

    def cards_by_student(self) -> dict[str, int]:
        with self._lock:
            return dict(Counter(r.get("student_no", "") for r in self.cards.rows.values()))

    def records(self, form: str) -> list[dict[str, Any]]:
        app = self.students if form == "students" else self.cards
        with self._lock:
            return [app.render(i) for i in app.ids]
