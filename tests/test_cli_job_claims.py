"""Job claims between real ``campuscard-cli`` processes on the journal and local store written
by an earlier main (tests/fixtures/main_v2: job 5 is unfinished, its first chunk sent, and its
claim row names another PC, ``old-pc-name``).

A CLI is paused mid-job by holding the local store's write lock from the test: its write
waits (the store's busy timeout, then retries) while it holds the job."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "main_v2"
CLI = (sys.executable, "-m", "campuscard_gui.cli.commands")
JOB = "5"
STUDENTS = ("2020000001", "2021000001", "2021000002", "2021000007", "2021000008")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


@pytest.fixture
def world(tmp_path: Path) -> Path:
    data = tmp_path / "pc"
    data.mkdir()
    for name in ("journal.sqlite3", "local.sqlite3"):
        shutil.copyfile(FIXTURES / name, data / name)
    return data


def env(data: Path) -> dict[str, str]:
    return {**os.environ, "CAMPUSCARD_DATA_DIR": str(data),
            "CAMPUSCARD_CONFIG_DIR": str(data / "config")}


def cli(data: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *argv], env=env(data), capture_output=True, text=True,
                          timeout=120, check=False)


def wait_for(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll another process's state (its journal rows) until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)
    return value


def claim_row(data: Path) -> tuple[str, int] | None:
    conn = sqlite3.connect(f"file:{data / 'journal.sqlite3'}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT host, pid FROM job_claims WHERE job_id = ?",
                           (int(JOB),)).fetchone()
    finally:
        conn.close()
    return None if row is None else (str(row[0]), int(row[1]))


def card_states(data: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(f"file:{data / 'local.sqlite3'}?mode=ro", uri=True)
    try:
        states: dict[str, list[str]] = {}
        for no, status in conn.execute("SELECT student_no, status FROM cards"
                                       " ORDER BY created_at, card_id"):
            states.setdefault(no, []).append(status)
        return states
    finally:
        conn.close()


def assert_cancelled_once(before: dict[str, list[str]], after: dict[str, list[str]]) -> None:
    """Each of the job's students: its one live card now 注销, no card added."""
    for no in STUDENTS:
        assert before[no].count("正常") == 1 and len(after[no]) == len(before[no])
        assert "正常" not in after[no]
    assert {k: v for k, v in after.items() if k not in STUDENTS} == \
        {k: v for k, v in before.items() if k not in STUDENTS}


class StoreHeld:
    """The local store's write lock, held by the test: a CLI's write waits meanwhile."""

    def __init__(self, data: Path) -> None:
        self.conn = sqlite3.connect(data / "local.sqlite3", isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")
        self.open = True

    def release(self) -> None:
        if self.open:
            self.conn.execute("ROLLBACK")
            self.conn.close()
            self.open = False


@pytest.fixture
def held(world: Path) -> Iterator[StoreHeld]:
    hold = StoreHeld(world)
    try:
        yield hold
    finally:
        hold.release()


def test_another_pc_name_is_refused_then_taken_over(world: Path) -> None:
    before = card_states(world)
    refused = cli(world, "jobs", "resume", JOB)
    assert refused.returncode == 3, refused.stderr  # exit 3: nothing done
    assert "old-pc-name" in refused.stderr and "424242" in refused.stderr
    assert f"jobs resume {JOB} --take-over" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert card_states(world) == before and claim_row(world) == ("old-pc-name", 424242)

    taken = cli(world, "jobs", "resume", JOB, "--take-over", "--format", "json")
    assert taken.returncode == 0, taken.stderr
    job = json.loads(taken.stdout)
    assert job["state"] == "done" and {r["outcome"] for r in job["records"]} == {"succeeded"}
    assert_cancelled_once(before, card_states(world))
    assert claim_row(world) is None


def test_a_live_holder_refuses_resume_and_take_over_and_a_killed_one_does_not(
        world: Path, held: StoreHeld) -> None:
    before = card_states(world)
    a = subprocess.Popen([*CLI, "jobs", "resume", JOB, "--take-over", "--format", "json"],
                         env=env(world), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: (row := claim_row(world)) is not None and row[1] == a.pid,
                 60, "the first CLI to claim the job")
        assert a.poll() is None  # paused on the store, holding the job

        for argv in (("jobs", "resume", JOB), ("jobs", "resume", JOB, "--take-over"),
                     ("jobs", "discard", JOB, "--yes", "--take-over")):
            refused = cli(world, *argv)
            assert refused.returncode == 3, (argv, refused.stderr)
            assert "正在由另一个程序执行" in refused.stderr and str(a.pid) in refused.stderr
            assert "--take-over" not in refused.stderr  # a live holder cannot be taken over
            assert "Traceback" not in refused.stderr
        assert a.poll() is None

        os.kill(a.pid, signal.SIGKILL)  # dies holding the job, mid-chunk
        assert a.wait(timeout=30) == -signal.SIGKILL
    finally:
        if a.poll() is None:
            a.kill()
            a.wait(timeout=30)
    held.release()
    assert card_states(world) == before  # its write never got through
    assert claim_row(world) is not None and claim_row(world)[1] == a.pid  # the row stays

    started = time.monotonic()
    resumed = cli(world, "jobs", "resume", JOB, "--format", "json")  # no --take-over needed
    assert resumed.returncode == 0, resumed.stderr
    assert time.monotonic() - started < 30  # at once: no stale claim to wait out
    job = json.loads(resumed.stdout)
    assert job["state"] == "done" and {r["outcome"] for r in job["records"]} == {"succeeded"}
    assert_cancelled_once(before, card_states(world))
    assert claim_row(world) is None
