"""Reading one listing as many partitions at once, within a backend's read limits.

A cold listing of 100,000 students is thousands of pages. One cursor per form waits one round
trip per page (at 200 ms: 5 pages/s), far below what the backends allow (简道云: 30 data/list
calls/s; kintone: 100 concurrent requests per domain; 神笔: its per-key rate). Each backend
cuts its records into partitions its API can read independently (kintone: ``$id`` ranges;
简道云: ``_id`` ranges started from synthetic cursors; 神笔: offset pages), and
:func:`run_jobs` reads them on a few threads; the API's own limiter (a semaphore or a rate
limiter) keeps the requests within the backend's limits, whoever sends them.

A partition's answer that contradicts the partitioning (a record outside its range, ids out of
order, a record in two partitions) raises :class:`Inconsistent`: the connector then lists the
old way, one cursor at a time, which is what every partitioned listing must equal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context

# A job reads one partition; it checks ``stop`` between pages and returns early once it is
# set (another job failed, or the listing was abandoned).
Job = Callable[[threading.Event], None]
# A source hands out its jobs one at a time: None once it has no more (it may create them as
# it learns where its records are, e.g. from the pages already read).
Source = Callable[[], Job | None]


class Inconsistent(Exception):  # noqa: N818 - an answer, not a bug
    """A partition's answer does not fit the partitioning (log text, English, no data)."""


def run_jobs(sources: Sequence[Source], workers: int, name: str,
             stop: threading.Event | None = None, *, in_order: bool = False) -> None:
    """Run every job of ``sources`` on up to ``workers`` threads, taking from the sources in
    turn so that several listings (students and cards) share the threads and the backend's
    limits (``in_order``: every job of the first source before any of the next, e.g. the
    cards before the students they are joined with). The first exception stops the others
    (between their pages) and is raised once all have returned. ``stop`` (set by the
    caller) ends the jobs early too."""
    halt = stop if stop is not None else threading.Event()
    lock = threading.Lock()
    exhausted = [False] * len(sources)
    errors: list[BaseException] = []
    turn = [0]

    def take() -> Job | None:
        with lock:
            n = len(sources)
            for k in range(n):
                i = k if in_order else (turn[0] + k) % n
                if exhausted[i]:
                    continue
                job = sources[i]()
                if job is None:
                    exhausted[i] = True
                    continue
                turn[0] = (i + 1) % n
                return job
            return None

    def worker() -> None:
        while not halt.is_set():
            job = take()
            if job is None:
                return
            try:
                job(halt)
            except BaseException as exc:  # handed to the caller below
                with lock:
                    errors.append(exc)
                halt.set()
                return

    count = max(1, workers)
    contexts = [copy_context() for _ in range(count)]  # each thread hears as the caller's
    with ThreadPoolExecutor(count, thread_name_prefix=name) as pool:
        futures = [pool.submit(ctx.run, worker) for ctx in contexts]
        for future in futures:
            future.result()
    if errors:
        raise errors[0]


def jobs_of(jobs: Sequence[Job]) -> Source:
    """A source handing out a fixed list of jobs in order."""
    queue = list(reversed(jobs))

    def take() -> Job | None:
        return queue.pop() if queue else None

    return take
