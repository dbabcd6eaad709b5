"""Shared pieces of the command line: the exit codes, the usage error, the JSON error object,
the command context, connecting."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from ..backends.factory import open_connector
from ..config import ConfigStore, Paths, Profile
from ..connectors.base import Connector
from ..core.errors import CampusCardError, ConfigError
from ..core.text import _

if TYPE_CHECKING:
    from ..config.credentials import CredentialStore


# Exit codes (README "Exit codes"). A script can tell them apart without reading any text.
EXIT_OK = 0  # done, and no record failed
EXIT_RECORDS = 1  # a record failed / the job was cancelled or left unfinished / declined
EXIT_USAGE = 2  # wrong arguments, unknown profile or job, unusable ids/import file or config
EXIT_FAILED = 3  # the command failed as a whole: backend, network, journal, folders
EXIT_INTERRUPTED = 130  # stopped by Ctrl-C (128 + SIGINT, as a shell reports it)


def write_error(stream: TextIO, code: str, message: str) -> None:
    """The JSON error object a command with ``--format json`` prints on stdout when it fails
    as a whole: ``{"error": {"code": …, "message": …}}`` (the message is the operator's text,
    the same as on stderr, which never holds a secret)."""
    json.dump({"error": {"code": code, "message": message}}, stream, ensure_ascii=False,
              indent=1)
    stream.write("\n")
    stream.flush()


class UsageError(CampusCardError):
    """Wrong use of the command line (exit code 2)."""

    code = "usage"


@dataclass
class Context:
    """What a command needs: paths, profiles and the streams of this call."""

    paths: Paths
    store: ConfigStore
    profile_name: str | None
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    credentials: CredentialStore | None = None  # None: the OS keyring, made on first use

    def credential_store(self) -> CredentialStore:
        if self.credentials is None:
            from ..config.credentials import CredentialStore

            self.credentials = CredentialStore()
        return self.credentials

    def profile(self, name: str | None = None) -> Profile:
        try:
            return self.store.get_profile(name or self.profile_name)
        except ConfigError as exc:
            raise UsageError(exc.message) from exc

    def say(self, text: str) -> None:
        print(text, file=self.stderr)

    def interactive(self) -> bool:
        try:
            return bool(self.stdin.isatty())
        except (AttributeError, ValueError, OSError):
            return False

    def ask(self, prompt: str) -> str:
        self.stderr.write(prompt)
        self.stderr.flush()
        line = self.stdin.readline()
        return line.strip()

    def confirm(self, prompt: str | None = None) -> bool:
        prompt = _("继续？[y/N] ") if prompt is None else prompt
        return self.ask(prompt).casefold() in ("y", "yes", "是")  # text: data


@contextmanager
def connected(ctx: Context, profile: Profile) -> Iterator[Connector]:
    if profile.kind == "local":  # needs no secret: never touch the keyring for it
        connector = open_connector(profile, ctx.paths)
    else:
        connector = open_connector(profile, ctx.paths, ctx.credential_store())
    try:
        yield connector
    finally:
        connector.close()
