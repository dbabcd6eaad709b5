"""One emulated 神笔 object's records, with the indexes that keep a big object fast.

Records are never changed in place: :meth:`Table.put` (id_table.py) swaps whole records, keeps
the ascending Id list and the relation indexes (relation value -> Ids) in step, and returns the
record it replaced, which is all an undo log needs.

:func:`find` narrows the candidates with those indexes where a filter allows (Id comparisons,
relation EQ, and AND/OR of those), re-tests them unless the index answer is exact, and walks
them in Id order without sorting when no OrderBy is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..id_table import Candidates, IdTable, id_range, narrowest, union
from .filter import Cond, Group, Node
from .schema import ENUM, RELATION, Entity


@dataclass(frozen=True, slots=True)
class Rec:
    rid: int
    values: dict[str, Any]
    created: int  # ms
    updated: int  # ms


def get(rec: Rec, key: str) -> Any:
    """A record's stored value by field key, system fields included."""
    if key == "Id":
        return rec.rid
    if key == "CreatedTime":
        return rec.created
    if key == "UpdatedTime":
        return rec.updated
    return rec.values.get(key)


@dataclass
class Table(IdTable[Rec]):
    entity: Entity
    related: dict[str, dict[int, set[int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for f in self.entity.fields:
            if f.type == RELATION:
                self.related[f.key] = {}

    def _index(self, rid: int, rec: Rec) -> None:
        for key, index in self.related.items():
            target = rec.values.get(key)
            if target is not None:
                index.setdefault(target, set()).add(rid)

    def _unindex(self, rid: int, rec: Rec) -> None:
        for key, index in self.related.items():
            target = rec.values.get(key)
            if target is not None:
                index[target].discard(rid)


def find(table: Table, where: Group | None, order: Sequence[tuple[str, bool]], start: int,
         stop: int) -> tuple[list[int], int]:
    """Ids from position ``start`` to ``stop`` in ``order`` (none: Id ascending; a key is
    (field key, descending)), and how many match in all."""
    found = _candidates(table, where) if where is not None else (table.ids, True)
    cands, exact = found if found is not None else (table.ids, False)
    if not exact:
        assert where is not None
        test, rows = where.test, table.rows
        cands = [rid for rid in cands if test(rows[rid])]
    if not order:
        return list(cands[start:stop]), len(cands)
    matches = list(cands)
    rows = table.rows
    for key, desc in reversed(order):  # stable sorts, last key first
        matches.sort(key=_sort_key(table, key, rows), reverse=desc)
    return matches[start:stop], len(matches)


def _sort_key(table: Table, key: str, rows: dict[int, Rec]) -> Callable[[int], Any]:
    f = table.entity.by_key.get(key)

    def sort_key(rid: int) -> tuple[bool, Any]:
        value = get(rows[rid], key)
        if f is not None and f.type == ENUM:
            value = tuple(value) if value else None
        return value is not None, value if value is not None else 0

    return sort_key


def _candidates(table: Table, node: Node) -> Candidates | None:
    """Ascending Ids that include every match of ``node`` and whether all of them match;
    None when no index helps."""
    if isinstance(node, Cond):
        return _cond_candidates(table, node)
    subs = [_candidates(table, c) for c in node.children]
    if not subs:
        return table.ids, True
    if node.all_of:
        best = narrowest(subs)
        return None if best is None else (best[0], best[1] and len(subs) == 1)
    return union(subs)


_ID_OPS = {"GT": ">", "GTE": ">=", "LT": "<", "LTE": "<="}


def _cond_candidates(table: Table, cond: Cond) -> Candidates | None:
    key, op, value = cond.field.key, cond.op, cond.value
    if value is None:
        return None
    if key == "Id":
        if op == "EQ":
            return ([value] if value in table.rows else []), True
        ids = id_range(table.ids, _ID_OPS.get(op, ""), value)
        return None if ids is None else (ids, True)
    index = table.related.get(key)
    if index is not None and op == "EQ":
        return sorted(index.get(value, ())), True
    return None
