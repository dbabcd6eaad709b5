"""Private by default (POSIX): every file a real CLI job and a real window session leave
behind — journal and its -wal/-shm, job locks, local store, backups, log, settings, exports —
is the operator's only (0600 in 0700 folders), whatever umask the program was started with;
and what an older version left readable by others is tightened when the program starts,
without touching a folder the operator chose or files that are not the program's."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import campuscard_gui
from campuscard_gui.batch import Journal
from campuscard_gui.config.paths import APP_NAME, Paths, private_files

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX (Windows: ACLs)")

ROOT = Path(campuscard_gui.__file__).resolve().parent.parent
TIMEOUT = 120


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def modes_under(*roots: Path) -> dict[str, int]:
    """Every file and folder under ``roots`` (the roots included) -> its permission bits."""
    found: dict[str, int] = {}
    for root in roots:
        if not root.exists():
            continue
        found[str(root)] = mode(root)
        for path in root.rglob("*"):
            found[str(path)] = mode(path)
    return found


def open_ones(found: dict[str, int]) -> dict[str, str]:
    """Those that group or others may read, write or enter."""
    return {p: oct(m) for p, m in found.items() if m & 0o077}


def env_for(config: Path, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSCARD_")}
    env.update(CAMPUSCARD_CONFIG_DIR=str(config), CAMPUSCARD_DATA_DIR=str(data),
               QT_QPA_PLATFORM="offscreen", PYTHONWARNINGS="error::ResourceWarning")
    return env


def loose_umask() -> None:  # the child starts as a careless shell would start it
    os.umask(0o022)


def cli(env: dict[str, str], *argv: str, stdin: str | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "campuscard_gui.cli", *argv], env=env,
                          cwd=ROOT, input=stdin, capture_output=True, text=True,
                          timeout=TIMEOUT, preexec_fn=loose_umask, check=False)


# -- Paths --------------------------------------------------------------------------------------

def test_ensure_makes_private_folders_even_under_a_loose_umask(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "d" / "logs")
    previous = os.umask(0o022)
    try:
        paths.ensure()
    finally:
        os.umask(previous)
    assert {p: mode(p) for p in (paths.config_dir, paths.data_dir, paths.log_dir)} == {
        paths.config_dir: 0o700, paths.data_dir: 0o700, paths.log_dir: 0o700}


def test_private_files_sets_and_gives_back_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        with private_files():
            (tmp_path / "made").write_text("x")
            (tmp_path / "folder").mkdir()
        assert os.umask(0o022) == 0o022  # given back
    finally:
        os.umask(previous)
    assert (mode(tmp_path / "made"), mode(tmp_path / "folder")) == (0o600, 0o700)


def older_version_files(paths: Paths) -> dict[Path, int]:
    """What main at f5161ca left: folders 0755, journal/store/log/settings 0644."""
    previous = os.umask(0o022)
    try:
        for folder in (paths.config_dir, paths.data_dir, paths.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
            folder.chmod(0o755)
        with Journal(paths.journal_path):
            pass
        (paths.data_dir / "local.sqlite3").write_bytes(b"")
        (paths.data_dir / "journal.sqlite3.v1.bak").write_bytes(b"")
        paths.log_path.write_text("2025 INFO started\n")
        (paths.log_dir / "campuscard-gui.log.1").write_text("old\n")
        paths.profiles_path.write_text("{}")
        paths.settings_path.write_text("{}")
    finally:
        os.umask(previous)
    files = [paths.journal_path, paths.data_dir / "local.sqlite3",
             paths.data_dir / "journal.sqlite3.v1.bak", paths.log_path,
             paths.log_dir / "campuscard-gui.log.1", paths.profiles_path, paths.settings_path]
    for f in files:
        f.chmod(0o644)
    return {f: 0o644 for f in files}


def test_the_programs_own_folders_and_files_are_tightened(tmp_path: Path) -> None:
    """Platform default folders (no override) are the program's: 0700. Its files: 0600."""
    xdg = {"XDG_CONFIG_HOME": str(tmp_path / "xc"), "XDG_DATA_HOME": str(tmp_path / "xd"),
           "XDG_STATE_HOME": str(tmp_path / "xs")}
    saved = {k: os.environ.get(k) for k in xdg}
    os.environ.update(xdg)
    try:
        paths = Paths.from_env({})
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert str(paths.data_dir).startswith(str(tmp_path))
    files = older_version_files(paths)
    if paths.log_dir.parent.name == APP_NAME:
        paths.log_dir.parent.chmod(0o755)

    paths.ensure()

    assert {f: mode(f) for f in files} == {f: 0o600 for f in files}
    for folder in (paths.config_dir, paths.data_dir, paths.log_dir):
        assert mode(folder) == 0o700, folder
    if paths.log_dir.parent.name == APP_NAME:  # ~/.local/state/campuscard-gui/log
        assert mode(paths.log_dir.parent) == 0o700


def test_a_folder_the_operator_chose_is_left_and_only_the_programs_files_change(
        tmp_path: Path) -> None:
    chosen = tmp_path / "Documents"
    chosen.mkdir()
    chosen.chmod(0o755)
    paths = Paths.from_env({"CAMPUSCARD_CONFIG_DIR": str(chosen / "cc"),
                            "CAMPUSCARD_DATA_DIR": str(chosen)})
    files = older_version_files(paths)
    chosen.chmod(0o755)  # the operator's own folder, as it was
    theirs = chosen / "notes.txt"
    theirs.write_text("mine")
    theirs.chmod(0o644)
    elsewhere = tmp_path / "elsewhere.sqlite3"
    elsewhere.write_bytes(b"")
    elsewhere.chmod(0o644)
    (chosen / "link.sqlite3").symlink_to(elsewhere)  # never followed

    paths.ensure()

    assert mode(chosen) == 0o755  # not ours to change
    assert mode(theirs) == 0o644 and mode(elsewhere) == 0o644
    assert {f: mode(f) for f in files} == {f: 0o600 for f in files}
    assert mode(paths.log_dir) == 0o700  # data/logs is the program's own


