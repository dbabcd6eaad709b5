"""Compiles the Qt translation catalogues (.ts -> .qm) into the package when it is built.

Everything else about the package is in pyproject.toml.
"""

import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithTranslations(build_py):
    def run(self) -> None:
        super().run()
        ts_dir = Path(__file__).resolve().parent / "resources" / "translations"
        out = Path(self.build_lib) / "campuscard_gui" / "translations"
        try:
            import PySide6  # noqa: F401  (a build requirement; carries lrelease)

            tool = Path(PySide6.__file__).parent / "lrelease"
            out.mkdir(parents=True, exist_ok=True)
            for ts in sorted(ts_dir.glob("*.ts")):
                subprocess.run([str(tool), "-silent", str(ts), "-qm", str(out / (ts.stem + ".qm"))],
                               check=True)
        except (ImportError, OSError, subprocess.CalledProcessError) as exc:
            # The app compiles them on first use from the .ts files as a fallback.
            print(f"warning: translations not compiled at build: {exc}", file=sys.stderr)


setup(cmdclass={"build_py": BuildWithTranslations})
