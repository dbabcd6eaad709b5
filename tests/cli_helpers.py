"""What the ``campuscard-cli profiles …`` tests share: running main() with an injected keyring
and a given stdin, and everything the config dir holds as text."""

from __future__ import annotations

import io
import sys

import pytest

from campuscard_gui.cli import profiles as cli_profiles
from campuscard_gui.cli.commands import main
from campuscard_gui.config import Paths
from campuscard_gui.config.credentials import CredentialStore


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(capsys: pytest.CaptureFixture[str], creds: CredentialStore | None, *argv: str,
        stdin: str | io.StringIO | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin) if isinstance(stdin, str) else stdin)
    code = main(list(argv), credentials=creds)
    out, err = capsys.readouterr()
    return code, out, err


def fake_getpass(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """Hidden prompts answered with ``answers`` in turn; returns the prompts asked, in order
    (each must go to stderr: scripts read stdout)."""
    prompts: list[str] = []
    replies = iter(answers)

    def getpass(prompt: str, stream: object = None) -> str:
        prompts.append(prompt)
        assert stream is sys.stderr
        return next(replies)

    monkeypatch.setattr(cli_profiles.getpass, "getpass", getpass)
    return prompts


def config_text(paths: Paths) -> str:
    return "".join(f.read_text(encoding="utf-8", errors="replace")
                   for f in paths.config_dir.rglob("*") if f.is_file())
