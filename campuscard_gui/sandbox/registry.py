"""The emulated backends, one package each (``sandbox/<kind>/``), and the list of them.

A sandbox package defines ``SANDBOX`` (a :class:`SandboxSpec`) in its ``__init__``: how to
build its server over the demo school, which endpoints it has (faults are injected by
endpoint), and what its start line says. ``BUILTIN`` lists the built-in ones;
:func:`register` adds another (a test's).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

_S = TypeVar("_S")

# (students=, seed=, control=, api_key=, settings=, with_cards=, registry=) ->
# (the ASGI app with .mount and .stopping, info(server_url) -> the SandboxInfo's fields)
Builder = Callable[..., tuple[Any, Callable[[str], dict[str, str]]]]


@dataclass(frozen=True, slots=True)
class SandboxSpec:
    kind: str
    build: Builder
    endpoints: frozenset[str]  # the names faults can be restricted to (Control.set_faults)
    write_endpoints: frozenset[str]  # where faults go with the default scope "writes"
    partial_endpoints: frozenset[str] = frozenset()  # where a batch can half-succeed
    line_keys: tuple[str, ...] = ()  # what ``campuscard-sandbox`` prints, besides "backend"
    optional_keys: frozenset[str] = frozenset()  # of those, left out when empty


BUILTIN = ("jiandaoyun", "kintone", "shenbi", "ipaas")

_lock = threading.RLock()  # a backend module may ask the registry while it loads
_specs: dict[str, SandboxSpec] = {}
_loaded = False


def _load() -> None:
    global _loaded
    with _lock:
        if _loaded:
            return
        for kind in BUILTIN:
            spec: SandboxSpec = importlib.import_module(f"{__package__}.{kind}").SANDBOX
            _specs.setdefault(kind, spec)
        _loaded = True


def register(spec: SandboxSpec) -> None:
    _load()
    with _lock:
        if spec.kind in _specs:
            raise ValueError(f"sandbox “{spec.kind}” is already registered")
        _specs[spec.kind] = spec


def unregister(kind: str) -> None:
    with _lock:
        if kind not in BUILTIN:
            _specs.pop(kind, None)


def specs() -> tuple[SandboxSpec, ...]:
    _load()
    with _lock:
        return tuple(_specs.values())


def kinds() -> tuple[str, ...]:
    return tuple(s.kind for s in specs())


def get(kind: str) -> SandboxSpec:
    for spec in specs():
        if spec.kind == kind:
            return spec
    raise ValueError(f"unknown sandbox backend {kind!r}; known: {', '.join(kinds())}")


def all_endpoints() -> frozenset[str]:
    return frozenset().union(*(s.endpoints for s in specs()))


def all_write_endpoints() -> frozenset[str]:
    return frozenset().union(*(s.write_endpoints for s in specs()))


def all_partial_endpoints() -> frozenset[str]:
    return frozenset().union(*(s.partial_endpoints for s in specs()))


def settings_for(backend: str, settings: Any, kind: type[_S]) -> _S:
    """``settings`` (None: the defaults), refused unless they are the backend's own kind."""
    if settings is None:
        return kind()
    if not isinstance(settings, kind):
        raise TypeError(f"settings for the {backend} sandbox must be {kind.__name__}")
    return settings
