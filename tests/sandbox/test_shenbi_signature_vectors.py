"""TC3-HMAC-SHA256 pinned to fixed vectors, computed here by hand with hashlib/hmac.

1. Tencent's published example (cloud.tencent.com/document/api/362/4208: CVM DescribeInstances,
   timestamp 1551113065, the doc's masked key taken literally) pins the steps themselves.
2. The same steps over a fixed 神笔 request (fixed SecretId/SecretKey/timestamp/Host/body) give
   one exact Authorization header: the server must accept exactly that header and refuse it
   once one byte of the body changes.
"""

from __future__ import annotations

import hashlib
import hmac

import httpx
import pytest

from campuscard_gui.sandbox import ShenbiSettings, run_sandbox


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def _signature(secret_key: str, date: str, service: str, timestamp: int,
               canonical_request: str) -> tuple[str, str]:
    hashed = hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    string_to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{date}/{service}/tc3_request\n{hashed}"
    k_date = _hmac(("TC3" + secret_key).encode("utf-8"), date)
    k_signing = _hmac(_hmac(k_date, service), "tc3_request")
    return hashed, hmac.new(k_signing, string_to_sign.encode("utf-8"),
                            hashlib.sha256).hexdigest()


def test_the_steps_reproduce_tencents_published_example():
    payload = (b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], '
               b'"Name": "instance-name"}]}')
    hashed_payload = hashlib.sha256(payload).hexdigest()
    assert hashed_payload == "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    canonical = ("POST\n/\n\ncontent-type:application/json; charset=utf-8\n"
                 f"host:cvm.tencentcloudapi.com\n\ncontent-type;host\n{hashed_payload}")
    hashed, sig = _signature("Gu5t9xGARNpq86cd98joQYCN3*******", "2019-02-25", "cvm",
                             1551113065, canonical)
    assert hashed == "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    assert sig == "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"


SECRET_ID = "AKIDsandboxFIXEDVECTOR0000000000001"
SECRET_KEY = "sandboxFixedSecretKey000000000001"
TIMESTAMP = 1_700_000_000  # 2023-11-14 22:13:20 UTC
HOST = "shenbi.sandbox.test"
BODY = b'{"AppCode":"campus","Entity":"student","Fields":["student_no"],"Limit":1}'
# Worked out once with the openssl command line (the test recomputes it too), so a change to
# the emulator's checker or to these steps shows up as a changed literal.
EXPECTED_SIGNATURE = "48d21e88453284a33c2b2b729cc48391502ad1b39683937ebe866362db2ee6e2"


def _fixed_authorization() -> str:
    path = "/shenbi/metadata/DescribeEntityRecords"
    canonical = (f"POST\n{path}\n\ncontent-type:application/json\nhost:{HOST}\n"
                 "x-tc-action:describeentityrecords\n\ncontent-type;host;x-tc-action\n"
                 + hashlib.sha256(BODY).hexdigest())
    _hashed, sig = _signature(SECRET_KEY, "2023-11-14", "apaas", TIMESTAMP, canonical)
    return (f"TC3-HMAC-SHA256 Credential={SECRET_ID}/2023-11-14/apaas/tc3_request, "
            f"SignedHeaders=content-type;host;x-tc-action, Signature={sig}")


def test_the_server_accepts_exactly_the_fixed_vector():
    authorization = _fixed_authorization()
    assert authorization.endswith(f"Signature={EXPECTED_SIGNATURE}")
    settings = ShenbiSettings(secret_id=SECRET_ID, clock=lambda: TIMESTAMP + 10.0)
    with run_sandbox("shenbi", students=3, seed=1, api_key=SECRET_KEY,
                     settings=settings) as sb:
        assert sb.base_url.endswith("/shenbi")

        def send(body: bytes, auth: str = authorization) -> dict:
            r = httpx.post(f"{sb.base_url}/metadata/DescribeEntityRecords", content=body,
                           headers={"Content-Type": "application/json", "Host": HOST,
                                    "X-TC-Action": "DescribeEntityRecords",
                                    "X-TC-Timestamp": str(TIMESTAMP),
                                    "X-TC-Version": "2022-01-01", "Authorization": auth},
                           timeout=10)
            assert r.status_code == 200
            return dict(r.json()["Response"])

        ok = send(BODY)
        assert "Error" not in ok and ok["Data"]["TotalCount"] == 3
        changed = BODY.replace(b'"Limit":1', b'"Limit":2')
        assert len(changed) == len(BODY)
        assert send(changed)["Error"]["Code"] == "AuthFailure.SignatureFailure"
        flipped = authorization[:-1] + ("0" if authorization[-1] != "0" else "1")
        assert send(BODY, flipped)["Error"]["Code"] == "AuthFailure.SignatureFailure"
        assert sb.control.counters().auth_failures == 2


@pytest.mark.parametrize("skew", [-301, 301])
def test_the_fixed_vector_expires_outside_five_minutes(skew):
    settings = ShenbiSettings(secret_id=SECRET_ID, clock=lambda: TIMESTAMP + skew)
    with run_sandbox("shenbi", students=1, api_key=SECRET_KEY, settings=settings) as sb:
        r = httpx.post(f"{sb.base_url}/metadata/DescribeEntityRecords", content=BODY,
                       headers={"Content-Type": "application/json", "Host": HOST,
                                "X-TC-Action": "DescribeEntityRecords",
                                "X-TC-Timestamp": str(TIMESTAMP), "X-TC-Version": "2022-01-01",
                                "Authorization": _fixed_authorization()}, timeout=10)
        assert r.json()["Response"]["Error"]["Code"] == "AuthFailure.SignatureExpire"
