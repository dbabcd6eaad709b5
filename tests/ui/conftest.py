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
