"""kintone: the students and the cards are two apps of one domain (spec ``kintone.md``).
``connector`` (the Connector), ``api`` (REST calls, tokens or password), ``bulk`` (writes in
bulkRequests, revision-checked), ``errors`` (the answer table), ``records`` (reading records,
the options), ``cli`` (``profiles add``)."""

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

AUTH_LABELS = {"token": L_("API 令牌"), "password": L_("密码")}
TOKEN_KEYS = ("students_token", "cards_token")  # one API token per app


def _options() -> type:
    from .records import KintoneOptions
    return KintoneOptions


def secret_keys(options: Mapping[str, Any]) -> tuple[str, ...]:
    """An API token per app, or the user's password (``options["auth"]``)."""
    return ("password",) if options.get("auth") == "password" else TOKEN_KEYS


def _connect(profile: Profile, paths: Paths, credentials: CredentialStore | None) -> Connector:
    from .connector import KintoneAuth, KintoneConnector

    store = keyring(credentials)
    if profile.options.get("auth", "token") == "password":
        auth = KintoneAuth(password=store.get(profile.name, "password"))
    else:
        auth = KintoneAuth(students_token=store.get(profile.name, "students_token"),
                           cards_token=store.get(profile.name, "cards_token"))
    return KintoneConnector(profile.options, auth)


def _cli_options(args: Any, profiles: Any) -> dict[str, Any]:
    from .cli import profile_options
    return profile_options(args)


def _auth(options: Mapping[str, Any]) -> str:
    auth = str(options.get("auth") or "token")
    text = AUTH_LABELS.get(auth, auth)
    if auth == "password" and options.get("user"):
        text += _("（用户 {user}）").format(user=options["user"])
    return text


SPEC = BackendSpec(
    kind="kintone",
    label="kintone",
    connect=_connect,
    options_class=_options,
    secret_keys=secret_keys,
    secret_names={"students_token": L_("学生应用的 API 令牌"),
                  "cards_token": L_("一卡通应用的 API 令牌"), "password": L_("kintone 密码")},
    secret_stdin=L_("学生应用和一卡通应用的 API 令牌（两行），或 --auth password 时的密码"),
    cli_flags=(  # and one per text option KintoneOptions declares a flag for
        CliFlag("--base-url", L_("必填，例如 https://example.cybozu.com"), "URL"),
        CliFlag("--map", L_("未指定的字段按标签从应用读取"), "KEY=FIELD", repeat=True),
    ),
    cli_options=_cli_options,
    listed=(Listed("base_url", L_("地址")), Listed("students_app", L_("学生应用")),
            Listed("cards_app", L_("一卡通应用")), Listed("guest_space", L_("来宾空间"), ""),
            Listed("auth", L_("认证"), "token", show=_auth), Listed("user", default="")),
    editor="campuscard_gui.ui.profiles.editors.kintone:KintoneEditor",
    forms=("students_app", "cards_app"),
    form_titles=(L_("学生应用"), L_("一卡通应用")),
)
