"""Guards against a Qt binding that corrupts the interpreter.

PySide6 6.12.0 on Python 3.11 returns None from void methods and True from
``SignalInstance.emit`` without owning a reference, so each call lowers the refcount of those
singletons until the interpreter aborts ("deallocating None"). pyproject excludes that release;
this test fails if an installed binding shows the same fault.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()


def test_binding_keeps_references(qapp):
    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(200):
        probe.setObjectName("probe")
        probe.ping.emit()
    if sys.version_info < (3, 12):  # 3.12+ makes these immortal; counts no longer move
        assert sys.getrefcount(None) >= none_before - 5
        assert sys.getrefcount(True) >= true_before - 5
