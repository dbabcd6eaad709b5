"""kintone REST API emulator as a Starlette app (shared/specs/kintone.md).

Serves ``/k/v1/<resource>.json`` and ``/k/guest/<space>/v1/<resource>.json``. Each request
passes, in order: the per-domain concurrency limit (429 GAIA_TO04), the body/parameter parse
(CB_IJ01), authentication (§2, §3.2: CB_AU01, CB_WA01, GAIA_IA02, GAIA_DA03, GAIA_NO01), the
guest-space check (GAIA_IL23, CB_NO02), the injected latency, an injected fault if one is
drawn (under the request's endpoint name, e.g. "POST bulkRequest": see Control), then the
endpoint. Errors are kintone's ``{"code", "id", "message", "errors"?}``;
every response carries ``X-ConcurrencyLimit-Limit`` / ``X-ConcurrencyLimit-Running``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send

from ..control import Control
from ..wire_faults import Aborter, Dropped, drop, gateway_502, hold
from .settings import ENDPOINTS, WRITE_ENDPOINTS, KintoneSettings
from .store import App, KintoneError, KintoneStore, invalid

_HTML_503 = "<html><body><h1>503 Service Unavailable</h1></body></html>"
_HTML_404 = "<html><body><h1>404 Not Found</h1></body></html>"
_BULK_API = re.compile(r"^/k/(?:guest/(\d+)/)?v1/(records?|record/status|records/status"
                       r"|record/assignees)\.json$")
_ARRAY_KEY = re.compile(r"^(\w+)\[(\d+)\]$")


def _error_body(exc: KintoneError) -> dict[str, Any]:
    body: dict[str, Any] = {"code": exc.code, "id": secrets.token_urlsafe(15),
                            "message": exc.message}
    if exc.errors:
        body["errors"] = exc.errors
    return body




@dataclass(slots=True)
class _Cursor:
    app: App
    ids: list[int]
    size: int
    wanted: list[str] | None
    expires: float
    pos: int = 0


@dataclass(slots=True)
class _Req:
    method: str
    resource: str
    params: dict[str, Any]
    name: str  # "METHOD resource", as Control knows it
    guest: int | None
    fault: str | None = None
    touched: list[Any] = field(default_factory=list)


def _params_from_query(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = {}
    arrays: dict[str, dict[int, str]] = {}
    for key, value in request.query_params.multi_items():
        m = _ARRAY_KEY.match(key)
        if m:
            arrays.setdefault(m.group(1), {})[int(m.group(2))] = value
        else:
            params[key] = value
    for name, items in arrays.items():
        params[name] = [items[i] for i in sorted(items)]
    return params


def _true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


class KintoneApp:
    def __init__(self, store: KintoneStore, control: Control, tokens: dict[int, str],
                 password: str, settings: KintoneSettings,
                 aborter: Aborter | None = None) -> None:
        settings.validate()
        self.store = store
        self.control = control
        self.settings = settings
        self._tokens = tokens  # app id -> its API token
        self._password = password
        self._aborter = aborter
        self._cursors: dict[str, _Cursor] = {}
        self._cursor_lock = threading.Lock()
        self.stopping = threading.Event()
        methods = ["GET", "POST", "PUT", "DELETE"]
        routes = [Route("/v1/{resource:path}", self._endpoint, methods=methods),
                  Route("/guest/{space:int}/v1/{resource:path}", self._endpoint,
                        methods=methods)]
        # ``mount`` lets another app serve this one beside others (campuscard-sandbox --backend all)
        self.mount = Mount("/k", app=Starlette(routes=routes))
        self.app = Starlette(routes=[self.mount])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    # ------------------------------------------------------------------ pipeline

    def _headers(self) -> dict[str, str]:
        return {"X-ConcurrencyLimit-Limit": str(self.settings.max_in_flight),
                "X-ConcurrencyLimit-Running": str(self.control.in_flight())}

    def _error(self, exc: KintoneError) -> JSONResponse:
        headers = self._headers()
        if exc.code == "GAIA_TO04":
            headers["X-Cybozu-Error"] = exc.code
        return JSONResponse(_error_body(exc), status_code=exc.status, headers=headers)

    async def _endpoint(self, request: Request) -> Response:
        raw = str(request.path_params["resource"])
        resource = raw[:-5] if raw.endswith(".json") else ""
        method = request.method
        if method == "POST" and "x-http-method-override" in request.headers:
            method = request.headers["x-http-method-override"]
        name = f"{method} {resource or raw}"
        ctl = self.control
        ctl.enter(name)
        try:
            if ctl.in_flight() > self.settings.max_in_flight:
                ctl.note_concurrency_rejected()
                return self._error(KintoneError(
                    "GAIA_TO04", "The number of concurrent API requests exceeds the limit.",
                    429))
            if not resource or name not in ENDPOINTS:
                return Response(_HTML_404, status_code=404, media_type="text/html")
            try:
                body = await request.body()
            except ClientDisconnect:
                return Dropped()
            space = request.path_params.get("space")
            try:
                req = _Req(method, resource, self._params(request, body), name,
                           int(space) if space is not None else None)
                self._authorise(request, req)
                self._check_space(req)
            except KintoneError as exc:
                return self._error(exc)
            if ctl.latency_ms > 0:
                await asyncio.sleep(ctl.latency_ms / 1000)
            return await self._run(request, req)
        finally:
            ctl.leave()

    @staticmethod
    def _params(request: Request, body: bytes) -> dict[str, Any]:
        params = _params_from_query(request)
        if body.strip():
            try:
                data = json.loads(body)
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise KintoneError("CB_IJ01", "Invalid JSON string.") from None
            if not isinstance(data, dict):
                raise KintoneError("CB_IJ01", "Invalid JSON string.")
            params.update(data)
        return params

    # ------------------------------------------------------------------ auth

    def _apps_touched(self, req: _Req) -> list[Any]:
        if req.resource == "bulkRequest":
            subs = req.params.get("requests")
            return [s["payload"].get("app") for s in subs or []
                    if isinstance(s, dict) and isinstance(s.get("payload"), dict)] \
                if isinstance(subs, list) else []
        if req.resource == "records/cursor" and req.method != "POST":
            with self._cursor_lock:
                cur = self._cursors.get(str(req.params.get("id")))
            return [cur.app.app_id] if cur is not None else []
        return [req.params["app"]] if req.params.get("app") is not None else []

    def _authorise(self, request: Request, req: _Req) -> None:
        req.touched = self._apps_touched(req)
        login = request.headers.get("x-cybozu-authorization")
        if login is not None:  # password auth wins over a token sent alongside (UNCONFIRMED)
            try:
                user, _, pw = base64.b64decode(login, validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                user, pw = "", ""
            if not (hmac.compare_digest(user.encode(), self.settings.user.encode())
                    and hmac.compare_digest(pw.encode(), self._password.encode())):
                self.control.note_auth_failure()
                raise KintoneError("CB_WA01", "Password authentication failed.", 401)
            return
        headers = request.headers.getlist("x-cybozu-api-token")
        if not headers:
            self.control.note_auth_failure()
            raise KintoneError("CB_AU01", "Please login.", 401)
        tokens = [t.strip() for h in headers for t in h.split(",") if t.strip()]
        if len(tokens) > self.settings.max_tokens:
            self.control.note_auth_failure()
            raise invalid({"X-Cybozu-API-Token": [
                f"A maximum of {self.settings.max_tokens} API tokens can be specified."]})
        if len(set(tokens)) != len(tokens):
            self.control.note_auth_failure()
            raise KintoneError("GAIA_DA03",
                               "You cannot specify a duplicate API token for the same app.")
        known = {tok: app for app, tok in self._tokens.items()}
        mismatch = KintoneError(
            "GAIA_IA02",
            "The specified API token does not match the API token generated via an app.",
            self.settings.wrong_token_status)
        if not tokens or any(t not in known for t in tokens):
            self.control.note_auth_failure()
            raise mismatch
        granted = {known[t] for t in tokens}
        for app in req.touched:
            try:
                app_id = int(str(app))
            except ValueError:
                continue  # the endpoint reports the bad app parameter
            if app_id not in granted:
                self.control.note_auth_failure()
                raise mismatch
            if self._writes(req) and app_id == self.settings.students_app:
                # the students app's token has view permission only
                raise KintoneError("GAIA_NO01",
                                   "Using this API token, you cannot run the specified API.",
                                   403)

    @staticmethod
    def _writes(req: _Req) -> bool:
        return req.name in WRITE_ENDPOINTS

    def _check_space(self, req: _Req) -> None:
        space = self.settings.guest_space
        if not req.touched:
            return
        if req.guest is None and space is not None:
            raise KintoneError("GAIA_IL23",
                               "The app is in a guest space. Use /k/guest/{spaceId}/v1/….", 520)
        if req.guest is not None and req.guest != space:
            raise KintoneError("CB_NO02", "No privilege to proceed.", 403)

    # ------------------------------------------------------------------ faults

    async def _run(self, request: Request, req: _Req) -> Response:
        fault = self.control.pick_fault(req.name)
        if fault == "ratelimit":
            return self._error(KintoneError(
                "GAIA_TO04", "The number of concurrent API requests exceeds the limit.", 429))
        if fault == "5xx":
            return Response(_HTML_503, status_code=503, media_type="text/html")
        if fault == "html":
            return gateway_502()
        if fault == "timeout":  # held past the client's patience, then applied
            try:
                if await hold(self.stopping, self.settings.fault_timeout_s):
                    return drop(self._aborter, request, self.settings.drop_mode == "reset")
                return self._process(req)
            finally:
                self.control.land()
        response = self._process(req)
        if fault == "drop":
            return drop(self._aborter, request, self.settings.drop_mode == "reset")
        if fault == "malformed":
            return Response("<!DOCTYPE html><html><body>busy</body></html>", status_code=200,
                            media_type="application/json")
        return response

    def _process(self, req: _Req) -> Response:
        try:
            payload = self._dispatch(req.method, req.resource, req.params)
        except KintoneError as exc:
            return self._error(exc)
        except _BulkFailed as failed:
            return JSONResponse({"results": failed.results}, status_code=failed.status,
                                headers=self._headers())
        return JSONResponse(payload, headers=self._headers())

    # ------------------------------------------------------------------ endpoints

    def _dispatch(self, method: str, resource: str, p: dict[str, Any]) -> dict[str, Any]:
        st = self.store
        if resource == "records":
            if method == "GET":
                return st.select(_app(p), str(p.get("query") or ""), _fields(p),
                                 _true(p.get("totalCount")))
            if method == "POST":
                return st.add(_app(p), p.get("records"))
            if method == "PUT":
                return st.update(_app(p), p.get("records"), _true(p.get("upsert")))
            return st.delete(_app(p), p.get("ids"), p.get("revisions"))
        if resource == "record":
            if method == "GET":
                if p.get("id") is None:
                    raise invalid({"id": ["Required field."]})
                return st.get(_app(p), p["id"])
            return self._single(method, p)
        if resource == "app/form/fields":
            return st.fields(_app(p))
        if resource == "records/cursor":
            return self._cursor(method, p)
        return self._bulk(p)

    def _single(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        try:
            if method == "POST":
                out = self.store.add(_app(p), [p.get("record", {})])
                return {"id": out["ids"][0], "revision": out["revisions"][0]}
            item = {k: p[k] for k in ("id", "updateKey", "revision", "record") if k in p}
            rec = self.store.update(_app(p), [item], _true(p.get("upsert")))["records"][0]
            return {"revision": rec["revision"]}
        except KintoneError as exc:
            if exc.errors:
                exc.errors = {re.sub(r"^records\[0\]", "record", k): v
                              for k, v in exc.errors.items()}
            raise

    def _bulk(self, p: dict[str, Any]) -> dict[str, Any]:
        subs = p.get("requests")
        if not isinstance(subs, list) or not subs:
            raise invalid({"requests": ["Required field."]})
        if len(subs) > self.settings.bulk_max:
            raise invalid({"requests": [
                f"A maximum of {self.settings.bulk_max} requests can be sent at one time."]})
        results: list[dict[str, Any]] = []
        try:
            with self.store.transaction():
                for sub in subs:
                    results.append(self._bulk_one(sub))
        except KintoneError as exc:
            failed: list[dict[str, Any]] = [{} for _ in subs]
            failed[len(results)] = _error_body(exc)
            raise _BulkFailed(failed, exc.status) from None
        return {"results": results}

    def _bulk_one(self, sub: Any) -> dict[str, Any]:
        if not isinstance(sub, dict):
            raise invalid({"requests": ["Enter an object value."]})
        method = str(sub.get("method", "")).upper()
        m = _BULK_API.match(str(sub.get("api", "")))
        payload = sub.get("payload")
        if m is None or method not in ("POST", "PUT", "DELETE") or not isinstance(payload,
                                                                                  dict):
            raise invalid({"api": ["This API cannot be used in a bulk request."]})
        resource = m.group(2)
        if resource not in ("records", "record") or (method == "DELETE"
                                                     and resource == "record"):
            raise invalid({"api": ["This API is not supported by the sandbox."]})
        guest = int(m.group(1)) if m.group(1) else None
        if guest != self.settings.guest_space:
            if guest is None:
                raise KintoneError("GAIA_IL23", "The app is in a guest space.", 520)
            raise KintoneError("CB_NO02", "No privilege to proceed.", 403)
        return self._dispatch(method, resource, payload)

    def _cursor(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        now = time.monotonic()
        s = self.settings
        with self._cursor_lock:
            for key in [k for k, c in self._cursors.items() if c.expires < now]:
                del self._cursors[key]
            if method == "POST":
                size = int(str(p.get("size") or 100)) if str(p.get("size") or "100"
                                                             ).isdigit() else 0
                if not 1 <= size <= s.cursor_size_max:
                    raise invalid({"size": [f"Enter a value between 1 and {s.cursor_size_max}."]})
                if len(self._cursors) >= s.cursor_max:
                    raise KintoneError("GAIA_TM12", "Cannot create a cursor: the limit of "
                                       f"{s.cursor_max} cursors has been reached.",
                                       s.cursor_limit_status)
                app, ids = self.store.select_ids(_app(p), str(p.get("query") or ""))
                cid = secrets.token_hex(16)
                cid = f"{cid[:8]}-{cid[8:12]}-{cid[12:16]}-{cid[16:20]}-{cid[20:]}"
                self._cursors[cid] = _Cursor(app, ids, size, _fields(p), now + s.cursor_ttl_s)
                return {"id": cid, "totalCount": str(len(ids))}
            cid = str(p.get("id") or "")
            cur = self._cursors.get(cid)
            if cur is None:  # UNCONFIRMED: the code for an unknown/expired cursor
                raise invalid({"id": ["The specified cursor does not exist."]})
            if method == "DELETE":
                del self._cursors[cid]
                return {}
            chunk = cur.ids[cur.pos:cur.pos + cur.size]
            cur.pos += len(chunk)
            more = cur.pos < len(cur.ids)
            if more:
                cur.expires = now + s.cursor_ttl_s
            else:
                del self._cursors[cid]
        return {"records": self.store.render(cur.app, chunk, cur.wanted), "next": more}


class _BulkFailed(Exception):
    def __init__(self, results: list[dict[str, Any]], status: int) -> None:
        super().__init__("bulkRequest failed")
        self.results = results
        self.status = status


def _app(p: dict[str, Any]) -> Any:
    if p.get("app") in (None, ""):
        raise invalid({"app": ["Required field."]})
    return p["app"]


def _fields(p: dict[str, Any]) -> list[str] | None:
    wanted = p.get("fields")
    if wanted is None:
        return None
    if isinstance(wanted, str):
        wanted = [wanted]
    if not isinstance(wanted, list):
        raise invalid({"fields": ["Enter an array value."]})
    return [str(f) for f in wanted]
