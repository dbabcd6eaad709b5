"""End to end on 神笔 and its iPaaS route (issue 5): a sandbox tenant whose every request is
TC3-verified, plus the walkthrough's flow behind an HTTP gateway. Both profiles are typed into
管理配置… (AK/SK and the gateway token into an in-memory keyring), then

- the 神笔 profile: 待开通 → 开通一卡通, every record 成功, one card per student;
- the iPaaS profile (reading through the 神笔 one): 待冻结 → 冻结 through the gateway, every
  record 成功, the cards 冻结 in 神笔.

The window runs in Chinese; every wait is a signal or a condition. A screenshot of the window
after the iPaaS job is saved as ``shenbi-window.png`` in the test's temp dir."""

from __future__ import annotations

import logging

import pytest
from dialog_helpers import click, type_into
from memory_keyring import MemoryKeyring
from PySide6.QtWidgets import QWidget

from campuscard_gui.batch import JobState, Journal
from campuscard_gui.config import ConfigStore
from campuscard_gui.config.credentials import CredentialStore, service_name
from campuscard_gui.connectors.factory import open_connector
from campuscard_gui.connectors.local import init_demo
from campuscard_gui.core.model import Action, CardStatus, StudentStatus
from campuscard_gui.sandbox import ShenbiSettings, run_sandbox
from campuscard_gui.ui.main_actions import ACTION_NAMES
from campuscard_gui.ui.main_window import MainWindow
from campuscard_gui.ui.results_model import COL_RESULT

N_STUDENTS = 400
TIMEOUT = 60_000


@pytest.fixture
def sandbox():
    settings = ShenbiSettings(rate_per_second=100, gateway_token_header="X-Gateway-Token")
    with run_sandbox(backend="ipaas", students=N_STUDENTS, seed=31, with_cards=True,
                     settings=settings) as info:
        yield info


def new_profile(qtbot, window: MainWindow, kind: str):
    with qtbot.waitSignal(window.profileDialogOpened) as opened:
        window.profiles_action.trigger()
    dialog = opened.args[0]
    click(qtbot, dialog.new_button)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))
    return dialog, dialog.editor


def check_and_save(qtbot, window: MainWindow, dialog) -> None:
    with qtbot.waitSignal(dialog.editor.connectionChecked, timeout=TIMEOUT) as checked:
        click(qtbot, dialog.editor.test_button)
    assert checked.args[0] is True, checked.args[1]
    with qtbot.waitSignal(dialog.profileSaved, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    click(qtbot, dialog.findChild(QWidget, "closeProfilesButton"))
    qtbot.waitUntil(lambda: window.profile_dialog is None)


def switch_to(qtbot, window: MainWindow, name: str) -> None:
    combo = window.profile_combo
    index = combo.findData(name)
    with qtbot.waitSignal(window.rowsLoaded, timeout=TIMEOUT) as loaded:
        combo.setCurrentIndex(index)
        combo.activated.emit(index)
    assert loaded.args == [N_STUDENTS]


def run_job(qtbot, window: MainWindow, action: Action, preset: str):
    window.filter_bar.apply_preset(preset)
    window.select_all_filtered()
    rows = window.selected_rows()
    assert rows
    trigger = window.findChild(type(window.profiles_action), ACTION_NAMES[action])
    with qtbot.waitSignal(window.flow.confirmRequested, timeout=TIMEOUT) as shown:
        trigger.trigger()
    confirm = shown.args[0]
    assert len(confirm.plan.writes) == len(rows) and not confirm.plan.skips
    with qtbot.waitSignal(window.flow.jobDone, timeout=TIMEOUT) as done:
        click(qtbot, confirm.confirm_button)
    info = done.args[0]
    assert info.state is JobState.DONE
    qtbot.waitUntil(lambda: window.results.model.rowCount() == len(rows))
    model = window.results.model
    assert {model.index(r, COL_RESULT).data() for r in range(model.rowCount())} == {"成功"}
    assert info.succeeded == len(rows) and info.failed == 0
    return rows


def test_shenbi_and_the_ipaas_route_through_the_window(qtbot, chinese, paths, sandbox, caplog,
                                                       tmp_path):
    caplog.set_level(logging.DEBUG)
    init_demo(paths.local_db_path("local"), students=10, seed=1)
    keyring_backend = MemoryKeyring()
    credentials = CredentialStore(keyring_backend)
    journal = Journal(paths.journal_path)
    window = MainWindow(ConfigStore(paths), paths,
                        lambda p: open_connector(p, paths, credentials=credentials), journal,
                        offer_resume=False, credentials=credentials)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.model.total_count == 10 and not window.loader.is_busy())

        # -- a 神笔 profile typed in, tested (a signed request), saved
        dialog, editor = new_profile(qtbot, window, "shenbi")
        for edit, text in ((editor.name_edit, "school"), (editor.base_url_edit, sandbox.base_url),
                           (editor.app_code_edit, sandbox.app_code),
                           (editor.students_object_edit, sandbox.students_object),
                           (editor.cards_object_edit, sandbox.cards_object),
                           (editor.secret_id_edit, sandbox.secret_id),
                           (editor.secret_key_edit, sandbox.secret_key)):
            type_into(qtbot, edit, text)
        check_and_save(qtbot, window, dialog)
        assert keyring_backend.entries == {
            (service_name("school"), "secret_id"): sandbox.secret_id,
            (service_name("school"), "secret_key"): sandbox.secret_key}

        # -- 待开通 → 开通一卡通 on 神笔
        switch_to(qtbot, window, "school")
        before = sandbox.control.cards_by_student()
        opened = {r.student_no for r in run_job(qtbot, window, Action.OPEN, "to_open")}
        after = sandbox.control.cards_by_student()
        assert all(after[no] == before.get(no, 0) + 1 for no in opened)
        assert all(window.model.row_for(no).card_status is CardStatus.ACTIVE for no in opened)

        # -- an iPaaS profile reading through it, with the gateway's token
        dialog, editor = new_profile(qtbot, window, "ipaas")
        type_into(qtbot, editor.name_edit, "school-flow")
        type_into(qtbot, editor.base_url_edit, sandbox.gateway_url)
        editor.read_profile_combo.setCurrentIndex(editor.read_profile_combo.findData("school"))
        type_into(qtbot, editor.token_header_edit, "X-Gateway-Token")
        type_into(qtbot, editor.gateway_token_edit, sandbox.gateway_token)
        check_and_save(qtbot, window, dialog)
        assert keyring_backend.entries[(service_name("school-flow"), "gateway_token")] == \
            sandbox.gateway_token

        # -- 待冻结 → 冻结 through the flow's gateway
        switch_to(qtbot, window, "school-flow")
        frozen = run_job(qtbot, window, Action.FREEZE, "to_freeze")
        assert all(r.student.status is StudentStatus.SUSPENDED for r in frozen)
        check = open_connector(ConfigStore(paths).load_profiles()["school"], paths, credentials)
        try:
            cards = check.read_cards([r.student_no for r in frozen])
        finally:
            check.close()
        assert {cards[r.student_no].status for r in frozen} == {CardStatus.FROZEN}
        assert sandbox.control.counters().requests.get("ipaas/gateway", 0) >= 2
        window.grab().save(str(tmp_path / "shenbi-window.png"))
        for secret in (sandbox.secret_key, sandbox.gateway_token):
            assert secret not in caplog.text
    finally:
        window.close()
        journal.close()
