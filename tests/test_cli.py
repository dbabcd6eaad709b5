"""campuscard-cli, in process (main(argv) + capsys) and as a real subprocess."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import campuscard_gui
from campuscard_gui.backends.local.connector import LocalConnector
from campuscard_gui.batch import BatchRunner, JobState, Journal, Progress
from campuscard_gui.batch.runner import FIRST_CHUNK_SAMPLE
from campuscard_gui.cli import commands as cli
from campuscard_gui.cli.commands import main
from campuscard_gui.cli.output import format_table, text_width
from campuscard_gui.config import ConfigStore, Paths, Profile
from campuscard_gui.connectors.base import CardUpdate
from campuscard_gui.core.model import Action, CardStatus
from campuscard_gui.core.plan import plan_for_ids

STUDENT_KEYS = {"student_no", "name", "college", "class", "student_status", "card_status",
                "card_id", "open_time", "amount"}


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def students(capsys: pytest.CaptureFixture[str], *filters: str) -> list[dict[str, Any]]:
    code, out, _ = run(capsys, "students", *filters, "--format", "json")
    assert code == 0
    data: list[dict[str, Any]] = json.loads(out)
    return data


def ids_file(tmp_path: Path, ids: list[str], name: str = "ids.txt") -> str:
    path = tmp_path / name
    path.write_text("\n".join(ids) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def demo(paths: Paths, capsys: pytest.CaptureFixture[str]) -> Paths:
    code, _, err = run(capsys, "local", "init", "--students", "200")
    assert code == 0, err
    return paths


# -- students ---------------------------------------------------------------------------------

def test_students_json_shape(demo: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    data = students(capsys)
    assert len(data) == 200
    assert all(set(d) == STUDENT_KEYS for d in data)
    assert {d["student_status"] for d in data} <= {"在读", "休学", "退学", "毕业"}
    assert {d["card_status"] for d in data} <= {"未开通", "正常", "冻结", "注销"}
    for d in data:
        if d["card_status"] == "未开通":
            assert d["card_id"] is None and d["open_time"] is None and d["amount"] == 0
        else:
            assert isinstance(d["card_id"], str) and isinstance(d["open_time"], int)
            assert isinstance(d["amount"], int | float)


@pytest.mark.parametrize("zh,en", [("休学", "suspended"), ("在读", "enrolled"),
                                   ("退学", "withdrawn"), ("毕业", "graduated")])
def test_students_status_filter(demo: Paths, capsys: pytest.CaptureFixture[str],
                                zh: str, en: str) -> None:
    a, b = students(capsys, "--status", zh), students(capsys, "--status", en)
    assert a == b and a and all(d["student_status"] == zh for d in a)


@pytest.mark.parametrize("zh,en", [("未开通", "none"), ("正常", "active"), ("冻结", "frozen"),
                                   ("注销", "cancelled")])
def test_students_card_filter(demo: Paths, capsys: pytest.CaptureFixture[str],
                              zh: str, en: str) -> None:
    a, b = students(capsys, "--card", zh), students(capsys, "--card", en.upper())
    assert a == b and a and all(d["card_status"] == zh for d in a)
    both = students(capsys, "--card", en, "--status", "在读")
    assert both and all(d["student_status"] == "在读" and d["card_status"] == zh for d in both)


def test_students_csv(demo: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "students", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "student_no,name,college,class,student_status,card_status,card_id," \
                       "open_time,amount"
    assert len(lines) == 201
    out.encode("utf-8")


def test_students_table_is_aligned(demo: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    data = students(capsys)
    code, out, _ = run(capsys, "students")
    assert code == 0
    lines = out.splitlines()
    header, rows = lines[0], lines[1:201]
    college_at = text_width(header[:header.index("学院")])
    for line, d in zip(rows, data, strict=True):
        assert text_width(line[:line.index(d["college"], len(d["student_no"]))]) == college_at


def test_format_table_pads_by_display_width() -> None:
    text = format_table(["学号", "姓名", "x"], [["1", "张三", "a"], ["22", "Bob", "b"]])
    lines = text.splitlines()
    assert [text_width(line[:line.rindex(" ") + 1]) for line in lines] == [12, 12, 12]
    assert lines[1] == "1     张三  a"


def test_bad_status_and_args_are_usage_errors(demo: Paths,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "students", "--card", "bogus")[0] == 2
    assert run(capsys, "students", "--format", "xml")[0] == 2
    assert run(capsys, "open")[0] == 2  # --ids is required
    assert run(capsys, "freeze", "--ids", "x", "--allow-non-enrolled")[0] == 2
    assert run(capsys, "nonsense")[0] == 2
    assert run(capsys, "--help")[0] == 0


def test_unknown_profile(demo: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--profile", "nope", "students")
    assert code == 2 and out == "" and "nope" in err and "Traceback" not in err


# -- the actions ------------------------------------------------------------------------------

def action_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run(capsys, *argv, "--format", "json")
    return code, json.loads(out)


def check_job_json(obj: dict[str, Any]) -> None:
    assert set(obj) >= {"job_id", "action", "summary", "records"}
    assert set(obj["summary"]) == {"succeeded", "failed", "skipped", "cancelled"}
    for r in obj["records"]:
        assert set(r) == {"student_no", "outcome", "reason", "card_id"}
        assert r["outcome"] in ("succeeded", "failed", "skipped", "cancelled")
        assert r["card_id"] is None or isinstance(r["card_id"], str)
        if r["outcome"] == "succeeded":
            assert r["reason"] == "" and r["card_id"]


def test_freeze_unfreeze_cancel_open_cycle(demo: Paths, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    active = [d["student_no"] for d in students(capsys, "--card", "active")[:6]]
    ids = ids_file(tmp_path, active)

    code, obj = action_json(capsys, "freeze", "--ids", ids, "--yes")
    check_job_json(obj)
    assert code == 0 and obj["action"] == "freeze"
    assert obj["summary"] == {"succeeded": 6, "failed": 0, "skipped": 0, "cancelled": 0}
    frozen = {d["student_no"] for d in students(capsys, "--card", "冻结")}
    assert set(active) <= frozen

    code, obj = action_json(capsys, "unfreeze", "--ids", ids, "--yes")
    assert code == 0 and obj["summary"]["succeeded"] == 6

    code, obj = action_json(capsys, "cancel", "--ids", ids, "--yes")
    assert code == 0 and obj["summary"]["succeeded"] == 6
    cancelled_cards = {r["student_no"]: r["card_id"] for r in obj["records"]}

    enrolled = {d["student_no"] for d in students(capsys, "--status", "在读")}
    code, obj = action_json(capsys, "open", "--ids", ids, "--yes", "--allow-non-enrolled")
    check_job_json(obj)
    assert code == 0 and obj["summary"]["succeeded"] == 6
    for r in obj["records"]:
        assert r["card_id"] != cancelled_cards[r["student_no"]]
    now = {d["student_no"]: d for d in students(capsys)}
    assert all(now[no]["card_status"] == "正常" for no in active)
    assert enrolled  # the demo school has enrolled students

    code, obj = action_json(capsys, "open", "--ids", ids, "--yes")
    assert code == 0 and obj["summary"]["skipped"] == 6
    assert {r["reason"] for r in obj["records"]} == {"已开通"}


def test_open_skips_non_enrolled_by_default(demo: Paths, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    rows = students(capsys, "--card", "未开通")
    ids = ids_file(tmp_path, [d["student_no"] for d in rows])
    code, obj = action_json(capsys, "open", "--ids", ids, "--yes")
    assert code == 0
    want_skips = sum(d["student_status"] != "在读" for d in rows)
    assert obj["summary"]["skipped"] == want_skips
    assert obj["summary"]["succeeded"] == len(rows) - want_skips
    assert not students(capsys, "--card", "未开通", "--status", "在读")


def test_unknown_and_duplicate_ids_are_skipped(demo: Paths, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    no = students(capsys, "--card", "正常")[0]["student_no"]
    ids = ids_file(tmp_path, [no, "NO-SUCH", "", no, "NO-SUCH"])
    code, obj = action_json(capsys, "freeze", "--ids", ids, "--yes")
    assert code == 0
    reasons = [(r["student_no"], r["outcome"], r["reason"]) for r in obj["records"]]
    assert reasons[0] == (no, "succeeded", "")
    assert (no, "skipped", "重复的学号") in reasons
    assert ("NO-SUCH", "skipped", "学号不存在") in reasons
    assert ("NO-SUCH", "skipped", "重复的学号") in reasons
    assert len(reasons) == 4

    code, out, _ = run(capsys, "freeze", "--ids", ids, "--yes")  # table output
    assert code == 0 and "学号不存在" in out and "重复的学号" in out and "已冻结" in out


def test_exit_1_when_a_record_fails(demo: Paths, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Between the plan and the write someone else freezes one card (跳过 · 由他人修改, not a
    failure) and deletes another card record (失败: the exit code says a record failed)."""
    active = [d["student_no"] for d in students(capsys, "--card", "正常")[:3]]
    real_plan = plan_for_ids

    def plan_then_someone_else_writes(*args: Any, **kwargs: Any) -> Any:
        plan = real_plan(*args, **kwargs)
        other = LocalConnector(demo.local_db_path("local"))
        w = plan.writes[1]
        other.update_cards([CardUpdate(w.student_no, w.card_id)], CardStatus.FROZEN, "")
        other.close()
        with sqlite3.connect(demo.local_db_path("local")) as db:
            db.execute("DELETE FROM cards WHERE card_id = ?", (plan.writes[2].card_id,))
        return plan

    monkeypatch.setattr(cli, "plan_for_ids", plan_then_someone_else_writes)
    code, obj = action_json(capsys, "freeze", "--ids", ids_file(tmp_path, active), "--yes")
    assert code == 1
    assert obj["summary"] == {"succeeded": 1, "failed": 1, "skipped": 1, "cancelled": 0}
    changed, gone = obj["records"][1], obj["records"][2]
    assert changed["outcome"] == "skipped" and "由他人修改" in changed["reason"]
    assert gone["outcome"] == "failed" and gone["reason"].startswith("[card_not_found]")


