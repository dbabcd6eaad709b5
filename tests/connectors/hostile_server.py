"""A tiny misbehaving HTTP server on 127.0.0.1 (raw sockets, a thread per connection) for the
hostile-answer tests and ``tests/bench/bench_hostile.py``. Whatever the request, it answers in
one ``mode``:

- ``deep``: HTTP 200 and a JSON body nested ``depth`` deep (100,000 by default);
- ``huge``: HTTP 200 and a chunked body of ``size`` bytes (400 MB by default), produced lazily
  from one 64 KB block as fast as the client reads — never built in memory;
- ``huge_length``: the same with ``Content-Length: size`` announced up front;
- ``drip``: HTTP 200, ``Content-Length`` of 10,000, then one byte every ``interval`` s;
- ``drip_headers``: the status line, then the headers one byte every ``interval`` s;
- ``lie``: ``Content-Length: 1000`` and a 12-byte JSON body, then the connection closed;
- ``cut``: a chunked body cut off in the middle of a chunk;
- ``ok``: HTTP 200 and ``{}``.

``requests`` counts the requests read, ``sent`` the bytes written. ``stop()`` ends every
connection's thread (a drip stops at once) and closes the listening socket.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

BLOCK = b"x" * 65536
MODES = ("deep", "huge", "huge_length", "drip", "drip_headers", "lie", "cut", "ok")


class HostileServer:
    def __init__(self, mode: str, *, depth: int = 100_000, size: int = 400 * 1024 * 1024,
                 interval: float = 0.1) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        self.mode = mode
        self.depth = depth
        self.size = size
        self.interval = interval
        self._lock = threading.Lock()
        self.requests = 0
        self.sent = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, name="hostile-accept",
                                           daemon=True)
        self._accepting.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._accepting.join(5)
        self._listener.close()
        for t in self._threads:
            t.join(5)

    # -- serving -----------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            t = threading.Thread(target=self._serve, args=(conn,), name="hostile-conn",
                                 daemon=True)
            self._threads.append(t)
            t.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                while not self._stop.is_set() and self._read_request(conn):
                    with self._lock:
                        self.requests += 1
                    if not self._answer(conn):
                        return
            except OSError:  # the client gave up (the point of most modes)
                return

    def _read_request(self, conn: socket.socket) -> bool:
        data = b""
        while b"\r\n\r\n" not in data:
            part = conn.recv(65536)
            if not part:
                return False
            data += part
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            part = conn.recv(65536)
            if not part:
                return False
            body += part
        return True

    def _send(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)
        with self._lock:
            self.sent += len(data)

    def _answer(self, conn: socket.socket) -> bool:
        """Answer one request; True when the connection may carry another."""
        mode = self.mode
        json_head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        if mode == "ok":
            self._send(conn, json_head + b"Content-Length: 2\r\n\r\n{}")
            return True
        if mode == "deep":
            body = b'{"a":' * self.depth + b"1" + b"}" * self.depth
            self._send(conn, json_head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
            return True
        if mode in ("huge", "huge_length"):
            chunked = mode == "huge"
            head = b"Transfer-Encoding: chunked\r\n\r\n" if chunked \
                else b"Content-Length: %d\r\n\r\n" % self.size
            self._send(conn, json_head + head)
            frame = b"%x\r\n" % len(BLOCK) + BLOCK + b"\r\n" if chunked else BLOCK
            left = self.size
            while left >= len(BLOCK) and not self._stop.is_set():
                self._send(conn, frame)
                left -= len(BLOCK)
            return False
        if mode == "drip":
            self._send(conn, json_head + b"Content-Length: 10000\r\n\r\n")
            for _ in range(10000):
                if self._stop.wait(self.interval):
                    return False
                self._send(conn, b" ")
            return False
        if mode == "drip_headers":
            self._send(conn, b"HTTP/1.1 200 OK\r\n")
            for _ in range(10000):
                if self._stop.wait(self.interval):
                    return False
                self._send(conn, b"X")
            return False
        if mode == "lie":
            self._send(conn, json_head + b"Content-Length: 1000\r\n\r\n" + b'{"code": 0, ')
            conn.shutdown(socket.SHUT_RDWR)
            return False
        # cut: a chunk announced as 4 KB, 10 bytes of it sent, then the connection closed
        self._send(conn, json_head + b"Transfer-Encoding: chunked\r\n\r\n1000\r\n"
                   + b'{"code": 0,')
        conn.shutdown(socket.SHUT_RDWR)
        return False
