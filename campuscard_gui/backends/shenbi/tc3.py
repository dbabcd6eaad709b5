"""TC3-HMAC-SHA256 request signing (Tencent Cloud API signature v3; shared/specs/shenbi.md §6)
as an ``httpx.Auth`` over the exact bytes sent.

The steps, each a pure function so tests can pin them against vectors computed from the
published algorithm:

1. CanonicalRequest = method, CanonicalURI (the real request path — the CloudBase variant,
   spec §5.2/§8), CanonicalQueryString, the signed headers (``name:value\\n``, lower-case
   names, trimmed values, ``x-tc-action``'s value lower-cased as in the doc's example),
   SignedHeaders, hex(SHA-256(body)) — joined by ``\\n``;
2. StringToSign = ``TC3-HMAC-SHA256``, the timestamp, ``<UTC date>/<service>/tc3_request``,
   hex(SHA-256(CanonicalRequest));
3. kDate = HMAC("TC3"+SecretKey, date), kService = HMAC(kDate, service),
   kSigning = HMAC(kService, "tc3_request"), Signature = hex(HMAC(kSigning, StringToSign));
4. ``Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<scope>, SignedHeaders=…,
   Signature=…``.

The SecretKey is only ever an HMAC key: it is in no header, no repr and no error.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

ALGORITHM = "TC3-HMAC-SHA256"
DEFAULT_SIGNED = ("content-type", "host", "x-tc-action")


def utc_date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d")


def credential_scope(timestamp: int, service: str) -> str:
    return f"{utc_date(timestamp)}/{service}/tc3_request"


def canonical_request(method: str, path: str, query: str, headers: Mapping[str, str],
                      signed: Sequence[str], body: bytes) -> str:
    """Step 1. ``headers`` by lower-case name; ``signed`` in the order they are listed."""
    lines = []
    for name in signed:
        value = headers[name].strip()
        if name == "x-tc-action":
            value = value.lower()
        lines.append(f"{name}:{value}\n")
    return "\n".join([method.upper(), path or "/", query, "".join(lines), ";".join(signed),
                      hashlib.sha256(body).hexdigest()])


def string_to_sign(timestamp: int, service: str, canonical: str) -> str:
    """Step 2."""
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    return "\n".join([ALGORITHM, str(timestamp), credential_scope(timestamp, service), digest])


def signature(secret_key: str, timestamp: int, service: str, to_sign: str) -> str:
    """Step 3."""
    def mac(key: bytes, msg: str) -> bytes:
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    k_date = mac(("TC3" + secret_key).encode(), utc_date(timestamp))
    k_service = mac(k_date, service)
    k_signing = mac(k_service, "tc3_request")
    return hmac.new(k_signing, to_sign.encode(), hashlib.sha256).hexdigest()


def authorization(secret_id: str, timestamp: int, service: str, signed: Sequence[str],
                  sig: str) -> str:
    """Step 4."""
    return (f"{ALGORITHM} Credential={secret_id}/{credential_scope(timestamp, service)}, "
            f"SignedHeaders={';'.join(signed)}, Signature={sig}")


@dataclass(frozen=True)
class Tc3Auth(httpx.Auth):
    """Signs each request with the tenant's SecretId/SecretKey. The request must already carry
    ``Content-Type`` and ``X-TC-Action``; this adds ``X-TC-Timestamp``, ``X-TC-Version`` (and
    ``X-TC-Region`` when set) and ``Authorization``."""

    secret_id: str = field(repr=False)
    secret_key: str = field(repr=False)
    service: str
    version: str
    region: str = ""
    signed: tuple[str, ...] = DEFAULT_SIGNED
    clock: Callable[[], float] = time.time

    requires_request_body = True

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response,
                                                               None]:
        timestamp = int(self.clock())
        request.headers["X-TC-Timestamp"] = str(timestamp)
        request.headers["X-TC-Version"] = self.version
        if self.region:
            request.headers["X-TC-Region"] = self.region
        headers = {k.lower(): v for k, v in request.headers.items()}
        headers.setdefault("host", request.url.netloc.decode("ascii"))
        canonical = canonical_request(request.method, request.url.raw_path.split(b"?")[0]
                                      .decode("ascii"), request.url.query.decode("ascii"),
                                      headers, self.signed, request.content)
        sig = signature(self.secret_key, timestamp, self.service,
                        string_to_sign(timestamp, self.service, canonical))
        request.headers["Authorization"] = authorization(self.secret_id, timestamp,
                                                         self.service, self.signed, sig)
        yield request
