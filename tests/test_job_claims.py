"""Only one process runs a job at a time. What says so is an OS lock per running job, which
dies with its process: a reused process id or a renamed computer never blocks a job for ever.
The job_claims row only tells who holds it; another host name in it (which the program cannot
check) is refused until the operator takes the job over."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from campuscard_gui.backends.local.connector import LocalConnector, init_demo
from campuscard_gui.batch import BatchRunner, JobState, Journal
from campuscard_gui.batch.jobs import JobClaimedError
from campuscard_gui.batch.liveness import JobLock, process_alive, this_host
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


def _claims(journal: Journal) -> list[tuple[object, ...]]:
    with journal._reading():
        return journal._conn.execute("SELECT job_id, host, pid FROM job_claims").fetchall()


class LockHolder:
    """Another process that takes a job's OS lock and keeps it until its stdin closes."""

    def __init__(self, path) -> None:
        code = textwrap.dedent("""
            import sys
            from campuscard_gui.batch.liveness import JobLock
            lock = JobLock(sys.argv[1])
            print("locked" if lock.try_acquire() else "refused", flush=True)
            sys.stdin.read()
        """)
        self.proc = subprocess.Popen([sys.executable, "-c", code, str(path)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.answer = self.proc.stdout.readline().strip()  # waits for the lock to be taken

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


def test_a_claim_row_of_this_computer_without_its_lock_is_stale(setup):
    """The row's pid belongs to a live process (a reused id): the job still runs."""
    connector, journal, job_id = setup
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)
    try:
        _claim_as(journal, job_id, this_host(), other.pid)
        holder = journal.holder(job_id)
        assert holder is not None and holder.alive and holder.pid == other.pid
        info = BatchRunner(connector, journal).run(job_id)
        assert info.state is JobState.DONE and info.pending == 0
    finally:
        assert other.stdin is not None
        other.stdin.close()
        other.wait(timeout=30)


def test_a_held_lock_refuses_a_second_runner_and_a_take_over(setup):
    connector, journal, job_id = setup
    holder = LockHolder(journal.lock_path(job_id))
    try:
        assert holder.answer == "locked"
        _claim_as(journal, job_id, this_host(), holder.proc.pid)
        for take_over in (False, True):
            with pytest.raises(JobClaimedError) as err:
                BatchRunner(connector, journal).run(job_id, take_over=take_over)
            assert err.value.code == "job_busy" and not err.value.can_take_over
            assert str(holder.proc.pid) in err.value.message
        assert journal.job(job_id).succeeded == 0  # nothing was sent
        assert _claims(journal) == [(job_id, this_host(), holder.proc.pid)]
    finally:
        holder.stop()
    # the holder has ended: its lock went with it, and the job runs at once
    info = BatchRunner(connector, journal).run(job_id)
    assert info.state is JobState.DONE and info.pending == 0


def test_one_process_cannot_run_a_job_twice(setup):
    connector, journal, job_id = setup
    journal.claim(job_id)
    try:
        with pytest.raises(JobClaimedError) as err:
            BatchRunner(connector, journal).run(job_id, take_over=True)
        assert err.value.code == "job_busy"
        with Journal(journal.path) as second:  # another connection in this process
            with pytest.raises(JobClaimedError):
                second.claim(job_id, take_over=True)
    finally:
        journal.release(job_id)


def test_claim_and_lock_released_after_run(setup):
    connector, journal, job_id = setup
    BatchRunner(connector, journal).run(job_id)
    assert _claims(journal) == []
    assert not journal.lock_path(job_id).exists()


def test_another_host_name_is_refused_until_taken_over(setup):
    connector, journal, job_id = setup
    _claim_as(journal, job_id, this_host() + "-old-name", 4242)
    with pytest.raises(JobClaimedError) as err:
        BatchRunner(connector, journal).run(job_id)
    assert err.value.code == "job_claimed" and err.value.can_take_over
    assert this_host() + "-old-name" in err.value.message and "4242" in err.value.message
    assert err.value.holder is not None and err.value.holder.pid == 4242
    assert journal.job(job_id).succeeded == 0
    assert not journal.lock_path(job_id).exists()  # the lock was given back

    info = BatchRunner(connector, journal).run(job_id, take_over=True)
    assert info.state is JobState.DONE and info.pending == 0
    assert _claims(journal) == []


def test_a_lock_file_that_cannot_be_made_is_an_expected_error(setup):
    connector, journal, job_id = setup
    journal.lock_path(job_id).parent.write_text("a file in the way of the lock folder")
    with pytest.raises(CampusCardError) as err:
        BatchRunner(connector, journal).run(job_id)
    assert err.value.code == "journal" and "加锁" in err.value.message
    assert journal.job(job_id).succeeded == 0


def test_job_lock_is_exclusive_and_reusable(tmp_path):
    a, b = JobLock(tmp_path / "x.lock"), JobLock(tmp_path / "x.lock")
    assert a.try_acquire() and a.held
    assert not b.try_acquire()
    a.release()
    assert b.try_acquire()
    b.release()
    assert not (tmp_path / "x.lock").exists()


def test_process_alive():
    assert process_alive(os.getpid())
    assert not process_alive(0)
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    assert not process_alive(int(done.stdout))
