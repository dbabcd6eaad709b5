"""The embedded local backend: students and cards in a SQLite file (the built-in ``local``
profile's own, or one several PCs share). ``connector`` (the Connector), ``store`` (the
file: schema, opening, the demo school)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...core.errors import ConfigError
from ...core.text import L_, _
from ..spec import BackendSpec, CliFlag, Listed

if TYPE_CHECKING:
    from ...config.credentials import CredentialStore
    from ...config.paths import Paths
    from ...config.settings import Profile
    from ...connectors.base import Connector


def local_database_path(profile: Profile, paths: Paths) -> Path:
    """The SQLite file a local profile works on: its ``database`` option when set (a file
    several PCs share, e.g. on a network drive; relative paths are under the data dir), else
    the profile's own file in the data dir."""
    database = profile.options.get("database")
    if database is None or (isinstance(database, str) and not database.strip()):
        return paths.local_db_path(profile.name)
    if not isinstance(database, str):
        raise ConfigError(_("本地配置“{name}”的数据库路径（database）应为文本").format(
            name=profile.name))
    path = Path(database.strip()).expanduser()
    return path if path.is_absolute() else paths.data_dir / path


def _connect(profile: Profile, paths: Paths, credentials: CredentialStore | None) -> Connector:
    from .connector import LocalConnector

    db = local_database_path(profile, paths)
    if db != paths.local_db_path(profile.name) and not db.is_file():
        # a configured (shared) file is never replaced by a new demo school: a network
        # drive that is not mounted must not split the team onto two databases
        raise ConfigError(_("本地配置“{name}”的数据库文件不存在：{db}").format(
            name=profile.name, db=db))
    return LocalConnector(db)


def _cli_options(args: Any, profiles: Any) -> dict[str, Any]:
    """A local profile on a database file of its own choosing (``--database``), e.g. one that
    several PCs share: the file must exist (``local init`` makes the built-in one)."""
    from ..profile_flags import require

    require(_("本地数据库"), ("--database", args.database))
    path = Path(args.database.strip()).expanduser().resolve()
    if not path.is_file():
        raise ConfigError(_("本地数据库文件不存在：{path}").format(path=path))
    return {"database": str(path)}


SPEC = BackendSpec(
    kind="local",
    label=L_("本地数据库"),
    connect=_connect,
    cli_flags=(CliFlag("--database", L_("数据库文件（SQLite），例如几台电脑共用的文件"), "PATH"),),
    cli_options=_cli_options,
    listed=(Listed("database", L_("数据库")),),
    url_option="database",
)
