"""Fixtures for the sandbox tests: a running 简道云 emulator per test and a raw client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sandbox_helpers import N_STUDENTS, SEED, Jdy

from campuscard_gui.sandbox import SandboxInfo, run_sandbox


@pytest.fixture
def sandbox(request: pytest.FixtureRequest) -> Iterator[SandboxInfo]:
    """A fresh sandbox per test; ``@pytest.mark.parametrize("sandbox", [{...}], indirect=True)``
    passes options to run_sandbox."""
    options = {"students": N_STUDENTS, "seed": SEED, **getattr(request, "param", {})}
    with run_sandbox(**options) as sb:
        yield sb


@pytest.fixture
def jdy(sandbox: SandboxInfo) -> Iterator[Jdy]:
    client = Jdy(sandbox)
    yield client
    client.close()
