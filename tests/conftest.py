"""Shared fixtures. Every test gets its own config and data dirs (through the documented
environment overrides) so nothing touches the user's real files; Qt runs offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The suite's texts are asserted in Chinese, the code's own language: the CLI (in process and
# in child processes) follows LANGUAGE unless a test says --lang en. English is tested where
# a test asks for it.
os.environ["LANGUAGE"] = "zh_CN"

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from campuscard_gui.config.paths import Paths  # noqa: E402

# Property tests stay bounded so CI stays fast: a fixed number of examples, no per-example
# deadline (2 shared cores make timings noisy), derandomized so a failure reproduces. Set
# HYPOTHESIS_PROFILE=thorough for a long local run.
settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                 HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--bundle", action="store_true",
                     help="also build the packaged folder and test it (always when CI is set)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--bundle") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="builds the bundle: pytest --bundle (or CI=true)")
    for item in items:
        if "bundle" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def source_language():
    """Each test starts (and leaves the process) with the texts below the GUI in Chinese."""
    from campuscard_gui.core import text

    text.install(text.SOURCE_LANGUAGE, {})
    yield
    text.install(text.SOURCE_LANGUAGE, {})


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch) -> Paths:
    """Point CAMPUSCARD_CONFIG_DIR / CAMPUSCARD_DATA_DIR at fresh temp dirs for this test."""
    config = tmp_path / "config"
    data = tmp_path / "data"
    monkeypatch.setenv("CAMPUSCARD_CONFIG_DIR", str(config))
    monkeypatch.setenv("CAMPUSCARD_DATA_DIR", str(data))
    return Paths.from_env().ensure()


@pytest.fixture
def paths(isolated_dirs: Paths) -> Paths:
    return isolated_dirs


@pytest.fixture
def memory():
    """An in-memory keyring backend (tests/memory_keyring.py), never installed globally."""
    from memory_keyring import MemoryKeyring

    return MemoryKeyring()


@pytest.fixture
def creds(memory):
    """A CredentialStore over ``memory``."""
    from campuscard_gui.config.credentials import CredentialStore

    return CredentialStore(memory)
