"""What the operator sees when the program meets a bug: a dialog, not a vanished window.

An exception nobody handled — in a slot or an event handler on the GUI thread
(``sys.excepthook``, which PySide6 calls for them), on any other thread
(``threading.excepthook``), or in a background task that has no error callback
(``ui/workers.py``) — is logged with its traceback and said in a dialog in the operator's
language: the work is safe in the job journal (what was sent is read back before anything is
resent), where the log is, and a button that copies the details (version, platform, thread,
traceback; anything that looks like a secret masked). The program then keeps running: a
failed slot leaves the window usable, and a job is resumable from the journal. 退出 closes the
window the usual way (a running job is asked about first).

Several errors in a row show one dialog that counts them, not a stack of boxes.
"""

from __future__ import annotations

import logging
import platform
import re
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, Signal, Slot, qVersion
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from .. import __version__

log = logging.getLogger(__name__)

__all__ = ["CrashReporter", "masked"]

# key=value, key: value, "key": "value" and Authorization headers whose key names a secret
_SECRET = re.compile(
    r"""(?ix)
    (?P<key>["']?[\w-]*(?:secret|token|password|passwd|api[_-]?key|apikey|access[_-]?key|
        signature|authorization|credential|sk)["']?\s*[:=]\s*)
    (?P<value>"[^"]*"|'[^']*'|(?:Bearer\s+)?[^\s,;)}\]]+)
    """)


def masked(text: str) -> str:
    """``text`` with the value of anything named like a secret replaced by ***."""
    return _SECRET.sub(lambda m: m.group("key") + "***", text)


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class CrashReporter(QObject):
    """Installs the hooks and shows the dialog. Made on the GUI thread; ``report`` may be
    called from any thread."""

    _arrived = Signal(str, str)  # (summary, details): queued to the GUI thread
    shown = Signal(QDialog)  # the dialog, once it is on screen (tests, screen readers)

    def __init__(self, log_path: Path | None, quit_window: Callable[[], object] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashReporter")
        self._log_path = log_path
        self._quit_window = quit_window
        self._box: CrashDialog | None = None
        self._count = 0
        self._details: list[str] = []
        self._previous: tuple[object, object] | None = None
        self._arrived.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # -- hooks ------------------------------------------------------------------------------

    def install(self) -> None:
        """Take over ``sys.excepthook`` and ``threading.excepthook`` (``uninstall`` gives
        them back)."""
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def _sys_hook(self, kind: type[BaseException], value: BaseException,
                  tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        self.report((kind, value, tb), threading.current_thread().name)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "?"
        self.report((args.exc_type, args.exc_value, args.exc_traceback), name)

    # -- reporting --------------------------------------------------------------------------

    def report(self, exc_info: ExcInfo, thread: str) -> None:
        """Log the traceback and show (or update) the dialog, from any thread."""
        kind, value, tb = exc_info
        log.critical("unhandled exception on thread %s", thread, exc_info=exc_info)
        trace = "".join(traceback.format_exception(kind, value, tb))
        details = masked(
            f"campuscard-gui {__version__}\n"
            f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}\n"
            f"{platform.platform()}\n"
            f"thread: {thread}\n\n{trace}")
        summary = masked(f"{kind.__name__}: {value}")[:300]
        self._arrived.emit(summary, details)

    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        self._count += 1
        self._details.append(details)
        if self._box is not None:  # one dialog, counting
            self._box.set_text(self._text(), self.details())
            return
        parent = QApplication.activeWindow()
        box = CrashDialog(self._text(), summary, self.details(),
                          parent if isinstance(parent, QWidget) else None)
        box.copy_button.clicked.connect(self.copy_details)
        box.finished.connect(lambda result: self._closed(result == CrashDialog.QUIT))
        self._box = box
        box.open()
        self.shown.emit(box)

    def _text(self) -> str:
        where = str(self._log_path) if self._log_path is not None else self.tr(
            "the standard error output")
        text = self.tr(
            "The program met an error it did not expect. Your work is safe: every job's "
            "progress is kept in the job journal, and anything sent is read back before it "
            "would be sent again, so an unfinished job can be continued later.\n\nThe details "
            "are in the log: %1").replace("%1", where)
        if self._count > 1:
            text += "\n\n" + self.tr("This happened %n times.", "", self._count)
        return text

    def details(self) -> str:
        """Everything reported since the dialog opened, masked."""
        return "\n\n".join(self._details)

    @Slot()
    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details())

    def _closed(self, quit_program: bool) -> None:
        self._box = None
        self._count = 0
        self._details = []
        if quit_program and self._quit_window is not None:
            self._quit_window()


class CrashDialog(QDialog):
    """The dialog itself: what happened, that the work is safe, where the log is; the details
    behind a button (shown whole, selectable), 复制详细信息 (keeps the dialog open), 继续工作
    (the default, also Escape) and 退出."""

    QUIT = 2

    def __init__(self, text: str, summary: str, details: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Unexpected error"))
        self.setAccessibleName(self.windowTitle())
        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text_label = QLabel(text, self)
        self.text_label.setObjectName("crashText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label = QLabel(summary, self)
        self.summary_label.setObjectName("crashSummary")
        self.summary_label.setWordWrap(True)
        self.details_edit = QPlainTextEdit(details, self)
        self.details_edit.setObjectName("crashDetails")
        self.details_edit.setAccessibleName(self.tr("Error details"))
        self.details_edit.setReadOnly(True)
        self.details_edit.setMinimumHeight(160)
        self.details_edit.hide()

        buttons = QDialogButtonBox(self)
        self.keep_button = QPushButton(self.tr("Keep working"), self)
        self.keep_button.setObjectName("crashKeepButton")
        self.details_button = QPushButton(self.tr("Show details"), self)
        self.details_button.setObjectName("crashDetailsButton")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.copy_button = QPushButton(self.tr("Copy details"), self)
        self.copy_button.setObjectName("crashCopyButton")
        self.quit_button = QPushButton(self.tr("Quit"), self)
        self.quit_button.setObjectName("crashQuitButton")
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.keep_button.clicked.connect(self.accept)
        self.quit_button.clicked.connect(lambda: self.done(self.QUIT))
        for button in (self.details_button, self.copy_button, self.quit_button):
            button.setAutoDefault(False)
        self.keep_button.setDefault(True)

        top = QHBoxLayout()
        top.addWidget(icon)
        words = QVBoxLayout()
        words.addWidget(self.text_label)
        words.addWidget(self.summary_label)
        top.addLayout(words, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_edit, 1)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def set_text(self, text: str, details: str) -> None:
        self.text_label.setText(text)
        self.details_edit.setPlainText(details)

    @Slot(bool)
    def _toggle_details(self, shown: bool) -> None:
        self.details_edit.setVisible(shown)
        self.details_button.setText(self.tr("Hide details") if shown else self.tr("Show details"))
        self.adjustSize()
