"""Build the connector a profile names. Imports each backend lazily so that a profile of one
kind never loads another kind's dependencies."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..config.paths import Paths
from ..config.settings import Profile
from ..core.errors import ConfigError
from .base import Connector

if TYPE_CHECKING:
    from ..config.credentials import CredentialStore


def local_database_path(profile: Profile, paths: Paths) -> Path:
    """The SQLite file a local profile works on: its ``database`` option when set (a file
    several PCs share, e.g. on a network drive; relative paths are under the data dir), else
    the profile's own file in the data dir."""
    database = profile.options.get("database")
    if database is None or (isinstance(database, str) and not database.strip()):
        return paths.local_db_path(profile.name)
    if not isinstance(database, str):
        raise ConfigError(f"本地配置“{profile.name}”的数据库路径（database）应为文本")
    path = Path(database.strip()).expanduser()
    return path if path.is_absolute() else paths.data_dir / path


def options_class(kind: str) -> type | None:
    """The options class of a remote ``kind`` (None for ``local`` and a kind this version does
    not know): where its options are declared, once (``config.options``)."""
    if kind == "jiandaoyun":
        from .jiandaoyun_records import JdyOptions
        return JdyOptions
    if kind == "kintone":
        from .kintone_records import KintoneOptions
        return KintoneOptions
    if kind == "shenbi":
        from .shenbi_records import ShenbiOptions
        return ShenbiOptions
    if kind == "ipaas":
        from .ipaas import IpaasOptions
        return IpaasOptions
    return None


def open_connector(profile: Profile, paths: Paths,
                   credentials: CredentialStore | None = None) -> Connector:
    """``credentials`` reads a remote profile's secret (None: the OS keyring)."""
    if profile.kind == "local":
        from .local import LocalConnector

        db = local_database_path(profile, paths)
        if db != paths.local_db_path(profile.name) and not db.is_file():
            # a configured (shared) file is never replaced by a new demo school: a network
            # drive that is not mounted must not split the team onto two databases
            raise ConfigError(f"本地配置“{profile.name}”的数据库文件不存在：{db}")
        return LocalConnector(db)
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
    if profile.kind == "shenbi":
        from ..config.credentials import CredentialStore
        from .shenbi import ShenbiConnector

        store = credentials if credentials is not None else CredentialStore()
        return ShenbiConnector(profile.options, store.get(profile.name, "secret_id"),
                               store.get(profile.name, "secret_key"))
    if profile.kind == "ipaas":
        from ..config.credentials import CredentialStore
        from ..config.settings import ConfigStore
        from .ipaas import IpaasConnector, IpaasOptions

        store = credentials if credentials is not None else CredentialStore()
        opts = IpaasOptions.parse(profile.options)
        reader = ConfigStore(paths).load_profiles().get(opts.read_profile)
        if reader is None or reader.kind != "shenbi":
            raise ConfigError(f"iPaaS 配置“{profile.name}”读取数据用的神笔配置"
                              f"“{opts.read_profile}”不存在")
        token = store.get(profile.name, "gateway_token") if opts.token_header else ""
        return IpaasConnector(profile.options, token, open_connector(reader, paths, store))
    raise ConfigError(f"不支持的后端类型：{profile.kind}")
