"""Run a journalled job against a connector: chunks in order, within the backend's limits,
with retries, reconciliation, cancellation and resume (design.md §5).

Per chunk: the journal marks it ``sent`` (committed) before every call to the connector and
stores every record's outcome plus ``done`` in one transaction after the answer. A chunk found
``sent`` when a run reaches it (an earlier run crashed, or the answer was ambiguous) is first
reconciled: the cards are read back, records already in the action's target state count as
succeeded, and only the rest is sent again, with the chunk's same idempotency key.

Error handling, per chunk:
- RetryableError: back off (exponential + jitter, honouring retry_after) and resend, up to
  ``RetryPolicy.max_attempts`` sends; then the chunk's records are Failed(code, message).
  If the job is cancelled meanwhile, the retrying stops and the records become Cancelled.
- AmbiguousError: reconcile, then resend what is missing, up to ``max_ambiguous`` times; what
  the read-back still shows missing after that is Failed.
- FatalError (and any other expected ConnectorError): the chunk's records are Failed.
- A read-back that cannot be done (after retries) raises a ConnectorError out of ``run``: the
  chunk stays ``sent`` and the job RUNNING, to be resumed later — we never guess an outcome.
- Any other exception is a bug: nothing is recorded for the chunk (it stays ``sent``, the job
  stays RUNNING and is offered for resume, where reconciliation makes the resend safe); the
  traceback is logged and the exception re-raised.
"""

from __future__ import annotations

import getpass
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TypeVar

from ..connectors.base import CardCreate, CardUpdate, Connector, RecordResult
from ..connectors.common import read_waits, write_sends
from ..core.errors import (
    AmbiguousError,
    CampusCardError,
    ConnectorError,
    RetryableError,
)
from ..core.model import Action
from ..core.outcomes import Cancelled, Failed, Outcome, OutcomeKind, Succeeded
from ..core.text import _
from .checks import SendChecks, is_broken_first_chunk
from .jobs import ChunkInfo, ChunkState, JobInfo, PendingWrite, Wait, WaitKind, wait_kind_of
from .journal import Journal
from .ratelimit import RateLimiter
from .retry import RetryPolicy

logger = logging.getLogger(__name__)

T = TypeVar("T")
# How much later than the journal's mark a write may leave before the mark is moved to it: a
# send time a little early only shortens the settle wait by as much (settle_s is a minute).
SEND_TIME_SLACK_S = 0.05
FIRST_CHUNK_SAMPLE = 20  # records of a job's first chunk read back where nothing else is



# "…正在核对" (still checking) at the end of a connector's message, in either language
_CHECKING = re.compile(  # text: data
    r"[：；，,:;]?\s*(?:请求可能已生效，|the request may have taken effect; )?"  # text: data
    r"(?:正在核对.*|checking)$")


def checked_reason(message: str, checks: int) -> str:
    """The final reason of a write left unconfirmed after ``checks`` read-backs: the
    connector's "…正在核对" (still checking) said in the past tense, with what the read-back
    found — nothing of this write on the server."""
    base = _CHECKING.sub("", message).rstrip("：；，,:; ")  # text: data
    return _("{base}；已核对 {checks} 次，后台没有这次写入的结果，未写入").format(
        base=base, checks=checks)


class CancelToken:
    """A flag the operator sets; the runner checks it between chunks (and between retries)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def is_cancelled(self) -> bool:
        return self._event.is_set()


@dataclass(frozen=True)
class Progress:
    job_id: int
    total: int
    done: int  # records with an outcome, planned skips included
    succeeded: int
    failed: int
    skipped: int
    cancelled: int
    elapsed: float  # seconds since this run started
    written: int = 0  # records written (succeeded or failed) during this run
    # > 0 while the runner waits for writes left unanswered (possibly by a process that died)
    # to settle before reading them back: the seconds still to wait.
    waiting_s: float = 0.0
    # > 0 while the runner waits to retry after a retryable failure: the seconds of that wait,
    # which attempt comes next, and why (the connector's message, e.g. 限流 or a network fault)
    retry_in_s: float = 0.0
    retry_attempt: int = 0
    retry_reason: str = ""
    # the same waits as one typed event (None while nothing is waited for): what the window
    # and the CLI say ("限流，3 秒后重试（第 2 次）", "等待未应答的写入落定，还需 N 秒")
    wait: Wait | None = None

    @property
    def rate(self) -> float:
        """Records written per second during this run."""
        return self.written / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate (None while unknown)."""
        remaining = self.total - self.done
        if remaining <= 0:
            return 0.0
        rate = self.rate
        return remaining / rate if rate > 0 else None


