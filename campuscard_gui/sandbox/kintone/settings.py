"""Tunable behaviour of the kintone emulator (shared/specs/kintone.md).

Facts the spec marks UNCONFIRMED are settings here, defaulting to its best guess.
"""

from __future__ import annotations

from dataclasses import dataclass

# Endpoint names, as Control and its counters know them: "METHOD resource", where resource is
# the path between /k/v1/ (or /k/guest/N/v1/) and .json and METHOD the method it runs as
# (X-HTTP-Method-Override included). The writes are where faults go by default.
WRITE_ENDPOINTS = frozenset({
    "POST records", "PUT records", "DELETE records", "POST record", "PUT record",
    "POST bulkRequest",
})
READ_ENDPOINTS = frozenset({
    "GET records", "GET record", "GET app/form/fields", "POST records/cursor",
    "GET records/cursor", "DELETE records/cursor",
})
ENDPOINTS = WRITE_ENDPOINTS | READ_ENDPOINTS


@dataclass(slots=True)
class KintoneSettings:
    students_app: int = 1
    cards_app: int = 2
    # None: the apps live in no guest space; N: only /k/guest/N/v1/… reaches them (§1.1).
    guest_space: int | None = None
    user: str = "sandbox-admin"
    # -- records GET (§1.2)
    limit_default: int = 100
    limit_max: int = 500
    offset_max: int = 10_000
    # -- writes (§1.4, §1.5, §1.7, §1.8)
    records_max: int = 100
    bulk_max: int = 20
    # -- cursors (§1.3)
    cursor_max: int = 10
    cursor_size_max: int = 500
    cursor_ttl_s: float = 600.0
    cursor_limit_status: int = 429  # UNCONFIRMED: GAIA_TM12's HTTP status
    # -- auth (§3.2): older domains answered GAIA_IA02 with 520
    wrong_token_status: int = 400
    max_tokens: int = 9
    # -- concurrency (§4): real domains allow 100; kept low so tests can reach it
    max_in_flight: int = 10
    # -- faults (as for 简道云)
    fault_timeout_s: float = 30.0
    fault_scope: str = "writes"
    drop_mode: str = "close"  # "close" (FIN) or "reset" (RST)

    def validate(self) -> None:
        if self.fault_scope not in ("writes", "all"):
            raise ValueError("fault_scope must be 'writes' or 'all'")
        if self.drop_mode not in ("close", "reset"):
            raise ValueError("drop_mode must be 'close' or 'reset'")
        if self.students_app == self.cards_app:
            raise ValueError("the students and cards apps need different ids")
