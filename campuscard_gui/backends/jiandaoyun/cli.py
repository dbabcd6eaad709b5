"""``profiles add NAME --kind jiandaoyun …``: the options of a 简道云 profile."""

from __future__ import annotations

import argparse
from typing import Any

from ...core.text import _
from ..profile_flags import check_base_url, checked, field_map, flagged_numbers, flagged_texts
from . import DEFAULT_BASE_URL
from .records import JdyOptions


def profile_options(args: argparse.Namespace) -> dict[str, Any]:
    declared = flagged_texts(args, JdyOptions, _("简道云"))  # app and forms: required
    options: dict[str, Any] = {
        "base_url": check_base_url(args.base_url or DEFAULT_BASE_URL, args.allow_http),
        **declared,
        "fields": field_map(args.map).to_json(),
        **flagged_numbers(args, JdyOptions),
    }
    return checked(JdyOptions.parse, options)  # ranges
