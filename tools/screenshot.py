"""Take the README screenshot: the main window in Chinese right after a real job.

    python tools/screenshot.py docs/screenshot.png [--lang zh_CN]

Uses a throwaway config/data dir with the demo school, searches one class year, selects all
filtered rows, runs 开通一卡通 through the real confirmation and job thread, waits for the
results, and saves the window (offscreen platform unless QT_QPA_PLATFORM is set).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="zh_CN")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="campuscard-shot-"))
    os.environ["CAMPUSCARD_CONFIG_DIR"] = str(tmp / "config")
    os.environ["CAMPUSCARD_DATA_DIR"] = str(tmp / "data")

    from campuscard_gui.batch import Journal
    from campuscard_gui.config import ConfigStore, Paths
    from campuscard_gui.connectors.factory import open_connector
    from campuscard_gui.core.model import Action
    from campuscard_gui.i18n import install_translators
    from campuscard_gui.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    install_translators(app, args.lang)
    paths = Paths.from_env().ensure()
    config = ConfigStore(paths)
    profile = config.get_profile(None)
    journal = Journal(paths.journal_path)
    window = MainWindow(config, paths, lambda p: open_connector(p, paths), journal,
                        profile=profile.name, connector=open_connector(profile, paths),
                        offer_resume=False)
    window.resize(1360, 820)
    window.show()

    def wait(signal, ms: int = 30_000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

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
