"""帮助 ▸ 关于 (F1): the version, how to begin (the README's set-up in short), the keys, and
where the settings, the local database, the journal and the logs are kept."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ... import __version__
from ...config.paths import Paths
from ..screen_fit import fit_inside_screen


def app_version() -> str:
    """The installed distribution's version (package metadata)."""
    return __version__


class HelpDialog(QDialog):
    def __init__(self, paths: Paths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle(self.tr("About Campus Card Batch Manager"))
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("helpText")
        self.browser.setAccessibleName(self.tr("Help"))
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(self.help_html(paths))
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_inside_screen(self, 680, 620)

    def help_html(self, paths: Paths) -> str:
        e = html.escape

        def section(title: str, items: list[str]) -> str:
            return f"<h3>{e(title)}</h3><ul>" + "".join(f"<li>{e(i)}</li>" for i in items) \
                + "</ul>"

        version = self.tr("Version %1").replace("%1", app_version())
        start = [
            self.tr("The first start creates a demo school (2,000 generated students, marked "
                    "“Demo data” in the status bar): every action can be rehearsed on it."),
            self.tr("Your own students on this PC: File ▸ Import students… (Ctrl+I) reads a "
                    "CSV or Excel file into the local database."),
            self.tr("Jiandaoyun, kintone, Shenbi or an iPaaS flow: File ▸ Manage profiles… "
                    "(Ctrl+Shift+P) adds a profile; its secrets go to the system keyring, "
                    "never to a file. Test connection checks it."),
            self.tr("To rehearse without a real server, run campuscard-sandbox and point a "
                    "profile at the address it prints."),
            self.tr("File ▸ Reset demo school… brings the demo data back as on the first "
                    "start (the built-in local profile only)."),
            self.tr("The README (“Set up”, “What an operator does”, “Connecting to …”) has "
                    "the details; campuscard-cli does the same from scripts."),
        ]
        keys = [
            self.tr("Ctrl+F search, Down into the table, Tab out of it"),
            self.tr("Ctrl+C copies the selected rows (tab-separated, with the header)"),
            self.tr("Ctrl+Shift+O / F / U / X: open, freeze, unfreeze, cancel cards"),
            self.tr("Enter confirms; Ctrl+Shift+E exports the results; F5 refreshes"),
            self.tr("Ctrl+Shift+M shows the messages; F1 this help"),
        ]
        places = [
            self.tr("Settings and profiles: %1").replace("%1", str(paths.config_dir)),
            self.tr("Local database and journal: %1").replace("%1", str(paths.data_dir)),
            self.tr("Logs: %1").replace("%1", str(paths.log_dir)),
        ]
        title = self.tr("Campus Card Batch Manager")
        about = self.tr("Opens, freezes, unfreezes and cancels campus cards for many students "
                        "at once, on Jiandaoyun, kintone, Shenbi, an iPaaS flow or a local "
                        "database.")
        return (f"<h2>{e(title)}</h2><p><b>{e(version)}</b></p><p>{e(about)}</p>"
                + section(self.tr("How to begin"), start)
                + section(self.tr("Keyboard"), keys)
                + section(self.tr("Where things are kept"), places))

    def text(self) -> str:
        """The dialog's text as plain text (what a test or a screen reader reads)."""
        return self.browser.toPlainText()


def open_help(paths: Paths, parent: QWidget) -> HelpDialog:
    dialog = HelpDialog(paths, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
