"""简道云 error codes (spec §4): what each means for the operator and what the client does.

Every business error is HTTP 400 with ``{"code": <int>, "msg": "<text>"}``. ``error_for_code``
turns one into the ConnectorError the batch runner acts on:

- ``retry``: RetryableError — the request was refused before anything was applied;
- ``fatal``: FatalError with ``code=str(code)`` — definitive, retrying will not help;
- ``reconcile``: AmbiguousError — read back before doing anything else (17026).

``area`` says what a failed connection test points at (``check_connection``): "auth",
"permission", "app", "form", "field" or "" for anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ...connectors.answers import StatusRule, StatusTable
from ...core.errors import AmbiguousError, ConnectorError, FatalError, RetryableError
from ...core.text import L_, N_, _

Action = Literal["retry", "fatal", "reconcile"]

RATE_LIMIT_RETRY_AFTER_S = 1.0  # spec §4: "wait about 1 s, then retry" for 8303/8304
BUSY_RETRY_AFTER_S = 2.0  # 4012/9004/9007: "back off and retry" (no figure given; a guess)


@dataclass(frozen=True, slots=True)
class CodeInfo:
    message: str  # operator-facing explanation (Chinese)
    action: Action
    area: str = ""
    retry_after: float | None = None


CODES: dict[int, CodeInfo] = {
    1: CodeInfo(N_("请求无效或缺少参数"), "fatal"),
    3005: CodeInfo(N_("请求参数无效"), "fatal"),
    17017: CodeInfo(N_("请求参数无效（开放平台）"), "fatal"),
    2004: CodeInfo(N_("应用不存在：请检查配置中的应用 ID（app_id）"), "fatal", "app"),
    3000: CodeInfo(N_("表单不存在：请检查配置中的表单 ID（entry_id）"), "fatal", "form"),
    4000: CodeInfo(N_("数据提交失败"), "fatal"),
    4001: CodeInfo(N_("数据不存在"), "fatal"),
    4042: CodeInfo(N_("数据删除失败"), "retry", retry_after=BUSY_RETRY_AFTER_S),
    4012: CodeInfo(N_("表单正在执行另一个批量修改任务，请稍后重试"), "retry",
                   retry_after=BUSY_RETRY_AFTER_S),
    4402: CodeInfo(N_("聚合表校验未通过"), "fatal"),
    4815: CodeInfo(N_("数据筛选条件无效（可能过长）"), "fatal"),
    8301: CodeInfo(N_("API Key 校验失败：请检查密钥是否正确"), "fatal", "auth"),
    17018: CodeInfo(N_("API Key 无效（错误或已停用）：请在简道云开放平台检查密钥"), "fatal",
                    "auth"),
    8302: CodeInfo(N_("没有调用此接口的权限"), "fatal", "permission"),
    17052: CodeInfo(N_("本机 IP 不在该 API Key 的白名单中"), "fatal", "permission"),
    17053: CodeInfo(N_("该应用不在此 API Key 的授权范围内"), "fatal", "permission"),
    17054: CodeInfo(N_("该接口不在此 API Key 的授权范围内"), "fatal", "permission"),
    8303: CodeInfo(N_("超出企业的请求频率限制"), "retry", retry_after=RATE_LIMIT_RETRY_AFTER_S),
    8304: CodeInfo(N_("超出该接口的请求频率限制"), "retry", retry_after=RATE_LIMIT_RETRY_AFTER_S),
    17023: CodeInfo(N_("批量修改超过 100 条"), "fatal"),
    17024: CodeInfo(N_("批量新建超过 100 条"), "fatal"),
    17033: CodeInfo(N_("批量删除超过数量限制"), "fatal"),
    17025: CodeInfo(N_("transaction_id 格式无效"), "fatal"),
    17026: CodeInfo(N_("transaction_id 已存在：正在核对数据是否已写入"), "reconcile"),
    17032: CodeInfo(N_("不支持的字段类型：请检查字段对应"), "fatal", "field"),
    17034: CodeInfo(N_("不支持的子表单字段类型：请检查字段对应"), "fatal", "field"),
    7103: CodeInfo(N_("系统用量超出套餐限制"), "fatal"),
    7206: CodeInfo(N_("系统已暂停使用"), "fatal"),
    7212: CodeInfo(N_("本月数据流量已用完"), "fatal"),
    7221: CodeInfo(N_("表单通过接口新建的数据超出套餐限制"), "fatal"),
    8017: CodeInfo(N_("企业或团队不存在或已关闭"), "fatal"),
    9004: CodeInfo(N_("任务创建失败，请稍后重试"), "retry", retry_after=BUSY_RETRY_AFTER_S),
    9007: CodeInfo(N_("未获取到锁，请稍后重试"), "retry", retry_after=BUSY_RETRY_AFTER_S),
    1010: CodeInfo(N_("成员不存在"), "fatal"),
    6002: CodeInfo(N_("部门不存在"), "fatal"),
}

# what the HTTP status says when the body has no error code (a 400 without one is a body
# that was cut off or is not the API's: it may have run)
STATUS = StatusTable(L_("简道云"), {
    429: StatusRule("retry", N_("{service}：并发请求过多（HTTP 429），稍后重试"), "429",
                    RATE_LIMIT_RETRY_AFTER_S),
    401: StatusRule("fatal", N_("{service}拒绝了 API Key（HTTP 401）"), "8301"),
    403: StatusRule("fatal", N_("{service}：没有访问权限（HTTP 403）"), "8302"),
    400: StatusRule("unclear", N_("{service}的应答无法识别（HTTP {status}）")),
}, otherwise=StatusRule("fatal", N_("{service}返回了意外的状态 HTTP {status}："
                           "请检查配置中的服务器地址"), "{status}"))

_MSG_MAX = 200


def explain(code: int) -> str:
    info = CODES.get(code)
    return _(info.message) if info is not None else _("简道云返回了未知错误")


def area_of(code: str) -> str:
    """The ``check_connection`` area of a ConnectorError code ("" when none)."""
    try:
        info = CODES.get(int(code))
    except ValueError:
        return ""
    return info.area if info is not None else ""


def error_for_code(code: int, msg: object) -> ConnectorError:
    """The ConnectorError for a 简道云 business error. The server's ``msg`` is quoted
    (shortened) after our explanation: it helps support and holds no secret."""
    info = CODES.get(code)
    text = explain(code)
    server = str(msg).strip()[:_MSG_MAX] if isinstance(msg, str) else ""
    message = (_("{text}（简道云错误 {code}：{server}）") if server
               else _("{text}（简道云错误 {code}）")).format(text=text, code=code, server=server)
    if info is None or info.action == "fatal":
        return FatalError(message, code=str(code))
    if info.action == "retry":
        return RetryableError(message, code=str(code), retry_after=info.retry_after)
    return AmbiguousError(message, code=str(code))
