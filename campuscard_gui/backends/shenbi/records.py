"""神笔 (千帆神笔 aPaaS) records ↔ domain values, and the options a 神笔 profile holds
(shared/specs/shenbi.md §3, §4, §8).

Much of 神笔's OpenAPI is not public. Every part of the wire contract the spec marks [INFER]
or [UNKNOWN] — the service name in the credential scope, the API version, the action names,
the body key names, the batch and page limits, the rate limit — is an option here whose default
is the spec's recommendation (§8), marked ``# [INFER]``.

Reading is lenient, as the spec shows the server doing both: ``Value``/``value`` and
``DisplayValue``/``displayValue``; field keys with or without an initial capital; record Ids as
JSON strings or as integers above 2^53 (kept as strings, never through a float).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from ...config.fieldmap import FieldMap
from ...config.options import number, parse_numbers, parse_texts, text
from ...connectors.common import decimal_of, ms_of, plain_text
from ...core.cards import current_card
from ...core.errors import ConfigError
from ...core.model import Card
from ...core.text import L_, _

Record = Mapping[str, Any]
SERVICE = L_("神笔")
RECORD_ID, STUDENT_NO = "record_id", "student_no"
LINK_MODES = (RECORD_ID, STUDENT_NO)
REMOVE_MODES = ("cancel", "delete")
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_.]{0,63}$")


@dataclass(frozen=True, slots=True)
class ShenbiOptions:
    """A 神笔 profile's options, validated (design: Profile.options). The AK/SK (SecretId,
    SecretKey) are in the keyring, not here."""

    base_url: str  # POST {base_url}/metadata/{Action}; the real host is [UNKNOWN]
    fields: FieldMap  # field keys (api_key); card fields default to the seed's
    app_code: str = text(L_("应用 code"), required=True, flag="--app-code", metavar="CODE",
                         hint=L_("设计态 → 应用设置 → 应用 code"))
    students_object: str = text(L_("学生对象 key"), required=True, flag="--students-object",
                                metavar="KEY", hint=L_("学生对象的 key（对象 ID）"))
    cards_object: str = text(L_("一卡通对象 key"), required=True, flag="--cards-object",
                             metavar="KEY", hint=L_("一卡通对象的 key（对象 ID）"))
    # What the card's studentInfo holds: the student's record Id (a relation field; the
    # seed's "学生对象的业务ID") or the 学号 as text. [INFER]
    student_link: str = text(L_("一卡通的学生字段存"), flag="--student-link",
                             choices=((RECORD_ID, L_("学生的记录 Id（关联字段）")),
                                      (STUDENT_NO, L_("学号（文本字段）"))))
    # [INFER] the service name in the TC3 credential scope (--set service=…)
    service: str = text(L_("签名服务名"), default="apaas", required=True,
                        hint=L_("签名凭证范围（CredentialScope）中的服务名"))
    version: str = text(L_("API 版本"), default="2022-01-01", required=True,
                        hint=L_("作为 X-TC-Version 发送"))  # [INFER] (--set version=…)
    region: str = ""  # X-TC-Region, sent only when set
    action_query: str = "DescribeEntityRecords"  # [INFER]
    action_get: str = "DescribeEntityRecordsById"  # [DOC] §4.1
    action_create: str = "CreateEntityRecords"  # [INFER]
    action_update: str = "ModifyEntityRecords"  # [INFER]
    # How a duplicate card record (core.cards.duplicates) is removed: "cancel" sets it to 注销
    # with the batch update above; "delete" uses action_delete with the Ids under key_ids.
    # [UNKNOWN] whether the OpenAPI has a batch delete (§4.3 only shows the Web SDK's).
    remove_mode: str = "cancel"
    action_delete: str = "DeleteEntityRecords"  # [INFER] in the style of the others
    key_app: str = "AppCode"  # [INFER] body key names
    key_entity: str = "Entity"  # [DOC]
    key_fields: str = "Fields"  # [DOC]
    key_values: str = "Values"  # [INFER]
    key_ids: str = "Ids"  # [DOC]
    key_filter: str = "Filter"  # [INFER] (the inner Connector/Children shape is [DOC])
    batch_size: int = number(100, 1, 1000)  # [INFER] records per batch create/update
    page_size: int = number(200, 1, 1000)  # [INFER] records per query page
    or_max: int = number(100, 1, 1000)  # [INFER] conditions per OR filter (card read-back)
    requests_per_second: int = number(20, 1, 1000)  # [INFER] per-SecretId rate limit
    # A cold listing reads the offset pages of both objects on this many threads at once
    # (the rate limiter keeps them within requests_per_second); 1: page by page, the old way.
    list_workers: int = number(8, 1, 50)
    # A refresh reads the records changed since the last listing by their UpdatedTime, from
    # this many seconds before that listing (the server's time): writes still being committed
    # then, and the server's clocks apart ([INFER]); reading a change twice is harmless.
    refresh_overlap_s: float = number(60.0, 10, 86400, unit="s")
    # added to each 1 s rate window: the server counts arrivals, which reach it up to tens of
    # ms after we send when several requests are in flight
    rate_margin_s: float = number(0.08, 0, 1, unit="s")
    # write calls in flight at once: at 200 ms a call, 20 calls/s need more than 4 in flight
    concurrency: int = number(8, 1, 20, flag="--concurrency", help=L_("同时进行的请求数"))
    timeout_s: float = number(30.0, 0.05, 600, unit="s", flag="--timeout",
                              help=L_("单个请求的超时秒数"))
    # The largest answer body taken, in MB: a page of 200 records is well under 1 MB; a
    # bigger body is dropped as it arrives (Content-Length above it: before reading).
    max_answer_mb: int = number(32, 1, 1024, unit="MB")
    # One request's whole time — connect, send, every read — however slowly the server drips
    # its answer (timeout_s bounds each read only). 0: twice timeout_s.
    request_deadline_s: float = number(0.0, 0, 3600, unit="s")
    # How long a read (a list page, a read-back) is retried on a retryable error, backing off
    # 0.5 s, 1 s … 8 s with jitter. Replaces read_retries (a stored one is ignored): a listing
    # must survive a spell of faults, not a number of them.
    read_budget_s: float = number(60.0, 0, 3600, unit="s")
    # How long a request that got no answer may still be applied by the server; before the
    # records of such a request are sent again they are read back after this long. [INFER]
    settle_s: float = number(60.0, 0, 3600, unit="s")

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> ShenbiOptions:
        def text(key: str, default: str | None = None, pattern: re.Pattern[str] | None = None
                 ) -> str:
            value = options.get(key, default)
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(_("神笔配置缺少“{key}”").format(key=key))
            value = value.strip()
            if pattern is not None and not pattern.match(value):
                raise ConfigError(_("神笔配置“{key}”格式不正确：{value}").format(
                    key=key, value=value))
            return value

        base_url = text("base_url").rstrip("/")
        parts = urlsplit(base_url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ConfigError(_("神笔 OpenAPI 地址必须以 https:// 开头"))
        given = parse_texts(cls, options, _("神笔"))
        for key, pattern in (("app_code", _WORD), ("students_object", _KEY),
                             ("cards_object", _KEY), ("service", _WORD)):
            if not pattern.match(given[key]):
                raise ConfigError(_("神笔配置“{key}”格式不正确：{value}").format(
                    key=key, value=given[key]))
        remove = options.get("remove_mode", "cancel")
        if remove not in REMOVE_MODES:
            raise ConfigError(_("神笔配置“remove_mode”只能是 cancel（设为注销）或 delete（删除）"))
        if given["students_object"] == given["cards_object"]:
            raise ConfigError(_("神笔的学生对象和一卡通对象不能是同一个对象"))
        d = cls.__dataclass_fields__  # the defaults, one place
        wire: dict[str, Any] = {k: text(k, str(d[k].default), _WORD) for k in (
            "action_query", "action_get", "action_create", "action_update", "action_delete",
            "key_app", "key_entity", "key_fields", "key_values", "key_ids", "key_filter")}
        return cls(
            base_url=base_url,
            fields=FieldMap.from_json(options.get("fields")),
            **given,
            region=str(options.get("region") or "").strip(),
            remove_mode=str(remove),
            **wire,
            **parse_numbers(cls, options, _("神笔")),
        )


# -- values ----------------------------------------------------------------------------------

def record_id(value: Any) -> str:
    """A record Id as a string: JSON strings as they are, integers exactly (never a float)."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return str(int(value))  # a float beyond 2^53 has lost digits: refused as ""
    return ""


