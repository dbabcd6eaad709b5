"""The test/operator handle on a running sandbox: faults, latency, counters, data peeks.

Endpoint names (in fault filters and in ``counters().requests``):

- 简道云: the API path after ``/api/v5/``, e.g. ``app/entry/data/batch_create``.
- kintone: ``"METHOD resource"``, resource being the path between ``/k/v1/`` (or
  ``/k/guest/N/v1/``) and ``.json`` and METHOD the one the request runs as (an
  ``X-HTTP-Method-Override`` counts), e.g. ``POST bulkRequest``, ``PUT records``,
  ``GET records``, ``POST records/cursor``, ``GET app/form/fields``. In a fault filter a bare
  resource (``records``, ``bulkRequest``, ``records/cursor``, ``app/form/fields``) stands for
  every method on it. A bulkRequest is one request: its sub-requests are not offered apart.
- 神笔: the action, e.g. ``CreateEntityRecords``, ``DescribeEntityRecords``.
- iPaaS gateway: ``ipaas/gateway``. The flow's own 神笔 calls behind it are neither counted nor
  offered faults.

Peak concurrency: ``counters().max_in_flight`` is the most requests the server was handling at
once (from arrival to the moment the answer is handed to the server; refused ones included)
since start or the last ``reset_counters()``. A server only sees a request after the client
sent it and lets go of it before the client has read the answer, so the peak never exceeds the
client's own concurrency, except when a request the client gave up on (a held "timeout" fault)
is still being held.

Faults injected: ``counters().faults`` counts each kind (FAULT_KINDS: "ratelimit", "5xx",
"timeout", "drop", "malformed", "html", "partial") as it is picked for a request, so a fault
test can prove its faults happened.

Held requests: a request given the "timeout" fault is held from the moment the fault is picked
until the sandbox has applied it (or dropped it unapplied: ``timeout_apply="never"``, or the
server stopping). ``held()`` counts them and ``wait_landed(timeout)`` blocks until none is
left, so a test waits for late writes to land instead of sleeping. It sees only requests the
server has picked a fault for: a client that timed out has sent its request, but check
``counters().faults["timeout"]`` to know the server got that far.

Thread-safe: the server's event loop and the caller's thread both use it.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

# every backend's sandbox injects these (Control.pick_fault); "partial" only where a batch
# can half-succeed (PARTIAL_ENDPOINTS)
FAULT_KINDS = ("ratelimit", "5xx", "timeout", "drop", "malformed", "html", "partial")


class Wire(Protocol):
    """A backend's endpoints as its registration declares them (``SandboxSpec``)."""

    @property
    def endpoints(self) -> frozenset[str]: ...
    @property
    def write_endpoints(self) -> frozenset[str]: ...
    @property
    def partial_endpoints(self) -> frozenset[str]: ...


class _AnyBackend:
    """Every registered backend's endpoints at once (a Control made without its backend)."""

    @property
    def endpoints(self) -> frozenset[str]:
        from .registry import all_endpoints
        return all_endpoints()

    @property
    def write_endpoints(self) -> frozenset[str]:
        from .registry import all_write_endpoints
        return all_write_endpoints()

    @property
    def partial_endpoints(self) -> frozenset[str]:
        from .registry import all_partial_endpoints
        return all_partial_endpoints()


@dataclass(frozen=True, slots=True)
class Counters:
    """A snapshot of the server-side counters since start or the last ``reset_counters()``."""

    requests: dict[str, int]  # endpoint -> requests routed to it (rejected ones included)
    rate_limited: dict[str, int]  # endpoint -> requests refused by the rate limiter (8303/8304)
    concurrency_rejected: int  # requests refused with HTTP 429
    auth_failures: int
    max_in_flight: int  # peak of requests being handled at once (429-refused ones included)
    faults: dict[str, int]  # fault kind -> times injected
    held: int = 0  # "timeout"-held requests not yet applied or dropped (now, not a total)

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())


def parse_fault_kinds(kinds: Iterable[str] | str) -> tuple[str, ...]:
    """Validate fault kind names (a comma-separated string or an iterable)."""
    if isinstance(kinds, str):
        kinds = [k for k in (p.strip() for p in kinds.split(",")) if k]
    result = tuple(dict.fromkeys(kinds))
    unknown = [k for k in result if k not in FAULT_KINDS]
    if unknown:
        raise ValueError(f"unknown fault kind(s): {', '.join(unknown)}; "
                         f"known: {', '.join(FAULT_KINDS)}")
    return result


