"""What a backend tells the rest of the program about itself: ``BackendSpec``.

Each backend package (``backends/<kind>/``) defines one ``SPEC`` in its ``__init__``; the
registry (``backends/__init__.py``) collects them. The factory opens connectors with it, the
keyring code asks it which secrets a profile needs, ``profiles add`` builds the kind's flags,
help and options from it, ``profiles list`` shows a profile with it, and the profile dialog
finds the kind's editor through it. Nothing here imports a backend's HTTP stack or Qt: a
spec's callables import what they need when they are called.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.text import L_

if TYPE_CHECKING:
    from ..config.credentials import CredentialStore
    from ..config.paths import Paths
    from ..config.settings import Profile
    from ..connectors.base import Connector

Connect = Callable[["Profile", "Paths", "CredentialStore | None"], "Connector"]
CliOptions = Callable[[argparse.Namespace, Mapping[str, "Profile"]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class CliFlag:
    """A ``profiles add`` flag of a kind's own (text and numeric options get theirs from their
    declaration, ``config.options``: see ``BackendSpec.flags``). Several kinds may take the
    same flag; ``--help`` then shows each kind's ``help``."""

    flag: str  # "--app-id"
    help: str  # what it is, in the operator's words, for this kind
    metavar: str = ""
    choices: tuple[str, ...] = ()
    repeat: bool = False  # may be given several times (action="append")

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


@dataclass(frozen=True, slots=True)
class Listed:
    """One option ``profiles list`` shows: in ``--format json`` always (``default`` when the
    profile leaves it out), in the table's 连接 column when it has a ``label`` and a value."""

    key: str
    label: str = ""
    default: Any = None
    # the value as the 连接 column says it (e.g. kintone's auth: “API 令牌”), from the options
    show: Callable[[Mapping[str, Any]], str] | None = None


def _no_secrets(_options: Mapping[str, Any]) -> tuple[str, ...]:
    return ()


def keyring(credentials: CredentialStore | None) -> CredentialStore:
    """Where a connector's secrets are read: the store given (a test's, the dialog's typed
    secrets), else the OS keyring."""
    if credentials is not None:
        return credentials
    from ..config.credentials import CredentialStore

    return CredentialStore()


@dataclass(frozen=True, slots=True)
class BackendSpec:
    kind: str  # the name in profiles.json and on the command line
    label: str  # the operator's name for it in the CLI and in messages ("简道云")
    connect: Connect  # the connector for a profile of this kind
    # its name in the window's English mode (the built-in kinds' names are in the window's
    # translation catalogues; this is for a backend registered from outside)
    label_en: str = ""
    # the connector's options class (``config.options`` declares its numbers), loaded lazily
    options_class: Callable[[], type] | None = None
    # the keyring entries a profile with these options needs (``config.credentials``)
    secret_keys: Callable[[Mapping[str, Any]], tuple[str, ...]] = _no_secrets
    secret_names: Mapping[str, str] = field(default_factory=dict)  # entry -> what is asked
    secret_stdin: str = ""  # what ``--secret-stdin`` reads for this kind, one per line
    cli_flags: tuple[CliFlag, ...] = ()  # the flags no declared option gives (``flags()``)
    # the profile's options from ``profiles add``'s parsed flags and the saved profiles;
    # ConfigError when they are wrong (the CLI turns it into a usage error)
    cli_options: CliOptions | None = None
    listed: tuple[Listed, ...] = ()
    url_option: str = "base_url"  # the option holding the address (the confirm dialog)
    default_url: str = ""
    # the profile dialog's editor, "package.module:Class" (imported by the dialog only: no Qt
    # here); "" when profiles of this kind are edited with the CLI
    editor: str = ""
    # field discovery by label (``config.field_discovery``): the options holding the students
    # and the cards form's ids, and what the operator calls them; None: no field list
    forms: tuple[str, str] | None = None
    form_titles: tuple[str, str] = (L_("学生表单"), L_("一卡通表单"))
    read_only: bool = False  # lists students and cards but writes nothing

    def options_type(self) -> type | None:
        return None if self.options_class is None else self.options_class()

    def flags(self) -> tuple[CliFlag, ...]:
        """``profiles add``'s flags of this kind but the numeric ones: its own single ones (the
        address), then one per text option its options class declares a flag for (help,
        metavar and choices from the declaration), then its own repeated ones (--map, --set)."""
        from ..config.options import texts

        cls = self.options_type()
        declared = tuple(CliFlag(t.flag, t.cli_help(), t.metavar, t.values)
                         for t in (texts(cls).values() if cls is not None else ()) if t.flag)
        return (tuple(f for f in self.cli_flags if not f.repeat) + declared
                + tuple(f for f in self.cli_flags if f.repeat))