ProgressCallback = Callable[[Progress], None]


def current_operator() -> str:
    """The OS user name, for the journal ("unknown" if the system cannot tell)."""
    try:
        name = getpass.getuser()
    except Exception:  # no such user entry, no env variables: never fatal
        name = ""
    return name or "unknown"


def chunk_size_for(connector: Connector) -> int:
    """The chunk size to create jobs with for ``connector`` (its batch size limit)."""
    return max(1, int(connector.limits.batch_size))


def first_chunk_for(connector: Connector) -> int:
    """The size of a new job's first chunk for ``connector``: a probe of FIRST_CHUNK_SAMPLE
    records, written and checked alone before the rest (Journal.create_job)."""
    return min(FIRST_CHUNK_SAMPLE, chunk_size_for(connector))


def _epoch_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class _Tally:
    succeeded: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0
    written: int = 0  # during this run

    def add(self, outcomes: Sequence[Outcome]) -> None:
        for o in outcomes:
            if o.kind is OutcomeKind.SUCCEEDED:
                self.succeeded += 1
                self.written += 1
            elif o.kind is OutcomeKind.FAILED:
                self.failed += 1
                self.written += 1
            elif o.kind is OutcomeKind.SKIPPED:
                self.skipped += 1
            else:
                self.cancelled += 1


@dataclass
class _ChunkRun:
    """State of one chunk while it is being worked on."""

    chunk: ChunkInfo
    todo: list[PendingWrite]
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    # answered "written" by the backend, still to be verified by a read-back
    claimed: dict[int, tuple[PendingWrite, Succeeded]] = field(default_factory=dict)

    def resolve(self, found: dict[int, Outcome]) -> None:
        self.outcomes.update(found)
        self.todo = [w for w in self.todo if w.position not in self.outcomes]

    def claim(self, answered: Sequence[tuple[PendingWrite, RecordResult]]) -> None:
        for w, result in answered:
            if isinstance(result, Succeeded):
                self.claimed[w.position] = (w, result)
        self.todo = [w for w in self.todo if w.position not in self.claimed]

    def fail_rest(self, outcome: Outcome) -> None:
        self.resolve({w.position: outcome for w in self.todo})


