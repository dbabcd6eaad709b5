"""Refresh the translation catalogues from the source.

    python tools/update_translations.py

Runs PySide6's lupdate over the package (every tr()/translate() string), keeps existing
translations, drops vanished ones, and fills the English catalogue from the English source
strings (with both plural forms). Chinese translations are edited in
resources/translations/campuscard_zh_CN.ts (Qt Linguist or any editor); the test suite fails
while any message there is unfinished.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
LANGS = {"zh_CN": "zh_CN", "en": "en"}


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "campuscard_gui").rglob("*.py"))


def run_lupdate() -> None:
    tool = Path(PySide6.__file__).parent / "lupdate"
    TS_DIR.mkdir(parents=True, exist_ok=True)
    for lang in LANGS:
        ts = TS_DIR / f"campuscard_{lang}.ts"
        subprocess.run(
            [str(tool), "-silent", "-no-obsolete", "-locations", "none",
             "-source-language", "en", "-target-language", lang, *sources(), "-ts", str(ts)],
            check=True, cwd=ROOT,
        )


_PLURAL = re.compile(r"\((s|es)\)")


def fill_english() -> None:
    ts = TS_DIR / "campuscard_en.ts"
    tree = ET.parse(ts)
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            continue
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":
            for child in list(translation):
                translation.remove(child)
            # English has two forms: "%n student(s)" -> "%n student" and "%n students"
            for plural in (False, True):
                form = ET.SubElement(translation, "numerusform")
                form.text = _PLURAL.sub(r"\1" if plural else "", source)
            translation.text = None
        else:
            translation.text = source
    tree.write(ts, encoding="utf-8", xml_declaration=True)


def main() -> int:
    run_lupdate()
    fill_english()
    unfinished = [m for m in ET.parse(TS_DIR / "campuscard_zh_CN.ts").iter("message")
                  if (t := m.find("translation")) is not None and t.get("type") == "unfinished"]
    print(f"zh_CN: {len(unfinished)} unfinished message(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
