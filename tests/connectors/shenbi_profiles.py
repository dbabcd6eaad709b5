"""Helpers for the 神笔 and iPaaS connector tests: profile options pointing at a sandbox."""

from __future__ import annotations

from typing import Any

from campuscard_gui.sandbox import SandboxInfo


def shenbi_options(sb: SandboxInfo, **extra: Any) -> dict[str, Any]:
    return {"base_url": sb.base_url, "app_code": sb.app_code,
            "students_object": sb.students_object, "cards_object": sb.cards_object,
            "service": sb.service, "version": sb.version, **extra}


def ipaas_options(sb: SandboxInfo, **extra: Any) -> dict[str, Any]:
    options: dict[str, Any] = {"gateway_url": sb.gateway_url, "read_profile": "shenbi"}
    if sb.gateway_token:
        options["token_header"] = "X-Gateway-Token"
    options.update(extra)
    return options
