"""Benchmark of the student import: time and peak memory of ``campuscard-cli local import``.

    python tests/bench/bench_import.py [--rows 1000000] [--xlsx-rows 100000] [--json]

Generates a CSV of ``--rows`` students (and, unless ``--xlsx-rows 0``, an XLSX of
``--xlsx-rows``) in a temporary directory, then imports each through the real command line
(``python -m campuscard_gui.cli local import FILE --yes``) into a fresh local database, in a
child process whose own peak RSS is reported (``VmHWM`` read by the child itself as it exits,
see tests/peak_memory.py), so the generator's memory does not count. When a file has more
rows than the import's default cap, the cap is raised with ``--max-rows`` (the figure is the
point). Prints figures; exits 0 unless an import failed (it is a measurement, not a test).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from peak_memory import run_cli_measured  # noqa: E402

from campuscard_gui.importing import DEFAULT_LIMITS  # noqa: E402

STATUSES = ("在读", "在读", "在读", "休学", "退学", "毕业")
COLLEGES = ("计算机学院", "外国语学院", "理学院", "机械工程学院", "经济管理学院", "艺术学院")
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def student_row(i: int) -> list[str]:
    college = COLLEGES[i % len(COLLEGES)]
    return [f"{2000000000 + i}", SURNAMES[i % 23] + GIVEN[(i // 23) % 23] + GIVEN[(i // 7) % 23],
            college, f"{college[:2]}{24 + i % 4}{i % 30 + 1:02d}", STATUSES[i % len(STATUSES)]]


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["学号", "姓名", "学院", "班级", "学籍状态"])
        for i in range(rows):
            writer.writerow(student_row(i))


def write_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("学生")
    ws.append(["学号", "姓名", "学院", "班级", "学籍状态"])
    for i in range(rows):
        ws.append(student_row(i))
    wb.save(path)


def run_import(path: Path, rows: int, work: Path, pass_cap: bool) -> dict[str, Any]:
    """Import ``path`` through the CLI in a child process: seconds, its peak RSS, its exit."""
    env = dict(os.environ)
    env["CAMPUSCARD_CONFIG_DIR"] = str(work / f"config-{path.suffix[1:]}")
    env["CAMPUSCARD_DATA_DIR"] = str(work / f"data-{path.suffix[1:]}")
    args = ["local", "import", str(path), "--yes"]
    if pass_cap and rows > DEFAULT_LIMITS.max_rows:
        args += ["--max-rows", str(rows)]
    started = time.perf_counter()
    run = run_cli_measured(args, env, timeout=3600)
    seconds = time.perf_counter() - started
    err = run.stderr
    return {"file": path.name, "rows": rows, "bytes": path.stat().st_size,
            "seconds": round(seconds, 2), "peak_rss_mb": round(run.peak_mb, 1),
            "exit": run.returncode, "last_line": err.strip().splitlines()[-1] if err else ""}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="CSV rows (0: none)")
    parser.add_argument("--xlsx-rows", type=int, default=100_000, help="XLSX rows (0: none)")
    parser.add_argument("--no-max-rows", action="store_true",
                        help="never pass --max-rows (to measure a build without it)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        work = Path(tmp)
        files: list[tuple[Path, int]] = []
        if args.rows:
            files.append((work / "students.csv", args.rows))
            write_csv(*files[-1])
        if args.xlsx_rows:
            files.append((work / "students.xlsx", args.xlsx_rows))
            write_xlsx(*files[-1])
        for path, rows in files:
            results.append(run_import(path, rows, work, not args.no_max_rows))
    if args.json:
        print(json.dumps({"imports": results}, ensure_ascii=False))
    else:
        for r in results:
            print(f"{r['file']}: {r['rows']:,} rows, {r['bytes'] / 1e6:.1f} MB — "
                  f"{r['seconds']:.1f} s, peak RSS {r['peak_rss_mb']:.0f} MB "
                  f"(exit {r['exit']}: {r['last_line']})")
    return 0 if all(r["exit"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
