"""Build the connector a profile names. Imports each backend lazily so that a profile of one
kind never loads another kind's dependencies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..config.paths import Paths
from ..config.settings import Profile
from ..core.errors import ConfigError
from .base import Connector

if TYPE_CHECKING:
    from ..config.credentials import CredentialStore


def open_connector(profile: Profile, paths: Paths,
                   credentials: CredentialStore | None = None) -> Connector:
    """``credentials`` reads a remote profile's secret (None: the OS keyring)."""
    if profile.kind == "local":
        from .local import LocalConnector

        return LocalConnector(paths.local_db_path(profile.name))
    if profile.kind == "jiandaoyun":
        from ..config.credentials import CredentialStore
        from .jiandaoyun import JiandaoyunConnector

        store = credentials if credentials is not None else CredentialStore()
        return JiandaoyunConnector(profile.options, store.get(profile.name, "api_key"))
    if profile.kind == "kintone":
        from ..config.credentials import CredentialStore
        from .kintone import KintoneAuth, KintoneConnector

        store = credentials if credentials is not None else CredentialStore()
        if profile.options.get("auth", "token") == "password":
            auth = KintoneAuth(password=store.get(profile.name, "password"))
        else:
            auth = KintoneAuth(students_token=store.get(profile.name, "students_token"),
                               cards_token=store.get(profile.name, "cards_token"))
        return KintoneConnector(profile.options, auth)
    raise ConfigError(f"不支持的后端类型：{profile.kind}")