def test_tighten_never_raises_on_a_missing_or_broken_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    paths = Paths(tmp_path / "missing", tmp_path / "file", tmp_path / "file" / "logs",
                  owned=(tmp_path / "missing", tmp_path / "file" / "logs"))
    paths.tighten()  # nothing there to change, nothing raised
    assert mode(tmp_path / "file") & 0o600 == 0o600


# -- a real CLI job -----------------------------------------------------------------------------

def test_a_cli_job_leaves_only_private_files(tmp_path: Path) -> None:
    config, data = tmp_path / "config", tmp_path / "data"
    env = env_for(config, data)
    init = cli(env, "local", "init", "--students", "300")
    assert init.returncode == 0, init.stderr
    listed = cli(env, "students", "--card", "正常", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    ids = "\n".join(s["student_no"] for s in json.loads(listed.stdout)) + "\n"
    job = cli(env, "freeze", "--ids", "-", "--yes", "--format", "json", stdin=ids)
    assert job.returncode == 0, job.stderr
    assert json.loads(job.stdout)["state"] == "done"

    found = modes_under(config, data)
    names = {Path(p).name for p in found}
    assert {"journal.sqlite3", "local.sqlite3"} <= names, names
    assert open_ones(found) == {}
    assert all(m in (0o600, 0o700) for m in found.values()), found


def test_the_cli_tightens_what_an_older_version_left_open(tmp_path: Path) -> None:
    config, data = tmp_path / "config", tmp_path / "data"
    paths = Paths.from_env({"CAMPUSCARD_CONFIG_DIR": str(config),
                            "CAMPUSCARD_DATA_DIR": str(data)})
    files = older_version_files(paths)
    listed = cli(env_for(config, data), "jobs", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert {f: mode(f) for f in files} == {f: 0o600 for f in files}
    assert mode(paths.log_dir) == 0o700


# -- a real window session ------------------------------------------------------------------------

DRIVER = textwrap.dedent('''
    """Runs campuscard-gui's main(): waits for the students, freezes the 正常 ones through the
    confirmation dialog, exports the results (CSV and XLSX), and prints the modes of every
    file the session made while it is still open (the -wal and -shm exist only then)."""
    import json, os, stat, sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QApplication
    from campuscard_gui.app import main
    from campuscard_gui.core.model import Action
    from campuscard_gui.ui.window.main_actions import ACTION_NAMES
    from campuscard_gui.ui.window.main_window import MainWindow

    roots = [Path(p) for p in sys.argv[1:3]]
    out = Path(sys.argv[3])
    exports = [out / "results.csv", out / "results.xlsx"]
    app = QApplication(sys.argv[:1])
    state = {}

    def modes():
        found = {}
        for root in roots + [out]:
            for p in [root, *root.rglob("*")]:
                found[str(p)] = stat.S_IMODE(p.lstat().st_mode)
        return found

    def window():
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                return w
        return None

    def wait_for_rows():
        w = window()
        if w is None or w.model.total_count == 0 or w.loader.is_busy():
            QTimer.singleShot(50, wait_for_rows)
            return
        state["w"] = w
        w.flow.confirmRequested.connect(lambda dialog: dialog.confirm_button.click())
        w.flow.controller.finished.connect(lambda info: QTimer.singleShot(0, export))
        w.filter_bar.apply_preset("to_freeze")
        w.select_all_filtered()
        w.findChild(QAction, ACTION_NAMES[Action.FREEZE]).trigger()

    def export():
        w = state["w"]
        if w.flow.is_busy():
            QTimer.singleShot(50, export)
            return
        w.results.exported.connect(lambda path: QTimer.singleShot(0, next_export))
        next_export()

    def next_export():
        if exports:
            state["w"].results.export_to(exports.pop(0))
            return
        print("MODES " + json.dumps(modes()), flush=True)
        state["w"].close()

    def give_up():
        print("TIMEOUT", flush=True)
        app.exit(3)

    def guarded(step):  # a driver bug ends the run at once instead of waiting for the timeout
        def run(*args):
            try:
                step(*args)
            except BaseException as exc:
                print(f"DRIVER FAILED: {exc!r}", flush=True)
                app.exit(4)
        return run

    wait_for_rows, export, next_export = map(guarded, (wait_for_rows, export, next_export))

    QTimer.singleShot(0, wait_for_rows)
    QTimer.singleShot(90_000, give_up)
    sys.exit(main(["--lang", "en"]))
''')


def test_a_window_session_leaves_only_private_files(tmp_path: Path) -> None:
    config, data, out = tmp_path / "config", tmp_path / "data", tmp_path / "exports"
    out.mkdir(mode=0o700)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    env = env_for(config, data)
    env.pop("PYTHONWARNINGS")
    done = subprocess.run([sys.executable, str(driver), str(config), str(data), str(out)],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT,
                          preexec_fn=loose_umask, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("MODES ")]
    while_open: dict[str, int] = json.loads(line.removeprefix("MODES "))
    names = {Path(p).name for p in while_open}
    assert {"journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm", "local.sqlite3",
            "campuscard-gui.log", "results.csv", "results.xlsx"} <= names, names
    assert open_ones(while_open) == {}
    after = modes_under(config, data, out)
    assert open_ones(after) == {}
    assert all(m in (0o600, 0o700) for m in {**while_open, **after}.values())
