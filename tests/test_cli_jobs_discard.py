"""``campuscard-cli jobs discard ID``: an unfinished job is given up. What was never sent
becomes 已取消; what was sent is read back first (what landed counts as 成功), and where it
cannot be read back it stays visible as 失败 "已发送，结果未知" — never 已取消, which says
"not written"."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from cli_helpers import FakeTTY, run

from campuscard_gui.backends.local.connector import LocalConnector, init_demo
from campuscard_gui.batch import JobState, Journal
from campuscard_gui.config import Paths
from campuscard_gui.connectors.base import CardUpdate
from campuscard_gui.core.model import Action, CardStatus
from campuscard_gui.core.plan import plan_action


@pytest.fixture
def local(paths: Paths) -> Iterator[LocalConnector]:
    init_demo(paths.local_db_path(), students=40, seed=5)
    conn = LocalConnector(paths.local_db_path())
    yield conn
    conn.close()


def make_job(paths: Paths, local: LocalConnector, *, profile: str = "local",
             sent: bool = False, landed: bool = False) -> int:
    """A freeze of 6 active cards in chunks of 2, interrupted: chunk 0 marked sent when
    ``sent`` (and really applied to the store when ``landed``), nothing decided."""
    rows = [r for r in local.list_rows() if r.card_status is CardStatus.ACTIVE][:6]
    plan = plan_action(Action.FREEZE, rows)
    assert len(plan.writes) == 6
    with Journal(paths.journal_path) as journal:
        job_id = journal.create_job(plan, profile=profile, operator="t", chunk_size=2)
        if sent:
            journal.mark_sent(job_id, 0)
            if landed:
                chunk = journal.chunks(job_id)[0]
                todo = journal.pending_writes(job_id, 0)
                local.update_cards([CardUpdate(w.student_no, w.card_id, w.revision)
                                    for w in todo], CardStatus.FROZEN, chunk.idempotency_key)
    return job_id


def frozen(local: LocalConnector) -> int:
    return sum(r.card_status is CardStatus.FROZEN for r in local.list_rows())


def test_nothing_sent_everything_cancelled(capsys, paths, local) -> None:
    job_id = make_job(paths, local)
    before = frozen(local)
    code, out, err = run(capsys, None, "jobs", "discard", str(job_id), "--yes",
                         "--format", "json")
    assert code == 0, err
    job = json.loads(out)
    assert job["state"] == "cancelled"
    assert [r["outcome"] for r in job["records"]] == ["cancelled"] * 6
    assert f"任务 {job_id} 已放弃" in err
    assert frozen(local) == before
    with Journal(paths.journal_path) as journal:
        assert journal.holder(job_id) is None and journal.unfinished_jobs() == []


def test_what_landed_is_read_back_as_succeeded(capsys, paths, local) -> None:
    job_id = make_job(paths, local, sent=True, landed=True)
    code, out, err = run(capsys, None, "jobs", "discard", str(job_id), "--yes",
                         "--format", "json")
    assert code == 0, err
    outcomes = [r["outcome"] for r in json.loads(out)["records"]]
    assert outcomes == ["succeeded"] * 2 + ["cancelled"] * 4


def test_a_sent_chunk_that_cannot_be_read_back_stays_sent_but_unknown(capsys, paths,
                                                                       local) -> None:
    job_id = make_job(paths, local, profile="gone", sent=True, landed=True)
    code, out, err = run(capsys, None, "jobs", "discard", str(job_id), "--yes",
                         "--format", "json")
    assert code == 1
    job = json.loads(out)
    assert job["state"] == "cancelled"
    outcomes = [r["outcome"] for r in job["records"]]
    assert outcomes == ["failed"] * 2 + ["cancelled"] * 4  # never "cancelled" for the sent
    assert all("结果未知" in json.dumps(r, ensure_ascii=False) for r in job["records"][:2])
    assert "无法到后台核对" in err and "2 条已发送但结果未知" in err
    with Journal(paths.journal_path) as journal:
        info = journal.job(job_id)
        assert (info.failed, info.cancelled, info.pending) == (2, 4, 0)


def test_asks_first_and_needs_a_terminal(capsys, paths, local, monkeypatch) -> None:
    job_id = make_job(paths, local)
    code, _out, err = run(capsys, None, "jobs", "discard", str(job_id), stdin="",
                          monkeypatch=monkeypatch)
    assert code == 2 and "--yes" in err
    code, _out, err = run(capsys, None, "jobs", "discard", str(job_id),
                          stdin=FakeTTY("n\n"), monkeypatch=monkeypatch)
    assert code == 1 and "未发送的 6 条记为已取消" in err
    with Journal(paths.journal_path) as journal:
        assert journal.job(job_id).state is JobState.RUNNING
    code, _out, err = run(capsys, None, "jobs", "discard", str(job_id),
                          stdin=FakeTTY("y\n"), monkeypatch=monkeypatch)
    assert code == 0, err
    code, _out, err = run(capsys, None, "jobs", "discard", str(job_id), "--yes")
    assert code == 2 and "已取消，不能放弃" in err


def test_another_pcs_claim_is_taken_over_only_when_asked(capsys, paths, local) -> None:
    job_id = make_job(paths, local)
    with Journal(paths.journal_path) as journal, journal._tx() as cur:
        cur.execute("INSERT INTO job_claims VALUES (?, 'pc-17', 99, 0)", (job_id,))
    code, _out, err = run(capsys, None, "jobs", "discard", str(job_id), "--yes")
    assert code == 3 and "pc-17" in err and f"jobs discard {job_id} --take-over" in err
    code, _out, err = run(capsys, None, "jobs", "discard", str(job_id), "--yes",
                          "--take-over")
    assert code == 0, err
    with Journal(paths.journal_path) as journal:
        assert journal.job(job_id).state is JobState.CANCELLED
