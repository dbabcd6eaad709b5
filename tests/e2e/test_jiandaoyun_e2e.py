"""End to end on 简道云 (issue 3): a sandbox tenant on loopback HTTP, a profile created through
the profile dialog (typed in, fields read from the forms, saved with its key into an in-memory
keyring), the main window switched to it, 待开通 selected, 开通一卡通 confirmed and run; every
record shows 成功 and the sandbox holds exactly one card per opened student.

The window runs in Chinese (the shipped zh_CN catalogue, compiled into a temp dir) so the
results are checked as the operator reads them. Every wait is a signal or a condition."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import pytest
from dialog_helpers import click, type_into
from window_steps import TIMEOUT, check_and_save, new_profile, open_window, switch_to

from campuscard_gui.batch import JobState
from campuscard_gui.config.credentials import service_name
from campuscard_gui.core.model import Action, CardStatus, StudentStatus
from campuscard_gui.core.outcomes import OutcomeKind
from campuscard_gui.sandbox import run_sandbox
from campuscard_gui.ui.jobs.results_model import COL_RESULT
from campuscard_gui.ui.window.main_actions import ACTION_NAMES

N_STUDENTS = 300
PROFILE = "jdy-e2e"


@pytest.fixture
def sandbox():
    with run_sandbox(backend="jiandaoyun", students=N_STUDENTS, seed=11) as info:
        yield info


def test_open_cards_on_jiandaoyun_through_the_window(qtbot, chinese, paths, sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    window, keyring_backend, journal = open_window(qtbot, paths)
    try:
        # -- 配置…: the profile is typed into the dialog, fields read, connection tested, saved
        dialog = new_profile(qtbot, window)
        type_into(qtbot, dialog.editor.name_edit, PROFILE)
        type_into(qtbot, dialog.editor.base_url_edit, sandbox.base_url)
        type_into(qtbot, dialog.editor.app_id_edit, sandbox.app_id)
        type_into(qtbot, dialog.editor.students_entry_edit, sandbox.students_entry_id)
        type_into(qtbot, dialog.editor.cards_entry_edit, sandbox.cards_entry_id)
        type_into(qtbot, dialog.editor.api_key_edit, sandbox.api_key)
        with qtbot.waitSignal(dialog.editor.fieldsLoaded, timeout=TIMEOUT):
            click(qtbot, dialog.editor.load_fields_button)
        combos = dialog.editor.mapping.field_combos
        assert combos["student_no"].currentText() == "学号 (student_no)"
        assert combos["card_student"].currentText() == "学生学号 (studentInfo)"
        check_and_save(qtbot, window, dialog)
        assert keyring_backend.entries == {(service_name(PROFILE), "api_key"): sandbox.api_key}
        assert sandbox.api_key not in paths.profiles_path.read_text(encoding="utf-8")

        # -- switch to it: the rows load off-thread, with the page count shown while listing
        progress: list[tuple[int, object]] = []
        window.loader.progress.connect(lambda done, total: progress.append((done, total)))
        assert switch_to(qtbot, window, PROFILE) == N_STUDENTS
        assert progress and all(total is None for _done, total in progress)
        assert not window.load_progress.isVisible()
        assert PROFILE in window.connection_label.text()
        assert not window.demo_badge.isVisible()

        # -- 待开通, select all filtered, 开通一卡通, confirm
        window.filter_bar.apply_preset("to_open")
        window.select_all_filtered()
        rows = window.selected_rows()
        expected = {r.student_no for r in window.model.all_rows()
                    if r.student.status is StudentStatus.ENROLLED
                    and r.card_status is CardStatus.NONE}
        assert {r.student_no for r in rows} == expected and len(expected) > 100
        open_action = window.findChild(type(window.profiles_action), ACTION_NAMES[Action.OPEN])
        with qtbot.waitSignal(window.flow.confirmRequested, timeout=TIMEOUT) as shown:
            open_action.trigger()
        confirm = shown.args[0]
        assert len(confirm.plan.writes) == len(expected) and not confirm.plan.skips
        host = urlsplit(sandbox.base_url).hostname  # where it writes, named before it does
        assert confirm.target_label.text() == f"写入：简道云 · {PROFILE} ({host})"
        with qtbot.waitSignal(window.flow.jobDone, timeout=TIMEOUT) as done:
            click(qtbot, confirm.confirm_button)
        info = done.args[0]
        assert info.state is JobState.DONE
        assert info.succeeded == len(expected) and info.failed == 0

        # -- the results as the operator sees them
        # the finished job's records (live results shown while it ran may still be pending)
        qtbot.waitUntil(lambda: window.results.job is not None
                        and window.results.job.job_id == info.job_id)
        assert window.results.model.rowCount() == len(expected)
        model = window.results.model
        assert {model.index(r, COL_RESULT).data() for r in range(model.rowCount())} == {"成功"}
        assert {r.outcome.kind for r in model.records()} == {OutcomeKind.SUCCEEDED}
        assert all(window.model.row_for(no).card_status is CardStatus.ACTIVE for no in expected)

        # -- and the backend: exactly one card per opened student, none for anyone else
        assert sandbox.control.cards_by_student() == dict.fromkeys(expected, 1)
        assert sandbox.api_key not in caplog.text
    finally:
        window.close()
        journal.close()
