"""``profiles add NAME --kind jiandaoyun …``: the options of a 简道云 profile."""

from __future__ import annotations

import argparse
from typing import Any

from ...core.text import _
from ..profile_flags import check_base_url, checked, field_map, flagged_numbers, require
from . import DEFAULT_BASE_URL
from .records import JdyOptions


def profile_options(args: argparse.Namespace) -> dict[str, Any]:
    require(_("简道云"), ("--app-id", args.app_id), ("--students-entry", args.students_entry),
            ("--cards-entry", args.cards_entry))
    options: dict[str, Any] = {
        "base_url": check_base_url(args.base_url or DEFAULT_BASE_URL, args.allow_http),
        "app_id": args.app_id.strip(),
        "students_entry": args.students_entry.strip(),
        "cards_entry": args.cards_entry.strip(),
        "fields": field_map(args.map).to_json(),
        **flagged_numbers(args, JdyOptions),
    }
    return checked(JdyOptions.parse, options)  # ranges
