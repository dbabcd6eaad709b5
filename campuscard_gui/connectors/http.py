"""HTTP plumbing shared by the remote connectors: the httpx client factory, a client-side rate
limiter (per endpoint plus one across all endpoints) and the classification of transport errors.

Transport errors are classified by exception *type*, never by message text:

- the request certainly never left (connect error, DNS failure, connect/pool timeout, proxy):
  RetryableError — resending cannot duplicate anything;
- the request may have reached the server (read/write timeout, a connection dropped or a
  malformed answer after sending): AmbiguousError for a write (the runner reads back before
  resending), RetryableError for a read (reads are safe to repeat).

Errors raised here never carry the request (whose headers hold the credentials): they are built
from the exception's class alone and raised outside the ``except`` block, so not even
``__context__`` points back at httpx's exception.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

import httpx

from ..core.errors import AmbiguousError, ConnectorError, FatalError, RetryableError

# (base_url, timeout in seconds) -> a client; connectors take one so tests can pass a transport.
ClientFactory = Callable[[str, float], httpx.Client]


def make_client(base_url: str, timeout_s: float, *, max_connections: int = 20,
                transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An httpx client for ``base_url``: connect timeout ≤ 10 s, the rest ``timeout_s``.

    httpx.Client is safe to share between the runner's worker threads. Redirects are not
    followed (a POST must not silently turn into a GET somewhere else) and no proxy settings
    or .netrc credentials are taken from the environment beyond httpx's defaults for proxies.
    """
    timeout = httpx.Timeout(timeout_s, connect=min(10.0, timeout_s), pool=timeout_s)
    limits = httpx.Limits(max_connections=max_connections,
                          max_keepalive_connections=max_connections)
    return httpx.Client(base_url=base_url, timeout=timeout, limits=limits,
                        follow_redirects=False, transport=transport)


# -- rate limiting ---------------------------------------------------------------------------

class EndpointRateLimiter:
    """At most ``global_rate`` requests per window in total and ``rate`` per window for each
    endpoint (``add``); a window is 1 s plus ``margin_s``.

    Sliding windows, as the server's are assumed to be (the spec leaves the window type open;
    a sliding-window client also satisfies a fixed-window server). Each grant is a reservation
    made under one lock on a single non-decreasing timeline, so every endpoint's queue stays
    sorted and concurrent callers never over-book; the caller then sleeps outside the lock.
    ``margin_s`` absorbs the jitter between our send time and the server's arrival time, so
    the client reaches the ceiling without tripping it.
    """

    def __init__(self, global_rate: int, *, margin_s: float = 0.03,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.window = 1.0 + max(0.0, margin_s)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._last = float("-inf")
        self._global: deque[float] | None = (
            deque(maxlen=int(global_rate)) if global_rate > 0 else None)
        self._endpoints: dict[str, deque[float]] = {}

    def add(self, endpoint: str, rate: int) -> None:
        """Limit ``endpoint`` to ``rate`` requests per window (0 = only the global limit)."""
        with self._lock:
            if rate > 0:
                self._endpoints[endpoint] = deque(maxlen=int(rate))
            else:
                self._endpoints.pop(endpoint, None)

    def acquire(self, endpoint: str) -> float:
        """Wait until a request to ``endpoint`` may be sent; return the seconds waited."""
        with self._lock:
            now = self._clock()
            at = max(now, self._last)
            queues = [q for q in (self._global, self._endpoints.get(endpoint)) if q is not None]
            for q in queues:
                if q.maxlen is not None and len(q) == q.maxlen:
                    at = max(at, q[0] + self.window)
            for q in queues:
                q.append(at)
            self._last = at
        wait = at - now
        if wait > 1e-9:
            self._sleep(wait)
            return wait
        return 0.0


# -- errors ----------------------------------------------------------------------------------

def transport_error(exc: httpx.HTTPError, *, write: bool, service: str) -> ConnectorError:
    """The ConnectorError for an httpx exception (see the module doc). The message names only
    the kind of failure: no URL parameters, no headers, no text from the exception."""
    kind = type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError | httpx.PoolTimeout
                  | httpx.ProxyError):
        return RetryableError(
            f"无法连接{service}服务器（{kind}）：请检查网络、代理和服务器地址", code="network")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FatalError(f"{service}服务器地址无效（{kind}）：请检查配置中的地址",
                          code="config")
    if isinstance(exc, httpx.LocalProtocolError):  # we built a request httpx refuses: a bug
        return FatalError(f"发往{service}的请求无效（{kind}）", code="bad_request")
    timeout = isinstance(exc, httpx.TimeoutException)
    code = "timeout" if timeout else "network"
    what = "等待应答超时" if timeout else "连接在请求发出后中断"
    if write:
        return AmbiguousError(
            f"{service}{what}（{kind}）：请求可能已生效，正在核对", code=code)
    return RetryableError(f"{service}{what}（{kind}）", code=code)


def retry_after_seconds(response: httpx.Response, default: float) -> float:
    """The Retry-After header in seconds when it is a number, else ``default``."""
    value = response.headers.get("retry-after", "")
    try:
        seconds = float(value)
    except ValueError:
        return default
    return seconds if 0 <= seconds <= 300 else default
