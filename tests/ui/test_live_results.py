"""Live per-record results: while a real job runs (a 简道云 sandbox over loopback HTTP, with
latency so that its chunks commit one after another), the records of the chunks already
committed are in the results table — a failure in a long job is visible before it ends — and
the status line says the retry waits of a server that is down."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "connectors"))

from jdy_helpers import jdy_options  # noqa: E402

from campuscard_gui.backends.jiandaoyun.connector import JiandaoyunConnector  # noqa: E402
from campuscard_gui.batch import BatchRunner, JobState, RetryPolicy  # noqa: E402
from campuscard_gui.core.model import Action, StudentStatus  # noqa: E402
from campuscard_gui.core.outcomes import OutcomeKind  # noqa: E402
from campuscard_gui.core.plan import plan_action  # noqa: E402
from campuscard_gui.sandbox import run_sandbox  # noqa: E402
from campuscard_gui.ui.jobs.job_controller import JobController  # noqa: E402


def test_records_arrive_while_the_job_runs(qtbot, panel, journal):
    with run_sandbox("jiandaoyun", students=400, seed=8, latency_ms=400) as sb:
        conn = JiandaoyunConnector(jdy_options(sb), sb.api_key)
        controller = JobController(conn, journal)
        try:
            rows = [r for r in conn.list_rows()
                    if r.card is None and r.student.status is StudentStatus.ENROLLED][:300]
            plan = plan_action(Action.OPEN, rows)
            panel.bind(controller)
            seen: list[tuple[bool, int, int]] = []
            panel.liveRecordsShown.connect(
                lambda _job, decided: seen.append((panel.is_running(), decided,
                                                   panel.model.rowCount())))
            with qtbot.waitSignal(panel.jobLoaded, timeout=60_000):
                controller.start_plan(plan, profile="p", operator="t")
            live = [(decided, shown) for running, decided, shown in seen if running]
            assert live, "no records were shown while the job ran"
            decided, shown = live[0]
            assert 0 < decided < plan.total  # the first chunk's, before the others committed
            assert shown == plan.total  # every record listed, the undecided as 待处理
            assert panel.job is not None and panel.job.state is JobState.DONE
            assert panel.model.counts()[OutcomeKind.SUCCEEDED] == plan.total
        finally:
            assert controller.shutdown(10_000)
            conn.close()


def test_a_server_that_is_down_is_said_in_the_status_line(qtbot, panel, journal):
    with run_sandbox("jiandaoyun", students=40, seed=3) as sb:
        conn = JiandaoyunConnector(jdy_options(sb, read_budget_s=4), sb.api_key)
        rows = [r for r in conn.list_rows()
                if r.card is None and r.student.status is StudentStatus.ENROLLED][:10]
    # the sandbox has stopped: its port refuses connections, as a server that is down does
    controller = JobController(conn, journal, runner_factory=lambda c, j: BatchRunner(
        c, j, retry=RetryPolicy(max_attempts=2, base_delay=0.05)))
    try:
        panel.bind(controller)
        controller.start_plan(plan_action(Action.OPEN, rows), profile="p", operator="t")
        # said within the first seconds, never "0 / 10 · 任务 2 已开始" alone
        qtbot.waitUntil(lambda: "Network down, retrying in" in panel.status_label.text(),
                        timeout=3000)
        assert "(attempt " in panel.status_label.text()
        assert "ConnectError" in panel.status_label.toolTip()  # the backend's words, aside
        with qtbot.waitSignal(controller.idle, timeout=60_000):
            pass
    finally:
        assert controller.shutdown(10_000)
        conn.close()
