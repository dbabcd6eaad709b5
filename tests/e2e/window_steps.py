"""What the end-to-end tests do in the window, the way an operator does it: open the window
on a small local demo, make a profile in 管理配置…, switch to it, run a preset's job."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dialog_helpers import click
from memory_keyring import MemoryKeyring
from PySide6.QtWidgets import QWidget

from campuscard_gui.backends.factory import open_connector
from campuscard_gui.backends.local.connector import init_demo
from campuscard_gui.batch import JobInfo, JobState, Journal
from campuscard_gui.config import ConfigStore
from campuscard_gui.config.credentials import CredentialStore
from campuscard_gui.config.paths import Paths
from campuscard_gui.core.model import Action, StudentRow
from campuscard_gui.ui.window.main_actions import ACTION_NAMES
from campuscard_gui.ui.window.main_window import MainWindow

TIMEOUT = 60_000


def open_window(qtbot: Any, paths: Paths) -> tuple[MainWindow, MemoryKeyring, Journal]:
    """The window on a 10-student local demo, secrets in an in-memory keyring."""
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
    qtbot.waitUntil(lambda: window.model.total_count == 10 and not window.loader.is_busy())
    return window, keyring_backend, journal


def new_profile(qtbot: Any, window: MainWindow, kind: str | None = None) -> Any:
    """管理配置… → 新建 (of ``kind``); the dialog."""
    with qtbot.waitSignal(window.profileDialogOpened) as opened:
        window.profiles_action.trigger()
    dialog = opened.args[0]
    click(qtbot, dialog.new_button)
    if kind is not None:
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))
    return dialog


def check_and_save(qtbot: Any, window: MainWindow, dialog: Any) -> None:
    """测试连接 (must succeed), 保存, 关闭."""
    with qtbot.waitSignal(dialog.editor.connectionChecked, timeout=TIMEOUT) as checked:
        click(qtbot, dialog.editor.test_button)
    assert checked.args[0] is True, checked.args[1]
    with qtbot.waitSignal(dialog.profileSaved, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    click(qtbot, dialog.findChild(QWidget, "closeProfilesButton"))
    qtbot.waitUntil(lambda: window.profile_dialog is None)


def switch_to(qtbot: Any, window: MainWindow, name: str) -> int:
    """Pick the profile in the toolbar; the number of students it loaded."""
    combo = window.profile_combo
    index = combo.findData(name)
    with qtbot.waitSignal(window.rowsLoaded, timeout=TIMEOUT) as loaded:
        combo.setCurrentIndex(index)
        combo.activated.emit(index)
    return int(loaded.args[0])


def run_preset_job(qtbot: Any, window: MainWindow, action: Action, preset: str,
                   before_confirm: Callable[[list[StudentRow]], None] | None = None
                   ) -> tuple[JobInfo, list[StudentRow]]:
    """The preset, 全选筛选结果, the action, 确认; the finished job and the rows it was for."""
    window.filter_bar.apply_preset(preset)
    window.select_all_filtered()
    rows = window.selected_rows()
    assert rows
    trigger = window.findChild(type(window.profiles_action), ACTION_NAMES[action])
    with qtbot.waitSignal(window.flow.confirmRequested, timeout=TIMEOUT) as shown:
        trigger.trigger()
    confirm = shown.args[0]
    assert len(confirm.plan.writes) == len(rows) and not confirm.plan.skips
    if before_confirm is not None:
        before_confirm(rows)
    with qtbot.waitSignal(window.flow.jobDone, timeout=TIMEOUT) as done:
        click(qtbot, confirm.confirm_button)
    info = done.args[0]
    assert info.state is JobState.DONE
    # the finished job's records (live results shown while it ran may still be pending)
    qtbot.waitUntil(lambda: window.results.job is not None
                    and window.results.job.job_id == info.job_id)
    assert window.results.model.rowCount() == len(rows)
    return info, rows
