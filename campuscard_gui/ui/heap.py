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

While a job runs, what it made and kept (the plan; the journal's records read for live
results, until the results table paged them from the journal) grew by the second, and full
passes over it grew with it: 9 passes of 22 to 120 ms during a 72,000-record job, each a stall
of the window. :func:`freeze_survivors`, called about once a second while a job runs, freezes
what survived so far: full passes then scan only the last second's objects (measured: the
longest GUI-thread stall of that job 122 -> under 50 ms). Objects frozen that die are still
freed (reference counting); only cyclic garbage waits for the next load's unfreeze.

On Linux (glibc), every thread that allocates under contention may get a malloc arena of its
own, and memory freed in one arena is not reused by another: the loader, the job thread and the
worker pool made the window's resident memory after a 100,000-record job about 20 MB larger
than with two arenas. :func:`limit_malloc_arenas` (called once at start, before the threads)
caps them at two; :func:`release_free_memory` hands memory freed at the end of a job back to
the system (``malloc_trim``). Elsewhere both do nothing.

Reading 100,000 records from the journal on a worker thread makes the collector run full passes
over the growing list again and again (19, 26, 48, 60, 72, 85 ms, each holding the GIL and so
stopping the window): :func:`paused_collection` turns automatic collection off for such a bulk
read (a search or a sort of a big job's results, which reads every record once).
"""

from __future__ import annotations

import ctypes
import gc
import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc's mallopt parameter number (malloc.h)
MALLOC_ARENAS = 2

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


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt  # noqa: B018 - present on glibc (and musl, which ignores it)
        libc.malloc_trim  # noqa: B018 - glibc only
    except (OSError, AttributeError):
        return None
    return libc


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas (True when done). Call before starting threads."""
    libc = _glibc()
    if libc is None:
        return False
    done = bool(libc.mallopt(ctypes.c_int(M_ARENA_MAX), ctypes.c_int(arenas)))
    log.debug("malloc arenas capped at %d: %s", arenas, done)
    return done


def release_free_memory() -> None:
    """Give memory malloc holds free back to the system (glibc; a few ms)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(ctypes.c_size_t(0))
