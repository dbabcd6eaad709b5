"""Run ``campuscard-cli`` in a child process and learn that process's own peak memory.

``ru_maxrss`` from ``wait4`` is not that figure on Linux: exec keeps the high-water mark of the
image it replaces (the forking test process, or a benchmark that just built a large file), so a
child of a big parent reports the parent's size. ``VmHWM`` in ``/proc/self/status`` belongs to
the new image alone; the child writes it to a file as it exits. Elsewhere ``ru_maxrss`` is used.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """\
import atexit, os, sys
def _peak():
    try:
        with open('/proc/self/status') as f:
            kib = next(int(line.split()[1]) for line in f if line.startswith('VmHWM:'))
    except (OSError, StopIteration):
        import resource
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if sys.platform == 'darwin':
            kib //= 1024
    with open(os.environ['CAMPUSCARD_PEAK_FILE'], 'w') as out:
        out.write(str(kib))
atexit.register(_peak)
from campuscard_gui.cli import main
sys.exit(main(sys.argv[1:]))
"""


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float


def run_cli_measured(args: list[str], env: dict[str, str] | None = None,
                     timeout: float = 600) -> Measured:
    """``campuscard-cli ARGS`` in a fresh interpreter: its exit, output and own peak RSS."""
    child_env = dict(os.environ if env is None else env)
    child_env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), child_env.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory(prefix="peak-") as tmp:
        peak_file = Path(tmp) / "peak"
        child_env["CAMPUSCARD_PEAK_FILE"] = str(peak_file)
        proc = subprocess.run([sys.executable, "-c", _CHILD, *args], env=child_env,
                              capture_output=True, timeout=timeout, check=False)
        kib = int(peak_file.read_text()) if peak_file.is_file() else 0
    return Measured(proc.returncode, proc.stdout.decode("utf-8", "replace"),
                    proc.stderr.decode("utf-8", "replace"), kib / 1024)
