"""简道云 (Jiandaoyun) Open API v5 emulator as a Starlette app.

Wire protocol per shared/specs/jiandaoyun.md: every call is ``POST /api/v5/<endpoint>`` with a
JSON body and ``Authorization: Bearer <key>``; business errors are HTTP 400
``{"code", "msg"}``. Each request passes, in order: the concurrency limit (HTTP 429), the key
check (8301), the rate limits (8304 per endpoint, 8303 overall), the injected latency, an
injected fault if one is drawn, then the endpoint itself.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import random
import re
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send

from ..control import Control
from ..ratelimit import SlidingWindowLimiter, Verdict
from ..wire_faults import Aborter, Dropped, drop, gateway_502, hold
from .schema import MEMBERS, Form, JdyError
from .settings import JdySettings
from .store import JdyStore

MOUNT = "/api"  # every endpoint is /api/v5/<name>
_TXN_BAD = re.compile(r"\$\{|\$\(")
_MALFORMED = "<!DOCTYPE html><html><body>系统繁忙，请稍后再试</body></html>"

def _error(code: int, msg: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"code": code, "msg": msg}, status_code=status)




# --------------------------------------------------------------------------- body params


def _req(body: dict[str, Any], key: str, kind: type) -> Any:
    if key not in body or body[key] is None:
        raise JdyError(1, f"缺少参数 {key}")
    return _opt(body, key, kind)


def _opt(body: dict[str, Any], key: str, kind: type) -> Any:
    value = body.get(key)
    if value is not None and (not isinstance(value, kind)
                              or (isinstance(value, bool) and kind is not bool)):
        raise JdyError(3005, f"参数 {key} 类型错误")
    return value


def _ids(body: dict[str, Any], limit: int, code: int) -> list[str]:
    ids: list[str] = _req(body, "data_ids", list)
    if not ids or not all(isinstance(i, str) for i in ids):
        raise JdyError(3005, "data_ids 须为非空的字符串数组")
    if len(ids) > limit:
        raise JdyError(code, f"单次最多操作 {limit} 条数据")
    return ids


def _transaction_id(body: dict[str, Any]) -> str | None:
    txn = body.get("transaction_id")
    if txn is None:
        return None
    if not isinstance(txn, str) or not txn or len(txn) > 128 or _TXN_BAD.search(txn):
        raise JdyError(17025, "transaction_id 格式错误")
    return txn


def _creator(body: dict[str, Any]) -> dict[str, Any]:
    username = _opt(body, "data_creator", str)
    if username is None:
        return MEMBERS["sandbox_admin"]
    member = MEMBERS.get(username)
    if member is None:
        raise JdyError(1010, "成员不存在")
    return member


@dataclass(slots=True)
class _Call:
    body: dict[str, Any]
    fault: str | None


class JiandaoyunApp:
    """The emulator: builds the Starlette app over a store, a control and the settings."""

    def __init__(self, store: JdyStore, control: Control, api_key: str,
                 settings: JdySettings, aborter: Aborter | None = None) -> None:
        settings.validate()
        self.store = store
        self.control = control
        self.settings = settings
        self._key = api_key.encode()
        self._aborter = aborter
        self._limiter = SlidingWindowLimiter(settings.endpoint_rps, settings.global_rps,
                                             settings.rate_window_s)
        self.stopping = threading.Event()  # set on shutdown: held ("timeout") requests let go
        handlers: dict[str, Callable[[_Call], Awaitable[dict[str, Any]]]] = {
            "app/list": self._app_list,
            "app/entry/list": self._entry_list,
            "app/entry/widget/list": self._widget_list,
            "app/entry/data/list": self._data_list,
            "app/entry/data/get": self._data_get,
            "app/entry/data/create": self._data_create,
            "app/entry/data/update": self._data_update,
            "app/entry/data/delete": self._data_delete,
            "app/entry/data/batch_create": self._batch_create,
            "app/entry/data/batch_update": self._batch_update,
            "app/entry/data/batch_delete": self._batch_delete,
        }
        routes = [Route(f"/v5/{name}", self._endpoint(name, fn), methods=["POST"],
                        name=name) for name, fn in handlers.items()]
        errors = {HTTPException: self._http_exception}
        # ``mount`` lets another app serve this one beside others (campuscard-sandbox --backend all)
        self.mount = Mount(MOUNT, app=Starlette(routes=routes, exception_handlers=errors))
        self.app = Starlette(routes=[self.mount], exception_handlers=errors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    @staticmethod
    async def _http_exception(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        # 404/405 bodies are not documented; the status is what a client must act on.
        msg = "只接受 POST 请求" if exc.status_code == 405 else "接口不存在"
        return JSONResponse({"code": exc.status_code, "msg": msg}, status_code=exc.status_code,
                            headers=exc.headers)

    # ------------------------------------------------------------------ the pipeline

    def _endpoint(self, name: str, handler: Callable[[_Call], Awaitable[dict[str, Any]]]
                  ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            ctl = self.control
            ctl.enter(name)
            try:
                if ctl.in_flight() > self.settings.max_in_flight:
                    ctl.note_concurrency_rejected()
                    return _error(self.settings.concurrency_code, "并发请求数超出限制", 429)
                if not self._authorised(request):
                    ctl.note_auth_failure()
                    return _error(8301, "API Key 校验失败")
                verdict = self._limiter.admit(name)
                if verdict is not Verdict.OK:
                    ctl.note_rate_limited(name)
                    if verdict is Verdict.ENDPOINT:
                        return _error(8304, "超出接口请求频率限制")
                    return _error(8303, "超出请求频率限制")
                try:  # read (and cache) the body now: a held request outlives its client
                    await request.body()
                except ClientDisconnect:
                    return Dropped()
                if ctl.latency_ms > 0:
                    await asyncio.sleep(ctl.latency_ms / 1000)
                return await self._run(name, handler, request)
            finally:
                ctl.leave()

        return endpoint

    def _authorised(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(),
                                                                  self._key)

    async def _run(self, name: str, handler: Callable[[_Call], Awaitable[dict[str, Any]]],
                   request: Request) -> Response:
        fault = self.control.pick_fault(name)
        if fault == "ratelimit":
            if self.control.random() < 0.5:
                return _error(8304, "超出接口请求频率限制")
            return _error(8303, "超出请求频率限制")
        if fault == "5xx":
            return _error(502, "网关错误", 502)
        if fault == "html":
            return gateway_502()
        if fault == "timeout":  # held past the client's patience; applied per timeout_apply
            try:
                return await self._hold_then_apply(handler, request, fault)
            finally:
                self.control.land()
        response = await self._process(handler, request, fault)
        if fault == "drop":
            return drop(self._aborter, request, self.settings.drop_mode == "reset")
        if fault == "malformed":  # applied, but the answer is unreadable
            return Response(_MALFORMED, status_code=200, media_type="application/json")
        return response

    async def _hold_then_apply(self, handler: Callable[[_Call], Awaitable[dict[str, Any]]],
                               request: Request, fault: str) -> Response:
        apply = self.settings.timeout_apply
        early = None
        if apply == "before":
            early = await self._process(handler, request, fault)
        if await hold(self.stopping, self.settings.fault_timeout_s) or apply == "never":
            return drop(self._aborter, request, self.settings.drop_mode == "reset")
        if early is not None:
            return early
        return await self._process(handler, request, fault)

    @staticmethod
    async def _process(handler: Callable[[_Call], Awaitable[dict[str, Any]]], request: Request,
                       fault: str | None) -> Response:
        try:
            try:
                body = await request.json()
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise JdyError(1, "请求体不是合法的 JSON") from exc
            if not isinstance(body, dict):
                raise JdyError(3005, "请求体须为 JSON 对象")
            payload = await handler(_Call(body, fault))
        except JdyError as exc:
            return _error(exc.code, exc.msg, exc.status)
        return JSONResponse(payload)

    # ------------------------------------------------------------------ endpoints

    def _form(self, body: dict[str, Any]) -> Form:
        return self.store.form(_req(body, "app_id", str), _req(body, "entry_id", str))

    def _paging(self, body: dict[str, Any], default: int) -> tuple[int, int]:
        skip = _opt(body, "skip", int) or 0
        limit = _opt(body, "limit", int)
        limit = default if limit is None else limit
        if skip < 0 or not 1 <= limit <= 100:
            raise JdyError(3005, "skip/limit 超出范围")
        return skip, limit

    async def _app_list(self, call: _Call) -> dict[str, Any]:
        skip, limit = self._paging(call.body, self.settings.apps_limit_default)
        return {"apps": self.store.app_list(skip, limit)}

    async def _entry_list(self, call: _Call) -> dict[str, Any]:
        app_id = _req(call.body, "app_id", str)
        skip, limit = self._paging(call.body, self.settings.apps_limit_default)
        return {"forms": self.store.entry_list(app_id, skip, limit)}

    async def _widget_list(self, call: _Call) -> dict[str, Any]:
        return self.store.widget_list(self._form(call.body))

    async def _data_list(self, call: _Call) -> dict[str, Any]:
        body, s = call.body, self.settings
        form = self._form(body)
        limit = _opt(body, "limit", int)
        if limit is None:
            limit = s.list_limit_default
        elif not 1 <= limit <= s.list_limit_max:
            if s.limit_out_of_range == "error":
                raise JdyError(3005, f"limit 须在 1–{s.list_limit_max} 之间")
            limit = min(max(limit, 1), s.list_limit_max)
        fields = _opt(body, "fields", list)
        if fields is not None and not all(isinstance(f, str) for f in fields):
            raise JdyError(3005, "fields 须为字符串数组")
        data_id = _opt(body, "data_id", str)
        if data_id and s.unknown_cursor == "error" and data_id not in form.records:
            raise JdyError(4001, "数据不存在")
        rows = self.store.list_data(form, data_id or None, limit, fields, body.get("filter"))
        return {"data": rows}

    async def _data_get(self, call: _Call) -> dict[str, Any]:
        form = self._form(call.body)
        return {"data": self.store.get(form, _req(call.body, "data_id", str))}

    async def _data_create(self, call: _Call) -> dict[str, Any]:
        body = call.body
        form = self._form(body)
        _transaction_id(body)  # binds uploaded files only; validated, otherwise unused
        creator = _creator(body)
        return {"data": self.store.create(form, _req(body, "data", dict), creator)}

    async def _data_update(self, call: _Call) -> dict[str, Any]:
        body = call.body
        form = self._form(body)
        _transaction_id(body)
        data_id = _req(body, "data_id", str)
        return {"data": self.store.update(form, data_id, _req(body, "data", dict))}

    async def _data_delete(self, call: _Call) -> dict[str, Any]:
        form = self._form(call.body)
        self.store.delete(form, _req(call.body, "data_id", str))
        return {"status": "success"}

    async def _batch_create(self, call: _Call) -> dict[str, Any]:
        body, s = call.body, self.settings
        form = self._form(body)
        data_list = _req(body, "data_list", list)
        if not data_list:
            raise JdyError(3005, "data_list 不能为空")
        if len(data_list) > s.batch_max:
            raise JdyError(17024, f"批量新建单次最多 {s.batch_max} 条数据")
        txn = _transaction_id(body)
        creator = _creator(body)
        skip: list[int] = []
        if call.fault == "partial":  # some items fail: at least one, at most half (+1)
            n = len(data_list)
            k = 1 + int(self.control.random() * (n // 2))
            skip = random.Random(self.control.random()).sample(range(n), k)
        count, ids = self.store.batch_create(form, data_list, txn, creator, skip)
        return {"status": "success", "success_count": count, "success_ids": ids}

    async def _batch_update(self, call: _Call) -> dict[str, Any]:
        body = call.body
        form = self._form(body)
        ids = _ids(body, self.settings.batch_max, 17023)
        _transaction_id(body)
        count = self.store.batch_update(form, ids, _req(body, "data", dict))
        return {"status": "success", "success_count": count}

    async def _batch_delete(self, call: _Call) -> dict[str, Any]:
        body = call.body
        form = self._form(body)
        ids = _ids(body, self.settings.batch_max, 17033)
        return {"status": "success", "success_count": self.store.batch_delete(form, ids)}
