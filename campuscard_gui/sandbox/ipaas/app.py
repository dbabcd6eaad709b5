"""The iPaaS integration flow of seeds/000 behind its HTTP gateway, writing through 神笔.

``POST {base_path}/ipaas/gateway/{flow}`` with ``{"action": "open"|"freeze"|"unfreeze"|"cancel",
"studentRecords": [{"studentID": "<student record Id>"}, …]}`` and, when a token is set, the
token header. The flow calls the 神笔 emulator in process under its own SecretId (same store,
same validation, batch cap and rate limit; these inner calls are not counted as requests):

- open: CreateEntityRecords on the cards object, Fields [studentInfo, openTime, amount,
  status], one row ``[studentID, now ms, 0, ["正常"]]`` per student;
- freeze/unfreeze/cancel: DescribeEntityRecords on the cards object (studentInfo EQ each
  student, OR'd in groups of the Children cap), then ModifyEntityRecords of each student's
  current card with status set to the action's label. The current card is the one
  ``core.cards.current_card`` names: the earliest live (正常/冻结) card by (CreatedTime, Id),
  else the newest record — so a newer duplicate set to 注销 is never brought back.

Rows go to 神笔 in chunks of its batch cap, in studentRecords order. With ``gateway_atomic``
a gateway call's inner calls stand or fall together; without it, chunks before a failing one
stay written. A student without a card fails an update call with ResourceNotFound.Record.

Answers: the gateway's own refusals are HTTP 401/404/400 ``{"code", "message"}``. The flow's
answer (``gateway_answer``), in "result" mode, is 神笔's envelope (``{"Response": {"Data":
{"Ids": [...]}}}``, Ids in studentRecords order, or the error); in "status" mode HTTP 200
``{"code": 0, "message": "success"}`` or ``{"code": 429|404|400|500, "message": "<神笔 Code>:
<Message>"}``; in "empty" mode HTTP 200 ``{}`` once the flow has written (an error as in
"result" mode); in "empty_noop" mode HTTP 200 ``{}`` and nothing is written at all — an answer
that proves nothing, for the runner's read-back to catch.
"""

from __future__ import annotations

import asyncio
import hmac
import json
from contextlib import nullcontext
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..shenbi.app import MALFORMED, ShenbiApp, envelope_data, envelope_error
from ..shenbi.schema import ShenbiError, parse_id
from ..shenbi.settings import GATEWAY_ENDPOINT
from ..wire_faults import Dropped, drop, gateway_502, hold

ACTIONS = ("open", "freeze", "unfreeze", "cancel")


def _refuse(status: int, message: str) -> JSONResponse:
    return JSONResponse({"code": status, "message": message}, status_code=status)


def status_code_of(exc: ShenbiError) -> int:
    """The "status" answer's code for a failed flow."""
    if exc.code == "RequestLimitExceeded":
        return 429
    if exc.code.startswith("ResourceNotFound"):
        return 404
    if exc.code.startswith("InternalError"):
        return 500
    return 400


