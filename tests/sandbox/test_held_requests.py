"""The sandbox's own signals for fault tests: faults counted by kind, and ``wait_landed`` —
no held ("timeout") request pending any more — so that a test waits for late writes to land
instead of sleeping and hoping they did."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sandbox_helpers import Jdy, card
from shenbi_helpers import FIRST_ID, Shenbi, card_row

from campuscard_gui.sandbox import (
    BACKENDS,
    JdySettings,
    KintoneSettings,
    SandboxInfo,
    ShenbiSettings,
    run_sandbox,
)
from campuscard_gui.sandbox.control import Control

N, SEED = 20, 3
HOLD_S = 0.6  # long enough that the client (0.2 s) gives up and the test looks in between
SHORT_HOLD_S = 0.4  # where the test does not look in between: only the client gives up first
CLIENT_S = 0.2
CREATE = {"jiandaoyun": "app/entry/data/batch_create", "kintone": "POST records",
          "shenbi": "CreateEntityRecords", "ipaas": "ipaas/gateway"}

# -------------------------------------------------------------------------- Control alone


def test_faults_are_counted_by_kind_and_reset():
    ctl = Control(seed=4, faults=["5xx", "drop", "html"], fault_rate=1.0)
    picked = [ctl.pick_fault(CREATE["jiandaoyun"]) for _ in range(30)]
    assert ctl.pick_fault("app/entry/data/list") is None  # a read, out of scope: not counted
    faults = ctl.counters().faults
    assert faults == {k: picked.count(k) for k in set(picked)} and sum(faults.values()) == 30
    assert set(faults) == {"5xx", "drop", "html"}
    ctl.reset_counters()
    assert ctl.counters().faults == {}


def test_wait_landed_blocks_until_the_last_held_request_lands():
    ctl = Control(faults=["timeout"], fault_rate=1.0)
    assert ctl.wait_landed(0) is True  # nothing held: at once
    assert [ctl.pick_fault(CREATE["kintone"]) for _ in range(2)] == ["timeout"] * 2
    assert ctl.held() == 2 and ctl.counters().held == 2
    ctl.reset_counters()  # a reset forgets totals, not what is still held
    assert ctl.held() == 2 and ctl.counters().faults == {}
    assert ctl.wait_landed(0.05) is False
    ctl.land()
    assert ctl.wait_landed(0.05) is False  # one is still held

    landed: list[bool] = []
    waiters = [threading.Thread(target=lambda: landed.append(ctl.wait_landed(10)))
               for _ in range(3)]
    for t in waiters:
        t.start()
    started = time.monotonic()
    threading.Timer(0.1, ctl.land).start()
    for t in waiters:
        t.join(10)
    assert landed == [True] * 3
    assert time.monotonic() - started < 5  # woken by the landing, not by their timeout
    assert ctl.held() == 0
    with pytest.raises(RuntimeError):
        ctl.land()  # nothing held: a caller's bug, not silently a negative count


# -------------------------------------------------------------------------- over the wire


def _settings(backend: str, hold_s: float = HOLD_S, **kw: Any) -> Any:
    if backend == "jiandaoyun":
        return JdySettings(fault_timeout_s=hold_s, **kw)
    if backend == "kintone":
        return KintoneSettings(fault_timeout_s=hold_s, **kw)
    return ShenbiSettings(fault_timeout_s=hold_s, **kw)


def _write_jiandaoyun(sb: SandboxInfo) -> None:
    jdy = Jdy(sb, timeout=CLIENT_S)
    try:
        jdy.post(CREATE["jiandaoyun"], "cards", data_list=[card("S1")], transaction_id="tx")
    finally:
        jdy.close()


def _write_kintone(sb: SandboxInfo) -> None:
    body = {"app": sb.cards_app, "records": [{"student_no": {"value": "S1"},
                                              "status": {"value": "正常"}}]}
    httpx.post(f"{sb.base_url}/k/v1/records.json", json=body, timeout=CLIENT_S,
               headers={"X-Cybozu-API-Token": sb.cards_token})


def _write_shenbi(sb: SandboxInfo) -> None:
    c = Shenbi(sb, timeout=CLIENT_S)
    try:
        c.send("CreateEntityRecords", {
            "AppCode": sb.app_code, "Entity": sb.cards_object,
            "Fields": ["studentInfo", "openTime", "amount", "status"],
            "Values": [card_row(str(FIRST_ID))]})
    finally:
        c.close()


def _write_ipaas(sb: SandboxInfo) -> None:
    httpx.post(sb.gateway_url, json={"action": "open", "studentRecords": [
        {"studentID": str(FIRST_ID)}]}, headers={"X-Gateway-Token": sb.gateway_token},
        timeout=CLIENT_S)


WRITE: dict[str, Callable[[SandboxInfo], None]] = {
    "jiandaoyun": _write_jiandaoyun, "kintone": _write_kintone, "shenbi": _write_shenbi,
    "ipaas": _write_ipaas}


def _held_write(sb: SandboxInfo) -> None:
    """One card write that the sandbox holds past the client's patience."""
    sb.control.set_faults(["timeout"], 1.0, endpoints=[CREATE[sb.backend]])
    with pytest.raises(httpx.ReadTimeout):
        WRITE[sb.backend](sb)
    assert sb.control.counters().faults == {"timeout": 1}  # the server picked it up


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_held_write_is_pending_until_it_lands(backend: str):
    with run_sandbox(backend, N, SEED, settings=_settings(backend)) as sb:
        ctl = sb.control
        _held_write(sb)
        assert ctl.held() == 1
        assert ctl.wait_landed(0.05) is False  # within the hold: pending, not applied
        assert ctl.cards_by_student() == {}
        started = time.monotonic()
        assert ctl.wait_landed(10) is True
        assert time.monotonic() - started < HOLD_S + 1  # when it landed, not at the timeout
        assert ctl.held() == 0
        assert sum(ctl.cards_by_student().values()) == 1  # landed means applied
        assert ctl.counters().faults == {"timeout": 1}


@pytest.mark.parametrize(("backend", "apply", "cards"), [
    ("jiandaoyun", "before", 1), ("jiandaoyun", "never", 0),
    ("shenbi", "before", 1), ("ipaas", "never", 0)])
def test_applied_early_or_never_still_lands(backend: str, apply: str, cards: int):
    settings = _settings(backend, SHORT_HOLD_S, timeout_apply=apply)
    with run_sandbox(backend, N, SEED, settings=settings) as sb:
        _held_write(sb)
        assert sb.control.wait_landed(10) is True
        assert sum(sb.control.cards_by_student().values()) == cards


def test_stopping_the_server_lands_what_it_held():
    with run_sandbox("jiandaoyun", N, SEED) as sb:  # default hold: 30 s
        _held_write(sb)
        assert sb.control.held() == 1
    assert sb.control.wait_landed(5) is True  # dropped unapplied by the stop
    assert sb.control.cards_by_student() == {}
