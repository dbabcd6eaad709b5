"""The 神笔 emulator over real loopback HTTP, signed by the tests' own TC3 signer."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from sandbox_helpers import options, sandbox_fixture
from shenbi_helpers import FIRST_ID, Shenbi, card_row

from campuscard_gui.core.demo import generate_school
from campuscard_gui.sandbox import SandboxInfo, ShenbiSettings

N, SEED = 250, 7
SCHOOL = generate_school(N, SEED)
sb = sandbox_fixture("shenbi", N, SEED)  # `c`, its client: conftest.py


def students_query(**body: Any) -> dict[str, Any]:
    return {"AppCode": "campus", "Entity": "student", **body}


LIST = students_query(Limit=1)


# --------------------------------------------------------------------------- auth


def test_signed_calls_are_answered_in_the_envelope(sb: SandboxInfo, c: Shenbi):
    r = c.send("DescribeEntityRecords", LIST)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    out = r.json()
    assert set(out) == {"Response"} and set(out["Response"]) == {"Data", "RequestId"}
    assert out["Response"]["Data"]["TotalCount"] == N
    # the SDK's SignedHeaders (content-type;host) are enough
    assert "Error" not in c.answer("DescribeEntityRecords", LIST,
                                   signed=("content-type", "host"))
    assert sb.base_url.endswith("/shenbi") and sb.service == "apaas"
    assert sb.version == "2022-01-01" and sb.secret_id.startswith("AKID")


def test_each_auth_failure(sb: SandboxInfo, c: Shenbi):
    def code(**kw: Any) -> str:
        out = c.answer("DescribeEntityRecords", LIST, **kw)
        assert set(out) == {"Error", "RequestId"}, out
        return str(out["Error"]["Code"])

    bad_auth = "AuthFailure.InvalidAuthorization"
    assert code(drop=("authorization",)) == bad_auth
    assert code(extra={"authorization": "Bearer abc"}) == bad_auth
    assert code(service="cvm") == bad_auth  # the scope names another service
    assert code(signed=("content-type", "x-tc-action")) == bad_auth  # host must be signed
    assert code(signed=("host",)) == bad_auth  # so must content-type
    assert code(signed=("content-type", "host", "x-tc-region")) == bad_auth  # not sent
    signed = c.send("DescribeEntityRecords", LIST).request.headers["authorization"]
    ts = int(c.send("DescribeEntityRecords", LIST).request.headers["x-tc-timestamp"])
    other_day = time.strftime("%Y-%m-%d", time.gmtime(ts - 86_400 * 3))
    wrong_date = signed.replace(time.strftime("%Y-%m-%d", time.gmtime(ts)), other_day)
    assert code(extra={"authorization": wrong_date}) == bad_auth
    assert code(secret_id="AKIDnobody") == "AuthFailure.SecretIdNotFound"
    assert code(secret_key="wrong") == "AuthFailure.SignatureFailure"
    assert code(tamper=json.dumps({**LIST, "Limit": 2}).encode()) == \
        "AuthFailure.SignatureFailure"
    # the path is signed as sent, base path included
    assert code(sign_path="/metadata/DescribeEntityRecords") == "AuthFailure.SignatureFailure"
    r = c.raw("DescribeEntityRecords", json.dumps(LIST).encode(),
              path="/metadata/DescribeEntityRecords")
    assert r.status_code == 404  # nothing is served outside the base path
    assert code(drop=("x-tc-timestamp",)) == "MissingParameter"
    assert sb.control.counters().auth_failures == 11


def test_timestamp_skew(c: Shenbi):
    now = int(time.time())
    for skew, expired in ((-310, True), (310, True), (-280, False), (280, False)):
        out = c.answer("DescribeEntityRecords", LIST, timestamp=now + skew)
        got = out.get("Error", {}).get("Code")
        assert (got == "AuthFailure.SignatureExpire") is expired, (skew, out)


@options(settings=ShenbiSettings(max_skew_s=30, service="lowcode", version="2021-01-08"))
def test_skew_service_and_version_are_settings(sb: SandboxInfo, c: Shenbi):
    assert sb.service == "lowcode" and sb.version == "2021-01-08"
    c.ok("DescribeEntityRecords", LIST)
    c.err("DescribeEntityRecords", LIST, "AuthFailure.SignatureExpire",
          timestamp=int(time.time()) - 60)
    c.err("DescribeEntityRecords", LIST, "AuthFailure.InvalidAuthorization", service="apaas")


def test_version_and_action(c: Shenbi):
    c.err("DescribeEntityRecords", LIST, "NoSuchVersion", version="2017-03-12")
    c.err("DescribeEntityRecords", LIST, "MissingParameter", drop=("x-tc-version",))
    c.err("DestroyEntityRecords", LIST, "InvalidAction")
    c.err("DescribeEntityRecords", LIST, "InvalidAction", header_action="ModifyEntityRecords")
    c.err("DescribeEntityRecords", LIST, "MissingParameter", drop=("x-tc-action",),
          signed=("content-type", "host"))


def test_a_get_or_an_unknown_path_is_not_an_api_call(sb: SandboxInfo):
    assert httpx.get(f"{sb.base_url}/metadata/DescribeEntityRecords").status_code == 405
    assert httpx.post(f"{sb.base_url}/v5/app/list").status_code == 404


@options(settings=ShenbiSettings(rate_per_second=5, rate_window_s=0.5))
def test_rate_limit_per_secret_id_in_a_sliding_window(sb: SandboxInfo, c: Shenbi):
    codes = [c.answer("DescribeEntityRecords", LIST).get("Error", {}).get("Code")
             for _ in range(7)]
    assert codes == [None] * 5 + ["RequestLimitExceeded"] * 2
    # every action shares the one budget
    c.err("CreateEntityRecords", {"Entity": "card", "Fields": ["amount"], "Values": [[1]]},
          "RequestLimitExceeded")
    assert sb.control.counters().rate_limited == {"DescribeEntityRecords": 2,
                                                  "CreateEntityRecords": 1}
    assert sb.control.cards_by_student() == {}
    time.sleep(0.55)  # not a wait for the sandbox: the 0.5 s rate window has to slide by
    c.ok("DescribeEntityRecords", LIST)
    # a refused signature does not spend the budget
    for _ in range(6):
        c.err("DescribeEntityRecords", LIST, "AuthFailure.SignatureFailure", secret_key="x")
    c.ok("DescribeEntityRecords", LIST)


# --------------------------------------------------------------------------- reads


def test_records_shape_default_order_and_paging(c: Shenbi):
    data = c.query()
    assert data["TotalCount"] == N and len(data["EntityRecordSet"]) == 10  # default Limit
    first = data["EntityRecordSet"][0]
    s0 = SCHOOL.students[0]
    assert first["Id"] == str(FIRST_ID) and int(first["Id"]) > 2 ** 53
    assert first["Entity"] == "student" and first["MainField"] == s0.student_no
    fv = first["FieldValue"]
    assert fv["student_no"] == {"Value": s0.student_no, "DisplayValue": s0.student_no}
    assert fv["name"]["Value"] == s0.name and fv["class_name"]["Value"] == s0.class_name
    assert fv["student_status"]["DisplayValue"] == [s0.status.value]
    assert fv["student_status"]["Value"] == [{"在读": 10001, "休学": 10002, "退学": 10003,
                                              "毕业": 10004}[s0.status.value]]
    assert fv["Id"]["Value"] == str(FIRST_ID)
    assert isinstance(fv["CreatedTime"]["Value"], int) and "UpdatedTime" in fv
    seen: list[str] = []
    for offset in range(0, N, 200):
        page = c.query(Limit=200, Offset=offset, Fields=["student_no"])
        assert page["TotalCount"] == N
        seen += [r["FieldValue"]["student_no"]["Value"] for r in page["EntityRecordSet"]]
        assert all(set(r["FieldValue"]) == {"student_no"} for r in page["EntityRecordSet"])
    assert seen == [s.student_no for s in SCHOOL.students]
    assert c.query(Limit=5, Offset=N)["EntityRecordSet"] == []


def test_read_parameter_errors(c: Shenbi):
    q = "DescribeEntityRecords"
    c.err(q, students_query(Limit=201), "InvalidParameterValue")
    c.err(q, students_query(Limit=0), "InvalidParameterValue")
    c.err(q, students_query(Offset=-1), "InvalidParameterValue")
    c.err(q, students_query(Limit="10"), "InvalidParameter")
    c.err(q, students_query(Fields=["nope"]), "InvalidParameterValue.Field")
    c.err(q, students_query(Fields="student_no"), "InvalidParameter")
    c.err(q, students_query(Conditions={}), "InvalidParameter")  # unknown parameter
    c.err(q, {"AppCode": "other", "Entity": "student"}, "ResourceNotFound.App")
    c.err(q, {"AppCode": "campus", "Entity": "teacher"}, "ResourceNotFound.Entity")
    c.err(q, {"AppCode": "campus"}, "MissingParameter")
    out = c.answer(q, {"Entity": "student"})
    assert out["Error"]["Code"] == "MissingParameter"
    r = c.raw(q, b"{not json")
    assert r.json()["Response"]["Error"]["Code"] == "InvalidParameter"
    r = c.raw(q, b"[1, 2]")
    assert r.json()["Response"]["Error"]["Code"] == "InvalidParameter"


def _nos(data: dict[str, Any]) -> list[str]:
    return [r["FieldValue"]["student_no"]["Value"] for r in data["EntityRecordSet"]]


def test_filters(c: Shenbi):
    students = SCHOOL.students
    s3 = students[3]

    def where(connector: str, *children: Any, **extra: Any) -> dict[str, Any]:
        return c.query(Filter={"Connector": connector, "Children": list(children)},
                       Limit=200, **extra)

    def cond(field: str, op: str, value: Any) -> dict[str, Any]:
        return {"Field": field, "Operator": op, "Value": value}

    assert _nos(where("AND", cond("student_no", "EQ", s3.student_no))) == [s3.student_no]
    suspended = [s.student_no for s in students if s.status.value == "休学"]
    data = where("AND", cond("student_status", "EQ", "休学"))
    assert data["TotalCount"] == len(suspended) and _nos(data) == suspended[:200]
    assert _nos(where("AND", cond("student_status", "EQ", [10002]))) == suspended[:200]
    gone = [s.student_no for s in students if s.status.value in ("休学", "退学")]
    assert where("AND", cond("student_status", "CONTAINS", ["休学", "退学"]))["TotalCount"] \
        == len(gone)
    assert where("AND", cond("student_status", "NOT_CONTAINS", ["休学", "退学"])
                 )["TotalCount"] == N - len(gone)
    cs = [s.student_no for s in students if "计算机" in s.college and s.status.value == "在读"]
    nested = where("AND", cond("college", "CONTAINS", "计算机"),
                   {"Connector": "OR", "Children": [cond("student_status", "EQ", ["在读"])]})
    assert nested["TotalCount"] == len(cs)
    either = where("OR", cond("student_no", "EQ", students[0].student_no),
                   cond("student_no", "EQ", students[9].student_no))
    assert _nos(either) == [students[0].student_no, students[9].student_no]
    # Id comparisons page by Id; Ids may be strings or numbers
    after = where("AND", cond("Id", "GT", str(FIRST_ID + 244)))
    assert _nos(after) == [s.student_no for s in students[245:]]
    assert where("AND", cond("Id", "LTE", FIRST_ID + 1))["TotalCount"] == 2
    assert where("AND")["TotalCount"] == N  # no conditions: everything
    assert where("AND", cond("name", "EQ", None))["TotalCount"] == 0
    ordered = where("AND", cond("student_status", "EQ", "休学"),
                    OrderBy=[{"Field": "student_no", "Order": "DESC"}])
    assert _nos(ordered) == sorted(suspended, reverse=True)[:200]


def test_filter_errors(c: Shenbi):
    q = "DescribeEntityRecords"

    def bad(filter_: Any, code: str = "InvalidParameterValue.Field", **extra: Any) -> None:
        c.err(q, students_query(Filter=filter_, **extra), code)

    def one(field: str, op: str, value: Any) -> dict[str, Any]:
        return {"Connector": "AND", "Children": [{"Field": field, "Operator": op,
                                                  "Value": value}]}

    bad(one("student_no", "GT", "2021"))
    bad(one("nope", "EQ", "x"))
    bad(one("student_status", "EQ", "失踪"))
    bad(one("student_status", "LT", "在读"))
    bad(one("CreatedTime", "CONTAINS", 1))
    bad(one("student_no", "LIKE", "x"), "InvalidParameterValue")
    bad({"Connector": "XOR", "Children": []}, "InvalidParameterValue")
    bad({"Connector": "AND"}, "InvalidParameter")
    bad({"Connector": "AND", "Children": [{"Field": "name", "Operator": "EQ"}]},
        "MissingParameter")
    many = {"Connector": "OR", "Children": [{"Field": "student_no", "Operator": "EQ",
                                             "Value": str(i)} for i in range(101)]}
    bad(many, "LimitExceeded")
    many["Children"] = many["Children"][:100]
    c.ok(q, students_query(Filter=many))
    bad(None, "InvalidParameterValue", OrderBy=[{"Field": "name", "Order": "UP"}])


def test_records_by_id(c: Shenbi):
    q = "DescribeEntityRecordsById"
    ids = [FIRST_ID + 5, str(FIRST_ID + 2), FIRST_ID + 99_999, FIRST_ID + 5]
    data = c.ok(q, {"Entity": "student", "Ids": ids, "Fields": ["student_no"]})
    assert data["TotalCount"] == 2  # an unknown Id is left out; a repeated one given once
    assert _nos(data) == [SCHOOL.students[5].student_no, SCHOOL.students[2].student_no]
    no_app = c.answer(q, {"Entity": "student", "Ids": [FIRST_ID]})  # AppCode is optional
    assert no_app["Data"]["TotalCount"] == 1
    c.ok(q, {"Entity": "student", "Ids": list(range(FIRST_ID, FIRST_ID + 1000))})
    c.err(q, {"Entity": "student", "Ids": list(range(FIRST_ID, FIRST_ID + 1001))},
          "LimitExceeded")
    c.err(q, {"Entity": "student", "Ids": ["14587x"]}, "InvalidParameterValue")
    c.err(q, {"Entity": "student", "Ids": [1.5]}, "InvalidParameterValue")
    c.err(q, {"Entity": "student"}, "MissingParameter")
    c.err(q, {"Entity": "student", "Ids": [FIRST_ID], "AppCode": "x"}, "ResourceNotFound.App")


@options(settings=ShenbiSettings(ids_as_numbers=True))
def test_ids_as_json_numbers_above_2_53(sb: SandboxInfo, c: Shenbi):
    r = c.send("DescribeEntityRecords", students_query(Limit=2))
    assert f'"Id":{FIRST_ID},' in r.text  # a bare 19-digit JSON number
    rec = r.json()["Response"]["Data"]["EntityRecordSet"][0]
    assert rec["Id"] == FIRST_ID and rec["Id"] > 2 ** 53
    assert rec["FieldValue"]["Id"]["Value"] == FIRST_ID
    ids = c.create_cards([card_row(FIRST_ID), card_row(str(FIRST_ID + 1))])
    assert all(isinstance(i, int) and i > 2 ** 53 for i in ids)
    card = c.ok("DescribeEntityRecordsById", {"Entity": "card", "Ids": ids})
    assert [r["FieldValue"]["studentInfo"]["Value"] for r in card["EntityRecordSet"]] == [
        FIRST_ID, FIRST_ID + 1]


def test_ids_as_strings_by_default(c: Shenbi):
    ids = c.create_cards([card_row(FIRST_ID), card_row(str(FIRST_ID + 1))])
    assert ids == [str(FIRST_ID + N), str(FIRST_ID + N + 1)]  # one sequence per tenant
    assert c.send("DescribeEntityRecordsById", {"AppCode": "campus", "Entity": "card",
                                                "Ids": [int(i) for i in ids]}
                  ).text.count(f'"{ids[0]}"') >= 2


@options(settings=ShenbiSettings(value_key_case="lower", capitalize_field_keys=True,
                                 enum_value="labels"), with_cards=True)
def test_the_other_value_spellings(c: Shenbi):
    rec = c.query("cards", Limit=1)["EntityRecordSet"][0]
    fv = rec["FieldValue"]
    assert set(fv) == {"StudentInfo", "OpenTime", "Amount", "Status", "Id", "CreatedTime",
                       "UpdatedTime"}
    assert set(fv["Status"]) == {"value", "displayValue"}
    assert fv["Status"]["value"] == fv["Status"]["displayValue"] == [
        SCHOOL.cards[0].status.value]
    assert fv["StudentInfo"] == {"value": str(FIRST_ID), "displayValue":
                                 SCHOOL.cards[0].student_no}
    # requests still name fields by their api_key
    c.query("cards", Fields=["status"], Filter={"Connector": "AND", "Children": [
        {"Field": "status", "Operator": "EQ", "Value": "正常"}]})



@options(settings=ShenbiSettings(filter_mode="ignore"))
def test_a_server_that_ignores_the_filter(c: Shenbi):
    """filter_mode=ignore: the Filter is taken, not applied; TotalCount counts every record
    (the refresh's fallback is tested against it)."""
    data = c.query(Filter={"Connector": "AND", "Children": [
        {"Field": "UpdatedTime", "Operator": "GTE", "Value": 4_000_000_000_000}]}, Limit=5)
    assert data["TotalCount"] == N and len(data["EntityRecordSet"]) == 5


# --------------------------------------------------------------------------- writes


def test_create_cards_and_read_them_back(sb: SandboxInfo, c: Shenbi):
    sid = c.student_ids(3)
    ids = c.create_cards([card_row(sid[0], amount=12.5),
                          card_row(sid[1], "冻结", open_ms=1_700_000_000_123),
                          [sid[2], None, 0, []]])
    assert len(ids) == 3 and ids == sorted(ids)
    recs = c.ok("DescribeEntityRecordsById", {"Entity": "card", "Ids": ids})["EntityRecordSet"]
    fv = [r["FieldValue"] for r in recs]
    assert fv[0]["amount"] == {"Value": "12.5", "DisplayValue": "12.5"}
    assert fv[0]["status"] == {"Value": [20001], "DisplayValue": ["正常"]}
    assert fv[0]["studentInfo"] == {"Value": sid[0],
                                    "DisplayValue": SCHOOL.students[0].student_no}
    assert fv[1]["openTime"] == {"Value": 1_700_000_000_123, "DisplayValue": 1_700_000_000_123}
    assert fv[1]["status"]["DisplayValue"] == ["冻结"]
    assert fv[2]["amount"]["Value"] == "0" and fv[2]["openTime"]["Value"] is None
    assert fv[2]["status"] == {"Value": [""], "DisplayValue": [None]}  # an empty enum (§3.3)
    assert recs[0]["MainField"] == ids[0]
    assert abs(fv[0]["CreatedTime"]["Value"] - time.time() * 1000) < 60_000
    assert sb.control.cards_by_student() == {s.student_no: 1 for s in SCHOOL.students[:3]}
    assert [r["Id"] for r in sb.control.records("cards")] == ids


def test_create_validation_names_field_and_row(sb: SandboxInfo, c: Shenbi):
    sid = c.student_ids(1)[0]
    create = "CreateEntityRecords"
    fields = ["studentInfo", "openTime", "amount", "status"]

    def bad(row: list[Any], code: str = "InvalidParameterValue.Field",
            fields_: list[str] | None = None) -> str:
        rows = [card_row(sid)] * 4 + [row]
        return c.err(create, {"Entity": "card", "Fields": fields_ or fields, "Values": rows},
                     code)

    assert "Values[4]" in bad([sid, 0, 0, "正常"]) and "status" in bad([sid, 0, 0, "正常"])
    assert "status" in bad([sid, 0, 0, ["停用"]])
    assert "status" in bad([sid, 0, 0, ["正常", "冻结"]])
    assert "amount" in bad([sid, 0, "12.5", ["正常"]])
    assert "amount" in bad([sid, 0, True, ["正常"]])
    assert "amount" in bad([sid, 0, 0.123456789, ["正常"]])
    assert "openTime" in bad([sid, "2024-09-01", 0, ["正常"]])
    assert "studentInfo" in bad(["1458712091891462183", 0, 0, ["正常"]])  # no such student
    assert "studentInfo" in bad(["学号2021000001", 0, 0, ["正常"]])
    assert "Values[4]" in bad([sid, 0, 0], "InvalidParameterValue")
    bad([0], "InvalidParameterValue.Field", ["Id"])  # system fields are not written
    bad([0], "InvalidParameterValue.Field", ["balance"])
    c.err(create, {"Entity": "card", "Fields": ["amount", "amount"], "Values": [[1, 2]]},
          "InvalidParameterValue")
    c.err(create, {"Entity": "card", "Fields": fields, "Values": []}, "InvalidParameter")
    c.err(create, {"Entity": "card", "Values": [[1]]}, "InvalidParameter")
    assert sb.control.cards_by_student() == {}  # all-or-nothing: nothing was written


def test_batch_cap(sb: SandboxInfo, c: Shenbi):
    sid = c.student_ids(1)[0]
    assert len(c.create_cards([card_row(sid)] * 100)) == 100
    c.err("CreateEntityRecords", {"Entity": "card", "Fields": ["amount"],
                                  "Values": [[1]] * 101}, "LimitExceeded")
    ids = [int(r["Id"]) for r in c.query("cards", Limit=100)["EntityRecordSet"]]
    assert len(ids) == 100
    c.err("ModifyEntityRecords", {"Entity": "card", "Ids": ids + [ids[0] + 10**6],
                                  "Fields": ["status"], "Values": [[["冻结"]]] * 101},
          "LimitExceeded")
    c.ok("ModifyEntityRecords", {"Entity": "card", "Ids": ids, "Fields": ["status"],
                                 "Values": [[["冻结"]]] * 100})
    assert sb.control.cards_by_student() == {SCHOOL.students[0].student_no: 100}


@options(settings=ShenbiSettings(batch_max=3))
def test_batch_cap_is_a_setting(c: Shenbi):
    c.err("CreateEntityRecords", {"Entity": "card", "Fields": ["amount"],
                                  "Values": [[1]] * 4}, "LimitExceeded")


def test_modify_by_id_is_all_or_nothing(sb: SandboxInfo, c: Shenbi):
    sid = c.student_ids(3)
    ids = c.create_cards([card_row(s) for s in sid])
    before = c.ok("DescribeEntityRecordsById", {"Entity": "card", "Ids": ids})
    time.sleep(0.01)  # not a wait for the sandbox: the clock ticks, so a wrong write would show
    modify = "ModifyEntityRecords"
    msg = c.err(modify, {"Entity": "card", "Ids": [ids[0], "1458712091891999999", ids[2]],
                         "Fields": ["status"], "Values": [[["冻结"]]] * 3},
                "ResourceNotFound.Record")
    assert "1458712091891999999" in msg
    assert "status" in c.err(modify, {"Entity": "card", "Ids": ids, "Fields": ["status"],
                                      "Values": [[["冻结"]], [["冻结"]], [["失效"]]]},
                             "InvalidParameterValue.Field")
    c.err(modify, {"Entity": "card", "Ids": ids, "Fields": ["status"],
                   "Values": [[["冻结"]]] * 2}, "InvalidParameterValue")
    c.err(modify, {"Entity": "card", "Ids": [ids[0], ids[0]], "Fields": ["status"],
                   "Values": [[["冻结"]]] * 2}, "InvalidParameterValue")
    c.err(modify, {"Entity": "card", "Fields": ["status"], "Values": [[["冻结"]]]},
          "MissingParameter")
    assert c.ok("DescribeEntityRecordsById", {"Entity": "card", "Ids": ids}) == before
    out = c.ok(modify, {"Entity": "card", "Ids": [ids[2], int(ids[0])],
                        "Fields": ["status", "amount"],
                        "Values": [[["注销"], 0], [["冻结"], 99.99]]})
    assert out == {"Ids": [ids[2], ids[0]]}
    after = {r["Id"]: r["FieldValue"] for r in c.ok(
        "DescribeEntityRecordsById", {"Entity": "card", "Ids": ids})["EntityRecordSet"]}
    assert after[ids[0]]["status"]["DisplayValue"] == ["冻结"]
    assert after[ids[0]]["amount"]["Value"] == "99.99"
    assert after[ids[0]]["openTime"] == before["EntityRecordSet"][0]["FieldValue"]["openTime"]
    assert after[ids[1]]["status"]["DisplayValue"] == ["正常"]
    assert after[ids[2]]["status"]["DisplayValue"] == ["注销"]
    old = before["EntityRecordSet"][0]["FieldValue"]
    assert after[ids[0]]["CreatedTime"] == old["CreatedTime"]
    assert after[ids[0]]["UpdatedTime"]["Value"] > old["UpdatedTime"]["Value"]


def test_delete_by_id_is_all_or_nothing(sb: SandboxInfo, c: Shenbi):
    sid = c.student_ids(3)
    ids = c.create_cards([card_row(s) for s in sid])
    delete = "DeleteEntityRecords"
    missing = "1458712091891999999"
    assert missing in c.err(delete, {"Entity": "card", "Ids": [ids[0], missing]},
                            "ResourceNotFound.Record")
    c.err(delete, {"Entity": "card", "Ids": [ids[0], ids[0]]}, "InvalidParameterValue")
    c.err(delete, {"Entity": "card"}, "MissingParameter")
    c.err(delete, {"Entity": "card", "Ids": []}, "InvalidParameter")
    c.err(delete, {"Entity": "card", "Ids": ids, "Fields": ["status"]}, "InvalidParameter")
    c.err(delete, {"Entity": "cardz", "Ids": ids}, "ResourceNotFound.Entity")
    c.err(delete, {"Entity": "card", "Ids": [ids[0]] * 101}, "LimitExceeded")
    assert sb.control.cards_by_student() == {s.student_no: 1 for s in SCHOOL.students[:3]}
    assert c.ok(delete, {"Entity": "card", "Ids": [ids[2], int(ids[0])]}) == {
        "Ids": [ids[2], ids[0]]}
    left = c.ok("DescribeEntityRecordsById", {"Entity": "card", "Ids": ids})
    assert [r["Id"] for r in left["EntityRecordSet"]] == [ids[1]]
    assert c.query("cards", Filter={"Connector": "AND", "Children": [
        {"Field": "studentInfo", "Operator": "EQ", "Value": sid[0]}]})["TotalCount"] == 0
    c.err(delete, {"Entity": "card", "Ids": [ids[0]]}, "ResourceNotFound.Record")  # gone
    assert sb.control.cards_by_student() == {SCHOOL.students[1].student_no: 1}


def test_delete_is_a_write_signed_paced_and_faulted_like_the_others(sb: SandboxInfo,
                                                                     c: Shenbi):
    ids = c.create_cards([card_row(c.student_ids(1)[0])])
    body = {"Entity": "card", "Ids": ids}
    c.err("DeleteEntityRecords", body, "AuthFailure.SignatureFailure", secret_key="wrong")
    sb.control.set_faults(["5xx"], 1.0)  # writes are eligible by default
    c.err("DeleteEntityRecords", body, "InternalError")
    sb.control.set_faults(["ratelimit"], 1.0, endpoints=["DeleteEntityRecords"])
    c.err("DeleteEntityRecords", body, "RequestLimitExceeded")
    sb.control.clear_faults()
    assert len(sb.control.cards_by_student()) == 1
    c.ok("DeleteEntityRecords", body)
    assert sb.control.cards_by_student() == {}
    counts = sb.control.counters()
    assert counts.requests["DeleteEntityRecords"] == 4 and counts.auth_failures == 1


def test_created_time_and_ids_follow_creation_order(c: Shenbi):
    """What the survivor rule (core.cards) orders a student's cards by: CreatedTime (ms)
    first, then the Id — both grow with every record created, in one call and across calls."""
    sid = c.student_ids(1)[0]
    first = c.create_cards([card_row(sid), card_row(sid)])
    second = c.create_cards([card_row(sid)])
    recs = c.query("cards", Limit=10, Fields=["CreatedTime"])["EntityRecordSet"]
    ranks = [(r["FieldValue"]["CreatedTime"]["Value"], int(r["Id"])) for r in recs]
    assert [str(rid) for _t, rid in ranks] == first + second
    assert all(isinstance(t, int) and abs(t - time.time() * 1000) < 60_000 for t, _ in ranks)
    assert ranks == sorted(ranks) and len({rid for _t, rid in ranks}) == 3


@options(settings=ShenbiSettings(atomic_writes=False))
def test_non_atomic_writes_keep_the_rows_before_the_bad_one(sb: SandboxInfo, c: Shenbi):
    sid = c.student_ids(3)
    msg = c.err("CreateEntityRecords", {
        "Entity": "card", "Fields": ["studentInfo", "openTime", "amount", "status"],
        "Values": [card_row(sid[0]), card_row(sid[1]), card_row(sid[2], "停用")]},
        "InvalidParameterValue.Field")
    assert "Values[2]" in msg and "2 行已写入" in msg
    assert sb.control.cards_by_student() == {s.student_no: 1 for s in SCHOOL.students[:2]}
    ids = [r["Id"] for r in c.query("cards", Limit=10)["EntityRecordSet"]]
    msg = c.err("DeleteEntityRecords", {"Entity": "card", "Ids": [ids[0], "1458712091891999999",
                                                                   ids[1]]},
                "ResourceNotFound.Record")
    assert "Ids[1]" in msg and "1 行已写入" in msg
    assert sb.control.cards_by_student() == {SCHOOL.students[1].student_no: 1}


def test_students_can_be_written_too(c: Shenbi):
    ids = c.ok("CreateEntityRecords", {"Entity": "student", "Fields": [
        "student_no", "name", "student_status"], "Values": [["2025000001", "新生", ["在读"]]]}
               )["Ids"]
    rec = c.ok("DescribeEntityRecordsById", {"Entity": "student", "Ids": ids}
               )["EntityRecordSet"][0]
    assert rec["MainField"] == "2025000001" and rec["FieldValue"]["college"]["Value"] is None


# --------------------------------------------------------------------------- faults


def _create(c: Shenbi, sid: str) -> httpx.Response:
    return c.send("CreateEntityRecords", {
        "AppCode": "campus", "Entity": "card",
        "Fields": ["studentInfo", "openTime", "amount", "status"], "Values": [card_row(sid)]})


def test_faults_that_are_not_applied(sb: SandboxInfo, c: Shenbi):
    ctl, sid = sb.control, c.student_ids(1)[0]
    ctl.set_faults(["ratelimit"], 1.0)
    c.ok("DescribeEntityRecords", LIST)  # reads are out of the default scope
    assert _create(c, sid).json()["Response"]["Error"]["Code"] == "RequestLimitExceeded"
    ctl.set_faults(["5xx"], 1.0)
    r = _create(c, sid)
    assert r.status_code == 200 and r.json()["Response"]["Error"]["Code"] == "InternalError"
    ctl.set_faults(["html"], 1.0)
    r = _create(c, sid)
    assert r.status_code == 502 and r.headers["content-type"].startswith("text/html")
    assert ctl.cards_by_student() == {}
    assert ctl.counters().faults == {"ratelimit": 1, "5xx": 1, "html": 1}


@options(settings=ShenbiSettings(fault_5xx="http"), faults="5xx", fault_rate=1.0)
def test_5xx_as_a_plain_503_page(sb: SandboxInfo, c: Shenbi):
    r = _create(c, c.student_ids(1)[0])
    assert r.status_code == 503 and r.headers["content-type"].startswith("text/html")


def test_malformed_and_drop_are_applied(sb: SandboxInfo, c: Shenbi):
    sid = c.student_ids(2)
    sb.control.set_faults(["malformed"], 1.0)
    r = _create(c, sid[0])
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        r.json()
    sb.control.set_faults(["drop"], 1.0)
    with pytest.raises(httpx.TransportError):
        _create(c, sid[1])
    assert sb.control.cards_by_student() == {s.student_no: 1 for s in SCHOOL.students[:2]}


@options(settings=ShenbiSettings(fault_timeout_s=0.6))
def test_timeout_is_applied_after_the_client_gave_up(sb: SandboxInfo):
    c = Shenbi(sb, timeout=0.2)
    try:
        sid = c.student_ids(1)[0]
        sb.control.set_faults(["timeout"], 1.0)
        with pytest.raises(httpx.ReadTimeout):
            _create(c, sid)
        assert sb.control.counters().faults == {"timeout": 1}
        assert sb.control.cards_by_student() == {}  # held: not applied yet
        assert sb.control.wait_landed(10)
        assert sb.control.cards_by_student() == {SCHOOL.students[0].student_no: 1}
    finally:
        c.close()


def test_faults_target_actions_by_name_and_latency(sb: SandboxInfo, c: Shenbi):
    ctl, sid = sb.control, c.student_ids(1)[0]
    ctl.set_faults(["5xx"], 1.0, endpoints=["ModifyEntityRecords"])
    assert "Error" not in _create(c, sid).json()["Response"]
    ctl.set_faults(["5xx"], 1.0, scope="all", endpoints=["DescribeEntityRecordsById"])
    c.ok("DescribeEntityRecords", LIST)
    c.err("DescribeEntityRecordsById", {"Entity": "student", "Ids": [FIRST_ID]},
          "InternalError")
    with pytest.raises(ValueError):
        ctl.set_faults(["5xx"], 1.0, endpoints=["describeEntityRecords"])
    ctl.clear_faults()
    ctl.set_latency(300)
    start = time.monotonic()
    c.ok("DescribeEntityRecords", LIST)
    assert time.monotonic() - start >= 0.3
    counts = ctl.counters().requests
    assert counts["DescribeEntityRecords"] == 3 and counts["CreateEntityRecords"] == 1
