"""Build the self-contained folder operators install: no Python or pip needed on the target.

    python tools/build_bundle.py [--dist DIR] [--work DIR]

Writes ``dist/campuscard-gui/`` holding ``campuscard-gui`` (the window), ``campuscard-cli`` and
``campuscard-sandbox`` (the rehearsal servers), with Python, Qt, the translations and the icons
inside (``_internal/``). PyInstaller (one folder, see tools/bundle/campuscard.spec) does the
freezing: it is the most used freezer for PySide6 programs, builds in minutes without a C
compiler (Nuitka needs one and builds for much longer on 2 cores), and one spec gives three
executables that share a single copy of Qt (pyside6-deploy makes one program per build).

Needs the ``build`` extra: ``pip install -e '.[build]'``. Linux builds here; Windows and macOS
are built on their own platforms with the same command (and signed there).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "campuscard-gui"
EXECUTABLES = ("campuscard-gui", "campuscard-cli", "campuscard-sandbox")


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path) -> Path:
    """Build into ``dist``/campuscard-gui and return that folder."""
    sys.path.insert(0, str(ROOT))
    try:
        from campuscard_gui import __version__
        from campuscard_gui.i18n import compile_catalogues
    finally:
        sys.path.pop(0)
    qm_dir = work / "qm"
    compile_catalogues(ROOT / "resources" / "translations", qm_dir)
    env = dict(os.environ, CAMPUSCARD_ROOT=str(ROOT), CAMPUSCARD_QM_DIR=str(qm_dir),
               CAMPUSCARD_VERSION=__version__)
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work / "pyinstaller"),
         str(ROOT / "tools" / "bundle" / "campuscard.spec")],
        check=True, env=env, cwd=ROOT)
    out = dist / NAME
    shutil.copyfile(ROOT / "LICENSE", out / "LICENSE")
    suffix = ".exe" if sys.platform == "win32" else ""
    missing = [n for n in EXECUTABLES if not (out / (n + suffix)).is_file()]
    if missing:
        raise SystemExit(f"the bundle lacks {', '.join(missing)}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="where the folder is written (default: dist/)")
    parser.add_argument("--work", type=Path, default=None,
                        help="PyInstaller's work folder (default: a temporary one)")
    args = parser.parse_args(argv)
    start = time.monotonic()
    if args.work is not None:
        out = build(args.dist.resolve(), args.work.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="campuscard-build-") as work:
            out = build(args.dist.resolve(), Path(work))
    print(f"{out}: {folder_size(out) / 1e6:.0f} MB, built in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