def _cell(fields: Mapping[str, Any], key: str) -> Any:
    """The ``{Value, DisplayValue}`` cell of ``key``, whatever the case of its first letter."""
    cell = fields.get(key)
    if cell is None and key:
        cell = fields.get(key[0].upper() + key[1:])
        if cell is None:
            cell = fields.get(key[0].lower() + key[1:])
    return cell


def _part(cell: Any, name: str) -> Any:
    if not isinstance(cell, Mapping):
        return None
    if name in cell:
        return cell[name]
    return cell.get(name[0].lower() + name[1:])


def field_values(rec: Record) -> Mapping[str, Any]:
    values = rec.get("FieldValue", rec.get("fieldValue"))
    return values if isinstance(values, Mapping) else {}


def value_of(rec: Record, key: str) -> Any:
    return _part(_cell(field_values(rec), key), "Value")


def display_of(rec: Record, key: str) -> Any:
    return _part(_cell(field_values(rec), key), "DisplayValue")


def text_of(rec: Record, key: str) -> str:
    """A field as text. Enums read their label (DisplayValue: Value may hold option codes)."""
    if key in ("Id", "id"):
        return id_of(rec)
    shown = display_of(rec, key)
    if isinstance(shown, list):
        return plain_text(shown)
    value = value_of(rec, key)
    return plain_text(value) if value is not None else plain_text(shown)


