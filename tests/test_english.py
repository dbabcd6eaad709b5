"""English below the GUI: the catalogue (resources/translations/en/*.po, core/text.py) gives
every marked text its English, and the paths an operator meets first — the CLI under the C
locale, import errors and row problems, keyring and folder messages, skip reasons and status
labels — say no Chinese of ours in English mode. Data stays as it is (a student's name, a
status value accepted on input, a server's own words)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from campuscard_gui import messages
from campuscard_gui.core import text
from campuscard_gui.core.model import CardStatus, StudentStatus, status_label
from campuscard_gui.core.outcomes import Cancelled, Skipped, SkipReason, outcome_reason

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import update_messages  # noqa: E402

sys.path.pop(0)

# Every Chinese text below the GUI is marked (or said to be data): a new one fails the test
# until it is marked with _() and given its English (tools/update_messages.py).
UNMARKED_AT_MOST = 0


def test_every_marked_text_has_english_with_the_same_fields():
    problems = [p for p in update_messages.problems("en") if "not marked" not in p]
    assert problems == []


def test_unmarked_chinese_only_goes_down():
    loose = [p for p in update_messages.problems("en") if "not marked" in p]
    assert len(loose) <= UNMARKED_AT_MOST, "\n".join(loose[:20])


def test_the_catalogue_is_read_and_installed():
    assert messages.catalogue("en")["学号"] == "Student No."
    assert messages.install("en") == "en"
    assert text._("学号") == "Student No."
    assert text.C_("status", "冻结") == "Frozen" and text.C_("action", "冻结") == "Freeze"
    messages.install("zh_CN")
    assert text._("学号") == "学号" and text.C_("status", "冻结") == "冻结"


def test_language_follows_the_environment_as_gettext_reads_it():
    assert text.language_from_env({"LANG": "C"}) == "en"
    assert text.language_from_env({}) == "en"
    assert text.language_from_env({"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert text.language_from_env({"LANGUAGE": "en:zh", "LANG": "zh_CN.UTF-8"}) == "en"
    assert text.language_from_env({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US"}) == "zh_CN"
    assert messages.choose("en", "zh_CN") == "en"
    assert messages.choose(None, "zh_CN") == "zh_CN"


def test_labels_and_reasons_in_english():
    messages.install("en")
    assert status_label(StudentStatus.ENROLLED) == "Enrolled"
    assert status_label(CardStatus.CANCELLED) == "Cancelled"
    assert StudentStatus.ENROLLED.value == "在读"  # the stored value does not change
    for reason in SkipReason:
        assert not text.has_cjk(Skipped(reason).text), reason
    assert outcome_reason(Skipped(SkipReason.CHANGED_BY_OTHER, "冻结")) \
        == "Changed by someone else (now Frozen)"
    assert not text.has_cjk(outcome_reason(Cancelled()))


def test_import_errors_and_row_problems_in_english(tmp_path):
    from campuscard_gui.core.errors import ImportFileError
    from campuscard_gui.importing.mapping import guess_mapping, map_rows
    from campuscard_gui.importing.table import read_table

    messages.install("en")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportFileError) as info:
        read_table(old)
    assert "Old Excel files" in info.value.message and not text.has_cjk(info.value.message)

    csv = tmp_path / "s.csv"
    csv.write_text("学号,姓名,学籍状态\n2024001,张三,在读\n2024001,,未知\n,李四,在读\n",
                   encoding="utf-8")
    table = read_table(csv)
    result = map_rows(table, guess_mapping(table.headers))
    said = [e.reason for e in result.errors]
    assert said and not any(text.has_cjk(m.replace("未知", "")) for m in said), said

    nameless = tmp_path / "n.csv"
    nameless.write_text("编号,备注\n1,甲\n", encoding="utf-8")
    table = read_table(nameless)
    with pytest.raises(ImportFileError) as info:
        map_rows(table, guess_mapping(table.headers))
    assert info.value.message.startswith("Required columns are missing: Student No., Name")


def test_keyring_and_folder_messages_in_english(tmp_path):
    from keyring.backends import fail

    from campuscard_gui.config.credentials import CredentialError, CredentialStore
    from campuscard_gui.config.paths import DirError

    messages.install("en")
    with pytest.raises(CredentialError) as info:
        CredentialStore(fail.Keyring()).get("p")
    assert "No system keyring is available" in info.value.message
    assert not text.has_cjk(info.value.message)
    error = DirError("data", tmp_path, PermissionError(13, "denied"))
    assert error.message == f"The data folder cannot be used: {tmp_path} (no permission)"


def _cli(tmp_path: Path, *argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
            "CAMPUSCARD_CONFIG_DIR": str(tmp_path / "c"),
            "CAMPUSCARD_DATA_DIR": str(tmp_path / "d"), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "campuscard_gui.cli", *argv],
                          env={**base, **env}, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def _ours(output: str) -> str:
    """The output without the data a demo school holds (names, colleges, classes)."""
    return "\n".join(line.split("  ")[0] for line in output.splitlines())


def test_the_cli_under_the_c_locale_speaks_english(tmp_path):
    c = {"LANG": "C"}
    helps = [_cli(tmp_path, *argv, env=c) for argv in (
        ("--help",), ("students", "--help"), ("open", "--help"), ("jobs", "--help"),
        ("jobs", "show", "--help"), ("local", "--help"), ("local", "import", "--help"),
        ("profiles", "--help"))]
    for done in helps:
        assert done.returncode == 0, done.stderr
        assert not text.has_cjk(done.stdout.replace("未开通/正常/冻结/注销", "")
                                .replace("在读/休学/退学/毕业", "")), done.stdout
    assert _cli(tmp_path, "local", "init", "--students", "60", env=c).returncode == 0
    listed = _cli(tmp_path, "students", "--card", "frozen", env=c)
    assert listed.stdout.startswith("Student No.") and "Frozen" in listed.stdout
    ids = tmp_path / "ids.txt"
    ids.write_text("2020000001\n", encoding="utf-8")
    done = _cli(tmp_path, "freeze", "--ids", str(ids), "--yes", env=c)
    assert done.returncode == 0, done.stderr
    assert "Job 1 (Freeze, done)" in done.stdout
    jobs = _cli(tmp_path, "jobs", "list", env=c)
    assert not text.has_cjk(jobs.stdout), jobs.stdout
    missing = _cli(tmp_path, "--profile", "nope", "students", env=c)
    assert missing.returncode == 2 and missing.stderr.startswith(
        'Error: There is no profile named "nope"'), missing.stderr
    # --lang and the language setting win over the locale
    chinese = _cli(tmp_path, "--lang", "zh_CN", "jobs", "list", env=c)
    assert chinese.stdout.startswith("编号")
    (tmp_path / "c").mkdir(exist_ok=True)
    (tmp_path / "c" / "settings.json").write_text('{"language": "zh_CN"}', encoding="utf-8")
    assert _cli(tmp_path, "jobs", "list", env=c).stdout.startswith("编号")
    assert _cli(tmp_path, "--lang", "en", "jobs", "list",
                env={"LANG": "zh_CN.UTF-8"}).stdout.startswith("ID")


def test_profiles_add_names_what_is_missing_and_the_secrets_in_english(tmp_path):
    """The kinds' secret names are lazy texts: joined, they are said in English too; a
    backend's Latin name gets no Chinese spacing in English."""
    from campuscard_gui.backends.profile_flags import require
    from campuscard_gui.cli.profile_kinds import secret_name
    from campuscard_gui.core.errors import ConfigError

    messages.install("en")
    names = text._("和").join(secret_name(k) for k in ("students_token", "cards_token"))
    assert not text.has_cjk(names) and "API token" in names
    with pytest.raises(ConfigError) as info:
        require("kintone", ("--students-app", ""))
    assert info.value.message == "The kintone profile lacks: --students-app"
    messages.install("zh_CN")
    with pytest.raises(ConfigError) as info:
        require("kintone", ("--students-app", ""))
    assert info.value.message == "kintone 配置缺少参数：--students-app"


