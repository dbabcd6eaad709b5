"""The backends, one package each (``backends/<kind>/``), and the registry that lists them.

A backend package holds its connector, wire API, error table, record reading, options and
``profiles add`` builder, and defines ``SPEC`` (``spec.BackendSpec``) in its ``__init__``.
Adding a backend is its package, its sandbox, its tests, the translation catalogues and one
line in ``BUILTIN`` below; a plug-in (or a test) may instead call :func:`register`.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Mapping
from typing import Any

from ..config.credentials import add_secret_keys
from ..core.errors import ConfigError
from ..core.text import _
from .spec import BackendSpec, CliFlag, Listed

__all__ = ["BUILTIN", "BackendSpec", "CliFlag", "Listed", "field_forms", "find", "get",
           "kinds", "register", "secret_keys", "specs", "unregister"]

# the built-in backends, in the order the CLI and the dialog list them
BUILTIN = ("jiandaoyun", "kintone", "shenbi", "ipaas", "local")

_lock = threading.RLock()  # a backend module may ask the registry while it loads
_specs: dict[str, BackendSpec] = {}
_loaded = False


def _load_builtin() -> None:
    global _loaded
    with _lock:
        if _loaded:
            return
        for kind in BUILTIN:
            spec = importlib.import_module(f"{__name__}.{kind}").SPEC
            if spec.kind != kind:
                raise RuntimeError(f"backends.{kind} registers “{spec.kind}”")
            _specs.setdefault(kind, spec)
            add_secret_keys(spec.secret_names)
        _loaded = True


def register(spec: BackendSpec) -> None:
    """Add a backend that is not built in (a kind already registered is refused)."""
    _load_builtin()
    with _lock:
        if spec.kind in _specs:
            raise ValueError(f"backend kind “{spec.kind}” is already registered")
        add_secret_keys(spec.secret_names)
        _specs[spec.kind] = spec


def unregister(kind: str) -> None:
    """Remove a backend :func:`register` added (built-in ones stay)."""
    with _lock:
        if kind not in BUILTIN:
            _specs.pop(kind, None)


def specs() -> tuple[BackendSpec, ...]:
    """Every registered backend: the built-in ones in ``BUILTIN`` order, then the others."""
    _load_builtin()
    with _lock:
        return tuple(_specs.values())


def kinds() -> tuple[str, ...]:
    return tuple(s.kind for s in specs())


def get(kind: str) -> BackendSpec:
    """The backend of ``kind``; ConfigError for a kind this version does not know."""
    _load_builtin()
    with _lock:
        spec = _specs.get(kind)
    if spec is None:
        raise ConfigError(_("不支持的后端类型：{kind}").format(kind=kind))
    return spec


def find(kind: str) -> BackendSpec | None:
    """The backend of ``kind``, or None."""
    try:
        return get(kind)
    except ConfigError:
        return None


def secret_keys(kind: str, options: Mapping[str, Any]) -> tuple[str, ...]:
    """The keyring entries a profile of ``kind`` with ``options`` needs (the `profiles list`
    secret column, what the profile dialog asks for, what saving keeps); none for a kind this
    version does not know."""
    spec = find(kind)
    return () if spec is None else spec.secret_keys(options)


def field_forms(kind: str, options: Mapping[str, Any]) -> tuple[str, str] | None:
    """The ids of the students and the cards form (app) whose fields a profile of ``kind``
    can read by label, or None where the backend lists no fields (神笔, iPaaS, local)."""
    spec = find(kind)
    if spec is None or spec.forms is None:
        return None
    return str(options.get(spec.forms[0], "")), str(options.get(spec.forms[1], ""))
