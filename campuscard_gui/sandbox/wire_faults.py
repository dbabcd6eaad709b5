"""What a faulty server looks like on the wire, shared by every sandbox backend: a gateway's
HTML 502 page, a request held past the client's timeout, and a connection dropped without an
answer (after the write was applied)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

HTML_502 = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
            "</body>\r\n</html>\r\n")

Aborter = Callable[[Any, bool], bool]  # (scope["client"], reset) -> connection found and closed


def gateway_502() -> Response:
    return Response(HTML_502, status_code=502, media_type="text/html")


class Dropped(Response):
    """No response at all: the connection was aborted; wait for the server to notice."""

    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass


async def hold(stopping: threading.Event, seconds: float) -> bool:
    """Sleep ``seconds`` without blocking the loop; True if the server stops meanwhile."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while not stopping.is_set():
        left = end - loop.time()
        if left <= 0:
            return False
        await asyncio.sleep(min(left, 0.05))
    return True


def drop(aborter: Aborter | None, request: Request, reset: bool) -> Response:
    """Abort the request's connection; without transport access the nearest thing is a 502."""
    if aborter is None or not aborter(request.scope.get("client"), reset):
        return gateway_502()
    return Dropped()
