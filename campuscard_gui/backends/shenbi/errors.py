"""神笔's error codes (Tencent Cloud API 3.0 style, shared/specs/shenbi.md §6.7 and §8)
explained to the operator, and what each says about the connection (for 测试连接): the key,
the signature, the clock, the app, the object or a field."""

from __future__ import annotations

from typing import Literal

from ...connectors.answers import StatusRule, StatusTable
from ...core.text import L_, N_, _

BUSY_RETRY_AFTER_S = 1.0  # RequestLimitExceeded, HTTP 429: no figure given (a guess)

# what an error code means for the request, by code or its prefix before the first "."; any
# other code refused it for good (ShenbiRejected, explained below)
_MEANINGS: dict[str, Literal["retry", "unclear"]] = {
    "RequestLimitExceeded": "retry",  # refused before anything happened
    "InternalError": "unclear",  # it may have run: a write is read back
}

# what the HTTP status says when the body holds no Response envelope
STATUS = StatusTable(L_("神笔"), {
    429: StatusRule("retry", N_("{service}：请求过于频繁（HTTP 429），稍后重试"), "429",
                    BUSY_RETRY_AFTER_S),
}, otherwise=StatusRule("fatal", N_("{service}返回了意外的状态 HTTP {status}：请检查配置中的 "
                           "OpenAPI 地址"), "{status}"))


def meaning_of(code: str) -> Literal["retry", "unclear", "refused"]:
    found = _MEANINGS.get(code) or _MEANINGS.get(code.split(".", 1)[0])
    return found or "refused"

# code (or its prefix before the first ".") -> (area, explanation)
_CODES: dict[str, tuple[str, str]] = {
    "AuthFailure.SecretIdNotFound": ("key", N_("SecretId（AK）不存在：请检查神笔颁发的 AK")),
    "AuthFailure.InvalidSecretId": ("key", N_("SecretId（AK）格式不正确")),
    "AuthFailure.SignatureFailure": ("signature", N_("签名不正确：SecretKey（SK）与 AK 不匹配，"
                                                     "或签名设置（服务名、版本）与神笔不一致")),
    "AuthFailure.InvalidAuthorization": ("signature",
                                         N_("签名格式不正确：请检查签名设置中的服务名")),
    "AuthFailure.SignatureExpire": ("clock", N_("本机时钟与神笔服务器相差超过 5 分钟，签名已失效："
                                                "请校准本机时间（开启自动同步时间）")),
    "AuthFailure.TokenFailure": ("key", N_("临时凭证无效")),
    "AuthFailure.UnauthorizedOperation": ("permission", N_("该 AK/SK 没有执行此操作的权限")),
    "UnauthorizedOperation": ("permission", N_("该 AK/SK 没有执行此操作的权限")),
    "NoSuchVersion": ("signature", N_("神笔不支持配置中的接口版本（X-TC-Version）")),
    "InvalidAction": ("signature", N_("神笔不认识这个接口名称：请检查配置中的接口名称")),
    "ActionOffline": ("signature", N_("该接口已下线")),
    "ResourceNotFound.App": ("app", N_("应用不存在：请检查配置中的应用 code")),
    "ResourceNotFound.Entity": ("object", N_("对象不存在：请检查配置中的对象 key，"
                                             "并确认应用已发布到运行态")),
    "ResourceNotFound.Record": ("", N_("记录不存在（可能已被删除）")),
    "ResourceNotFound": ("object", N_("找不到请求的资源")),
    "InvalidParameterValue.Field": ("field", N_("字段不存在或取值不正确：请检查字段对应")),
    "InvalidParameterValue": ("", N_("参数取值不正确")),
    "InvalidParameter": ("", N_("参数不正确")),
    "MissingParameter": ("", N_("缺少参数")),
    "LimitExceeded": ("", N_("一次写入的记录数超过神笔的上限：请在配置中调小每批条数")),
    "RequestLimitExceeded": ("", N_("请求过于频繁，稍后重试")),
    "InternalError": ("", N_("神笔内部错误")),
    "UnsupportedOperation": ("", N_("神笔不支持该操作")),
}


def _entry(code: str) -> tuple[str, str] | None:
    found = _CODES.get(code)
    if found is None and "." in code:
        found = _CODES.get(code.split(".", 1)[0])
    return found


def area_of(code: str) -> str:
    found = _entry(code)
    return found[0] if found else ""


def explain(code: str, message: str, request_id: str = "") -> str:
    """``<explanation>（<code>：<server message>；RequestId <id>）``."""
    found = _entry(code)
    text = _(found[1]) if found else _("神笔拒绝了请求")
    detail = _("{code}：{message}").format(code=code, message=message) if message else code
    if request_id:
        detail += _("；RequestId {request_id}").format(request_id=request_id)
    return _("{text}（{detail}）").format(text=text, detail=detail)
