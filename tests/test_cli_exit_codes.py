"""campuscard-cli's exit codes, and the JSON error object a command prints with
``--format json`` when it fails as a whole (README "Exit codes"):

    0 done, no record failed · 1 a record failed / cancelled / unfinished / declined ·
    2 usage · 3 the command failed as a whole · 130 interrupted

A script reads stdout as JSON in every case: the result, or {"error": {"code", "message"}}."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import campuscard_gui
from campuscard_gui.backends.local.connector import LocalConnector
from campuscard_gui.cli.commands import main
from campuscard_gui.cli.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RECORDS,
    EXIT_USAGE,
)
from campuscard_gui.config import Paths
from campuscard_gui.config.credentials import CredentialStore

ROOT = Path(campuscard_gui.__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str,
        creds: CredentialStore | None = None) -> tuple[int, str, str]:
    code = main(list(argv), credentials=creds)
    out, err = capsys.readouterr()
    return code, out, err


def error_of(out: str) -> dict[str, str]:
    """stdout is exactly one JSON error object."""
    obj = json.loads(out)
    assert set(obj) == {"error"} and set(obj["error"]) == {"code", "message"}, obj
    return {k: str(v) for k, v in obj["error"].items()}


def test_the_codes_are_distinct() -> None:
    codes = (EXIT_OK, EXIT_RECORDS, EXIT_USAGE, EXIT_FAILED, EXIT_INTERRUPTED)
    assert codes == (0, 1, 2, 3, 130)


def test_a_listing_the_backend_refuses_is_exit_3_with_a_json_error_and_no_secret(
        paths: Paths, creds: CredentialStore, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from campuscard_gui.sandbox import run_sandbox

    wrong = "jdy-WRONG-key-4c1f9e77"
    with run_sandbox(backend="jiandaoyun", students=20, seed=1) as info:
        monkeypatch.setattr(sys, "stdin", __import__("io").StringIO(wrong + "\n"))
        code, _, err = run(capsys, "profiles", "add", "jdy", "--kind", "jiandaoyun",
                           "--base-url", info.base_url, "--app-id", info.app_id,
                           "--students-entry", info.students_entry_id,
                           "--cards-entry", info.cards_entry_id, "--secret-stdin",
                           "--no-check", creds=creds)
        assert code == EXIT_OK, err
        code, out, err = run(capsys, "--profile", "jdy", "students", "--format", "json",
                             creds=creds)
        assert code == EXIT_FAILED, (out, err)
        error = error_of(out)
        assert error["code"] and error["message"]
        assert f"错误：{error['message']}" in err  # the same words on stderr
        for text in (out, err):
            assert wrong not in text and info.api_key not in text

        # the table format prints nothing on stdout, and the same exit code
        code, out, err = run(capsys, "--profile", "jdy", "students", creds=creds)
        assert (code, out) == (EXIT_FAILED, "") and "错误：" in err


def test_an_unusable_journal_is_exit_3(paths: Paths, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    shutil.rmtree(paths.data_dir)
    paths.data_dir.write_text("not a folder")
    code, out, err = run(capsys, "jobs", "list", "--format", "json")
    assert code == EXIT_FAILED
    assert error_of(out)["code"] == "journal" and "任务日志" in err
    code, out, _ = run(capsys, "jobs", "list")
    assert (code, out) == (EXIT_FAILED, "")


@pytest.mark.parametrize("argv", [
    ("--profile", "nope", "students", "--format", "json"),  # found by the command
    ("students", "--card", "bogus", "--format", "json"),  # found by argparse
    ("students", "--card", "bogus", "--format=json"),
    ("jobs", "show", "999", "--format", "json"),  # no such job
])
def test_usage_errors_are_exit_2_with_a_json_error(
        paths: Paths, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == EXIT_USAGE
    error = error_of(out)
    assert error["code"] == "usage" and error["message"] in err
    assert not error["message"].startswith("usage:")


def test_usage_errors_without_json_print_nothing_on_stdout(
        paths: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "students", "--card", "bogus")
    assert (code, out) == (EXIT_USAGE, "") and "bogus" in err
    code, out, _ = run(capsys, "--help")
    assert code == EXIT_OK and out.startswith("usage:")


@pytest.fixture
def sigint_as_at_a_terminal() -> Iterator[None]:
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_during_a_listing_is_exit_130_with_a_json_error(
        sigint_as_at_a_terminal: None, paths: Paths, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "local", "init", "--students", "50")[0] == EXIT_OK

    class CtrlCWhileReading(LocalConnector):
        def list_rows(self, progress: Any = None) -> Any:
            rows = super().list_rows(progress)
            os.kill(os.getpid(), signal.SIGINT)  # the operator presses Ctrl-C
            return rows

    monkeypatch.setattr("campuscard_gui.cli.common.open_connector",
                        lambda profile, p: CtrlCWhileReading(p.local_db_path(profile.name)))
    code, out, err = run(capsys, "students", "--format", "json")
    assert code == EXIT_INTERRUPTED and "已中断" in err
    assert error_of(out) == {"code": "interrupted", "message": "已中断"}


def test_a_real_process_prints_its_json_error_and_exit_code(tmp_path: Path) -> None:
    data = tmp_path / "file-not-folder"
    data.write_text("x")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSCARD_")}
    env.update(CAMPUSCARD_CONFIG_DIR=str(tmp_path / "config"), CAMPUSCARD_DATA_DIR=str(data))
    done = subprocess.run([sys.executable, "-m", "campuscard_gui.cli", "students",
                           "--format", "json"], env=env, cwd=ROOT, capture_output=True,
                          timeout=60, check=False)
    assert done.returncode == EXIT_FAILED, done.stderr.decode()
    error = error_of(done.stdout.decode("utf-8"))
    assert str(data) in error["message"]
    assert b"Traceback" not in done.stderr
