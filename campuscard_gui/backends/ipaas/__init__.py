"""A 神笔 iPaaS 集成流 (integration flow) behind an HTTP gateway: the flow writes the cards,
students and cards are read through a saved 神笔 profile (spec ``shenbi.md`` §6).
``connector`` (the Connector and its options), ``cli`` (``profiles add``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...core.text import L_, _
from ..spec import BackendSpec, CliFlag, Listed, keyring

if TYPE_CHECKING:
    from ...config.credentials import CredentialStore
    from ...config.paths import Paths
    from ...config.settings import Profile
    from ...connectors.base import Connector


def _options() -> type:
    from .options import IpaasOptions
    return IpaasOptions


def secret_keys(options: Mapping[str, Any]) -> tuple[str, ...]:
    """The gateway token, only when the gateway takes one (``token_header`` set; the 神笔
    profile it reads through keeps its own AK/SK)."""
    return ("gateway_token",) if str(options.get("token_header") or "").strip() else ()


def _connect(profile: Profile, paths: Paths, credentials: CredentialStore | None) -> Connector:
    from ...config.settings import ConfigStore
    from ...core.errors import ConfigError
    from ..factory import open_connector
    from .connector import IpaasConnector
    from .options import IpaasOptions

    store = keyring(credentials)
    opts = IpaasOptions.parse(profile.options)
    reader = ConfigStore(paths).load_profiles().get(opts.read_profile)
    if reader is None or reader.kind != "shenbi":
        raise ConfigError(_("iPaaS 配置“{name}”读取数据用的神笔配置“{read_profile}”不存在").format(
            name=profile.name, read_profile=opts.read_profile))
    token = store.get(profile.name, "gateway_token") if opts.token_header else ""
    return IpaasConnector(profile.options, token, open_connector(reader, paths, store))


def _cli_options(args: Any, profiles: Any) -> dict[str, Any]:
    from .cli import profile_options
    return profile_options(args, profiles)


SPEC = BackendSpec(
    kind="ipaas",
    label=L_("iPaaS 集成流"),
    connect=_connect,
    options_class=_options,
    secret_keys=secret_keys,
    secret_names={"gateway_token": L_("iPaaS 网关密钥")},
    secret_stdin=L_("网关密钥（有 --token-header 时）"),
    cli_flags=(  # and one per text option IpaasOptions declares a flag for
        CliFlag("--gateway-url", L_("集成流 HTTP 触发器的网关地址"), "URL"),
        CliFlag("--set", L_("其他设置，如 settle_s=120、flow_actions=open（可重复）"), "KEY=VALUE",
                repeat=True),
    ),
    cli_options=_cli_options,
    listed=(Listed("gateway_url", L_("网关")), Listed("read_profile", L_("读取用神笔配置")),
            Listed("token_header", L_("网关密钥请求头"), ""),
            Listed("student_id", default="record_id")),
    url_option="gateway_url",
    editor="campuscard_gui.ui.profiles.editors.ipaas:IpaasEditor",
)
