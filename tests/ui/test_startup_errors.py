"""campuscard-gui starting with folders it cannot use: no traceback, a message box in the
operator's language. A bad data or settings folder: a modal box, then exit 1 before any
window. A bad log folder: the window opens, a box that does not block says the log goes to
stderr, and it does. The real ``main()`` runs on the test's QApplication (offscreen); a
read-only folder needs a user the folder's mode applies to, so those cases run ``main()`` in a
child process (root without its override of folder modes when the tests run as root)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

import campuscard_gui
from campuscard_gui import app as gui_app
from campuscard_gui.backends.local.connector import init_demo
from campuscard_gui.batch import Journal
from campuscard_gui.config.paths import Paths
from campuscard_gui.ui.window.main_window import MainWindow
from campuscard_gui.ui.workers import wait_for_workers

ROOT = Path(campuscard_gui.__file__).resolve().parent.parent
FILE_IN_THE_WAY = "a file is in the way where the folder should be"


@pytest.fixture
def run_main(qapp: QApplication) -> Iterator[Callable[..., tuple[int, list[QMessageBox]]]]:
    """``run_main(*argv, on_box=…)``: main() on this QApplication; each message box that
    opens (modal or not) is handed to ``on_box(box)``, which must close it (and may close the
    window). Returns main's exit code and the boxes seen. The translators main installed are
    removed afterwards, so the next test is in English again."""
    before = set(qapp.findChildren(QTranslator))
    umask = os.umask(0o022)
    os.umask(umask)

    def run(*argv: str, on_box: Callable[[QMessageBox], None]
            ) -> tuple[int, list[QMessageBox]]:
        seen: list[QMessageBox] = []
        alive = [True]

        def look() -> None:
            if not alive[0]:
                return
            for w in QApplication.topLevelWidgets() + [QApplication.activeModalWidget()]:
                boxes = [w] if isinstance(w, QMessageBox) else (
                    w.findChildren(QMessageBox) if w is not None else [])
                for box in boxes:
                    if box.isVisible() and box not in seen:
                        seen.append(box)
                        on_box(box)
            QTimer.singleShot(20, look)

        QTimer.singleShot(0, look)
        try:
            code = gui_app.main(list(argv))
        finally:
            alive[0] = False
        return code, seen

    widgets = set(QApplication.topLevelWidgets())
    yield run
    wait_for_workers()
    for widget in set(QApplication.topLevelWidgets()) - widgets:  # the window, the boxes
        widget.close()
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    for translator in set(qapp.findChildren(QTranslator)) - before:
        QApplication.removeTranslator(translator)
        translator.deleteLater()
    assert os.umask(umask) == umask  # main gave the umask back


def answer(box: QMessageBox) -> None:
    box.button(QMessageBox.StandardButton.Ok).click()


def close_all(box: QMessageBox) -> None:
    """The log notice: read, closed, then the window closed (which ends main)."""
    window = box.parentWidget()
    box.button(QMessageBox.StandardButton.Ok).click()
    if window is not None:
        window.close()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_file_where_the_data_folder_should_be(run_main, paths: Paths, lang: str,
                                                capfd: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(paths.data_dir)
    paths.data_dir.write_text("not a folder")

    code, boxes = run_main("--lang", lang, on_box=answer)

    assert code == 1
    (box,) = boxes
    assert box.objectName() == "startupErrorBox"
    assert box.icon() is QMessageBox.Icon.Critical
    text = box.text()
    assert str(paths.data_dir) in text
    if lang == "en":
        assert "The data folder cannot be used" in text and FILE_IN_THE_WAY in text
    else:
        assert "数据文件夹无法使用" in text and "该位置是一个文件" in text
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets())  # no window
    assert not paths.journal_path.exists()
    assert "Traceback" not in capfd.readouterr().err


def test_a_file_where_the_settings_folder_should_be(run_main, paths: Paths) -> None:
    shutil.rmtree(paths.config_dir)
    paths.config_dir.write_text("not a folder")
    code, boxes = run_main("--lang", "en", on_box=answer)
    assert code == 1
    (box,) = boxes
    assert box.objectName() == "startupErrorBox"
    assert "The settings folder cannot be used" in box.text()
    assert str(paths.config_dir) in box.text() and FILE_IN_THE_WAY in box.text()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_bad_log_folder_does_not_stop_the_work(run_main, paths: Paths, lang: str,
                                                 capfd: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(paths.log_dir, ignore_errors=True)
    paths.log_dir.write_text("not a folder")

    code, boxes = run_main("--lang", lang, on_box=close_all)

    assert code == 0
    (box,) = boxes
    assert box.objectName() == "logDirNoticeBox"
    assert box.icon() is QMessageBox.Icon.Warning
    assert isinstance(box.parentWidget(), MainWindow)  # over the window, which came up
    assert str(paths.log_dir) in box.text()
    if lang == "en":
        assert "The log folder cannot be used" in box.text()
        assert "standard error output" in box.text()
    else:
        assert "日志文件夹无法使用" in box.text() and "标准错误输出" in box.text()
    assert paths.journal_path.is_file()  # the window ran: the journal was opened
    err = capfd.readouterr().err
    assert "日志只写到标准错误输出" in err and "started (profile local)" in err
    assert "Traceback" not in err


# -- read-only folders: a child process whose user the folder's mode applies to ---------------

CHILD = textwrap.dedent('''
    import json, sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from campuscard_gui.app import main
    app = QApplication(sys.argv[:1])
    boxes = []

    def look():
        widgets = QApplication.topLevelWidgets()
        for w in widgets:
            for box in [w] if isinstance(w, QMessageBox) else w.findChildren(QMessageBox):
                if box.isVisible() and box.objectName() not in [b[0] for b in boxes]:
                    boxes.append((box.objectName(), box.text()))
                    parent = box.parentWidget()
                    box.done(0)
                    if parent is not None:  # a notice over the window: close it, main ends
                        QTimer.singleShot(200, parent.close)
        QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    QTimer.singleShot(60_000, lambda: app.exit(9))
    code = main(sys.argv[1:])
    print("RESULT " + json.dumps({"code": code, "boxes": boxes}, ensure_ascii=False), flush=True)
''')

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def as_an_ordinary_user() -> None:
    """In the child before exec: root without the capabilities that let it write anywhere
    (a read-only folder then stops it as it stops any user). Nothing to do for a user."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def run_child(base: Path, *argv: str) -> dict[str, object]:
    """main() in a child process whose permission checks are an ordinary user's."""
    script = base / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CAMPUSCARD_", "XDG_"))}
    env.update(CAMPUSCARD_CONFIG_DIR=str(base / "config"), CAMPUSCARD_DATA_DIR=str(base / "data"),
               QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, str(script), *argv], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=as_an_ordinary_user, check=False)
    lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    assert lines, done.stdout + done.stderr
    result: dict[str, object] = json.loads(lines[-1].removeprefix("RESULT "))
    assert "Traceback" not in done.stderr, done.stderr
    result["stderr"] = done.stderr
    return result


