"""``campuscard-sandbox`` as a process: the ready line, serving, and stopping on a signal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

import httpx
import pytest

from campuscard_gui.sandbox.cli import build_parser

CMD = [sys.executable, "-m", "campuscard_gui.sandbox.cli"]


def _start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    proc = subprocess.Popen([*CMD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", env=env)
    return proc


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


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_prints_its_json_line_serves_and_stops_on_a_signal(sig):
    env = {**os.environ, "CAMPUSCARD_SANDBOX_API_KEY": "k-from-env"}
    proc = _start("--backend", "jiandaoyun", "--students", "20", "--seed", "3", env=env)
    try:
        info = _ready_line(proc)
        assert set(info) == {"backend", "base_url", "app_id", "students_entry_id",
                             "cards_entry_id", "api_key"}
        assert info["backend"] == "jiandaoyun" and info["api_key"] == "k-from-env"
        url = info["base_url"]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api")
        r = httpx.post(f"{info['base_url']}/v5/app/entry/data/list",
                       headers={"Authorization": f"Bearer {info['api_key']}"},
                       json={"app_id": info["app_id"], "entry_id": info["students_entry_id"],
                             "limit": 100})
        assert r.status_code == 200 and len(r.json()["data"]) == 20
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=10)
        assert proc.returncode == 0, err
        assert out == "" and "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


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
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--faults", "bogus"])
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--backend", "nope"])
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--fault-rate", "2"])
