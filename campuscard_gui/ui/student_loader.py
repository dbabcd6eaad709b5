"""Opens a profile's connector and lists its students, off the GUI thread.

Every request gets a generation number; an answer that arrives after a newer request (a
second refresh, a profile switch) is dropped, and a connector opened for a dropped request is
closed again. Results come back as signals on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ..config.settings import Profile
from ..connectors.base import Connector
from ..core.model import StudentRow
from .workers import error_message, run_in_thread

ConnectorFactory = Callable[[Profile], Connector]


def read_students(connector: Connector) -> tuple[list[StudentRow], bool]:
    """All rows, and whether the backend holds generated demo data (local backend only)."""
    rows = connector.list_rows()
    is_demo = getattr(connector, "is_demo", None)
    return rows, bool(is_demo()) if callable(is_demo) else False


def _close_quietly(connector: Connector) -> None:
    run_in_thread(connector.close, lambda _r: None, lambda _e: None)


class StudentLoader(QObject):
    """``opened(connector)`` for a newly opened profile, then ``loaded(rows, demo)``;
    ``failed(message)`` instead when opening or listing fails."""

    opened = Signal(object)
    loaded = Signal(object, bool)
    failed = Signal(str)
    busyChanged = Signal(bool)

    def __init__(self, factory: ConnectorFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self._gen = 0
        self._busy = False

    def is_busy(self) -> bool:
        return self._busy

    def stop(self) -> None:
        """Drop every answer still on its way."""
        self._gen += 1
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)

    def _next(self) -> int:
        self._gen += 1
        self._set_busy(True)
        return self._gen

    def open_profile(self, profile: Profile) -> None:
        gen = self._next()
        factory = self._factory

        def work() -> tuple[Connector, list[StudentRow], bool]:
            connector = factory(profile)
            try:
                rows, demo = read_students(connector)
            except BaseException:
                connector.close()
                raise
            return connector, rows, demo

        def done(result: tuple[Connector, list[StudentRow], bool]) -> None:
            connector, rows, demo = result
            if gen != self._gen:
                _close_quietly(connector)
                return
            self._set_busy(False)
            self.opened.emit(connector)
            self.loaded.emit(rows, demo)

        run_in_thread(work, done, lambda exc: self._fail(gen, exc), parent=self)

    def reload(self, connector: Connector) -> None:
        gen = self._next()

        def done(result: tuple[list[StudentRow], bool]) -> None:
            if gen == self._gen:
                self._set_busy(False)
                self.loaded.emit(*result)

        run_in_thread(lambda: read_students(connector), done,
                      lambda exc: self._fail(gen, exc), parent=self)

    def _fail(self, gen: int, exc: BaseException) -> None:
        if gen == self._gen:
            self._set_busy(False)
            self.failed.emit(error_message(exc))

    @staticmethod
    def close_later(connector: Connector) -> None:
        """Close a connector that is no longer used, off the GUI thread."""
        _close_quietly(connector)
