"""What the CLI prints while a job runs: progress on a terminal, and the wait for unanswered
writes everywhere (a script's log must explain a long pause)."""

from __future__ import annotations

import io
from pathlib import Path

from campuscard_gui.batch import Progress
from campuscard_gui.cli.commands import _progress_printer
from campuscard_gui.cli.common import Context
from campuscard_gui.config.paths import Paths
from campuscard_gui.config.settings import ConfigStore


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def printer(tmp_path: Path, stderr: io.StringIO):  # type: ignore[no-untyped-def]
    paths = Paths(config_dir=tmp_path / "c", data_dir=tmp_path / "d", log_dir=tmp_path / "l")
    ctx = Context(paths, ConfigStore(paths), None, io.StringIO(), io.StringIO(), stderr)
    return _progress_printer(ctx)


def progress(done: int, waiting: float = 0.0) -> Progress:
    return Progress(1, 100, done, done, 0, 0, 0, 2.0, done, waiting)


def test_a_script_sees_each_wait_once_and_no_progress(tmp_path: Path) -> None:
    err = io.StringIO()
    show = printer(tmp_path, err)
    for p in (progress(10), progress(10, 41.2), progress(10, 40.1), progress(10, 0.0),
              progress(50), progress(50, 12.0)):
        show(p)
    assert err.getvalue().splitlines() == ["等待未应答的写入落定，还需 42 秒",
                                           "等待未应答的写入落定，还需 12 秒"]


def test_a_terminal_sees_the_countdown_and_the_progress(tmp_path: Path) -> None:
    err = Terminal()
    show = printer(tmp_path, err)
    show(progress(10, 2.5))
    show(progress(10, 1.5))
    show(progress(100))
    text = err.getvalue()
    assert "还需 3 秒" in text and "还需 2 秒" in text and "已处理 100/100" in text


def test_every_retry_wait_is_said_to_a_script(tmp_path: Path) -> None:
    """A server that is down or a rate limit: each retry wait is one line in a script's log
    (a pause of the job is never silent), then the settle wait once."""
    from campuscard_gui.batch import Wait, WaitKind

    err = io.StringIO()
    show = printer(tmp_path, err)
    for wait in (Wait(WaitKind.NETWORK, 0.4, 2, "无法连接"), None,
                 Wait(WaitKind.NETWORK, 1.2, 3, "无法连接"), None,
                 Wait(WaitKind.RATE_LIMITED, 1.0, 2, "8303"), None):
        show(Progress(1, 100, 0, 0, 0, 0, 0, 1.0, 0, wait=wait))
    show(progress(0, 9.5))
    show(progress(0, 8.5))
    assert err.getvalue().splitlines() == [
        "网络中断，1 秒后重试（第 2 次）", "网络中断，2 秒后重试（第 3 次）",
        "限流，1 秒后重试（第 2 次）", "等待未应答的写入落定，还需 10 秒"]
