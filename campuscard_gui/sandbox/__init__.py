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
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.applications import Starlette

from ..core.demo import generate_school
from .control import FAULT_KINDS, Control, Counters, parse_fault_kinds
from .ipaas.app import IpaasGateway
from .jiandaoyun.app import JiandaoyunApp
from .jiandaoyun.schema import APP_ID, CARDS_ENTRY_ID, STUDENTS_ENTRY_ID
from .jiandaoyun.settings import JdySettings
from .jiandaoyun.store import JdyStore
from .kintone.app import KintoneApp
from .kintone.settings import KintoneSettings
from .kintone.store import KintoneStore
from .server import ConnectionRegistry, ServerThread, is_loopback
from .shenbi.app import ShenbiApp
from .shenbi.settings import ShenbiSettings
from .shenbi.store import ShenbiStore

__all__ = ["ALL_BACKENDS", "BACKENDS", "FAULT_KINDS", "Control", "Counters", "JdySettings",
           "KintoneSettings", "RunningSandbox", "SandboxInfo", "ShenbiSettings", "run_sandbox",
           "start_sandbox"]

BACKENDS = ("jiandaoyun", "kintone", "shenbi", "ipaas")
_SHENBI_KEYS = ("backend", "base_url", "app_code", "students_object", "cards_object",
                "secret_id", "secret_key", "service", "version")
ALL_BACKENDS = "all"  # every backend in BACKENDS on one port


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

    def start_line(self) -> dict[str, str]:
        """The JSON object ``campuscard-sandbox`` prints when ready."""
        if self.backend in ("shenbi", "ipaas"):
            line = {key: str(getattr(self, key)) for key in _SHENBI_KEYS}
            if self.backend == "ipaas":
                line.update(gateway_url=self.gateway_url, gateway_token=self.gateway_token)
            return line
        if self.backend == "kintone":
            line = {"backend": self.backend, "base_url": self.base_url,
                    "students_app": self.students_app, "cards_app": self.cards_app,
                    "students_token": self.students_token, "cards_token": self.cards_token,
                    "user": self.user, "password": self.password}
            if self.guest_space:
                line["guest_space"] = self.guest_space
            return line
        return {"backend": self.backend, "base_url": self.base_url, "app_id": self.app_id,
                "students_entry_id": self.students_entry_id,
                "cards_entry_id": self.cards_entry_id, "api_key": self.api_key}


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


_S = TypeVar("_S", JdySettings, KintoneSettings, ShenbiSettings)


def _settings_for(backend: str, settings: Any, kind: type[_S]) -> _S:
    """``settings`` (None: the defaults), refused unless they are the backend's own kind."""
    if settings is None:
        return kind()
    if not isinstance(settings, kind):
        raise TypeError(f"settings for the {backend} sandbox must be {kind.__name__}")
    return settings


def _build_jiandaoyun(*, students: int, seed: int, control: Control, api_key: str,
                      settings: Any, with_cards: bool, registry: ConnectionRegistry
                      ) -> tuple[JiandaoyunApp, Callable[[str], dict[str, str]]]:
    jdy_settings = _settings_for("jiandaoyun", settings, JdySettings)
    store = JdyStore(generate_school(students, seed), jdy_settings, with_cards=with_cards)
    forms = {"students": STUDENTS_ENTRY_ID, "cards": CARDS_ENTRY_ID}
    control.attach(store.cards_by_student, lambda form: store.records(forms[form]))
    app = JiandaoyunApp(store, control, api_key, jdy_settings, registry.abort)

    def info(url: str) -> dict[str, str]:
        return {"base_url": f"{url}/api", "app_id": APP_ID,
                "students_entry_id": STUDENTS_ENTRY_ID, "cards_entry_id": CARDS_ENTRY_ID}

    return app, info


