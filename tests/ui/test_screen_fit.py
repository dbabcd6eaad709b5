"""Windows open inside the screen: the main window on a 1280×720 laptop shows its status bar."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from campuscard_gui.ui.screen_fit import fitting_size

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication, QMainWindow, QStatusBar
from campuscard_gui.ui.screen_fit import fit_inside_screen
app = QApplication([])
w = QMainWindow()
w.setStatusBar(QStatusBar())
fit_inside_screen(w, 1280, 800)
w.show()
app.processEvents()
room = w.screen().availableGeometry()
frame = w.frameGeometry()
print(json.dumps({"room": [room.x(), room.y(), room.width(), room.height()],
                  "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                  "size": [w.width(), w.height()]}))
"""


@pytest.mark.parametrize(("width", "height", "expected"), [
    (1280, 720, (1240, 660)), (1366, 768, (1280, 708)), (1920, 1080, (1280, 800))])
def test_the_main_window_size_fits_each_screen(tmp_path, width, height, expected):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "s", "x": 0, "y": 0, "width": width, "height": height,
         "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}), "utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    probe = json.loads(out.strip().splitlines()[-1])
    assert tuple(probe["size"]) == expected
    rx, ry, rw, rh = probe["room"]
    fx, fy, fw, fh = probe["frame"]
    assert rx <= fx and ry <= fy and fx + fw <= rx + rw and fy + fh <= ry + rh, probe


def test_the_real_main_window_opens_inside_the_test_screen(qtbot, paths):
    from campuscard_gui.backends.factory import open_connector
    from campuscard_gui.batch import Journal
    from campuscard_gui.config.settings import ConfigStore
    from campuscard_gui.ui.window.main_window import MainWindow

    journal = Journal(paths.journal_path)
    config = ConfigStore(paths)
    window = MainWindow(config, paths, lambda p: open_connector(p, paths), journal,
                        offer_resume=False)
    qtbot.addWidget(window)
    try:
        room = window.screen().availableGeometry()
        assert window.size() == fitting_size(window, 1280, 800)
        assert window.width() <= room.width() and window.height() <= room.height()
    finally:
        window.close()
        journal.close()
