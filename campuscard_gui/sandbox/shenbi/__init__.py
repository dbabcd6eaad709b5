"""The 神笔 OpenAPI emulator: signed actions (``app.py``, ``sign.py``), the objects' records
(``store.py``, ``table.py``), filters (``filter.py``), fields (``schema.py``) and what the
spec leaves open (``settings.py``)."""

from __future__ import annotations

from typing import Any

from ..registry import SandboxSpec
from .settings import ENDPOINTS, WRITE_ENDPOINTS

LINE_KEYS = ("base_url", "app_code", "students_object", "cards_object", "secret_id",
             "secret_key", "service", "version")


def _build(**kw: Any) -> Any:
    from .build import build
    return build(**kw)


SANDBOX = SandboxSpec("shenbi", _build, ENDPOINTS, WRITE_ENDPOINTS, line_keys=LINE_KEYS)
