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
