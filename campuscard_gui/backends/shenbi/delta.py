"""What a 神笔 refresh (``connectors.base.DeltaListing``) reads, and what its mark holds.

A mark holds, per object (students, cards): ``since``, the server's time as the listing
started (the Date of its answer to the newest UpdatedTime, or that UpdatedTime when it has
no Date or is later; ms); ``max_id`` and ``count``, the highest record Id the mark counted
and how many records it counted. A refresh reads, per object, the newest and the oldest
UpdatedTime and the highest Id with the object's TotalCount (one record each), then every
record whose UpdatedTime is at or after ``since`` less ``refresh_overlap_s``, with the
query's Filter (§3.3: GTE on a datetime) in offset pages by Id. The overlap covers the writes
not yet seen when the listing read; it is counted from the listing's time, not from the
newest record, so that a bulk import's thousands of records stamped a minute before are not
read again by every refresh ([INFER] that the server's clocks agree within the overlap).
Record Ids only grow ([INFER], as the partitioned listing assumes), so the records created
since the mark are the changed ones above ``max_id``; a TotalCount other than ``count`` plus
those means records were deleted, and only a full listing can tell which.

Whether the server honours the Filter is not documented ([UNKNOWN] §4.2: the query action's
name and behaviour are not public). So the answers are checked: every record in them must
carry an UpdatedTime at or after the bound (this alone catches a server that ignores the
Filter, once it has answered every page); and the first page's TotalCount must not be the
whole object's while the object holds a record updated before the bound (the oldest one:
that catches it at once). Either way the refresh gives up and the log says so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ...connectors.common import ms_of
from .api import ShenbiApi
from .records import Record, id_of, value_of

log = logging.getLogger(__name__)

UPDATED = "UpdatedTime"


@dataclass(frozen=True, slots=True)
class State:
    """An object as a refresh starts."""

    since: int  # the server's time (see the module doc), ms
    oldest: int  # the oldest UpdatedTime (ms); 0 for an empty object
    top: int  # the highest record Id; 0 for an empty object
    total: int  # TotalCount


def id_number(rec: Record) -> int:
    ident = id_of(rec)
    return int(ident) if ident.isdigit() else 0


def newest_update(api: ShenbiApi, entity: str, order: str = "DESC") -> int | None:
    """The newest UpdatedTime in ``entity`` (the oldest with ``order`` ASC; 0 when it is
    empty; None: the answer carries none, so nothing can be said about changes)."""
    rec, _total, _date = api.top(entity, UPDATED, [UPDATED], order)
    if rec is None:
        return 0
    return ms_of(value_of(rec, UPDATED))


def since_of(api: ShenbiApi, entity: str) -> int | None:
    """``entity``'s part of a mark's ``since`` now (see the module doc; None: its records
    carry no UpdatedTime)."""
    rec, _total, date = api.top(entity, UPDATED, [UPDATED])
    newest = 0 if rec is None else ms_of(value_of(rec, UPDATED))
    if newest is None:
        return None
    return max(newest, date or 0)


def states(api: ShenbiApi, entities: Sequence[str]) -> list[State | None]:
    """Each object's State (None: no UpdatedTime or no TotalCount in the answers), read at
    once: the newest and oldest update and the highest Id of every object."""
    with ThreadPoolExecutor(3 * len(entities), thread_name_prefix="campuscard-shenbi-delta"
                            ) as pool:
        newest = [pool.submit(since_of, api, e) for e in entities]
        oldest = [pool.submit(newest_update, api, e, "ASC") for e in entities]
        tops = [pool.submit(api.top, e, "Id", [UPDATED]) for e in entities]
        out: list[State | None] = []
        for new, old, top in zip(newest, oldest, tops, strict=True):
            when, first = new.result(), old.result()
            rec, total, _date = top.result()
            if when is None or first is None or total is None:
                out.append(None)
            else:
                out.append(State(when, first, id_number(rec) if rec is not None else 0, total))
        return out


def changed_since(api: ShenbiApi, name: str, entity: str, fields: list[str], bound: int,
                  state: State) -> list[Record] | None:
    """Every record of ``entity`` updated at or after ``bound`` (ms), read with the Filter;
    None when the answers show that the server did not apply it (logged). ``state``: the
    object's as the refresh started."""
    flt = {"Connector": "AND",
           "Children": [{"Field": UPDATED, "Operator": "GTE", "Value": bound}]}
    totals: list[int | None] = []
    out: list[Record] = []
    for page in api.pages(entity, fields, flt, lambda _n, total: totals.append(total)):
        for rec in page:
            when = ms_of(value_of(rec, UPDATED))
            if when is None:
                log.info("shenbi: the %s records read carry no UpdatedTime: cannot tell what "
                         "changed; listing in full", name)
                return None
            if when < bound:
                log.info("shenbi: the server does not honour the UpdatedTime filter (a %s "
                         "record updated before the bound came back): listing in full", name)
                return None
        if not out and totals and totals[0] is not None and state.oldest < bound \
                and totals[0] >= state.total > 0:
            log.info("shenbi: the server does not honour the UpdatedTime filter (it matched "
                     "all %d %s records, some updated before the bound): listing in full",
                     state.total, name)
            return None
        out += page
    return out


def listed_part(since: int, records: Iterable[Record]) -> dict[str, Any]:
    """One object's part of a listing's mark."""
    ids = [id_number(r) for r in records]
    return {"since": since, "max_id": max(ids, default=0), "count": len(ids)}


def created_since(changed: Iterable[Record], before: Mapping[str, Any], state: State) -> int:
    """How many of the changed records were created since the mark and counted in
    ``state.total`` (an Id above the mark's highest, up to the state's)."""
    low = int(before["max_id"])
    return sum(1 for r in changed if low < id_number(r) <= state.top)


def refreshed_part(state: State, before: Mapping[str, Any]) -> dict[str, Any]:
    """One object's part of a refresh's mark: the records up to ``state.top`` counted."""
    return {"since": state.since, "max_id": max(state.top, int(before["max_id"])),
            "count": state.total}
