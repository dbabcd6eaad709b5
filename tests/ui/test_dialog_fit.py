"""管理配置 (with unsaved changes and its question), the import dialog (columns and preview) and
the confirmation (注销, with the list of students unfolded) fit a 1280×720 screen in English and
in Chinese: each opens inside the available area and can shrink to it (minimum size), with the
buttons inside the dialog. Run in a child process whose offscreen screen is 1280×720.

Set CAMPUSCARD_SHOT_DIR to keep a picture of each dialog (zh_CN and en) there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_PROBE = r"""
import json, os, sys
from decimal import Decimal
from pathlib import Path
sys.path.insert(0, sys.argv[2])  # tests/: memory_keyring
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from campuscard_gui import i18n, messages
from campuscard_gui.backends.local.connector import LocalConnector, init_demo
from campuscard_gui.config import ConfigStore
from campuscard_gui.config.credentials import CredentialStore
from campuscard_gui.config.paths import Paths
from campuscard_gui.core.model import Action
from campuscard_gui.core.plan import plan_action
from campuscard_gui.importing import guess_mapping, map_rows, read_table
from campuscard_gui.ui.importing.import_dialog import ImportDialog
from campuscard_gui.ui.importing.import_preview import compare
from campuscard_gui.ui.jobs.confirm_dialog import ConfirmDialog, plan_balance
from campuscard_gui.ui.profiles.profile_dialog import ProfileDialog
from memory_keyring import MemoryKeyring

lang, tmp = sys.argv[1], Path(sys.argv[3])
shots = os.environ.get("CAMPUSCARD_SHOT_DIR")
app = QApplication([])
qm = tmp / f"qm-{lang}"
i18n.compile_catalogues(i18n.SOURCE_TS_DIR, qm)
translators = [QTranslator(), QTranslator()]
assert translators[0].load(str(qm / f"campuscard_{lang}.qm"))
translators[1].load(f"qtbase_{lang}",
                    QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
for translator in translators:
    QCoreApplication.installTranslator(translator)
messages.install(lang)
paths = Paths.from_env().ensure()
db = paths.local_db_path("local")
init_demo(db, students=200, seed=4)
connector = LocalConnector(db)
rows = connector.list_rows()
out = {}


def measure(name, widget):
    widget.show()
    app.processEvents()
    room = widget.screen().availableGeometry()
    frame = widget.frameGeometry()
    minimum = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    buttons = [b for b in widget.findChildren(QPushButton) if b.isVisible()]
    inside = all(widget.rect().contains(b.geometry().translated(
        b.parentWidget().mapTo(widget, b.parentWidget().rect().topLeft()))) for b in buttons)
    out[name] = {"room": [room.x(), room.y(), room.width(), room.height()],
                 "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                 "min": [minimum.width(), minimum.height()], "buttons_inside": inside}
    if shots:
        widget.grab().save(str(Path(shots) / f"ui-{name}-{lang}.png"))


# 管理配置 with a half-typed profile, then its question on closing
dialog = ProfileDialog(ConfigStore(paths), CredentialStore(MemoryKeyring()), paths)
dialog.new_profile()
dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("kintone"))
QTest.keyClicks(dialog.editor.name_edit, "kintone-school")
measure("profiles", dialog)
boxes = []
dialog.closeConfirmRequested.connect(boxes.append)
dialog.reject()
app.processEvents()
measure("profiles-close", boxes[0])
boxes[0].done(0)
app.processEvents()

# the import: a file with missing columns, then one with changes (preview)
bad = tmp / f"bad-{lang}.csv"
bad.write_text("编号,名字,备注\n1,甲,在读\n", "utf-8")
imp = ImportDialog(connector)
imp._on_table(read_table(bad))
measure("import-missing", imp)
good = tmp / f"good-{lang}.csv"
lines = ["学号,姓名,学院,班级,学籍状态"]
for r in rows[:40]:
    s = r.student
    lines.append(f"{s.student_no},{s.name},{s.college},新班级,{s.status.value}")
lines += [f"20990{i:05d},新生{i},理学院,数学9901,在读" for i in range(60)]
good.write_text("\n".join(lines) + "\n", "utf-8")
table = read_table(good)
imp2 = ImportDialog(connector)
imp2._on_table(table)
result = map_rows(table, guess_mapping(table.headers))
imp2._show_preview(compare(result.students, [r.student for r in rows]))
imp2.preview_tabs.setCurrentIndex(1)
measure("import-preview", imp2)

# 注销 over every row, the list unfolded
plan = plan_action(Action.CANCEL, rows)
by_no = {r.student_no: r for r in rows}
confirm = ConfirmDialog(plan, target=("local", "local", "local.sqlite3"), guard=10,
                        balance=plan_balance(plan, by_no.get),
                        stale="显示的是 14:05 的数据" if lang == "zh_CN" else "Data of 14:05")
measure("confirm", confirm)
confirm.list_button.setChecked(True)
measure("confirm-list", confirm)
connector.close()
print(json.dumps(out))
"""


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_dialogs_fit_1280x720(tmp_path, lang):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "s", "x": 0, "y": 0, "width": 1280, "height": 720,
         "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}), "utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               PYTHONPATH=str(ROOT), CAMPUSCARD_CONFIG_DIR=str(tmp_path / "config"),
               CAMPUSCARD_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-c", _PROBE, lang, str(ROOT / "tests"),
                           str(tmp_path)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(probe) == {"profiles", "profiles-close", "import-missing", "import-preview",
                          "confirm", "confirm-list"}
    for name, p in probe.items():
        rx, ry, rw, rh = p["room"]
        fx, fy, fw, fh = p["frame"]
        assert fw <= rw and fh <= rh, (name, p)
        assert p["min"][0] <= rw - 40 and p["min"][1] <= rh - 60, (name, p)
        assert p["buttons_inside"], (name, p)
