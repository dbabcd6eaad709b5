"""An iPaaS profile's options, validated (design: Profile.options): the gateway, the 神笔
profile it reads through, and the numbers declared once (``config.options``). Kept apart
from the connector so that ``profiles add --help`` and the dialog need no HTTP stack."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ...config.options import number, parse_numbers, parse_texts, text
from ...core.errors import ConfigError
from ...core.model import Action
from ...core.text import L_, _

_HEADER = tuple("abcdefghijklmnopqrstuvwxyz0123456789-")


@dataclass(frozen=True, slots=True)
class IpaasOptions:
    gateway_url: str  # the flow's HTTP gateway address (iPaaS → 集成流 → HTTP 触发器)
    # the 神笔 profile students and cards are read through (the dialog: a saved one chosen)
    read_profile: str = text(L_("读取用配置"), required=True, flag="--read-profile",
                             metavar="NAME", help=L_("读取学生和一卡通用的已保存神笔配置"))
    # header carrying the gateway secret ("" = the gateway has none)
    token_header: str = text(L_("密钥请求头"), default="", flag="--token-header",
                             metavar="H", hint=L_("例如 X-Gateway-Token；网关不需要密钥时留空"))
    # what studentID holds: the student record Id or the 学号
    student_id: str = text(L_("studentID 传"), flag="--student-link",
                           choices=(("record_id", L_("学生的神笔记录 Id")),
                                    ("student_no", L_("学生的学号"))))
    # students per gateway call [INFER: the flow's limit is its own]
    chunk_size: int = number(100, 1, 1000, flag="--chunk-size", help=L_("每次调用网关发送的学生数"))
    concurrency: int = number(2, 1, 10, flag="--concurrency", help=L_("同时进行的请求数"))
    # a flow writes to 神笔 before it answers
    timeout_s: float = number(120.0, 0.05, 900, unit="s", flag="--timeout",
                              help=L_("单个请求的超时秒数"))
    # how long an unanswered call may still run in the flow
    settle_s: float = number(120.0, 0, 3600, unit="s")
    # The largest answer body taken, in MB (a flow answers a status or one Id per student); a
    # bigger body is dropped as it arrives, and the write is read back.
    max_answer_mb: int = number(32, 1, 1024, unit="MB")
    # One call's whole time, however slowly the gateway drips its answer (timeout_s bounds
    # each read only). 0: twice timeout_s.
    request_deadline_s: float = number(0.0, 0, 3600, unit="s")
    # The actions the flow really handles, comma-separated. The walkthrough's flow only opens
    # cards and never looks at "action": sending it a 冻结 would open cards. A school whose
    # flow is that one sets "open"; the others are then refused before anything is sent.
    flow_actions: str = "open,freeze,unfreeze,cancel"

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> IpaasOptions:
        url = str(options.get("gateway_url") or "").strip()
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ConfigError(_("iPaaS 网关地址必须以 https:// 开头"))
        given = parse_texts(cls, options, "iPaaS ")
        header = given["token_header"]
        if header and not all(c in _HEADER for c in header.lower()):
            raise ConfigError(_("iPaaS 网关密钥的请求头名称不正确：{header}").format(header=header))

        raw = options.get("flow_actions", "open,freeze,unfreeze,cancel")
        names = [a.strip() for a in (raw.split(",") if isinstance(raw, str) else raw or [])]
        known = [a.value for a in Action]
        if not names or any(a not in known for a in names):
            raise ConfigError(_("iPaaS 配置“flow_actions”应为 {value} 中的一个或几个，用"
                                "逗号分隔").format(
                value=','.join(known)))
        return cls(gateway_url=url, **given,
                   flow_actions=",".join(a for a in known if a in names),
                   **parse_numbers(cls, options, "iPaaS "))
