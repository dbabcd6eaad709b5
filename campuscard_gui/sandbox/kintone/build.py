"""Building the kintone sandbox over the demo school (``SANDBOX.build``)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from ...core.demo import generate_school
from ..control import Control
from ..registry import settings_for
from ..server import ConnectionRegistry
from .app import KintoneApp
from .settings import KintoneSettings
from .store import KintoneStore


def build(*, students: int, seed: int, control: Control, api_key: str,
                   settings: Any, with_cards: bool, registry: ConnectionRegistry
                   ) -> tuple[KintoneApp, Callable[[str], dict[str, str]]]:
    k_settings = settings_for("kintone", settings, KintoneSettings)
    store = KintoneStore(generate_school(students, seed), k_settings, with_cards=with_cards)
    control.attach(store.cards_by_student, store.records)
    tokens = {k_settings.students_app: secrets.token_urlsafe(30),
              k_settings.cards_app: secrets.token_urlsafe(30)}
    app = KintoneApp(store, control, tokens, api_key, k_settings, registry.abort)

    def info(url: str) -> dict[str, str]:
        space = k_settings.guest_space
        return {"base_url": url, "app_id": "", "students_entry_id": "", "cards_entry_id": "",
                "students_app": str(k_settings.students_app),
                "cards_app": str(k_settings.cards_app),
                "students_token": tokens[k_settings.students_app],
                "cards_token": tokens[k_settings.cards_app], "user": k_settings.user,
                "password": api_key, "guest_space": "" if space is None else str(space)}

    return app, info
