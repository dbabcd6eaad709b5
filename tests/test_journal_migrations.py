"""Versioned SQLite files (config/sqlite_schema.py) for the journal and the local store:
files written by an earlier main (tests/fixtures/main_v2) open unchanged and read back whole; an
older file is backed up, then migrated in one transaction; a newer one is refused untouched; a
broken journal is moved aside with a notice; unknown values read as errors; and on a full disk
or a read-only folder the history can still be read."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import importlib.util
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from campuscard_gui.backends.local import store
from campuscard_gui.backends.local.connector import LocalConnector
from campuscard_gui.batch import BatchRunner, JobState, Journal
from campuscard_gui.batch.journal import SCHEMA, SCHEMA_VERSION
from campuscard_gui.cli.commands import main
from campuscard_gui.config import Paths
from campuscard_gui.config.sqlite_schema import Schema, ensure_schema
from campuscard_gui.core.errors import CampusCardError, ConnectorError, FatalError
from campuscard_gui.core.model import Action
from campuscard_gui.core.outcomes import Failed
from campuscard_gui.core.plan import plan_action

FIXTURES = Path(__file__).parent / "fixtures" / "main_v2"
_SPEC = importlib.util.spec_from_file_location("dump_expected", FIXTURES / "dump_expected.py")
assert _SPEC is not None and _SPEC.loader is not None
_DUMP = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_DUMP)
EXPECTED: dict[str, Any] = json.loads((FIXTURES / "expected.json").read_text("utf-8"))


def encode(o: Any) -> Any:
    """What tests/fixtures/main_v2/dump_expected.py wrote for the same objects (its own
    encoder, so the comparison cannot drift from how expected.json was made)."""
    return _DUMP.enc(o)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data(paths: Paths) -> Path:
    """The fixture files copied into this test's data dir (the CLI's CAMPUSCARD_DATA_DIR)."""
    for name in ("journal.sqlite3", "local.sqlite3"):
        shutil.copyfile(FIXTURES / name, paths.data_dir / name)
    return paths.data_dir


def read_all(journal: Journal) -> dict[str, Any]:
    jobs = journal.list_jobs()
    out = {"jobs": [encode(j) for j in jobs], "records": {}, "chunks": {}}
    for j in jobs:
        out["records"][str(j.job_id)] = encode(journal.records(j.job_id))
        out["chunks"][str(j.job_id)] = encode(journal.chunks(j.job_id))
    for job in out["jobs"]:
        assert job.pop("unknown") == 0  # a field added since: none of the fixture's is unknown
    return out


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


# -- files written by the earlier main ---------------------------------------------------------

def test_the_fixture_journal_opens_without_a_write_and_reads_back_whole(data: Path) -> None:
    path = data / "journal.sqlite3"
    before = sha(path)
    with Journal(path) as journal:
        assert journal.notice is None and journal.migrated_from is None
        got = read_all(journal)
    assert got == {k: EXPECTED[k] for k in ("jobs", "records", "chunks")}
    assert sha(path) == before  # at the current version nothing is written
    assert not list(data.glob("*.bak"))
    # every kind of record is in the fixture: done, cancelled, failed, skipped, a retry child,
    # an unfinished job with a chunk sent and a claim row of another PC
    states = {j["job_id"]: j["state"] for j in got["jobs"]}
    assert states == {1: "done", 2: "done", 3: "cancelled", 4: "done", 5: "running"}
    assert got["jobs"][1]["parent_job_id"] == 3 and got["jobs"][1]["failed"] == 3
    assert [c["state"] for c in got["chunks"]["5"]] == ["sent", "pending", "pending"]


def test_the_fixture_store_opens_without_a_write_and_reads_back_whole(data: Path) -> None:
    path = data / "local.sqlite3"
    before = sha(path)
    assert user_version(path) == 0  # written before user_version: dated by its meta row
    conn = LocalConnector(path)
    try:
        assert encode(conn.list_rows()) == EXPECTED["students"]
    finally:
        conn.close()
    assert sha(path) == before and not list(data.glob("*.bak"))


def test_the_fixture_job_resumes_after_opening(data: Path) -> None:
    """The unfinished job of the old journal (its claim row names another PC) can be taken
    over and finished with today's code."""
    with Journal(data / "journal.sqlite3") as journal:
        conn = LocalConnector(data / "local.sqlite3")
        try:
            info = BatchRunner(conn, journal).run(5, take_over=True)
        finally:
            conn.close()
        assert info.state is JobState.DONE and info.succeeded == 5
        assert journal.holder(5) is None  # released