def read_only(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)  # owned by the test's user; the child (nobody or us) cannot write


needs_posix = pytest.mark.skipif(os.name != "posix", reason="folder modes are POSIX")


@needs_posix
def test_a_read_only_data_folder_stops_before_any_window(tmp_path: Path) -> None:
    read_only(tmp_path / "data")
    result = run_child(tmp_path, "--lang", "zh_CN")
    assert result["code"] == 1
    ((name, text),) = result["boxes"]  # type: ignore[misc]
    assert name == "startupErrorBox"
    assert "数据文件夹无法使用" in text and str(tmp_path / "data") in text
    assert "没有写入权限" in text or "只读" in text


@needs_posix
def test_a_read_only_data_folder_with_a_journal_opens_it_read_only(tmp_path: Path) -> None:
    """The history can still be looked at: the journal's own notice says no job can run."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    with Journal(data / "journal.sqlite3"):
        pass
    init_demo(data / "local.sqlite3", students=30, seed=1)
    (data / "journal.sqlite3").chmod(0o644)
    (data / "logs").mkdir(exist_ok=True)
    data.chmod(0o555)
    result = run_child(tmp_path, "--lang", "en")
    names = [b[0] for b in result["boxes"]]  # type: ignore[attr-defined]
    assert result["code"] == 0 and names == ["journalNoticeBox"], result


@needs_posix
def test_a_read_only_log_folder_logs_to_stderr(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    read_only(data / "logs")
    result = run_child(tmp_path, "--lang", "en")
    assert result["code"] == 0, result
    ((name, text),) = result["boxes"]  # type: ignore[misc]
    assert name == "logDirNoticeBox" and "The log folder cannot be used" in text
    assert "no permission to write there" in text or "read-only" in text
    assert "日志只写到标准错误输出" in str(result["stderr"])
    assert (data / "journal.sqlite3").is_file()
