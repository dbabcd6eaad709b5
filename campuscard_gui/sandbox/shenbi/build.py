"""Building the 神笔 (and its iPaaS gateway) sandbox over the demo school (``SANDBOX.build``)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from ...core.demo import generate_school
from ..control import Control
from ..ipaas.app import IpaasGateway
from ..registry import settings_for
from ..server import ConnectionRegistry
from .app import ShenbiApp
from .settings import ShenbiSettings
from .store import ShenbiStore


def build(*, students: int, seed: int, control: Control, api_key: str,
                  settings: Any, with_cards: bool, registry: ConnectionRegistry,
                  gateway: bool = False) -> tuple[ShenbiApp, Callable[[str], dict[str, str]]]:
    s = settings_for("shenbi/ipaas", settings, ShenbiSettings)
    s.validate()
    store = ShenbiStore(generate_school(students, seed), s, with_cards=with_cards)
    control.attach(store.cards_by_student, store.records)
    secret_id = s.secret_id or f"AKID{secrets.token_hex(16)}"
    flow_id = f"AKIDflow{secrets.token_hex(12)}"  # the flow's own SecretId, used in process
    credentials = {secret_id: api_key, flow_id: secrets.token_hex(16)}
    base_path = s.base_path if s.base_path is not None else (
        "/shenbi-ipaas" if gateway else "/shenbi")
    app = ShenbiApp(store, control, credentials, s, base_path, registry.abort)
    token = ""
    if gateway:
        token = secrets.token_urlsafe(24) if s.gateway_token is None else s.gateway_token
        app.add_route(IpaasGateway(app, flow_id, token).route)

    def info(url: str) -> dict[str, str]:
        base = f"{url}{base_path}"
        return {"base_url": base, "app_id": "", "students_entry_id": "", "cards_entry_id": "",
                "app_code": s.app_code, "students_object": s.students_object,
                "cards_object": s.cards_object, "secret_id": secret_id, "secret_key": api_key,
                "service": s.service, "version": s.version,
                "gateway_url": f"{base}/ipaas/gateway/{s.gateway_flow}" if gateway else "",
                "gateway_token": token}

    return app, info


def build_gateway(**kw: Any) -> tuple[ShenbiApp, Callable[[str], dict[str, str]]]:
    return build(**kw, gateway=True)
