"""ruff, mypy (strict) and the import contracts (pyproject.toml) are part of the test run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_ruff_clean():
    result = _run("-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_clean():
    result = _run("-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


# import-linter has no ``python -m`` entry (``-m importlinter.cli`` runs nothing and exits 0), so
# its ``lint-imports`` console script is called through this interpreter: the same in any venv.
_LINT_IMPORTS = ("from importlib.metadata import entry_points; "
                 "(ep,) = entry_points(group='console_scripts', name='lint-imports'); ep.load()()")


def test_import_contracts_kept():
    result = _run("-c", _LINT_IMPORTS, "--no-cache", "--no-logo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout, result.stdout + result.stderr
