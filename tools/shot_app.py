"""What the screenshot tools share: a translated QApplication over a throwaway config and data
dir (never the user's), and waiting for a signal without blocking the event loop."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def start(lang: str) -> tuple[QApplication, Any]:
    """The application in ``lang`` and the (ensured) Paths of a fresh temp dir."""
    tmp = Path(tempfile.mkdtemp(prefix="campuscard-shot-"))
    os.environ["CAMPUSCARD_CONFIG_DIR"] = str(tmp / "config")
    os.environ["CAMPUSCARD_DATA_DIR"] = str(tmp / "data")

    from campuscard_gui import messages
    from campuscard_gui.config import Paths
    from campuscard_gui.i18n import install_translators

    app = QApplication(sys.argv[:1])
    # both catalogues, as the app does: the dialog's option rows say the backends' own labels
    messages.install(install_translators(app, lang))
    return app, Paths.from_env().ensure()


def wait(signal: Any, ms: int = 30_000) -> None:
    """Run the event loop until ``signal`` is emitted (or ``ms`` pass)."""
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
