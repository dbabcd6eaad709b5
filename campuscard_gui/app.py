"""``campuscard-gui``: builds the QApplication and the main window.

    campuscard-gui [--lang zh_CN|en] [--profile NAME]
    campuscard-gui --version | --smoke-test | --install-desktop-entry

Logs go to a rotating file in the platform log dir; Qt's own messages are routed into Python
logging. Expected errors at start-up (CampusCardError) are shown in a message box. The local
profile is opened here to report such errors early; a remote profile (which needs the keyring
and the network) is opened by the window, off the GUI thread.

Start-up never ends in a traceback because of a folder: files are created private (0600 in
0700 folders, POSIX); a log folder that cannot be written (read-only, a file in its place) is
said in a box that does not block, and the log goes to stderr; a settings or data folder that
cannot be used is said in a box, and the program ends (exit 1) before any job — except a data
folder that cannot be written but holds a journal, which opens read-only (the journal's notice
says so) so that the history can still be looked at.
"""

from __future__ import annotations

import argparse
import errno
import logging
import logging.handlers
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from . import __version__
from .config.credentials import CredentialStore
from .config.paths import LOG_FILE, DirError, Paths, private_files
from .config.settings import ConfigStore, Profile
from .connectors.base import Connector
from .core.errors import CampusCardError
from .ui.heap import limit_malloc_arenas

log = logging.getLogger(__name__)

__all__ = ["LOG_FILE", "main", "parse_args", "setup_logging"]

LOG_BYTES = 2_000_000
LOG_BACKUPS = 5
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="campuscard-gui",
        description="校园一卡通批量管理 — open, freeze, unfreeze and cancel campus cards in bulk.",
    )
    parser.add_argument("--lang", choices=("zh_CN", "en"),
                        help="interface language (default: the setting, else the system locale)")
    parser.add_argument("--profile", metavar="NAME",
                        help="the profile to open (default: the last one used)")
    parser.add_argument("--version", action="version", version=f"campuscard-gui {__version__}")
    parser.add_argument("--smoke-test", action="store_true",
                        help="start, show the window, and quit with exit 0 after its first paint "
                             "(checks an installation or a bundle)")
    parser.add_argument("--install-desktop-entry", action="store_true",
                        help="add the program and its icon to this user's desktop menu "
                             "(Linux: ~/.local/share/applications) and quit")
    return parser.parse_args(list(argv) if argv is not None else None)


def setup_logging(paths: Paths | None) -> logging.Handler:
    """Log to a rotating file in ``paths.log_dir`` (None: to stderr); route Qt's messages
    into logging. OSError if the log file cannot be opened."""
    handler: logging.Handler
    if paths is None:
        handler = logging.StreamHandler() if sys.stderr is not None else logging.NullHandler()
    else:
        handler = logging.handlers.RotatingFileHandler(
            paths.log_path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    qt_log = logging.getLogger("campuscard_gui.qt")

    def qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        where = f" ({context.category})" if context.category not in (None, "", "default") else ""
        qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)

    qInstallMessageHandler(qt_message)
    return handler


def _install_translators(app: QApplication, lang: str | None) -> None:
    """Qt's catalogues and the one below the GUI (messages.py), in the same language."""
    from . import messages
    from .i18n import install_translators

    messages.install(install_translators(app, lang))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.install_desktop_entry:
        from .ui.app_icon import install_desktop_entry

        for path in install_desktop_entry():
            print(path)
        return 0
    root = logging.getLogger()
    handlers, level, excepthook = list(root.handlers), root.level, sys.excepthook
    thread_hook = threading.excepthook
    qt_handler = qInstallMessageHandler(None)  # read the one in place (pytest-qt's in tests)
    qInstallMessageHandler(qt_handler)
    try:
        with private_files():  # POSIX: every file this run makes is the operator's only
            return _run(args)
    finally:  # leave the process as it was found (an in-process caller: the tests)
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)
        sys.excepthook = excepthook
        threading.excepthook = thread_hook
        qInstallMessageHandler(qt_handler)


def _run(args: argparse.Namespace) -> int:
    limit_malloc_arenas()  # before the first worker thread (ui/heap.py)
    paths = Paths.from_env()
    log_problem = _start_logging(paths)
    sys.excepthook = _log_uncaught
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("campuscard-gui")
    app.setOrganizationName("campuscard-gui")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("campuscard-gui")  # Wayland/X11: the .desktop entry's icon and name
    from .ui.app_icon import app_icon

    app.setWindowIcon(app_icon())

    try:
        paths.ensure_dir("config")
    except DirError as exc:
        _install_translators(app, args.lang)
        _startup_error(exc.message, _dir_message(exc))
        return 1
    config = ConfigStore(paths)
    try:
        settings = config.load_settings()
    except CampusCardError as exc:
        _install_translators(app, args.lang)
        _startup_error(exc.message)
        return 1
    _install_translators(app, args.lang or settings.language or None)
    try:
        _ensure_data_dir(paths)
    except DirError as exc:
        _startup_error(exc.message, _dir_message(exc))
        return 1

    from .backends.factory import open_connector
    from .batch import Journal
    from .ui.window.main_window import MainWindow

    credentials = CredentialStore()
    journal = None
    connector = None
    try:
        profile = config.get_profile(args.profile)
        journal = Journal(paths.journal_path)
        if profile.kind == "local":
            connector = open_connector(profile, paths)
    except CampusCardError as exc:
        if journal is not None:
            journal.close()
        _startup_error(exc.message)
        return 1

    def factory(p: Profile) -> Connector:
        return open_connector(p, paths, credentials=credentials)

    window = MainWindow(config, paths, factory, journal, profile=profile.name,
                        connector=connector, credentials=credentials)
    from .ui.crash import CrashReporter

    crash = CrashReporter(None if log_problem is not None else paths.log_path, window.close,
                          window)
    crash.install()  # from here on a bug is said in a dialog; the window keeps working
    if args.smoke_test:
        _quit_after_first_paint(app, window)
    window.show()
    if journal.notice:  # a broken journal moved aside, or one that can only be read
        from .ui.jobs.notice import show_journal_notice

        show_journal_notice(window, journal.notice)
    if log_problem is not None:
        show_log_notice(window, log_problem)
    log.info("started (profile %s)", profile.name)
    try:
        return int(app.exec())
    finally:
        crash.uninstall()
        journal.close()
        log.info("stopped")


