"""What ``campuscard-cli`` costs for a whole school: a freeze of every student of a local
profile, printed as a table and as JSON, each in a fresh process whose own peak RSS is read
(``tests/peak_memory.py``).

    python tests/bench/bench_cli.py [--students 100000] [--json]

Each format's job freezes the students and a second job unfreezes them again, so both
formats run the same job. It is a measurement, not a test: it prints the figures and exits 0
unless a command failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from peak_memory import run_cli_measured  # noqa: E402

FORMATS = ("table", "json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    env = {**os.environ, "CAMPUSCARD_CONFIG_DIR": str(work / "config"),
           "CAMPUSCARD_DATA_DIR": str(work / "data"), "CAMPUSCARD_LANG": "en"}
    os.environ.update(env)
    from campuscard_gui.backends.local.store import init_demo
    from campuscard_gui.config import Paths

    paths = Paths.from_env().ensure()
    db = paths.local_db_path("local")
    init_demo(db, students=args.students, seed=7)
    with sqlite3.connect(db) as conn:
        nos = [row[0] for row in conn.execute("SELECT student_no FROM students")]
    ids = work / "ids.txt"
    ids.write_text("\n".join(nos), encoding="utf-8")

    figures: dict[str, dict[str, float]] = {}
    failed = False
    for fmt in FORMATS:
        started = time.perf_counter()
        job = run_cli_measured(["freeze", "--ids", str(ids), "--yes", "--format", fmt], env)
        seconds = time.perf_counter() - started
        back = run_cli_measured(["unfreeze", "--ids", str(ids), "--yes", "--format", fmt], env)
        failed |= job.returncode != 0 or back.returncode != 0
        figures[fmt] = {"peak_mb": round(job.peak_mb, 1), "seconds": round(seconds, 1),
                        "output_mb": round(len(job.stdout.encode()) / 1e6, 1)}

    print(f"campuscard-cli freeze of {args.students:,} students (a fresh process each)")
    for fmt, fig in figures.items():
        print(f"  --format {fmt:<6} peak RSS {fig['peak_mb']:7.1f} MB   {fig['seconds']:6.1f} s"
              f"   output {fig['output_mb']:.1f} MB")
    if args.json:
        print(json.dumps({"students": args.students, "formats": figures}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
