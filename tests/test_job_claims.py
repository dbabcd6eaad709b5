"""Only one process runs a job at a time; a claim left by a dead process is taken over."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from campuscard_gui.backends.local.connector import LocalConnector, init_demo
from campuscard_gui.batch import BatchRunner, JobState, Journal
from campuscard_gui.batch.liveness import process_alive, this_host
from campuscard_gui.core.errors import CampusCardError
from campuscard_gui.core.model import Action
from campuscard_gui.core.plan import plan_action


@pytest.fixture
def setup(tmp_path):
    db = tmp_path / "local.sqlite3"
    init_demo(db, students=60, seed=3)
    connector = LocalConnector(db)
    journal = Journal(tmp_path / "journal.sqlite3")
    plan = plan_action(Action.OPEN, connector.list_rows(), allow_non_enrolled=True)
    assert plan.writes
    job_id = journal.create_job(plan, profile="local", operator="t", chunk_size=10)
    yield connector, journal, job_id
    journal.close()
    connector.close()


def _claim_as(journal: Journal, job_id: int, host: str, pid: int) -> None:
    with journal._tx() as cur:  # what another process's claim() leaves in the file
        cur.execute("INSERT OR REPLACE INTO job_claims VALUES (?, ?, ?, 0)", (job_id, host, pid))


def test_live_claim_refuses_a_second_runner(setup):
    connector, journal, job_id = setup
    # a live process for the claim's pid (killed below), not a wait for anything
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        _claim_as(journal, job_id, this_host(), other.pid)
        with pytest.raises(CampusCardError) as err:
            BatchRunner(connector, journal).run(job_id)
        assert err.value.code == "job_busy" and str(other.pid) in err.value.message
        assert journal.job(job_id).state is JobState.RUNNING
        assert journal.job(job_id).succeeded == 0  # nothing was sent
    finally:
        other.kill()
        other.wait()
    # the other process is gone: its claim is stale and the job runs
    info = BatchRunner(connector, journal).run(job_id)
    assert info.state is JobState.DONE and info.pending == 0


def test_claim_released_after_run_and_after_error(setup):
    connector, journal, job_id = setup
    BatchRunner(connector, journal).run(job_id)
    with journal._reading():
        assert journal._conn.execute("SELECT COUNT(*) FROM job_claims").fetchone()[0] == 0


def test_claim_from_another_host_is_respected(setup):
    connector, journal, job_id = setup
    _claim_as(journal, job_id, this_host() + "-other", os.getpid())
    with pytest.raises(CampusCardError, match="另一台电脑"):
        BatchRunner(connector, journal).run(job_id)


def test_process_alive():
    assert process_alive(os.getpid())
    assert not process_alive(0)
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    assert not process_alive(int(done.stdout))
