"""Build the connector a profile names. Imports each backend lazily so that a profile of one
kind never loads another kind's dependencies."""

from __future__ import annotations

from ..config.paths import Paths
from ..config.settings import Profile
from ..core.errors import ConfigError
from .base import Connector


def open_connector(profile: Profile, paths: Paths) -> Connector:
    if profile.kind == "local":
        from .local import LocalConnector

        return LocalConnector(paths.local_db_path(profile.name))
    raise ConfigError(f"不支持的后端类型：{profile.kind}")
