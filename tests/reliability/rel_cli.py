"""Operators' PCs for the reliability tests: ``campuscard-cli`` as real processes
(``python -m campuscard_gui.cli.commands``), each PC with its own CAMPUSCARD_CONFIG_DIR and
CAMPUSCARD_DATA_DIR (so its own journal), all on one private D-Bus session whose Secret Service
(gnome-keyring) holds the profiles' secrets. Secrets reach ``profiles add`` on standard input
only, never in argv.

The journal each PC writes is read here with plain sqlite3 (its schema is documented in
``campuscard_gui/batch/journal.py``), to see how far a job got before it is killed.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import campuscard_gui
from campuscard_gui.config import ConfigStore, Paths
from campuscard_gui.sandbox import SandboxInfo

ROOT = Path(campuscard_gui.__file__).resolve().parents[1]
CLI = (sys.executable, "-m", "campuscard_gui.cli.commands")
RUN_TIMEOUT_S = 180.0
SKIP_CHANGED = frozenset({"changed_by_other", "opened_by_other"})
DEFINITE = frozenset({"succeeded", "failed", "skipped"})


def tail(stderr: str, lines: int = 2) -> str:
    """The last lines of a CLI's stderr (the exception or the error message)."""
    text = [line.strip() for line in stderr.strip().splitlines()
            if line.strip() and line.strip().strip("^~ ")]  # not the traceback's markers
    return " | ".join(text[-lines:])


def wait_for(condition: Callable[[], Any], timeout: float, what: str,
             interval: float = 0.01) -> Any:
    """Poll ``condition`` until it returns something truthy (returned); AssertionError naming
    ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        # polls another process's state (its journal file, its exit); a sandbox's held writes
        # are waited for with Control.wait_landed, not here
        time.sleep(interval)


@dataclass
class Job:
    """A job's records as ``--format json`` (a run, ``jobs resume`` or ``jobs show``) prints
    them."""

    job_id: int
    state: str
    records: list[dict[str, Any]]

    @classmethod
    def parse(cls, stdout: str) -> Job:
        obj = json.loads(stdout)
        return cls(int(obj["job_id"]), str(obj["state"]), list(obj["records"]))

    def outcomes(self) -> Counter[str]:
        return Counter(r["outcome"] for r in self.records)

    def undecided(self) -> list[str]:
        return [r["student_no"] for r in self.records if r["outcome"] not in DEFINITE]

    def by_student(self) -> dict[str, dict[str, Any]]:
        return {r["student_no"]: r for r in self.records}


@dataclass
class JournalRecord:
    student_no: str
    chunk_seq: int | None
    outcome: str | None
    reason: str | None
    detail: str | None
    code: str | None
    card_id: str | None


class JournalView:
    """A PC's journal file, read with sqlite3 (never written)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        if not self.path.exists():
            return []
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            return conn.execute(sql, args).fetchall()
        except sqlite3.OperationalError:  # the schema is not there yet
            return []
        finally:
            conn.close()

    def latest_job(self) -> int | None:
        rows = self._rows("SELECT max(id) FROM jobs")
        return int(rows[0][0]) if rows and rows[0][0] is not None else None

    def chunk_states(self, job_id: int) -> dict[int, str]:
        return {int(seq): str(state) for seq, state in self._rows(
            "SELECT seq, state FROM chunks WHERE job_id = ? ORDER BY seq", job_id)}

    def job(self, job_id: int) -> Job:
        """The job as ``jobs show`` would print it (undecided records as "pending")."""
        rows = self._rows("SELECT state FROM jobs WHERE id = ?", job_id)
        return Job(job_id, str(rows[0][0]) if rows else "missing", [
            {"student_no": r.student_no, "outcome": r.outcome or "pending", "reason": "",
             "card_id": r.card_id} for r in self.records(job_id)])

    def records(self, job_id: int) -> list[JournalRecord]:
        return [JournalRecord(*row) for row in self._rows(
            "SELECT student_no, chunk_seq, outcome, reason, detail, code, result_card_id"
            " FROM records WHERE job_id = ? ORDER BY position", job_id)]


