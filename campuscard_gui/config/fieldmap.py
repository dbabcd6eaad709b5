"""Which backend field holds what, and which option label means which status.

Every remote profile carries one FieldMap: the students form's fields (学号, 姓名, 学院, 班级,
学籍状态), the cards form's fields (the seed's studentInfo, openTime, amount, status) and the
option labels a school uses (one may say 停用 for 冻结). Stored in the profile's options as
plain JSON; nothing here is secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from ..core.errors import ConfigError
from ..core.model import CardStatus, StudentStatus
from ..core.text import _

STUDENT_KEYS = ("student_no", "name", "college", "class_name", "student_status")
CARD_KEYS = ("card_student", "card_open_time", "card_amount", "card_status")


def _student_labels() -> dict[StudentStatus, str]:
    return {s: s.value for s in StudentStatus}


def _card_labels() -> dict[CardStatus, str]:
    return {s: s.value for s in CardStatus if s is not CardStatus.NONE}


_Status = TypeVar("_Status", StudentStatus, CardStatus)


def _read_labels(raw: dict[Any, Any], key: str, enum: type[_Status],
                 target: dict[_Status, str]) -> None:
    """Put the stored option labels under ``raw[key]`` (canonical status -> label) in ``target``."""
    labels = raw.get(key)
    if labels is None:
        return
    if not isinstance(labels, dict):
        raise ConfigError(_("选项对应“{key}”格式不正确").format(key=key))
    for canonical, text in labels.items():
        try:
            status = enum(canonical)
        except ValueError:
            raise ConfigError(_("未知的状态“{canonical}”").format(canonical=canonical)) from None
        if not isinstance(text, str) or not text:
            raise ConfigError(_("状态“{canonical}”的选项文字不能为空").format(canonical=canonical))
        target[status] = text


@dataclass(slots=True)
class FieldMap:
    student_no: str = "student_no"
    name: str = "name"
    college: str = "college"
    class_name: str = "class_name"
    student_status: str = "student_status"
    card_student: str = "studentInfo"
    card_open_time: str = "openTime"
    card_amount: str = "amount"
    card_status: str = "status"
    student_status_labels: dict[StudentStatus, str] = field(default_factory=_student_labels)
    card_status_labels: dict[CardStatus, str] = field(default_factory=_card_labels)

    def student_fields(self) -> list[str]:
        """The students form's mapped fields (学号, 姓名, 学院, 班级, 学籍状态)."""
        return [getattr(self, k) for k in STUDENT_KEYS]

    def card_fields(self) -> list[str]:
        """The cards form's mapped fields (学生, 开通时间, 余额, 卡状态)."""
        return [getattr(self, k) for k in CARD_KEYS]

    def student_status_of(self, label: str) -> StudentStatus | None:
        for status, text in self.student_status_labels.items():
            if text == label:
                return status
        return None

    def card_status_of(self, label: str) -> CardStatus | None:
        for status, text in self.card_status_labels.items():
            if text == label:
                return status
        return None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: getattr(self, k) for k in STUDENT_KEYS + CARD_KEYS}
        out["student_status_labels"] = {s.value: t for s, t in self.student_status_labels.items()}
        out["card_status_labels"] = {s.value: t for s, t in self.card_status_labels.items()}
        return out

    @classmethod
    def from_json(cls, raw: object) -> FieldMap:
        fm = cls()
        if raw is None:
            return fm
        if not isinstance(raw, dict):
            raise ConfigError(_("字段对应配置格式不正确"))
        names = {f.name for f in fields(cls)}
        for key in STUDENT_KEYS + CARD_KEYS:
            value = raw.get(key)
            if value is not None:
                if not isinstance(value, str) or not value.strip():
                    raise ConfigError(_("字段对应“{key}”必须是非空文本").format(key=key))
                setattr(fm, key, value.strip())
        _read_labels(raw, "student_status_labels", StudentStatus, fm.student_status_labels)
        _read_labels(raw, "card_status_labels", CardStatus, fm.card_status_labels)
        unknown = set(raw) - names
        if unknown:
            raise ConfigError(_("字段对应中有未知项：{value}").format(
                value=_('、').join(sorted(unknown))))
        return fm

    def set(self, key: str, value: str) -> None:
        """Set one mapping from ``KEY=FIELD`` input (CLI --map, profile dialog)."""
        if key not in STUDENT_KEYS + CARD_KEYS:
            raise ConfigError(
                _("未知的字段“{key}”（可用：{value}）").format(
                    key=key, value=_('、').join(STUDENT_KEYS + CARD_KEYS)))
        if not value.strip():
            raise ConfigError(_("字段“{key}”的对应不能为空").format(key=key))
        setattr(self, key, value.strip())
