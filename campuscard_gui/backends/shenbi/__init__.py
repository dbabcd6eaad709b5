"""千帆神笔 aPaaS OpenAPI: the students and the cards are two objects of one app (spec
``shenbi.md``). ``connector`` (the Connector), ``api`` (signed calls and their rate),
``tc3`` (TC3-HMAC-SHA256 signing), ``errors`` (the answer table), ``records`` (reading
records, the options), ``delta`` (refreshing a listing from its mark), ``cli`` (``profiles
add``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.text import L_
from ..spec import BackendSpec, CliFlag, Listed, keyring

if TYPE_CHECKING:
    from ...config.credentials import CredentialStore
    from ...config.paths import Paths
    from ...config.settings import Profile
    from ...connectors.base import Connector

KEYS = ("secret_id", "secret_key")  # the tenant's AK/SK, both secret


def _options() -> type:
    from .records import ShenbiOptions
    return ShenbiOptions


def _connect(profile: Profile, paths: Paths, credentials: CredentialStore | None) -> Connector:
    from .connector import ShenbiConnector

    store = keyring(credentials)
    return ShenbiConnector(profile.options, store.get(profile.name, "secret_id"),
                           store.get(profile.name, "secret_key"))


def _cli_options(args: Any, profiles: Any) -> dict[str, Any]:
    from .cli import profile_options
    return profile_options(args)


SPEC = BackendSpec(
    kind="shenbi",
    label=L_("神笔"),
    connect=_connect,
    options_class=_options,
    secret_keys=lambda _options: KEYS,
    secret_names={"secret_id": L_("神笔 AK（SecretId）"), "secret_key": L_("神笔 SK（SecretKey）")},
    secret_stdin=L_("AK（SecretId）和 SK（SecretKey）（两行）"),
    cli_flags=(  # and one per text option ShenbiOptions declares a flag for
        CliFlag("--base-url", L_("必填：OpenAPI 地址"), "URL"),
        CliFlag("--set", L_("其他接口设置，如 service=apaas、version=2022-01-01、batch_size=50"
                   "（可重复）"), "KEY=VALUE", repeat=True),
        CliFlag("--map", L_("未指定的字段用默认字段"), "KEY=FIELD", repeat=True),
    ),
    cli_options=_cli_options,
    listed=(Listed("base_url", L_("地址")), Listed("app_code", L_("应用")),
            Listed("students_object", L_("学生对象")), Listed("cards_object", L_("一卡通对象")),
            Listed("student_link", default="record_id")),
    editor="campuscard_gui.ui.profiles.editors.shenbi:ShenbiEditor",
)
