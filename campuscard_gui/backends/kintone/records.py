"""kintone records ↔ domain values, and the options a kintone profile holds
(shared/specs/kintone.md §1, §5).

Pure functions over the JSON the REST API returns (``{code: {"type", "value"}}``); the HTTP
side lives in ``kintone_api.py``. Limits the spec documents ([DOC]) are defaults that can only
be lowered; the ones it leaves open are settings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from ...config.fieldmap import FieldMap
from ...config.options import number, parse_numbers, parse_texts, text
from ...connectors.common import decimal_of, ms_of, plain_text
from ...core.errors import ConfigError
from ...core.model import Card
from ...core.text import L_, _

Record = Mapping[str, Any]

SERVICE = "kintone"
RECORDS_MAX = 100  # records per POST/PUT /records.json [DOC §1.4, §1.5]
BULK_MAX = 20  # requests per bulkRequest [DOC §1.8]
PAGE_MAX = 500  # records per GET [DOC §1.2]
AUTH_MODES = ("token", "password")
_APP_ID = re.compile(r"^[1-9]\d{0,18}$")


@dataclass(frozen=True, slots=True)
class KintoneOptions:
    """A kintone profile's options, validated (design: Profile.options). No secrets here:
    the API tokens or the password are in the keyring."""

    base_url: str  # https://SUB.cybozu.com (or .kintone.com, .cybozu.cn, a sandbox URL)
    fields: FieldMap
    students_app: str = text(L_("学生应用 ID"), required=True, flag="--students-app",
                             metavar="ID", hint=L_("应用地址中的数字，如 /k/12/"))
    cards_app: str = text(L_("一卡通应用 ID"), required=True, flag="--cards-app", metavar="ID",
                          hint=L_("应用地址中的数字，如 /k/13/"))
    # the guest space id, "" when the apps are not in one
    guest_space: str = text(L_("来宾空间 ID"), default="", flag="--guest-space", metavar="ID",
                            hint=L_("仅当应用位于来宾空间时填写"))
    # "token": one API token per app; "password": user + password
    auth: str = text(L_("登录方式"), flag="--auth", object_name="authModeCombo",
                     choices=(("token", L_("每个应用一个 API 令牌")),
                              ("password", L_("登录名和密码"))))
    # login name for password auth
    user: str = text(L_("登录名"), default="", required=True, when=("auth", "password"),
                     flag="--user", metavar="LOGIN", hint=L_("以此 kintone 用户的身份操作"))
    # Requests in flight at once (reads and writes together). kintone allows 100 per domain
    # for every integration together [DOC §4]; stay well below. 6: after a job's probe chunk
    # (checked alone) a 10,000-record job's other five bulkRequests go in one round.
    concurrency: int = number(6, 1, 50, flag="--concurrency", help=L_("同时进行的请求数"))
    # a 2,000-record bulkRequest can take seconds on a busy domain
    timeout_s: float = number(60.0, 0.05, 600, unit="s", flag="--timeout",
                              help=L_("单个请求的超时秒数"))
    records_per_request: int = number(RECORDS_MAX, 1, RECORDS_MAX)
    requests_per_bulk: int = number(BULK_MAX, 1, BULK_MAX)
    page_size: int = number(PAGE_MAX, 1, PAGE_MAX)
    in_max_values: int = number(100, 1, 500)  # values per `in (…)` when reading cards back
    # A cold listing reads both apps as `$id` ranges on this many threads at once (0: as
    # many as `concurrency`, which bounds the requests in flight anyway); 1: one seek per
    # app, the old way.
    list_workers: int = number(0, 0, 50)
    # A refresh reads the records changed since the last listing by the UPDATED_TIME field,
    # from this many seconds before it: kintone keeps minutes (§5), and reading a change
    # twice is harmless.
    refresh_overlap_s: float = number(120.0, 60, 86400, unit="s")
    # The largest answer body taken, in MB: a page of 500 records is well under 1 MB; a
    # bigger body is dropped as it arrives (Content-Length above it: before reading).
    max_answer_mb: int = number(32, 1, 1024, unit="MB")
    # One request's whole time — connect, send, every read — however slowly the server drips
    # its answer (timeout_s bounds each read only). 0: twice timeout_s.
    request_deadline_s: float = number(0.0, 0, 3600, unit="s")
    # How long a read (a list page, a read-back) is retried on a retryable error, backing off
    # 0.5 s, 1 s … 8 s with jitter. Replaces read_retries (a stored one is ignored): a listing
    # must survive a spell of faults, not a number of them.
    read_budget_s: float = number(60.0, 0, 3600, unit="s")
    # Open relies on the cards app's student field prohibiting duplicates (one card record
    # per student): check_connection refuses an app without it unless this is off.
    require_unique_student: bool = True

    @property
    def batch_size(self) -> int:
        """Records per connector write call: one bulkRequest."""
        return self.records_per_request * self.requests_per_bulk

    @property
    def prefix(self) -> str:
        """``/k/v1/`` or ``/k/guest/{id}/v1/`` (spec §1.1)."""
        return f"/k/guest/{self.guest_space}/v1/" if self.guest_space else "/k/v1/"

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> KintoneOptions:
        def text(key: str, default: str | None = None) -> str:
            value = options.get(key, default)
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(_("kintone 配置缺少“{key}”").format(key=key))
            return value.strip()

        given = parse_texts(cls, options, "kintone ")

        def app(key: str) -> str:
            value = str(given[key])
            if not _APP_ID.match(value):
                raise ConfigError(_("kintone 配置“{key}”必须是应用 ID（正整数）：{value}").format(
                    key=key, value=value))
            return value

        base_url = text("base_url").rstrip("/")
        parts = urlsplit(base_url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ConfigError(_("kintone 地址必须以 https:// 开头，例如 https://example.cybozu.c"
                                "om"))
        if parts.path not in ("", "/"):
            raise ConfigError(_("kintone 地址只写域名即可，例如 https://example.cybozu.com（不要带"
                                "路径：{path}）").format(
                path=parts.path))
        guest = given["guest_space"]
        if guest and not _APP_ID.match(guest):
            raise ConfigError(_("kintone 配置“guest_space”必须是来宾空间 ID（正整数）："
                                "{guest}").format(
                guest=guest))
        auth, user = given["auth"], given["user"]
        students_app, cards_app = app("students_app"), app("cards_app")
        if students_app == cards_app:
            raise ConfigError(_("kintone 的学生应用和一卡通应用不能是同一个应用"))
        unique = options.get("require_unique_student", True)
        if not isinstance(unique, bool):
            raise ConfigError(_("kintone 配置“require_unique_student”只能是 true 或 false"))
        return cls(
            base_url=base_url,
            students_app=students_app,
            cards_app=cards_app,
            fields=FieldMap.from_json(options.get("fields")),
            guest_space=guest,
            auth=auth,
            user=user,
            require_unique_student=unique,
            **parse_numbers(cls, options, "kintone "),
        )


# -- values ----------------------------------------------------------------------------------

def value_of(rec: Record, code: str) -> Any:
    """The ``value`` of field ``code`` in a record as the API returns it (None if absent)."""
    cell = rec.get(code)
    if type(cell) is dict:  # what JSON gives: the fast path (1.8 million calls at 100,000)
        return cell.get("value")
    return cell.get("value") if isinstance(cell, Mapping) else None


def text_of(rec: Record, code: str) -> str:
    """A field as text; a CHECK_BOX/MULTI_SELECT used as a status reads its one choice."""
    return plain_text(value_of(rec, code))


def record_id(rec: Record) -> str:
    return text_of(rec, "$id")


def id_number(rec: Record) -> int:
    """``$id`` as a number for ordering (0 when missing: such a record sorts first)."""
    try:
        return int(record_id(rec))
    except ValueError:
        return 0


def datetime_of(ms: int) -> str:
    """Epoch ms as a kintone DATETIME request value (UTC; kintone keeps minutes, §5)."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def quoted(value: str) -> str:
    """A string literal for the query language: double quotes, ``"`` and ``\\`` escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def newest_cards(records: Iterable[Record], fm: FieldMap) -> dict[str, Record]:
    """Each student's current card record: the one with the highest ``$id`` (kintone ids only
    grow, so that is the newest), for card apps that keep several cards per student."""
    best: dict[str, tuple[int, Record]] = {}
    for rec in records:
        no = text_of(rec, fm.card_student)
        if not no:
            continue
        rank = id_number(rec)
        held = best.get(no)
        if held is None or rank > held[0]:
            best[no] = (rank, rec)
    return {no: rec for no, (_rank, rec) in best.items()}


def card_of(rec: Record, fm: FieldMap) -> Card | None:
    """The Card a record holds; None when its status label is empty or not mapped."""
    status = fm.card_status_of(text_of(rec, fm.card_status))
    if status is None:
        return None
    return Card(
        card_id=record_id(rec),
        student_no=text_of(rec, fm.card_student),
        status=status,
        open_time=ms_of(value_of(rec, fm.card_open_time) or None),
        amount=decimal_of(value_of(rec, fm.card_amount)),
        revision=text_of(rec, "$revision"),
    )
