"""神笔 (千帆神笔 aPaaS) OpenAPI emulator as a Starlette app (shared/specs/shenbi.md §6, §8).

Every call is ``POST {base_path}/metadata/{Action}`` with a UTF-8 JSON body, signed with
TC3-HMAC-SHA256 (shenbi_sign). Every answer is HTTP 200 with the API 3.0 envelope:
``{"Response": {"Data": {...}, "RequestId"}}`` or ``{"Response": {"Error": {"Code",
"Message"}, "RequestId"}}``. Each request passes, in order: the signature check (AuthFailure.*),
X-TC-Version (NoSuchVersion), the action (MissingParameter / InvalidAction), the per-SecretId
rate limit (RequestLimitExceeded), the injected latency, an injected fault if one is drawn
(under the action's name), then the action. Only DescribeEntityRecordsById is a documented
action name; DescribeEntityRecords, CreateEntityRecords, ModifyEntityRecords and
DeleteEntityRecords (a batch delete by Id: [UNKNOWN] on the OpenAPI, §4.3 shows the Web SDK's)
are invented in the same style (§8).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
from collections.abc import Callable
from decimal import Decimal
from email.utils import formatdate
from typing import Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Receive, Scope, Send

from ..control import Control
from ..ratelimit import SlidingWindowLimiter, Verdict
from ..wire_faults import Aborter, Dropped, drop, gateway_502, hold
from .schema import ShenbiError
from .settings import ACTIONS, ShenbiSettings
from .sign import verify
from .store import ShenbiStore, parse_ids

HTML_503 = "<html><body><h1>503 Service Unavailable</h1></body></html>"
MALFORMED = '{"Response": {"Data": {"EntityRecordSet": [{"Id": "14587'  # cut off mid-answer

_KEYS = {
    "DescribeEntityRecords": {"AppCode", "Entity", "Fields", "Filter", "Limit", "Offset",
                              "OrderBy"},
    "DescribeEntityRecordsById": {"AppCode", "Entity", "Ids", "Fields"},
    "CreateEntityRecords": {"AppCode", "Entity", "Fields", "Values"},
    "ModifyEntityRecords": {"AppCode", "Entity", "Ids", "Fields", "Values"},
    "DeleteEntityRecords": {"AppCode", "Entity", "Ids"},
}


def request_id() -> str:
    return secrets.token_hex(8)


def envelope_error(exc: ShenbiError) -> JSONResponse:
    return JSONResponse({"Response": {"Error": {"Code": exc.code, "Message": exc.message},
                                      "RequestId": request_id()}})


def envelope_data(data: dict[str, Any]) -> JSONResponse:
    return JSONResponse({"Response": {"Data": data, "RequestId": request_id()}})


def real_path(request: Request) -> str:
    """The path as the client sent it (what it signed), prefixes included."""
    raw = request.scope.get("raw_path")
    if isinstance(raw, bytes):
        return raw.decode("latin-1").partition("?")[0]
    return str(request.scope["path"])


def _int(body: dict[str, Any], key: str, default: int) -> int:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ShenbiError("InvalidParameter", f"{key} 须为整数")
    return value


class ShenbiApp:
    """The emulator over a store; ``credentials`` maps SecretId -> SecretKey."""

    def __init__(self, store: ShenbiStore, control: Control, credentials: dict[str, str],
                 settings: ShenbiSettings, base_path: str, aborter: Aborter | None = None
                 ) -> None:
        settings.validate()
        self.store = store
        self.control = control
        self.settings = settings
        self._credentials = dict(credentials)
        self.aborter = aborter
        rate = settings.rate_per_second
        self._limiter = SlidingWindowLimiter(dict.fromkeys(credentials, rate),
                                             rate * len(credentials), settings.rate_window_s)
        self.stopping = threading.Event()  # set on shutdown: held ("timeout") requests let go
        self._inner = Starlette(routes=[Route("/metadata/{action}", self._endpoint,
                                              methods=["POST"])])
        # ``mount`` lets another app serve this one beside others (campuscard-sandbox --backend
        # all); an empty base_path mounts at the root and so must come last there
        self.mount = Mount(base_path, app=self._inner)
        self.app = Starlette(routes=[self.mount]) if base_path else self._inner

    def add_route(self, route: BaseRoute) -> None:
        """Serve ``route`` under the same base path (the iPaaS gateway)."""
        self._inner.router.routes.append(route)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    # ------------------------------------------------------------------ the pipeline

    async def _endpoint(self, request: Request) -> Response:
        response = await self._answer(request)
        # the server's own clock (ShenbiSettings.clock), as a real server's Date header would
        # be: a client can tell the operator how far its clock is off
        response.headers["Date"] = formatdate(self.settings.clock(), usegmt=True)
        return response

    async def _answer(self, request: Request) -> Response:
        action = str(request.path_params["action"])
        ctl = self.control
        ctl.enter(action)
        try:
            try:  # read (and cache) the body now: it is signed, and a held request outlives it
                body = await request.body()
            except ClientDisconnect:
                return Dropped()
            try:
                secret_id = self._authenticate(request, action, body)
                self._admit(secret_id, action)
            except ShenbiError as exc:
                return envelope_error(exc)
            if ctl.latency_ms > 0:
                await asyncio.sleep(ctl.latency_ms / 1000)
            return await self._run(request, action, body)
        finally:
            ctl.leave()

    def _authenticate(self, request: Request, action: str, body: bytes) -> str:
        s = self.settings
        try:
            secret_id = verify(path=real_path(request), headers=request.headers, body=body,
                               secret_key_of=self._credentials.get, service=s.service,
                               max_skew_s=s.max_skew_s, now=s.clock())
        except ShenbiError as exc:
            if exc.code.startswith("AuthFailure."):
                self.control.note_auth_failure()
            raise
        version = request.headers.get("x-tc-version")
        if version is None:
            raise ShenbiError("MissingParameter", "缺少参数 X-TC-Version")
        if version.strip() != s.version:
            raise ShenbiError("NoSuchVersion", f"接口版本 {version!r} 不存在")
        header_action = request.headers.get("x-tc-action")
        if header_action is None:
            raise ShenbiError("MissingParameter", "缺少参数 X-TC-Action")
        if action not in ACTIONS:
            raise ShenbiError("InvalidAction", f"接口 {action!r} 不存在")
        if header_action.strip() != action:
            raise ShenbiError("InvalidAction", f"X-TC-Action {header_action!r} 与路径中的接口 "
                              f"{action} 不一致")
        return secret_id

    def _admit(self, secret_id: str, action: str) -> None:
        if self._limiter.admit(secret_id) is not Verdict.OK:
            self.control.note_rate_limited(action)
            rate = self.settings.rate_per_second
            raise ShenbiError("RequestLimitExceeded",
                              f"请求频率超过限制（每个 SecretId 每秒 {rate} 次）")

    async def _run(self, request: Request, action: str, body: bytes) -> Response:
        s = self.settings
        fault = self.control.pick_fault(action)
        if fault == "ratelimit":
            return envelope_error(ShenbiError("RequestLimitExceeded", "请求频率超过限制"))
        if fault == "5xx":
            return self.internal_error()
        if fault == "html":
            return gateway_502()
        if fault == "timeout":  # held past the client's patience; applied per timeout_apply
            try:
                early = self._process(action, body) if s.timeout_apply == "before" else None
                if await hold(self.stopping, s.fault_timeout_s) or s.timeout_apply == "never":
                    return drop(self.aborter, request, s.drop_mode == "reset")
                return early if early is not None else self._process(action, body)
            finally:
                self.control.land()
        response = self._process(action, body)
        if fault == "drop":
            return drop(self.aborter, request, s.drop_mode == "reset")
        if fault == "malformed":  # applied, but the answer is unreadable
            return Response(MALFORMED, status_code=200, media_type="application/json")
        return response

    def internal_error(self) -> Response:
        """The "5xx" fault: InternalError in the envelope, or a plain 503 page (fault_5xx)."""
        mode = self.settings.fault_5xx
        if mode == "either":
            mode = "envelope" if self.control.random() < 0.5 else "http"
        if mode == "http":
            return Response(HTML_503, status_code=503, media_type="text/html")
        return envelope_error(ShenbiError("InternalError", "内部错误，请稍后重试"))

    def _process(self, action: str, raw: bytes) -> Response:
        try:
            try:
                body = json.loads(raw, parse_float=Decimal)
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise ShenbiError("InvalidParameter", "请求体不是合法的 UTF-8 JSON") from None
            if not isinstance(body, dict):
                raise ShenbiError("InvalidParameter", "请求体须为 JSON 对象")
            return envelope_data(self.dispatch(action, body))
        except ShenbiError as exc:
            return envelope_error(exc)

    # ------------------------------------------------------------------ actions

    def call(self, secret_id: str, action: str, body: dict[str, Any]) -> dict[str, Any]:
        """One in-process call under ``secret_id``'s rate limit (the iPaaS flow's 神笔 node):
        the action's Data, or a ShenbiError."""
        self._admit(secret_id, action)
        return self.dispatch(action, body)

    def dispatch(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(body) - _KEYS[action])
        if unknown:
            raise ShenbiError("InvalidParameter", f"未知参数 {', '.join(unknown)}")
        handler: Callable[[dict[str, Any]], dict[str, Any]] = getattr(self, f"_{action}")
        return handler(body)

    def _DescribeEntityRecords(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        s = self.settings
        self.store.check_app(body.get("AppCode"))
        limit = _int(body, "Limit", s.limit_default)
        offset = _int(body, "Offset", 0)
        if not 1 <= limit <= s.limit_max:
            raise ShenbiError("InvalidParameterValue", f"Limit 须在 1–{s.limit_max} 之间")
        if offset < 0:
            raise ShenbiError("InvalidParameterValue", "Offset 不能为负数")
        return self.store.describe(body.get("Entity"), body.get("Fields"), body.get("Filter"),
                                   body.get("OrderBy"), limit, offset)

    def _DescribeEntityRecordsById(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        self.store.check_app(body.get("AppCode"), required=False)
        self.store.table(body.get("Entity"))
        ids = parse_ids(body.get("Ids"), self.settings.by_id_max, "查询")
        return self.store.by_ids(body.get("Entity"), ids, body.get("Fields"))

    def _CreateEntityRecords(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        self.store.check_app(body.get("AppCode"))
        ids = self.store.create(body.get("Entity"), body.get("Fields"), body.get("Values"))
        return {"Ids": [self.store.spell_id(i) for i in ids]}

    def _ModifyEntityRecords(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        self.store.check_app(body.get("AppCode"))
        ids = self.store.modify(body.get("Entity"), body.get("Ids"), body.get("Fields"),
                                body.get("Values"))
        return {"Ids": [self.store.spell_id(i) for i in ids]}

    def _DeleteEntityRecords(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        self.store.check_app(body.get("AppCode"))
        ids = self.store.delete(body.get("Entity"), body.get("Ids"))
        return {"Ids": [self.store.spell_id(i) for i in ids]}
