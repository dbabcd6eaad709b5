"""A backend's sandbox as a subprocess for the benches (``python -m campuscard_gui.sandbox.cli``):
the server does not share the bench's GIL, as a real server does not share the window's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def sandbox_process(backend: str, students: int, latency_ms: float,
                    *extra: str) -> Iterator[dict[str, Any]]:
    """Run the sandbox until the block ends; yield its start line (base_url, ids, secrets)."""
    cmd = [sys.executable, "-m", "campuscard_gui.sandbox.cli", "--backend", backend,
           "--students", str(students), "--latency-ms", str(latency_ms), *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        if not first:
            raise RuntimeError("the sandbox did not start")
        yield json.loads(first)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
