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
from dialog_helpers import type_into
from window_steps import check_and_save, new_profile, open_window, run_preset_job, switch_to

from campuscard_gui.backends.factory import open_connector
from campuscard_gui.config import ConfigStore
from campuscard_gui.config.credentials import CredentialStore, service_name
from campuscard_gui.core.model import Action, CardStatus, StudentStatus
from campuscard_gui.sandbox import ShenbiSettings, run_sandbox
from campuscard_gui.ui.jobs.results_model import COL_RESULT

N_STUDENTS = 400


@pytest.fixture
def sandbox():
    settings = ShenbiSettings(rate_per_second=100, gateway_token_header="X-Gateway-Token")
    with run_sandbox(backend="ipaas", students=N_STUDENTS, seed=31, with_cards=True,
                     settings=settings) as info:
        yield info


def run_job(qtbot, window, action: Action, preset: str) -> list:
    info, rows = run_preset_job(qtbot, window, action, preset)
    model = window.results.model
    assert {model.index(r, COL_RESULT).data() for r in range(model.rowCount())} == {"成功"}
    assert info.succeeded == len(rows) and info.failed == 0
    return rows


def test_shenbi_and_the_ipaas_route_through_the_window(qtbot, chinese, paths, sandbox, caplog,
                                                       tmp_path):
    caplog.set_level(logging.DEBUG)
    window, keyring_backend, journal = open_window(qtbot, paths)
    try:
        # -- a 神笔 profile typed in, tested (a signed request), saved
        dialog = new_profile(qtbot, window, "shenbi")
        editor = dialog.editor
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
        assert switch_to(qtbot, window, "school") == N_STUDENTS
        before = sandbox.control.cards_by_student()
        opened = {r.student_no for r in run_job(qtbot, window, Action.OPEN, "to_open")}
        after = sandbox.control.cards_by_student()
        assert all(after[no] == before.get(no, 0) + 1 for no in opened)
        assert all(window.model.row_for(no).card_status is CardStatus.ACTIVE for no in opened)

        # -- an iPaaS profile reading through it, with the gateway's token
        dialog = new_profile(qtbot, window, "ipaas")
        editor = dialog.editor
        type_into(qtbot, editor.name_edit, "school-flow")
        type_into(qtbot, editor.base_url_edit, sandbox.gateway_url)
        editor.read_profile_combo.setCurrentIndex(editor.read_profile_combo.findData("school"))
        type_into(qtbot, editor.token_header_edit, "X-Gateway-Token")
        type_into(qtbot, editor.gateway_token_edit, sandbox.gateway_token)
        check_and_save(qtbot, window, dialog)
        assert keyring_backend.entries[(service_name("school-flow"), "gateway_token")] == \
            sandbox.gateway_token

        # -- 待冻结 → 冻结 through the flow's gateway
        assert switch_to(qtbot, window, "school-flow") == N_STUDENTS
        frozen = run_job(qtbot, window, Action.FREEZE, "to_freeze")
        assert all(r.student.status is StudentStatus.SUSPENDED for r in frozen)
        check = open_connector(ConfigStore(paths).load_profiles()["school"], paths,
                               CredentialStore(keyring_backend))
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