@dataclass(eq=False)
class Pc:
    """One operator's PC. ``session_env``: the private D-Bus session's environment."""

    root: Path
    name: str
    session_env: dict[str, str]
    procs: list[subprocess.Popen[str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # CLI runs that crashed

    def __post_init__(self) -> None:
        self.home = self.root / self.name
        self.config_dir = self.home / "config"
        self.data_dir = self.home / "data"
        for d in (self.config_dir, self.data_dir):
            d.mkdir(parents=True, exist_ok=True)
        self.env = {
            **self.session_env,  # PATH, a private HOME/XDG dirs, DBUS_SESSION_BUS_ADDRESS
            "PYTHONPATH": str(ROOT),
            "PYTHONIOENCODING": "utf-8",
            "CAMPUSCARD_CONFIG_DIR": str(self.config_dir),
            "CAMPUSCARD_DATA_DIR": str(self.data_dir),
        }
        self.journal = JournalView(self.data_dir / "journal.sqlite3")

    @property
    def paths(self) -> Paths:
        return Paths(self.config_dir, self.data_dir, self.data_dir / "logs")

    # -- running the CLI --------------------------------------------------------------------

    def run(self, *argv: str, stdin: str = "", ok: Sequence[int] = (0, 1),
            timeout: float = RUN_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        """Run the CLI to the end; it must exit with one of ``ok`` and without a traceback."""
        res = self._run(argv, stdin, timeout)
        assert res.returncode in ok, (
            f"[{self.name}] campuscard-cli {' '.join(argv)} exited {res.returncode}:\n"
            f"{res.stderr[-3000:]}")
        assert "Traceback" not in res.stderr, res.stderr[-3000:]
        return res

    def _run(self, argv: Sequence[str], stdin: str = "", timeout: float = RUN_TIMEOUT_S
             ) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*CLI, *argv], input=stdin, capture_output=True, text=True,
                              encoding="utf-8", env=self.env, timeout=timeout, check=False)

    def start(self, *argv: str, stdin: int | None = subprocess.DEVNULL
              ) -> subprocess.Popen[str]:
        proc = subprocess.Popen([*CLI, *argv], stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, encoding="utf-8",
                                env=self.env)
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[str]) -> None:
        """SIGKILL: no handler runs, nothing is flushed or rolled back by the CLI itself."""
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)

    # -- jobs: what the CLI printed, or (when it crashed) what its journal holds ------------

    def action(self, profile: str, action: str, students: Sequence[str],
               *extra: str) -> Job:
        ids = self.home / f"{action}-{time.monotonic_ns()}.txt"
        ids.write_text("\n".join(students) + "\n", encoding="utf-8")
        before = self.journal.latest_job()
        argv = ("--profile", profile, action, "--ids", str(ids), "--yes", "--format", "json",
                *extra)
        res = self._run(argv)
        return self._job(res.stdout, res.stderr, res.returncode, f"{action} ({profile})",
                         self._new_job(before), students)

    def resume(self, job_id: int) -> Job:
        res = self._run(("jobs", "resume", str(job_id), "--format", "json"))
        return self._job(res.stdout, res.stderr, res.returncode, f"jobs resume {job_id}",
                         job_id, ())

    def show(self, job_id: int) -> Job:
        res = self._run(("jobs", "show", str(job_id), "--format", "json"))
        return self._job(res.stdout, res.stderr, res.returncode, f"jobs show {job_id}",
                         job_id, ())

    def finish(self, proc: subprocess.Popen[str], what: str, students: Sequence[str],
               before: int | None, timeout: float = RUN_TIMEOUT_S) -> Job:
        """Wait for a started job's CLI; ``before``: the PC's latest job id before it."""
        out, err = proc.communicate(timeout=timeout)
        return self._job(out, err, proc.returncode, what, self._new_job(before), students)

    def _new_job(self, before: int | None) -> int | None:
        latest = self.journal.latest_job()
        return latest if latest is not None and latest != before else None

    def _job(self, out: str, err: str, code: int, what: str, job_id: int | None,
             students: Sequence[str]) -> Job:
        """The job as printed; a CLI that crashed (exit status other than 0/1, a traceback,
        no JSON) is noted in ``errors`` and its job read from the journal instead (every
        record it could not decide "pending"; every student "pending" when it made no job)."""
        try:
            job: Job | None = Job.parse(out)
        except (ValueError, KeyError, TypeError):
            job = None
        if job is None or code not in (0, 1) or "Traceback" in err:
            self.errors.append(f"[{self.name}] {what} exited {code}: {tail(err)}")
        if job is None:
            if job_id is None:
                return Job(0, "missing", [{"student_no": s, "outcome": "pending",
                                           "reason": "", "card_id": None} for s in students])
            return self.journal.job(job_id)
        return job

    # -- profiles ---------------------------------------------------------------------------

    def add_profile(self, name: str, kind: str, *flags: str, secrets: Sequence[str] = ()
                    ) -> None:
        stdin = "".join(s + "\n" for s in secrets)
        extra = ("--secret-stdin",) if secrets else ()
        self.run("profiles", "add", name, "--kind", kind, *flags, *extra, "--replace",
                 stdin=stdin, ok=(0,))

    def tune_profile(self, name: str, **options: Any) -> None:
        """Set options that have no ``profiles add`` flag (kintone's bulkRequest size) in the
        PC's profiles.json, through the program's own ConfigStore."""
        store = ConfigStore(self.paths)
        profile = store.get_profile(name)
        profile.options.update(options)
        store.save_profile(profile)


