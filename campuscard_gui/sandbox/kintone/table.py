"""One emulated kintone app's records, with the indexes that keep a big app fast.

A row is ``{code: str}`` for every field plus ``"$id"`` and ``"$revision"`` (strings, as a
query reads them), so a row is exactly what a query's test looks at. Beside the rows an app
keeps its ids in ascending order and, per unique field, ``value -> $id``. :meth:`App.put`
(id_table.py) is the one way to change a row and keeps the three in step; it returns the row it
replaced, which is all an undo log needs to put things back.

:func:`find` answers a parsed query. It narrows the candidates with the indexes where the
condition allows (``$id`` comparisons and ``$id in``, ``=``/``in`` on a unique text field, and
``and``/``or`` of those), re-checks them with the condition's own test unless the index answer
is exact, and walks them in ``$id`` order without sorting when the order is by ``$id``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..id_table import Candidates, IdTable, id_range, narrowest, union
from .query import NUMERIC_TYPES, AllOf, Cond, Node, number, sort_key
from .schema import SYSTEM_TYPES, FieldDef

Row = dict[str, str]


@dataclass
class App(IdTable[Row]):
    app_id: int
    name: str
    fields: tuple[FieldDef, ...]
    unique: dict[str, dict[str, int]] = field(default_factory=dict)  # code -> value -> $id
    next_id: int = 1

    def __post_init__(self) -> None:
        self.by_code = {f.code: f for f in self.fields}
        self.types = {**{f.code: f.type for f in self.fields}, **SYSTEM_TYPES}
        for f in self.fields:
            if f.unique:
                self.unique.setdefault(f.code, {})

    def revision(self, rid: int) -> int:
        return int(self.rows[rid]["$revision"])

    def _index(self, rid: int, row: Row) -> None:
        for code, index in self.unique.items():
            value = row.get(code)
            if value:
                index[value] = rid

    def _unindex(self, rid: int, row: Row) -> None:
        for code, index in self.unique.items():
            value = row.get(code)
            if value and index.get(value) == rid:
                del index[value]

    def render(self, rid: int, wanted: Sequence[str] | None = None) -> dict[str, Any]:
        row = self.rows[rid]
        out: dict[str, Any] = {}
        for f in self.fields:
            if wanted is None or f.code in wanted:
                value: Any = row.get(f.code, "")
                if f.type == "DROP_DOWN" and value == "":
                    value = None
                out[f.code] = {"type": f.type, "value": value}
        if wanted is None or "$id" in wanted:
            out["$id"] = {"type": "__ID__", "value": row["$id"]}
        if wanted is None or "$revision" in wanted:
            out["$revision"] = {"type": "__REVISION__", "value": row["$revision"]}
        return out


def find(app: App, where: Node | None, order: Sequence[tuple[str, bool]], start: int = 0,
         stop: int | None = None, count: bool = True) -> tuple[list[int], int | None]:
    """The matching ids from position ``start`` to ``stop`` (None: to the end) in ``order``
    (no order: ``$id`` descending), and how many match in all when ``count``."""
    found = _candidates(app, where) if where is not None else (app.ids, True)
    cands, exact = found if found is not None else (app.ids, False)
    rows = app.rows
    if not order or order[0][0] == "$id":  # $id is unique: any later key never matters
        desc = not order or order[0][1]
        if exact:
            return _slice(cands, desc, start, stop), len(cands) if count else None
        assert where is not None
        test = where.test
        page: list[int] = []
        total = 0
        for rid in reversed(cands) if desc else cands:
            if test(rows[rid]):
                if total >= start and (stop is None or total < stop):
                    page.append(rid)
                total += 1
                if not count and stop is not None and total >= stop:
                    break
        return page, total if count else None
    if exact:
        matches = list(cands)
    else:
        assert where is not None
        test = where.test
        matches = [rid for rid in cands if test(rows[rid])]
    for code, desc in reversed(order):  # stable sorts, last key first
        if code == "$id":
            matches.sort(reverse=desc)
            continue
        ftype = app.types[code]

        def key(rid: int, c: str = code, t: str = ftype) -> tuple[int, Any]:
            return sort_key(t, rows[rid].get(c))

        matches.sort(key=key, reverse=desc)
    return matches[start:stop], len(matches) if count else None


def _slice(ids: Sequence[int], desc: bool, start: int, stop: int | None) -> list[int]:
    if not desc:
        return list(ids[start:stop])
    n = len(ids)
    hi = n - start
    lo = 0 if stop is None else max(n - stop, 0)
    return list(ids[lo:hi][::-1]) if hi > lo else []


def _candidates(app: App, node: Node) -> Candidates | None:
    """Ascending ids that include every match of ``node`` and whether all of them match;
    None when no index helps."""
    if isinstance(node, Cond):
        return _cond_candidates(app, node)
    if isinstance(node, AllOf):
        ranged = _id_window(app, node)
        if ranged is not None:
            return ranged
    subs = [_candidates(app, p) for p in node.parts]
    if isinstance(node, AllOf):
        best = narrowest(subs)
        return None if best is None else (best[0], False)  # the other parts still apply
    return union(subs)


_RANGE_OPS = frozenset({">", ">=", "<", "<="})


def _id_window(app: App, node: AllOf) -> Candidates | None:
    """For an AND with several ``$id`` comparisons (a seek within a range: ``$id > a and
    $id <= b``): the ids between the bounds, one slice, exact when nothing else is asked."""
    bounds = [p for p in node.parts if isinstance(p, Cond) and p.field == "$id"
              and p.op in _RANGE_OPS]
    if len(bounds) < 2:
        return None
    ids = app.ids
    lo, hi = 0, len(ids)
    for cond in bounds:
        target = number(cond.values[0])
        if target is None or not target.is_finite():
            return None
        if cond.op == ">":
            lo = max(lo, bisect_right(ids, target))
        elif cond.op == ">=":
            lo = max(lo, bisect_left(ids, target))
        elif cond.op == "<":
            hi = min(hi, bisect_left(ids, target))
        else:
            hi = min(hi, bisect_right(ids, target))
    return ids[lo:max(lo, hi)], len(bounds) == len(node.parts)


def _integral(d: Decimal | None) -> int | None:
    if d is None or not d.is_finite() or d != d.to_integral_value():
        return None
    return int(d)


def _cond_candidates(app: App, cond: Cond) -> Candidates | None:
    code, op, values = cond.field, cond.op, cond.values
    if code == "$id":
        if op == "in":
            wanted = {_integral(number(v)) for v in values}
            return sorted(i for i in wanted if i is not None and i in app.rows), True
        target = number(values[0])
        if target is None or not target.is_finite():
            return None
        if op == "=":
            rid = _integral(target)
            return ([rid] if rid is not None and rid in app.rows else []), True
        ids = id_range(app.ids, op, target)
        return None if ids is None else (ids, True)
    index = app.unique.get(code)
    if index is None or app.types[code] in NUMERIC_TYPES:
        return None  # a NUMBER compares as a number, the index holds strings
    if op == "=" and values[0] != "":
        rid = index.get(values[0])
        return ([rid] if rid is not None else []), True
    if op == "in" and "" not in values:
        return sorted({index[v] for v in values if v in index}), True
    return None  # "" matches the records without a value, which the index leaves out
