"""What the kintone and 神笔 emulators' tables share: records by id, an ascending id list, and
the pieces of an index answer that do not depend on the query language.

Records are never changed in place: :meth:`IdTable.put` swaps whole records, keeps the id list
in step (and, through :meth:`IdTable._index` / :meth:`IdTable._unindex`, a subclass's own value
indexes), and returns the record it replaced, which is all an undo log (undo.py) needs.

An index answer is ``(ids, exact)``: ascending ids that include every match of a condition,
and whether all of them match (else each still gets the condition's own test); None when no
index helps.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

R = TypeVar("R")

Candidates = tuple[Sequence[int], bool]


@dataclass
class IdTable(Generic[R]):
    rows: dict[int, R] = field(default_factory=dict, kw_only=True)
    ids: list[int] = field(default_factory=list, kw_only=True)  # every id, ascending

    def put(self, rid: int, row: R | None) -> R | None:
        """Make ``rid`` hold ``row`` (None: remove it); returns what it held before."""
        old = self.rows.get(rid)
        if old is not None:
            self._unindex(rid, old)
        if row is None:
            if old is not None:
                del self.rows[rid]
                del self.ids[bisect_left(self.ids, rid)]
            return old
        if old is None:
            if not self.ids or rid > self.ids[-1]:
                self.ids.append(rid)
            else:
                insort(self.ids, rid)
        self.rows[rid] = row
        self._index(rid, row)
        return old

    def _index(self, rid: int, row: R) -> None:
        """Enter ``row``, now held by ``rid``, in the subclass's value indexes."""

    def _unindex(self, rid: int, row: R) -> None:
        """Take ``row``, which ``rid`` no longer holds, out of the value indexes."""


def id_range(ids: list[int], op: str, bound: Any) -> list[int] | None:
    """The ascending ``ids`` that compare to ``bound`` by ``op`` (">", ">=", "<", "<=");
    None for any other op."""
    if op == ">":
        return ids[bisect_right(ids, bound):]
    if op == ">=":
        return ids[bisect_left(ids, bound):]
    if op == "<":
        return ids[:bisect_left(ids, bound)]
    if op == "<=":
        return ids[:bisect_right(ids, bound)]
    return None


def narrowest(subs: Sequence[Candidates | None]) -> Candidates | None:
    """For an AND: the smallest of the parts' index answers (None when no part has one)."""
    known = [s for s in subs if s is not None]
    if not known:
        return None
    return min(known, key=lambda s: len(s[0]))


def union(subs: Sequence[Candidates | None]) -> Candidates | None:
    """For an OR: every part's ids together, exact when every part's answer is; None when any
    part has no index answer (then every record is a candidate)."""
    parts = [s for s in subs if s is not None]
    if len(parts) < len(subs):
        return None
    ids: set[int] = set()
    for part, _exact in parts:
        ids.update(part)
    return sorted(ids), all(exact for _ids, exact in parts)
