"""Checking TC3-HMAC-SHA256 signed requests the way the 神笔 emulator's server does (spec §6).

The signature is recomputed from what arrived: the raw body bytes, the request path as sent
(the CloudBase variant signs the real path, §5.2), the headers named in SignedHeaders in the
order given, and the timestamp of X-TC-Timestamp. Anything wrong is a ShenbiError with the
common code a Tencent Cloud API 3.0 service answers.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from .schema import ShenbiError

ALGORITHM = "TC3-HMAC-SHA256"
_AUTH = re.compile(r"^TC3-HMAC-SHA256 +Credential=([^,\s]+), *SignedHeaders=([^,\s]+),"
                   r" *Signature=([0-9a-f]{64}) *$")
_HEADER_NAME = re.compile(r"^[a-z0-9-]+$")


@dataclass(frozen=True, slots=True)
class Credential:
    secret_id: str
    date: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def _invalid(why: str) -> ShenbiError:
    return ShenbiError("AuthFailure.InvalidAuthorization", f"Authorization 无效：{why}")


def parse_authorization(value: str | None) -> Credential:
    if not value:
        raise _invalid("缺少 Authorization 头")
    m = _AUTH.match(value.strip())
    if m is None:
        raise _invalid("格式应为 TC3-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…")
    scope = m.group(1).split("/")
    if len(scope) != 4 or not all(scope) or scope[3] != "tc3_request":
        raise _invalid("Credential 应为 <SecretId>/<YYYY-MM-DD>/<service>/tc3_request")
    names = tuple(m.group(2).split(";"))
    if not all(_HEADER_NAME.match(n) for n in names):
        raise _invalid("SignedHeaders 须为小写头名，以分号分隔")
    for needed in ("content-type", "host"):
        if needed not in names:
            raise _invalid(f"SignedHeaders 须包含 {needed}")
    return Credential(scope[0], scope[1], scope[2], names, m.group(3))


def utc_date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def canonical_request(path: str, headers: Mapping[str, str], signed: tuple[str, ...],
                      body: bytes) -> str:
    lines = []
    for name in signed:
        value = headers[name].strip()
        if name == "x-tc-action":
            value = value.lower()
        lines.append(f"{name}:{value}\n")
    return "\n".join(["POST", path, "", "".join(lines), ";".join(signed),
                      hashlib.sha256(body).hexdigest()])


def signature(secret_key: str, date: str, service: str, timestamp: str,
              canonical: str) -> str:
    def mac(key: bytes, msg: str) -> bytes:
        return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()

    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join([ALGORITHM, timestamp, scope,
                         hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    k_signing = mac(mac(mac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    return hmac.new(k_signing, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def verify(*, path: str, headers: Mapping[str, str], body: bytes,
           secret_key_of: Callable[[str], str | None], service: str, max_skew_s: float,
           now: float) -> str:
    """Check one request; returns the SecretId it was signed with.

    ``headers``: the request headers (case-insensitive lookups, e.g. Starlette's Headers).
    """
    cred = parse_authorization(headers.get("authorization"))
    raw_ts = headers.get("x-tc-timestamp")
    if raw_ts is None or not raw_ts.strip():
        raise ShenbiError("MissingParameter", "缺少参数 X-TC-Timestamp")
    raw_ts = raw_ts.strip()
    if not (raw_ts.isascii() and raw_ts.isdigit()):
        raise ShenbiError("InvalidParameterValue", "X-TC-Timestamp 须为 Unix 秒数")
    timestamp = int(raw_ts)
    if cred.service != service:
        raise _invalid(f"Credential 中的服务名应为 {service}")
    if cred.date != utc_date(timestamp):
        raise _invalid("Credential 中的日期须为 X-TC-Timestamp 的 UTC 日期")
    secret_key = secret_key_of(cred.secret_id)
    if secret_key is None:
        raise ShenbiError("AuthFailure.SecretIdNotFound", "SecretId 不存在")
    if abs(now - timestamp) > max_skew_s:
        raise ShenbiError("AuthFailure.SignatureExpire",
                          f"签名已过期：X-TC-Timestamp 与服务器时间相差超过 {max_skew_s:g} 秒")
    missing = [n for n in cred.signed_headers if n not in headers]
    if missing:
        raise _invalid(f"SignedHeaders 中的 {', '.join(missing)} 不在请求头中")
    canonical = canonical_request(path, headers, cred.signed_headers, body)
    expected = signature(secret_key, cred.date, cred.service, raw_ts, canonical)
    if not hmac.compare_digest(expected, cred.signature):
        raise ShenbiError("AuthFailure.SignatureFailure", "签名校验失败")
    return cred.secret_id
