"""How often and how patiently the batch runner retries a chunk."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter.

    ``max_attempts`` counts sends of one chunk that end in a RetryableError (the first send
    included); ``max_ambiguous`` bounds the sends that end in an AmbiguousError (each followed by
    a reconciliation). A server's ``retry_after`` is honoured when it asks for longer.
    """

    max_attempts: int = 6
    max_ambiguous: int = 3
    base_delay: float = 0.5  # seconds before the first retry
    max_delay: float = 30.0
    jitter: float = 0.5  # up to +50 % random extra, so parallel clients do not retry in step

    def delay(
        self,
        retry: int,
        retry_after: float | None = None,
        rand: Callable[[], float] = random.random,
    ) -> float:
        """Seconds to wait before retry number ``retry`` (1 = the first retry)."""
        backoff: float = min(self.max_delay, self.base_delay * 2.0 ** max(0, retry - 1))
        backoff *= 1.0 + self.jitter * rand()
        if retry_after is not None and retry_after > backoff:
            return float(retry_after)
        return backoff
