"""campuscard-sandbox without its extra says how to install it; with it, it runs the servers."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from campuscard_gui.cli import sandbox_command
from campuscard_gui.core.text import has_cjk

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_without_the_server_libraries_it_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "uvicorn" else real(name, *a))
    monkeypatch.setenv("LANGUAGE", lang)
    assert sandbox_command.main(["--backend", "jiandaoyun"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'campuscard-gui[sandbox]'" in err and "uvicorn" in err
    assert has_cjk(err) == (lang == "zh_CN")


def test_with_them_it_serves_and_prints_its_line() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "campuscard_gui.cli.sandbox_command",
                             "--backend", "jiandaoyun", "--students", "5"],
                            stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert proc.stdout is not None
        line = json.loads(proc.stdout.readline())
        assert line["backend"] == "jiandaoyun" and line["base_url"].startswith("http://127.")
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
