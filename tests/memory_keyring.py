"""In-memory keyring backends that tests pass into CredentialStore.

They are never installed as the process-wide keyring: negative priority keeps keyring's own
discovery from choosing them. The real Secret Service is exercised by test_secret_service.py.
"""

from __future__ import annotations

import keyring.errors
from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """A dict of (service, username) -> secret."""

    priority = -10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("no such password") from None


class LockedKeyring(MemoryKeyring):
    """Every call fails the way a locked Secret Service collection does — and, to be nasty,
    with the secret it was handed in the error text."""

    def __init__(self, error: type[Exception] = keyring.errors.KeyringLocked) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error(f"Failed to unlock the collection for {service}/{username}!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error(f"could not store {password!r}")

    def delete_password(self, service: str, username: str) -> None:
        raise self.error("locked")
