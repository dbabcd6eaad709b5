"""Fixtures shared by the widget tests."""

from __future__ import annotations

import pytest

from campuscard_gui.batch import Journal
from campuscard_gui.ui.workers import wait_for_workers


@pytest.fixture
def journal(tmp_path):
    """A real journal file; background readers are drained before it closes."""
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    wait_for_workers()
    j.close()


@pytest.fixture
def panel(qtbot, journal):
    """A shown results panel over ``journal`` (a test file may give its own)."""
    from campuscard_gui.ui.jobs.results_panel import ResultsPanel

    p = ResultsPanel(journal)
    qtbot.addWidget(p)
    p.resize(1000, 400)
    p.show()
    return p


@pytest.fixture
def memory_keyring():
    from memory_keyring import MemoryKeyring

    return MemoryKeyring()


@pytest.fixture
def make_dialog(qtbot, paths):
    """A shown profile dialog over ``paths`` and the keyring backend given."""
    from campuscard_gui.config import ConfigStore
    from campuscard_gui.config.credentials import CredentialStore
    from campuscard_gui.ui.profiles.profile_dialog import ProfileDialog

    def make(backend, **kwargs) -> ProfileDialog:
        dialog = ProfileDialog(ConfigStore(paths), CredentialStore(backend), paths, **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog
    return make


@pytest.fixture
def dialog(make_dialog, memory_keyring):
    return make_dialog(memory_keyring)


@pytest.fixture
def chinese(qapp, tmp_path):
    """The shipped zh_CN catalogue, compiled into a temp dir and installed for the test."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    from campuscard_gui import i18n

    qm_dir = tmp_path / "qm"
    i18n.compile_catalogues(i18n.SOURCE_TS_DIR, qm_dir)
    translator = QTranslator()
    assert translator.load(str(qm_dir / "campuscard_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)
