"""Build the connector a profile names, through the backend registry (``backends``). Each
backend imports its own modules when it opens a connector, so that a profile of one kind
never loads another kind's dependencies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..config.paths import Paths
from ..config.settings import Profile
from ..connectors.base import Connector
from . import get
from .local import local_database_path

if TYPE_CHECKING:
    from ..config.credentials import CredentialStore

__all__ = ["local_database_path", "open_connector", "options_class"]


def options_class(kind: str) -> type | None:
    """The options class of ``kind`` (None for ``local``, and for a kind this version does
    not know): where its options are declared, once (``config.options``)."""
    from . import find

    spec = find(kind)
    return None if spec is None else spec.options_type()


def open_connector(profile: Profile, paths: Paths,
                   credentials: CredentialStore | None = None) -> Connector:
    """``credentials`` reads a remote profile's secret (None: the OS keyring); ConfigError
    for a kind this version does not know."""
    return get(profile.kind).connect(profile, paths, credentials)
