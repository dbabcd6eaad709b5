"""``campuscard-gui``: builds the QApplication and the main window.

    campuscard-gui [--lang zh_CN|en] [--profile NAME]

Logs go to a rotating file in the platform log dir; Qt's own messages are routed into Python
logging. Expected errors at start-up (CampusCardError) are shown in a message box. The local
profile is opened here to report such errors early; a remote profile (which needs the keyring
and the network) is opened by the window, off the GUI thread.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from .config.credentials import CredentialStore
from .config.paths import Paths
from .config.settings import ConfigStore, Profile
from .connectors.base import Connector
from .core.errors import CampusCardError

log = logging.getLogger(__name__)

LOG_FILE = "campuscard-gui.log"
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
    return parser.parse_args(list(argv) if argv is not None else None)


def setup_logging(paths: Paths) -> logging.Handler:
    """Log to a rotating file in ``paths.log_dir``; route Qt's messages into logging."""
    handler = logging.handlers.RotatingFileHandler(
        paths.log_dir / LOG_FILE, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
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
    from .i18n import install_translators

    install_translators(app, lang)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    paths = Paths.from_env().ensure()
    setup_logging(paths)
    sys.excepthook = _log_uncaught
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("campuscard-gui")
    app.setOrganizationName("campuscard-gui")

    config = ConfigStore(paths)
    try:
        settings = config.load_settings()
    except CampusCardError as exc:
        _install_translators(app, args.lang)
        _startup_error(exc)
        return 1
    _install_translators(app, args.lang or settings.language or None)

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
        _startup_error(exc)
        return 1

    def factory(p: Profile) -> Connector:
        return open_connector(p, paths, credentials=credentials)

    window = MainWindow(config, paths, factory, journal, profile=profile.name,
                        connector=connector, credentials=credentials)
    window.show()
    log.info("started (profile %s)", profile.name)
    try:
        return int(app.exec())
    finally:
        journal.close()
        log.info("stopped")


def _startup_error(exc: CampusCardError) -> None:
    log.error("start-up failed: %s", exc.message)
    box = QMessageBox(QMessageBox.Icon.Critical,
                      QApplication.translate("App", "Campus Card Batch Manager"),
                      exc.message)
    box.setObjectName("startupErrorBox")
    box.exec()


def _log_uncaught(kind: type[BaseException], value: BaseException,
                  tb: TracebackType | None) -> None:
    log.critical("uncaught exception", exc_info=(kind, value, tb))
    sys.__excepthook__(kind, value, tb)


if __name__ == "__main__":
    sys.exit(main())
