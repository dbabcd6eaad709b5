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
caps them at two (measured after the job: 250–253 MB with glibc's default, 241–245 MB with
two); :func:`release_free_memory` hands what the job freed back to the system (``malloc_trim``:
235–240 MB). Elsewhere both do nothing.

A job's read-back (72,000 cards) and the rows made from it are kept, and arrive after the last
freeze of the job: :func:`freeze_survivors` is called again once each is made (on its
worker), or the first full pass after the job scans them all (30 ms, a stall of the window).

(Turning automatic collection off around a bulk read, as this module once did, is worse: it
is off for every thread, and the first pass after it scans all that every thread made
meanwhile — 28 ms for a "young" collection. The results table keeps no records any more.)
"""

from __future__ import annotations

import ctypes
import gc
import logging
import sys

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc's mallopt parameter number (malloc.h)
MALLOC_ARENAS = 2


def settle_after_load() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def freeze_survivors() -> None:
    """Freeze what every collection so far left alive (cheap: the lists are moved, not
    scanned); the next full pass skips it."""
    gc.freeze()


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
    """Give the memory malloc holds free back to the system (glibc; a few ms)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(ctypes.c_size_t(0))
