"""Pieces of the sandbox without HTTP: the sliding window, ids, datetimes, filter conditions."""

from __future__ import annotations

import pytest

from campuscard_gui.sandbox.control import Control, parse_fault_kinds
from campuscard_gui.sandbox.jiandaoyun.schema import IdGenerator
from campuscard_gui.sandbox.jiandaoyun.settings import JdySettings
from campuscard_gui.sandbox.jiandaoyun.values import (
    FieldRef,
    FilterError,
    compile_condition,
    normalise_datetime,
)
from campuscard_gui.sandbox.ratelimit import SlidingWindowLimiter, Verdict


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_per_key_and_global():
    clock = FakeClock()
    lim = SlidingWindowLimiter({"a": 2, "b": 3}, total=4, window_s=1.0, clock=clock)
    assert [lim.admit("a") for _ in range(3)] == [Verdict.OK, Verdict.OK, Verdict.ENDPOINT]
    clock.now += 0.5
    assert [lim.admit("b") for _ in range(3)] == [Verdict.OK, Verdict.OK, Verdict.GLOBAL]
    clock.now += 0.5  # the two "a" requests leave the window; the "b" ones are still in it
    assert lim.admit("a") is Verdict.OK
    assert lim.admit("b") is Verdict.OK
    assert lim.admit("c") is Verdict.GLOBAL  # unknown keys: only the global limit applies
    lim.reset()
    assert lim.admit("a") is Verdict.OK


def test_ids_are_24_hex_and_strictly_increasing_even_if_the_clock_goes_back():
    gen = IdGenerator()
    ids = [gen.next(2_000_000_000), gen.next(1_000_000_000), gen.next()]
    assert all(len(i) == 24 and int(i, 16) for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == 3


@pytest.mark.parametrize(("value", "expected"), [
    (1_654_876_800_000, "2022-06-10T16:00:00.000Z"),
    (1_654_876_800_123.0, "2022-06-10T16:00:00.123Z"),
    ("2022-06-10T16:00:00.5Z", "2022-06-10T16:00:00.500Z"),
    ("2022-06-10T18:00:00+02:00", "2022-06-10T16:00:00.000Z"),
    ("2022-06-11T00:00:00", "2022-06-10T16:00:00.000Z"),
    ("2022-06-11", "2022-06-10T16:00:00.000Z"),
])
def test_datetime_normalisation(value, expected):
    assert normalise_datetime(value, 8.0) == expected


def test_naive_datetimes_follow_the_setting():
    assert normalise_datetime("2022-06-11 00:00:00", 0.0) == "2022-06-11T00:00:00.000Z"


@pytest.mark.parametrize("value", [1_654_876_800, 0, "2022/06/11", "yesterday", [1], True, None])
def test_datetime_rejects(value):
    with pytest.raises(ValueError):
        normalise_datetime(value, 8.0)


def test_conditions():
    text, num = FieldRef("t", "text"), FieldRef("n", "number")
    rows = [{"t": "a", "n": 1}, {"t": "b", "n": 5}, {"t": "", "n": ""}]

    def match(ref, method, value=None):
        pred = compile_condition(ref, method, value, max_in_values=3, naive_offset_hours=8)
        return [i for i, r in enumerate(rows) if pred(r)]

    assert match(text, "eq", ["a"]) == [0]
    assert match(text, "nin", ["a"]) == [1, 2]
    assert match(text, "empty") == [2]
    assert match(num, "range", [None, 4]) == [0]
    assert match(FieldRef("s", "sn"), "like", ["x"]) == []
    for ref, method, value in [(text, "gt", ["a"]), (num, "eq", ["1"]), (text, "in", list("abcd")),
                               (num, "range", [None, None]), (text, "eq", "a"),
                               (text, "bogus", ["a"])]:
        with pytest.raises(FilterError):
            compile_condition(ref, method, value, max_in_values=3, naive_offset_hours=8)


def test_fault_kinds_and_control_validation():
    assert parse_fault_kinds("drop, 5xx,drop") == ("drop", "5xx")
    with pytest.raises(ValueError):
        parse_fault_kinds(["drop", "meteor"])
    ctl = Control(seed=1)
    with pytest.raises(ValueError):
        ctl.set_faults(["drop"], 1.5)
    with pytest.raises(ValueError):
        ctl.set_latency(-1)
    with pytest.raises(RuntimeError):
        ctl.cards_by_student()
    ctl.set_faults(["partial"], 1.0, scope="all")
    assert ctl.pick_fault("app/entry/data/list") is None
    assert ctl.pick_fault("app/entry/data/batch_create") == "partial"
    assert ctl.pick_fault("POST bulkRequest") is None  # kintone has no partial batches
    with pytest.raises(ValueError):
        ctl.set_faults(["drop"], 1.0, endpoints=["bulkRequest.json"])


def test_fault_filters_by_endpoint_name():
    ctl = Control(seed=1)
    ctl.set_faults(["drop"], 1.0, endpoints=["records", "POST bulkRequest",
                                             "app/entry/data/batch_create"])
    picked = {e: ctl.pick_fault(e) for e in (
        "POST records", "PUT records", "DELETE records", "POST record", "POST bulkRequest",
        "GET records", "app/entry/data/batch_create", "app/entry/data/create")}
    assert {e for e, f in picked.items() if f} == {
        "POST records", "PUT records", "DELETE records", "POST bulkRequest",
        "app/entry/data/batch_create"}
    ctl.set_faults(["drop"], 1.0, scope="all", endpoints="GET records")
    assert ctl.pick_fault("GET records") == "drop"
    assert ctl.pick_fault("GET app/form/fields") is None


def test_settings_validation():
    with pytest.raises(ValueError):
        JdySettings(drop_mode="explode").validate()
    JdySettings().validate()
