"""Helpers for the connector tests: 简道云 sandbox profile options, a quick retry policy, a
function that runs one action through the real BatchRunner + Journal (any connector) and the
check that a job ended with a definite outcome per record."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from campuscard_gui.batch import (
    BatchRunner,
    JobInfo,
    JobState,
    Journal,
    RetryPolicy,
    chunk_size_for,
)
from campuscard_gui.connectors.base import Connector
from campuscard_gui.core.errors import ConnectorError
from campuscard_gui.core.model import Action, StudentRow
from campuscard_gui.core.plan import plan_action
from campuscard_gui.sandbox import SandboxInfo

# Short backoffs so fault tests stay quick; retry_after (1 s for 8303/8304) is still honoured.
FAST_RETRY = RetryPolicy(max_attempts=8, max_ambiguous=6, base_delay=0.05, max_delay=0.5)


def jdy_options(sb: SandboxInfo, **extra: Any) -> dict[str, Any]:
    """A profile's options for the sandbox; settle_s short (a held request lands at once or
    not while a test runs) unless the test sets it."""
    return {"base_url": sb.base_url, "app_id": sb.app_id,
            "students_entry": sb.students_entry_id, "cards_entry": sb.cards_entry_id,
            "settle_s": 0.5, **extra}


def run_action(conn: Connector, journal_path: Path, action: Action,
               rows: Sequence[StudentRow], *, retry: RetryPolicy = FAST_RETRY,
               resumes: int = 3) -> tuple[JobInfo, Journal]:
    """Plan ``action`` over ``rows`` (non-enrolled students allowed), run it through the real
    BatchRunner and Journal; an "unconfirmed" stop is resumed like an operator would."""
    journal = Journal(journal_path)
    plan = plan_action(action, rows, allow_non_enrolled=True)
    job_id = journal.create_job(plan, profile="jdy", operator="tester",
                                chunk_size=chunk_size_for(conn))
    runner = BatchRunner(conn, journal, retry=retry)
    for attempt in range(resumes + 1):
        try:
            return runner.run(job_id), journal
        except ConnectorError as exc:
            if exc.code != "unconfirmed" or attempt == resumes:
                raise
    raise AssertionError("unreachable")


def assert_definite(journal: Journal, job_id: int) -> Counter[str]:
    """The job is done and every record has an outcome; the outcomes counted by kind."""
    job = journal.job(job_id)
    assert job.state is JobState.DONE
    assert job.pending == 0
    records = journal.records(job_id)
    assert all(r.outcome is not None for r in records)
    return Counter(r.outcome.kind.value for r in records if r.outcome is not None)