class BatchRunner:
    """Runs (or resumes) journalled jobs against one connector."""

    def __init__(
        self,
        connector: Connector,
        journal: Journal,
        *,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        now_ms: Callable[[], int] = _epoch_ms,
        rand: Callable[[], float] = random.random,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._connector = connector
        self._journal = journal
        self._retry = retry or RetryPolicy()
        self._clock = clock
        self._sleep = sleep
        self._now_ms = now_ms
        self._rand = rand
        self._wall = wall
        self._checks = SendChecks(connector, self._retrying)
        self._settle_s = max(0.0, float(connector.consistency.settle_s))
        self._on_wait: Callable[[Wait | None], None] = _ignore
        limits = connector.limits
        self._concurrency = max(1, int(limits.concurrency))
        self._limiter = RateLimiter(limits.requests_per_second, clock=clock, sleep=sleep)

    # -- the job ----------------------------------------------------------------------------

    def run(
        self,
        job_id: int,
        *,
        cancel: CancelToken | None = None,
        progress: ProgressCallback | None = None,
        take_over: bool = False,
    ) -> JobInfo:
        """Run a new job or resume an unfinished one; return its final state.

        A finished job (DONE or CANCELLED) is returned unchanged: nothing is sent. A job
        another process runs is refused (JobClaimedError); ``take_over``: the operator
        confirmed taking over a claim that the program cannot check (another host name).
        A cancelled ``cancel`` from the start discards the job: chunks that were sent are
        read back, the rest becomes cancelled, nothing is sent.
        """
        job = self._journal.job(job_id)
        if job.finished:
            return job
        self._journal.claim(job_id, take_over=take_over)
        try:
            return self._run_claimed(job, cancel or CancelToken(), progress)
        finally:
            self._journal.release(job_id)

    def _run_claimed(self, job: JobInfo, token: CancelToken,
                     progress: ProgressCallback | None) -> JobInfo:
        job_id = job.job_id
        start = self._clock()
        tally = _Tally(job.succeeded, job.failed, job.skipped, job.cancelled)
        every = self._journal.chunks(job_id)
        chunks = [c for c in every if c.state is not ChunkState.DONE]
        lock = threading.Lock()

        def emit(wait: Wait | None = None) -> None:
            if progress is not None:
                settle = wait.seconds if wait is not None and wait.kind is WaitKind.SETTLE \
                    else 0.0
                retry = (wait.seconds, wait.attempt, wait.detail) \
                    if wait is not None and wait.kind is not WaitKind.SETTLE else (0.0, 0, "")
                with lock:
                    progress(Progress(
                        job_id, job.total,
                        tally.succeeded + tally.failed + tally.skipped + tally.cancelled,
                        tally.succeeded, tally.failed, tally.skipped, tally.cancelled,
                        self._clock() - start, tally.written, settle, *retry, wait=wait,
                    ))

        def report(outcomes: Sequence[Outcome]) -> None:
            tally.add(outcomes)
            emit()

        self._on_wait = emit
        heard = read_waits.set(self._heard_read_wait)
        try:
            if chunks and len(chunks) == len(every) and not token.is_cancelled:
                # the job's first chunk alone, verified, before anything else is written
                head, chunks = chunks[0], chunks[1:]
                first = self._run_chunk(job.action, head, token, first=True)
                report(first)
                if is_broken_first_chunk(first):
                    self._stop_broken(job, first)
            if self._concurrency == 1:
                for chunk in chunks:
                    if token.is_cancelled:
                        break
                    report(self._run_chunk(job.action, chunk, token))
            else:
                self._run_pooled(job.action, chunks, token, report)
            open_chunks = [c for c in self._journal.chunks(job_id)
                           if c.state is not ChunkState.DONE]
            if open_chunks:  # only when cancelled
                report(self._cancel_rest(job_id, job.action, open_chunks))
            elif token.is_cancelled and tally.cancelled > job.cancelled:
                self._journal.cancel_job(job_id)  # cancelled while a chunk was retrying
            else:
                self._journal.finish_job(job_id)
        except CampusCardError:
            raise
        except Exception:
            logger.exception("批量任务 %s 出现内部错误；任务保持未完成，可以稍后继续", job_id)
            raise
        finally:
            read_waits.reset(heard)
            self._on_wait = _ignore
        return self._journal.job(job_id)

    def _stop_broken(self, job: JobInfo, first: Sequence[Outcome]) -> None:
        """The first chunk's writes cannot be read back: stop before writing more broken
        cards. The rest of the job is cancelled (nothing of it was sent)."""
        self._journal.cancel_job(job.job_id)
        rest = self._journal.job(job.job_id).cancelled
        why = next((o.message for o in first if isinstance(o, Failed)), "")
        raise ConnectorError(
            _("第一批写入后回读核对失败，任务已停止，其余 {rest} 条未发送。{why}。请在“管理配置”中"
              "点“测试连接”，检查卡记录的学生字段和状态字段的对应。").format(
                rest=rest, why=why), code="field_map")

    def _run_pooled(
        self,
        action: Action,
        chunks: list[ChunkInfo],
        token: CancelToken,
        report: Callable[[Sequence[Outcome]], None],
    ) -> None:
        pending = iter(chunks)
        in_flight: set[Future[list[Outcome]]] = set()
        error: BaseException | None = None
        with ThreadPoolExecutor(self._concurrency, thread_name_prefix="campuscard-batch") as pool:
            while True:
                while error is None and len(in_flight) < self._concurrency \
                        and not token.is_cancelled:
                    chunk = next(pending, None)
                    if chunk is None:
                        break
                    in_flight.add(pool.submit(self._run_chunk, action, chunk, token))
                if not in_flight:
                    break
                finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                for fut in finished:
                    exc = fut.exception()
                    if exc is not None:
                        error = error or exc
                    else:
                        report(fut.result())
        if error is not None:
            raise error

    def _cancel_rest(
        self, job_id: int, action: Action, open_chunks: list[ChunkInfo]
    ) -> list[Outcome]:
        """Records never sent become Cancelled; those of a chunk left ``sent`` by an earlier
        run are read back first so that what was applied is recorded as Succeeded."""
        resolved: dict[int, Outcome] = {}
        undecided = 0
        for chunk in open_chunks:
            todo = self._journal.pending_writes(job_id, chunk.seq)
            undecided += len(todo)
            if chunk.state is ChunkState.SENT and todo:
                self._settle(chunk)
                resolved.update(self._checks.reconcile(action, todo, chunk.open_ms))
        self._journal.cancel_job(job_id, resolved)
        return [*resolved.values(), *[Cancelled()] * (undecided - len(resolved))]

    # -- one chunk --------------------------------------------------------------------------

    def _run_chunk(self, action: Action, chunk: ChunkInfo, token: CancelToken,
                   *, first: bool = False) -> list[Outcome]:
        """Work one chunk to the end, record it and return the outcomes decided. The
        connector's own read retries are heard meanwhile (a server that is down is said,
        not waited through in silence)."""
        heard = read_waits.set(self._heard_read_wait)
        try:
            return self._work_chunk(action, chunk, token, first=first)
        finally:
            read_waits.reset(heard)

    def _work_chunk(self, action: Action, chunk: ChunkInfo, token: CancelToken,
                    *, first: bool = False) -> list[Outcome]:
        checks = self._checks
        run = _ChunkRun(chunk, self._journal.pending_writes(chunk.job_id, chunk.seq))
        open_ms = chunk.open_ms
        if chunk.state is ChunkState.SENT and run.todo:
            self._settle(chunk)  # a send left unanswered by an earlier run may still land
            run.resolve(checks.reconcile(action, run.todo, open_ms))
        if run.todo and checks.needs_fresh_state(action):
            try:
                run.resolve(checks.fresh_state(action, run.todo))
            except ConnectorError as exc:  # nothing of these was sent: a definite failure
                why = exc.__cause__ if isinstance(exc.__cause__, ConnectorError) else exc
                run.fail_rest(Failed(why.code, why.message))
        every = checks.needs_verify(action)
        # A backend that guards its writes is still checked on the job's first chunk, for a
        # field map that writes broken cards: a sample is enough (a broken map breaks all).
        sample = 0 if every else FIRST_CHUNK_SAMPLE if first else -1
        retries = 0
        ambiguous = 0
        while run.todo:
            self._limiter.acquire()  # wait first: a chunk marked sent is sent right away
            open_ms = self._journal.mark_sent(chunk.job_id, chunk.seq, self._now_ms())
            try:
                results = self._send_marked(chunk, action, run.todo, open_ms)
            except RetryableError as exc:
                retries += 1
                if retries >= self._retry.max_attempts:
                    run.fail_rest(Failed(exc.code, exc.message))
                elif token.is_cancelled:
                    run.fail_rest(Cancelled())
                else:
                    self._backoff(retries, exc.retry_after, exc)
                continue
            except AmbiguousError as exc:
                ambiguous += 1
                if exc.code in ("timeout", "network"):
                    # no answer: the request may still land — also after another operator's
                    # card, which then only the read-back after it lands can remove
                    self._settle(chunk)
                run.resolve(checks.reconcile(action, run.todo, open_ms))
                if run.todo:  # changed by someone else meanwhile: not sent again
                    run.resolve(checks.fresh_state(action, run.todo))
                if run.todo and ambiguous >= self._retry.max_ambiguous:
                    run.fail_rest(Failed(exc.code, checked_reason(exc.message, ambiguous)))
                elif run.todo:
                    self._backoff(ambiguous, None, exc)
                continue
            except ConnectorError as exc:  # FatalError and any other definitive failure
                run.fail_rest(Failed(exc.code, exc.message))
                continue
            answered = list(zip(run.todo, results, strict=True))
            if sample >= 0:
                run.claim(answered if not sample
                          else answered[:max(0, sample - len(run.claimed))])
            run.resolve({w.position: r for w, r in answered if w.position not in run.claimed})
        if run.claimed:
            verified = checks.verify(action, run.claimed, first=first)
            run.outcomes.update(verified)
            if sample and is_broken_first_chunk(list(verified.values())):
                # the sample shows a broken field map: the rest of the chunk is no better
                broken = next(o for o in verified.values() if isinstance(o, Failed))
                run.outcomes.update({pos: broken for pos, o in run.outcomes.items()
                                     if isinstance(o, Succeeded)})
        self._journal.finish_chunk(chunk.job_id, chunk.seq, run.outcomes)
        return list(run.outcomes.values())

    def _send_marked(self, chunk: ChunkInfo, action: Action, todo: list[PendingWrite],
                     open_ms: int | None) -> list[RecordResult]:
        """``_send`` for a chunk just marked sent. A connector that paces its own requests
        (a rate slot, a concurrency gate) may send later than the mark: when its request
        leaves (``write_sends``) more than ``SEND_TIME_SLACK_S`` after, the journal's send
        time moves with it, so the settle rule after a crash counts from the real send."""
        marked = self._wall()

        def leaving() -> None:
            nonlocal marked
            if self._wall() - marked > SEND_TIME_SLACK_S:
                self._journal.touch_sent(chunk.job_id, chunk.seq)
                marked = self._wall()

        sends = write_sends.set(leaving)
        try:
            return self._send(action, todo, chunk.idempotency_key, open_ms)
        finally:
            write_sends.reset(sends)

    def _send(
        self, action: Action, todo: list[PendingWrite], key: str, open_ms: int | None
    ) -> list[RecordResult]:
        target = action.target
        if action is Action.OPEN:
            opened = open_ms if open_ms is not None else self._now_ms()
            results = self._connector.create_cards(
                [CardCreate(w.student_no, w.student_record_id, opened, w.card_id, w.revision)
                 for w in todo],
                target, key,
            )
        else:
            results = self._connector.update_cards(
                [CardUpdate(w.student_no, w.card_id, w.revision) for w in todo], target, key
            )
        if len(results) != len(todo):
            raise RuntimeError(
                f"connector {self._connector.kind} answered {len(results)} results"
                f" for {len(todo)} items"
            )
        return list(results)

    def _backoff(self, retry: int, retry_after: float | None, exc: ConnectorError) -> None:
        """Wait before retry number ``retry``; the progress callback hears of the wait, its
        kind and the attempt after it (so the window says "限流，3 秒后重试（第 2 次）"
        instead of nothing), and of its end."""
        delay = self._retry.delay(retry, retry_after, self._rand)
        self._on_wait(Wait(wait_kind_of(exc.code), delay, retry + 1, exc.message))
        self._sleep(delay)
        self._on_wait(None)

    def _heard_read_wait(self, seconds: float, attempt: int,
                         exc: ConnectorError | None) -> None:
        """A connector's own read retry (connectors.common.retried): said like ours."""
        self._on_wait(None if exc is None
                      else Wait(wait_kind_of(exc.code), seconds, attempt, exc.message))

    # -- waiting and reading ----------------------------------------------------------------

    def _settle(self, chunk: ChunkInfo) -> None:
        """Wait until ``settle_s`` after the chunk's last send, as the journal recorded it
        (so a restart does not shorten the wait), telling the progress callback how long."""
        if self._settle_s <= 0:
            return
        sent = self._journal.sent_at(chunk.job_id, chunk.seq)
        if sent is None:
            return
        while (left := sent + self._settle_s - self._wall()) > 0:
            self._on_wait(Wait(WaitKind.SETTLE, left))
            self._sleep(min(left, 1.0))
        self._on_wait(None)

    def _retrying(self, call: Callable[[], T]) -> T:
        """A read (or a duplicate removal) with the retry policy; one that cannot be done
        raises ConnectorError("unconfirmed"): the chunk stays ``sent``, nothing is guessed."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return call()
            except (RetryableError, AmbiguousError) as exc:
                if attempt >= self._retry.max_attempts:
                    raise _unconfirmed(exc) from exc
                self._backoff(attempt, getattr(exc, "retry_after", None), exc)
            except ConnectorError as exc:
                if exc.code == "label":
                    raise
                raise _unconfirmed(exc) from exc


def _ignore(_wait: Wait | None) -> None:
    pass


def _unconfirmed(exc: ConnectorError) -> ConnectorError:
    """The job stops: what was sent could not be read back (never "…正在核对": the checking
    is over, and the job is left to be resumed)."""
    why = _CHECKING.sub("", exc.message).rstrip("：；，,:; ")  # text: data
    return ConnectorError(
        _("无法核对已发送的数据：{why}。任务保持未完成，可稍后继续。").format(why=why),
        code="unconfirmed",
    )
