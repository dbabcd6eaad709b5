"""Tunable behaviour of the 简道云 emulator.

Facts the spec (shared/specs/jiandaoyun.md) marks UNCONFIRMED / [2ND] / [FIELD] / [INFER] are
settings here, defaulting to the spec's best guess; each says so in one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WRITE_ENDPOINTS = frozenset({
    "app/entry/data/create", "app/entry/data/update", "app/entry/data/delete",
    "app/entry/data/batch_create", "app/entry/data/batch_update", "app/entry/data/batch_delete",
})


ENDPOINTS = WRITE_ENDPOINTS | frozenset({
    "app/list", "app/entry/list", "app/entry/widget/list", "app/entry/data/list",
    "app/entry/data/get",
})


# Endpoints where the "partial" fault (some items of a batch not created) makes sense.
PARTIAL_ENDPOINTS = frozenset({"app/entry/data/batch_create"})


def _default_endpoint_rps() -> dict[str, int]:
    # Per-endpoint limits per the official pages (§5).
    return {
        "app/list": 30, "app/entry/list": 30, "app/entry/widget/list": 30,
        "app/entry/data/list": 30, "app/entry/data/get": 30,
        "app/entry/data/create": 20, "app/entry/data/update": 20, "app/entry/data/delete": 20,
        "app/entry/data/batch_create": 10, "app/entry/data/batch_update": 10,
        "app/entry/data/batch_delete": 10,
    }


@dataclass(slots=True)
class JdySettings:
    # -- data/list paging
    list_limit_default: int = 10
    list_limit_max: int = 100
    # UNCONFIRMED (§9): limit outside 1..max is answered 3005 ("error") or clamped ("clamp").
    limit_out_of_range: str = "error"
    apps_limit_default: int = 100  # app/list, app/entry/list (§2)
    # -- filters
    # [FIELD]: invalid conditions are silently dropped ("drop"); "error" answers 400 4815.
    invalid_filter: str = "drop"
    # in/nin value count: 200 on the official page, 1000 in a [2ND] transcription.
    max_in_values: int = 200
    # UNCONFIRMED: a datetime string without a zone is read as UTC+8 (Beijing time).
    naive_tz_offset_hours: float = 8.0
    # -- writes
    batch_max: int = 100
    # [2ND]: a transaction_id is valid for 1 h; a replay within it replaces that batch's rows.
    transaction_ttl_s: float = 3600.0
    # UNCONFIRMED (§8.6): a replay overwrites the batch's rows in place, keeping their ids.
    replay_reuses_ids: bool = True
    # UNCONFIRMED (§3.6, §9): ids in batch_update/batch_delete that name no record only lower
    # success_count ("count"), or fail the whole request with 4001, changing nothing ("error").
    missing_ids: str = "count"
    # UNCONFIRMED: a data/list cursor (data_id) naming no record is taken as a position
    # ("accept": the records after it) or refused ("error": 4001).
    unknown_cursor: str = "accept"
    # UNCONFIRMED: keys that name no widget are ignored (True: answered 3005).
    reject_unknown_fields: bool = False
    # -- widget/list
    use_aliases: bool = True  # False: every widget's name is its _widget_ id
    # [INFER]: radiogroup/combo widgets list their options as items [{"text","value"}].
    select_items: bool = True
    # -- limits
    endpoint_rps: dict[str, int] = field(default_factory=_default_endpoint_rps)
    global_rps: int = 50  # per enterprise (§5)
    rate_window_s: float = 1.0  # UNCONFIRMED: sliding window of this length
    # UNCONFIRMED: the docs name HTTP 429 for concurrency but give no number or body code.
    max_in_flight: int = 10
    concurrency_code: int = 429
    # -- faults
    fault_timeout_s: float = 30.0  # the "timeout" fault holds the request this long
    timeout_apply: str = "after"  # "after" the delay, "before" it, or "never"
    fault_scope: str = "writes"  # "writes" or "all" endpoints are eligible for faults
    drop_mode: str = "close"  # "close" (FIN) or "reset" (RST) the connection

    def validate(self) -> None:
        choices = {
            "limit_out_of_range": ("error", "clamp"), "invalid_filter": ("drop", "error"),
            "timeout_apply": ("after", "before", "never"), "fault_scope": ("writes", "all"),
            "drop_mode": ("close", "reset"), "missing_ids": ("count", "error"),
            "unknown_cursor": ("accept", "error"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}")