class _FirstPaint(QObject):
    """--smoke-test: quits the event loop (exit 0) once the window has painted."""

    def __init__(self, app: QApplication, parent: QObject) -> None:
        super().__init__(parent)
        self._app = app

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            log.info("smoke test: first paint, quitting")
            QTimer.singleShot(0, self._app.quit)
        return False


def _quit_after_first_paint(app: QApplication, window: QWidget) -> None:
    window.installEventFilter(_FirstPaint(app, window))
    QTimer.singleShot(60_000, lambda: app.exit(1))  # never painted: a failed smoke test


def _start_logging(paths: Paths) -> DirError | None:
    """The log file in its folder; if that cannot be written, stderr (the problem returned,
    to be shown once the window is up: a bad log folder does not stop the work)."""
    try:
        paths.ensure_dir("log", writable=True)
        setup_logging(paths)
        return None
    except DirError as exc:
        problem = exc
    except OSError as exc:  # the log file itself (read-only, a folder in its place)
        problem = DirError("log", paths.log_dir, exc)
    setup_logging(None)
    log.warning("%s；日志只写到标准错误输出", problem.message)
    return problem


def _ensure_data_dir(paths: Paths) -> None:
    """The data folder exists and can be written. One that cannot be written but holds a
    journal is let through: the journal opens read-only and says so (history, no jobs)."""
    try:
        paths.ensure_dir("data", writable=True)
    except DirError as exc:
        if exc.os_error.errno in (errno.ENOTDIR, errno.EEXIST) or not _has_file(
                paths.journal_path):
            raise
        log.warning("%s；任务日志以只读方式打开", exc.message)


def _has_file(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False


def _reason(exc: OSError) -> str:
    """The OS's reason in the operator's language."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return QCoreApplication.translate("App", "no permission to write there")
    if exc.errno == errno.EROFS:
        return QCoreApplication.translate("App", "the file system is read-only")
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return QCoreApplication.translate(
            "App", "a file is in the way where the folder should be")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return QCoreApplication.translate("App", "the disk is full")
    return exc.strerror or str(exc)


def _dir_message(exc: DirError) -> str:
    """What the box says about a folder, in the operator's language."""
    if exc.role == "data":
        text = QCoreApplication.translate(
            "App",
            "The data folder cannot be used:\n%1\n\nReason: %2.\n\nThe job journal and the "
            "local database are kept in this folder, so no job can run. Make the folder "
            "writable (or set CAMPUSCARD_DATA_DIR to another folder) and start the program "
            "again.")
    elif exc.role == "config":
        text = QCoreApplication.translate(
            "App",
            "The settings folder cannot be used:\n%1\n\nReason: %2.\n\nProfiles and "
            "settings are kept in this folder. Fix the folder (or set CAMPUSCARD_CONFIG_DIR "
            "to another folder) and start the program again.")
    else:
        text = QCoreApplication.translate(
            "App",
            "The log folder cannot be used:\n%1\n\nReason: %2.\n\nThe program works as "
            "usual, but its log goes to the standard error output instead of a file until "
            "the folder is fixed.")
    return text.replace("%1", str(exc.path)).replace("%2", _reason(exc.os_error))


def show_log_notice(parent: QWidget, problem: DirError) -> QMessageBox:
    """Say, without blocking the window, that the log goes to stderr and why."""
    box = QMessageBox(QMessageBox.Icon.Warning,
                      QCoreApplication.translate("App", "Log folder"),
                      _dir_message(problem), QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("logDirNoticeBox")
    box.setAccessibleName(QCoreApplication.translate("App", "Log folder notice"))
    box.open()
    return box


def _startup_error(logged: str, shown: str | None = None) -> None:
    """A start-up failure: logged (``logged``, Chinese like every log line) and shown in a
    modal box (``shown``, in the operator's language; default ``logged``)."""
    log.error("start-up failed: %s", logged)
    box = QMessageBox(QMessageBox.Icon.Critical,
                      QApplication.translate("App", "Campus Card Batch Manager"),
                      shown or logged)
    box.setObjectName("startupErrorBox")
    box.exec()


def _log_uncaught(kind: type[BaseException], value: BaseException,
                  tb: TracebackType | None) -> None:
    log.critical("uncaught exception", exc_info=(kind, value, tb))
    sys.__excepthook__(kind, value, tb)


if __name__ == "__main__":
    sys.exit(main())
