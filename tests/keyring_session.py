"""A private D-Bus session bus with a GNOME Keyring (Secret Service) on it, for tests.

Nothing here touches the user's own session or keyrings: the bus listens on a socket in a
temporary directory, uses a minimal configuration without service activation (so no other
daemon or prompter can be started on it), and gnome-keyring keeps its files under a temporary
HOME. Both daemons run in their own process groups as children of the test process; close()
kills the groups and reaps them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

BINARIES = ("dbus-daemon", "gnome-keyring-daemon")
SECRETS_NAME = "org.freedesktop.secrets"
PASSWORD = "campuscard-test-login"  # the throwaway login keyring's password

T = TypeVar("T")

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class SessionError(RuntimeError):
    pass


def missing_binaries() -> list[str]:
    return [b for b in BINARIES if shutil.which(b) is None]


def _stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        if proc is not None:
            proc.wait()
        return
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def _read_line(proc: subprocess.Popen[bytes], timeout: float) -> str:
    """The first line a child prints, or SessionError after ``timeout`` seconds."""
    assert proc.stdout is not None
    result: list[bytes] = []
    reader = threading.Thread(target=lambda: result.append(proc.stdout.readline()),  # type: ignore[union-attr]
                              daemon=True)
    reader.start()
    reader.join(timeout)
    if not result or not result[0].strip():
        raise SessionError("dbus-daemon printed no address")
    return result[0].decode().strip()


def call_with_timeout(fn: Callable[[], T], timeout: float) -> T:
    """Run fn in a thread; SessionError if it has not returned after ``timeout`` seconds (a
    D-Bus call waiting for a prompt nobody will answer must not hang the test run)."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise SessionError(f"call did not return within {timeout:g} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


@dataclass
class KeyringSession:
    """A running private bus; start_keyring() puts a gnome-keyring-daemon on it."""

    root: Path
    address: str = ""
    env: dict[str, str] = field(default_factory=dict)
    bus: subprocess.Popen[bytes] | None = None
    keyring: subprocess.Popen[bytes] | None = None

    @property
    def keyrings_dir(self) -> Path:
        return self.root / "home" / ".local" / "share" / "keyrings"

    def start_bus(self, timeout: float = 10.0) -> None:
        home, run = self.root / "home", self.root / "run"
        home.mkdir(parents=True, exist_ok=True)
        run.mkdir(mode=0o700, parents=True, exist_ok=True)
        config = self.root / "bus.conf"
        config.write_text(_BUS_CONFIG.format(socket=run / "bus"), encoding="utf-8")
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_RUNTIME_DIR": str(run),
            "LANG": "C.UTF-8",
        }
        self.bus = subprocess.Popen(
            ["dbus-daemon", "--nofork", "--nopidfile", "--print-address=1",
             f"--config-file={config}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=self.env, start_new_session=True)
        self.address = _read_line(self.bus, timeout)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self.address

    def start_keyring(self, password: str | None = PASSWORD, timeout: float = 15.0) -> None:
        """Start gnome-keyring's Secret Service. With a password, the login keyring is
        unlocked (created on first start); without one it stays locked."""
        self.stop_keyring()
        argv = ["gnome-keyring-daemon", "--foreground", "--components=secrets"]
        if password is not None:
            argv.append("--unlock")
        self.keyring = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env=self.env, start_new_session=True)
        assert self.keyring.stdin is not None
        if password is not None:
            self.keyring.stdin.write(password.encode())
        self.keyring.stdin.close()
        deadline = time.monotonic() + timeout
        while not self._ready(unlocked=password is not None):
            if self.keyring.poll() is not None:
                err = self.keyring.stderr.read().decode(errors="replace") \
                    if self.keyring.stderr else ""
                raise SessionError(f"gnome-keyring-daemon exited ({self.keyring.returncode}):"
                                   f" {err.strip()}")
            if time.monotonic() > deadline:
                raise SessionError("gnome-keyring-daemon did not come up")
            time.sleep(0.05)

    def _ready(self, *, unlocked: bool) -> bool:
        """The Secret Service name is owned and (when unlocking) the login keyring exists."""
        import secretstorage
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import open_dbus_connection

        try:
            with open_dbus_connection(self.address) as conn:
                reply = conn.send_and_get_reply(message_bus.NameHasOwner(SECRETS_NAME),
                                                timeout=2)
                if not reply.body[0]:
                    return False
                if not unlocked:
                    return True
                # no prompt here: Collection() only looks the default alias up
                collection = secretstorage.Collection(conn)
                return not collection.is_locked()
        except (OSError, TimeoutError, secretstorage.exceptions.SecretStorageException):
            return False

    def stop_keyring(self) -> None:
        _stop(self.keyring)
        self.keyring = None

    def close(self) -> None:
        self.stop_keyring()
        _stop(self.bus)
        self.bus = None


def start_session(root: Path) -> KeyringSession:
    session = KeyringSession(root)
    try:
        session.start_bus()
        session.start_keyring()
    except BaseException:
        session.close()
        raise
    return session
