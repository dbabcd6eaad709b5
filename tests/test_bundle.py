"""The packaged folder (tools/build_bundle.py) works on a machine without Python: built once
(about a minute), then its three executables are run with an environment that holds no venv,
no PYTHONPATH and the C locale. Runs with ``pytest --bundle`` and always in CI (CI=true)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from campuscard_gui import __version__

pytestmark = [pytest.mark.bundle, pytest.mark.xdist_group("bundle")]  # one build, one worker
ROOT = Path(__file__).resolve().parent.parent
EXE = ".exe" if sys.platform == "win32" else ""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("bundle")
    start = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_bundle.py"),
                    "--dist", str(base / "dist"), "--work", str(base / "work")],
                   check=True, cwd=ROOT, timeout=1200)
    folder = base / "dist" / "campuscard-gui"
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    print(f"\nbundle: {size / 1e6:.0f} MB in {folder}, built in {time.monotonic() - start:.0f} s")
    return folder


@pytest.fixture
def bare_env(tmp_path: Path) -> dict[str, str]:
    """What a fresh office PC gives a program: system folders on PATH only (no venv, no
    Python of ours), no PYTHONPATH/PYTHONHOME, the C locale."""
    env = {
        "PATH": os.pathsep.join(p for p in ("/usr/bin", "/bin") if Path(p).is_dir()),
        "HOME": str(tmp_path / "home"),
        "LANG": "C",
        "CAMPUSCARD_CONFIG_DIR": str(tmp_path / "config"),
        "CAMPUSCARD_DATA_DIR": str(tmp_path / "data"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    if sys.platform == "win32":
        env["SYSTEMROOT"] = os.environ.get("SYSTEMROOT", r"C:\Windows")
    return env


def run(bundle: Path, name: str, *args: str, env: dict[str, str],
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bundle / (name + EXE)), *args], env=env, input=stdin,
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          cwd=env["HOME"] if Path(env["HOME"]).is_dir() else None)


def test_the_folder_holds_three_executables_the_licence_and_no_python_to_install(bundle):
    for name in ("campuscard-gui", "campuscard-cli", "campuscard-sandbox"):
        assert (bundle / (name + EXE)).is_file(), name
    assert (bundle / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    internal = bundle / "_internal"
    assert (internal / "campuscard_gui" / "translations" / "campuscard_zh_CN.qm").is_file()
    assert list((internal / "campuscard_gui" / "translations" / "en").glob("*.po"))
    assert (internal / "campuscard_gui" / "icons" / "png" / "campuscard-gui-256.png").is_file()


def test_bundled_cli_says_its_version(bundle, bare_env):
    done = run(bundle, "campuscard-cli", "--version", env=bare_env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"campuscard-cli {__version__}"
    gui = run(bundle, "campuscard-gui", "--version", env=bare_env)
    assert gui.returncode == 0 and gui.stdout.strip() == f"campuscard-gui {__version__}"


def test_a_whole_local_job_through_the_bundled_cli(bundle, bare_env):
    Path(bare_env["HOME"]).mkdir(parents=True, exist_ok=True)
    made = run(bundle, "campuscard-cli", "local", "init", "--students", "300", env=bare_env)
    assert made.returncode == 0, made.stderr
    listed = run(bundle, "campuscard-cli", "students", "--card", "none", "--status",
                 "enrolled", "--format", "json", env=bare_env)
    assert listed.returncode == 0, listed.stderr
    nos = [s["student_no"] for s in json.loads(listed.stdout)][:5]
    assert nos, listed.stdout
    opened = run(bundle, "campuscard-cli", "open", "--ids", "-", "--yes", "--format", "json",
                 env=bare_env, stdin="\n".join(nos) + "\n")
    assert opened.returncode == 0, opened.stderr
    jobs = run(bundle, "campuscard-cli", "jobs", "list", "--format", "json", env=bare_env)
    assert jobs.returncode == 0, jobs.stderr
    [job] = json.loads(jobs.stdout)
    assert job["summary"]["succeeded"] == len(nos) and job["state"] == "done"
    after = run(bundle, "campuscard-cli", "students", "--card", "active", "--format", "json",
                env=bare_env)
    assert set(nos) <= {s["student_no"] for s in json.loads(after.stdout)}


def test_bundled_gui_starts_shows_and_quits_after_its_first_paint(bundle, bare_env):
    start = time.monotonic()
    done = run(bundle, "campuscard-gui", "--smoke-test", env=bare_env)
    cold = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    log = (Path(bare_env["CAMPUSCARD_DATA_DIR"]) / "logs" / "campuscard-gui.log").read_text(
        encoding="utf-8")
    assert "smoke test: first paint" in log and "Traceback" not in log
    print(f"\nbundled GUI cold start to first paint and exit: {cold:.2f} s")


def test_bundled_sandbox_answers_help(bundle, bare_env):
    done = run(bundle, "campuscard-sandbox", "--help", env=bare_env)
    assert done.returncode == 0, done.stderr
    assert "usage" in done.stdout.lower()
