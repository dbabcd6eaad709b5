"""Each backend's answer table (``connectors.answers``): by HTTP status, never by the words."""

from __future__ import annotations

import pytest

from campuscard_gui.backends.jiandaoyun.errors import STATUS as JDY
from campuscard_gui.backends.kintone.errors import STATUS as KINTONE
from campuscard_gui.backends.shenbi.errors import STATUS as SHENBI
from campuscard_gui.backends.shenbi.errors import meaning_of
from campuscard_gui.connectors.answers import StatusRule, StatusTable
from campuscard_gui.core.errors import AmbiguousError, FatalError, RetryableError

CASES = [
    # table, status, write, error, code
    (JDY, 429, True, RetryableError, "429"),
    (JDY, 401, False, FatalError, "8301"),
    (JDY, 403, True, FatalError, "8302"),
    (JDY, 400, True, AmbiguousError, "http_400"),  # a 400 without the API's code may have run
    (JDY, 400, False, RetryableError, "http_400"),
    (JDY, 502, True, AmbiguousError, "http_502"),
    (JDY, 200, True, AmbiguousError, "http_200"),  # a 2xx that cannot be read
    (JDY, 404, True, FatalError, "404"),
    (KINTONE, 429, True, RetryableError, "GAIA_TO04"),
    (KINTONE, 401, True, FatalError, "CB_AU01"),
    (KINTONE, 403, False, FatalError, "CB_NO02"),
    (KINTONE, 400, True, FatalError, "400"),  # kintone's 400 always has a code; none: refused
    (KINTONE, 503, False, RetryableError, "http_503"),
    (SHENBI, 429, True, RetryableError, "429"),
    (SHENBI, 500, True, AmbiguousError, "http_500"),
    (SHENBI, 404, True, FatalError, "404"),
]


@pytest.mark.parametrize(("table", "status", "write", "error", "code"), CASES)
def test_each_backends_status_table(table: StatusTable, status: int, write: bool,
                                    error: type[Exception], code: str) -> None:
    with pytest.raises(error) as info:
        table.raise_for(status, write)
    assert type(info.value) is error and info.value.code == code
    assert table.service in info.value.message


def test_a_servers_retry_after_wins_over_the_tables() -> None:
    with pytest.raises(RetryableError) as info:
        JDY.raise_for(429, True, retry_after=7.0)
    assert info.value.retry_after == 7.0
    with pytest.raises(RetryableError) as info:
        KINTONE.raise_for(429, True)
    assert info.value.retry_after == 1.0


def test_shenbi_codes_by_code_or_prefix() -> None:
    assert meaning_of("RequestLimitExceeded") == "retry"
    assert meaning_of("RequestLimitExceeded.UinLimitExceeded") == "retry"
    assert meaning_of("InternalError.DbError") == "unclear"
    assert meaning_of("AuthFailure.SignatureFailure") == "refused"
    assert meaning_of("InternalErrorX") == "refused"  # a prefix is up to the first "."


def test_a_table_of_ones_own() -> None:
    table = StatusTable("X", {418: StatusRule("retry", "{service} 忙（{status}）", "tea", 2.0)})
    with pytest.raises(RetryableError) as info:
        table.raise_for(418, False)
    assert (info.value.code, info.value.retry_after, info.value.message) == ("tea", 2.0,
                                                                            "X 忙（418）")
    with pytest.raises(FatalError) as fatal:
        table.raise_for(409, True)
    assert fatal.value.code == "409" and "请检查配置中的地址" in fatal.value.message
