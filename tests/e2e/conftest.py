"""Fixtures for the end-to-end tests: the window in Chinese, as an operator reads it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from campuscard_gui import i18n


@pytest.fixture
def chinese(qapp, tmp_path):
    """The shipped zh_CN catalogue, compiled into a temp dir and installed for the test."""
    qm_dir = tmp_path / "qm"
    i18n.compile_catalogues(i18n.SOURCE_TS_DIR, qm_dir)
    translator = QTranslator()
    assert translator.load(str(qm_dir / "campuscard_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)
