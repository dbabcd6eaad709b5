"""Keep the cyclic garbage collector's full passes short while jobs run.

A job's worker threads allocate a lot (a 10,000-record read-back parses 10,000 records), which
triggers full collections; each stops every thread, the GUI thread included, for as long as it
takes to scan every tracked object — mostly the students just loaded. Measured with 10,000
students on 神笔: full collections of 30–45 ms and GUI timer gaps up to 90 ms during a job.

After a listing is loaded, :func:`settle_after_load` collects once and then freezes what
survives (``gc.freeze``): later full passes skip it (then 9–20 ms, gaps ≤ 23 ms). What was
frozen at the previous load is unfrozen first, so cycles that died since are still collected:
nothing stays uncollectable for longer than one load. Costs one full pass on the GUI thread
per load (~50 ms at 100,000 rows), when the table is being filled anyway.

While a job runs, what it made and kept (the journal's records read for live results, the
plan) grows by the second, and full passes over it grew with it: 9 passes of 22 to 120 ms
during a 72,000-record job, each a stall of the window. :func:`freeze_survivors`, called about
once a second while a job runs, freezes what survived so far: full passes then scan only the
last second's objects (measured: the longest GUI-thread stall of that job 122 -> under 50 ms).
Objects frozen that die are still freed (reference counting); only cyclic garbage waits for
the next load's unfreeze.

Reading 100,000 records from the journal on a worker thread makes the collector run full passes
over the growing list again and again (19, 26, 48, 60, 72, 85 ms, each holding the GIL and so
stopping the window): :func:`paused_collection` turns automatic collection off for such a bulk
read (nothing it makes is garbage), and the caller freezes the result once it is shown.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pause_lock = threading.Lock()
_pauses = 0


def settle_after_load() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def freeze_survivors() -> None:
    """Freeze what every collection so far left alive (cheap: the lists are moved, not
    scanned); the next full pass skips it."""
    gc.freeze()


@contextmanager
def paused_collection() -> Iterator[None]:
    """No automatic cyclic collection while the block runs (any thread; nested and concurrent
    pauses count, collection comes back when the last one ends)."""
    global _pauses
    with _pause_lock:
        _pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0:
                gc.enable()
