"""The iPaaS gateway emulator: an integration flow behind an HTTP trigger (``app.py``) that
writes to its own 神笔 emulator (``shenbi/build.py`` builds the two together)."""

from __future__ import annotations

from typing import Any

from ..registry import SandboxSpec
from ..shenbi import LINE_KEYS
from ..shenbi.settings import ENDPOINTS, WRITE_ENDPOINTS


def _build(**kw: Any) -> Any:
    from ..shenbi.build import build_gateway
    return build_gateway(**kw)


SANDBOX = SandboxSpec("ipaas", _build, ENDPOINTS, WRITE_ENDPOINTS,
                      line_keys=(*LINE_KEYS, "gateway_url", "gateway_token"))
