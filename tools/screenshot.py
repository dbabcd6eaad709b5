"""Take the README screenshot: the main window in Chinese right after a real job.

    python tools/screenshot.py docs/screenshot.png [--lang zh_CN] [--size 1366x768]

Uses a throwaway config/data dir with the demo school, searches one class year, selects all
filtered rows, runs 开通一卡通 through the real confirmation and job thread, waits for the
results, and saves the window (offscreen platform unless QT_QPA_PLATFORM is set).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from shot_app import start, wait


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="zh_CN")
    parser.add_argument("--size", default="1366x768",
                        help="the window's size, a whole small screen by default")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    app, paths = start(args.lang)

    from campuscard_gui.backends.factory import open_connector
    from campuscard_gui.batch import Journal
    from campuscard_gui.config import ConfigStore
    from campuscard_gui.core.model import Action
    from campuscard_gui.ui.window.main_window import MainWindow

    config = ConfigStore(paths)
    profile = config.get_profile(None)
    journal = Journal(paths.journal_path)
    window = MainWindow(config, paths, lambda p: open_connector(p, paths), journal,
                        profile=profile.name, connector=open_connector(profile, paths),
                        offer_resume=False)
    window.resize(width, height)
    window.show()
    wait(window.rowsLoaded)
    window.flow.confirmRequested.connect(lambda dialog: dialog.accept())
    # the newest year of one major: many students there still have no card
    window.filter_bar.search_edit.setText("计科24")
    window.filter_bar.flush()
    app.processEvents()
    window.table.select_all_filtered()
    window.flow.run_action(Action.OPEN)
    wait(window.flow.jobDone)
    for _ in range(5):
        app.processEvents()
    window.results.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # successes among skips
    app.processEvents()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(args.out))
    print(f"saved {args.out}" if ok else "could not save", file=sys.stderr)
    window.close()
    journal.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
