"""Fixtures for the sandbox tests: a running 简道云 emulator per test (``sandbox``), and raw
clients for a test's sandbox: ``jdy`` for ``sandbox``, ``c`` (神笔) for a module's ``sb``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import pytest
from sandbox_helpers import N_STUDENTS, SEED, Jdy, sandbox_fixture
from shenbi_helpers import Shenbi

from campuscard_gui.sandbox import SandboxInfo

sandbox = sandbox_fixture("jiandaoyun", N_STUDENTS, SEED, name="sandbox")


@pytest.fixture
def jdy(sandbox: SandboxInfo) -> Iterator[Jdy]:
    with closing(Jdy(sandbox)) as client:
        yield client


@pytest.fixture
def c(sb: SandboxInfo) -> Iterator[Shenbi]:
    """A 神笔 client signed for the module's ``sb`` (shenbi or ipaas backend)."""
    with closing(Shenbi(sb)) as client:
        yield client