# -- migrating --------------------------------------------------------------------------------

def _as_version_1(path: Path) -> None:
    """What a version 1 journal looked like: no chunks.open_ms."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("ALTER TABLE chunks DROP COLUMN open_ms")
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
    finally:
        conn.close()


def test_a_version_1_journal_is_backed_up_then_migrated(data: Path) -> None:
    path = data / "journal.sqlite3"
    _as_version_1(path)
    with Journal(path) as journal:
        assert journal.migrated_from == 1 and journal.notice is None
        got = read_all(journal)
    assert user_version(path) == SCHEMA_VERSION
    assert got["jobs"] == EXPECTED["jobs"] and got["records"] == EXPECTED["records"]
    for job, chunks in got["chunks"].items():  # the open times were not in version 1
        assert chunks == [{**c, "open_ms": None} for c in EXPECTED["chunks"][job]]

    backup = data / "journal.sqlite3.v1.bak"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert user_version(backup) == 1
    conn = sqlite3.connect(backup)
    try:
        assert "open_ms" not in {r[1] for r in conn.execute("PRAGMA table_info(chunks)")}
        assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == sum(
            len(r) for r in EXPECTED["records"].values())
    finally:
        conn.close()
    with Journal(path) as again:  # once migrated, opening writes nothing more
        assert again.migrated_from is None
    assert sorted(p.name for p in data.glob("*.bak")) == ["journal.sqlite3.v1.bak"]


def test_a_failed_migration_leaves_the_file_as_it_was(data: Path) -> None:
    path = data / "journal.sqlite3"
    before = sha(path)

    def half_then_boom(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE jobs ADD COLUMN note TEXT")
        raise sqlite3.OperationalError("database or disk is full")

    future = Schema(what="任务日志", code="journal", version=3, create=SCHEMA.create,
                    steps=(*SCHEMA.steps, half_then_boom))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError):
            ensure_schema(conn, path, future)
        assert not conn.in_transaction
    finally:
        conn.close()
    assert user_version(path) == 2
    assert sha(path) == before
    assert (data / "journal.sqlite3.v2.bak").is_file()
    with Journal(path) as journal:
        assert len(journal.list_jobs()) == 5


def test_no_migration_without_a_backup(data: Path) -> None:
    path = data / "journal.sqlite3"
    _as_version_1(path)
    before = sha(path)
    (data / "journal.sqlite3.v1.bak.tmp").mkdir()  # the backup cannot be written
    with pytest.raises(CampusCardError) as err:
        Journal(path)
    assert err.value.code == "journal" and "无法先备份" in err.value.message
    assert user_version(path) == 1 and sha(path) == before


def test_a_journal_from_a_newer_program_is_refused_untouched(data: Path, capsys) -> None:
    path = data / "journal.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = sha(path)
    with pytest.raises(CampusCardError) as err:
        Journal(path)
    assert err.value.code == "journal" and "更新版本" in err.value.message
    assert main(["jobs", "list"]) == 3
    assert "更新版本" in capsys.readouterr().err
    assert sha(path) == before
    assert not list(data.glob("*.broken-*")) and not list(data.glob("*.bak"))


def test_a_store_step_backs_up_and_migrates_and_the_program_then_refuses_it(
        data: Path) -> None:
    """The store has no second version yet: a made-up one shows the path a real one takes."""
    path = data / "local.sqlite3"
    v2 = dataclasses.replace(store.SCHEMA, version=2, steps=(
        "ALTER TABLE students ADD COLUMN note TEXT NOT NULL DEFAULT '';\n"
        "UPDATE meta SET value = '2' WHERE key = 'schema_version';\n",))
    store.open_db(path, v2).close()
    assert user_version(path) == 2
    backup = data / "local.sqlite3.v1.bak"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    conn = LocalConnector(backup)  # the backup is the old file, whole
    try:
        assert encode(conn.list_rows()) == EXPECTED["students"]
    finally:
        conn.close()
    with pytest.raises(FatalError) as err:  # today's program: the file is from a newer one
        LocalConnector(path).list_rows()
    assert err.value.code == "store" and "更新版本" in err.value.message


def test_a_new_store_is_at_the_current_version(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    store.init_demo(path, 5)
    assert user_version(path) == store.SCHEMA_VERSION
    before = sha(path)
    LocalConnector(path).close()
    assert sha(path) == before


# -- broken journals --------------------------------------------------------------------------

def test_a_zero_length_journal_is_moved_aside_and_said(paths: Paths, capsys) -> None:
    path = paths.journal_path
    path.write_bytes(b"")
    assert main(["jobs", "list"]) == 0
    err = capsys.readouterr().err
    (aside,) = paths.data_dir.glob("journal.sqlite3.broken-*")
    assert aside.stat().st_size == 0
    assert "注意" in err and "0 字节" in err and aside.name in err
    with Journal(path) as journal:  # a new journal, usable, and nothing more to say
        assert journal.notice is None
        assert journal.create_job(plan_action(Action.OPEN, []), profile="p", operator="o",
                                  chunk_size=1) == 1


def test_a_damaged_journal_and_its_log_are_moved_aside(paths: Paths) -> None:
    path = paths.journal_path
    path.write_bytes(b"\x00garbage, not SQLite" * 300)
    Path(f"{path}-wal").write_bytes(b"wal bytes")
    with Journal(path) as journal:
        assert journal.notice is not None and "已移到" in journal.notice
        assert journal.list_jobs() == []
    (aside,) = paths.data_dir.glob("journal.sqlite3.broken-*[0-9]")
    assert aside.read_bytes() == b"\x00garbage, not SQLite" * 300
    assert Path(f"{aside}-wal").read_bytes() == b"wal bytes"


def test_a_folder_in_the_way_is_an_error_not_a_move(tmp_path: Path) -> None:
    with pytest.raises(CampusCardError) as err:
        Journal(tmp_path)
    assert err.value.code == "journal"
    assert not list(tmp_path.parent.glob("*.broken-*"))


# -- unknown values ---------------------------------------------------------------------------

def _spoil(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executescript("""
            UPDATE records SET outcome = 'exploded' WHERE job_id = 3 AND position = 5;
            UPDATE jobs SET state = 'paused' WHERE id = 2;
            UPDATE records SET reason = NULL WHERE job_id = 1 AND position = 10;
            UPDATE records SET from_status = 'melted' WHERE job_id = 5 AND position = 0;
        """)
    finally:
        conn.close()


def test_unknown_values_read_as_errors_never_as_outcomes(data: Path) -> None:
    path = data / "journal.sqlite3"
    _spoil(path)
    with Journal(path) as journal:
        problems: list[str] = []
        assert [j.job_id for j in journal.list_jobs(problems=problems)] == [5, 4, 3, 1]
        assert len(problems) == 1 and "任务 2" in problems[0] and "paused" in problems[0]
        with pytest.raises(CampusCardError) as err:
            journal.job(2)
        assert err.value.code == "journal_value"

        job3 = journal.job(3)
        assert (job3.cancelled, job3.failed, job3.unknown) == (7, 1, 1)  # was 8 cancelled
        rec = journal.records(3)[5]
        assert isinstance(rec.outcome, Failed) and rec.outcome.code == "unknown_value"
        assert "exploded" in rec.outcome.message
        skip = journal.records(1)[10]
        assert isinstance(skip.outcome, Failed) and "reason=None" in skip.outcome.message
        assert journal.records(5)[0].outcome == Failed(
            "unknown_value", "任务日志中有本程序无法识别的值：from_status='melted'")

        with pytest.raises(CampusCardError) as err:
            journal.check_readable(5)
        assert err.value.code == "journal_value" and "melted" in err.value.message
        before = sha(data / "local.sqlite3")
        conn = LocalConnector(data / "local.sqlite3")
        try:
            with pytest.raises(CampusCardError, match="melted"):
                BatchRunner(conn, journal).run(5, take_over=True)
        finally:
            conn.close()
        assert journal.job(5).pending == 5 and journal.holder(5).host == "old-pc-name"
    assert sha(data / "local.sqlite3") == before  # nothing was sent


def test_the_cli_prints_a_message_per_bad_row_not_a_traceback(data: Path, capsys) -> None:
    _spoil(data / "journal.sqlite3")
    assert main(["jobs", "list"]) == 1
    out, err = capsys.readouterr()
    assert "错误：任务 2" in err and "paused" in err and "Traceback" not in err
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["5", "4", "3", "1"]

    assert main(["jobs", "show", "3"]) == 1
    out, err = capsys.readouterr()
    assert "记录 5" in err and "exploded" in err and "Traceback" not in err

    assert main(["jobs", "show", "2"]) == 3  # the job itself cannot be read: nothing shown
    assert "paused" in capsys.readouterr().err

    for argv in (["jobs", "resume", "5", "--take-over"],
                 ["jobs", "discard", "5", "--yes", "--take-over"]):
        assert main(argv) == 3  # refused before anything is sent
        err = capsys.readouterr().err
        assert "melted" in err and "不能执行" in err and "Traceback" not in err


# -- a full disk, a read-only folder ----------------------------------------------------------

@contextlib.contextmanager
def small_tmpfs(where: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs at ``where`` (root only); skips the test where it cannot be mounted."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        pytest.skip(f"mount not permitted: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with pytest.raises(OSError) as full:
            while True:
                os.write(fd, b"\0" * 4096)
        assert full.value.errno == errno.ENOSPC
    finally:
        os.close(fd)
    with pytest.raises(OSError) as err:  # full indeed
        (folder / "one-more").write_bytes(b"x" * 8192)
    assert err.value.errno == errno.ENOSPC


def cli(data: Path, config: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CAMPUSCARD_DATA_DIR": str(data), "CAMPUSCARD_CONFIG_DIR": str(config)}
    return subprocess.run([sys.executable, "-m", "campuscard_gui.cli.commands", *argv],
                          env=env, capture_output=True, text=True, timeout=60, check=False)


def _history_still_reads(data: Path, config: Path, why: str) -> None:
    listed = cli(data, config, "jobs", "list")
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == \
        ["5", "4", "3", "2", "1"]
    assert "只读" in listed.stderr and why in listed.stderr
    shown = cli(data, config, "jobs", "show", "3", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["job_id"] == 3
    resumed = cli(data, config, "jobs", "resume", "5", "--take-over")
    assert resumed.returncode == 3 and "任务日志现在只能读取" in resumed.stderr
    assert "Traceback" not in resumed.stderr


def test_a_full_disk_still_lists_and_shows_jobs(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "disk") as disk:
        shutil.copyfile(FIXTURES / "journal.sqlite3", disk / "journal.sqlite3")
        fill(disk)
        before = sha(disk / "journal.sqlite3")
        _history_still_reads(disk, tmp_path / "config", "")
        assert sha(disk / "journal.sqlite3") == before
        assert not list(disk.glob("*.broken-*"))  # a full disk is not a broken journal


def test_a_read_only_folder_still_lists_and_shows_jobs(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "disk") as disk:
        shutil.copyfile(FIXTURES / "journal.sqlite3", disk / "journal.sqlite3")
        done = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True,
                              text=True, check=False)
        if done.returncode:
            pytest.skip(f"remount read-only not permitted: {done.stderr.strip()}")
        _history_still_reads(disk, tmp_path / "config", "")


def test_connector_errors_keep_their_codes(tmp_path: Path) -> None:
    """The store's other refusals are unchanged by the migration helper."""
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    with pytest.raises(ConnectorError) as err:
        LocalConnector(empty).list_rows()
    assert err.value.code == "not_ours"
