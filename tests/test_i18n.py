"""The shipped catalogues are complete, in sync with the source, and load in Qt."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from campuscard_gui import i18n

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations"


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            out[(name, message.findtext("source") or "")] = message
    return out


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalogue_complete(lang):
    msgs = messages(TS / f"campuscard_{lang}.ts")
    assert len(msgs) > 50
    unfinished = [key for key, m in msgs.items()
                  if (t := m.find("translation")) is None or t.get("type") == "unfinished"
                  or not ("".join(t.itertext()).strip())]
    assert unfinished == []


def test_catalogues_in_sync_with_source(tmp_path):
    """Every tr() string in the code is in the catalogues (run tools/update_translations.py)."""
    copy = tmp_path / "x.ts"
    shutil.copy(TS / "campuscard_zh_CN.ts", copy)
    before = set(messages(copy))
    import PySide6

    tool = Path(PySide6.__file__).parent / "lupdate"
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import update_translations as ut
    finally:
        sys.path.pop(0)
    subprocess.run([str(tool), "-silent", "-no-obsolete", "-locations", "none", *ut.sources(),
                    "-ts", str(copy)], check=True, cwd=ROOT)
    assert set(messages(copy)) == before


def test_compiled_catalogue_translates(tmp_path, qapp):
    written = i18n.compile_catalogues(TS, tmp_path)
    assert {p.name for p in written} == {"campuscard_zh_CN.qm", "campuscard_en.qm"}
    tr = QTranslator()
    assert tr.load(str(tmp_path / "campuscard_zh_CN.qm"))
    QCoreApplication.installTranslator(tr)
    try:
        assert QCoreApplication.translate("Labels", "Open card") == "开通一卡通"
        assert QCoreApplication.translate("Labels", "Frozen") == "冻结"
    finally:
        QCoreApplication.removeTranslator(tr)
    assert QCoreApplication.translate("Labels", "Open card") == "Open card"


def test_resolve_language():
    assert i18n.resolve_language("zh_CN") == "zh_CN"
    assert i18n.resolve_language("zh-TW") == "zh_CN"
    assert i18n.resolve_language("en") == "en"
    assert i18n.resolve_language("de_DE") == "en"


def test_english_mode_shows_no_chinese_of_our_own():
    """The English window shows the tr() sources: none holds Chinese, except a gloss in
    brackets naming a place in a platform's own Chinese console ("Open platform (开放平台)")."""
    import re

    from campuscard_gui.core.text import has_cjk

    gloss = re.compile(r"\([^()]*\)")
    chinese = [source for (_context, source) in messages(TS / "campuscard_en.ts")
               if has_cjk(gloss.sub("", source))]
    assert chinese == []
