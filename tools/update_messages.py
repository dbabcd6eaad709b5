"""Bring the catalogue of the texts made below the GUI in line with the code.

    python tools/update_messages.py           # update resources/translations/en/*.po
    python tools/update_messages.py --check   # list what is missing; exit 1 if anything is

Every ``_("…")`` and ``N_("…")`` of campuscard_gui (outside the Qt GUI, whose texts are in the
.ts catalogues, and the sandbox, which stands for the servers) is a message. Messages go to the
PO file of the package they are written in (backends.po, cli.po, …); translations already
there are kept, vanished messages dropped, new ones added untranslated. Fill them in with any
PO editor (Poedit) or by hand. The tests fail while a message has no English, while an English
text holds Chinese or lacks one of the message's {placeholders}, and while a Chinese text in the
code is neither marked nor said to be data.

Chinese that is data, not words (a backend's wire value such as 冻结, the demo school's names),
is said so on its line with the comment ``# text: data``; a log line (log.warning(…)) is for
support and stays as it is.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "campuscard_gui"
PO_DIR = ROOT / "resources" / "translations"
LANGS = ("en",)
# Qt's side (tr() and the .ts files) and the servers' side are not this catalogue's
SKIPPED = ("ui", "sandbox", "app.py", "i18n.py", "translations")
# modules that are data through and through: the demo school's names, colleges and classes
DATA_MODULES = ("core/demo.py",)
MARKERS = ("_", "N_", "C_", "NC_", "L_")
CONTEXT_MARKERS = ("C_", "NC_")
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
LOG_NAMES = {"log", "logger", "logging", "_log", "LOG"}
DATA_PRAGMA = "# text: data"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Chinese in brackets is a gloss: the values a file or a command line may hold (在读), a place
# in a platform's Chinese console (开放平台)
GLOSS = re.compile(r"\([^()]*\)")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)?(?:![rsa])?(?::[^{}]*)?\}")


@dataclass(frozen=True)
class Found:
    path: Path
    line: int
    text: str
    context: str = ""


def sources() -> list[Path]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).parts
        if rel[0] in SKIPPED or "/".join(rel) in DATA_MODULES:
            continue
        out.append(path)
    return out


def area(path: Path) -> str:
    """The PO file a message of ``path`` belongs to: its top package (a backend's own package
    for the backends: backends_kintone), or "misc" for the package's top modules."""
    rel = path.relative_to(PACKAGE).parts
    if len(rel) > 2 and rel[0] == "backends":
        return f"{rel[0]}_{rel[1]}"
    return rel[0] if len(rel) > 1 else "misc"


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _is_marker(call: ast.AST) -> bool:
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Name) \
        and call.func.id in MARKERS


def _is_log_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr in LOG_METHODS and isinstance(node.func.value, ast.Name) \
        and node.func.value.id in LOG_NAMES


def _data_lines(source: str) -> set[int]:
    lines = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT and tok.string.startswith(DATA_PRAGMA):
            lines.add(tok.start[0])
    return lines


