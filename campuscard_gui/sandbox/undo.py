"""All-or-nothing writes for the kintone and 神笔 emulators' in-memory stores: an undo log.

A store runs its write calls in :meth:`UndoLog.transaction`. While one is open, every change
made through :meth:`UndoLog._put` logs the record it replaced and the id sequence's next value;
if the block raises, those are put back newest first. A nested transaction rolls back only its
own part before the error reaches the outer one. The cost of a write is that of the records it
touches, not of the tables' size.

The store's one re-entrant lock (``_lock``) is held for the whole transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Generic, Protocol, TypeVar

from .id_table import IdTable


class Numbering(Protocol):
    next_id: int  # the id the next insert takes


T = TypeVar("T", bound=IdTable[Any])
R = TypeVar("R")


class UndoLog(Generic[T, R]):
    """Base of a store of ``T`` tables holding ``R`` records."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        # (table, id, the record it held or None, whose next_id, that next_id) before a change
        self._undo: list[tuple[T, int, R | None, Numbering, int]] | None = None

    def _numbering(self, table: T) -> Numbering:
        """What holds the ``next_id`` an insert into ``table`` advances."""
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: every record changed in the block is put back if the block raises."""
        with self._lock:
            outer = self._undo is None
            if outer:
                self._undo = []
            log = self._undo
            assert log is not None
            mark = len(log)
            try:
                yield
            except BaseException:
                while len(log) > mark:
                    table, rid, row, numbering, next_id = log.pop()
                    table.put(rid, row)
                    numbering.next_id = next_id
                raise
            finally:
                if outer:
                    self._undo = None

    def _put(self, table: T, rid: int, row: R | None) -> None:
        """``table.put``, logged for the open transaction (if any)."""
        numbering = self._numbering(table)
        next_id = numbering.next_id
        old = table.put(rid, row)
        if self._undo is not None:
            self._undo.append((table, rid, old, numbering, next_id))
