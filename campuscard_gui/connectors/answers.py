"""What an HTTP answer that carries no usable result means, declared as a table per backend.

Every backend reads its own error codes from the body first (its ``errors.py`` holds that
table); what is left is decided by the HTTP status alone, from the backend's
:class:`StatusTable`:

- ``retry``: refused before anything happened (a rate or concurrency limit): RetryableError,
  sent again after ``retry_after``;
- ``unclear``: the request may have run (a 5xx, a 2xx that cannot be read): AmbiguousError for
  a write, which the runner reads back before anything else, RetryableError for a read;
- ``fatal``: definitive (a refused key, a wrong address): FatalError with the rule's code.

Never by the message text: a server's words are shown to the operator, not interpreted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, NoReturn

from ..core.errors import AmbiguousError, FatalError, RetryableError
from ..core.text import N_, _

Meaning = Literal["retry", "unclear", "fatal"]
UNCLEAR_WRITE = N_("：请求可能已生效，正在核对")


@dataclass(frozen=True, slots=True)
class StatusRule:
    meaning: Meaning
    message: str  # the operator's words; "{service}" and "{status}" are filled in
    code: str = ""  # the error's code ("{status}" is filled in; "": "http_<status>")
    retry_after: float | None = None  # for "retry": seconds before sending again


def _unreadable() -> StatusRule:
    return StatusRule("unclear", N_("{service}的应答无法识别（HTTP {status}）"))


@dataclass(frozen=True, slots=True)
class StatusTable:
    service: str  # the backend's name in messages
    rules: Mapping[int, StatusRule]  # by HTTP status
    # a status without a rule: "unclear" below 300 and from 500, else ``otherwise``
    otherwise: StatusRule = StatusRule(
        "fatal", N_("{service}返回了意外的状态 HTTP {status}：请检查配置中的地址"), "{status}")
    unreadable: StatusRule = field(default_factory=_unreadable)

    def rule(self, status: int) -> StatusRule:
        if status in self.rules:
            return self.rules[status]
        return self.unreadable if status < 300 or status >= 500 else self.otherwise

    def raise_for(self, status: int, write: bool, *,
                  retry_after: float | None = None) -> NoReturn:
        """Raise what ``status`` means (``retry_after``: the server's Retry-After, which
        wins over the rule's)."""
        rule = self.rule(status)
        text = _(rule.message).format(service=self.service, status=status)
        code = rule.code.format(status=status) if rule.code else f"http_{status}"
        if rule.meaning == "retry":
            wait = retry_after if retry_after is not None else rule.retry_after
            raise RetryableError(text, code=code, retry_after=wait)
        if rule.meaning == "unclear":
            if write:
                raise AmbiguousError(text + _(UNCLEAR_WRITE), code=code)
            raise RetryableError(text, code=code)
        raise FatalError(text, code=code)