@pytest.mark.parametrize("content,message", [
    (b"", "没有学号"), (b"\n  \n\n", "没有学号"), (b"\xff\xfe\xfa", "UTF-8"),
])
def test_bad_ids_files(demo: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                       content: bytes, message: str) -> None:
    path = tmp_path / "ids.txt"
    path.write_bytes(content)
    code, out, err = run(capsys, "freeze", "--ids", str(path), "--yes")
    assert code == 2 and out == "" and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_missing_ids_file_and_directory(demo: Paths, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "open", "--ids", str(tmp_path / "nope.txt"), "--yes")
    assert code == 2 and "不存在" in err
    assert run(capsys, "open", "--ids", str(tmp_path), "--yes")[0] == 2
    with Journal(demo.journal_path) as journal:
        assert journal.list_jobs() == []


def test_bom_and_crlf_tolerated(demo: Paths, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    no = students(capsys, "--card", "正常")[0]["student_no"]
    path = tmp_path / "ids.txt"
    path.write_bytes(b"\xef\xbb\xbf" + no.encode() + b"\r\n\r\n")
    code, obj = action_json(capsys, "freeze", "--ids", str(path), "--yes")
    assert code == 0 and obj["summary"]["succeeded"] == 1


def test_ids_from_stdin(demo: Paths, monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> None:
    nos = [d["student_no"] for d in students(capsys, "--card", "正常")[:2]]
    data = ("\ufeff" + "\n".join(nos) + "\n").encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code, obj = action_json(capsys, "freeze", "--ids", "-", "--yes")
    assert code == 0 and obj["summary"]["succeeded"] == 2

    monkeypatch.setattr(sys, "stdin", FakeTTY("\n".join(nos)))  # stdin is the list: no --yes
    code, out, err = run(capsys, "unfreeze", "--ids", "-")
    assert code == 2 and "--yes" in err and out == ""


def test_no_terminal_needs_yes(demo: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    no = students(capsys, "--card", "正常")[0]["student_no"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, err = run(capsys, "freeze", "--ids", ids_file(tmp_path, [no, "NOPE"]))
    assert code == 2 and "--yes" in err and "写入：1" in err and "学号不存在：1" in err
    with Journal(demo.journal_path) as journal:
        assert journal.list_jobs() == []


def test_interactive_confirmation(demo: Paths, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    nos = [d["student_no"] for d in students(capsys, "--card", "正常")[:3]]
    ids = ids_file(tmp_path, nos)
    monkeypatch.setattr(sys, "stdin", FakeTTY("n\n"))
    code, out, err = run(capsys, "freeze", "--ids", ids)
    assert code == 1 and "继续？[y/N]" in err and "已放弃" in err
    monkeypatch.setattr(sys, "stdin", FakeTTY("y\n"))
    code, out, err = run(capsys, "freeze", "--ids", ids)
    assert code == 0 and "成功 3" in out

    # 注销 also wants the number of records typed
    monkeypatch.setattr(sys, "stdin", FakeTTY("y\n2\n"))
    code, out, err = run(capsys, "cancel", "--ids", ids)
    assert code == 1 and "输入要注销的记录数（3）" in err
    monkeypatch.setattr(sys, "stdin", FakeTTY("y\n3\n"))
    code, out, err = run(capsys, "cancel", "--ids", ids)
    assert code == 0 and "成功 3" in out
    with Journal(demo.journal_path) as journal:
        assert [j.action for j in journal.list_jobs()] == [Action.CANCEL, Action.FREEZE]


@pytest.fixture
def sigint_as_at_a_terminal() -> Any:
    """SIGINT as an interactive shell gives it (Python's KeyboardInterrupt handler), whatever
    this pytest inherited (a background job, nohup and some CI runners start it ignored)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


class CtrlCAfterFirstChunk(BatchRunner):
    """A runner whose progress presses Ctrl-C (a real SIGINT to this process) once, after
    the first chunk (the probe of FIRST_CHUNK_SAMPLE records); ``pressed_at``: the records
    done then."""

    pressed_at = 0

    def run(self, job_id: int, *, cancel: Any = None, progress: Any = None,
            **kw: Any) -> Any:
        def press_ctrl_c(p: Progress) -> None:
            if not CtrlCAfterFirstChunk.pressed_at:  # once, after the first chunk
                CtrlCAfterFirstChunk.pressed_at = p.done
                os.kill(os.getpid(), signal.SIGINT)

        return super().run(job_id, cancel=cancel, progress=press_ctrl_c, **kw)


def test_ctrl_c_cancels_the_rest(sigint_as_at_a_terminal: None, paths: Paths, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "local", "init", "--students", "1000")[0] == 0
    active = [d["student_no"] for d in students(capsys, "--card", "正常")]
    assert len(active) > 400  # three chunks of 200 at least

    monkeypatch.setattr(cli, "BatchRunner", CtrlCAfterFirstChunk)
    monkeypatch.setattr(CtrlCAfterFirstChunk, "pressed_at", 0)
    code, out, err = run(capsys, "freeze", "--ids", ids_file(tmp_path, active), "--yes",
                         "--format", "json")
    obj = json.loads(out)
    first = CtrlCAfterFirstChunk.pressed_at
    assert first == FIRST_CHUNK_SAMPLE
    assert code == 1 and obj["state"] == "cancelled" and "正在取消" in err
    assert obj["summary"]["succeeded"] == first
    assert obj["summary"]["cancelled"] == len(active) - first
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # given back
    assert len(students(capsys, "--card", "冻结")) >= first


def test_a_cli_started_with_sigint_ignored_keeps_ignoring_it(
        paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """nohup / a script's background job: a Ctrl-C at the terminal is not for this job."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert run(capsys, "local", "init", "--students", "1000")[0] == 0
        active = [d["student_no"] for d in students(capsys, "--card", "正常")]
        monkeypatch.setattr(cli, "BatchRunner", CtrlCAfterFirstChunk)
        monkeypatch.setattr(CtrlCAfterFirstChunk, "pressed_at", 0)
        code, out, err = run(capsys, "freeze", "--ids", ids_file(tmp_path, active), "--yes",
                             "--format", "json")
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
    obj = json.loads(out)
    assert code == 0 and obj["state"] == "done" and "正在取消" not in err
    assert obj["summary"]["succeeded"] == len(active)


def test_second_ctrl_c_mid_send_then_resume_writes_nothing_twice(
        sigint_as_at_a_terminal: None, paths: Paths, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "local", "init", "--students", "1000")[0] == 0
    active = [d["student_no"] for d in students(capsys, "--card", "正常")]
    sent: list[str] = []
    armed = [True]

    class Interrupted(LocalConnector):
        def update_cards(self, items: Any, status: CardStatus, key: str) -> Any:
            sent.extend(i.student_no for i in items)
            results = super().update_cards(items, status, key)
            if armed[0] and len(sent) > FIRST_CHUNK_SAMPLE:  # chunk 2 applied; two Ctrl-C
                armed[0] = False
                handler = signal.getsignal(signal.SIGINT)
                assert callable(handler)
                handler(signal.SIGINT, None)
                handler(signal.SIGINT, None)
            return results

    monkeypatch.setattr("campuscard_gui.cli.common.open_connector",
                        lambda profile, p: Interrupted(p.local_db_path(profile.name)))
    code, out, err = run(capsys, "freeze", "--ids", ids_file(tmp_path, active), "--yes")
    assert code == 130 and "已中断" in err and out == ""
    with Journal(paths.journal_path) as journal:
        (job,) = journal.unfinished_jobs()
        probe = FIRST_CHUNK_SAMPLE  # the first chunk; the second is a whole one of 200
        assert (job.succeeded, job.pending) == (probe, len(active) - probe)
    assert len(sent) == probe + 200

    code, obj = action_json(capsys, "jobs", "resume", str(job.job_id))
    assert code == 0 and obj["state"] == "done"
    assert obj["summary"]["succeeded"] == len(active)
    # resume did not send chunk 2 again: every student was sent exactly once overall
    frozen = {d["student_no"] for d in students(capsys, "--card", "冻结")}
    assert set(active) <= frozen
    assert len(sent) == len(set(sent)) == len(active)


# -- jobs -------------------------------------------------------------------------------------

def test_jobs_list_show_resume(demo: Paths, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    active = [d["student_no"] for d in students(capsys, "--card", "正常")[:4]]
    code, obj = action_json(capsys, "freeze", "--ids", ids_file(tmp_path, active), "--yes")
    first = obj["job_id"]

    # an interrupted job: planned and journalled, never run
    connector = LocalConnector(demo.local_db_path("local"))
    rows = {r.student_no: r for r in connector.list_rows()}
    connector.close()
    unfrozen = [no for no, r in rows.items() if r.card_status is CardStatus.FROZEN][:3]
    with Journal(demo.journal_path) as journal:
        second = journal.create_job(plan_for_ids(Action.UNFREEZE, unfrozen + ["X1"], rows),
                                    profile="local", operator="someone", chunk_size=2)

    code, out, _ = run(capsys, "jobs", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split()[0] == str(second) and lines[2].split()[0] == str(first)
    assert "someone" in lines[1] and "未完成" in lines[1] and "完成" in lines[2]
    code, out, _ = run(capsys, "jobs", "list", "--format", "json")
    assert [j["job_id"] for j in json.loads(out)] == [second, first]

    code, out, _ = run(capsys, "jobs", "show", str(first), "--format", "json")
    shown = json.loads(out)
    check_job_json(shown)
    assert code == 0 and shown["summary"] == obj["summary"] and shown["records"] == obj["records"]
    code, out, _ = run(capsys, "jobs", "show", str(second))
    assert code == 0 and "未完成" in out and "学号不存在" in out

    code, out, _ = run(capsys, "jobs", "resume", str(first))
    assert code == 2
    code, obj2 = action_json(capsys, "jobs", "resume", str(second))
    assert code == 0 and obj2["summary"] == {"succeeded": 3, "failed": 0, "skipped": 1,
                                             "cancelled": 0}
    with Journal(demo.journal_path) as journal:
        assert journal.job(second).state is JobState.DONE
    assert run(capsys, "jobs", "resume", str(second))[0] == 2
    assert run(capsys, "jobs", "show", "999")[0] == 2
    assert run(capsys, "jobs", "resume", "999")[0] == 2
    assert run(capsys, "jobs", "show", "abc")[0] == 2


# -- local ------------------------------------------------------------------------------------

def test_local_init(paths: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "local", "init", "--students", "50", "--seed", "3")[0] == 0
    assert len(students(capsys)) == 50
    code, _, err = run(capsys, "local", "init", "--students", "60")
    assert code == 2 and "--force" in err
    assert run(capsys, "local", "init", "--students", "60", "--force")[0] == 0
    assert len(students(capsys)) == 60
    assert run(capsys, "local", "init", "--students", "0")[0] == 2
    ConfigStore(paths).save_profile(Profile("remote", "kintone"))
    code, _, err = run(capsys, "--profile", "remote", "local", "init", "--students", "5")
    assert code == 2 and "不是本地数据库" in err
    ConfigStore(paths).save_profile(Profile("school2", "local"))
    assert run(capsys, "--profile", "school2", "local", "init", "--students", "7")[0] == 0
    assert len(students(capsys, )) == 60
    assert len(json.loads(run(capsys, "--profile", "school2", "students", "--format",
                              "json")[1])) == 7


def test_local_import_good(paths: Paths, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "students.csv"
    f.write_text("学号,姓名,学院,班级,学籍状态\n"
                 "2099000001,新生甲,理学院,数学2401,在读\n"
                 "2099000002,新生乙,理学院,数学2401,休学\n", encoding="utf-8-sig")
    code, _, err = run(capsys, "local", "import", str(f), "--yes")
    assert code == 0 and "新增 2" in err
    data = {d["student_no"]: d for d in students(capsys)}
    assert set(data) == {"2099000001", "2099000002"}  # a new, non-demo data set
    assert data["2099000002"]["student_status"] == "休学"
    assert data["2099000001"]["card_status"] == "未开通"

    g = tmp_path / "en.csv"
    g.write_text("ID,Full Name,State\n2099000003,某某,enrolled\n", encoding="utf-8")
    code, _, err = run(capsys, "local", "import", str(g), "--yes", "--map", "student_no=ID",
                       "--map", "name=2", "--map", "status=State")
    assert code == 0 and len(students(capsys)) == 3


def test_local_import_bad_rows_import_nothing(paths: Paths, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "local", "init", "--students", "20")[0] == 0
    f = tmp_path / "bad.csv"
    f.write_text("学号,姓名,学籍状态\n"
                 "2099000001,,在读\n"
                 "2099000002,某乙,胡写\n"
                 "2099000003,某丙,在读\n", encoding="utf-8")
    code, out, err = run(capsys, "local", "import", str(f), "--yes")
    assert code == 1
    assert "第2行：" in err and "第3行：" in err and "第4行" not in err
    assert len(students(capsys)) == 20


def test_local_import_usage_errors(paths: Paths, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "local", "import", str(tmp_path / "none.csv"), "--yes")[0] == 2
    f = tmp_path / "s.csv"
    f.write_text("学号,姓名,学籍状态\n1,甲,在读\n", encoding="utf-8")
    assert run(capsys, "local", "import", str(f), "--yes", "--map", "bogus=学号")[0] == 2
    assert run(capsys, "local", "import", str(f), "--yes", "--map", "name=nope")[0] == 2
    g = tmp_path / "nocol.csv"
    g.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run(capsys, "local", "import", str(g), "--yes")
    assert code == 2 and "缺少必需的列" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = run(capsys, "local", "import", str(f))
    assert code == 2 and "--yes" in err


# -- a real process ---------------------------------------------------------------------------

def test_subprocess(paths: Paths, tmp_path: Path) -> None:
    root = Path(campuscard_gui.__file__).resolve().parents[1]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"

    def cli_run(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "campuscard_gui.cli.commands", *argv],
                              input=stdin, capture_output=True, env=env, cwd=tmp_path,
                              timeout=120, check=False)

    assert cli_run("local", "init", "--students", "200").returncode == 0
    res = cli_run("students", "--card", "active", "--format", "json")
    assert res.returncode == 0
    data = json.loads(res.stdout.decode("utf-8"))
    assert data and set(data[0]) == STUDENT_KEYS
    nos = "\n".join(d["student_no"] for d in data[:3]).encode()

    res = cli_run("freeze", "--ids", "-", "--yes", "--format", "json", stdin=nos)
    assert res.returncode == 0, res.stderr.decode()
    assert json.loads(res.stdout)["summary"]["succeeded"] == 3
    res = cli_run("unfreeze", "--ids", "-", stdin=nos)
    assert res.returncode == 2 and "--yes" in res.stderr.decode()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa")
    res = cli_run("freeze", "--ids", str(bad), "--yes")
    assert res.returncode == 2 and b"Traceback" not in res.stderr
    res = cli_run("jobs", "list")
    assert res.returncode == 0 and "冻结" in res.stdout.decode()
