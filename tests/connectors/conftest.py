"""Fixtures for the connector tests: 简道云 and kintone sandboxes over real loopback HTTP and
connectors pointed at them (closed and stopped after each test)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from jdy_helpers import jdy_options
from kintone_helpers import kintone_options, token_auth
from shenbi_profiles import ipaas_options, shenbi_options

from campuscard_gui.backends.ipaas.connector import IpaasConnector
from campuscard_gui.backends.jiandaoyun.connector import JiandaoyunConnector
from campuscard_gui.backends.kintone.connector import KintoneAuth, KintoneConnector
from campuscard_gui.backends.shenbi.connector import ShenbiConnector
from campuscard_gui.sandbox import SandboxInfo, run_sandbox


def _sandboxes(backend: str) -> Iterator[Callable[..., SandboxInfo]]:
    stack: list[Any] = []

    def start(**kwargs: Any) -> SandboxInfo:
        cm = run_sandbox(backend, **kwargs)
        info = cm.__enter__()
        stack.append(cm)
        return info

    yield start
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


def _closing(build: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """Yield ``build`` wrapped so that every connector it makes is closed after the test."""
    made: list[Any] = []

    def make(*args: Any, **kwargs: Any) -> Any:
        made.append(build(*args, **kwargs))
        return made[-1]

    yield make
    for conn in made:
        conn.close()


@pytest.fixture
def jdy_sandbox() -> Iterator[Callable[..., SandboxInfo]]:
    """``jdy_sandbox(**run_sandbox_kwargs)`` starts a sandbox that stops after the test."""
    yield from _sandboxes("jiandaoyun")


@pytest.fixture
def kintone_sandbox() -> Iterator[Callable[..., SandboxInfo]]:
    """``kintone_sandbox(**run_sandbox_kwargs)``: a kintone sandbox, stopped after the test."""
    yield from _sandboxes("kintone")


@pytest.fixture
def kconnect() -> Iterator[Callable[..., KintoneConnector]]:
    """``kconnect(sandbox, secrets=None, **options)``: a kintone connector (the sandbox's
    tokens unless ``secrets`` is given), closed after the test."""
    def make(sb: SandboxInfo, secrets: KintoneAuth | None = None, **options: Any
             ) -> KintoneConnector:
        return KintoneConnector(kintone_options(sb, **options),
                                token_auth(sb) if secrets is None else secrets)

    yield from _closing(make)


@pytest.fixture
def connect() -> Iterator[Callable[..., JiandaoyunConnector]]:
    """``connect(sandbox, api_key=None, **options)``: a connector, closed after the test."""
    def make(sb: SandboxInfo, api_key: str | None = None, **options: Any
             ) -> JiandaoyunConnector:
        return JiandaoyunConnector(jdy_options(sb, **options),
                                   sb.api_key if api_key is None else api_key)

    yield from _closing(make)


@pytest.fixture
def shenbi_sandbox() -> Iterator[Callable[..., SandboxInfo]]:
    """``shenbi_sandbox(**run_sandbox_kwargs)``: a 神笔 sandbox, stopped after the test."""
    yield from _sandboxes("shenbi")


@pytest.fixture
def ipaas_sandbox() -> Iterator[Callable[..., SandboxInfo]]:
    """``ipaas_sandbox(**run_sandbox_kwargs)``: 神笔 plus the iPaaS gateway of the seed's flow."""
    yield from _sandboxes("ipaas")


@pytest.fixture
def sconnect() -> Iterator[Callable[..., ShenbiConnector]]:
    """``sconnect(sandbox, secret_id=None, secret_key=None, **options)``: a 神笔 connector
    (the sandbox's AK/SK unless given), closed after the test."""
    def make(sb: SandboxInfo, secret_id: str | None = None, secret_key: str | None = None,
             **options: Any) -> ShenbiConnector:
        return ShenbiConnector(shenbi_options(sb, **options),
                               sb.secret_id if secret_id is None else secret_id,
                               sb.secret_key if secret_key is None else secret_key)

    yield from _closing(make)


@pytest.fixture
def iconnect(sconnect) -> Iterator[Callable[..., IpaasConnector]]:
    """``iconnect(sandbox, token=None, reader=None, **options)``: an iPaaS connector writing
    through the sandbox's gateway and reading through a 神笔 connector; closed after."""
    def make(sb: SandboxInfo, token: str | None = None, reader: Any = None,
             **options: Any) -> IpaasConnector:
        return IpaasConnector(ipaas_options(sb, **options),
                              sb.gateway_token if token is None else token,
                              reader if reader is not None else sconnect(sb))

    yield from _closing(make)
