"""kintone's error codes (shared/specs/kintone.md §3.2) explained to the operator, and what
each says about the connection (for 测试连接).

Client logic keys on ``code``, never on the message: kintone's message language follows the
user's settings (§3.3). The server's message is appended for support, it never holds a secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...connectors.answers import StatusRule, StatusTable
from ...core.text import N_, _

BUSY_RETRY_AFTER_S = 1.0
# codes that refuse a request before anything happened: sent again after a pause
RETRY_CODES = frozenset({"GAIA_TO04", "GAIA_DA02", "GAIA_TM12"})

# what the HTTP status says when the body has no error code
STATUS = StatusTable("kintone", {
    429: StatusRule("retry", N_("{service}：同时进行的请求过多（429 GAIA_TO04），稍后重试"),
                    "GAIA_TO04", BUSY_RETRY_AFTER_S),
    401: StatusRule("fatal", N_("{service}拒绝了登录信息（HTTP 401）"), "CB_AU01"),
    403: StatusRule("fatal", N_("{service}：没有访问权限（HTTP 403）"), "CB_NO02"),
}, otherwise=StatusRule("fatal", N_("{service}返回了意外的状态 HTTP {status}：请检查配置中的 "
                           "kintone 地址（例如 https://example.cybozu.com）"), "{status}"))

# code -> (area for check_connection, explanation)
_CODES: dict[str, tuple[str, str]] = {
    "CB_AU01": ("auth", N_("kintone 要求登录：请求没有带上有效的 API 令牌或登录信息")),
    "CB_WA01": ("auth", N_("kintone 登录名或密码不正确")),
    "GAIA_IA02": ("auth", N_("API 令牌与应用不匹配：请检查两个应用各自的令牌，并确认令牌已保存且"
                             "已点击“更新应用”")),
    "GAIA_DA03": ("auth", N_("同一个应用的 API 令牌填了两次：请分别填写学生应用和一卡通应用的"
                             "令牌")),
    "GAIA_NO01": ("permission", N_("这个 API 令牌没有执行该操作的权限：学生应用的令牌需要“查看记"
                                   "录”，一卡通应用的令牌需要“查看记录”“添加记录”“编辑记录”")),
    "CB_NO02": ("permission", N_("没有权限：该用户（或令牌）不能访问这个应用，"
                                 "或应用不在配置的来宾空间中")),
    "GAIA_AP01": ("app", N_("应用不存在（可能已被删除）：请检查配置中的应用 ID")),
    "GAIA_IL23": ("space", N_("应用在来宾空间中：请在配置中填写来宾空间 ID")),
    "GAIA_RE01": ("", N_("记录不存在（可能已被删除）")),
    "GAIA_RE20": ("", N_("按更新键找不到记录")),
    "GAIA_RE09": ("", N_("同一条记录在一次请求中出现了两次")),
    "GAIA_CO02": ("", N_("记录在读取后已被他人修改（版本号不一致），未覆盖")),
    "CB_VA01": ("", N_("输入内容不正确")),
    "CB_IJ01": ("", N_("请求的 JSON 无效")),
    "GAIA_TO04": ("", N_("同时进行的请求过多，稍后重试")),
    "GAIA_DA02": ("", N_("kintone 数据库暂时忙（加锁失败），稍后重试")),
    "GAIA_TM12": ("", N_("游标数量已达上限（每个域名 10 个），稍后重试")),
    "GAIA_IQ03": ("field", N_("查询条件中的字段类型不支持该运算：请检查字段对应")),
    "GAIA_IQ07": ("field", N_("查询条件中用了表格内的字段：请检查字段对应")),
    "GAIA_IQ10": ("field", N_("查询条件中的值不是字段的选项：请检查选项对应")),
    "GAIA_IQ11": ("field", N_("查询条件中的字段不存在：请检查字段对应")),
}


def area_of(code: str) -> str:
    """network/auth/permission/app/space/field, or "" when the code says nothing about the
    connection's configuration."""
    return _CODES.get(code, ("", ""))[0]


def explain(code: str, message: str, status: int | None = None,
            errors: Mapping[str, Any] | None = None) -> str:
    """``<explanation>（<code>：<server message>[；<field>: <messages>…]）``."""
    text = _(_CODES.get(code, ("", N_("kintone 拒绝了请求")))[1])
    detail = [_("{code}：{message}").format(code=code, message=message) if message else code]
    for key, value in list((errors or {}).items())[:5]:
        messages = value.get("messages") if isinstance(value, Mapping) else None
        if isinstance(messages, list):
            detail.append(_("{code}：{message}").format(
                code=key, message=" ".join(str(m) for m in messages)))
    if status is not None and status not in (400, 401, 403, 404, 409):
        detail.append(f"HTTP {status}")
    return _("{text}（{detail}）").format(text=text, detail=_("；").join(detail))
