"""Compiles the Qt translation catalogues (.ts -> .qm) into the package when it is built, and
copies in the message catalogues (resources/translations/<lang>/*.po) and the icons
(resources/icons), so that an installed copy or a bundle carries them.

Everything else about the package is in pyproject.toml.
"""

import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithTranslations(build_py):
    def run(self) -> None:
        super().run()
        resources = Path(__file__).resolve().parent / "resources"
        ts_dir = resources / "translations"
        out = Path(self.build_lib) / "campuscard_gui" / "translations"
        for po in sorted(ts_dir.glob("*/*.po")):
            target = out / po.parent.name / po.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(po, target)
        icons = Path(self.build_lib) / "campuscard_gui" / "icons"
        for icon in sorted((resources / "icons").rglob("*")):
            if icon.is_file():
                target = icons / icon.relative_to(resources / "icons")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(icon, target)
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
