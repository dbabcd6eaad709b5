"""The words the operator reads that are made below the GUI: the backends' errors, the batch
runner's reasons, import and configuration errors, the CLI. Pure: no I/O (the catalogue is
read and installed by ``campuscard_gui.messages``).

The texts in the code are Chinese, the product's first language, and they are the keys::

    raise FatalError(_("一次最多写入 {limit} 条（收到 {n} 条）").format(limit=limit, n=n))

``_`` returns the text in the language installed for the process (Chinese until one is
installed). A text kept in a table and said later is marked with ``N_`` where it is written and
passed through ``_`` where it is said. The English catalogue is gettext PO
(``resources/translations/en/*.po``); ``python tools/update_messages.py`` brings it in line
with the code, and the tests fail while a marked text has no English or a Chinese text in the
code is not marked.

The Qt window has its own catalogue (``tr()``, the .ts files); both follow one language.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

__all__ = ["C_", "NC_", "N_", "SOURCE_LANGUAGE", "LazyText", "L_", "_", "has_cjk", "install",
           "language", "language_from_env"]

SOURCE_LANGUAGE = "zh_CN"

_language = SOURCE_LANGUAGE
_catalogue: Mapping[str, str] = {}

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def install(lang: str, catalogue: Mapping[str, str]) -> None:
    """Say everything from now on in ``lang`` ("zh_CN" or "en"), with ``catalogue`` mapping
    each Chinese text to its translation (ignored for zh_CN)."""
    global _language, _catalogue
    _language = lang
    _catalogue = {} if lang == SOURCE_LANGUAGE else dict(catalogue)


def language() -> str:
    """The language installed: "zh_CN" or "en"."""
    return _language


def _(text: str) -> str:
    """``text`` (a Chinese text of the code) in the installed language. A text the catalogue
    lacks is said as it is, never dropped."""
    if _language == SOURCE_LANGUAGE:
        return text
    return _catalogue.get(text) or text


def C_(context: str, text: str) -> str:  # noqa: N802 - as gettext's pgettext
    """``text`` in the installed language, where the same Chinese word means different things:
    冻结 is the action Freeze (``C_("action", "冻结")``) and the state Frozen
    (``C_("status", "冻结")``). The catalogue keys it as gettext does (msgctxt)."""
    if _language == SOURCE_LANGUAGE:
        return text
    return _catalogue.get(f"{context}\x04{text}") or text


def NC_(context: str, text: str) -> str:  # noqa: N802 - marks a C_ text in a table
    """Marks ``text`` with its ``context`` where it is written; ``C_`` says it later."""
    return text


def N_(text: str) -> str:  # noqa: N802 - gettext's own name for "marked, translated later"
    """Marks ``text`` for the catalogue where it is written (a table); ``_`` says it later."""
    return text


class LazyText(str):
    """A name said in the installed language whenever it is formatted or printed (a backend's
    name that many messages fill in: ``"{service}…".format(service=SERVICE)``), compared and
    hashed as the Chinese it is written in. Made with ``L_``."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        return format(_(str.__str__(self)), spec)

    def __str__(self) -> str:
        return _(str.__str__(self))


def L_(text: str) -> LazyText:  # noqa: N802 - a marker, like N_
    """Marks ``text`` for the catalogue and says it in the language installed when it is
    used, not when it is written."""
    return LazyText(text)


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Chinese characters or full-width punctuation."""
    return _CJK.search(text) is not None


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for, as gettext reads it: LANGUAGE (its first
    entry), LC_ALL, LC_MESSAGES, LANG. A Chinese locale gives "zh_CN"; anything else, the C
    or POSIX locale and nothing at all give "en"."""
    env = os.environ if environ is None else environ
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = (env.get(key) or "").strip()
        if key == "LANGUAGE":
            value = value.split(":")[0].strip()
        if value:
            return resolve(value)
    return "en"


def resolve(name: str) -> str:
    """"zh_CN" for any Chinese locale name (zh, zh_TW, zh-Hans.UTF-8), else "en"."""
    return SOURCE_LANGUAGE if name.strip().lower().replace("-", "_").startswith("zh") else "en"
