"""简道云 emulator: the tenant's shape — ids, the app, its two forms and their widgets."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

APP_ID = "665f0c1a2b3c4d5e6f700001"  # fixed, so a profile pointing at the sandbox survives restarts
STUDENTS_ENTRY_ID = "665f0c1a2b3c4d5e6f700002"
CARDS_ENTRY_ID = "665f0c1a2b3c4d5e6f700003"
SEED_EPOCH_S = 1_724_112_000  # 2024-08-20T00:00:00Z: seeded records' ids and createTime
ADMIN = {"name": "沙箱管理员", "username": "sandbox_admin", "status": 1, "type": 0,
         "departments": [1], "integrate_id": "sandbox_admin"}
MEMBERS = {ADMIN["username"]: ADMIN}
STUDENT_STATUSES = ("在读", "休学", "退学", "毕业")
CARD_STATUSES = ("正常", "冻结", "注销")
SYS_WIDGETS = ("creator", "updater", "createTime", "updateTime", "flowState", "ext")


class JdyError(Exception):
    """A business error: answered as HTTP ``status`` with ``{"code", "msg"}``."""

    def __init__(self, code: int, msg: str, status: int = 400) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg
        self.status = status


@dataclass(frozen=True, slots=True)
class Widget:
    widget_name: str  # _widget_<digits>
    alias: str
    label: str
    type: str
    options: tuple[str, ...] = ()


@dataclass(slots=True)
class Form:
    app_id: str
    entry_id: str
    name: str
    widgets: tuple[Widget, ...]
    use_aliases: bool
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    data_modify_time: str = ""
    by_key: dict[str, Widget] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for w in self.widgets:  # accept the alias and the widget id alike (§8.10)
            self.by_key[w.widget_name] = w
            if self.use_aliases:
                self.by_key[w.alias] = w

    def name_of(self, w: Widget) -> str:
        return w.alias if self.use_aliases else w.widget_name

    def widget_by_alias(self, alias: str) -> Widget:
        return next(w for w in self.widgets if w.alias == alias)


class IdGenerator:
    """24-hex ids: 8 hex of seconds (never going back) + 16 hex of a global counter."""

    def __init__(self) -> None:
        self._last_ts = 0
        self._counter = 0

    def next(self, ts: int | None = None) -> str:
        now = int(time.time()) if ts is None else ts
        self._last_ts = max(self._last_ts, now)
        self._counter += 1
        return f"{self._last_ts:08x}{self._counter:016x}"


def _widgets(base: int, spec: Sequence[tuple[str, str, str, tuple[str, ...]]]
             ) -> tuple[Widget, ...]:
    return tuple(Widget(f"_widget_{base + i}", alias, label, wtype, opts)
                 for i, (alias, label, wtype, opts) in enumerate(spec))


STUDENT_WIDGETS = _widgets(1_700_000_000_101, (
    ("student_no", "学号", "text", ()),
    ("name", "姓名", "text", ()),
    ("college", "学院", "text", ()),
    ("class_name", "班级", "text", ()),
    ("student_status", "学籍状态", "radiogroup", STUDENT_STATUSES),
))
CARD_WIDGETS = _widgets(1_700_000_000_201, (
    ("studentInfo", "学生学号", "text", ()),  # a text field: relation fields are not in the API
    ("openTime", "开通时间", "datetime", ()),
    ("amount", "余额", "number", ()),
    ("status", "状态", "combo", CARD_STATUSES),
))