class Control:
    def __init__(self, *, seed: int = 1, latency_ms: float = 0.0,
                 faults: Iterable[str] = (), fault_rate: float = 0.0,
                 fault_scope: str = "writes", wire: Wire | None = None) -> None:
        self._wire: Wire = wire if wire is not None else _AnyBackend()
        self._lock = threading.Lock()
        self._landed = threading.Condition(self._lock)  # notified when held drops to 0
        self._held = 0
        self._rng = random.Random(seed)
        self._latency_ms = 0.0
        self._kinds: tuple[str, ...] = ()
        self._rate = 0.0
        self._scope = "writes"
        self._endpoints: frozenset[str] | None = None
        self._cards_by_student: Callable[[], dict[str, int]] | None = None
        self._records: Callable[[str], list[dict[str, Any]]] | None = None
        self._zero()
        self.set_latency(latency_ms)
        self.set_faults(faults, fault_rate, scope=fault_scope)

    def _zero(self) -> None:
        self._requests: Counter[str] = Counter()
        self._rate_limited: Counter[str] = Counter()
        self._faults: Counter[str] = Counter()
        self._concurrency_rejected = 0
        self._auth_failures = 0
        self._in_flight = 0
        self._max_in_flight = 0

    def attach(self, cards_by_student: Callable[[], dict[str, int]],
               records: Callable[[str], list[dict[str, Any]]]) -> None:
        """Connect the data peeks to the backend's store (done once, by the sandbox)."""
        self._cards_by_student = cards_by_student
        self._records = records

    # ------------------------------------------------------------------ settings

    def set_faults(self, kinds: Iterable[str] | str, rate: float, *, scope: str | None = None,
                   endpoints: Iterable[str] | None = None) -> None:
        """Inject a random fault of ``kinds`` into ``rate`` (0..1) of the eligible requests.

        ``scope``: "writes" (write endpoints only) or "all"; unchanged when None.
        ``endpoints``: further restrict faults to these endpoints (names as in the module
        docstring: "app/entry/data/batch_create", "POST bulkRequest", "records"…); None means
        every endpoint in scope. Unknown names are refused (ValueError), so a typo cannot
        quietly switch faults off.
        """
        parsed = parse_fault_kinds(kinds)
        if not 0.0 <= rate <= 1.0:
            raise ValueError("fault rate must be within 0..1")
        if scope is not None and scope not in ("writes", "all"):
            raise ValueError("fault scope must be 'writes' or 'all'")
        if isinstance(endpoints, str):
            endpoints = [endpoints]
        if endpoints is not None:
            endpoints = list(endpoints)
            known = self._wire.endpoints
            unknown = [e for e in endpoints if e not in known]
            if unknown:
                raise ValueError(f"unknown endpoint(s): {', '.join(unknown)}; "
                                 f"known: {', '.join(sorted(known))}")
        with self._lock:
            self._kinds, self._rate = parsed, float(rate)
            if scope is not None:
                self._scope = scope
            self._endpoints = None if endpoints is None else frozenset(endpoints)

    def clear_faults(self) -> None:
        self.set_faults((), 0.0)

    def set_latency(self, ms: float) -> None:
        if ms < 0:
            raise ValueError("latency must be >= 0")
        with self._lock:
            self._latency_ms = float(ms)

    @property
    def latency_ms(self) -> float:
        with self._lock:
            return self._latency_ms

    @property
    def faults(self) -> tuple[tuple[str, ...], float, str]:
        """(kinds, rate, scope) as currently set."""
        with self._lock:
            return self._kinds, self._rate, self._scope

    # ------------------------------------------------------------------ used by the server

    def pick_fault(self, endpoint: str) -> str | None:
        """The fault to inject into this request, if any (seeded RNG), counted by kind.

        A "timeout" makes the request held: the caller must call :meth:`land` once the held
        request is applied or dropped (in a ``finally``), or ``wait_landed`` never returns True.
        """
        with self._lock:
            if not self._kinds or self._rate <= 0.0:
                return None
            if self._scope == "writes" and endpoint not in self._wire.write_endpoints:
                return None
            if self._endpoints is not None and not self._targets(endpoint, self._endpoints):
                return None
            partial = self._wire.partial_endpoints
            eligible = [k for k in self._kinds if k != "partial" or endpoint in partial]
            if not eligible or self._rng.random() >= self._rate:
                return None
            kind = eligible[int(self._rng.random() * len(eligible))]
            self._faults[kind] += 1
            if kind == "timeout":
                self._held += 1
            return kind

    def land(self) -> None:
        """A held request (a "timeout" picked by pick_fault) was applied or dropped."""
        with self._landed:
            if self._held <= 0:
                raise RuntimeError("land() without a held request")
            self._held -= 1
            if self._held == 0:
                self._landed.notify_all()

    @staticmethod
    def _targets(endpoint: str, chosen: frozenset[str]) -> bool:
        """``endpoint`` is chosen by name, or (kintone) by its resource without the method."""
        if endpoint in chosen:
            return True
        method, _, resource = endpoint.partition(" ")
        return bool(resource) and method.isupper() and resource in chosen

    def random(self) -> float:
        with self._lock:
            return self._rng.random()

    def enter(self, endpoint: str) -> None:
        with self._lock:
            self._requests[endpoint] += 1
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight

    def held(self) -> int:
        """Requests held by a "timeout" fault and not yet applied or dropped."""
        with self._lock:
            return self._held

    def wait_landed(self, timeout: float) -> bool:
        """Block until no held request is pending (each applied or dropped): True, or False
        if some are still held after ``timeout`` seconds. Returns at once when none is held.
        """
        with self._landed:
            return self._landed.wait_for(lambda: self._held == 0, timeout)

    def note_rate_limited(self, endpoint: str) -> None:
        with self._lock:
            self._rate_limited[endpoint] += 1

    def note_concurrency_rejected(self) -> None:
        with self._lock:
            self._concurrency_rejected += 1

    def note_auth_failure(self) -> None:
        with self._lock:
            self._auth_failures += 1

    # ------------------------------------------------------------------ reading

    def counters(self) -> Counters:
        with self._lock:
            return Counters(dict(self._requests), dict(self._rate_limited),
                            self._concurrency_rejected, self._auth_failures,
                            self._max_in_flight, dict(self._faults), self._held)

    def reset_counters(self) -> None:
        with self._lock:
            in_flight = self._in_flight
            self._zero()
            self._in_flight = in_flight
            self._max_in_flight = in_flight

    def cards_by_student(self) -> dict[str, int]:
        """学号 -> number of card records for that student, read from the cards form."""
        if self._cards_by_student is None:
            raise RuntimeError("this backend has no card store")
        return self._cards_by_student()

    def records(self, form: str) -> list[dict[str, Any]]:
        """Every record of ``form`` ("students" or "cards") as a read would return it."""
        if self._records is None:
            raise RuntimeError("this backend has no record store")
        return self._records(form)
