"""Finding a profile's field map from the backend's forms by the fields' labels — the one way
the profile dialog's 从表单读取字段 / 从应用读取字段 and ``campuscard-cli profiles add`` both do
it (no Qt here).

For each mapped key (学号, 姓名 … 卡状态) the field picked is: the one chosen before when that
field still exists (the dialog's saved choice; the CLI's ``--map``, which always wins), else the
field whose label is one of the key's ``LABEL_HINTS`` (学号 → the field labelled 学号; spaces
and case ignored), else the field with the default name. A key with none of these is not
guessed: ``discover_field_map`` names it, the labels it looked for and the labels it saw.

Only 简道云 and kintone list a form's fields (``FieldLister``; their ``BackendSpec.forms``
says which option holds each form's id, ``backends.field_forms``). 神笔 has no public field
list — its keys are typed or the walkthrough's defaults — and an iPaaS profile reads through
its 神笔 profile's map. Either way
``connector.check_connection()`` is what proves a map: it reads the mapped fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..core.errors import CampusCardError, ConfigError
from ..core.text import L_, _
from .fieldmap import CARD_KEYS, STUDENT_KEYS, FieldMap

# The captions a school's forms use for each mapped key, best first (the seed's labels).
LABEL_HINTS: dict[str, tuple[str, ...]] = {
    "student_no": ("学号",),  # text: data
    "name": ("姓名",),  # text: data
    "college": ("学院",),  # text: data
    "class_name": ("班级",),  # text: data
    "student_status": ("学籍状态",),  # text: data
    "card_student": ("学生学号", "学号"),  # text: data
    "card_open_time": ("开通时间", "开卡时间"),  # text: data
    "card_amount": ("余额", "金额"),  # text: data
    "card_status": ("状态", "卡状态", "一卡通状态"),  # text: data
}

class FieldLike(Protocol):
    """What the mapping needs of a backend field (the connectors' FieldInfo)."""

    @property
    def name(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def options(self) -> Sequence[str]: ...


@runtime_checkable
class FieldLister(Protocol):
    """A connector that lists a form's fields (简道云, kintone)."""

    def list_fields(self, form_id: str, /) -> Sequence[FieldLike]: ...


def _norm(text: str) -> str:
    return "".join(text.split()).casefold()


def guess_field(key: str, fields: Sequence[FieldLike], saved: str | None = None) -> str | None:
    """The field name to pick for ``key`` among ``fields`` (see the module doc)."""
    names = [f.name for f in fields]
    if saved and saved in names:
        return saved
    for hint in LABEL_HINTS.get(key, ()):
        for f in fields:
            if _norm(f.label) == _norm(hint):
                return f.name
    default: str = getattr(FieldMap(), key)
    return default if default in names else None


def read_fields(lister: FieldLister | None, forms: tuple[str, str]
                ) -> tuple[list[FieldLike], list[FieldLike]]:
    """Both forms' fields through a connector's ``field_lister()`` (None: it lists none)."""
    if lister is None:
        raise CampusCardError(_("该后端不支持读取字段"))
    return list(lister.list_fields(forms[0])), list(lister.list_fields(forms[1]))


@dataclass(frozen=True, slots=True)
class MissingField:
    """A key no field could be found for: where it was looked for and what was there."""

    key: str
    form: str  # the form's title, e.g. 一卡通应用
    hints: tuple[str, ...]  # the labels looked for
    seen: tuple[str, ...]  # the form's fields, "label（name）"


class FieldsNotFound(ConfigError):
    """Some keys matched no field by label (``missing``); the message names each key, the
    labels looked for and the labels the form has."""

    def __init__(self, missing: Sequence[MissingField]) -> None:
        self.missing = tuple(missing)
        parts = []
        for form in dict.fromkeys(m.form for m in self.missing):
            ms = [m for m in self.missing if m.form == form]
            wanted = _("、").join(
                _("{key}（标签“{labels}”）").format(key=m.key, labels=_("”或“").join(m.hints))
                for m in ms)
            seen = _("、").join(ms[0].seen) or _("无")
            parts.append(_("{form}中按标签找不到这些字段：{wanted}；{form}的字段有：{seen}。").format(
                form=form, wanted=wanted, seen=seen))
        super().__init__("".join(parts), code="field")


def _seen(fields: Sequence[FieldLike], most: int = 40) -> tuple[str, ...]:
    """The fields as the message lists them (at most ``most``, then how many more)."""
    out = [_("{label}（{name}）").format(label=f.label, name=f.name)
           if f.label and f.label != f.name else f.name for f in fields[:most]]
    if len(fields) > most:
        out.append(_("另有 {n} 个").format(n=len(fields) - most))
    return tuple(out)


def discover_field_map(students: Sequence[FieldLike], cards: Sequence[FieldLike],
                       given: Mapping[str, str] | None = None, *,
                       base: FieldMap | None = None,
                       titles: tuple[str, str] = (L_("学生表单"), L_("一卡通表单"))) -> FieldMap:
    """The field map for the two forms' fields: ``given`` (key -> field name, e.g. the CLI's
    --map) as is, every other key guessed by label (``guess_field``); the option labels are
    ``base``'s (the canonical ones by default). Raises ``FieldsNotFound`` naming every key
    that could not be guessed."""
    given = dict(given or {})
    fm = FieldMap.from_json(base.to_json()) if base is not None else FieldMap()
    missing = []
    for keys, fields, title in ((STUDENT_KEYS, students, titles[0]),
                                (CARD_KEYS, cards, titles[1])):
        for key in keys:
            if key in given:
                fm.set(key, given[key])
                continue
            pick = guess_field(key, fields)
            if pick is None:
                missing.append(MissingField(key, title, LABEL_HINTS.get(key, ()),
                                            _seen(fields)))
            else:
                setattr(fm, key, pick)
    if missing:
        raise FieldsNotFound(missing)
    return fm
