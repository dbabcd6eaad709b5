"""Fixtures for the reliability tests (issue 9): a private D-Bus session with gnome-keyring for
the whole run, operators' PCs (``pc("A")``), one backend per test (a sandbox started here on
127.0.0.1, or a shared local database file), and the report of the counts each scenario saw.

The counts are printed at the end of the run (terminal summary) and, when the environment
variable RELIABILITY_REPORT names a file, appended to it as JSON lines.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring_session import KeyringSession, missing_binaries, start_session
from rel_cli import Pc
from rel_scenarios import Counts, World, local_school, make_world, sandbox_students

from campuscard_gui.sandbox import (
    JdySettings,
    KintoneSettings,
    ShenbiSettings,
    start_sandbox,
)

SEED = 9
REPORT_ENV = "RELIABILITY_REPORT"
_ROWS: list[Counts] = []


@pytest.fixture(scope="session")
def keyring_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a private session bus with an unlocked gnome-keyring on it."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the CLI's secrets are kept in the Linux Secret Service here")
    missing = missing_binaries()
    if missing:
        why = (f"the reliability tests need {', '.join(missing)}"
               " (apt-get install dbus gnome-keyring)")
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(why + " — required under CI", pytrace=False)
        pytest.skip(why)
    session: KeyringSession = start_session(tmp_path_factory.mktemp("keyring"))
    try:
        yield dict(session.env)
    finally:
        session.close()


@pytest.fixture
def pc(keyring_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[[str], Pc]]:
    """``pc("A")``: an operator's PC with its own config and data dirs; any CLI it started
    that is still running after the test is SIGKILLed."""
    made: list[Pc] = []

    def make(name: str) -> Pc:
        made.append(Pc(tmp_path / "pcs", name, keyring_env))
        return made[-1]

    yield make
    for p in made:
        p.stop_all()


def _settings(backend: str, hold_s: float) -> Any:
    if backend == "jiandaoyun":
        return JdySettings(fault_timeout_s=hold_s, timeout_apply="after")
    if backend == "kintone":
        return KintoneSettings(fault_timeout_s=hold_s)
    return ShenbiSettings(fault_timeout_s=hold_s, timeout_apply="after")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[Callable[..., World]]:
    """``world(backend, students, hold_s=…)``: the backend with a demo school of ``students``
    and no cards: a sandbox on 127.0.0.1 (whose "timeout" fault holds a write ``hold_s`` and
    then applies it), or for ``local`` a database file both PCs' profiles point at. Stopped
    after the test."""
    running: list[Any] = []
    worlds: list[World] = []

    def make(backend: str, students: int, *, hold_s: float = 30.0, **options: Any) -> World:
        if backend == "local":
            db = tmp_path / "shared-drive" / "campuscard.sqlite3"
            made = make_world(backend, db, local_school(db, students, SEED))
        else:
            sb = start_sandbox(backend, students=students, seed=SEED,
                               settings=_settings(backend, hold_s), **options)
            running.append(sb)
            made = make_world(backend, sb.info, sandbox_students(students, SEED))
        worlds.append(made)
        return made

    yield make
    for w in worlds:
        w.view.close()
    for sb in running:
        sb.stop()


@pytest.fixture(scope="session")
def report() -> Callable[[Counts], None]:
    """Record a scenario's counts (call before asserting, so a failing run reports too)."""
    path = os.environ.get(REPORT_ENV)

    def add(counts: Counts) -> None:
        _ROWS.append(counts)
        print(counts)
        if path:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(counts.row(), ensure_ascii=False) + "\n")

    return add


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _ROWS:
        return
    tr = terminalreporter
    tr.section("reliability counts (per backend and scenario)")
    head = ("backend", "scenario", "students", "dup", "revived", "skip-chg", "undecided")
    tr.write_line(f"{head[0]:<11}{head[1]:<36}{head[2]:>9}{head[3]:>5}{head[4]:>8}"
                  f"{head[5]:>9}{head[6]:>10}  other")
    for c in _ROWS:
        other = ", ".join(f"{k}={v}" for k, v in c.extra.items())
        tr.write_line(f"{c.backend:<11}{c.scenario:<36}{c.students:>9}{c.duplicates:>5}"
                      f"{c.revived:>8}{c.skipped_changed:>9}{c.undecided:>10}  {other}")
