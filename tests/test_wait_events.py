"""The runner says every wait as a typed event (``Progress.wait``): a server that is down is
said within the first second ("网络中断，…秒后重试（第 2 次）"), not after a read budget of
silence; a rate limit is said as one; the end of each wait is said too."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "connectors"))

from jdy_helpers import jdy_options  # noqa: E402

from campuscard_gui.backends.jiandaoyun.connector import JiandaoyunConnector  # noqa: E402
from campuscard_gui.batch import (  # noqa: E402
    BatchRunner,
    Journal,
    Progress,
    RetryPolicy,
    Wait,
    WaitKind,
    chunk_size_for,
)
from campuscard_gui.batch.jobs import wait_kind_of  # noqa: E402
from campuscard_gui.core.errors import ConnectorError  # noqa: E402
from campuscard_gui.core.model import Action, StudentStatus  # noqa: E402
from campuscard_gui.core.plan import plan_action  # noqa: E402
from campuscard_gui.sandbox import run_sandbox  # noqa: E402
from campuscard_gui.sandbox.jiandaoyun.settings import JdySettings  # noqa: E402


@pytest.mark.parametrize(("code", "kind"), [
    ("8303", WaitKind.RATE_LIMITED), ("8304", WaitKind.RATE_LIMITED),
    ("429", WaitKind.RATE_LIMITED), ("GAIA_TO04", WaitKind.RATE_LIMITED),
    ("RequestLimitExceeded", WaitKind.RATE_LIMITED), ("network", WaitKind.NETWORK),
    ("timeout", WaitKind.TIMEOUT), ("deadline", WaitKind.TIMEOUT),
    ("http_503", WaitKind.SERVER), ("malformed", WaitKind.SERVER),
])
def test_wait_kind_by_code(code: str, kind: WaitKind) -> None:
    assert wait_kind_of(code) is kind


def _job(journal: Journal, conn: JiandaoyunConnector, n: int) -> int:
    rows = [r for r in conn.list_rows()
            if r.card is None and r.student.status is StudentStatus.ENROLLED][:n]
    assert len(rows) == n
    plan = plan_action(Action.OPEN, rows)
    return journal.create_job(plan, profile="p", operator="o",
                              chunk_size=chunk_size_for(conn))


def test_a_server_that_is_down_is_said_at_once(tmp_path: Path) -> None:
    with run_sandbox("jiandaoyun", students=40, seed=3) as sb:
        conn = JiandaoyunConnector(jdy_options(sb, read_budget_s=3), sb.api_key)
        journal = Journal(tmp_path / "j.sqlite3")
        job = _job(journal, conn, 10)
    # the sandbox has stopped: nothing listens on its port any more
    seen: list[tuple[float, Progress]] = []
    start = time.monotonic()
    runner = BatchRunner(conn, journal, retry=RetryPolicy(max_attempts=2, base_delay=0.05))
    try:
        runner.run(job, progress=lambda p: seen.append((time.monotonic() - start, p)))
    except ConnectorError:
        pass  # the job stays unfinished: what matters here is what was said meanwhile
    finally:
        conn.close()
        journal.close()
    waits = [(t, p.wait) for t, p in seen if p.wait is not None]
    assert waits, "a server that is down was waited for in silence"
    first_t, first = waits[0]
    assert first_t < 1.5  # said at once, not after the read budget
    assert isinstance(first, Wait) and first.kind is WaitKind.NETWORK
    assert first.attempt == 2 and first.seconds > 0 and first.detail
    # the old fields carry the same wait (the CLI and older callers read them)
    p0 = next(p for _t, p in seen if p.wait is not None)
    assert p0.retry_in_s == first.seconds and p0.retry_attempt == 2
    # every wait's end is said too: a wait is never left on the screen after it
    marks = [p.wait for _t, p in seen]
    assert all(a is None or b is None for a, b in zip(marks, marks[1:], strict=False))
    assert marks[-1] is None


def test_a_rate_limit_is_said_as_one(tmp_path: Path) -> None:
    settings = JdySettings()
    settings.global_rps = 3  # → 8303 on the batch calls of a job of several chunks
    with run_sandbox("jiandaoyun", students=400, seed=4, settings=settings) as sb:
        conn = JiandaoyunConnector(jdy_options(sb, read_budget_s=60), sb.api_key)
        journal = Journal(tmp_path / "j.sqlite3")
        try:
            job = _job(journal, conn, 250)
            seen: list[Progress] = []
            info = BatchRunner(conn, journal, retry=RetryPolicy(
                max_attempts=30, base_delay=0.05, max_delay=0.5)).run(job, progress=seen.append)
            assert info.succeeded == 250
            kinds = {p.wait.kind for p in seen if p.wait is not None}
            assert WaitKind.RATE_LIMITED in kinds
            limited = [p.wait for p in seen
                       if p.wait is not None and p.wait.kind is WaitKind.RATE_LIMITED]
            assert all(w.attempt >= 2 and w.seconds >= 1.0 for w in limited)  # retry_after 1 s
            assert seen[-1].wait is None
        finally:
            conn.close()
            journal.close()
