"""Translations: the .ts catalogues live in ``resources/translations`` (in git); the .qm files
are compiled by the build (setup.py) into ``campuscard_gui/translations``. A source checkout
that was never built compiles them on first use into the user's cache dir with PySide6's own
``lrelease``, so running from a clone shows the same languages as an installed copy.

Source strings are English; ``zh_CN`` and ``en`` ship. The system locale chooses unless the
``--lang`` option or the ``language`` setting says otherwise.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
CATALOGUE = "campuscard"
PACKAGE_QM_DIR = Path(__file__).resolve().parent / "translations"
SOURCE_TS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"


def resolve_language(requested: str | None) -> str:
    """``zh_CN`` or ``en`` from an explicit choice or, when empty, the system locale."""
    name = (requested or "").strip() or QLocale.system().name()
    return "zh_CN" if name.lower().replace("-", "_").startswith("zh") else "en"


def lrelease_path() -> str | None:
    """PySide6's bundled lrelease (or one on PATH)."""
    import PySide6

    for candidate in (Path(PySide6.__file__).parent / "lrelease",):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compile_catalogues(ts_dir: Path, qm_dir: Path) -> list[Path]:
    """Compile every ``*.ts`` in ``ts_dir`` into ``qm_dir``; returns the .qm files written."""
    tool = lrelease_path()
    if tool is None:
        raise RuntimeError("lrelease not found (it ships with PySide6)")
    qm_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for ts in sorted(ts_dir.glob("*.ts")):
        qm = qm_dir / (ts.stem + ".qm")
        subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True)
        written.append(qm)
    return written


def _qm_file(lang: str) -> Path | None:
    name = f"{CATALOGUE}_{lang}.qm"
    packaged = PACKAGE_QM_DIR / name
    ts = SOURCE_TS_DIR / f"{CATALOGUE}_{lang}.ts"
    if packaged.is_file() and (not ts.is_file() or packaged.stat().st_mtime >= ts.stat().st_mtime):
        return packaged
    if not ts.is_file():
        return packaged if packaged.is_file() else None
    cache = Path(platformdirs.user_cache_dir("campuscard-gui", appauthor=False)) / "translations"
    cached = cache / name
    if cached.is_file() and cached.stat().st_mtime >= ts.stat().st_mtime:
        return cached
    try:
        compile_catalogues(SOURCE_TS_DIR, cache)
    except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
        log.warning("could not compile translations: %s", exc)
        return packaged if packaged.is_file() else None
    return cached if cached.is_file() else None


def install_translators(app: QCoreApplication, requested: str | None = None) -> str:
    """Install Qt's own and our catalogue for the chosen language; returns the language used.

    The translators are parented to ``app`` so they live as long as it does.
    """
    lang = resolve_language(requested)
    system = QLocale.system()
    if system.language() == QLocale.Language.C or resolve_language(system.name()) != lang:
        # numbers and dates follow the language shown (the C locale has no thousands
        # separator: "2000 students" where the operator reads "2,000")
        QLocale.setDefault(QLocale("zh_CN" if lang == "zh_CN" else "en_US"))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_tr = QTranslator(app)
    if qt_tr.load(f"qtbase_{lang}", qt_dir):
        app.installTranslator(qt_tr)
    qm = _qm_file(lang)
    ours = QTranslator(app)
    if qm is not None and ours.load(str(qm)):
        app.installTranslator(ours)
    elif lang != "en":
        log.warning("translation catalogue for %s not found", lang)
    return lang


if __name__ == "__main__":  # python -m campuscard_gui.i18n: compile into the package dir
    for path in compile_catalogues(SOURCE_TS_DIR, PACKAGE_QM_DIR):
        print(path)
