"""Fixtures for the connector tests: a 简道云 sandbox over real loopback HTTP and connectors
pointed at it (closed and stopped after each test)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from jdy_helpers import jdy_options

from campuscard_gui.connectors.jiandaoyun import JiandaoyunConnector
from campuscard_gui.sandbox import SandboxInfo, run_sandbox


@pytest.fixture
def jdy_sandbox() -> Callable[..., Any]:
    """``jdy_sandbox(**run_sandbox_kwargs)`` starts a sandbox that stops after the test."""
    stack: list[Any] = []

    def start(**kwargs: Any) -> SandboxInfo:
        cm = run_sandbox("jiandaoyun", **kwargs)
        info = cm.__enter__()
        stack.append(cm)
        return info

    yield start
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


@pytest.fixture
def connect() -> Iterator[Callable[..., JiandaoyunConnector]]:
    """``connect(sandbox, api_key=None, **options)``: a connector, closed after the test."""
    made: list[JiandaoyunConnector] = []

    def make(sb: SandboxInfo, api_key: str | None = None, **options: Any
             ) -> JiandaoyunConnector:
        conn = JiandaoyunConnector(jdy_options(sb, **options),
                                   sb.api_key if api_key is None else api_key)
        made.append(conn)
        return conn

    yield make
    for conn in made:
        conn.close()
