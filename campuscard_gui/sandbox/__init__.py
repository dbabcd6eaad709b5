"""Local servers that speak the backends' wire protocols over a seeded demo school.

Shares no code with ``connectors/`` (only ``core/`` and the demo generator), so a misreading
of a protocol cannot cancel out between the client and this emulator.

    with run_sandbox(students=250, seed=7) as sb:
        httpx.post(f"{sb.base_url}/v5/app/entry/data/list",
                   headers={"Authorization": f"Bearer {sb.api_key}"},
                   json={"app_id": sb.app_id, "entry_id": sb.students_entry_id, "limit": 100})
        sb.control.set_faults(["drop", "timeout"], 0.2)
        ...  # run the writes
        assert sb.control.counters().faults  # {"drop": n, "timeout": m}: faults happened
        assert sb.control.wait_landed(30)  # every held ("timeout") write applied or dropped
        assert all(n == 1 for n in sb.control.cards_by_student().values())

``start_sandbox("all")`` serves every backend on one port (简道云 under ``/api/…``, kintone
under ``/k/…``, 神笔 under ``/shenbi/…``, the iPaaS gateway and its 神笔 under
``/shenbi-ipaas/…``), each over its own copy of the demo school with its own Control.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette

from . import registry as sandboxes
from .control import FAULT_KINDS, Control, Counters, parse_fault_kinds
from .jiandaoyun.settings import JdySettings
from .kintone.settings import KintoneSettings
from .server import ConnectionRegistry, ServerThread, is_loopback
from .shenbi.settings import ShenbiSettings

__all__ = ["ALL_BACKENDS", "BACKENDS", "FAULT_KINDS", "Control", "Counters", "JdySettings",
           "KintoneSettings", "RunningSandbox", "SandboxInfo", "ShenbiSettings", "run_sandbox",
           "start_sandbox"]

BACKENDS = sandboxes.BUILTIN  # the built-in ones; sandboxes.kinds() includes registered ones
ALL_BACKENDS = "all"  # every registered backend on one port


@dataclass(frozen=True, slots=True)
class SandboxInfo:
    base_url: str  # e.g. http://127.0.0.1:PORT/api (简道云: endpoints under /v5/…)
    app_id: str
    students_entry_id: str
    cards_entry_id: str
    api_key: str = field(repr=False)
    control: Control = field(repr=False, compare=False)
    backend: str = "jiandaoyun"
    # kintone only ("" for 简道云): app ids, one API token per app, a login and password
    students_app: str = ""
    cards_app: str = ""
    students_token: str = field(default="", repr=False)
    cards_token: str = field(default="", repr=False)
    user: str = ""
    password: str = field(default="", repr=False)
    guest_space: str = ""  # kintone: the apps' guest space id ("" when not in one)
    # 神笔 and ipaas only: the tenant's app and objects, its AK/SK and the TC3 scope
    app_code: str = ""
    students_object: str = ""
    cards_object: str = ""
    secret_id: str = ""
    secret_key: str = field(default="", repr=False)
    service: str = ""
    version: str = ""
    # ipaas only: the flow's full gateway URL and its token ("" when none is checked)
    gateway_url: str = ""
    gateway_token: str = field(default="", repr=False)
    # a registered backend's own values (the fields above are the built-in ones')
    extra: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def start_line(self) -> dict[str, str]:
        """The JSON object ``campuscard-sandbox`` prints when ready: what the backend's
        registration lists (``SandboxSpec.line_keys``)."""
        spec = sandboxes.get(self.backend)
        line = {"backend": self.backend}
        for key in spec.line_keys:
            value = str(getattr(self, key, None) or self.extra.get(key, ""))
            if value or key not in spec.optional_keys:
                line[key] = value
        return line


class RunningSandbox:
    """A started sandbox; ``stop()`` shuts it down and joins its thread.

    ``infos``: one SandboxInfo per backend served, in BACKENDS order; ``info`` is the first.
    """

    def __init__(self, infos: tuple[SandboxInfo, ...], server: ServerThread) -> None:
        self.infos = infos
        self.info = infos[0]
        self._server = server

    def for_backend(self, backend: str) -> SandboxInfo:
        for info in self.infos:
            if info.backend == backend:
                return info
        raise KeyError(backend)

    def stop(self) -> None:
        self._server.stop()


def start_sandbox(backend: str = "jiandaoyun", students: int = 200, seed: int = 1,
                  latency_ms: float = 0.0, fault_rate: float = 0.0,
                  faults: Iterable[str] | str = (), *, host: str = "127.0.0.1", port: int = 0,
                  api_key: str | None = None, with_cards: bool = False,
                  fault_scope: str | None = None, settings: Any = None) -> RunningSandbox:
    """Start a sandbox server on a background thread and return once it accepts requests.

    ``backend``: one of BACKENDS, or "all" for every one of them on one port.
    ``faults``: kinds from FAULT_KINDS; ``fault_rate`` of eligible requests get one.
    ``with_cards``: also load the demo school's card records (the cards form starts empty
    otherwise). ``settings``: backend settings (JdySettings for 简道云, KintoneSettings for
    kintone, ShenbiSettings for shenbi and ipaas; for "all" a mapping backend -> settings).
    For kintone, ``api_key`` is the user's password, for shenbi/ipaas the SecretKey (random
    when None).
    """
    known = sandboxes.kinds()
    if backend not in (*known, ALL_BACKENDS):
        raise ValueError(f"unknown sandbox backend {backend!r}; "
                         f"known: {', '.join((*known, ALL_BACKENDS))}")
    if not is_loopback(host):
        raise ValueError(f"沙箱只能监听本机回环地址，拒绝 {host}")
    if students < 0:
        raise ValueError("students must be >= 0")
    chosen = known if backend == ALL_BACKENDS else (backend,)
    if backend == ALL_BACKENDS:
        if settings is not None and not isinstance(settings, Mapping):
            raise TypeError("settings for the 'all' sandbox must map backend -> settings")
        per_backend: Mapping[str, Any] = settings or {}
    else:
        per_backend = {backend: settings}
    kinds = parse_fault_kinds(faults)
    key = api_key or secrets.token_hex(16)
    registry = ConnectionRegistry()
    built = []
    for name in chosen:
        own = per_backend.get(name)
        scope = str(fault_scope or getattr(own, "fault_scope", "writes"))
        spec = sandboxes.get(name)
        control = Control(seed=seed, latency_ms=latency_ms, faults=kinds,
                          fault_rate=fault_rate, fault_scope=scope, wire=spec)
        app, describe = spec.build(students=students, seed=seed, control=control, api_key=key,
                                   settings=own, with_cards=with_cards, registry=registry)
        built.append((name, control, app, describe))
    apps = [app for _name, _control, app, _describe in built]
    # a mount at the root (a 神笔 base_path of "") would shadow the ones after it
    mounts = sorted((a.mount for a in apps), key=lambda m: m.path == "")
    asgi = apps[0] if len(apps) == 1 else Starlette(routes=mounts)

    def stopping() -> None:
        for a in apps:
            a.stopping.set()

    server = ServerThread(asgi, registry, host, port, on_stop=stopping)
    server.start()
    infos = tuple(_info(describe(server.url), control, name)
                  for name, control, _app, describe in built)
    return RunningSandbox(infos, server)


_INFO_FIELDS = frozenset(SandboxInfo.__dataclass_fields__) - {"control", "backend", "extra"}


def _info(described: Mapping[str, str], control: Control, backend: str) -> SandboxInfo:
    """The SandboxInfo of a built backend: its values in the fields the built-in backends
    have, the rest of a registered backend's in ``extra``."""
    values = {k: v for k, v in described.items() if k in _INFO_FIELDS}
    values.setdefault("api_key", "")
    for key in ("app_id", "students_entry_id", "cards_entry_id", "base_url"):
        values.setdefault(key, "")
    extra = {k: v for k, v in described.items() if k not in _INFO_FIELDS}
    return SandboxInfo(**values, control=control, backend=backend, extra=extra)


@contextmanager
def run_sandbox(backend: str = "jiandaoyun", students: int = 200, seed: int = 1,
                latency_ms: float = 0.0, fault_rate: float = 0.0,
                faults: Iterable[str] | str = (), **options: Any) -> Iterator[SandboxInfo]:
    """Context manager around :func:`start_sandbox`: yields the SandboxInfo, stops on exit.

    For "all" it yields the first backend's; use :func:`start_sandbox` to reach every one.
    """
    running = start_sandbox(backend, students, seed, latency_ms, fault_rate, faults, **options)
    try:
        yield running.info
    finally:
        running.stop()
