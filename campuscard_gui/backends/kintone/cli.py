"""``profiles add NAME --kind kintone …``: the options of a kintone profile."""

from __future__ import annotations

import argparse
from typing import Any

from ...core.errors import ConfigError
from ...core.text import _
from ..profile_flags import check_base_url, checked, field_map, flagged_numbers, require
from .records import KintoneOptions


def profile_options(args: argparse.Namespace) -> dict[str, Any]:
    require("kintone", ("--base-url", args.base_url), ("--students-app", args.students_app),
            ("--cards-app", args.cards_app))
    auth = args.auth or "token"
    if auth == "token" and args.user is not None:
        raise ConfigError(_("--user 只用于 --auth password（用 API 令牌时不需要登录名）"))
    options: dict[str, Any] = {
        "base_url": check_base_url(args.base_url, args.allow_http),
        "students_app": args.students_app.strip(),
        "cards_app": args.cards_app.strip(),
        "guest_space": (args.guest_space or "").strip(),
        "auth": auth,
        "user": (args.user or "").strip(),
        "fields": field_map(args.map).to_json(),
        **flagged_numbers(args, KintoneOptions),
    }
    return checked(KintoneOptions.parse, options)  # app ids, ranges, the user
