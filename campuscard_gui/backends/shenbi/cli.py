"""``profiles add NAME --kind shenbi …``: the options of a 神笔 profile."""

from __future__ import annotations

import argparse
from typing import Any

from ...config.settings import option_defaults
from ...core.text import _
from ..profile_flags import (
    check_base_url,
    checked,
    field_map,
    flagged_numbers,
    require,
    wire_settings,
)
from .records import ShenbiOptions

# the options a flag of their own sets, not --set
OWN_FLAGS = {"base_url": "--base-url", "app_code": "--app-code",
             "students_object": "--students-object", "cards_object": "--cards-object",
             "fields": "--map", "student_link": "--student-link"}


def profile_options(args: argparse.Namespace) -> dict[str, Any]:
    require(_("神笔"), ("--base-url", args.base_url), ("--app-code", args.app_code),
            ("--students-object", args.students_object), ("--cards-object", args.cards_object))
    defaults = option_defaults(ShenbiOptions)
    options: dict[str, Any] = {
        "base_url": check_base_url(args.base_url, args.allow_http, _("神笔 OpenAPI 地址")),
        "app_code": args.app_code.strip(),
        "students_object": args.students_object.strip(),
        "cards_object": args.cards_object.strip(),
        "fields": field_map(args.map).to_json(),
        "student_link": args.student_link or defaults["student_link"],
        **flagged_numbers(args, ShenbiOptions),
        **wire_settings(args.set, ShenbiOptions, OWN_FLAGS),
    }
    return checked(ShenbiOptions.parse, options)
