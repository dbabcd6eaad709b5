"""The last listing of a remote profile, kept to open it at once: written whole and private,
read back exactly, ignored (and removed) when damaged, removed with its profile and on demand
(window and CLI); the window shows it as stale while the fresh listing runs, and the fresh
listing replaces it."""

from __future__ import annotations

import os
import stat
import threading
from decimal import Decimal

import pytest

from campuscard_gui.backends.local.connector import LocalConnector, init_demo
from campuscard_gui.config import ConfigStore, Profile
from campuscard_gui.config.snapshots import SnapshotStore
from campuscard_gui.core.model import Card, CardStatus, Student, StudentRow, StudentStatus


def rows() -> list[StudentRow]:
    return [
        StudentRow(Student("2024001", "张三", "计算机学院", "计科2401", StudentStatus.ENROLLED,
                           "rec-1")),
        StudentRow(Student("2024002", "O'Brien \"x\"", "", "", StudentStatus.GRADUATED),
                   Card("C-1", "2024002", CardStatus.FROZEN, 1_700_000_000_000,
                        Decimal("12.30"), "7", 1_699_000_000_000)),
    ]


def test_a_snapshot_reads_back_exactly_and_is_private(paths):
    store = SnapshotStore(paths.data_dir)
    path = store.save("jdy school/二", rows(), taken_at=1_800_000_000.5)
    snap = store.load("jdy school/二")
    assert snap is not None and snap.rows == rows() and snap.taken_at == 1_800_000_000.5
    assert store.load("other") is None
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left


@pytest.mark.parametrize("damage", ["garbage", "truncated", "unknown status", "other profile"])
def test_a_damaged_snapshot_is_ignored_and_removed(paths, damage):
    import sqlite3

    store = SnapshotStore(paths.data_dir)
    path = store.save("p", rows())
    if damage == "garbage":
        path.write_bytes(b"not a database at all" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:300])
    else:
        conn = sqlite3.connect(path)
        if damage == "unknown status":
            conn.execute("UPDATE rows SET status = 'enrolled-ish'")
        else:
            conn.execute("UPDATE meta SET value = 'q' WHERE key = 'profile'")
        conn.commit()
        conn.close()
    assert store.load("p") is None
    assert not path.exists()


def test_removed_with_its_profile_and_cleared_by_the_cli(paths, capsys):
    from campuscard_gui.cli.commands import main

    store = SnapshotStore(paths.data_dir)
    config = ConfigStore(paths)
    for name in ("a", "b", "c"):
        config.save_profile(Profile(name, "local"))
        store.save(name, rows())
    config.remove_profile("a")
    assert store.load("a") is None and store.load("b") is not None
    assert main(["profiles", "clear-snapshots", "b"]) == 0
    assert store.load("b") is None and store.load("c") is not None
    assert main(["profiles", "clear-snapshots"]) == 0
    assert "已删除 1 份学生名单快照" in capsys.readouterr().err
    assert store.load("c") is None
    assert main(["profiles", "clear-snapshots", "nope"]) == 2


class RemoteLike(LocalConnector):
    """A local database that says it is none (as a remote backend), whose listing waits at a
    gate: the window must show the snapshot meanwhile."""

    def __init__(self, path, gate: threading.Event, fail: bool = False) -> None:
        super().__init__(path)
        self.gate = gate
        self.fail = fail

    def local_database(self):
        return None

    def list_rows(self, progress=None):
        self.gate.wait(30)
        if self.fail:
            from campuscard_gui.core.errors import RetryableError

            raise RetryableError("server down", code="network")
        return super().list_rows(progress)


def test_the_window_shows_the_snapshot_at_once_then_the_fresh_list(qtbot, paths, chinese,
                                                                   monkeypatch):
    from campuscard_gui.batch import Journal
    from campuscard_gui.ui.window.main_window import MainWindow
    from campuscard_gui.ui.workers import wait_for_workers

    db = paths.data_dir / "remote.sqlite3"
    init_demo(db, students=40, seed=5)
    config = ConfigStore(paths)
    config.save_profile(Profile("remote", "kintone", {"base_url": "https://x.example"}))
    store = SnapshotStore(paths.data_dir)
    listed = LocalConnector(db).list_rows()
    store.save("remote", [*rows(), *listed[:3]], taken_at=1_800_000_000)
    gates: list[threading.Event] = []
    fail = [False]

    def factory(profile):
        gate = threading.Event()
        gates.append(gate)
        return RemoteLike(db, gate, fail[0])

    loads: list[str] = []
    real_load = SnapshotStore.load

    def counted(self, profile):
        loads.append(profile)
        return real_load(self, profile)

    monkeypatch.setattr(SnapshotStore, "load", counted)
    journal = Journal(paths.journal_path)
    window = MainWindow(config, paths, factory, journal, profile="remote",
                        offer_resume=False)
    qtbot.addWidget(window)
    window.show()
    # the snapshot's students, marked as such, before the listing could answer
    qtbot.waitUntil(lambda: window.model.total_count == 5, timeout=5000)
    assert loads == ["remote"]  # read once: shown, then refreshed from (batch.listing)
    assert window.showing_snapshot and window.stale_banner.isVisible()
    assert "快照" in window.stale_banner.text()
    assert window.stale_note() == window.stale_banner.text()  # the confirmation repeats it
    # the operator selects a student meanwhile; the fresh listing keeps it selected
    picked = listed[1].student_no  # one the fresh listing holds too ("2024002" it does not)
    assert window.table.select_students([picked, "2024002"]) == 2
    # the fresh listing replaces it, and is kept for the next opening
    with qtbot.waitSignal(window.rowsLoaded, timeout=10_000):
        gates[0].set()
    assert window.model.total_count == 40 and not window.stale_banner.isVisible()
    assert [r.student_no for r in window.table.selected_rows()] == [picked]
    qtbot.waitUntil(lambda: (s := store.load("remote")) is not None and len(s.rows) == 40,
                    timeout=5000)
    # the window's 清除本地快照 removes them
    window.clear_snapshots_action.trigger()
    qtbot.waitUntil(lambda: store.load("remote") is None, timeout=5000)
    window.close()
    wait_for_workers()
    journal.close()
