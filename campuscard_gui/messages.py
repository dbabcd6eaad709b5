"""Reads the catalogue of the texts made below the GUI (``core.text``) and installs it.

The catalogue is gettext PO, one file per part of the code, in
``resources/translations/<lang>/*.po`` (a built package carries a copy in
``campuscard_gui/translations/<lang>/``). It is read with polib, a small pure-Python library
for the format translators' tools (Poedit, Qt Linguist's sibling tools, Weblate) write, so the
files stay editable by hand or by those tools and need no compile step.

Which language: ``--lang`` (CLI and GUI), else the ``language`` setting, else the system's
(LANGUAGE, LC_ALL, LC_MESSAGES, LANG; on Windows the user's locale). The C locale is English.
No Qt here: the CLI uses it as it is; the GUI installs the language Qt resolved.
"""

from __future__ import annotations

import locale
import logging
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from .core import text

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
_HERE = Path(__file__).resolve().parent
PACKAGED_DIR = _HERE / "translations"
SOURCE_DIR = _HERE.parent / "resources" / "translations"


def catalogue_dir(lang: str) -> Path | None:
    """Where ``lang``'s PO files are: the source checkout's (when present, it is the one being
    edited) or the built package's."""
    for base in (SOURCE_DIR, PACKAGED_DIR):
        folder = base / lang
        if folder.is_dir() and any(folder.glob("*.po")):
            return folder
    return None


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """The translations of ``lang`` (Chinese text -> translation), empty for the source
    language. Entries without a translation, or marked fuzzy, are left out."""
    if lang == text.SOURCE_LANGUAGE:
        return {}
    folder = catalogue_dir(lang)
    if folder is None:
        log.warning("message catalogue for %s not found", lang)
        return {}
    import polib

    found: dict[str, str] = {}
    for po in sorted(folder.glob("*.po")):
        try:
            entries = polib.pofile(str(po), encoding="utf-8")
        except (OSError, ValueError) as exc:  # a damaged file: the others still count
            log.warning("message catalogue %s unreadable: %s", po, exc)
            continue
        for entry in entries:
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
                key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
                found[key] = entry.msgstr
    return found


def system_language() -> str:
    """The system's language as the environment says it; on Windows, where those variables
    are rarely set, the user's locale."""
    lang = text.language_from_env()
    import os

    if sys.platform == "win32" and not any(
            os.environ.get(k) for k in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")):
        name = locale.getlocale()[0] or ""
        lang = "zh_CN" if name.lower().startswith(("zh", "chinese")) else "en"
    return lang


def choose(requested: str | None = None, setting: str | None = None) -> str:
    """``requested`` (--lang), else ``setting``, else the system's: "zh_CN" or "en"."""
    for choice in (requested, setting):
        if choice and choice.strip():
            return text.resolve(choice)
    return system_language()


def install(lang: str) -> str:
    """Say the texts below the GUI in ``lang`` from now on; returns it."""
    lang = text.resolve(lang)
    text.install(lang, catalogue(lang))
    return lang
