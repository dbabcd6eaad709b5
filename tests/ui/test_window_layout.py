"""The window remembers how it was left, per profile: a restart in the same config dir puts back
the place and size (when they fit the screen), the splitter, the column widths and hidden
columns (the column chooser), the sort and the status filters (the preset)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from campuscard_gui.backends.factory import open_connector
from campuscard_gui.backends.local.store import init_demo
from campuscard_gui.batch import Journal
from campuscard_gui.config.settings import ConfigStore, Profile
from campuscard_gui.core.model import CardStatus, StudentStatus
from campuscard_gui.ui.students.student_model import (
    COL_CARD_ID,
    COL_CLASS,
    COL_NAME,
    COLUMN_COUNT,
    ROW_ROLE,
)
from campuscard_gui.ui.window.main_window import MainWindow

N = 120
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def journal(paths):
    j = Journal(paths.journal_path)
    yield j
    j.close()


@pytest.fixture
def start(qtbot, paths, journal):
    init_demo(paths.local_db_path("local"), students=N, seed=4)
    opened: list[MainWindow] = []

    def make(expected: int = N) -> MainWindow:
        w = MainWindow(ConfigStore(paths), paths, lambda p: open_connector(p, paths), journal,
                       offer_resume=False)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        qtbot.waitUntil(lambda: w.model.total_count == expected and not w.loader.is_busy())
        opened.append(w)
        return w

    yield make
    for w in opened:
        w.close()


def test_a_restart_restores_the_layout(qtbot, start, paths):
    w = start()
    w.splitter.setSizes([300, 100])
    sizes = w.splitter.sizes()
    header = w.table.horizontalHeader()
    header.resizeSection(COL_NAME, 173)
    menu = w.table.build_column_menu()
    by_name = {a.objectName(): a for a in menu.actions()}
    by_name["column_class"].trigger()  # hide 班级
    by_name["column_card_id"].trigger()  # show the card id
    assert header.isSectionHidden(COL_CLASS) and not header.isSectionHidden(COL_CARD_ID)
    header.setSortIndicator(COL_NAME, Qt.SortOrder.DescendingOrder)
    w.filter_bar.apply_preset("to_freeze")
    shown = w.model.visible_count
    order = [w.model.index(r, 0).data(ROW_ROLE).student_no for r in range(w.model.rowCount())]
    w.close()
    saved = json.loads(paths.settings_path.read_text("utf-8"))
    assert saved["layouts"]["local"]["sort"] == {"column": "name", "descending": True}

    again = start()
    # the same split (scaled when the space differs: the first start's hint is gone now)
    top, bottom = again.splitter.sizes()
    assert abs(top / (top + bottom) - sizes[0] / sum(sizes)) < 0.01
    assert not again.first_start_banner.isVisible()
    header = again.table.horizontalHeader()
    assert header.sectionSize(COL_NAME) == 173
    assert header.isSectionHidden(COL_CLASS) and not header.isSectionHidden(COL_CARD_ID)
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == \
        (COL_NAME, Qt.SortOrder.DescendingOrder)
    assert again.filter_bar.current_preset() == "to_freeze"
    assert again.model.student_filter == {StudentStatus.SUSPENDED}
    assert again.model.card_filter == {CardStatus.ACTIVE}
    assert again.model.visible_count == shown
    assert [again.model.index(r, 0).data(ROW_ROLE).student_no
            for r in range(again.model.rowCount())] == order


# The window's place and size, across two real processes on a configured screen (the default
# offscreen screen is smaller than the window's minimum width).
_PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication
from campuscard_gui.backends.factory import open_connector
from campuscard_gui.batch import Journal
from campuscard_gui.config.paths import Paths
from campuscard_gui.config.settings import ConfigStore
from campuscard_gui.ui.window.main_window import MainWindow
app = QApplication([])
paths = Paths.from_env().ensure()
journal = Journal(paths.journal_path)
w = MainWindow(ConfigStore(paths), paths, lambda p: open_connector(p, paths), journal,
               offer_resume=False)
if sys.argv[1] == "move":
    w.resize(1100, 600)
    w.move(50, 40)
w.show()
if sys.argv[1] == "max":
    w.showMaximized()
app.processEvents()
room = w.screen().availableGeometry()
out = {"size": [w.width(), w.height()], "pos": [w.pos().x(), w.pos().y()],
       "maximized": w.isMaximized(),
       "room": [room.x(), room.y(), room.width(), room.height()]}
w.close()
journal.close()
print(json.dumps(out))
"""


