"""Helpers for the kintone connector tests: the sandbox apps' field codes as a profile's field
map, profile options pointing at a sandbox, and raw HTTP access for "someone else" changing
records behind the connector's back."""

from __future__ import annotations

from typing import Any

import httpx

from campuscard_gui.backends.kintone.connector import KintoneAuth
from campuscard_gui.config.fieldmap import FieldMap
from campuscard_gui.sandbox import SandboxInfo

# The sandbox's cards app: 学号 (student_no, unique), 卡状态 (status), 开卡时间, 余额.
FIELDS = FieldMap(card_student="student_no", card_status="status", card_open_time="open_time",
                  card_amount="amount")


def kintone_options(sb: SandboxInfo, **extra: Any) -> dict[str, Any]:
    options: dict[str, Any] = {"base_url": sb.base_url, "students_app": sb.students_app,
                               "cards_app": sb.cards_app, "fields": FIELDS.to_json()}
    if sb.guest_space:
        options["guest_space"] = sb.guest_space
    options.update(extra)
    return options


def token_auth(sb: SandboxInfo) -> KintoneAuth:
    return KintoneAuth(students_token=sb.students_token, cards_token=sb.cards_token)


def raw(sb: SandboxInfo, method: str, resource: str, body: dict[str, Any]) -> httpx.Response:
    """A request as another integration would send it (the cards app's token)."""
    prefix = f"/k/guest/{sb.guest_space}/v1/" if sb.guest_space else "/k/v1/"
    return httpx.request(method, f"{sb.base_url}{prefix}{resource}.json", json=body,
                         headers={"X-Cybozu-API-Token": sb.cards_token}, timeout=10)
