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

Every request goes through :func:`exchange`, which bounds what a server can make us do
(:class:`AnswerLimits`): the body is streamed and dropped as soon as it passes ``max_bytes``
(a Content-Length above it is refused before reading), and the whole request — connect, send,
headers, body — ends at ``deadline_s``, however slowly the server drips its bytes (httpx's
timeouts are per read). Parsing the body (``common.json_object``) is bounded too.
"""

from __future__ import annotations

import threading
import time
import typing
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpcore
import httpx

from ..core.errors import AmbiguousError, ConnectorError, FatalError, RetryableError
from ..core.text import _
from .common import note_write_sent

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
                        follow_redirects=False,
                        transport=transport if transport is not None
                        else DeadlineTransport(limits))


# -- the whole-request deadline ------------------------------------------------------------

_deadline = threading.local()  # .at: the monotonic time the running request must end by


def _left(timeout: float | None, late: type[Exception]) -> float | None:
    """``timeout`` shortened to what is left of this thread's request deadline; ``late``
    (an httpcore timeout) once it has passed."""
    at: float | None = getattr(_deadline, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise late("deadline")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write waits no longer than the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: typing.Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(
            ssl_context, server_hostname, _left(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, every wait bounded by the calling thread's request deadline
    (the sync client does all of a request's I/O on the thread that sends it)."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: typing.Iterable[typing.Any] | None = None
                    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_tcp(
            host, port, _left(timeout, httpcore.ConnectTimeout), local_address,
            socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: typing.Iterable[typing.Any] | None = None
                            ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_unix_socket(
            path, _left(timeout, httpcore.ConnectTimeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport on :class:`_DeadlineBackend`, so that :func:`exchange`'s deadline
    holds for a server that drips its headers or body a byte at a time. (Through a proxy
    from the environment httpx mounts its own transport: there the deadline is checked
    between the body's chunks, so it may be passed by up to one read timeout.)"""

    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_DeadlineBackend())


