"""``campuscard-sandbox`` as a process: the ready line, serving, and stopping on a signal."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from shenbi_helpers import FIRST_ID, Shenbi

from campuscard_gui.sandbox import KintoneSettings, SandboxInfo, start_sandbox
from campuscard_gui.sandbox.cli import build_parser

CMD = [sys.executable, "-m", "campuscard_gui.sandbox.cli"]


@contextmanager
def _serving(*args: str, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """``campuscard-sandbox *args`` as a process; killed at the end if it is still running."""
    proc = subprocess.Popen([*CMD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", env=env)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def _ready_line(proc: subprocess.Popen[str]) -> dict[str, str]:
    watchdog = threading.Timer(20, proc.kill)  # never hang the suite on a broken start
    watchdog.start()
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
    finally:
        watchdog.cancel()
    assert line, proc.stderr.read() if proc.stderr else ""
    return json.loads(line)


def _stops_cleanly(proc: subprocess.Popen[str], sig: int = signal.SIGTERM) -> None:
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert out == "" and "Traceback" not in err


def _jdy_total(info: dict[str, str]) -> int:
    r = httpx.post(f"{info['base_url']}/v5/app/entry/data/list",
                   headers={"Authorization": f"Bearer {info['api_key']}"},
                   json={"app_id": info["app_id"], "entry_id": info["students_entry_id"],
                         "limit": 100})
    assert r.status_code == 200
    return len(r.json()["data"])


def _freezes_through_the_gateway(url: str, token: str) -> bool:
    r = httpx.post(url, headers={"X-Gateway-Token": token}, timeout=10,
                   json={"action": "freeze", "studentRecords": [{"studentID": str(FIRST_ID)}]})
    return "Error" not in r.json()["Response"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_prints_its_json_line_serves_and_stops_on_a_signal(sig):
    env = {**os.environ, "CAMPUSCARD_SANDBOX_API_KEY": "k-from-env"}
    with _serving("--backend", "jiandaoyun", "--students", "20", "--seed", "3",
                  env=env) as proc:
        info = _ready_line(proc)
        assert set(info) == {"backend", "base_url", "app_id", "students_entry_id",
                             "cards_entry_id", "api_key"}
        assert info["backend"] == "jiandaoyun" and info["api_key"] == "k-from-env"
        url = info["base_url"]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api")
        assert _jdy_total(info) == 20
        _stops_cleanly(proc, sig)


def test_refuses_a_non_loopback_host():
    proc = subprocess.run([*CMD, "--host", "0.0.0.0"], capture_output=True, text=True,
                          encoding="utf-8", timeout=30)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "127.0.0.1" in proc.stderr


def test_argument_parsing():
    args = build_parser().parse_args(["--faults", "drop,5xx", "--fault-rate", "0.2",
                                      "--latency-ms", "50", "--port", "0"])
    assert args.faults == ("drop", "5xx") and args.fault_rate == 0.2
    assert args.backend == "jiandaoyun" and args.host == "127.0.0.1"
    assert build_parser().parse_args(["--backend", "all"]).backend == "all"
    assert build_parser().parse_args(["--backend", "shenbi"]).backend == "shenbi"
    assert build_parser().parse_args(["--backend", "ipaas"]).backend == "ipaas"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--faults", "bogus"])
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--backend", "nope"])
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--fault-rate", "2"])


def _kintone_login(info: dict[str, str]) -> dict[str, str]:
    login = base64.b64encode(f"{info['user']}:{info['password']}".encode()).decode()
    return {"X-Cybozu-Authorization": login}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_backend_all_serves_every_backend_on_one_port_and_prints_each_line():
    env = {**os.environ, "CAMPUSCARD_SANDBOX_API_KEY": "k-from-env"}
    with _serving("--backend", "all", "--students", "20", "--seed", "3", env=env) as proc:
        jdy, kin, shenbi, ipaas = (_ready_line(proc) for _ in range(4))
        assert set(jdy) == {"backend", "base_url", "app_id", "students_entry_id",
                            "cards_entry_id", "api_key"}
        assert set(kin) == {"backend", "base_url", "students_app", "cards_app",
                            "students_token", "cards_token", "user", "password"}
        assert set(shenbi) == set(SHENBI_KEYS)
        assert set(ipaas) == {*SHENBI_KEYS, "gateway_url", "gateway_token"}
        assert [x["backend"] for x in (jdy, kin, shenbi, ipaas)] == [
            "jiandaoyun", "kintone", "shenbi", "ipaas"]
        assert jdy["base_url"] == kin["base_url"] + "/api"
        assert shenbi["base_url"] == kin["base_url"] + "/shenbi"
        assert ipaas["base_url"] == kin["base_url"] + "/shenbi-ipaas"
        assert shenbi["secret_key"] == ipaas["secret_key"] == "k-from-env"
        for line in (shenbi, ipaas):
            assert _shenbi_total(line) == 20
        assert _jdy_total(jdy) == 20
        r = httpx.get(f"{kin['base_url']}/k/v1/records.json", headers=_kintone_login(kin),
                      params={"app": kin["students_app"], "totalCount": "true"})
        assert r.status_code == 200 and r.json()["totalCount"] == "20"
        _stops_cleanly(proc)


def test_all_backends_keep_their_own_paths_errors_and_controls():
    running = start_sandbox("all", students=5, seed=2, api_key="secret")
    try:
        jdy, kin, shenbi, ipaas = running.infos
        assert running.for_backend("kintone") is kin and running.info is jdy
        assert running.for_backend("ipaas") is ipaas and ipaas.control is not shenbi.control
        assert jdy.control is not kin.control
        assert jdy.base_url == f"{kin.base_url}/api" and kin.password == jdy.api_key
        with httpx.Client(base_url=kin.base_url, timeout=10) as http:
            # each app answers its own unknown paths the way it does alone
            r = http.post("/api/v5/app/entry/nope", headers={"Authorization": "Bearer secret"})
            assert r.status_code == 404 and r.json()["code"] == 404
            r = http.get("/k/v1/nothing.json", headers=_kintone_login(kin.start_line()))
            assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
            assert http.get("/elsewhere").status_code == 404
            r = http.get("/k/guest/3/v1/records.json", params={"app": kin.students_app},
                         headers={"X-Cybozu-API-Token": kin.students_token})
            assert r.status_code == 403 and r.json()["code"] == "CB_NO02"
            r = http.post("/api/v5/app/list", headers={"Authorization": "Bearer secret"},
                          json={})
            assert r.status_code == 200
        assert jdy.control.counters().requests == {"app/list": 1}
        assert kin.control.counters().requests == {"GET nothing": 1, "GET records": 1}
        assert jdy.control.counters().auth_failures == 0
        for info in (shenbi, ipaas):
            assert info.secret_key == "secret" and info.api_key == ""
            client = Shenbi(info)
            try:
                assert client.query(Limit=1)["TotalCount"] == 5
                client.create_cards([[client.student_ids(1)[0], 0, 0, ["正常"]]])
            finally:
                client.close()
        assert shenbi.control.counters().requests == {"DescribeEntityRecords": 2,
                                                      "CreateEntityRecords": 1}
        assert len(shenbi.control.cards_by_student()) == 1
        assert len(ipaas.control.cards_by_student()) == 1  # each over its own school
        assert _freezes_through_the_gateway(ipaas.gateway_url, ipaas.gateway_token)
    finally:
        running.stop()
    with pytest.raises(TypeError):
        start_sandbox("all", settings=KintoneSettings())
    with pytest.raises(TypeError):
        start_sandbox("shenbi", settings=KintoneSettings())


SHENBI_KEYS = ("backend", "base_url", "app_code", "students_object", "cards_object",
               "secret_id", "secret_key", "service", "version")


def _shenbi_total(line: dict[str, str]) -> int:
    fields = {k: line[k] for k in SHENBI_KEYS if k != "backend"}
    info = SandboxInfo(app_id="", students_entry_id="", cards_entry_id="", api_key="",
                       control=None, backend=line["backend"], **fields)
    client = Shenbi(info)
    try:
        return int(client.query(Limit=1)["TotalCount"])
    finally:
        client.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("backend", ["shenbi", "ipaas"])
def test_shenbi_and_ipaas_start_lines(backend):
    env = {**os.environ, "CAMPUSCARD_SANDBOX_API_KEY": "sk-from-env",
           "CAMPUSCARD_SANDBOX_GATEWAY_TOKEN": "gw-from-env"}
    with _serving("--backend", backend, "--students", "12", "--seed", "3", "--with-cards",
                  env=env) as proc:
        line = _ready_line(proc)
        extra = {"gateway_url", "gateway_token"} if backend == "ipaas" else set()
        assert set(line) == {*SHENBI_KEYS, *extra}
        assert line["backend"] == backend and line["secret_key"] == "sk-from-env"
        assert line["app_code"] == "campus" and line["students_object"] == "student"
        assert line["cards_object"] == "card" and line["service"] == "apaas"
        assert line["version"] == "2022-01-01" and line["secret_id"].startswith("AKID")
        assert line["base_url"].startswith("http://127.0.0.1:")
        assert _shenbi_total(line) == 12
        if backend == "ipaas":
            assert line["gateway_token"] == "gw-from-env"
            assert line["gateway_url"] == line["base_url"] + "/ipaas/gateway/campuscard-flow"
            assert _freezes_through_the_gateway(line["gateway_url"], "gw-from-env")
        _stops_cleanly(proc)