def _build_kintone(*, students: int, seed: int, control: Control, api_key: str,
                   settings: Any, with_cards: bool, registry: ConnectionRegistry
                   ) -> tuple[KintoneApp, Callable[[str], dict[str, str]]]:
    k_settings = _settings_for("kintone", settings, KintoneSettings)
    store = KintoneStore(generate_school(students, seed), k_settings, with_cards=with_cards)
    control.attach(store.cards_by_student, store.records)
    tokens = {k_settings.students_app: secrets.token_urlsafe(30),
              k_settings.cards_app: secrets.token_urlsafe(30)}
    app = KintoneApp(store, control, tokens, api_key, k_settings, registry.abort)

    def info(url: str) -> dict[str, str]:
        space = k_settings.guest_space
        return {"base_url": url, "app_id": "", "students_entry_id": "", "cards_entry_id": "",
                "students_app": str(k_settings.students_app),
                "cards_app": str(k_settings.cards_app),
                "students_token": tokens[k_settings.students_app],
                "cards_token": tokens[k_settings.cards_app], "user": k_settings.user,
                "password": api_key, "guest_space": "" if space is None else str(space)}

    return app, info


def _build_shenbi(*, students: int, seed: int, control: Control, api_key: str,
                  settings: Any, with_cards: bool, registry: ConnectionRegistry,
                  gateway: bool = False) -> tuple[ShenbiApp, Callable[[str], dict[str, str]]]:
    s = _settings_for("shenbi/ipaas", settings, ShenbiSettings)
    s.validate()
    store = ShenbiStore(generate_school(students, seed), s, with_cards=with_cards)
    control.attach(store.cards_by_student, store.records)
    secret_id = s.secret_id or f"AKID{secrets.token_hex(16)}"
    flow_id = f"AKIDflow{secrets.token_hex(12)}"  # the flow's own SecretId, used in process
    credentials = {secret_id: api_key, flow_id: secrets.token_hex(16)}
    base_path = s.base_path if s.base_path is not None else (
        "/shenbi-ipaas" if gateway else "/shenbi")
    app = ShenbiApp(store, control, credentials, s, base_path, registry.abort)
    token = ""
    if gateway:
        token = secrets.token_urlsafe(24) if s.gateway_token is None else s.gateway_token
        app.add_route(IpaasGateway(app, flow_id, token).route)

    def info(url: str) -> dict[str, str]:
        base = f"{url}{base_path}"
        return {"base_url": base, "app_id": "", "students_entry_id": "", "cards_entry_id": "",
                "app_code": s.app_code, "students_object": s.students_object,
                "cards_object": s.cards_object, "secret_id": secret_id, "secret_key": api_key,
                "service": s.service, "version": s.version,
                "gateway_url": f"{base}/ipaas/gateway/{s.gateway_flow}" if gateway else "",
                "gateway_token": token}

    return app, info


def _build_ipaas(**kw: Any) -> tuple[ShenbiApp, Callable[[str], dict[str, str]]]:
    return _build_shenbi(**kw, gateway=True)


_BUILDERS: dict[str, Callable[..., tuple[Any, Callable[[str], dict[str, str]]]]] = {
    "jiandaoyun": _build_jiandaoyun, "kintone": _build_kintone, "shenbi": _build_shenbi,
    "ipaas": _build_ipaas,
}


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
    if backend not in (*BACKENDS, ALL_BACKENDS):
        raise ValueError(f"unknown sandbox backend {backend!r}; "
                         f"known: {', '.join((*BACKENDS, ALL_BACKENDS))}")
    if not is_loopback(host):
        raise ValueError(f"沙箱只能监听本机回环地址，拒绝 {host}")
    if students < 0:
        raise ValueError("students must be >= 0")
    chosen = BACKENDS if backend == ALL_BACKENDS else (backend,)
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
        control = Control(seed=seed, latency_ms=latency_ms, faults=kinds,
                          fault_rate=fault_rate, fault_scope=scope)
        app, describe = _BUILDERS[name](students=students, seed=seed, control=control, api_key=key,
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
    infos = tuple(SandboxInfo(**describe(server.url),
                              api_key=key if name == "jiandaoyun" else "",
                              control=control, backend=name)
                  for name, control, _app, describe in built)
    return RunningSandbox(infos, server)


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
