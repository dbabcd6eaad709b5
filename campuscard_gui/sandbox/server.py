"""Serve an ASGI sandbox app with uvicorn on a background thread.

uvicorn's h11 protocol is subclassed only to keep a map ``client address -> transport``, so
the app can drop a connection without answering (the "drop" fault): asyncio's
``Transport.abort()`` closes it at once, optionally with SO_LINGER 0 so the peer gets a RST.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import struct
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

ASGIApp = Callable[..., Any]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ConnectionRegistry:
    """Open connections by client address; used on the server's event loop only."""

    def __init__(self) -> None:
        self._transports: dict[tuple[Any, ...], asyncio.Transport] = {}

    def protocol_class(self) -> type[H11Protocol]:
        registry = self._transports

        class _Protocol(H11Protocol):
            def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
                super().connection_made(transport)
                if self.client:
                    registry[tuple(self.client)] = transport

            def connection_lost(self, exc: Exception | None) -> None:
                if self.client:
                    registry.pop(tuple(self.client), None)
                super().connection_lost(exc)

        return _Protocol

    def abort(self, client: Any, reset: bool = False) -> bool:
        """Close the connection of ``client`` (scope["client"]) without a response."""
        transport = self._transports.get(tuple(client)) if client else None
        if transport is None:
            return False
        if reset:
            sock = transport.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
        return True


class ServerThread:
    """uvicorn on a daemon thread, bound to ``host:port`` (0: any free port)."""

    def __init__(self, app: ASGIApp, registry: ConnectionRegistry, host: str = "127.0.0.1",
                 port: int = 0, on_stop: Callable[[], None] | None = None) -> None:
        if not is_loopback(host):
            raise ValueError(f"沙箱只能监听本机回环地址，拒绝 {host}")
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # proto IPPROTO_TCP: asyncio then sets TCP_NODELAY on accepted connections
        self._sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._sock.bind((host, port))
            self._sock.listen(128)
        except OSError:
            self._sock.close()
            raise
        self.host = host
        self.port: int = self._sock.getsockname()[1]
        config = uvicorn.Config(
            app, http=registry.protocol_class(), ws="none", lifespan="off", loop="asyncio",
            log_config=None, log_level="warning", access_log=False,
            timeout_graceful_shutdown=2, server_header=False,
            # no automatic Date: an app that states its time (神笔's clock, for the
            # clock-skew explanation) sets the header itself
            date_header=False,
        )
        self._server = uvicorn.Server(config)
        self._on_stop = on_stop
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"campuscard-sandbox-{self.port}",
                                        daemon=True)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def _run(self) -> None:
        try:
            self._server.run(sockets=[self._sock])
        except BaseException as exc:  # noqa: BLE001 - reported to the starting thread
            self._error = exc

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                self._sock.close()
                raise RuntimeError("沙箱服务器启动失败") from self._error
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError("沙箱服务器启动超时")
            time.sleep(0.01)

    def stop(self, timeout: float = 10.0) -> None:
        if self._on_stop is not None:
            self._on_stop()
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._sock.close()