class IpaasGateway:
    def __init__(self, shenbi: ShenbiApp, flow_secret_id: str, token: str) -> None:
        self.shenbi = shenbi
        self.store = shenbi.store
        self.control = shenbi.control
        self.settings = shenbi.settings
        self._sid = flow_secret_id
        self._token = token
        self.route = Route("/ipaas/gateway/{flow}", self._endpoint, methods=["POST"])

    # ------------------------------------------------------------------ the pipeline

    async def _endpoint(self, request: Request) -> Response:
        s, ctl = self.settings, self.control
        ctl.enter(GATEWAY_ENDPOINT)
        try:
            if request.path_params["flow"] != s.gateway_flow:
                return _refuse(404, "集成流不存在")
            if self._token:
                given = request.headers.get(s.gateway_token_header, "")
                if not hmac.compare_digest(given.encode(), self._token.encode()):
                    ctl.note_auth_failure()
                    return _refuse(401, f"缺少或错误的 {s.gateway_token_header}")
            try:
                raw = await request.body()
            except ClientDisconnect:
                return Dropped()
            try:
                action, students = self._parse(raw)
            except ValueError as exc:
                return _refuse(400, str(exc))
            if ctl.latency_ms > 0:
                await asyncio.sleep(ctl.latency_ms / 1000)
            return await self._run(request, action, students)
        finally:
            ctl.leave()

    def _parse(self, raw: bytes) -> tuple[str, list[int]]:
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ValueError("请求体不是合法的 JSON") from None
        if not isinstance(body, dict):
            raise ValueError("请求体须为 JSON 对象")
        action = body.get("action")
        if action not in ACTIONS:
            raise ValueError(f"action 须为 {'、'.join(ACTIONS)} 之一")
        records = body.get("studentRecords")
        if not isinstance(records, list) or not records:
            raise ValueError("studentRecords 须为非空数组")
        cap = self.settings.gateway_chunk_max
        if len(records) > cap:
            raise ValueError(f"studentRecords 单次最多 {cap} 条，收到 {len(records)} 条")
        students = []
        for i, rec in enumerate(records):
            sid = parse_id(rec.get("studentID")) if isinstance(rec, dict) else None
            if sid is None:
                raise ValueError(f"studentRecords[{i}].studentID 须为学生记录的 Id")
            students.append(sid)
        return str(action), students

    async def _run(self, request: Request, action: str, students: list[int]) -> Response:
        s = self.settings
        fault = self.control.pick_fault(GATEWAY_ENDPOINT)
        if fault == "ratelimit":
            return self._answer(ShenbiError("RequestLimitExceeded", "请求频率超过限制"))
        if fault == "5xx":
            response = self.shenbi.internal_error()
            if response.status_code != 200:
                return response
            return self._answer(ShenbiError("InternalError", "内部错误，请稍后重试"))
        if fault == "html":
            return gateway_502()
        if fault == "timeout":  # held past the client's patience; applied per timeout_apply
            try:
                early = self._flow(action, students) if s.timeout_apply == "before" else None
                if await hold(self.shenbi.stopping, s.fault_timeout_s) \
                        or s.timeout_apply == "never":
                    return drop(self.shenbi.aborter, request, s.drop_mode == "reset")
                return self._answer(early if early is not None
                                    else self._flow(action, students))
            finally:
                self.control.land()
        result = self._flow(action, students)
        if fault == "drop":
            return drop(self.shenbi.aborter, request, s.drop_mode == "reset")
        if fault == "malformed":
            return Response(MALFORMED, status_code=200, media_type="application/json")
        return self._answer(result)

    def _answer(self, result: list[int] | ShenbiError) -> Response:
        mode = self.settings.gateway_answer
        if mode == "empty_noop" or (mode == "empty" and not isinstance(result, ShenbiError)):
            return JSONResponse({})
        if mode == "status":
            if isinstance(result, ShenbiError):
                return JSONResponse({"code": status_code_of(result),
                                     "message": f"{result.code}: {result.message}"})
            return JSONResponse({"code": 0, "message": "success"})
        if isinstance(result, ShenbiError):
            return envelope_error(result)
        return envelope_data({"Ids": [self.store.spell_id(i) for i in result]})

    # ------------------------------------------------------------------ the flow

    def _flow(self, action: str, students: list[int]) -> list[int] | ShenbiError:
        """Run the flow: the Ids written, in studentRecords order, or the error it ended on
        (nothing at all in "empty_noop" mode)."""
        if self.settings.gateway_answer == "empty_noop":
            return []
        label = self.settings.gateway_labels[action]
        try:
            with self.store.transaction() if self.settings.gateway_atomic else nullcontext():
                if action == "open":
                    now = self.store.now_ms()
                    rows = [[str(sid), now, 0, [label]] for sid in students]
                    return self._chunks("CreateEntityRecords", rows, None)
                cards = self._current_cards(students)
                return self._chunks("ModifyEntityRecords", [[[label]] for _ in cards], cards)
        except ShenbiError as exc:
            return exc

    def _call(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.shenbi.call(self._sid, action, {"AppCode": self.settings.app_code,
                                                    "Entity": self.settings.cards_object, **body})

    def _chunks(self, action: str, rows: list[list[Any]], ids: list[int] | None) -> list[int]:
        out: list[int] = []
        step = self.settings.batch_max
        for start in range(0, len(rows), step):
            body: dict[str, Any] = {
                "Fields": ["studentInfo", "openTime", "amount", "status"]
                if ids is None else ["status"], "Values": rows[start:start + step]}
            if ids is not None:
                body["Ids"] = [str(i) for i in ids[start:start + step]]
            try:
                data = self._call(action, body)
            except ShenbiError as exc:
                raise ShenbiError(exc.code, f"studentRecords[{start}:{start + step}]："
                                  f"{exc.message}") from None
            out += [int(i) for i in data["Ids"]]
        return out

    def _current_cards(self, students: list[int]) -> list[int]:
        """Each student's current card (module doc), in ``students`` order."""
        s = self.settings
        wanted = list(dict.fromkeys(students))
        cards: dict[int, list[tuple[bool, int, int]]] = {}  # student -> (live, created, Id)
        labels = s.gateway_labels
        live = {labels["open"], labels["unfreeze"], labels["freeze"]}

        def cell(rec: dict[str, Any], key: str, part: str) -> Any:
            key = key[:1].upper() + key[1:] if s.capitalize_field_keys else key
            part = part if s.value_key_case == "upper" else part[:1].lower() + part[1:]
            return rec["FieldValue"][key][part]

        for start in range(0, len(wanted), s.children_max):
            group = wanted[start:start + s.children_max]
            where = {"Connector": "OR", "Children": [
                {"Field": "studentInfo", "Operator": "EQ", "Value": str(sid)} for sid in group]}
            offset, total = 0, 1
            while offset < total:
                data = self._call("DescribeEntityRecords", {
                    "Fields": ["studentInfo", "status", "CreatedTime"], "Filter": where,
                    "Limit": s.limit_max, "Offset": offset})
                total = int(data["TotalCount"])
                for rec in data["EntityRecordSet"]:
                    student = parse_id(cell(rec, "studentInfo", "Value"))
                    shown = cell(rec, "status", "DisplayValue")
                    if student is not None:
                        cards.setdefault(student, []).append(
                            (bool(shown) and shown[0] in live,
                             int(cell(rec, "CreatedTime", "Value")), int(rec["Id"])))
                offset += s.limit_max
        current: dict[int, int] = {}
        for student, found in cards.items():
            alive = [(created, rid) for is_live, created, rid in found if is_live]
            current[student] = (min(alive) if alive else max(
                (created, rid) for _live, created, rid in found))[1]
        for i, sid in enumerate(students):
            if sid not in current:
                raise ShenbiError("ResourceNotFound.Record",
                                  f"studentRecords[{i}]：学生 {sid} 没有一卡通记录")
        return [current[sid] for sid in students]
