"""A naive 神笔 client for the sandbox tests: a small TC3-HMAC-SHA256 signer written from the
spec (§6) with hashlib/hmac only, plain httpx, no retries. It shares nothing with the emulator's
own checker (campuscard_gui/sandbox/shenbi_sign.py), so a misreading cannot cancel out.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from campuscard_gui.sandbox import SandboxInfo

FIRST_ID = 1458712091891462184  # the first record Id the 神笔 emulator hands out


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def tc3_authorization(*, secret_id: str, secret_key: str, service: str, timestamp: int,
                      path: str, headers: dict[str, str], signed: list[str],
                      body: bytes) -> str:
    """The Authorization value for a POST; ``headers``: lower-case name -> value as sent."""
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical_headers = ""
    for name in signed:
        value = headers.get(name, "").strip()
        canonical_headers += f"{name}:{value.lower() if name == 'x-tc-action' else value}\n"
    canonical = "\n".join(["POST", path, "", canonical_headers, ";".join(signed),
                           hashlib.sha256(body).hexdigest()])
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), scope,
                         hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode("utf-8"), date), service),
                "tc3_request")
    sig = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return (f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
            f"SignedHeaders={';'.join(signed)}, Signature={sig}")


class Shenbi:
    """Signs and sends 神笔 calls to a sandbox; every knob a test may want to break is a kwarg."""

    def __init__(self, sb: SandboxInfo, timeout: float = 10.0) -> None:
        self.sb = sb
        self.http = httpx.Client(timeout=timeout)
        self.host = urlsplit(sb.base_url).netloc

    def close(self) -> None:
        self.http.close()

    def raw(self, action: str, body: bytes, *, secret_id: str | None = None,
            secret_key: str | None = None, service: str | None = None,
            timestamp: int | None = None, version: str | None = None,
            header_action: str | None = None,
            signed: tuple[str, ...] = ("content-type", "host", "x-tc-action"),
            tamper: bytes | None = None, path: str | None = None,
            sign_path: str | None = None,
            drop: tuple[str, ...] = (), extra: dict[str, str] | None = None) -> httpx.Response:
        ts = int(time.time()) if timestamp is None else timestamp
        url_path = path or f"{urlsplit(self.sb.base_url).path}/metadata/{action}"
        headers = {"content-type": "application/json", "host": self.host,
                   "x-tc-action": header_action or action, "x-tc-timestamp": str(ts),
                   "x-tc-version": version or self.sb.version}
        headers["authorization"] = tc3_authorization(
            secret_id=secret_id or self.sb.secret_id,
            secret_key=self.sb.secret_key if secret_key is None else secret_key,
            service=service or self.sb.service, timestamp=ts, path=sign_path or url_path,
            headers=headers, signed=list(signed), body=body)
        for name in drop:
            headers.pop(name)
        headers.update(extra or {})
        root = self.sb.base_url[:len(self.sb.base_url) - len(urlsplit(self.sb.base_url).path)]
        return self.http.post(root + url_path, content=body if tamper is None else tamper,
                              headers=headers)

    def send(self, action: str, body: dict[str, Any], **kw: Any) -> httpx.Response:
        return self.raw(action, json.dumps(body, ensure_ascii=False).encode("utf-8"), **kw)

    def answer(self, action: str, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
        r = self.send(action, body, **kw)
        assert r.status_code == 200, r.text
        out = r.json()["Response"]
        assert len(out["RequestId"]) == 16 and int(out["RequestId"], 16) >= 0
        return dict(out)

    def ok(self, action: str, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
        out = self.answer(action, self.app(body), **kw)
        assert "Error" not in out, out
        return dict(out["Data"])

    def err(self, action: str, body: dict[str, Any], code: str, **kw: Any) -> str:
        out = self.answer(action, self.app(body), **kw)
        assert set(out) == {"Error", "RequestId"}, out
        assert out["Error"]["Code"] == code, out
        assert out["Error"]["Message"]
        return str(out["Error"]["Message"])

    def app(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"AppCode": self.sb.app_code, **body} if "AppCode" not in body else body

    # conveniences over the tenant's two objects

    def query(self, entity: str = "students", **body: Any) -> dict[str, Any]:
        obj = self.sb.students_object if entity == "students" else self.sb.cards_object
        return self.ok("DescribeEntityRecords", {"Entity": obj, **body})

    def create_cards(self, rows: list[list[Any]], **kw: Any) -> list[Any]:
        data = self.ok("CreateEntityRecords", {
            "Entity": self.sb.cards_object, "Fields": ["studentInfo", "openTime", "amount",
                                                       "status"], "Values": rows}, **kw)
        return list(data["Ids"])

    def student_ids(self, n: int) -> list[str]:
        rows = self.query(Limit=n, Fields=["student_no"])["EntityRecordSet"]
        return [r["Id"] for r in rows]


def card_row(student_id: Any, status: str = "正常", open_ms: int = 1_725_148_800_000,
             amount: Any = 0) -> list[Any]:
    return [student_id, open_ms, amount, [status]]
