"""The kintone emulator: REST API (``app.py``), the apps' records (``store.py``, ``table.py``),
queries (``query.py``), fields (``schema.py``) and what the spec leaves open
(``settings.py``)."""

from __future__ import annotations

from typing import Any

from ..registry import SandboxSpec
from .settings import ENDPOINTS, WRITE_ENDPOINTS

# faults may also be restricted to a resource whatever the method ("records")
_RESOURCES = frozenset(e.partition(" ")[2] for e in ENDPOINTS)


def _build(**kw: Any) -> Any:
    from .build import build
    return build(**kw)


SANDBOX = SandboxSpec(
    "kintone", _build, ENDPOINTS | _RESOURCES, WRITE_ENDPOINTS,
    line_keys=("base_url", "students_app", "cards_app", "students_token", "cards_token",
               "user", "password", "guest_space"),
    optional_keys=frozenset({"guest_space"}))
