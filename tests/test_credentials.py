"""CredentialStore over an in-memory keyring backend (injected, never installed globally); which
secrets a profile needs and saving a profile with them (stale ones removed)."""

from __future__ import annotations

import logging
import traceback
from typing import Any

import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from memory_keyring import LockedKeyring, MemoryKeyring

from campuscard_gui.backends import secret_keys
from campuscard_gui.backends.profile_secrets import save_with_secrets
from campuscard_gui.config import ConfigStore, Paths, Profile
from campuscard_gui.config.credentials import (
    SECRET_KEYS,
    CredentialError,
    CredentialStore,
    TypedSecrets,
    backend_is_usable,
    service_name,
    usable_backend,
)
from campuscard_gui.core.errors import CampusCardError, ConfigError

SECRET = "jdy-SECRET-5f0c2a9e"


@pytest.fixture
def store(memory: MemoryKeyring) -> CredentialStore:
    return CredentialStore(memory)


def everything_about(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(vars(exc))


def test_round_trip_uses_service_and_key_names(store: CredentialStore,
                                               memory: MemoryKeyring) -> None:
    store.set("school", SECRET)
    assert memory.entries == {("campuscard-gui:school", "api_key"): SECRET}
    assert store.get("school") == SECRET
    assert store.get("school", "api_key") == SECRET
    assert store.has("school") and not store.has("school", "secret_key")
    store.set("school", "other", key="secret_id")
    assert store.get("school", "secret_id") == "other"
    assert service_name("school") == "campuscard-gui:school"
    store.set("school", "rotated")
    assert store.get("school") == "rotated"


def test_profiles_are_separate(store: CredentialStore) -> None:
    store.set("a", "secret-a")
    store.set("b", "secret-b")
    assert (store.get("a"), store.get("b")) == ("secret-a", "secret-b")
    assert store.delete("a") == 1
    assert store.get("b") == "secret-b"


def test_delete_removes_every_known_key(store: CredentialStore,
                                        memory: MemoryKeyring) -> None:
    for key in SECRET_KEYS:
        store.set("p", f"value-of-{key}", key=key)
    memory.entries[("campuscard-gui:other", "api_key")] = "keep"
    assert store.delete("p") == len(SECRET_KEYS)
    assert memory.entries == {("campuscard-gui:other", "api_key"): "keep"}
    assert store.delete("p") == 0  # nothing there: not an error
    assert store.delete("never-existed") == 0


def test_missing_secret_names_the_profile(store: CredentialStore) -> None:
    with pytest.raises(CredentialError) as info:
        store.get("教务处")
    assert info.value.code == "secret_missing"
    assert "教务处" in info.value.message
    assert isinstance(info.value, CampusCardError)


def test_empty_secret_and_unknown_key_are_refused(store: CredentialStore,
                                                  memory: MemoryKeyring) -> None:
    for bad in ("", "   ", "\n"):
        with pytest.raises(ConfigError):
            store.set("p", bad)
    with pytest.raises(ConfigError):
        store.set("p", SECRET, key="not-a-key")  # delete() could never find it
    assert memory.entries == {}


@pytest.mark.parametrize("backend", [
    fail.Keyring(), null.Keyring(), chainer.ChainerBackend(),
], ids=["fail", "null", "empty-chainer"])
def test_no_usable_backend(backend: KeyringBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    if isinstance(backend, chainer.ChainerBackend):  # a chainer that found nothing to chain
        monkeypatch.setattr(chainer.ChainerBackend, "backends", [], raising=False)
    store = CredentialStore(backend)
    assert not backend_is_usable(backend) and not store.available()
    for call in (lambda: store.get("p"), lambda: store.set("p", SECRET),
                 lambda: store.delete("p"), lambda: store.has("p")):
        with pytest.raises(CredentialError) as info:
            call()
        assert info.value.code == "keyring_unavailable"
        message = info.value.message
        assert "gnome-keyring" in message and "apt-get install" in message
        assert "明文" in message  # says why there is no fallback
        assert SECRET not in everything_about(info.value)


class FileKeyring(MemoryKeyring):
    """Stands for keyrings.alt's PlaintextKeyring: secrets in a file."""


FileKeyring.__module__ = "keyrings.alt.file"


def test_file_backends_are_refused(memory: MemoryKeyring) -> None:
    plaintext = FileKeyring()
    store = CredentialStore(plaintext)
    assert not store.available()
    with pytest.raises(CredentialError) as info:
        store.set("p", SECRET)
    assert info.value.code == "keyring_unavailable"
    assert plaintext.entries == {}


def test_chainer_resolves_to_its_best_real_backend(monkeypatch: pytest.MonkeyPatch,
                                                   memory: MemoryKeyring) -> None:
    plaintext, other = FileKeyring(), MemoryKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [plaintext, memory, other],
                        raising=False)
    assert usable_backend(chainer.ChainerBackend()) is memory
    store = CredentialStore(chainer.ChainerBackend())
    store.set("p", SECRET)
    assert memory.entries and not plaintext.entries and not other.entries
    assert store.get("p") == SECRET

    monkeypatch.setattr(chainer.ChainerBackend, "backends", [plaintext], raising=False)
    assert not backend_is_usable(chainer.ChainerBackend())


def test_no_keyring_error_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    store = CredentialStore(LockedKeyring(keyring.errors.NoKeyringError))
    with pytest.raises(CredentialError) as info:
        store.set("p", SECRET)
    assert info.value.code == "keyring_unavailable"


@pytest.mark.parametrize("error", [
    keyring.errors.KeyringLocked, keyring.errors.InitError, keyring.errors.PasswordSetError,
    keyring.errors.KeyringError, ConnectionRefusedError,
])
def test_locked_or_unreachable(error: type[Exception],
                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = CredentialStore(LockedKeyring(error))
    assert store.available()  # configured, just not reachable
    for call in (lambda: store.set("p", SECRET), lambda: store.get("p"),
                 lambda: store.delete("p"), lambda: store.has("p")):
        with pytest.raises(CredentialError) as info:
            call()
        assert info.value.code == "keyring_locked"
        assert "解锁" in info.value.message
        assert error.__name__ in info.value.message
        text = everything_about(info.value)
        assert SECRET not in text
        assert info.value.__cause__ is None and info.value.__context__ is None
    assert SECRET not in caplog.text
    assert "keyring_locked" in caplog.text  # the failure is logged, without the secret


def test_secret_never_logged(store: CredentialStore, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store.set("p", SECRET)
    store.get("p")
    store.has("p")
    store.delete("p")
    with pytest.raises(CredentialError):
        store.get("p")
    assert caplog.records  # set and delete leave a trace…
    assert SECRET not in caplog.text  # …without the secret
    for record in caplog.records:
        assert SECRET not in repr(record.args)


def test_default_backend_is_chosen_lazily(monkeypatch: pytest.MonkeyPatch,
                                          memory: MemoryKeyring) -> None:
    calls: list[int] = []

    def get_keyring() -> KeyringBackend:
        calls.append(1)
        return memory

    monkeypatch.setattr(keyring, "get_keyring", get_keyring)
    store = CredentialStore()
    assert calls == []  # constructing is free
    store.set("p", SECRET)
    assert store.get("p") == SECRET and calls == [1]


def test_broken_keyring_configuration_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    def get_keyring() -> Any:
        raise ValueError("bad keyringrc.cfg")

    monkeypatch.setattr(keyring, "get_keyring", get_keyring)
    store = CredentialStore()
    assert not store.available()
    with pytest.raises(CredentialError) as info:
        store.get("p")
    assert info.value.code == "keyring_unavailable"


# -- the secrets of a profile ---------------------------------------------------------------

K_SERVICE = "campuscard-gui:k"


def kintone(auth: str = "token") -> Profile:
    return Profile("k", "kintone", {"base_url": "https://x.cybozu.com", "students_app": "1",
                                    "cards_app": "2", "auth": auth,
                                    "user": "u" if auth == "password" else ""})


def test_secret_keys_follow_kind_and_sign_in() -> None:
    assert secret_keys("local", {}) == ()
    assert secret_keys("jiandaoyun", {}) == ("api_key",)
    assert secret_keys("kintone", {"auth": "token"}) == ("students_token", "cards_token")
    assert secret_keys("kintone", {}) == ("students_token", "cards_token")  # the default
    assert secret_keys("kintone", {"auth": "password"}) == ("password",)
    assert secret_keys("shenbi", {}) == ("secret_id", "secret_key")  # AK, then SK
    assert secret_keys("ipaas", {"token_header": "X-Gateway-Token"}) == ("gateway_token",)
    assert secret_keys("ipaas", {"token_header": " "}) == ()  # the gateway takes no secret
    assert secret_keys("ipaas", {}) == ()
    every = {k for kind, o in (("jiandaoyun", {}), ("kintone", {}),
                               ("kintone", {"auth": "password"}), ("shenbi", {}),
                               ("ipaas", {"token_header": "X-Token"}))
             for k in secret_keys(kind, o)}
    assert every <= set(SECRET_KEYS)  # delete() removes whatever a profile stored


def test_delete_keeps_what_it_is_told(store: CredentialStore, memory: MemoryKeyring) -> None:
    for key in ("students_token", "cards_token", "password"):
        store.set("k", f"v-{key}", key)
    assert store.delete("k", keep=("password",)) == 2
    assert memory.entries == {(K_SERVICE, "password"): "v-password"}


def test_save_new_kintone_profile_with_tokens(paths: Paths, store: CredentialStore,
                                              memory: MemoryKeyring) -> None:
    removed = save_with_secrets(ConfigStore(paths), store, kintone(),
                                {"students_token": " s-tok ", "cards_token": "c-tok",
                                 "password": "typed-but-not-needed"})
    assert removed == 0
    assert memory.entries == {(K_SERVICE, "students_token"): "s-tok",
                              (K_SERVICE, "cards_token"): "c-tok"}
    assert ConfigStore(paths).get_profile("k").options["auth"] == "token"


def test_switching_to_a_password_removes_the_tokens(paths: Paths, store: CredentialStore,
                                                    memory: MemoryKeyring) -> None:
    config = ConfigStore(paths)
    save_with_secrets(config, store, kintone(), {"students_token": "s", "cards_token": "c"})
    assert save_with_secrets(config, store, kintone("password"), {"password": "pw"}) == 2
    assert memory.entries == {(K_SERVICE, "password"): "pw"}
    # and back: the password goes
    assert save_with_secrets(config, store, kintone(),
                             {"students_token": "s2", "cards_token": "c2"}) == 1
    assert set(memory.entries) == {(K_SERVICE, "students_token"), (K_SERVICE, "cards_token")}


def test_untyped_secrets_must_be_stored(paths: Paths, store: CredentialStore,
                                        memory: MemoryKeyring) -> None:
    config = ConfigStore(paths)
    with pytest.raises(CredentialError) as info:
        save_with_secrets(config, store, kintone(), {"students_token": "s"})
    assert info.value.code == "secret_missing" and "cards_token" in info.value.message
    assert memory.entries == {} and "k" not in config.load_profiles()  # nothing half-done
    store.set("k", "stored-c", "cards_token")
    save_with_secrets(config, store, kintone(), {"students_token": "s"})  # keeps the stored
    assert memory.entries[(K_SERVICE, "cards_token")] == "stored-c"


def test_a_locked_keyring_saves_nothing(paths: Paths) -> None:
    with pytest.raises(CredentialError) as info:
        save_with_secrets(ConfigStore(paths), CredentialStore(LockedKeyring()), kintone(),
                          {"students_token": "s", "cards_token": "c"})
    assert info.value.code == "keyring_locked"
    assert not paths.profiles_path.exists()


def test_a_new_profile_that_cannot_be_written_takes_its_secrets_back(
        paths: Paths, store: CredentialStore, memory: MemoryKeyring,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: ConfigStore, profile: Profile) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(ConfigStore, "save_profile", broken)
    with pytest.raises(OSError):
        save_with_secrets(ConfigStore(paths), store, kintone(),
                          {"students_token": "s", "cards_token": "c"})
    assert memory.entries == {}


def test_typed_secrets_in_front_of_the_store(store: CredentialStore) -> None:
    store.set("k", "stored-s", "students_token")
    store.set("k", "stored-c", "cards_token")
    typed = TypedSecrets(store, "k", {"students_token": "typed-s", "cards_token": ""})
    assert typed.get("k", "students_token") == "typed-s"
    assert typed.get("k", "cards_token") == "stored-c"  # empty: the stored one
    assert not typed.has("other", "students_token")
    assert typed.available() and "typed-s" not in repr(typed)
    with pytest.raises(CredentialError):
        typed.get("k", "password")


def ipaas(header: str) -> Profile:
    return Profile("gw", "ipaas", {"gateway_url": "https://gw.example.edu.cn/flow",
                                   "read_profile": "sb", "token_header": header})


def test_ipaas_token_follows_the_header(paths: Paths, store: CredentialStore,
                                        memory: MemoryKeyring) -> None:
    config = ConfigStore(paths)
    service = "campuscard-gui:gw"
    with pytest.raises(CredentialError) as info:  # a header and no token: nothing saved
        save_with_secrets(config, store, ipaas("X-Gateway-Token"), {})
    assert info.value.code == "secret_missing" and "gw" not in config.load_profiles()
    save_with_secrets(config, store, ipaas("X-Gateway-Token"), {"gateway_token": "tok"})
    assert memory.entries == {(service, "gateway_token"): "tok"}
    # the gateway no longer takes a secret: the token goes
    assert save_with_secrets(config, store, ipaas(""), {"gateway_token": "ignored"}) == 1
    assert memory.entries == {} and config.get_profile("gw").options["token_header"] == ""


def test_shenbi_needs_both_ak_and_sk(paths: Paths, store: CredentialStore,
                                     memory: MemoryKeyring) -> None:
    config = ConfigStore(paths)
    profile = Profile("sb", "shenbi", {"base_url": "https://apaas.example.com"})
    with pytest.raises(CredentialError) as info:
        save_with_secrets(config, store, profile, {"secret_id": "AKID"})
    assert "secret_key" in info.value.message and memory.entries == {}
    save_with_secrets(config, store, profile, {"secret_id": "AKID", "secret_key": "SK"})
    assert memory.entries == {("campuscard-gui:sb", "secret_id"): "AKID",
                              ("campuscard-gui:sb", "secret_key"): "SK"}


class RacedKeyring(MemoryKeyring):
    """The Secret Service when another process saves the same entry at the same moment: its
    replace removes the item our CreateItem just made, and our read-back of that item fails
    with ItemNotFoundException (as secretstorage raises it). ``races`` saves are raced."""

    def __init__(self, races: int) -> None:
        super().__init__()
        self.races = races
        self.calls = 0

    def set_password(self, service: str, username: str, password: str) -> None:
        from secretstorage.exceptions import ItemNotFoundException

        self.calls += 1
        super().set_password(service, username, password)
        if self.races:
            self.races -= 1
            self.entries[(service, username)] = "the-other-process-value"
            raise ItemNotFoundException("No such item.")


def test_a_save_raced_by_another_save_of_the_same_entry_is_made_again() -> None:
    backend = RacedKeyring(races=2)
    store = CredentialStore(backend)
    store.set("sb", SECRET, "secret_key")
    assert backend.calls == 3
    assert store.get("sb", "secret_key") == SECRET  # ours, saved last


def test_a_save_that_keeps_vanishing_fails_as_unreachable() -> None:
    backend = RacedKeyring(races=10)
    store = CredentialStore(backend)
    with pytest.raises(CredentialError) as info:
        store.set("sb", SECRET, "secret_key")
    assert info.value.code == "keyring_locked"
    assert backend.calls == 3
    assert SECRET not in everything_about(info.value)


class CountingKeyring(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes += 1
        super().set_password(service, username, password)


def test_a_secret_that_did_not_change_is_not_written_again() -> None:
    """macOS resets the Keychain's "always allow" on every write: saving a profile whose
    secret is the same must not write it."""
    backend = CountingKeyring()
    store = CredentialStore(backend)
    store.set("p", "k-1")
    store.set("p", "k-1")
    assert backend.writes == 1
    store.set("p", "k-2")
    assert backend.writes == 2 and store.get("p") == "k-2"


class WindowsLikeKeyring(MemoryKeyring):
    """Stands for keyring.backends.Windows.WinVaultKeyring (its module is what is checked):
    CredWrite refuses a blob over 2,560 bytes with error 1783."""

    def set_password(self, service: str, username: str, password: str) -> None:
        if len(password.encode("utf-16-le")) > 2560:
            error = OSError(1783, "CredWrite", "The stub received bad data.")
            error.winerror = 1783  # type: ignore[attr-defined]
            raise error
        super().set_password(service, username, password)


WindowsLikeKeyring.__module__ = "keyring.backends.Windows"


def test_a_secret_too_long_for_windows_credential_manager_is_said_plainly() -> None:
    store = CredentialStore(WindowsLikeKeyring())
    store.set("p", "x" * 1280)  # the most it takes
    secret = "s3cret-" + "y" * 1300
    with pytest.raises(CredentialError) as info:
        store.set("p", secret)
    assert info.value.code == "secret_too_long"
    assert "1280" in info.value.message and str(len(secret)) in info.value.message
    assert "s3cret" not in info.value.message
    assert store.get("p") == "x" * 1280  # the old one stays


def test_error_1783_from_the_keyring_is_the_too_long_message_too() -> None:
    """Where the length check cannot know the limit (another backend over Credential
    Manager), the refusal itself is recognised."""

    class Other(WindowsLikeKeyring):
        pass

    Other.__module__ = "some.plugin"
    store = CredentialStore(Other())
    with pytest.raises(CredentialError) as info:
        store.set("p", "z" * 2000)
    assert info.value.code == "secret_too_long" and "zzz" not in str(info.value)
