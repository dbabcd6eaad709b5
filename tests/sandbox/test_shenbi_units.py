"""Pieces of the 神笔 emulator without HTTP: settings, the Authorization parser, the store."""

from __future__ import annotations

import pytest

from campuscard_gui.core.demo import generate_school
from campuscard_gui.sandbox import ShenbiSettings
from campuscard_gui.sandbox.control import Control
from campuscard_gui.sandbox.shenbi.schema import ShenbiError
from campuscard_gui.sandbox.shenbi.sign import parse_authorization
from campuscard_gui.sandbox.shenbi.store import ShenbiStore


@pytest.mark.parametrize("bad", [
    {"value_key_case": "camel"}, {"enum_value": "both"}, {"fault_5xx": "sometimes"},
    {"gateway_answer": "all"}, {"gateway_answer": "{}"}, {"students_object": "card"},
    {"base_path": "shenbi"}, {"filter_mode": "skip"},
    {"base_path": "/shenbi/"}, {"batch_max": 0}, {"gateway_labels": {"open": "正常"}},
])
def test_settings_validation(bad):
    with pytest.raises(ValueError):
        ShenbiSettings(**bad).validate()
    ShenbiSettings(base_path="").validate()


GOOD = ("TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/apaas/tc3_request, "
        "SignedHeaders=content-type;host;x-tc-action, Signature=" + "ab" * 32)


def test_authorization_parser():
    cred = parse_authorization(GOOD)
    assert (cred.secret_id, cred.date, cred.service) == ("AKIDx", "2024-01-02", "apaas")
    assert cred.signed_headers == ("content-type", "host", "x-tc-action")
    for bad in (None, "", GOOD.replace("TC3-HMAC-SHA256", "HMAC-SHA256"),
                GOOD.replace("tc3_request", "tc2_request"),
                GOOD.replace("/apaas/", "/"), GOOD.replace("content-type;", "Content-Type;"),
                GOOD.replace(";host", ""), GOOD.replace("ab" * 32, "AB" * 32),
                GOOD.replace("ab" * 32, "ab" * 31)):
        with pytest.raises(ShenbiError) as info:
            parse_authorization(bad)
        assert info.value.code == "AuthFailure.InvalidAuthorization"


def test_nested_transactions_undo_only_their_own_part():
    store = ShenbiStore(generate_school(3, 1), ShenbiSettings())
    sid = store.students.ids[0]
    row = [[sid, 0, 0, ["正常"]]]
    fields = ["studentInfo", "openTime", "amount", "status"]
    with store.transaction():
        first = store.create("card", fields, row)
        with pytest.raises(ShenbiError), store.transaction():
            store.create("card", fields, row)
            store.modify("card", [first[0] + 99], ["status"], [[["冻结"]]])
        assert store.cards.ids == first
    assert store.cards_by_student() == {store.students.rows[sid].values["student_no"]: 1}
    with pytest.raises(RuntimeError), store.transaction():
        store.create("card", fields, row)
        raise RuntimeError
    assert store.cards.ids == first and store.next_id == first[0] + 1
    assert store.cards_of(sid) == first


def test_control_knows_the_shenbi_endpoints():
    ctl = Control(seed=1)
    ctl.set_faults(["drop"], 1.0)
    assert ctl.pick_fault("CreateEntityRecords") == "drop"
    assert ctl.pick_fault("ipaas/gateway") == "drop"
    assert ctl.pick_fault("DescribeEntityRecords") is None
    ctl.set_faults(["partial"], 1.0)
    assert ctl.pick_fault("CreateEntityRecords") is None  # no partial batches on 神笔
    ctl.set_faults(["drop"], 1.0, endpoints=["ipaas/gateway"])
    assert ctl.pick_fault("CreateEntityRecords") is None


def test_created_time_never_goes_back_when_the_clock_does():
    """A clock stepped back (NTP) must not make a later card rank before an earlier one."""
    now = [1_800_000_000.0]
    store = ShenbiStore(generate_school(2, 1), ShenbiSettings(clock=lambda: now[0]))
    sid = store.students.ids[0]
    fields = ["studentInfo", "openTime", "amount", "status"]
    first = store.create("card", fields, [[sid, 0, 0, ["正常"]]])
    now[0] -= 5
    second = store.create("card", fields, [[sid, 0, 0, ["正常"]]])
    a, b = store.cards.rows[first[0]], store.cards.rows[second[0]]
    assert (a.created, a.rid) < (b.created, b.rid)
    assert a.created == b.created == 1_800_000_000_000
    now[0] += 10
    third = store.create("card", fields, [[sid, 0, 0, ["正常"]]])
    assert store.cards.rows[third[0]].created == 1_800_000_005_000
