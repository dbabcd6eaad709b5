"""End to end on kintone (issue 4): a sandbox domain on loopback HTTP holding a school with
some cards already, a kintone profile typed into the profile dialog (tokens, fields read from
the apps, 测试连接, saved into an in-memory keyring), the window switched to it, then

- 待开通 → 开通一卡通: every record 成功, one card per student;
- 待冻结 → 冻结 while another integration edits one of those cards: kintone's revision check
  refuses it, so that record is 跳过 由他人修改 (reported, not overwritten), every other 成功.

The window runs in Chinese; every wait is a signal or a condition. A screenshot of the window
after the second job is saved as ``kintone-window.png`` in the test's temp dir."""

from __future__ import annotations

import logging

import httpx
import pytest
from dialog_helpers import click, type_into
from window_steps import (
    TIMEOUT,
    check_and_save,
    new_profile,
    open_window,
    run_preset_job,
    switch_to,
)

from campuscard_gui.config.credentials import service_name
from campuscard_gui.core.model import Action, CardStatus, StudentStatus
from campuscard_gui.core.outcomes import Skipped, SkipReason
from campuscard_gui.ui.jobs.results_model import COL_RESULT

N_STUDENTS = 400
PROFILE = "kintone-e2e"


@pytest.fixture
def sandbox():
    from campuscard_gui.sandbox import run_sandbox

    with run_sandbox(backend="kintone", students=N_STUDENTS, seed=21, with_cards=True) as info:
        yield info


def test_kintone_through_the_window(qtbot, chinese, paths, sandbox, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    window, keyring_backend, journal = open_window(qtbot, paths)
    try:
        # -- 管理配置…: a kintone profile typed in, fields read, connection tested, saved
        dialog = new_profile(qtbot, window, "kintone")
        editor = dialog.editor
        type_into(qtbot, editor.name_edit, PROFILE)
        type_into(qtbot, editor.base_url_edit, sandbox.base_url)
        type_into(qtbot, editor.students_app_edit, sandbox.students_app)
        type_into(qtbot, editor.cards_app_edit, sandbox.cards_app)
        type_into(qtbot, editor.students_token_edit, sandbox.students_token)
        type_into(qtbot, editor.cards_token_edit, sandbox.cards_token)
        with qtbot.waitSignal(editor.fieldsLoaded, timeout=TIMEOUT):
            click(qtbot, editor.load_fields_button)
        combos = editor.mapping.field_combos
        assert combos["student_no"].currentText() == "学号 (student_no)"
        assert combos["card_student"].currentText() == "学号 (student_no)"
        assert combos["card_status"].currentText() == "卡状态 (status)"
        check_and_save(qtbot, window, dialog)
        assert keyring_backend.entries == {
            (service_name(PROFILE), "students_token"): sandbox.students_token,
            (service_name(PROFILE), "cards_token"): sandbox.cards_token}
        stored = paths.profiles_path.read_text(encoding="utf-8")
        assert sandbox.students_token not in stored and sandbox.cards_token not in stored

        # -- switch to it: the rows load off-thread, with a known total
        progress: list[tuple[int, object]] = []
        window.loader.progress.connect(lambda done, total: progress.append((done, total)))
        assert switch_to(qtbot, window, PROFILE) == N_STUDENTS
        assert PROFILE in window.connection_label.text()
        cards_before = sandbox.control.cards_by_student()
        assert cards_before and progress and isinstance(progress[-1][1], int)  # a real total

        # -- 待开通 → 开通一卡通
        info, rows = run_preset_job(qtbot, window, Action.OPEN, "to_open")
        opened_nos = {r.student_no for r in rows}
        assert info.succeeded == len(rows) and info.failed == 0
        model = window.results.model
        assert {model.index(r, COL_RESULT).data() for r in range(model.rowCount())} == {"成功"}
        counts = sandbox.control.cards_by_student()
        assert counts == {**cards_before, **dict.fromkeys(opened_nos, 1)}
        assert all(window.model.row_for(no).card_status is CardStatus.ACTIVE
                   for no in opened_nos)

        # -- 待冻结 → 冻结, while someone else edits one of those cards
        edited: list[str] = []

        def someone_else_edits(rows) -> None:
            card = rows[0].card
            answer = httpx.put(f"{sandbox.base_url}/k/v1/record.json",
                               headers={"X-Cybozu-API-Token": sandbox.cards_token},
                               json={"app": sandbox.cards_app, "id": card.card_id,
                                     "record": {"amount": {"value": "88"}}}, timeout=10)
            assert answer.status_code == 200
            edited.append(rows[0].student_no)

        info, rows = run_preset_job(qtbot, window, Action.FREEZE, "to_freeze",
                                    someone_else_edits)
        assert all(r.student.status is StudentStatus.SUSPENDED for r in rows)
        assert info.skipped == 1 and info.succeeded == len(rows) - 1
        model = window.results.model
        results = {model.records()[r].student_no: model.index(r, COL_RESULT).data()
                   for r in range(model.rowCount())}
        assert results[edited[0]] == "跳过"
        assert set(results.values()) == {"成功", "跳过"}
        skipped = next(r for r in model.records() if r.student_no == edited[0])
        assert skipped.outcome == Skipped(SkipReason.CHANGED_BY_OTHER, "正常")
        assert window.model.row_for(edited[0]).card_status is CardStatus.ACTIVE
        window.grab().save(str(tmp_path / "kintone-window.png"))
        for secret in (sandbox.students_token, sandbox.cards_token):
            assert secret not in caplog.text
    finally:
        window.close()
        journal.close()
