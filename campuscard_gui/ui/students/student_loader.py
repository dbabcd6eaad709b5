"""Opens a profile's connector and lists its students, off the GUI thread.

Every request gets a generation number; an answer that arrives after a newer request (a
second refresh, a profile switch) is dropped, and a connector opened for a dropped request is
closed again. Results come back as signals on the GUI thread, and so does the listing's
progress (``progress(done, total_or_None)``, at most every ``PROGRESS_INTERVAL_S``; a backend
that pages without a total, such as 简道云, reports ``None``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from ...batch.listing import list_students
from ...config.settings import Profile
from ...config.snapshots import Snapshot, SnapshotStore
from ...connectors.base import Connector, ListProgress
from ...core.model import StudentRow
from ..workers import error_message, run_in_thread

ConnectorFactory = Callable[[Profile], Connector]
PROGRESS_INTERVAL_S = 0.2


def read_students(connector: Connector, progress: ListProgress | None = None,
                  snapshots: SnapshotStore | None = None, profile: str = "",
                  kept: Snapshot | None = None) -> tuple[list[StudentRow], bool]:
    """All rows, and whether the backend holds generated demo data (local backend only).
    With ``snapshots``, a remote profile's kept snapshot (``kept``, when already read) is
    refreshed where the backend can tell what changed, and the result kept
    (``batch.listing``: the CLI's path too)."""
    rows = list_students(connector, snapshots, profile, progress, snapshot=kept).rows
    local = connector.local_database()
    return rows, local is not None and local.is_demo()


def _close_quietly(connector: Connector) -> None:
    run_in_thread(connector.close, lambda _r: None, lambda _e: None)


class StudentLoader(QObject):
    """``opened(connector)`` for a newly opened profile, then ``loaded(rows, demo)``;
    ``failed(message)`` instead when opening or listing fails; ``progress(done, total)``
    while listing (total is None when the backend does not know it). ``snapshotLoaded``
    (a remote profile's kept listing) comes first, before connecting: the window shows it
    while the fresh listing runs, and the listing refreshes that same snapshot (read once)."""

    snapshotLoaded = Signal(object)
    opened = Signal(object)
    loaded = Signal(object, bool)
    failed = Signal(str)
    busyChanged = Signal(bool)
    progress = Signal(int, object)
    _progressed = Signal(int, int, object)  # generation, done, total: emitted on the worker
    _kept = Signal(int, object)  # generation, Snapshot: emitted on the worker

    def __init__(self, factory: ConnectorFactory, parent: QObject | None = None,
                 snapshots: SnapshotStore | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self._snapshots = snapshots
        self._gen = 0
        self._busy = False
        self._progressed.connect(self._on_progressed)
        self._kept.connect(self._on_kept)

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

    def _reporter(self, gen: int) -> ListProgress:
        """A progress callback for the worker: throttled, tagged with the request."""
        last = [0.0]
        emit = self._progressed.emit

        def report(done: int, total: int | None) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_INTERVAL_S or (total is not None and done >= total):
                last[0] = now
                try:
                    emit(gen, done, total)
                except RuntimeError:  # the loader is gone (window closed): nobody listens
                    pass

        return report

    @Slot(int, int, object)
    def _on_progressed(self, gen: int, done: int, total: object) -> None:
        if gen == self._gen and self._busy:
            self.progress.emit(done, total)

    @Slot(int, object)
    def _on_kept(self, gen: int, snapshot: object) -> None:
        if gen == self._gen and self._busy:
            self.snapshotLoaded.emit(snapshot)

    def open_profile(self, profile: Profile) -> None:
        gen = self._next()
        factory = self._factory
        snapshots = self._snapshots
        report = self._reporter(gen)
        kept_signal = self._kept

        def work() -> tuple[Connector, list[StudentRow], bool]:
            kept = None
            if snapshots is not None and profile.kind != "local":
                kept = snapshots.load(profile.name)
                if kept is not None:
                    try:
                        kept_signal.emit(gen, kept)
                    except RuntimeError:  # the loader is gone (window closed)
                        pass
            connector = factory(profile)
            try:
                rows, demo = read_students(connector, report, snapshots, profile.name, kept)
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

    def reload(self, connector: Connector, profile: str = "") -> None:
        gen = self._next()
        snapshots = self._snapshots if profile else None

        def done(result: tuple[list[StudentRow], bool]) -> None:
            if gen == self._gen:
                self._set_busy(False)
                self.loaded.emit(*result)

        report = self._reporter(gen)
        run_in_thread(lambda: read_students(connector, report, snapshots, profile), done,
                      lambda exc: self._fail(gen, exc), parent=self)

    def _fail(self, gen: int, exc: BaseException) -> None:
        if gen == self._gen:
            self._set_busy(False)
            self.failed.emit(error_message(exc))

    @staticmethod
    def close_later(connector: Connector) -> None:
        """Close a connector that is no longer used, off the GUI thread."""
        _close_quietly(connector)
