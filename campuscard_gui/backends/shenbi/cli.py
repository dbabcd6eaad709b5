"""``profiles add NAME --kind shenbi …``: the options of a 神笔 profile."""

from __future__ import annotations

import argparse
from typing import Any

from ...core.text import _
from ..profile_flags import (
    check_base_url,
    checked,
    field_map,
    flagged_numbers,
    flagged_texts,
    wire_settings,
)
from .records import ShenbiOptions

# the options a flag of their own sets, not --set (besides the declared ones' flags)
OWN_FLAGS = {"base_url": "--base-url", "fields": "--map"}


def profile_options(args: argparse.Namespace) -> dict[str, Any]:
    # the app, both objects and the card's link to its student
    declared = flagged_texts(args, ShenbiOptions, _("神笔"), also=(("--base-url", args.base_url),))
    options: dict[str, Any] = {
        "base_url": check_base_url(args.base_url, args.allow_http, _("神笔 OpenAPI 地址")),
        **declared,
        "fields": field_map(args.map).to_json(),
        **flagged_numbers(args, ShenbiOptions),
        **wire_settings(args.set, ShenbiOptions, OWN_FLAGS),
    }
    return checked(ShenbiOptions.parse, options)