def test_a_final_reason_in_english_is_in_the_past_tense():
    from campuscard_gui.batch.runner import checked_reason
    from campuscard_gui.connectors.answers import StatusTable

    messages.install("en")
    try:
        StatusTable("kintone", {}).raise_for(503, write=True)
    except Exception as exc:  # noqa: BLE001 - the AmbiguousError it raises
        said = str(getattr(exc, "message", exc))
    assert said.endswith("the request may have taken effect; checking")
    final = checked_reason(said, 3)
    assert "checking" not in final and final.endswith(
        "checked 3 times: the backend holds nothing of this write, so it was not written")
    assert not text.has_cjk(final)


def test_backend_error_tables_in_english():
    from campuscard_gui.backends.jiandaoyun.errors import CODES, error_for_code
    from campuscard_gui.backends.kintone.errors import explain as kintone_explain
    from campuscard_gui.backends.shenbi.errors import explain as shenbi_explain

    messages.install("en")
    for code in CODES:
        assert not text.has_cjk(error_for_code(code, "server words").message), code
    assert error_for_code(8301, "").message.startswith("The API key was refused")
    assert kintone_explain("GAIA_CO02", "changed") == (
        "The record was changed by someone else after it was read (its revision differs); "
        "not overwritten (GAIA_CO02: changed)")
    said = shenbi_explain("AuthFailure.SignatureExpire", "expired", "req-1")
    assert said.endswith("(AuthFailure.SignatureExpire: expired; RequestId req-1)")
    assert not text.has_cjk(said)


def test_no_text_is_translated_at_import():
    """``_()`` where the module is imported (a constant, a class attribute, a default argument)
    runs before the language is chosen and stays Chinese: those places use ``N_``/``L_``."""
    import ast

    found = []
    for path in update_messages.sources():
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        parents = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
        defaults = {id(n) for f in ast.walk(tree)
                    if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                    for d in [*f.args.defaults, *f.args.kw_defaults] if d is not None
                    for n in ast.walk(d)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "C_")):
                continue
            at_import = id(node) in defaults
            if not at_import:
                up = parents.get(node)
                while up is not None and not isinstance(
                        up, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                    up = parents.get(up)
                at_import = up is None
            if at_import:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
