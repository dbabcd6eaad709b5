"""What the operator feels at 100,000 students: the GUI thread's longest stall in the real
window, with Qt painting and events processed.

    python tests/bench/bench_window.py --rows 100000 [--json]

A heartbeat timer on the GUI thread ticks every 5 ms; a stage's stall is the longest gap
between two ticks (or between the stage's start and the first tick) while the stage runs,
including the paint that shows its result (the window is grabbed after each stage, which makes
Qt paint everything visible). Stages, each started the way an operator starts it:

- load: the window opened on a local profile of ``--rows`` students until the table shows them
- search: one search (软工23) typed into the search box
- sort: a click on the 姓名 header
- select_all: 全选筛选结果 over every row, and the repaints that follow (header included)
- confirm: 冻结 on that selection until the confirmation is on screen (planning included)
- job: the confirmed job over every record, until its results are shown

and the process's resident memory after the load and after the job (VmRSS; VmHWM for the
peak). Targets: every stall ≤ 50 ms except the load (≤ 1 s); RSS ≤ 200 MB loaded, ≤ 250 MB
after the job. Prints figures with PASS/MISS (and JSON with ``--json``); it measures, it does
not fail.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

TARGETS_MS = {"load": 1000.0, "search": 50.0, "sort": 50.0, "select_all": 50.0,
              "confirm": 50.0, "job": 50.0}
TARGETS_MB = {"loaded": 200.0, "after_job": 250.0}
BEAT_MS = 5


def rss_mb(field: str = "VmRSS") -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class Heartbeat:
    """Ticks on the GUI thread; ``longest`` is the widest gap since ``reset``."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = 0
        self.longest = 0
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def reset(self) -> None:
        self.last = self.clock.elapsed()
        self.longest = 0

    def stall_ms(self) -> float:
        """The longest gap, counting the one still open; minus the beat itself."""
        gap = max(self.longest, self.clock.elapsed() - self.last)
        return max(0.0, float(gap - BEAT_MS))


def wait_until(app: QApplication, done: Callable[[], bool], timeout_s: float) -> None:
    end = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the stage did not finish in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.002)  # let worker threads run; the heartbeat sees any GUI-thread stall


def settle(app: QApplication, window: Any, ms: int = 150) -> None:
    """Process events for ``ms`` and paint the whole window (what the operator sees)."""
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        time.sleep(0.002)
    window.grab()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-window-"))
    os.environ["CAMPUSCARD_CONFIG_DIR"] = str(work / "config")
    os.environ["CAMPUSCARD_DATA_DIR"] = str(work / "data")

    from campuscard_gui.backends.factory import open_connector
    from campuscard_gui.backends.local.store import init_demo
    from campuscard_gui.batch import Journal
    from campuscard_gui.config import ConfigStore, Paths
    from campuscard_gui.core.model import Action
    from campuscard_gui.ui.heap import limit_malloc_arenas
    from campuscard_gui.ui.jobs.confirm_dialog import ConfirmDialog
    from campuscard_gui.ui.students.student_model import COL_NAME
    from campuscard_gui.ui.window.main_actions import ACTION_NAMES
    from campuscard_gui.ui.window.main_window import MainWindow

    limit_malloc_arenas()  # as the program does at start (campuscard_gui/app.py)

    paths = Paths.from_env().ensure()
    t0 = time.perf_counter()
    init_demo(paths.local_db_path("local"), students=args.rows, seed=7)
    print(f"demo school of {args.rows:,} students made in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    beat = Heartbeat()
    stalls: dict[str, float] = {}
    journal = Journal(paths.journal_path)
    config = ConfigStore(paths)

    # load
    beat.reset()
    window = MainWindow(config, paths, lambda p: open_connector(p, paths), journal,
                        offer_resume=False)
    window.resize(1366, 768)
    window.show()
    wait_until(app, lambda: window.model.total_count == args.rows
               and not window.loader.is_busy(), 300)
    settle(app, window)
    stalls["load"] = beat.stall_ms()
    rss_loaded = rss_mb()

    # search
    settle(app, window)
    beat.reset()
    window.filter_bar.search_edit.setText("软工23")
    settle(app, window, 400)  # the search is debounced
    stalls["search"] = beat.stall_ms()
    window.filter_bar.search_edit.clear()
    settle(app, window, 400)

    # sort
    beat.reset()
    header = window.table.horizontalHeader()
    header.sectionClicked.emit(COL_NAME)
    settle(app, window)
    stalls["sort"] = beat.stall_ms()

    # select all, with the repaints that follow
    beat.reset()
    window.select_all_action.trigger()
    settle(app, window)
    header.viewport().update()
    window.table.viewport().update()
    settle(app, window)
    stalls["select_all"] = beat.stall_ms()
    selected = window.table.selected_count()

    # the confirmation
    dialogs: list[ConfirmDialog] = []

    def confirm_open() -> bool:
        dialogs[:] = [w for w in app.topLevelWidgets()
                      if isinstance(w, ConfirmDialog) and w.isVisible()]
        return bool(dialogs)

    freeze = window.findChild(type(window.select_all_action), ACTION_NAMES[Action.FREEZE])
    beat.reset()
    freeze.trigger()
    wait_until(app, confirm_open, 120)
    settle(app, dialogs[0])
    stalls["confirm"] = beat.stall_ms()
    dialog = dialogs[0]
    n_writes = len(dialog.plan.writes)

    # the whole job
    beat.reset()
    if dialog.count_edit is not None:
        dialog.count_edit.setText(str(n_writes))
    dialog.confirm_button.click()
    del dialog  # the window lets the dialog and its plan go: the bench must not keep them
    dialogs.clear()
    wait_until(app, lambda: window.results.job is not None
               and window.results.job.finished and not window.flow.is_busy(), 1800)
    settle(app, window, 500)
    stalls["job"] = beat.stall_ms()
    rss_after = rss_mb()
    peak = rss_mb("VmHWM")

    window.close()
    journal.close()
    result = {
        "rows": args.rows,
        "selected": selected,
        "written": n_writes,
        "stall_ms": {k: round(v, 1) for k, v in stalls.items()},
        "rss_mb": {"loaded": round(rss_loaded, 1), "after_job": round(rss_after, 1),
                   "peak": round(peak, 1)},
    }
    print(f"window at {args.rows:,} students ({n_writes:,} records written by the job)")
    for stage, ms in stalls.items():
        verdict = "PASS" if ms <= TARGETS_MS[stage] else "MISS"
        print(f"  stall {stage:<11} {ms:8.1f} ms   target ≤ {TARGETS_MS[stage]:.0f}  {verdict}")
    for key, mb in (("loaded", rss_loaded), ("after_job", rss_after)):
        verdict = "PASS" if mb <= TARGETS_MB[key] else "MISS"
        print(f"  RSS {key:<13} {mb:8.1f} MB   target ≤ {TARGETS_MB[key]:.0f}  {verdict}")
    print(f"  RSS peak          {peak:8.1f} MB")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
