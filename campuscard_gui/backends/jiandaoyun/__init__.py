"""简道云 (Jiandaoyun): the students and the cards are two forms of one app (spec
``jiandaoyun.md``). ``connector`` (the Connector), ``api`` (the v5 wire calls and their rate
limits), ``errors`` (the answer table), ``records`` (reading records, the options), ``cli``
(``profiles add``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.text import L_
from ..spec import BackendSpec, CliFlag, Listed, keyring

if TYPE_CHECKING:
    from ...config.credentials import CredentialStore
    from ...config.paths import Paths
    from ...config.settings import Profile
    from ...connectors.base import Connector

DEFAULT_BASE_URL = "https://api.jiandaoyun.com/api"


def _options() -> type:
    from .records import JdyOptions
    return JdyOptions


def _connect(profile: Profile, paths: Paths, credentials: CredentialStore | None) -> Connector:
    from .connector import JiandaoyunConnector

    store = keyring(credentials)
    return JiandaoyunConnector(profile.options, store.get(profile.name, "api_key"))


def _cli_options(args: Any, profiles: Any) -> dict[str, Any]:
    from .cli import profile_options
    return profile_options(args)


SPEC = BackendSpec(
    kind="jiandaoyun",
    label=L_("简道云"),
    connect=_connect,
    options_class=_options,
    secret_keys=lambda _options: ("api_key",),
    secret_names={"api_key": L_("简道云 API 密钥")},
    secret_stdin=L_("API 密钥"),
    cli_flags=(  # and one per text option JdyOptions declares a flag for
        CliFlag("--base-url", L_("默认 https://api.jiandaoyun.com/api"), "URL"),
        CliFlag("--map", L_("未指定的字段按标签从表单读取"), "KEY=FIELD", repeat=True),
    ),
    cli_options=_cli_options,
    listed=(Listed("base_url", L_("地址")), Listed("app_id", L_("应用")),
            Listed("students_entry", L_("学生表单")), Listed("cards_entry", L_("一卡通表单"))),
    default_url=DEFAULT_BASE_URL,
    editor="campuscard_gui.ui.profiles.editors.jiandaoyun:JiandaoyunEditor",
    forms=("students_entry", "cards_entry"),
    form_titles=(L_("学生表单"), L_("一卡通表单")),
)
