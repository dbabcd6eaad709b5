"""The main window end to end: a real LocalConnector on a temporary demo database (300
students), a real Journal, the real JobController. Every wait is a signal or a condition."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from campuscard_gui.backends.factory import open_connector
from campuscard_gui.backends.local.connector import LocalConnector, init_demo
from campuscard_gui.batch import JobState, Journal
from campuscard_gui.config import ConfigStore
from campuscard_gui.connectors.base import CardUpdate, Limits
from campuscard_gui.core.errors import RetryableError
from campuscard_gui.core.model import Action, CardStatus, StudentStatus
from campuscard_gui.core.outcomes import Failed, OutcomeKind
from campuscard_gui.core.plan import plan_action
from campuscard_gui.ui.students.student_model import ROW_ROLE
from campuscard_gui.ui.window import main_actions
from campuscard_gui.ui.window.main_actions import ACTION_NAMES
from campuscard_gui.ui.window.main_window import MainWindow

N_STUDENTS = 300
JOB_TIMEOUT = 30_000


@pytest.fixture
def db(paths):
    path = paths.local_db_path("local")
    init_demo(path, students=N_STUDENTS, seed=3)
    return path


@pytest.fixture
def journal(paths):
    j = Journal(paths.journal_path)
    yield j
    j.close()


def make_window(qtbot, paths, journal, connector, *, offer_resume=False) -> MainWindow:
    window = MainWindow(ConfigStore(paths), paths, lambda p: open_connector(p, paths), journal,
                        connector=connector, offer_resume=offer_resume)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.total_count == N_STUDENTS and not window.loader.is_busy())
    return window


@pytest.fixture
def window(qtbot, paths, db, journal):
    w = make_window(qtbot, paths, journal, LocalConnector(db))
    yield w
    w.close()


def action(window: MainWindow, which: Action) -> QAction:
    qa = window.findChild(QAction, ACTION_NAMES[which])
    assert qa is not None
    return qa


def visible_nos(window: MainWindow) -> list[str]:
    m = window.model
    return [m.index(r, 0).data(ROW_ROLE).student_no for r in range(m.rowCount())]


def run_and_confirm(qtbot, window: MainWindow, which: Action):
    """Trigger the QAction, accept the ConfirmDialog (typing the count for 注销), wait for the
    JobController to finish; returns (plan, job info)."""
    with qtbot.waitSignal(window.flow.confirmRequested, timeout=JOB_TIMEOUT) as shown:
        action(window, which).trigger()
    dialog = shown.args[0]
    plan = dialog.plan
    assert plan.action is which
    if dialog.count_edit is not None:
        assert not dialog.confirm_button.isEnabled()
        qtbot.keyClicks(dialog.count_edit, str(len(plan.writes)))
    assert dialog.confirm_button.isEnabled()
    controller = window.flow.controller
    with qtbot.waitSignal(controller.finished, timeout=JOB_TIMEOUT) as done:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
        # While the job runs the table stays usable but no second write can start.
        assert not any(a.isEnabled() for a in window.card_actions.values())
        assert window.table.isEnabled()
    info = done.args[0]
    qtbot.waitUntil(lambda: window.results.job is not None
                    and window.results.job.job_id == info.job_id and not window.flow.is_busy())
    return plan, info


def result_kinds(window: MainWindow) -> dict[str, OutcomeKind | None]:
    records = window.results.model.records()
    return {r.student_no: (r.outcome.kind if r.outcome else None) for r in records}


def check_refiltered(window: MainWindow, before: list[str], nos: Sequence[str],
                     status: CardStatus) -> None:
    """After a job the filter is applied again: the written rows, which no longer match it,
    have left the view and the selection (nothing can act on them twice by mistake); the
    others stay in their order."""
    for no in nos:
        assert window.model.row_for(no).card_status is status
    assert visible_nos(window) == [no for no in before if no not in set(nos)]
    assert window.table.selected_count() == 0
    assert not any(a.isEnabled() for a in window.card_actions.values())


@pytest.mark.parametrize(
    ("which", "preset", "target", "label"),
    [
        (Action.OPEN, "to_open", CardStatus.ACTIVE, "Active"),
        (Action.FREEZE, "to_freeze", CardStatus.FROZEN, "Frozen"),
        (Action.CANCEL, "to_cancel", CardStatus.CANCELLED, "Cancelled"),
    ],
)
def test_preset_select_all_and_run(qtbot, window, which, preset, target, label):
    resets = []
    window.filter_bar.apply_preset(preset)
    window.select_all_filtered()
    n = window.model.visible_count
    assert n > 0 and window.table.selected_count() == n
    assert window.selected_label.text() == f"{n} selected"
    before = visible_nos(window)
    window.model.modelReset.connect(lambda: resets.append(1))

    plan, info = run_and_confirm(qtbot, window, which)

    assert len(plan.writes) == n and not plan.skips
    assert info.state is JobState.DONE and info.succeeded == n
    assert window.results.table.model().rowCount() == n
    assert set(result_kinds(window).values()) == {OutcomeKind.SUCCEEDED}
    check_refiltered(window, before, before, target)
    assert window.model.visible_count == 0
    assert "no longer match the filter" in window.statusBar().currentMessage()
    assert resets == []
    # The journal agrees with the backend.
    assert window.connector.read_cards(before).keys() == set(before)


def test_unfreeze_individually_selected_rows(qtbot, window):
    window.filter_bar.set_statuses(set(), {CardStatus.FROZEN})
    m = window.model
    assert m.visible_count >= 3
    sm = window.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (0, 2):
        sm.select(m.index(row, 0), flags)
    picked = [m.index(r, 0).data(ROW_ROLE).student_no for r in (0, 2)]
    assert window.table.selected_count() == 2
    before = visible_nos(window)

    plan, info = run_and_confirm(qtbot, window, Action.UNFREEZE)

    assert [w.student_no for w in plan.writes] == picked
    assert info.succeeded == 2
    assert result_kinds(window) == {no: OutcomeKind.SUCCEEDED for no in picked}
    check_refiltered(window, before, picked, CardStatus.ACTIVE)
    untouched = before[1]
    assert m.row_for(untouched).card_status is CardStatus.FROZEN


def test_mixed_selection_reports_skips_with_reasons(qtbot, window):
    window.select_all_filtered()  # all 300: most cannot be frozen
    plan, info = run_and_confirm(qtbot, window, Action.FREEZE)
    kinds = result_kinds(window)
    assert len(kinds) == N_STUDENTS == plan.total
    assert sum(k is OutcomeKind.SUCCEEDED for k in kinds.values()) == len(plan.writes)
    assert sum(k is OutcomeKind.SKIPPED for k in kinds.values()) == len(plan.skips) > 0
    assert info.skipped == len(plan.skips)


def test_open_for_non_enrolled_needs_the_toggle(qtbot, window):
    window.filter_bar.set_statuses({StudentStatus.WITHDRAWN}, {CardStatus.NONE})
    window.select_all_filtered()
    n = window.model.visible_count
    assert n > 0
    with qtbot.waitSignal(window.flow.confirmRequested) as shown:
        action(window, Action.OPEN).trigger()
    dialog = shown.args[0]
    assert len(dialog.plan.writes) == 0 and not dialog.confirm_button.isEnabled()
    dialog.reject()
    qtbot.waitUntil(lambda: action(window, Action.OPEN).isEnabled())
    window.allow_non_enrolled_action.setChecked(True)
    assert ConfigStore(window.paths).load_settings().allow_open_non_enrolled is True
    plan, info = run_and_confirm(qtbot, window, Action.OPEN)
    assert len(plan.writes) == n and info.succeeded == n


def test_actions_enabled_only_with_selection(qtbot, window):
    actions = [action(window, a) for a in Action]
    assert not any(a.isEnabled() for a in actions)
    window.table.selectRow(5)
    assert all(a.isEnabled() for a in actions)
    assert window.selected_label.text() == "1 selected"
    window.table.clearSelection()
    assert not any(a.isEnabled() for a in actions)
    shortcuts = {a.objectName(): a.shortcut().toString() for a in actions}
    assert len(set(shortcuts.values())) == 4 and all(shortcuts.values())
    assert all(a.shortcut().toString() in a.toolTip() for a in actions)


def test_context_menu_holds_the_actions(window):
    menu = window.table.build_context_menu()
    names = {a.objectName() for a in menu.actions()}
    assert set(ACTION_NAMES.values()) <= names
    assert "selectAllFilteredAction" in names
    menu.close()


def test_search_box_filters_as_you_type(qtbot, window):
    rows = window.model.all_rows()
    needle = rows[42].student.class_name[-4:]  # ASCII digits: QTest types ASCII only
    expected = sum(needle.lower() in f"{r.student_no}\t{r.student.name}\t{r.student.class_name}"
                   .lower() for r in rows)
    qtbot.keyClicks(window.filter_bar.search_edit, needle)
    qtbot.waitUntil(lambda: window.model.visible_count == expected)
    assert window.rows_label.text() == f"{expected} of {N_STUDENTS} students shown"
    window.filter_bar.search_edit.clear()
    qtbot.waitUntil(lambda: window.model.visible_count == N_STUDENTS)


def test_presets_and_status_filters(qtbot, window):
    rows = window.model.all_rows()
    combo = window.filter_bar.preset_combo
    expected = {
        "to_open": lambda r: r.student.status is StudentStatus.ENROLLED
        and r.card_status is CardStatus.NONE,
        "to_freeze": lambda r: r.student.status is StudentStatus.SUSPENDED
        and r.card_status is CardStatus.ACTIVE,
        "to_cancel": lambda r: r.student.status is StudentStatus.WITHDRAWN
        and r.card_status in (CardStatus.ACTIVE, CardStatus.FROZEN),
        "all": lambda r: True,
    }
    for key, keep in expected.items():
        index = combo.findData(key)
        combo.setCurrentIndex(index)
        combo.activated.emit(index)
        want = [r.student_no for r in rows if keep(r)]
        assert visible_nos(window) == want, key
    # Checking a status by hand leaves the presets ("Custom").
    menu_actions = window.filter_bar.card_filter.status_actions()
    menu_actions[list(CardStatus).index(CardStatus.FROZEN)].setChecked(True)
    assert combo.currentIndex() == -1
    assert all(window.model.row_at(i).card_status is CardStatus.FROZEN
               for i in range(window.model.rowCount()))


def test_status_bar_shows_profile_and_demo_badge(window):
    assert window.demo_badge.isVisible()
    assert "local" in window.connection_label.text()
    assert window.rows_label.text() == f"{N_STUDENTS} of {N_STUDENTS} students shown"
    assert window.findChild(QAction, "refreshAction") is window.refresh_action
    for name in ("studentTable", "searchEdit", "profileCombo", "studentStatusFilter",
                 "cardStatusFilter", "presetCombo", "selectAllFilteredButton", "resultsTable",
                 "jobProgress", "cancelJobButton"):
        widget = window.findChild(object, name)
        assert widget is not None, name
        assert widget.accessibleName() or name == "studentTable" and widget.accessibleName()


def test_refresh_reloads(qtbot, window):
    with qtbot.waitSignal(window.rowsLoaded) as loaded:
        window.refresh_action.trigger()
    assert loaded.args == [N_STUDENTS]


class ListOnceConnector(LocalConnector):
    """Lists its students once; every later listing fails as a network fault would."""

    listed = 0

    def list_rows(self, progress=None):
        self.listed += 1
        if self.listed > 1:
            raise RetryableError("服务器无应答（测试）", code="network")
        return super().list_rows(progress)


def test_stale_rows_are_marked_and_the_confirmation_says_so(qtbot, paths, db, journal):
    window = make_window(qtbot, paths, journal, ListOnceConnector(db))
    try:
        assert window.stale_banner.isHidden() and window.stale_note() is None
        with qtbot.waitSignal(window.loadFailed):
            window.refresh_action.trigger()
        assert window.model.total_count == N_STUDENTS  # the rows stay …
        banner = window.stale_banner
        assert banner.isVisible() and "refreshing failed" in banner.text()  # … marked
        assert "服务器无应答（测试）" in banner.text() and banner.accessibleName() == banner.text()
        window.filter_bar.apply_preset("to_freeze")
        window.select_all_filtered()
        with qtbot.waitSignal(window.flow.confirmRequested, timeout=JOB_TIMEOUT) as shown:
            action(window, Action.FREEZE).trigger()
        dialog = shown.args[0]
        assert dialog.stale_label is not None
        assert banner.text() in dialog.stale_label.text()
        assert "read again right before it is written" in dialog.stale_label.text()
        dialog.reject()
        window.connector.listed = 0  # the server is back
        with qtbot.waitSignal(window.rowsLoaded):
            window.refresh_action.trigger()
        assert banner.isHidden() and window.stale_note() is None
    finally:
        window.close()


class FlakyConnector(LocalConnector):
    """Fails the first update of chosen students, once each."""

    def __init__(self, path, fail: set[str]) -> None:
        super().__init__(path)
        self.fail = set(fail)

    def update_cards(self, items: Sequence[CardUpdate], status, idempotency_key):
        bad = [i for i in items if i.student_no in self.fail]
        good = [i for i in items if i.student_no not in self.fail]
        results = dict(zip([i.student_no for i in good],
                           super().update_cards(good, status, idempotency_key) if good else [],
                           strict=True))
        for i in bad:
            results[i.student_no] = Failed("E42", "模拟失败")
            self.fail.discard(i.student_no)
        return [results[i.student_no] for i in items]


def test_retry_failures_runs_a_child_job(qtbot, paths, db, journal):
    rows = LocalConnector(db).list_rows()
    targets = [r.student_no for r in rows if r.student.status is StudentStatus.SUSPENDED
               and r.card_status is CardStatus.ACTIVE]
    assert len(targets) >= 2
    window = make_window(qtbot, paths, journal, FlakyConnector(db, {targets[0]}))
    window.filter_bar.apply_preset("to_freeze")
    window.select_all_filtered()
    _plan, first = run_and_confirm(qtbot, window, Action.FREEZE)
    assert first.failed == 1
    assert result_kinds(window)[targets[0]] is OutcomeKind.FAILED
    assert window.model.row_for(targets[0]).card_status is CardStatus.ACTIVE
    assert window.model.row_for(targets[1]).card_status is CardStatus.FROZEN

    retry = window.findChild(object, "retryFailedButton")
    assert retry.isEnabled()
    with qtbot.waitSignal(window.flow.confirmRequested) as shown:
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    dialog = shown.args[0]
    assert [w.student_no for w in dialog.plan.writes] == [targets[0]]
    target = dialog.target_label.text()  # the confirmation names where it writes
    assert window.profile_name in target and paths.local_db_path("local").name in target
    with qtbot.waitSignal(window.flow.controller.finished, timeout=JOB_TIMEOUT) as done:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    child = done.args[0]
    qtbot.waitUntil(lambda: not window.flow.is_busy())
    assert child.parent_job_id == first.job_id and child.succeeded == 1
    assert window.model.row_for(targets[0]).card_status is CardStatus.FROZEN
    window.close()


def _failed_job(journal, rows, profile: str) -> int:
    """A finished FREEZE job of ``profile`` in the journal whose records all failed."""
    from campuscard_gui.core.outcomes import Failed as Fail

    job = journal.create_job(plan_action(Action.FREEZE, rows), profile=profile,
                             operator="op", chunk_size=100)
    journal.mark_sent(job, 0)
    journal.finish_chunk(job, 0, {i: Fail("8303", "限流") for i in range(len(rows))})
    journal.finish_job(job)
    return job


def statuses(path) -> dict[str, CardStatus | None]:
    return {r.student_no: r.card_status for r in LocalConnector(path).list_rows()}


def count(path, status: CardStatus) -> int:
    return sum(1 for s in statuses(path).values() if s is status)


def test_a_job_of_a_profile_that_no_longer_exists_is_refused(qtbot, paths, db, journal):
    """A 简道云 job whose profile was deleted, opened from 历史记录 while the local profile is
    open: 重试失败项 refuses, naming the job's profile; nothing is written anywhere."""
    active = [r for r in LocalConnector(db).list_rows()
              if r.card_status is CardStatus.ACTIVE][:10]
    job = _failed_job(journal, active, "jdy-prod")
    window = make_window(qtbot, paths, journal, LocalConnector(db))
    with qtbot.waitSignal(window.results.jobLoaded):
        window.results.show_job(job)
    retry = window.findChild(object, "retryFailedButton")
    qtbot.waitUntil(retry.isEnabled)
    assert "jdy-prod" in retry.toolTip()
    confirmations: list[object] = []
    window.flow.confirmRequested.connect(confirmations.append)
    with qtbot.waitSignal(window.flow.messageShown) as shown:
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    box = shown.args[0]
    assert "jdy-prod" in box.text() and "no longer exists" in box.text()
    assert box.findChild(object, "flowCancelButton") is None  # nothing to choose
    qtbot.mouseClick(box.findChild(object, "flowAcceptButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.flow.message_box is None and not window.flow.is_busy())
    assert confirmations == [] and window.profile_name == "local"
    assert all(statuses(db)[r.student_no] is CardStatus.ACTIVE for r in active)
    window.close()


@pytest.fixture
def two_profiles(paths, db):
    """The profile "second" (local, its own database) holding the same students as "local":
    a freeze meant for one must not land on the other."""
    from campuscard_gui.config import Profile

    ConfigStore(paths).save_profile(Profile("second", "local"))
    second = paths.local_db_path("second")
    init_demo(second, students=N_STUDENTS, seed=3)
    assert statuses(second) == statuses(db)
    return db, second


def test_retry_of_another_profiles_job_switches_and_writes_there_only(
        qtbot, paths, journal, two_profiles):
    """A job made on "second" (2 of its records failed), then the window switches to "local":
    重试失败项 from 历史记录 asks to switch back, loads "second", confirms naming it and writes
    the two freezes to its database only."""
    local_db, second_db = two_profiles
    rows = LocalConnector(second_db).list_rows()
    to_freeze = [r for r in rows if r.card_status is CardStatus.ACTIVE
                 and r.student.status is StudentStatus.SUSPENDED]
    assert len(to_freeze) >= 3
    failing = {r.student_no for r in to_freeze[:2]}
    opened: list[str] = []

    def factory(profile):
        opened.append(profile.name)
        if profile.name == "second" and opened.count("second") == 1:
            return FlakyConnector(second_db, failing)  # its first job fails for two
        return open_connector(profile, paths)

    settings = ConfigStore(paths).load_settings()
    settings.default_profile = "second"
    ConfigStore(paths).save_settings(settings)
    window = MainWindow(ConfigStore(paths), paths, factory, journal, offer_resume=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.flow.is_open() and window.model.total_count == N_STUDENTS)
    assert window.profile_name == "second"
    window.filter_bar.apply_preset("to_freeze")
    window.select_all_filtered()
    _plan, first = run_and_confirm(qtbot, window, Action.FREEZE)
    assert first.profile == "second" and first.failed == 2
    frozen_second, frozen_local = count(second_db, CardStatus.FROZEN), count(local_db,
                                                                            CardStatus.FROZEN)

    # the operator moves on to "local", then opens the job again from 历史记录
    combo = window.profile_combo
    with qtbot.waitSignal(window.rowsLoaded, timeout=JOB_TIMEOUT):
        combo.setCurrentIndex(combo.findData("local"))
        combo.activated.emit(combo.findData("local"))
    qtbot.waitUntil(lambda: window.flow.profile == "local")
    window.history_action.trigger()
    history = window.flow.history_dialog
    qtbot.waitUntil(lambda: history.model.rowCount() == 1)
    with qtbot.waitSignal(window.results.jobLoaded):
        history.openJobRequested.emit(first.job_id)
    history.close()
    assert "second" in window.results.status_label.text()
    retry = window.findChild(object, "retryFailedButton")
    qtbot.waitUntil(retry.isEnabled)

    # asked first: the question names the job's profile and the one open
    with qtbot.waitSignal(window.flow.messageShown) as shown:
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    box = shown.args[0]
    assert "“second”" in box.text() and "“local”" in box.text()
    assert "Local database" in box.text() and second_db.name in box.text()
    assert window.flow.is_busy() and not combo.isEnabled()
    with qtbot.waitSignal(window.flow.confirmRequested, timeout=JOB_TIMEOUT) as confirm:
        qtbot.mouseClick(box.findChild(object, "flowAcceptButton"), Qt.MouseButton.LeftButton)
    dialog = confirm.args[0]
    assert window.profile_name == "second" and window.flow.profile == "second"
    assert combo.currentData() == "second"
    assert sorted(w.student_no for w in dialog.plan.writes) == sorted(failing)
    assert dialog.target_label.text() == f"Writes to: Local database · second ({second_db.name})"
    with qtbot.waitSignal(window.flow.jobDone, timeout=JOB_TIMEOUT) as done:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    child = done.args[0]
    assert child.profile == "second" and child.parent_job_id == first.job_id
    assert child.succeeded == 2
    assert count(second_db, CardStatus.FROZEN) == frozen_second + 2
    assert count(local_db, CardStatus.FROZEN) == frozen_local  # nothing written to "local"
    assert all(statuses(second_db)[no] is CardStatus.FROZEN for no in failing)
    assert all(statuses(local_db)[no] is CardStatus.ACTIVE for no in failing)
    qtbot.waitUntil(lambda: all(window.model.row_for(no).card_status is CardStatus.FROZEN
                                for no in failing) and not window.flow.is_busy())
    window.close()


def test_declining_the_switch_writes_nothing(qtbot, paths, journal, two_profiles):
    local_db, second_db = two_profiles
    active = [r for r in LocalConnector(second_db).list_rows()
              if r.card_status is CardStatus.ACTIVE][:4]
    job = _failed_job(journal, active, "second")
    window = make_window(qtbot, paths, journal, LocalConnector(local_db))
    with qtbot.waitSignal(window.results.jobLoaded):
        window.results.show_job(job)
    retry = window.findChild(object, "retryFailedButton")
    qtbot.waitUntil(retry.isEnabled)
    with qtbot.waitSignal(window.flow.messageShown) as shown:
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(shown.args[0].findChild(object, "flowCancelButton"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.flow.is_busy())
    assert window.profile_name == "local" and window.flow.profile == "local"
    assert window.profile_combo.isEnabled()
    assert journal.list_jobs() == [journal.job(job)]  # no new job
    assert count(local_db, CardStatus.FROZEN) == count(second_db, CardStatus.FROZEN)
    window.close()


def test_the_switch_question_in_chinese(qtbot, chinese, paths, journal, two_profiles):
    local_db, second_db = two_profiles
    active = [r for r in LocalConnector(second_db).list_rows()
              if r.card_status is CardStatus.ACTIVE][:4]
    job = _failed_job(journal, active, "second")
    window = make_window(qtbot, paths, journal, LocalConnector(local_db))
    with qtbot.waitSignal(window.results.jobLoaded):
        window.results.show_job(job)
    assert "配置“second”" in window.results.status_label.text()
    retry = window.findChild(object, "retryFailedButton")
    qtbot.waitUntil(retry.isEnabled)
    assert "配置“second”" in retry.toolTip()
    with qtbot.waitSignal(window.flow.messageShown) as shown:
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    box = shown.args[0]
    text = box.text()
    assert f"“second”（本地数据库 · {second_db.name}）" in text
    assert "切换到“second”并重试吗" in text
    assert box.findChild(object, "flowAcceptButton").text() == "切换并重试"
    leftover = text.replace(second_db.name, "").replace("second", "").replace("local", "")
    assert not any("a" <= ch.lower() <= "z" for ch in leftover), leftover
    qtbot.mouseClick(box.findChild(object, "flowCancelButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.flow.is_busy())
    window.close()


def test_a_switch_that_fails_writes_nothing(qtbot, paths, journal, two_profiles):
    local_db, second_db = two_profiles
    active = [r for r in LocalConnector(second_db).list_rows()
              if r.card_status is CardStatus.ACTIVE][:4]
    job = _failed_job(journal, active, "second")

    def factory(profile):
        if profile.name == "second":
            from campuscard_gui.core.errors import ConnectorError

            raise ConnectorError("网络不可用")
        return open_connector(profile, paths)

    window = MainWindow(ConfigStore(paths), paths, factory, journal,
                        connector=LocalConnector(local_db), offer_resume=False)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model.total_count == N_STUDENTS)
    with qtbot.waitSignal(window.results.jobLoaded):
        window.results.show_job(job)
    retry = window.findChild(object, "retryFailedButton")
    qtbot.waitUntil(retry.isEnabled)
    with qtbot.waitSignal(window.flow.messageShown) as shown:
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    confirmations: list[object] = []
    window.flow.confirmRequested.connect(confirmations.append)
    with qtbot.waitSignal(window.flow.messageShown, timeout=JOB_TIMEOUT) as failed:
        qtbot.mouseClick(shown.args[0].findChild(object, "flowAcceptButton"),
                         Qt.MouseButton.LeftButton)
    text = failed.args[0].text()
    assert "“second”" in text and "网络不可用" in text and "Nothing was written" in text
    qtbot.mouseClick(failed.args[0].findChild(object, "flowAcceptButton"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.flow.is_busy())
    # the window is on "second" now but holds the local connector: no card action may write
    assert window.profile_name == "second" and window.flow.profile == "local"
    assert not window.flow.is_open() and confirmations == []
    assert not any(a.isEnabled() for a in window.card_actions.values())
    assert count(local_db, CardStatus.FROZEN) == count(second_db, CardStatus.FROZEN)
    window.close()


def test_history_opens_a_past_job(qtbot, window):
    window.filter_bar.apply_preset("to_freeze")
    window.select_all_filtered()
    _plan, info = run_and_confirm(qtbot, window, Action.FREEZE)
    window.results.show_job(info.job_id)
    window.history_action.trigger()
    dialog = window.flow.history_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    with qtbot.waitSignal(window.results.jobLoaded) as loaded:
        dialog.openJobRequested.emit(info.job_id)
    assert loaded.args == [info.job_id]
    dialog.close()


def test_unfinished_job_is_offered_and_resumed(qtbot, paths, db, journal, monkeypatch):
    rows = LocalConnector(db).list_rows()
    plan = plan_action(Action.FREEZE, rows)
    job_id = journal.create_job(plan, profile="local", operator="t", chunk_size=50)
    journal.create_job(plan_action(Action.FREEZE, rows[:5]), profile="elsewhere",
                       operator="t", chunk_size=50)
    offered = []
    notes = []

    def fake_ask(parent, jobs, *, on_discard=None, note=""):
        offered.extend(j.job_id for j in jobs)
        notes.append(note)
        return [j.job_id for j in jobs]

    monkeypatch.setattr(main_actions, "ask_resume", fake_ask)
    window = MainWindow(ConfigStore(paths), paths, lambda p: open_connector(p, paths), journal,
                        connector=LocalConnector(db))
    qtbot.addWidget(window)
    done = []
    window.flow.jobDone.connect(done.append)
    qtbot.waitUntil(lambda: done != [] and not window.flow.is_busy(), timeout=JOB_TIMEOUT)
    assert offered == [job_id]  # only this profile's jobs
    # the other job's profile does not exist: it is named, never continued here
    assert "elsewhere" in notes[0] and "no longer exist" in notes[0]
    assert done[0].job_id == job_id and done[0].state is JobState.DONE
    frozen = [w.student_no for w in plan.writes]
    assert all(window.model.row_for(no).card_status is CardStatus.FROZEN for no in frozen)
    window.close()


def test_an_unfinished_job_is_resumed_on_its_own_profile_only(qtbot, paths, journal,
                                                               two_profiles, monkeypatch):
    """An unfinished job of "second" is not offered while "local" is open (the status bar
    names "second"); switching to "second" offers it, and resuming writes to its database
    only."""
    local_db, second_db = two_profiles
    rows = LocalConnector(second_db).list_rows()
    active = [r for r in rows if r.card_status is CardStatus.ACTIVE][:12]
    plan = plan_action(Action.FREEZE, active)
    job_id = journal.create_job(plan, profile="second", operator="t", chunk_size=5)
    offered: list[tuple[str, list[int]]] = []

    def fake_ask(parent, jobs, *, on_discard=None, note=""):
        offered.append((parent.profile_name, [j.job_id for j in jobs]))
        return [j.job_id for j in jobs]

    monkeypatch.setattr(main_actions, "ask_resume", fake_ask)
    window = MainWindow(ConfigStore(paths), paths, lambda p: open_connector(p, paths), journal,
                        connector=LocalConnector(local_db))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "second" in window.statusBar().currentMessage())
    assert "offered when their profile is opened" in window.statusBar().currentMessage()
    assert offered == []
    frozen_local = count(local_db, CardStatus.FROZEN)
    frozen_second = count(second_db, CardStatus.FROZEN)

    done: list[object] = []
    window.flow.jobDone.connect(done.append)
    combo = window.profile_combo
    combo.setCurrentIndex(combo.findData("second"))
    combo.activated.emit(combo.findData("second"))
    qtbot.waitUntil(lambda: done != [] and not window.flow.is_busy(), timeout=JOB_TIMEOUT)
    assert offered == [("second", [job_id])]
    assert done[0].job_id == job_id and done[0].state is JobState.DONE
    assert count(second_db, CardStatus.FROZEN) == frozen_second + len(plan.writes)
    assert count(local_db, CardStatus.FROZEN) == frozen_local
    # back on "local" and again on "second": nothing is offered twice
    for name in ("local", "second"):
        with qtbot.waitSignal(window.rowsLoaded, timeout=JOB_TIMEOUT):
            combo.setCurrentIndex(combo.findData(name))
            combo.activated.emit(combo.findData(name))
    qtbot.waitUntil(lambda: window.flow.is_open() and not window.flow.is_busy())
    assert offered == [("second", [job_id])]
    window.close()


def test_the_controller_never_runs_another_profiles_job(qtbot, paths, db, journal):
    """The last guard: a job recorded for another profile is refused on the worker."""
    window = make_window(qtbot, paths, journal, LocalConnector(db))
    rows = LocalConnector(db).list_rows()
    active = [r for r in rows if r.card_status is CardStatus.ACTIVE][:5]
    job_id = journal.create_job(plan_action(Action.FREEZE, active), profile="jdy-prod",
                                operator="t", chunk_size=5)
    controller = window.flow.controller
    with qtbot.waitSignal(controller.failed, timeout=JOB_TIMEOUT) as failed:
        controller.start(job_id)
    assert "jdy-prod" in failed.args[0] and "local" in failed.args[0]
    with qtbot.waitSignal(controller.failed, timeout=JOB_TIMEOUT) as failed:
        controller.start_plan(plan_action(Action.FREEZE, active), profile="jdy-prod")
    assert "jdy-prod" in failed.args[0]
    qtbot.waitUntil(lambda: not window.flow.is_busy())
    assert all(statuses(db)[r.student_no] is CardStatus.ACTIVE for r in active)
    assert journal.job(job_id).pending == 5 and len(journal.list_jobs()) == 1
    window.close()


class GatedConnector(LocalConnector):
    """One record per chunk; the first write waits until the gate opens."""

    limits = Limits(batch_size=1, concurrency=1)

    def __init__(self, path) -> None:
        super().__init__(path)
        self.gate = threading.Event()
        self.entered = threading.Event()

    def update_cards(self, items, status, idempotency_key):
        self.entered.set()
        self.gate.wait(10)
        return super().update_cards(items, status, idempotency_key)


def test_close_while_running_asks_cancels_and_waits(qtbot, paths, db, journal, monkeypatch):
    connector = GatedConnector(db)
    window = make_window(qtbot, paths, journal, connector)
    window.filter_bar.apply_preset("to_freeze")
    window.select_all_filtered()
    with qtbot.waitSignal(window.flow.confirmRequested) as shown:
        action(window, Action.FREEZE).trigger()
    with qtbot.waitSignal(window.flow.controller.started, timeout=JOB_TIMEOUT) as started:
        qtbot.mouseClick(shown.args[0].confirm_button, Qt.MouseButton.LeftButton)
    job_id = started.args[0]
    qtbot.waitUntil(connector.entered.is_set)
    asked = []

    def answer(*args, **kwargs):
        asked.append(1)
        return QMessageBox.StandardButton.No if len(asked) == 1 else \
            QMessageBox.StandardButton.Yes

    controller = window.flow.controller
    cancel = controller.cancel

    def cancel_then_let_the_write_end() -> None:
        cancel()  # the token first: opening the gate before it let every chunk through
        connector.gate.set()

    monkeypatch.setattr(controller, "cancel", cancel_then_let_the_write_end)
    monkeypatch.setattr(QMessageBox, "question", answer)
    assert not window.close() and window.isVisible()  # "No": keeps running
    assert window.close()
    assert asked == [1, 1]
    info = journal.job(job_id)
    assert info.state is JobState.CANCELLED and info.succeeded >= 1 and info.cancelled >= 1


def test_opens_the_profile_off_thread_and_switches(qtbot, paths, db, journal):
    from campuscard_gui.config import Profile

    ConfigStore(paths).save_profile(Profile("second", "local"))
    init_demo(paths.local_db_path("second"), students=40)
    opened = []

    def factory(profile):
        opened.append(profile.name)
        return open_connector(profile, paths)

    window = MainWindow(ConfigStore(paths), paths, factory, journal, offer_resume=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.rowsLoaded, timeout=JOB_TIMEOUT) as loaded:
        pass
    assert loaded.args == [N_STUDENTS] and opened == ["local"]
    first = window.connector
    combo = window.profile_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["local", "second"]
    with qtbot.waitSignal(window.rowsLoaded, timeout=JOB_TIMEOUT) as loaded:
        combo.setCurrentIndex(1)
        combo.activated.emit(1)
    assert loaded.args == [40] and opened == ["local", "second"]
    assert window.connector is not first and window.flow.controller is not None
    assert "second" in window.connection_label.text()
    assert ConfigStore(paths).load_settings().default_profile == "second"
    window.close()


def test_connector_failure_is_shown_not_raised(qtbot, paths, journal):
    from campuscard_gui.core.errors import ConnectorError

    def factory(profile):
        raise ConnectorError("后端不可用")

    window = MainWindow(ConfigStore(paths), paths, factory, journal, offer_resume=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loadFailed) as failed:
        pass
    assert failed.args == ["后端不可用"]
    assert "not connected" in window.connection_label.text()
    assert window.connection_label.toolTip() == "后端不可用"
    assert not window.import_action.isEnabled()
    window.close()


def test_rows_a_backend_left_out_are_reported(qtbot, paths, db, journal):
    class Warns(LocalConnector):
        def list_rows(self, progress=None):
            rows = super().list_rows(progress)
            self.list_warnings = ["2 名学生的学籍状态选项无法识别（未显示）：甲、乙"]
            return rows

    w = make_window(qtbot, paths, journal, Warns(db))
    try:
        label = w.connection_label
        assert "无法识别" in label.toolTip()
        assert "无法识别" in w.statusBar().currentMessage()
    finally:
        w.close()
