"""Building the 简道云 sandbox over the demo school (``SANDBOX.build``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...core.demo import generate_school
from ..control import Control
from ..registry import settings_for
from ..server import ConnectionRegistry
from .app import JiandaoyunApp
from .schema import APP_ID, CARDS_ENTRY_ID, STUDENTS_ENTRY_ID
from .settings import JdySettings
from .store import JdyStore


def build(*, students: int, seed: int, control: Control, api_key: str,
                      settings: Any, with_cards: bool, registry: ConnectionRegistry
                      ) -> tuple[JiandaoyunApp, Callable[[str], dict[str, str]]]:
    jdy_settings = settings_for("jiandaoyun", settings, JdySettings)
    store = JdyStore(generate_school(students, seed), jdy_settings, with_cards=with_cards)
    forms = {"students": STUDENTS_ENTRY_ID, "cards": CARDS_ENTRY_ID}
    control.attach(store.cards_by_student, lambda form: store.records(forms[form]))
    app = JiandaoyunApp(store, control, api_key, jdy_settings, registry.abort)

    def info(url: str) -> dict[str, str]:
        return {"base_url": f"{url}/api", "app_id": APP_ID,
                "students_entry_id": STUDENTS_ENTRY_ID, "cards_entry_id": CARDS_ENTRY_ID,
                "api_key": api_key}

    return app, info
