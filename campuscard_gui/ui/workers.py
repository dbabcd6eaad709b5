"""Run a callable off the GUI thread and get its result back on the GUI thread.

    run_in_thread(fn, on_done, on_error, parent=self)

``fn()`` runs on a pool thread; ``on_done(result)`` or ``on_error(exc)`` is then called on the
GUI thread (call ``run_in_thread`` from the GUI thread). If ``parent`` is destroyed first,
neither is called.
``error_message(exc)`` gives the operator-facing text of an error: the message of an expected
``CampusCardError``, or a generic text for a bug (whose traceback is logged here).

The pool is an own ``QThreadPool`` (not Qt's global one), so ``wait_for_workers()`` can wait
for exactly these tasks, e.g. when the main window closes or at the end of a test.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

from ..core.errors import CampusCardError

log = logging.getLogger(__name__)

_pool: QThreadPool | None = None


def worker_pool() -> QThreadPool:
    """The pool the UI's background tasks run in (created on first use)."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setObjectName("campuscardWorkers")
        _pool.setMaxThreadCount(4)
    return _pool


def wait_for_workers(msecs: int = 30_000) -> bool:
    """Wait until every task started by ``run_in_thread`` has returned. True if all did."""
    if _pool is None:
        return True
    return bool(_pool.waitForDone(msecs))


def error_message(exc: BaseException) -> str:
    """What to tell the operator about ``exc``."""
    if isinstance(exc, CampusCardError):
        return exc.message
    return QCoreApplication.translate(
        "Workers", "An unexpected error occurred. Details were written to the log file."
    )


class _Hub(QObject):
    """One object on the GUI thread for all tasks. A pool thread emits ``delivered``; Qt queues
    it here and the hub calls the task's callbacks. No QObject is made or deleted per task
    (PySide6 6.12 crashes when a per-task receiver is ``deleteLater``-ed from its own slot)."""

    delivered = Signal(int, bool, object)  # task id, succeeded, result or exception

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("campuscardWorkerHub")
        self._next = 0
        self._pending: dict[int, _Callbacks] = {}
        self.delivered.connect(self._deliver)

    def register(self, callbacks: _Callbacks) -> int:
        self._next += 1
        self._pending[self._next] = callbacks
        return self._next

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, ok: bool, value: object) -> None:
        callbacks = self._pending.pop(task_id, None)
        if callbacks is None:
            return
        on_done, on_error, parent = callbacks
        if parent is not None and not shiboken6.isValid(parent):
            return  # the widget that asked is gone
        if ok:
            on_done(value)
        elif on_error is not None:
            assert isinstance(value, BaseException)
            on_error(value)
        elif isinstance(value, BaseException) and not isinstance(value, CampusCardError):
            # a bug nobody asked to hear of: raised here, on the GUI thread, so that the
            # crash dialog (ui/crash.py, through sys.excepthook) says it
            raise value


_Callbacks = tuple[
    Callable[[Any], None], Callable[[BaseException], None] | None, QObject | None
]
_hub: _Hub | None = None


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], hub: _Hub, task_id: int) -> None:
        super().__init__()
        self._fn = fn
        self._hub = hub
        self._task_id = task_id

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # noqa: BLE001 - handed to the caller on its thread
            if not isinstance(exc, CampusCardError):
                log.exception("background task failed")
            self._hub.delivered.emit(self._task_id, False, exc)
        else:
            self._hub.delivered.emit(self._task_id, True, result)
        finally:
            self._fn = _noop  # drop references held by the callable


def _noop() -> None:
    return None


def run_in_thread(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    *,
    parent: QObject | None = None,
) -> None:
    """Run ``fn()`` on a worker thread; call ``on_done(result)`` / ``on_error(exc)`` on the
    GUI thread. Pass ``parent`` (the widget that asked) so that nothing is delivered after it
    is destroyed. ``on_error`` receives the exception; use ``error_message`` to show it.
    Call it from the GUI thread."""
    global _hub
    if _hub is None:
        _hub = _Hub()  # made on the GUI thread, lives as long as the program
    task_id = _hub.register((on_done, on_error, parent))
    worker_pool().start(_Task(fn, _hub, task_id))