def add_backend_profile(pc: Pc, backend: str, target: SandboxInfo | Path, *,
                        settle_s: float | None = None, timeout_s: float | None = None,
                        concurrency: int | None = None) -> str:
    """Add the profile for ``backend`` on ``pc`` as the README does it (secrets through stdin
    into the keyring; fields found by label and the connection checked by ``profiles add``);
    returns the name to pass as --profile."""
    timeout: tuple[str, ...] = ("--timeout", f"{timeout_s:g}") if timeout_s is not None else ()
    if concurrency is not None:
        timeout += ("--concurrency", str(concurrency))
    settle = ("--set", f"settle_s={settle_s:g}") if settle_s is not None else ()
    if backend == "local":
        assert isinstance(target, Path)
        pc.add_profile("shared", "local", "--database", str(target))
        return "shared"
    assert isinstance(target, SandboxInfo)
    sb = target
    if backend == "jiandaoyun":
        pc.add_profile("jdy", "jiandaoyun", "--base-url", sb.base_url, "--app-id", sb.app_id,
                       "--students-entry", sb.students_entry_id,
                       "--cards-entry", sb.cards_entry_id, *timeout, secrets=[sb.api_key])
        if settle_s is not None:  # no `profiles add` flag for it on 简道云
            pc.tune_profile("jdy", settle_s=settle_s)
        return "jdy"
    if backend == "kintone":
        pc.add_profile("kin", "kintone", "--base-url", sb.base_url,
                       "--students-app", sb.students_app, "--cards-app", sb.cards_app,
                       *timeout, secrets=[sb.students_token, sb.cards_token])
        return "kin"
    shenbi = ("--base-url", sb.base_url, "--app-code", sb.app_code,
              "--students-object", sb.students_object, "--cards-object", sb.cards_object,
              "--set", f"service={sb.service}", "--set", f"version={sb.version}")
    if backend == "shenbi":
        pc.add_profile("sb", "shenbi", *shenbi, *settle, *timeout,
                       secrets=[sb.secret_id, sb.secret_key])
        return "sb"
    assert backend == "ipaas"
    pc.add_profile("flow-read", "shenbi", *shenbi, *settle, *timeout,
                   secrets=[sb.secret_id, sb.secret_key])
    pc.add_profile("flow", "ipaas", "--gateway-url", sb.gateway_url,
                   "--read-profile", "flow-read", "--token-header", "X-Gateway-Token",
                   *settle, *timeout, secrets=[sb.gateway_token])
    return "flow"


def start_together(runs: Sequence[tuple[Pc, Sequence[str]]], students: Sequence[str],
                   timeout: float = 30.0) -> list[subprocess.Popen[str]]:
    """Start one CLI per (pc, argv) with ``--ids`` on a FIFO, wait until every one has opened
    its FIFO (each is then blocked reading its ids, imports done), then hand all of them their
    ids and close the FIFOs back to back: the processes go on at the same moment."""
    data = ("\n".join(students) + "\n").encode("utf-8")
    assert len(data) < 60_000, "the ids must fit in a pipe buffer"
    procs = []
    fifos = []
    for pc, argv in runs:
        fifo = pc.home / f"ids-{time.monotonic_ns()}.fifo"
        os.mkfifo(fifo)
        fifos.append(fifo)
        procs.append(pc.start(*argv, "--ids", str(fifo)))
    fds = [wait_for(lambda f=fifo, p=proc: _open_writer(f, p), timeout,
                    "the CLIs to open their ids files")
           for fifo, proc in zip(fifos, procs, strict=True)]
    for fd in fds:
        os.write(fd, data)
    for fd in fds:  # EOF for every reader at (nearly) the same instant
        os.close(fd)
    return procs


def _open_writer(fifo: Path, proc: subprocess.Popen[str]) -> int | None:
    """The FIFO opened for writing, or None while its CLI has not opened it for reading."""
    if proc.poll() is not None:
        out, err = proc.communicate()
        raise AssertionError(f"the CLI exited ({proc.returncode}) before reading its ids: {err}")
    try:
        return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno != errno.ENXIO:  # ENXIO: no reader yet
            raise
        return None


def add_profiles(pcs: Sequence[Pc], backend: str, target: SandboxInfo | Path,
                 **options: Any) -> list[str]:
    """``add_backend_profile`` on every PC, the PCs at the same time (as their operators
    would); the profile names, in order."""
    with ThreadPoolExecutor(len(pcs)) as pool:
        return list(pool.map(lambda pc: add_backend_profile(pc, backend, target, **options),
                             pcs))