# -- one bounded request ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AnswerLimits:
    """What one request may cost: ``max_bytes`` of body, ``deadline_s`` seconds in all."""

    max_bytes: int
    deadline_s: float

    @classmethod
    def of(cls, max_answer_mb: float, request_deadline_s: float,
           timeout_s: float) -> AnswerLimits:
        """From a profile's options: a deadline of 0 is twice the per-read timeout."""
        deadline = request_deadline_s if request_deadline_s > 0 else 2 * timeout_s
        return cls(int(max_answer_mb * 1024 * 1024), deadline)


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer read in full within its limits: what the answer tables look at."""

    status_code: int
    headers: httpx.Headers
    content: bytes


class _TooLarge(Exception):
    pass


class _Late(Exception):
    pass


def exchange(client: httpx.Client, method: str, url: str, *, limits: AnswerLimits,
             write: bool, service: str, content: bytes | None = None,
             headers: Mapping[str, str] | None = None,
             auth: httpx.Auth | None = None) -> Answer:
    """Send one request and read its answer within ``limits``, or raise a ConnectorError:

    - a transport failure as :func:`transport_error` says;
    - ``code="deadline"``: not answered in full within ``deadline_s`` — for a write
      AmbiguousError (it may have been applied: the runner reads back), for a read
      RetryableError; a deadline passed before the request left is RetryableError;
    - ``code="too_large"``: the body passed ``max_bytes`` — for a write AmbiguousError, for a
      read FatalError: the same request brings the same answer again, and retrying it for the
      whole read budget would only delay what the operator has to do (check the address, or
      raise max_answer_mb).

    The messages name the limit, never the server's words or headers.
    """
    failure: ConnectorError | None = None
    answer: Answer | None = None
    end = time.monotonic() + limits.deadline_s
    outer = getattr(_deadline, "at", None)
    _deadline.at = end if outer is None else min(outer, end)
    if write:
        note_write_sent()
    try:
        with client.stream(method, url, content=content, headers=headers,
                           auth=auth if auth is not None else httpx.USE_CLIENT_DEFAULT
                           ) as response:
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > limits.max_bytes:
                raise _TooLarge
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limits.max_bytes:
                    raise _TooLarge
                if time.monotonic() > end:  # a transport without the deadline backend
                    raise _Late
            answer = Answer(response.status_code, response.headers, bytes(body))
    except _TooLarge:
        failure = _too_large(limits, write, service)
    except _Late:
        failure = _late(limits, write, service, sent=True)
    except httpx.HTTPError as exc:
        if time.monotonic() >= end - 1e-3:
            never_left = isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError
                                    | httpx.PoolTimeout)
            failure = _late(limits, write, service, sent=not never_left)
        else:
            failure = transport_error(exc, write=write, service=service)
    finally:
        _deadline.at = outer
    if failure is not None:  # raised here, outside the except: no chained httpx error
        raise failure
    assert answer is not None
    return answer


def _too_large(limits: AnswerLimits, write: bool, service: str) -> ConnectorError:
    mb = f"{limits.max_bytes / (1024 * 1024):g}"
    text = (_("{service}的应答超过 {mb} MB，已停止接收：请检查配置中的服务器地址，确有需要时调大 m"
              "ax_answer_mb").format(
        service=service, mb=mb))
    if write:
        return AmbiguousError(text + _("；请求可能已生效，正在核对"), code="too_large")
    return FatalError(text, code="too_large")


def _late(limits: AnswerLimits, write: bool, service: str, *, sent: bool) -> ConnectorError:
    text = _("{service}在 {deadline_s:g} 秒内没有给出完整应答（request_deadline_s）").format(
        service=service, deadline_s=limits.deadline_s)
    if write and sent:
        return AmbiguousError(text + _("：请求可能已生效，正在核对"), code="deadline")
    return RetryableError(text, code="deadline")


# -- rate limiting ---------------------------------------------------------------------------

class EndpointRateLimiter:
    """At most ``global_rate`` requests per window in total and ``rate`` per window for each
    endpoint (``add``); a window is 1 s plus ``margin_s``.

    Sliding windows, as the server's are assumed to be (the spec leaves the window type open;
    a sliding-window client also satisfies a fixed-window server). A request is granted only
    at the moment it may leave, under one lock, so every queue stays sorted and concurrent
    callers never over-book; a caller that must wait sleeps outside the lock and asks again.
    Nothing is reserved ahead: a read is never held behind writes booked for later (a single
    timeline of future reservations made every read wait for the last paced write).
    ``margin_s`` absorbs the jitter between our send time and the server's arrival time, so
    the client reaches the ceiling without tripping it. A ``paced`` endpoint's requests are
    also spread evenly, ``window / rate`` apart, instead of leaving in bursts: requests that
    leave together reach the server with more spread between them than ``margin_s`` covers.
    """

    def __init__(self, global_rate: int, *, margin_s: float = 0.03,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.window = 1.0 + max(0.0, margin_s)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._global: deque[float] | None = (
            deque(maxlen=int(global_rate)) if global_rate > 0 else None)
        self._endpoints: dict[str, deque[float]] = {}
        self._spacing: dict[str, float] = {}

    def add(self, endpoint: str, rate: int, *, paced: bool = False) -> None:
        """Limit ``endpoint`` to ``rate`` requests per window (0 = only the global limit);
        ``paced``: its requests at least ``window / rate`` apart."""
        with self._lock:
            self._spacing.pop(endpoint, None)
            if rate > 0:
                self._endpoints[endpoint] = deque(maxlen=int(rate))
                if paced:
                    self._spacing[endpoint] = self.window / rate
            else:
                self._endpoints.pop(endpoint, None)

    def _free_at(self, endpoint: str) -> float:
        """The earliest time a request to ``endpoint`` may leave (call with the lock)."""
        at = float("-inf")
        own = self._endpoints.get(endpoint)
        for q in (self._global, own):
            if q is not None and q.maxlen is not None and len(q) == q.maxlen:
                at = max(at, q[0] + self.window)
        if own and endpoint in self._spacing:
            at = max(at, own[-1] + self._spacing[endpoint])
        return at

    def acquire(self, endpoint: str) -> float:
        """Wait until a request to ``endpoint`` may be sent; return the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                wait = self._free_at(endpoint) - now
                if wait <= 1e-9:
                    for q in (self._global, self._endpoints.get(endpoint)):
                        if q is not None:
                            q.append(now)
                    return waited
            self._sleep(wait)
            waited += wait


# -- errors ----------------------------------------------------------------------------------

def transport_error(exc: httpx.HTTPError, *, write: bool, service: str) -> ConnectorError:
    """The ConnectorError for an httpx exception (see the module doc). The message names only
    the kind of failure: no URL parameters, no headers, no text from the exception."""
    kind = type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError | httpx.PoolTimeout
                  | httpx.ProxyError):
        return RetryableError(
            _("无法连接{service}服务器（{kind}）：请检查网络、代理和服务器地址").format(
                service=service, kind=kind), code="network")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FatalError(_("{service}服务器地址无效（{kind}）：请检查配置中的地址").format(
            service=service, kind=kind),
                          code="config")
    if isinstance(exc, httpx.LocalProtocolError):  # we built a request httpx refuses: a bug
        return FatalError(_("发往{service}的请求无效（{kind}）").format(
            service=service, kind=kind), code="bad_request")
    timeout = isinstance(exc, httpx.TimeoutException)
    code = "timeout" if timeout else "network"
    what = _("等待应答超时") if timeout else _("连接在请求发出后中断")
    if write:
        return AmbiguousError(
            _("{service}{what}（{kind}）：请求可能已生效，正在核对").format(
                service=service, what=what, kind=kind), code=code)
    return RetryableError(_("{service}{what}（{kind}）").format(
        service=service, what=what, kind=kind), code=code)


def retry_after_seconds(response: httpx.Response | Answer, default: float) -> float:
    """The Retry-After header in seconds when it is a number, else ``default``."""
    value = response.headers.get("retry-after", "")
    try:
        seconds = float(value)
    except ValueError:
        return default
    return seconds if 0 <= seconds <= 300 else default
