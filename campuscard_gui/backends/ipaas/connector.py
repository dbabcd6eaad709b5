"""The iPaaS gateway route (the seed's own path, shared/seeds/000 and specs/shenbi.md §3, §7):
writes go to a school's existing iPaaS integration flow through its HTTP gateway, which writes
to 神笔 with its 神笔 connector; students and cards are read through a 神笔 profile's OpenAPI
(``read_profile``), which is also how the runner reads back, reads every card record of a
student (``read_card_records``) and removes a duplicate card (``remove_cards``, per that
profile's ``remove_mode``): the flow has no action for those.

An action POSTs the selected students as the seed's flow expects them, in chunks of
``chunk_size``::

    {"action": "open", "studentRecords": [{"studentID": "<student record Id>"}, …]}

The flow's answer, and what it proves (no 成功 without evidence):

- 神笔's batch result passed through (``{"Response": {"Data": {"Ids": […]}}}``, one Id per
  student, in order): each record is ``Succeeded(<card Id>)`` — the runner still reads it
  back and keeps the earliest live card where two were made;
- any other 2xx JSON object — a status only (``{"code": 0, …}``), ``{}``, anything else — says
  nothing of what was written: each record is ``Succeeded("")``, never a card Id. The batch
  runner verifies every such record by reading it back through the 神笔 profile and reports
  成功 only for a student whose card the read-back shows in the action's state; the others
  are 失败 (unverified);
- a 神笔 error envelope passed through, or a status answer with a non-zero ``code``, is an
  error, never a success.

The flow updates (冻结/解冻/注销) the card it finds for each studentID; it must pick the
student's current card as ``core.cards.current_card`` does (the earliest live one): with
``remove_mode`` "cancel" a duplicate set to 注销 is the student's newest card record, and a flow
that updates the newest would bring it back to life (the runner's read-back then reports
失败). [UNKNOWN] what a school's flow does; "delete" on the 神笔 profile avoids the question.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ...connectors.base import (
    Abilities,
    CardCreate,
    CardHistory,
    CardUpdate,
    Connector,
    Consistency,
    DeltaListing,
    Limits,
    ListProgress,
    RecordResult,
)
from ...connectors.common import check_batch_size, json_object
from ...connectors.http import Answer, AnswerLimits, ClientFactory, exchange, make_client
from ...core.errors import AmbiguousError, ConfigError, ConnectorError, FatalError, RetryableError
from ...core.model import Action, Card, CardStatus, StudentRow
from ...core.outcomes import Succeeded
from ...core.text import L_, _
from ..shenbi.errors import explain
from ..shenbi.records import record_id
from .options import IpaasOptions

SERVICE = L_("iPaaS 集成流")
_ACTIONS = {CardStatus.FROZEN: Action.FREEZE, CardStatus.CANCELLED: Action.CANCEL}


class IpaasConnector(Abilities):
    """Writes through an iPaaS flow's gateway; reads through ``reader`` (a 神笔 connector)."""

    kind: str = "ipaas"

    def __init__(self, options: Mapping[str, Any], token: str, reader: Connector, *,
                 client_factory: ClientFactory | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.options = IpaasOptions.parse(options)
        opts = self.options
        if opts.token_header and not token.strip():
            raise FatalError(_("iPaaS 网关密钥为空：请在配置中保存"), code="secret_missing")
        self._headers = {"Content-Type": "application/json"}
        if opts.token_header:
            self._headers[opts.token_header] = token.strip()
        self.reader = reader
        history = reader.card_history()
        if history is None:
            raise ConfigError(_("iPaaS 配置的读取配置必须是神笔配置（read_profile）"))
        self._history: CardHistory = history
        self.limits = Limits(batch_size=opts.chunk_size, concurrency=opts.concurrency)
        # The flow writes to 神笔, which keeps no unique card per student and no revision; an
        # unanswered call may still run in the flow for settle_s. The flow sets the open time
        # itself, so an open time does not tell whose card it is (resolution 0).
        self.consistency = Consistency(conditional_updates=False, one_card_per_student=False,
                                       settle_s=opts.settle_s, open_time_resolution_ms=0)
        factory = client_factory or (
            lambda url, t: make_client(url, t, max_connections=opts.concurrency + 2))
        self._client = factory(opts.gateway_url, opts.timeout_s)
        self._limits = AnswerLimits.of(opts.max_answer_mb, opts.request_deadline_s,
                                       opts.timeout_s)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._unsettled: dict[str, float] = {}

    def __repr__(self) -> str:
        return f"IpaasConnector(gateway_url={self.options.gateway_url!r})"

    @property
    def list_warnings(self) -> list[str]:
        return list(self.reader.list_warnings)

    # -- abilities (connectors.base.Connector) -------------------------------------------------

    def card_history(self) -> CardHistory | None:
        return self

    def delta_listing(self) -> DeltaListing | None:
        """The 神笔 profile's refresh: the flow only writes, the listing is that profile's."""
        return self.reader.delta_listing()

    def close(self) -> None:
        self._client.close()
        self.reader.close()

    # -- reading: the 神笔 profile -------------------------------------------------------

    def list_rows(self, progress: ListProgress | None = None) -> list[StudentRow]:
        return self.reader.list_rows(progress)

    def read_cards(self, student_nos: Iterable[str]) -> dict[str, Card]:
        return self.reader.read_cards(student_nos)

    def read_card_records(self, student_nos: Iterable[str]) -> dict[str, list[Card]]:
        return self._history.read_card_records(student_nos)

    def remove_cards(self, cards: Sequence[Card]) -> list[RecordResult]:
        """Duplicates are removed through the 神笔 profile (the flow has no such action)."""
        return self._history.remove_cards(cards)

    def check_connection(self) -> None:
        """The 神笔 profile's test, then a request the gateway must refuse without doing
        anything (an unknown action): it proves the address and the secret."""
        self.reader.check_connection()
        try:
            self._post({"action": "ping", "studentRecords": []}, write=False)
        except FatalError as exc:
            if exc.code != REFUSED:  # refused: the flow ran and answered, as it should
                raise ConnectorError(_("连接测试失败：{message}").format(
                    message=exc.message), code=exc.code) from None

    # -- writes: the gateway ----------------------------------------------------------------

    def create_cards(self, items: Sequence[CardCreate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        return self._send(Action.OPEN, [(it.student_no, it.student_record_id) for it in items],
                          idempotency_key)

    def update_cards(self, items: Sequence[CardUpdate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        if status is CardStatus.ACTIVE:
            action = Action.UNFREEZE
        elif status in _ACTIONS:
            action = _ACTIONS[status]
        else:
            raise FatalError(_("iPaaS 集成流不能把卡状态设为“{value}”").format(
                value=status.value), code="bad_request")
        nos = [it.student_no for it in items]
        ids = self._student_ids(nos)
        return self._send(action, [(no, ids.get(no, "")) for no in nos], idempotency_key)

    def _student_ids(self, nos: list[str]) -> dict[str, str]:
        if self.options.student_id == "student_no":
            return {}
        lookup = getattr(self.reader, "student_record_ids", None)
        return dict(lookup(nos)) if callable(lookup) else {}

    def _send(self, action: Action, students: list[tuple[str, str]],
              key: str) -> list[RecordResult]:
        if not students:
            return []
        if action.value not in self.options.flow_actions.split(","):
            raise FatalError(_("这个 iPaaS 集成流没有配置“{label}”（配置中的 flow_actions："
                               "{flow_actions}）：未发送任何数据").format(
                label=action.label, flow_actions=self.options.flow_actions), code="flow_action")
        check_batch_size(len(students), self.options.chunk_size)
        results: dict[int, RecordResult] = self._settle(key, action,
                                                        [no for no, _ in students])
        todo = [i for i in range(len(students)) if i not in results]
        if todo:
            sent = self._post_chunk(action, [students[i] for i in todo], key)
            results.update(zip(todo, sent, strict=True))
        return [results[i] for i in range(len(students))]

    def _post_chunk(self, action: Action, students: list[tuple[str, str]],
                    key: str) -> list[RecordResult]:
        records = []
        for no, ident in students:
            value = no if self.options.student_id == "student_no" else ident
            if not value:
                raise FatalError(_("找不到学号 {no} 的神笔学生记录 Id").format(
                    no=no), code="no_student")
            records.append({"studentID": value})
        sent = self._clock()
        try:
            answer = self._post({"action": action.value, "studentRecords": records}, write=True)
        except AmbiguousError as exc:
            if key and exc.code in ("timeout", "network"):  # the flow may still be running
                with self._lock:
                    self._unsettled[key] = max(sent, self._unsettled.get(key, sent))
            raise
        inner = answer.get("Response")
        data = inner.get("Data") if isinstance(inner, dict) else None
        if isinstance(data, dict) and isinstance(data.get("Ids"), list):
            ids = [record_id(v) for v in data["Ids"]]
            if len(ids) != len(students) or not all(ids):
                raise AmbiguousError(_("{SERVICE}返回的 Id 数量与发送的学生数不一致，正在"
                                       "核对").format(
                    SERVICE=SERVICE),
                                     code="partial")
            return [Succeeded(i) for i in ids]
        # No card Ids: the answer proves nothing ({"code": 0}, {} or any other object). Not a
        # card Id: the runner verifies each record by reading it back (module doc).
        return [Succeeded("") for _ in students]

    def _settle(self, key: str, action: Action, nos: list[str]) -> dict[int, RecordResult]:
        """After an unanswered call of this chunk: wait until the flow must have finished, then
        read back. The students whose card now shows the action's result are done (position
        -> outcome); only the others are sent again."""
        with self._lock:
            at = self._unsettled.pop(key, None) if key else None
        if at is None:
            return {}
        wait = at + self.options.settle_s - self._clock()
        if wait > 0:
            self._sleep(wait)
        cards = self.reader.read_cards(nos)
        done: dict[int, RecordResult] = {}
        for i, no in enumerate(nos):
            card = cards.get(no)
            if card is None:
                continue
            if card.status is action.target or (
                    action is Action.OPEN and card.status in (CardStatus.ACTIVE,
                                                               CardStatus.FROZEN)):
                done[i] = Succeeded(card.card_id)
        return done

    def _post(self, body: Mapping[str, Any], *, write: bool) -> dict[str, Any]:
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        # the absolute URL: joined to a base URL, httpx would add a trailing slash
        response = exchange(self._client, "POST", self.options.gateway_url, content=content,
                            headers=self._headers, limits=self._limits, write=write,
                            service=SERVICE)
        return answer_of(response, write)


# What an answer means, by its HTTP status and whether the body is JSON, or by the "code" a
# flow answering HTTP 200 puts in its body: one table, never the message text.
#   retry     refused before anything happened: send again after a pause
#   unclear   the request may have run: a write is read back, a read is repeated
#   refused   the flow (or the gateway) answered and refused it: definitive, and proof for
#             测试连接 that the address and the secret are right
#   auth      the gateway refused the token
#   address   something other than the flow answered: the address is wrong
#             (HTTP status, JSON body?) / body code -> meaning; 5xx and <300 are "unclear"
_HTTP_ANSWERS: dict[tuple[int, bool], str] = {
    (429, True): "retry", (429, False): "retry", (401, True): "auth", (401, False): "auth",
    (403, True): "auth", (403, False): "auth", (400, True): "refused", (400, False): "address",
    (404, True): "refused", (404, False): "address",
}
_BODY_ANSWERS: dict[int, str] = {429: "retry"}
REFUSED = "flow_refused"  # the code of a refused request (check_connection's ping)


def _flow_answer(status: int, json_body: bool, in_body: bool) -> str:
    if status < 300 or status >= 500:
        return "unclear"
    if in_body:
        return _BODY_ANSWERS.get(status, "refused")
    return _HTTP_ANSWERS.get((status, json_body), "refused" if json_body else "address")


def answer_of(response: Answer, write: bool) -> dict[str, Any]:
    status = response.status_code
    payload = json_object(response)
    inner = payload.get("Response") if payload is not None else None
    if isinstance(inner, dict) and isinstance(inner.get("Error"), dict):
        error = inner["Error"]
        code = str(error.get("Code") or "UnknownError")
        text = explain(code, str(error.get("Message") or ""), str(inner.get("RequestId") or ""))
        if code.startswith("RequestLimitExceeded"):
            raise RetryableError(_("{SERVICE}：{text}").format(
                SERVICE=SERVICE, text=text), code=code, retry_after=1.0)
        if code.startswith("InternalError") and write:
            raise AmbiguousError(_("{SERVICE}：{text}：请求可能已生效，正在核对").format(
                SERVICE=SERVICE, text=text), code=code)
        raise FatalError(_("{SERVICE}：{text}").format(SERVICE=SERVICE, text=text), code=code)
    message = ""
    in_body = False
    if 200 <= status < 300 and payload is not None:
        code = payload.get("code", 0)
        if code in (0, "0", None) or inner is not None:
            return payload
        # a flow answering only a status reports its failure in "code" (HTTP 200)
        in_body = True
        try:
            status = int(str(code))
        except ValueError:
            status = 400  # a code that is no number: the flow refused it, for its own reason
        message = str(payload.get("message") or payload.get("msg") or "")
    elif payload is not None:
        message = str(payload.get("message") or payload.get("msg") or "")
    said = _("：{message}").format(message=message) if message else ""
    meaning = _flow_answer(status, payload is not None, in_body)
    if meaning == "retry":
        raise RetryableError(_("{SERVICE}：请求过于频繁（{status}）{said}").format(
            SERVICE=SERVICE, status=status, said=said), code="429",
                             retry_after=1.0)
    if meaning == "auth":
        raise FatalError(_("{SERVICE}拒绝了网关密钥（HTTP {status}）：请检查配置中的密钥"
                           "和请求头").format(
            SERVICE=SERVICE, status=status),
                         code="gateway_auth")
    if meaning == "unclear":
        what = _("{SERVICE}的应答无法识别或出错（{status}）{said}").format(
            SERVICE=SERVICE, status=status, said=said)
        if write:
            raise AmbiguousError(what + _("：请求可能已生效，正在核对"), code=f"http_{status}")
        raise RetryableError(what, code=f"http_{status}")
    if meaning == "address":
        raise FatalError(_("{SERVICE}没有在这个地址应答（{status}）：请检查网关地址").format(
            SERVICE=SERVICE, status=status),
                         code=str(status))
    raise FatalError(_("{SERVICE}拒绝了请求（{status}）{said}").format(
        SERVICE=SERVICE, status=status, said=said), code=REFUSED)
