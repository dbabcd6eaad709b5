"""Secrets (API keys, tokens, passwords) live in the operating system's keyring, nowhere else.

One keyring entry per secret: service ``campuscard-gui:<profile>``, username = the key name
(``api_key`` for 简道云; ``students_token`` and ``cards_token``, or ``password``, for kintone;
``secret_id`` and ``secret_key`` (AK/SK) for 神笔; ``gateway_token`` for an iPaaS gateway
that takes one: each backend says which, ``BackendSpec.secret_keys``). Windows (Credential
Manager) and macOS (Keychain) have a keyring built in; on Linux it is the Secret Service
(gnome-keyring or KWallet) on the D-Bus session bus.

There is deliberately no plaintext fallback: when no usable keyring exists, every call raises
:class:`CredentialError` saying what to install or unlock. No secret ever appears in an
exception message, a chained exception or a log record.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TypeVar

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from ..core.errors import CampusCardError, ConfigError
from ..core.text import _

log = logging.getLogger(__name__)

SERVICE_PREFIX = "campuscard-gui:"

# Every key name a profile may store: delete() removes all of them, so that removing a
# profile leaves nothing behind whatever its kind was. The backends add the names their
# profiles use (``BackendSpec.secret_names``, through ``add_secret_keys``) when they register;
# these are the names earlier versions stored.
SECRET_KEYS: tuple[str, ...] = (
    "api_key", "api_token", "students_token", "cards_token", "secret_id", "secret_key",
    "username", "password", "gateway_token",
)
_KEY_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def add_secret_keys(keys: Iterable[str]) -> None:
    """Let profiles store secrets under these names too (a backend's own)."""
    global SECRET_KEYS
    new = [k for k in keys if k not in SECRET_KEYS]
    for key in new:
        if not _KEY_NAME.match(key):
            raise ValueError(f"not a keyring key name: {key!r}")
    if new:
        SECRET_KEYS = (*SECRET_KEYS, *new)


UNAVAILABLE = "keyring_unavailable"
LOCKED = "keyring_locked"
MISSING = "secret_missing"
_DELETE_FAILED = "delete_failed"  # internal: delete() treats it as "already gone"
TOO_LONG = "secret_too_long"
# Windows Credential Manager keeps at most CRED_MAX_CREDENTIAL_BLOB_SIZE = 5 × 512 bytes per
# entry, and python-keyring stores the secret as UTF-16: 1,280 characters. A longer one fails
# deep in CredWrite with error 1783 (RPC_X_BAD_STUB_DATA), which says nothing to an operator.
WINDOWS_BLOB_BYTES = 5 * 512
_WINDOWS_BAD_STUB_DATA = 1783


def _blob_limit(backend: KeyringBackend) -> int | None:
    """The most bytes (UTF-16) one secret may take in ``backend``, where it is limited."""
    module = type(backend).__module__
    return WINDOWS_BLOB_BYTES if module.startswith("keyring.backends.Windows") else None


def too_long_message(chars: int | None) -> str:
    if chars is None:
        return _("密钥太长，Windows 凭据管理器无法保存（每项最多 {limit} 个字符）。"
                 "请检查是否多粘贴了内容（例如整段说明或多个密钥）。").format(
                     limit=WINDOWS_BLOB_BYTES // 2)
    return _("密钥太长，Windows 凭据管理器无法保存：每项最多 {limit} 个字符，这个密钥有 {chars} "
             "个字符。请检查是否多粘贴了内容（例如整段说明或多个密钥）。").format(
                 limit=WINDOWS_BLOB_BYTES // 2, chars=chars)

T = TypeVar("T")


class CredentialError(CampusCardError):
    """The keyring is missing, locked or unreachable, or holds no secret for a profile."""

    code = "credential"


def service_name(profile: str) -> str:
    return f"{SERVICE_PREFIX}{profile}"


def unavailable_message() -> str:
    base = _("没有可用的系统钥匙环，无法安全地保存或读取密钥（本程序不会把密钥写进明文文件）。")
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return base + _("请安装 gnome-keyring（或 KWallet）并在带 D-Bus 会话的桌面中运行，"
                        "例如：sudo apt-get install gnome-keyring；然后重新登录桌面。")
    if sys.platform in ("win32", "darwin"):
        return base + _("Windows（凭据管理器）和 macOS（钥匙串）自带钥匙环，"
                        "请检查 Python 的 keyring 组件是否完整安装。")
    return base + _("Linux 上请安装 gnome-keyring 或 KWallet 并运行 D-Bus 会话"
                    "（例如 sudo apt-get install gnome-keyring）；Windows 和 macOS 自带钥匙环。")


def locked_message(detail: str) -> str:
    return _("系统钥匙环已锁定或无法访问，请先解锁“登录”钥匙环（例如在桌面的“密码和密钥”"
             "程序中解锁，或注销后重新登录），然后重试。（{detail}）").format(detail=detail)


def missing_message(profile: str, key: str) -> str:
    return _("系统钥匙环中没有配置“{profile}”的密钥（{key}）：请在配置对话框中重新输入，"
             "或运行 campuscard-cli profiles add {profile} --replace … 重新保存").format(
                 profile=profile, key=key)


def _is_plaintext(backend: KeyringBackend) -> bool:
    """keyrings.alt's backends keep secrets in files (plaintext or a self-made encryption)."""
    return type(backend).__module__.startswith("keyrings.alt")


def usable_backend(backend: KeyringBackend) -> KeyringBackend | None:
    """The backend secrets really go to, or None when there is none worth the name.

    keyring's stand-ins (fail, null) and file backends (keyrings.alt) do not count. A chainer
    — what keyring picks when several backends are viable, e.g. Secret Service and KWallet —
    is resolved to its highest-priority real backend, so that reads and writes go to one place
    and never on to a file backend further down the chain.
    """
    if isinstance(backend, fail.Keyring | null.Keyring) or _is_plaintext(backend):
        return None
    if isinstance(backend, chainer.ChainerBackend):
        chained: list[KeyringBackend] = list(type(backend).backends)  # highest priority first
        for candidate in chained:
            found = usable_backend(candidate)
            if found is not None:
                return found
        return None
    return backend


def backend_is_usable(backend: KeyringBackend) -> bool:
    return usable_backend(backend) is not None


@functools.cache
def _access_errors() -> tuple[type[Exception], ...]:
    """What "the keyring is there but we cannot get in" looks like: keyring's own errors,
    a dropped connection, and the Secret Service client's exceptions, which the keyring
    backend lets through (e.g. a D-Bus error in the middle of a search) — imported lazily,
    and only where that client is installed."""
    errors: list[type[Exception]] = [keyring.errors.KeyringError, OSError]
    try:
        from secretstorage.exceptions import SecretStorageException

        errors.append(SecretStorageException)
    except ImportError:
        pass
    try:
        from jeepney.wrappers import DBusErrorResponse

        errors.append(DBusErrorResponse)
    except ImportError:
        pass
    return tuple(errors)


SAVE_ATTEMPTS = 3


@functools.cache
def _vanished_errors() -> tuple[type[Exception], ...]:
    """The Secret Service's "that item is gone": what a save sees when another process saved
    the same entry at the same moment and its replace removed the item ours had just made."""
    try:
        from secretstorage.exceptions import ItemNotFoundException
    except ImportError:
        return ()
    return (ItemNotFoundException,)


def _set_password(backend: KeyringBackend, service: str, key: str, secret: str) -> None:
    """Save, again when a concurrent save of the same entry replaced ours under our feet: a
    save made last is the one that stays, so the retry leaves our secret in the keyring."""
    for attempt in range(1, SAVE_ATTEMPTS + 1):
        try:
            backend.set_password(service, key, secret)
            return
        except _vanished_errors():
            if attempt == SAVE_ATTEMPTS:
                raise
            log.info("keyring save raced another save of the same entry; saving again:"
                     " key=%s attempt=%d", key, attempt + 1)


def _get_password(backend: KeyringBackend, service: str, key: str) -> str | None:
    """Read, again when a concurrent save of the same entry replaced it under our feet (the
    Secret Service removes the old item as it stores the new one: a search that found it may
    then fail to read it)."""
    for attempt in range(1, SAVE_ATTEMPTS + 1):
        try:
            return backend.get_password(service, key)
        except _vanished_errors():
            if attempt == SAVE_ATTEMPTS:
                raise
            log.info("keyring read raced a save of the same entry; reading again:"
                     " key=%s attempt=%d", key, attempt + 1)
    return None


class CredentialStore:
    """get/set/delete secrets of a profile in the OS keyring.

    ``backend`` is for tests and special setups; by default the keyring library chooses (the
    choice is made on first use, not at construction, so building a store is free).
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> KeyringBackend:
        if self._backend is None:
            try:
                self._backend = keyring.get_keyring()
            except Exception as exc:  # a broken keyringrc or plug-in: treat as no keyring
                log.warning("keyring backend could not be loaded: %s", type(exc).__name__)
                raise CredentialError(unavailable_message(), code=UNAVAILABLE) from None
            log.info("keyring backend: %s.%s", type(self._backend).__module__,
                     type(self._backend).__name__)
        return self._backend

    def available(self) -> bool:
        """Whether a real keyring backend is configured (it may still be locked)."""
        try:
            return backend_is_usable(self.backend)
        except CredentialError:
            return False

    # -- the three operations ------------------------------------------------------------------

    def get(self, profile_name: str, key: str = "api_key") -> str:
        secret = self._call("read", profile_name, key,
                            lambda b: _get_password(b, service_name(profile_name), key))
        if not secret:
            raise CredentialError(missing_message(profile_name, key), code=MISSING)
        return secret

    def has(self, profile_name: str, key: str = "api_key") -> bool:
        """Whether a secret is stored (never returns or logs the secret itself)."""
        try:
            self.get(profile_name, key)
        except CredentialError as exc:
            if exc.code == MISSING:
                return False
            raise
        return True

    def set(self, profile_name: str, secret: str, key: str = "api_key") -> None:
        if not isinstance(secret, str) or not secret.strip():
            raise ConfigError(_("密钥不能为空"))
        if key not in SECRET_KEYS:
            raise ConfigError(_("未知的密钥名称：{key}").format(key=key))
        limit = _blob_limit(usable_backend(self.backend) or self.backend)
        if limit is not None and len(secret.encode("utf-16-le")) > limit:
            raise CredentialError(too_long_message(len(secret)), code=TOO_LONG)
        service = service_name(profile_name)
        # a secret that did not change is not written again: on macOS every write resets the
        # Keychain's "always allow" for the program, which then asks the operator again
        if self._call("read", profile_name, key, lambda b: _get_password(b, service, key)) \
                == secret:
            log.info("secret unchanged, not rewritten: profile=%s key=%s", profile_name, key)
            return
        self._call("save", profile_name, key,
                   lambda b: _set_password(b, service, key, secret))
        log.info("secret saved to keyring: profile=%s key=%s", profile_name, key)

    def delete(self, profile_name: str, *, keep: Collection[str] = ()) -> int:
        """Remove every secret of the profile (all of SECRET_KEYS) but those in ``keep`` (the
        ones a changed profile still needs). Returns how many entries were removed; a profile
        with none is not an error."""
        removed = 0
        for key in SECRET_KEYS:
            if key in keep:
                continue
            for _attempt in range(5):  # some backends remove only one matching entry per call
                if not self._delete_one(profile_name, key):
                    break
                removed += 1
        if removed:
            log.info("secrets removed from keyring: profile=%s count=%d", profile_name, removed)
        return removed

    def _delete_one(self, profile_name: str, key: str) -> bool:
        service = service_name(profile_name)
        if not self._call("read", profile_name, key, lambda b: b.get_password(service, key)):
            return False
        try:
            self._call("delete", profile_name, key, lambda b: b.delete_password(service, key))
        except CredentialError as exc:
            if exc.code != _DELETE_FAILED:  # gone in between: nothing left to remove
                raise
            return False
        return True

    # -- error mapping -------------------------------------------------------------------------

    def _call(self, what: str, profile_name: str, key: str,
              op: Callable[[KeyringBackend], T]) -> T:
        backend = usable_backend(self.backend)
        if backend is None:
            raise CredentialError(unavailable_message(), code=UNAVAILABLE)
        try:
            return op(backend)
        except Exception as exc:  # noqa: BLE001 - mapped below; anything else is re-raised
            failure = _failure(what, exc)
        # Only the exception's class is kept: its text (or its cause) might echo what we sent,
        # and `from None` below keeps the original out of tracebacks too.
        log.warning("keyring %s failed: profile=%s key=%s code=%s",
                    what, profile_name, key, failure[0])
        raise CredentialError(failure[1], code=failure[0]) from None


def _windows_error(exc: BaseException) -> int | None:
    """The Windows error number an exception carries (pywin32's and ctypes' errors)."""
    number = getattr(exc, "winerror", None)
    if isinstance(number, int):
        return number
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, int) else None


def _failure(what: str, exc: Exception) -> tuple[str, str]:
    """(code, operator message) for a keyring error; an error of no known kind is raised."""
    if what == "save" and _windows_error(exc) == _WINDOWS_BAD_STUB_DATA:
        # a secret past what Credential Manager takes (the length check before missed it)
        return TOO_LONG, too_long_message(None)
    if isinstance(exc, keyring.errors.NoKeyringError):
        return UNAVAILABLE, unavailable_message()
    if isinstance(exc, keyring.errors.PasswordDeleteError):
        return _DELETE_FAILED, _("钥匙环中的密钥无法删除")
    if isinstance(exc, (keyring.errors.KeyringLocked, *_access_errors())):
        # InitError (no collection / prompt dismissed), PasswordSetError, a D-Bus error, a
        # dropped connection: all mean "the keyring is there but we cannot get in".
        return LOCKED, locked_message(type(exc).__name__)
    raise exc


class TypedSecrets(CredentialStore):
    """Secrets typed into a form and not saved yet, read in front of ``store``: 测试连接 and
    reading the fields on a profile's unsaved values. A secret not typed is the stored one;
    writes go to ``store``'s keyring."""

    def __init__(self, store: CredentialStore, profile_name: str,
                 typed: Mapping[str, str]) -> None:
        super().__init__()
        self._store = store
        self._profile = profile_name
        self._typed = {key: value for key, value in typed.items() if value}

    def __repr__(self) -> str:  # never the secrets
        return f"TypedSecrets({self._profile!r}, typed={sorted(self._typed)})"

    @property
    def backend(self) -> KeyringBackend:
        return self._store.backend

    def get(self, profile_name: str, key: str = "api_key") -> str:
        if profile_name == self._profile and key in self._typed:
            return self._typed[key]
        return self._store.get(profile_name, key)