def scan(path: Path) -> tuple[list[Found], list[Found]]:
    """(messages marked in ``path``, Chinese texts in it neither marked nor data nor logged)."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, str(path))
    parents = _parents(tree)
    data = _data_lines(source)
    marked: list[Found] = []
    loose: list[Found] = []
    for node in ast.walk(tree):
        if _is_marker(node):
            assert isinstance(node, ast.Call)
            assert isinstance(node.func, ast.Name)
            context = ""
            args = list(node.args)
            if node.func.id in CONTEXT_MARKERS and args:
                first = args.pop(0)
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    context = first.value
            arg = args[0] if args else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                marked.append(Found(path, node.lineno, arg.value, context))
            # _(name): a text marked N_ where it was written, said here (nothing to collect)
            continue
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and CJK.search(node.value)):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.JoinedStr):  # a part of an f-string: judge the f-string
            node, parent = parent, parents.get(parent)
        if isinstance(parent, ast.Expr):  # a docstring or a bare string: not said
            continue
        if parent is not None and _is_marker(parent):  # (a C_ context is a marker's too)
            if isinstance(node, ast.JoinedStr):
                loose.append(Found(path, node.lineno, "<f-string in _(): use .format()>"))
            continue
        if any(line in data for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)):
            continue
        if _inside_log_call(node, parents):
            continue
        loose.append(Found(path, node.lineno, _shown(node, source)))
    return marked, loose


def _inside_log_call(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    current: ast.AST | None = node
    while current is not None:
        if _is_log_call(current):
            return True
        if isinstance(current, ast.stmt):
            return False
        current = parents.get(current)
    return False


def _shown(node: ast.AST, source: str) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    return ast.get_source_segment(source, node) or "<f-string>"


Key = tuple[str, str]  # (context, message): context "" for most


def collect() -> tuple[dict[str, dict[Key, list[Found]]], list[Found]]:
    """{area: {(context, message): where}}, and the Chinese texts left unmarked."""
    messages: dict[str, dict[Key, list[Found]]] = {}
    loose: list[Found] = []
    for path in sources():
        found, unmarked = scan(path)
        loose.extend(unmarked)
        for f in found:
            messages.setdefault(area(path), {}).setdefault((f.context, f.text), []).append(f)
    return messages, loose


def placeholders(text: str) -> set[str]:
    return {m.group(0).split(":")[0].split("!")[0] for m in PLACEHOLDER.finditer(text)}


def problems(lang: str = "en", only: set[str] | None = None) -> list[str]:
    """What keeps the catalogue of ``lang`` from being whole: one line each (``only``: of
    these areas)."""
    import polib

    messages, loose = collect()
    out = [f"{f.path.relative_to(ROOT)}:{f.line}: Chinese text not marked with _(): "
           f"{f.text[:60]}" for f in loose if not only or area(f.path) in only]
    for name, found in sorted(messages.items()):
        if only and name not in only:
            continue
        po_path = PO_DIR / lang / f"{name}.po"
        po = {(e.msgctxt or "", e.msgid): e for e in polib.pofile(str(po_path))} \
            if po_path.is_file() else {}
        for (context, msgid), where in found.items():
            entry = po.get((context, msgid))
            at = f"{where[0].path.relative_to(ROOT)}:{where[0].line}"
            if entry is None or not entry.msgstr or "fuzzy" in entry.flags:
                out.append(f"{at}: no {lang} text in {name}.po for: {msgid[:60]}")
            elif lang == "en" and CJK.search(GLOSS.sub("", entry.msgstr)):
                out.append(f"{at}: the {lang} text holds Chinese: {entry.msgstr[:60]}")
            elif placeholders(entry.msgstr) != placeholders(msgid):
                out.append(f"{at}: placeholders differ ({sorted(placeholders(msgid))} vs "
                           f"{sorted(placeholders(entry.msgstr))}): {msgid[:60]}")
    return out


def update(lang: str = "en", only: set[str] | None = None) -> Iterator[str]:
    import polib

    messages, _loose = collect()
    folder = PO_DIR / lang
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.po"):
        if path.stem not in messages and (not only or path.stem in only):
            path.unlink()
            yield f"removed {path.relative_to(ROOT)}"
    for name, found in sorted(messages.items()):
        if only and name not in only:
            continue
        po_path = folder / f"{name}.po"
        old = {(e.msgctxt or "", e.msgid): e for e in polib.pofile(str(po_path))} \
            if po_path.is_file() else {}
        po = polib.POFile(wrapwidth=0)
        po.metadata = {
            "Project-Id-Version": "campuscard-gui",
            "Language": lang,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
        }
        todo = 0
        for context, msgid in sorted(found):
            previous = old.get((context, msgid))
            entry = polib.POEntry(msgid=msgid, msgstr=previous.msgstr if previous else "",
                                  msgctxt=context or None)
            if previous is not None:
                entry.flags = list(previous.flags)
                entry.tcomment = previous.tcomment
            if "{" in msgid:
                entry.flags = sorted({*entry.flags, "python-brace-format"})
            todo += not entry.msgstr
            po.append(entry)
        po.save(str(po_path))
        yield f"{po_path.relative_to(ROOT)}: {len(found)} message(s), {todo} untranslated"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="list what is missing only")
    parser.add_argument("--only", metavar="AREA,…",
                        help="only these PO files (cli, backends_kintone, …; default: all)")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    if args.check:
        found = [p for lang in LANGS for p in problems(lang, only)]
        for line in found:
            print(line)
        print(f"{len(found)} problem(s)", file=sys.stderr)
        return 1 if found else 0
    for lang in LANGS:
        for line in update(lang, only):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
