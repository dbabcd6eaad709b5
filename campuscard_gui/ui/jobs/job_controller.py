"""The bridge that runs batch jobs off the GUI thread and brings progress back by signals.

``JobController`` runs ``BatchRunner.run`` in a worker ``QThread``, one job at a time; jobs
asked for while one runs wait in a queue. The worker only stores the latest ``Progress``; a
200 ms timer on the GUI thread emits it (design.md §8: progress on a timer, never per record).

Signals (all delivered on the GUI thread):
    started(job_id: int, total: int)   a job begins (for ``start_plan``: once it is created)
    progress(Progress)                 at most every 200 ms while a job runs, and once at its end
    finished(JobInfo, changed)         the job is DONE or CANCELLED; ``changed`` is
                                       ``dict[str, Card]`` — the cards of the succeeded students
                                       read back from the backend — or None if that read failed
                                       (then reload everything)
    failed(str)                        the job stopped on an error (an expected CampusCardError's
                                       message, or a generic text for a bug, whose traceback is
                                       logged); the job stays unfinished in the journal
    idle()                             nothing running and nothing queued any more

A job claimed by a process the program cannot check (a claim row of another host name: another
computer sharing the data folder, or this one before it was renamed) is not run: the controller
asks ``confirm_take_over(message)`` on the GUI thread — by default a question box naming the
holder, 接管 or 取消 — and on 接管 runs (or discards) the job again, taking it over. A job that a
live process runs (its OS lock is held) is refused with ``failed``; it cannot be taken over.

A job belongs to its profile: give the controller the name of the profile its connector was
opened for (``JobController(connector, journal, profile=name)`` / ``set_connector(connector,
name)``) and a job of any other profile is refused on the worker before anything is sent —
``failed`` says which profile it belongs to. (Without a name nothing is checked: tests.)

Call ``shutdown()`` before the window closes (it is also connected to ``aboutToQuit``): it
drops the queue, cancels the running job and waits for its thread.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from ...batch import (
    BatchRunner,
    CancelToken,
    JobInfo,
    Journal,
    Progress,
    chunk_size_for,
    first_chunk_for,
)
from ...batch.jobs import JobClaimedError
from ...batch.runner import current_operator
from ...connectors.base import Connector
from ...core.errors import CampusCardError
from ...core.model import Card
from ...core.outcomes import OutcomeKind
from ...core.plan import Plan
from ..heap import freeze_survivors
from ..labels import fill

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_MS = 200
FREEZE_EVERY_POLLS = 5  # about once a second

RunnerFactory = Callable[[Connector, Journal], BatchRunner]


@dataclass
class _Request:
    """A queued job: an existing one (``job_id``) or one to create from ``plan``."""

    job_id: int | None = None
    plan: Plan | None = None
    profile: str = ""
    operator: str = ""
    parent_job_id: int | None = None
    discard: bool = False  # resolve what was sent, cancel the rest, send nothing
    take_over: bool = False  # the operator confirmed taking over another host's claim


class _JobThread(QThread):
    """Runs one request. Its signals are emitted on the worker thread and queued to the
    controller (which lives on the GUI thread)."""

    jobStarted = Signal(int, int)
    jobFinished = Signal(object, object)
    jobFailed = Signal(str)
    jobClaimed = Signal(int, str, bool)  # job id, message naming the holder, discard

    def __init__(self, connector: Connector, journal: Journal, request: _Request,
                 runner_factory: RunnerFactory, profile: str | None = None) -> None:
        super().__init__()
        self._connector = connector
        self._profile = profile  # the profile ``connector`` was opened for (None: unchecked)
        self._journal = journal
        self._request = request
        self._runner_factory = runner_factory
        self.token = CancelToken()
        if request.discard:
            self.token.cancel()
        self.latest: Progress | None = None  # written by the worker, read by the GUI timer

    def _store_progress(self, progress: Progress) -> None:
        self.latest = progress  # one reference assignment: atomic under the GIL

    def run(self) -> None:
        req = self._request
        try:
            if req.plan is not None:
                self._check_profile(None, req.profile)
                job_id = self._journal.create_job(
                    req.plan, profile=req.profile, operator=req.operator,
                    chunk_size=chunk_size_for(self._connector),
                    first_chunk=first_chunk_for(self._connector),
                    parent_job_id=req.parent_job_id,
                )
                total = req.plan.total
                req.plan = None  # the journal holds it now (100,000 planned records: ~15 MB)
            else:
                assert req.job_id is not None
                job_id = req.job_id
                job = self._journal.job(job_id)
                self._check_profile(job_id, job.profile)
                total = job.total
            self.jobStarted.emit(job_id, total)
            runner = self._runner_factory(self._connector, self._journal)
            info = runner.run(job_id, cancel=self.token, progress=self._store_progress,
                              take_over=req.take_over)
            changed = self._read_changed(job_id)
        except JobClaimedError as exc:
            log.warning("job not run: %s", exc.message)
            if exc.can_take_over and not req.take_over and req.job_id is not None:
                self.jobClaimed.emit(req.job_id, exc.message, req.discard)
            else:
                self.jobFailed.emit(exc.message)
        except CampusCardError as exc:
            log.warning("job stopped: %s", exc.message)
            self.jobFailed.emit(exc.message)
        except Exception:
            log.exception("job failed with an unexpected error")
            self.jobFailed.emit(QCoreApplication.translate(
                "JobController",
                "The job stopped because of an unexpected error. It stays unfinished and can "
                "be resumed. Details were written to the log file.",
            ))
        else:
            self.jobFinished.emit(info, changed)

    def _check_profile(self, job_id: int | None, profile: str) -> None:
        """Refuse a job of another profile than the connector's: nothing is sent."""
        if self._profile is None or profile == self._profile:
            return
        if job_id is None:
            text = QCoreApplication.translate(
                "JobController", "Nothing was written: the job is for the profile “%1”, but "
                "the profile open is “%2”.")
        else:
            text = QCoreApplication.translate(
                "JobController", "Nothing was written: job %3 belongs to the profile “%1”, but "
                "the profile open is “%2”.")
        raise CampusCardError(fill(text, profile, self._profile, str(job_id)), code="profile")

    def _read_changed(self, job_id: int) -> dict[str, Card] | None:
        nos = self._journal.student_nos(job_id, OutcomeKind.SUCCEEDED)
        if not nos:
            return {}
        try:
            cards = self._connector.read_cards(nos)
        except Exception:
            log.warning("could not read back the changed cards", exc_info=True)
            return None
        freeze_survivors()  # kept by the table: no full pass scans them again (heap.py)
        return cards


