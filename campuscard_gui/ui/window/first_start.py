"""The first start and the demo school: a hint on how to begin, shown on the first start only,
and 重置演示学校… (the built-in local profile only, confirmed), which builds the demo school
again as on the first start (off the GUI thread).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from ...config.paths import Paths
from ...config.settings import ConfigStore
from ...core.errors import CampusCardError
from ..workers import error_message, run_in_thread

# what LocalConnector builds when the built-in file is missing (backends/local/connector.py)
DEMO_STUDENTS, DEMO_SEED = 2000, 1


class FirstStartBanner(QWidget):
    """"First start: …" with a 知道了 button that hides it (keyboard-reachable)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstStartBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel(self.tr(
            "Welcome. This is a demo school (generated students, marked “Demo data”): try "
            "any action on it. To work on your own students, import them (File ▸ Import "
            "students…, Ctrl+I) or add a profile for your backend (File ▸ Manage profiles…, "
            "Ctrl+Shift+P). F1 shows how to begin."), self)
        self.label.setObjectName("firstStartText")
        self.label.setWordWrap(True)
        self.setAccessibleName(self.label.text())
        self.dismiss_button = QPushButton(self.tr("Got it"), self)
        self.dismiss_button.setObjectName("firstStartDismiss")
        self.dismiss_button.setAccessibleName(self.tr("Hide the first-start hint"))
        self.dismiss_button.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#firstStartBanner { background: #e8f1fb; border: 1px solid #90b8e0;"
                           " border-radius: 3px; } QLabel { color: #0b2e4f; }")


def built_in_database(store: ConfigStore, paths: Paths, name: str) -> Path | None:
    """The database file of the profile ``name`` when it is a local profile on its built-in
    file (the demo school's); None for a remote profile or a local one on a chosen (shared)
    file, which is never rebuilt from the window. Reads the profiles file."""
    from ...backends.factory import local_database_path

    try:
        profile = store.load_profiles().get(name)
        if profile is None or profile.kind != "local":
            return None
        path = local_database_path(profile, paths)
    except CampusCardError:
        return None
    return path if path == paths.local_db_path(name) else None


def ask_and_reset(parent: QWidget, db_path: Path, *, before: Callable[[], None],
                  done: Callable[[], None], failed: Callable[[str], None]) -> QMessageBox:
    """Ask (window-modal, 取消 the default); on yes call ``before()`` (close every connection
    on the file), rebuild the demo school off the GUI thread, then ``done()`` or
    ``failed(message)``. Returns the question box."""
    box = QMessageBox(QMessageBox.Icon.Warning, parent.windowTitle(), QCoreApplication.translate(
        "DemoReset",
        "Reset the demo school? Every student and card in %1 is replaced by the generated "
        "demo school as on the first start, students you imported too. The job history is "
        "kept. This cannot be undone.").replace("%1", db_path.name),
        QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("resetDemoBox")
    yes = box.addButton(QCoreApplication.translate("DemoReset", "Reset demo school"),
                        QMessageBox.ButtonRole.DestructiveRole)
    yes.setObjectName("resetDemoConfirm")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setObjectName("resetDemoCancel")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered(_result: int) -> None:
        if box.clickedButton() is not yes:
            return
        before()

        def work() -> None:
            from ...backends.local.connector import init_demo

            init_demo(db_path, DEMO_STUDENTS, DEMO_SEED, force=True)

        run_in_thread(work, lambda _r: done(), lambda exc: failed(error_message(exc)),
                      parent=parent)

    box.finished.connect(answered)
    box.open()
    return box