def id_of(rec: Record) -> str:
    return record_id(rec.get("Id", rec.get("id")))


def link_of(rec: Record, key: str) -> str:
    """A relation field's value: the linked record's Id (Value; a one-element list too)."""
    value = value_of(rec, key)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, Mapping):
        value = value.get("Id", value.get("id"))
    return record_id(value)


def card_of(rec: Record, fm: FieldMap, student_no: str) -> Card | None:
    """The Card a card record holds (its student's 学号 resolved by the caller); None when the
    status label is empty or not mapped."""
    status = fm.card_status_of(text_of(rec, fm.card_status))
    if status is None:
        return None
    opened = value_of(rec, fm.card_open_time)
    amount: Decimal = decimal_of(value_of(rec, fm.card_amount))
    return Card(card_id=id_of(rec), student_no=student_no, status=status,
                open_time=ms_of(opened if opened not in ("", None) else None), amount=amount,
                revision=plain_text(value_of(rec, "UpdatedTime")),
                created=ms_of(value_of(rec, "CreatedTime")))


def by_student(records: Iterable[Record], student_of: Mapping[str, str] | None,
               fm: FieldMap, link_mode: str) -> dict[str, list[Record]]:
    """学号 -> the student's card records. ``student_of`` maps student record Ids to 学号 when
    cards link by record Id."""
    out: dict[str, list[Record]] = {}
    for rec in records:
        if link_mode == "record_id":
            no = (student_of or {}).get(link_of(rec, fm.card_student), "")
        else:
            no = text_of(rec, fm.card_student)
        if no:
            out.setdefault(no, []).append(rec)
    return out


def current_by(records: Iterable[Record], student_of: Mapping[str, str] | None,
               fm: FieldMap, link_mode: str) -> dict[str, Record]:
    """学号 -> the student's current card record (``core.cards.current_card``: the earliest
    live one by CreatedTime then Id, else the newest). A student with a record whose status
    label is not mapped gets that record, so that the caller refuses to guess."""
    out: dict[str, Record] = {}
    for no, recs in by_student(records, student_of, fm, link_mode).items():
        if len(recs) == 1:
            out[no] = recs[0]
            continue
        cards = [(card_of(rec, fm, no), rec) for rec in recs]
        unknown = next((rec for card, rec in cards if card is None), None)
        if unknown is not None:
            out[no] = unknown
            continue
        current = current_card(card for card, _rec in cards if card is not None)
        out[no] = next(rec for card, rec in cards if card is current)
    return out
