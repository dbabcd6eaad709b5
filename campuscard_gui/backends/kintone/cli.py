"""``profiles add NAME --kind kintone …``: the options of a kintone profile."""

from __future__ import annotations

import argparse
from typing import Any

from ..profile_flags import check_base_url, checked, field_map, flagged_numbers, flagged_texts
from .records import KintoneOptions


def profile_options(args: argparse.Namespace) -> dict[str, Any]:
    # the apps, the guest space, the sign-in and its user (only with --auth password)
    declared = flagged_texts(args, KintoneOptions, "kintone", also=(("--base-url", args.base_url),))
    options: dict[str, Any] = {
        "base_url": check_base_url(args.base_url, args.allow_http),
        **declared,
        "fields": field_map(args.map).to_json(),
        **flagged_numbers(args, KintoneOptions),
    }
    return checked(KintoneOptions.parse, options)  # app ids, ranges, the user
