"""A thread-safe rate limiter (token bucket, kept as a "theoretical arrival time")."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Let at most ``rate`` calls per second through, with bursts of up to ``burst`` calls.

    ``acquire()`` blocks (through the injected ``sleep``) until the caller may go. Each caller
    reserves its slot under the lock and sleeps outside it, so concurrent callers are spaced
    ``1/rate`` apart without holding each other up. ``rate <= 0`` means unlimited.
    """

    def __init__(
        self,
        rate: float,
        *,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tat: float | None = None  # when the bucket would be full again

    def acquire(self) -> float:
        """Wait for a slot; return the seconds waited."""
        if self._interval <= 0:
            return 0.0
        with self._lock:
            now = self._clock()
            tat = now if self._tat is None or self._tat < now else self._tat
            wait = tat - now - (self.burst - 1) * self._interval
            if wait < 1e-9:  # float noise from adding intervals is not a reason to sleep
                wait = 0.0
            self._tat = tat + self._interval
        if wait > 0:
            self._sleep(wait)
        return wait
