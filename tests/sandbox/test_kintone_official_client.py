"""The official JavaScript client, ``@kintone/rest-api-client``, works against the sandbox
unchanged (design §6): tests/node/kintone_client.mjs drives it, these tests check what it saw
against the sandbox's own state.

Needs Node.js 20+ and the client: ``npm ci --prefix tests/node``. Without them the tests are
skipped, except under CI=true, where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_helpers import options, sandbox_fixture

from campuscard_gui.sandbox import KintoneSettings, SandboxInfo

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
SCRIPT = NODE_DIR / "kintone_client.mjs"
CLIENT = NODE_DIR / "node_modules" / "@kintone" / "rest-api-client" / "package.json"
INSTALL = "npm ci --prefix tests/node"


@pytest.fixture(scope="module")
def node() -> str:
    path = shutil.which("node")
    problem = ""
    if path is None:
        problem = "node (Node.js 20 or newer) is not on PATH"
    else:
        version = subprocess.run([path, "--version"], capture_output=True, text=True,
                                 timeout=30).stdout.strip()
        m = re.match(r"v(\d+)\.", version)
        if m is None or int(m.group(1)) < 20:
            problem = f"node {version or '?'} is too old: @kintone/rest-api-client needs 20+"
        elif not CLIENT.is_file():
            problem = "the official kintone client is not installed in tests/node/node_modules"
    if problem:
        message = f"{problem}; install Node.js 20+ and run `{INSTALL}`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    assert path is not None
    return path


def run_client(node: str, command: str, request: dict[str, Any], sb: SandboxInfo,
               ) -> tuple[int, dict[str, Any]]:
    """Run the script with ``request`` on stdin; returns (exit code, its JSON output)."""
    proc = subprocess.run([node, str(SCRIPT), command], input=json.dumps(request),
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          cwd=NODE_DIR)
    for secret in (sb.students_token, sb.cards_token, sb.password):
        assert secret not in proc.stdout and secret not in proc.stderr
    assert proc.stdout.count("\n") == 1, (proc.returncode, proc.stdout[:2000], proc.stderr)
    return proc.returncode, json.loads(proc.stdout)


def base(sb: SandboxInfo, auth: str = "token", guest: bool = False) -> dict[str, Any]:
    """The common request keys; the client takes plain http only for "localhost"."""
    request: dict[str, Any] = {
        "baseUrl": sb.base_url.replace("127.0.0.1", "localhost"),
        "studentsApp": sb.students_app, "cardsApp": sb.cards_app,
        "auth": ({"apiToken": [sb.students_token, sb.cards_token]} if auth == "token"
                 else {"username": sb.user, "password": sb.password})}
    if guest:
        request["guestSpaceId"] = int(sb.guest_space)
    return request


def card(no: str, status: str = "正常") -> dict[str, Any]:
    return {"student_no": {"value": no}, "status": {"value": status},
            "open_time": {"value": "2024-09-01T08:00:00+08:00"}, "amount": {"value": "0"}}


def numbers(n: int) -> list[str]:
    return [f"C{i:06d}" for i in range(n)]


def ids_revisions(n: int, revision: str, first: int = 1) -> list[dict[str, str]]:
    return [{"id": str(i), "revision": revision} for i in range(first, first + n)]


def form_fields(sb: SandboxInfo, app: str) -> Any:
    r = httpx.get(f"{sb.base_url}/k/v1/app/form/fields.json", params={"app": app},
                  headers={"X-Cybozu-API-Token": f"{sb.students_token},{sb.cards_token}"})
    return r.json()["properties"]


sb = sandbox_fixture("kintone", 1_000, 5)


@options(students=2_500)
def test_reads_adds_and_updates_with_api_tokens(node: str, sb: SandboxInfo):
    nos = numbers(2_300)
    wanted = nos[100:350]
    updates = [{"id": str(i), "record": {"status": {"value": "冻结"}},
                **({"revision": "1"} if i % 2 else {})} for i in range(1, 2_101)]
    code, out = run_client(node, "compat", {
        **base(sb), "addRecords": [card(n) for n in nos], "updateRecords": updates,
        "queries": [
            # 250 values make the URL longer than 4 KB: the client sends POST + override
            {"app": "cards", "query": "student_no in ({})".format(
                ", ".join(f'"{n}"' for n in wanted)), "totalCount": True},
            {"app": "students", "query": "$id > 2490 order by $id desc",
             "fields": ["$id", "student_no"]}]}, sb)
    assert code == 0, out
    requests = sb.control.counters().requests
    assert requests["POST bulkRequest"] == 4 and requests["GET app/form/fields"] == 2
    # students 6 pages, cards before 1, after 5, and the two getRecords
    assert requests["GET records"] == 6 + 1 + 5 + 2
    assert out["formFields"] == {"students": form_fields(sb, sb.students_app),
                                 "cards": form_fields(sb, sb.cards_app)}
    assert out["formFields"]["cards"]["student_no"]["unique"] is True
    # 2,500 students by seek paging: five full pages of 500 and an empty one
    assert out["students"] == sb.control.records("students")
    assert len(out["students"]) == 2_500 and out["cardsBefore"] == []
    in_query, seek = out["queries"]
    assert in_query["totalCount"] == "0"  # asked before the cards were added
    assert [r["$id"]["value"] for r in seek["records"]] == \
        [str(i) for i in range(2500, 2490, -1)]
    assert set(seek["records"][0]) == {"$id", "student_no"}
    # addAllRecords: 2,300 records in two bulkRequests (20 × 100, then 3 × 100)
    assert out["added"] == ids_revisions(2_300, "1")
    # updateAllRecords with and without revisions: 2,100 records, two bulkRequests
    assert out["updated"] == ids_revisions(2_100, "2")
    after = sb.control.records("cards")
    assert out["cardsAfter"] == after
    assert [r["student_no"]["value"] for r in after] == nos
    assert [r["status"]["value"] for r in after] == ["冻结"] * 2_100 + ["正常"] * 200
    assert {r["open_time"]["value"] for r in after} == {"2024-09-01T00:00:00Z"}
    # the long query once more, now that the cards exist
    code, out = run_client(node, "compat", {**base(sb), "queries": [
        {"app": "cards", "query": "student_no in ({}) order by $id asc limit 500".format(
            ", ".join(f'"{n}"' for n in wanted)), "totalCount": True}]}, sb)
    assert code == 0, out
    got = out["queries"][0]
    assert got["totalCount"] == "250"
    assert [r["student_no"]["value"] for r in got["records"]] == wanted


def test_a_duplicate_in_the_second_chunk_stops_add_all_records_with_password_auth(
        node: str, sb: SandboxInfo):
    nos = numbers(4_500)
    records = [card(n) for n in nos]
    records[2_350] = card(nos[10])  # 学号 is unique: chunk 2 (records 2,000–3,999) fails
    code, out = run_client(node, "compat", {**base(sb, "password"), "addRecords": records},
                           sb)
    assert code == 3, out
    assert out["error"] == "KintoneAllRecordsError" and out["step"] == "addAllRecords"
    assert out["numOfProcessedRecords"] == 2_000 and out["numOfAllRecords"] == 4_500
    # 2,000 processed + bulkRequest index 3 × 100 + records[50] inside it
    assert out["errorIndex"] == 2_350
    assert out["processedRecords"] == ids_revisions(2_000, "1")
    cause = out["cause"]
    assert (cause["name"], cause["code"], cause["status"], cause["bulkRequestIndex"]) == \
        ("KintoneRestAPIError", "CB_VA01", 400, 3)
    assert list(cause["errors"]) == ["records[50].student_no.value"]
    # the first chunk stays, the whole second chunk was rolled back
    assert sb.control.cards_by_student() == {n: 1 for n in nos[:2_000]}
    assert [r["$id"]["value"] for r in sb.control.records("cards")] == \
        [str(i) for i in range(1, 2_001)]


def test_wrong_password_is_a_rest_api_error_and_stays_secret(node: str, sb: SandboxInfo):
    request = base(sb, "password")
    request["auth"]["password"] = "not-" + sb.password
    proc = subprocess.run([node, str(SCRIPT), "compat"], input=json.dumps(request),
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          cwd=NODE_DIR)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "not-" + sb.password not in proc.stdout + proc.stderr
    out = json.loads(proc.stdout)
    assert (out["error"], out["step"], out["code"], out["status"]) == \
        ("KintoneRestAPIError", "getFormFields", "CB_WA01", 401)


@options(students=600, settings=KintoneSettings(guest_space=5))
def test_guest_space_and_a_stale_revision_in_update_all_records(node: str, sb: SandboxInfo):
    nos = numbers(2_100)
    updates = [{"id": str(i), "revision": "1", "record": {"status": {"value": "注销"}}}
               for i in range(1, 2_101)]
    updates[2_050]["revision"] = "7"  # chunk 2 (records 2,000–2,099) holds a stale revision
    code, out = run_client(node, "compat", {**base(sb, guest=True),
                                            "addRecords": [card(n) for n in nos],
                                            "updateRecords": updates}, sb)
    assert code == 3, out
    assert out["step"] == "updateAllRecords" and out["numOfProcessedRecords"] == 2_000
    assert out["errorIndex"] is None  # a revision conflict names no records[i]
    assert out["processedRecords"] == ids_revisions(2_000, "2")
    cause = out["cause"]
    assert (cause["code"], cause["status"], cause["bulkRequestIndex"]) == ("GAIA_CO02", 409, 0)
    after = sb.control.records("cards")
    assert [r["$revision"]["value"] for r in after] == ["2"] * 2_000 + ["1"] * 100
    assert [r["status"]["value"] for r in after] == ["注销"] * 2_000 + ["正常"] * 100
    # without guestSpaceId the client is sent to /k/v1/…, which kintone refuses for a guest app
    code, out = run_client(node, "compat", base(sb), sb)
    assert code == 2 and (out["code"], out["status"]) == ("GAIA_IL23", 520)


@options(students=10)
def test_bench_times_add_and_update_all_records(node: str, sb: SandboxInfo):
    nos = numbers(2_500)
    code, out = run_client(node, "bench", {**base(sb), "records": [card(n) for n in nos],
                                           "status": "冻结"}, sb)
    assert code == 0, out
    assert set(out) == {"add_seconds", "add_records", "update_seconds", "update_records"}
    assert out["add_records"] == out["update_records"] == 2_500
    assert out["add_seconds"] > 0 and out["update_seconds"] > 0
    assert {r["status"]["value"] for r in sb.control.records("cards")} == {"冻结"}
    counters = sb.control.counters()
    assert counters.requests == {"POST bulkRequest": 4}
    assert counters.max_in_flight == 1  # the official client sends one chunk at a time


@options(students=1_200)
def test_the_official_client_and_the_connector_see_the_same_apps(node: str, sb: SandboxInfo):
    """What the official client writes, the connector reads back identically, and the other
    way round: fields, ids, revisions and statuses (issue 4: "the same results as the
    connector sees")."""
    from campuscard_gui.backends.kintone.connector import KintoneAuth, KintoneConnector
    from campuscard_gui.config.fieldmap import FieldMap
    from campuscard_gui.connectors.base import CardCreate, CardUpdate
    from campuscard_gui.core.model import CardStatus
    from campuscard_gui.core.outcomes import Succeeded

    fields = FieldMap(card_student="student_no", card_status="status",
                      card_open_time="open_time", card_amount="amount")
    conn = KintoneConnector({"base_url": sb.base_url, "students_app": sb.students_app,
                             "cards_app": sb.cards_app, "fields": fields.to_json()},
                            KintoneAuth(sb.students_token, sb.cards_token))
    try:
        nos = [r["student_no"]["value"] for r in sb.control.records("students")]
        # the official client opens the first 700 and freezes the first 300 of them
        code, out = run_client(node, "compat", {
            **base(sb), "addRecords": [card(n) for n in nos[:700]],
            "updateRecords": [{"id": str(i), "revision": "1",
                               "record": {"status": {"value": "冻结"}}}
                              for i in range(1, 301)]}, sb)
        assert code == 0, out
        for app, props in ((sb.students_app, out["formFields"]["students"]),
                           (sb.cards_app, out["formFields"]["cards"])):
            assert [(f.name, f.label, f.type) for f in conn.list_fields(app)] == [
                (p["code"], p["label"], p["type"]) for p in props.values()]
        rows = {r.student_no: r for r in conn.list_rows()}
        assert sorted(rows) == sorted(r["student_no"]["value"] for r in out["students"])
        for rec in out["cardsAfter"]:
            card_ = rows[rec["student_no"]["value"]].card
            assert card_ is not None
            assert (card_.card_id, card_.revision, card_.status.value) == (
                rec["$id"]["value"], rec["$revision"]["value"], rec["status"]["value"])
        # the connector opens the other 500 and unfreezes what the official client froze
        opened = conn.create_cards([CardCreate(n) for n in nos[700:]], CardStatus.ACTIVE, "k")
        frozen = [rows[n].card for n in nos[:300]]
        thawed = conn.update_cards([CardUpdate(c.student_no, c.card_id, c.revision)
                                    for c in frozen if c], CardStatus.ACTIVE, "u")
        assert all(isinstance(r, Succeeded) for r in opened + thawed)
        code, out = run_client(node, "compat", base(sb), sb)
        assert code == 0, out
        seen = {r["student_no"]["value"]: r for r in out["cardsAfter"]}
        assert sorted(seen) == sorted(nos)
        assert [seen[n]["$id"]["value"] for n in nos[700:]] == [
            r.card_id for r in opened if isinstance(r, Succeeded)]
        assert {seen[n]["status"]["value"] for n in nos} == {"正常"}
        assert {seen[n]["$revision"]["value"] for n in nos[:300]} == {"3"}
    finally:
        conn.close()