def probe(tmp_path, width: int, height: int, mode: str) -> dict:
    config = tmp_path / f"screen-{width}.json"
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "s", "x": 0, "y": 0, "width": width, "height": height,
         "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}), "utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", _PROBE, mode], env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_a_restart_puts_the_window_back_only_where_it_fits(tmp_path, paths):
    init_demo(paths.local_db_path("local"), students=20, seed=2)
    first = probe(tmp_path, 1366, 768, "move")
    assert first["size"] == [1100, 600]
    again = probe(tmp_path, 1366, 768, "open")
    assert again["size"] == [1100, 600] and again["pos"] == first["pos"]
    saved = json.loads(paths.settings_path.read_text("utf-8"))["window"]
    assert (saved["width"], saved["height"]) == (1100, 600)
    # the same settings on a smaller screen: the saved place would be off it, so the window
    # opens at the size that fits, inside the screen
    small = probe(tmp_path, 1280, 720, "open")
    assert small["size"] == [1100, 600]
    # a size larger than the screen is not put back: the default that fits
    data = json.loads(paths.settings_path.read_text("utf-8"))
    data["window"] = {"x": 0, "y": 0, "width": 1900, "height": 1000, "maximized": False}
    paths.settings_path.write_text(json.dumps(data), "utf-8")
    fitted = probe(tmp_path, 1280, 720, "open")
    assert fitted["size"] == [1240, 660]
    rx, ry, rw, rh = fitted["room"]
    x, y = fitted["pos"]
    assert rx <= x and ry <= y and x + 1240 <= rx + rw and y + 660 <= ry + rh
    # maximized stays maximized (its normal size is what is kept)
    assert probe(tmp_path, 1366, 768, "max")["maximized"]
    saved = json.loads(paths.settings_path.read_text("utf-8"))["window"]
    assert saved["maximized"] is True
    assert probe(tmp_path, 1366, 768, "open")["maximized"]


def test_a_malformed_layout_is_ignored(qtbot, start, paths):
    paths.settings_path.write_text(json.dumps({
        "window": {"x": "a", "width": 5},
        "layouts": {"local": {"widths": {"name": -4, "nope": 90, "student_no": True},
                              "hidden": [c for c in ("student_no", "name", "college", "class",
                                                     "student_status", "card_status",
                                                     "open_time", "amount", "card_id")],
                              "sort": {"column": "zzz"}, "filter": {"students": ["x"]},
                              "splitter": [1, "b"]}}}), "utf-8")
    w = start()
    header = w.table.horizontalHeader()
    assert [c for c in range(COLUMN_COUNT) if header.isSectionHidden(c)] == [COL_CARD_ID]
    assert w.model.visible_count == N and w.filter_bar.current_preset() == "all"


def test_the_column_chooser_never_hides_the_last_column(qtbot, start):
    w = start()
    header = w.table.horizontalHeader()
    for col in range(COLUMN_COUNT):
        w.table.set_column_visible(col, False)
    shown = [c for c in range(COLUMN_COUNT) if not header.isSectionHidden(c)]
    assert len(shown) == 1
    menu = w.table.build_column_menu()
    last = next(a for a in menu.actions() if a.isCheckable() and a.isChecked())
    assert not last.isEnabled()
    reset = menu.findChild(QAction, "defaultColumnsAction")
    assert reset is not None
    reset.trigger()
    assert [c for c in range(COLUMN_COUNT) if header.isSectionHidden(c)] == [COL_CARD_ID]
    # Ctrl+C copies what is shown: a hidden column is not copied
    w.table.select_all_filtered()
    assert "Card ID" not in w.table.rows_as_tsv().splitlines()[0]


def test_the_view_menu_holds_the_column_chooser(qtbot, start):
    w = start()
    w.columns_menu.aboutToShow.emit()
    names = [a.objectName() for a in w.columns_menu.actions()]
    assert "column_card_id" in names and "defaultColumnsAction" in names


def test_the_layout_is_per_profile(qtbot, start, paths):
    store = ConfigStore(paths)
    store.save_profile(Profile("other", "local"))
    init_demo(paths.local_db_path("other"), students=40, seed=8)
    w = start()
    w.filter_bar.apply_preset("to_cancel")
    w.table.set_column_visible(COL_CARD_ID, True)
    with qtbot.waitSignal(w.rowsLoaded, timeout=20_000):
        w.switch_profile("other")
    assert w.filter_bar.current_preset() == "all"  # "other" was never laid out: defaults
    assert w.table.horizontalHeader().isSectionHidden(COL_CARD_ID)
    w.filter_bar.apply_preset("graduated")
    with qtbot.waitSignal(w.rowsLoaded, timeout=20_000):
        w.switch_profile("local")
    assert w.filter_bar.current_preset() == "to_cancel"
    assert not w.table.horizontalHeader().isSectionHidden(COL_CARD_ID)
    w.close()
    layouts = json.loads(paths.settings_path.read_text("utf-8"))["layouts"]
    assert layouts["other"]["filter"]["students"] == [StudentStatus.GRADUATED.value]
    assert layouts["local"]["filter"]["students"] == [StudentStatus.WITHDRAWN.value]
