"""Sliding-window request limits (per endpoint and across all endpoints) for the sandboxes."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from enum import Enum


class Verdict(Enum):
    OK = "ok"
    ENDPOINT = "endpoint"  # this endpoint's rate exceeded
    GLOBAL = "global"  # the rate across all endpoints exceeded


class SlidingWindowLimiter:
    """At most ``per_key[key]`` admitted requests per key and ``total`` overall in any window.

    Rejected requests are not counted, so a client that backs off gets through again once the
    window has slid past its earlier requests.
    """

    def __init__(self, per_key: Mapping[str, int], total: int, window_s: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._per_key = dict(per_key)
        self._total = total
        self._window = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()

    def _expire(self, hits: deque[float], now: float) -> None:
        edge = now - self._window
        while hits and hits[0] <= edge:
            hits.popleft()

    def admit(self, key: str) -> Verdict:
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            self._expire(hits, now)
            self._expire(self._all, now)
            limit = self._per_key.get(key)
            if limit is not None and len(hits) >= limit:
                return Verdict.ENDPOINT
            if len(self._all) >= self._total:
                return Verdict.GLOBAL
            hits.append(now)
            self._all.append(now)
            return Verdict.OK

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
            self._all.clear()
