"""TC3-HMAC-SHA256 (shared/specs/shenbi.md §6) against fixed vectors: the values below were
computed once, step by step, straight from the published algorithm (independently of
campuscard_gui) for one 神笔 batch create, and are pinned here so that no refactoring can
change a byte of what is signed."""

from __future__ import annotations

import hashlib

import httpx

from campuscard_gui.backends.shenbi import tc3

SECRET_ID = "AKIDEXAMPLEsb0123456789"
SECRET_KEY = "SKEXAMPLEabcdefghijklmnop0123"
TIMESTAMP = 1700006399  # 2023-11-14T23:59:59Z: 07:59:59 on the 15th in Beijing
BODY = ('{"AppCode":"campus","Entity":"card","Fields":["studentInfo","openTime","amount",'
        '"status"],"Values":[["1458712091891462184",1700006399000,0,["正常"]]]}').encode()
HEADERS = {"content-type": "application/json", "host": "127.0.0.1:8080",
           "x-tc-action": "CreateEntityRecords"}
SIGNED = ("content-type", "host", "x-tc-action")

BODY_SHA256 = "a89d4b40232b961a3a83c348088938225463ef6acaad7082ea675b201011eff0"
CANONICAL = ("POST\n/metadata/CreateEntityRecords\n\n"
             "content-type:application/json\nhost:127.0.0.1:8080\n"
             "x-tc-action:createentityrecords\n\n"
             "content-type;host;x-tc-action\n" + BODY_SHA256)
CANONICAL_SHA256 = "cc7ea5f87025aa1a82449a1d2f50624e6afc08a747d3f83a312f24aeaa13a01b"
SCOPE = "2023-11-14/apaas/tc3_request"
STRING_TO_SIGN = f"TC3-HMAC-SHA256\n{TIMESTAMP}\n{SCOPE}\n{CANONICAL_SHA256}"
SIGNATURE = "d70e30c71b0c1f4def88341658ddeb90d17c739ff827dfd0de8aff216eb124af"
AUTHORIZATION = (f"TC3-HMAC-SHA256 Credential={SECRET_ID}/{SCOPE}, "
                 f"SignedHeaders=content-type;host;x-tc-action, Signature={SIGNATURE}")


def test_each_step_matches_the_published_algorithm():
    assert hashlib.sha256(BODY).hexdigest() == BODY_SHA256
    assert tc3.utc_date(TIMESTAMP) == "2023-11-14"  # UTC, not the local date
    assert tc3.credential_scope(TIMESTAMP, "apaas") == SCOPE
    canonical = tc3.canonical_request("POST", "/metadata/CreateEntityRecords", "", HEADERS,
                                      SIGNED, BODY)
    assert canonical == CANONICAL
    assert tc3.string_to_sign(TIMESTAMP, "apaas", canonical) == STRING_TO_SIGN
    assert tc3.signature(SECRET_KEY, TIMESTAMP, "apaas", STRING_TO_SIGN) == SIGNATURE
    assert tc3.authorization(SECRET_ID, TIMESTAMP, "apaas", SIGNED, SIGNATURE) == AUTHORIZATION


def test_the_auth_signs_the_exact_bytes_httpx_sends():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"Response": {"Data": {}, "RequestId": "r"}})

    auth = tc3.Tc3Auth(SECRET_ID, SECRET_KEY, "apaas", "2022-01-01", clock=lambda: TIMESTAMP)
    with httpx.Client(transport=httpx.MockTransport(handler),
                      base_url="http://127.0.0.1:8080") as client:
        client.post("/metadata/CreateEntityRecords", content=BODY, auth=auth,
                    headers={"Content-Type": "application/json",
                             "X-TC-Action": "CreateEntityRecords"})
    (request,) = seen
    assert request.content == BODY
    assert request.headers["Authorization"] == AUTHORIZATION
    assert request.headers["X-TC-Timestamp"] == str(TIMESTAMP)
    assert request.headers["X-TC-Version"] == "2022-01-01"
    assert "X-TC-Region" not in request.headers


def test_one_changed_byte_or_a_second_later_changes_the_signature():
    other = tc3.canonical_request("POST", "/metadata/CreateEntityRecords", "", HEADERS, SIGNED,
                                  BODY.replace(b"campus", b"campuz"))
    assert other != CANONICAL
    later = tc3.string_to_sign(TIMESTAMP + 1, "apaas", CANONICAL)
    assert tc3.signature(SECRET_KEY, TIMESTAMP + 1, "apaas", later) != SIGNATURE
    assert tc3.signature(SECRET_KEY + "x", TIMESTAMP, "apaas", STRING_TO_SIGN) != SIGNATURE


def test_the_secret_key_is_in_no_repr():
    auth = tc3.Tc3Auth(SECRET_ID, SECRET_KEY, "apaas", "2022-01-01")
    assert SECRET_KEY not in repr(auth) and SECRET_ID not in repr(auth)
