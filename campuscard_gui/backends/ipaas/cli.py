"""``profiles add NAME --kind ipaas …``: the options of an iPaaS profile."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from ...config.settings import Profile
from ...core.errors import ConfigError
from ...core.text import _
from ..profile_flags import (
    check_base_url,
    checked,
    flagged_numbers,
    flagged_texts,
    in_text,
    wire_settings,
)
from .options import IpaasOptions

# the options a flag of their own sets, not --set (besides the declared ones' flags)
OWN_FLAGS = {"gateway_url": "--gateway-url"}


def profile_options(args: argparse.Namespace, profiles: Mapping[str, Profile]) -> dict[str, Any]:
    from .. import find

    declared = flagged_texts(args, IpaasOptions, _("iPaaS 集成流"),
                             also=(("--gateway-url", args.gateway_url),))
    reader = declared["read_profile"]
    shenbi = sorted(n for n, p in profiles.items() if p.kind == "shenbi" and n != args.name)
    found = profiles.get(reader)
    if found is None or found.kind != "shenbi" or reader == args.name.strip():
        spec = find(found.kind) if found is not None else None
        what = _("不存在") if found is None else \
            _("是{value}配置").format(value=in_text(spec.label if spec is not None else found.kind))
        raise ConfigError(_("--read-profile 应为已保存的神笔配置，“{reader}”{what}（可用：{value}"
                            "）").format(
            reader=reader, what=what,
            value=_('、').join(shenbi) or _('无，请先添加 --kind shenbi 配置')))
    options: dict[str, Any] = {
        "gateway_url": check_base_url(args.gateway_url, args.allow_http, _("iPaaS 网关地址")),
        **declared,
        **flagged_numbers(args, IpaasOptions),
        **wire_settings(args.set, IpaasOptions, OWN_FLAGS),
    }
    return checked(IpaasOptions.parse, options)
