"""Typed errors. ``CampusCardError`` and its subclasses are *expected* failures: their message
is for the operator (Chinese by default, never holding a secret). Anything else is a bug."""

from __future__ import annotations


class CampusCardError(Exception):
    """An expected failure with an operator-facing message and a stable code."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class ConfigError(CampusCardError):
    code = "config"


class ImportFileError(CampusCardError):
    """A student import file could not be read at all (not a per-row problem)."""

    code = "import"


class ConnectorError(CampusCardError):
    """A backend call failed. Subclasses say what the batch runner may do about it."""

    code = "backend"


class RetryableError(ConnectorError):
    """Nothing was applied (rate limit, 5xx before processing, refused connection): retry."""

    code = "retryable"

    def __init__(self, message: str, *, code: str | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class AmbiguousError(ConnectorError):
    """The request may or may not have been applied (timeout, dropped connection after send).

    The runner must reconcile (read the cards back) before sending anything again.
    """

    code = "ambiguous"


class FatalError(ConnectorError):
    """The whole chunk failed definitively (auth, permission, bad request): do not retry."""

    code = "fatal"
