"""The 简道云 emulator: v5 API (``app.py``), the forms' records (``store.py``), widgets
(``schema.py``), value rules (``values.py``) and what the spec leaves open (``settings.py``)."""

from __future__ import annotations

from typing import Any

from ..registry import SandboxSpec
from .settings import ENDPOINTS, PARTIAL_ENDPOINTS, WRITE_ENDPOINTS


def _build(**kw: Any) -> Any:
    from .build import build
    return build(**kw)


SANDBOX = SandboxSpec(
    "jiandaoyun", _build, ENDPOINTS, WRITE_ENDPOINTS, PARTIAL_ENDPOINTS,
    line_keys=("base_url", "app_id", "students_entry_id", "cards_entry_id", "api_key"))