class JobController(QObject):
    """Runs journalled jobs on a worker thread, one at a time, with a queue behind."""

    started = Signal(int, int)
    progress = Signal(object)
    finished = Signal(object, object)
    failed = Signal(str)
    idle = Signal()

    def __init__(self, connector: Connector, journal: Journal, parent: QObject | None = None,
                 *, runner_factory: RunnerFactory | None = None,
                 profile: str | None = None) -> None:
        super().__init__(parent)
        self._connector = connector
        self._profile = profile
        self._journal = journal
        self._runner_factory: RunnerFactory = runner_factory or (
            lambda c, j: BatchRunner(c, j)
        )
        self._queue: deque[_Request] = deque()
        self._thread: _JobThread | None = None
        self._spent: _JobThread | None = None  # the last finished thread (already waited for)
        self._emitted: Progress | None = None
        self._current_job: int | None = None
        self._last_job: int | None = None
        self._polls = 0
        self._timer = QTimer(self)
        self._timer.setObjectName("jobProgressTimer")
        self._timer.setInterval(PROGRESS_INTERVAL_MS)
        self._timer.timeout.connect(self._poll_progress)
        # asked on the GUI thread whether to take over a job claimed elsewhere (tests set it)
        self.confirm_take_over: Callable[[str], bool] = ask_take_over
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- public API -------------------------------------------------------------------------

    def set_connector(self, connector: Connector, profile: str | None = None) -> None:
        """Use ``connector`` — opened for ``profile`` — for the next jobs (after a profile
        switch). Not while running or with jobs queued."""
        if self.is_running() or self._queue:
            raise RuntimeError("cannot switch the connector while a job runs")
        self._connector = connector
        self._profile = profile

    @property
    def profile(self) -> str | None:
        """The profile the connector was opened for: the only one whose jobs run here."""
        return self._profile

    def start(self, job_id: int) -> None:
        """Run (or resume) the journalled job ``job_id``; queued if another job runs."""
        self._enqueue(_Request(job_id=job_id))

    def start_plan(self, plan: Plan, *, profile: str, operator: str | None = None,
                   parent_job_id: int | None = None) -> None:
        """Create a job for ``plan`` in the journal (on the worker thread: a plan may hold
        100,000 records) and run it. ``started`` tells its job id."""
        self._enqueue(_Request(plan=plan, profile=profile,
                               operator=operator or current_operator(),
                               parent_job_id=parent_job_id))

    def discard(self, job_id: int) -> None:
        """Give up an unfinished job: chunks that may have been sent are read back (what was
        applied counts as succeeded), everything else becomes cancelled; nothing is sent."""
        self._enqueue(_Request(job_id=job_id, discard=True))

    def cancel(self) -> None:
        """Cancel the running job (between chunks) and drop the queued ones."""
        self._queue.clear()
        if self._thread is not None:
            self._thread.token.cancel()

    def is_running(self) -> bool:
        return self._thread is not None

    @property
    def current_job_id(self) -> int | None:
        """The job running now (None before ``started`` of a ``start_plan`` job)."""
        return self._current_job

    @property
    def last_job_id(self) -> int | None:
        """The job that ran last (or runs now): e.g. to show its records after ``failed``."""
        return self._last_job

    @Slot()
    def shutdown(self, msecs: int = 30_000) -> bool:
        """Drop the queue, cancel the running job and wait for its thread. True if it ended
        (a connector call in flight is waited for; the journal keeps the job resumable)."""
        self.cancel()
        thread = self._thread
        if thread is None:
            return True
        ended = bool(thread.wait(msecs))
        if ended:
            self._timer.stop()
            self._thread = None
            self._current_job = None
            self._spent = thread
        else:
            log.error("job thread did not end within %d ms", msecs)
        return ended

    # -- internals --------------------------------------------------------------------------

    def _enqueue(self, request: _Request) -> None:
        self._queue.append(request)
        if self._thread is None:
            self._launch_next()

    def _launch_next(self) -> None:
        if not self._queue:
            self.idle.emit()
            return
        request = self._queue.popleft()
        thread = _JobThread(self._connector, self._journal, request, self._runner_factory,
                            self._profile)
        thread.setObjectName("campuscardJob")
        thread.jobStarted.connect(self._on_started)
        thread.jobFinished.connect(self._on_finished)
        thread.jobFailed.connect(self._on_failed)
        thread.jobClaimed.connect(self._on_claimed)
        thread.finished.connect(self._on_thread_finished)
        self._thread = thread
        self._emitted = None
        self._current_job = request.job_id
        if request.job_id is not None:
            self._last_job = request.job_id
        freeze_survivors()  # the plan and the table: never scanned again during the job
        thread.start()
        self._timer.start()

    @Slot(int, int)
    def _on_started(self, job_id: int, total: int) -> None:
        self._current_job = job_id
        self._last_job = job_id
        self.started.emit(job_id, total)

    @Slot()
    def _poll_progress(self) -> None:
        thread = self._thread
        if thread is None:
            return
        self._polls += 1
        if self._polls % FREEZE_EVERY_POLLS == 0:
            freeze_survivors()  # full collections stay short while the job grows (heap.py)
        latest = thread.latest
        if latest is not None and latest is not self._emitted:
            self._emitted = latest
            self.progress.emit(latest)

    @Slot(object, object)
    def _on_finished(self, info: object, changed: object) -> None:
        assert isinstance(info, JobInfo)
        last = self._thread.latest if self._thread is not None else None
        final = Progress(
            info.job_id, info.total, info.done, info.succeeded, info.failed, info.skipped,
            info.cancelled, last.elapsed if last is not None else 0.0,
            last.written if last is not None else 0,
        )
        if final != self._emitted:
            self._emitted = final
            self.progress.emit(final)  # the final counts, before the result
        self.finished.emit(info, changed)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._poll_progress()
        self.failed.emit(message)

    @Slot(int, str, bool)
    def _on_claimed(self, job_id: int, message: str, discard: bool) -> None:
        """Another host's claim: take the job over if the operator confirms."""
        if self.confirm_take_over(message):
            log.info("job %d: the operator takes it over", job_id)
            self._queue.appendleft(_Request(job_id=job_id, discard=discard, take_over=True))
            if self._thread is None:  # the refused run's thread has ended meanwhile
                self._launch_next()
        else:
            self.failed.emit(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        thread = self._thread
        if thread is None or thread is not self.sender():
            return  # already reaped by shutdown()
        thread.wait()
        self._timer.stop()
        self._thread = None
        self._current_job = None
        # Not deleteLater() and not dropped here, inside its own signal's delivery (PySide6
        # 6.12 is fragile there): kept until the next job replaces it.
        self._spent = thread
        self._launch_next()


def ask_take_over(message: str) -> bool:
    """The default confirmation: a question naming the holder; 接管 or 取消 (default)."""
    box = QMessageBox(QMessageBox.Icon.Warning,
                      QCoreApplication.translate("JobController", "Take over the job?"),
                      message, QMessageBox.StandardButton.NoButton,
                      QApplication.activeWindow())
    box.setObjectName("takeOverBox")
    box.setInformativeText(QCoreApplication.translate(
        "JobController", "Take it over only if that program is no longer running: two "
        "programs running one job at once could write a record twice."))
    take = box.addButton(QCoreApplication.translate("JobController", "&Take over"),
                         QMessageBox.ButtonRole.AcceptRole)
    take.setObjectName("takeOverButton")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    taken = box.clickedButton() is take
    if box.parent() is not None:  # (without a parent, Python owns it and frees it)
        box.deleteLater()
    return taken
