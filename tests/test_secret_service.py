"""CredentialStore and ``campuscard-cli profiles`` against a REAL Secret Service: a private
D-Bus session bus with gnome-keyring-daemon on it (tests/keyring_session.py).

Needs the Debian packages dbus and gnome-keyring (README's test line installs them). Without
them the tests skip locally, but FAIL under CI=true: CI must exercise the real keyring.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring.backends.SecretService
import pytest

if not sys.platform.startswith("linux"):
    pytest.skip("the Secret Service is the Linux keyring", allow_module_level=True)

import secretstorage  # noqa: E402  (a keyring dependency on Linux)
from keyring_session import (  # noqa: E402
    KeyringSession,
    call_with_timeout,
    missing_binaries,
    start_session,
)

import campuscard_gui  # noqa: E402
from campuscard_gui.config.credentials import CredentialError, CredentialStore  # noqa: E402

SECRET = "jdy-real-keyring-7d3e91"
CALL_TIMEOUT = 20.0


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeyringSession]:
    missing = missing_binaries()
    if missing:
        why = f"Secret Service tests need {', '.join(missing)} (apt-get install dbus gnome-keyring)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(why + " — required under CI", pytrace=False)
        pytest.skip(why)
    s = start_session(tmp_path_factory.mktemp("keyring"))
    with pytest.MonkeyPatch.context() as mp:
        # the keyring library and secretstorage find the bus through this variable
        mp.setenv("DBUS_SESSION_BUS_ADDRESS", s.address)
        try:
            yield s
        finally:
            s.close()


@pytest.fixture
def unlocked(session: KeyringSession) -> KeyringSession:
    """Every test starts with a running, unlocked keyring (a test may lock or stop it)."""
    if session.keyring is None or session.keyring.poll() is not None or _locked():
        session.start_keyring()
    return session


@pytest.fixture
def store(unlocked: KeyringSession) -> CredentialStore:
    return CredentialStore(keyring.backends.SecretService.Keyring())


def _locked() -> bool:
    try:
        with secretstorage.dbus_init() as conn:
            return bool(secretstorage.Collection(conn).is_locked())
    except (OSError, secretstorage.exceptions.SecretStorageException):
        return True


def items(profile: str, key: str = "api_key") -> list[str]:
    """The secrets gnome-keyring holds for a profile, read with secretstorage directly (not
    through the code under test)."""
    with secretstorage.dbus_init() as conn:
        found = secretstorage.Collection(conn).search_items(
            {"service": f"campuscard-gui:{profile}", "username": key})
        return [item.get_secret().decode() for item in found]


def test_round_trip(store: CredentialStore) -> None:
    assert store.available()
    call_with_timeout(lambda: store.set("school", SECRET), CALL_TIMEOUT)
    assert items("school") == [SECRET]
    assert call_with_timeout(lambda: store.get("school"), CALL_TIMEOUT) == SECRET
    store.set("school", "rotated")  # replaced, not a second item
    assert items("school") == ["rotated"]
    store.set("school", "sid", key="secret_id")
    assert store.delete("school") == 2
    assert items("school") == [] and items("school", "secret_id") == []
    with pytest.raises(CredentialError) as info:
        store.get("school")
    assert info.value.code == "secret_missing" and "school" in info.value.message


def test_files_on_disk_are_encrypted(store: CredentialStore, unlocked: KeyringSession) -> None:
    store.set("disk", SECRET)
    files = list(unlocked.keyrings_dir.iterdir())
    assert files
    for f in files:
        assert SECRET.encode() not in f.read_bytes()
    store.delete("disk")


def test_locked_collection(store: CredentialStore, unlocked: KeyringSession) -> None:
    store.set("locked", SECRET)
    with secretstorage.dbus_init() as conn:
        secretstorage.Collection(conn).lock()
    # unlocking needs a prompt; the private bus has no prompter, so it is dismissed at once
    with pytest.raises(CredentialError) as info:
        call_with_timeout(lambda: store.get("locked"), CALL_TIMEOUT)
    assert info.value.code == "keyring_locked" and "解锁" in info.value.message
    assert SECRET not in str(info.value)
    with pytest.raises(CredentialError) as info:
        call_with_timeout(lambda: store.set("locked", "new"), CALL_TIMEOUT)
    assert info.value.code == "keyring_locked"


def test_keyring_started_without_unlocking(store: CredentialStore,
                                           unlocked: KeyringSession) -> None:
    """A login without the PAM module: gnome-keyring runs, the login keyring stays locked."""
    store.set("nologin", SECRET)
    unlocked.start_keyring(password=None)
    with pytest.raises(CredentialError) as info:
        call_with_timeout(lambda: store.get("nologin"), CALL_TIMEOUT)
    assert info.value.code == "keyring_locked"
    unlocked.start_keyring()  # unlocked again: the secret survived the restart
    assert store.get("nologin") == SECRET
    store.delete("nologin")


def test_daemon_gone(store: CredentialStore, unlocked: KeyringSession) -> None:
    unlocked.stop_keyring()
    with pytest.raises(CredentialError) as info:
        call_with_timeout(lambda: store.get("p"), CALL_TIMEOUT)
    assert info.value.code in ("keyring_locked", "keyring_unavailable")


# -- the CLI as a real process, choosing its keyring the normal way ---------------------------

def cli(unlocked: KeyringSession, tmp_path: Path, *argv: str,
        stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    root = Path(campuscard_gui.__file__).resolve().parents[1]
    env = dict(unlocked.env)  # private HOME: no keyringrc.cfg, no user keyring
    env.update(PYTHONPATH=str(root), PYTHONIOENCODING="utf-8",
               LANGUAGE=os.environ.get("LANGUAGE", "zh_CN"),  # the suite's language (conftest)
               CAMPUSCARD_CONFIG_DIR=str(tmp_path / "cfg"),
               CAMPUSCARD_DATA_DIR=str(tmp_path / "data"))
    return subprocess.run([sys.executable, "-m", "campuscard_gui.cli.commands", *argv],
                          input=stdin, capture_output=True, env=env, timeout=120, check=False)


def test_cli_profiles_on_the_real_keyring(unlocked: KeyringSession, tmp_path: Path) -> None:
    add = ("profiles", "add", "jdy", "--kind", "jiandaoyun", "--app-id", "app1",
           "--students-entry", "stu1", "--cards-entry", "card1", "--secret-stdin",
           "--no-check")  # no 简道云 behind it: the keyring is what is tested here
    res = cli(unlocked, tmp_path, *add, stdin=SECRET.encode() + b"\n")
    assert res.returncode == 0, res.stderr.decode()
    assert items("jdy") == [SECRET]
    for f in (tmp_path / "cfg").rglob("*"):
        if f.is_file():
            assert SECRET.encode() not in f.read_bytes()
    assert SECRET.encode() not in res.stdout + res.stderr

    res = cli(unlocked, tmp_path, "profiles", "list", "--format", "json")
    assert res.returncode == 0, res.stderr.decode()
    listed = {p["name"]: p for p in json.loads(res.stdout)}
    assert listed["jdy"]["secret"] == "stored" and listed["local"]["secret"] == "not_needed"
    assert SECRET.encode() not in res.stdout

    res = cli(unlocked, tmp_path, "profiles", "remove", "jdy")
    assert res.returncode == 0, res.stderr.decode()
    assert items("jdy") == []
    res = cli(unlocked, tmp_path, "profiles", "list", "--format", "json")
    assert [p["name"] for p in json.loads(res.stdout)] == ["local"]


def test_cli_add_refuses_when_the_keyring_is_locked(unlocked: KeyringSession,
                                                    tmp_path: Path) -> None:
    unlocked.start_keyring(password=None)
    res = cli(unlocked, tmp_path, "profiles", "add", "jdy", "--kind", "jiandaoyun",
              "--app-id", "a", "--students-entry", "s", "--cards-entry", "c", "--secret-stdin",
              "--no-check", stdin=SECRET.encode())
    assert res.returncode == 1
    assert "解锁" in res.stderr.decode() and b"Traceback" not in res.stderr
    assert not (tmp_path / "cfg" / "profiles.json").exists()  # nothing saved
    assert SECRET.encode() not in res.stdout + res.stderr
