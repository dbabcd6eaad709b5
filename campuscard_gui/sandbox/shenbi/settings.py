"""Tunable behaviour of the 神笔 (千帆神笔 aPaaS) emulator and its iPaaS gateway.

shared/specs/shenbi.md marks most of the wire as [INFER] or [UNKNOWN]; every such fact is a
setting here, defaulting to the spec's best guess, and says so in one line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Endpoint names as Control knows them: the action for 神笔 calls, "ipaas/gateway" for the
# gateway. The writes are where faults go by default.
READ_ACTIONS = frozenset({"DescribeEntityRecords", "DescribeEntityRecordsById"})
WRITE_ACTIONS = frozenset({"CreateEntityRecords", "ModifyEntityRecords", "DeleteEntityRecords"})
ACTIONS = READ_ACTIONS | WRITE_ACTIONS
GATEWAY_ENDPOINT = "ipaas/gateway"
WRITE_ENDPOINTS = WRITE_ACTIONS | {GATEWAY_ENDPOINT}
ENDPOINTS = ACTIONS | {GATEWAY_ENDPOINT}

# The first record Id: 19-digit snowflake-like numbers above 2**53 (the iPaaS read sample's Id).
FIRST_ID = 1458712091891462184


def _gateway_labels() -> dict[str, str]:
    return {"open": "正常", "freeze": "冻结", "unfreeze": "正常", "cancel": "注销"}


@dataclass(slots=True)
class ShenbiSettings:
    # -- tenant model (§7: the object model is only in screenshots)
    app_code: str = "campus"
    students_object: str = "student"
    cards_object: str = "card"
    # Path prefix the tenant is served under (None: "/shenbi", or "/shenbi-ipaas" for the
    # ipaas backend). Clients sign the path they send, prefix included.
    base_path: str | None = None
    # -- auth (§6, §8)
    secret_id: str | None = None  # None: a random "AKID…"; the SecretKey is start_sandbox's api_key
    service: str = "apaas"  # [INFER] the service in the credential scope
    version: str = "2022-01-01"  # [UNKNOWN] X-TC-Version
    max_skew_s: float = 300.0  # [DOC] AuthFailure.SignatureExpire beyond 5 minutes
    clock: Callable[[], float] = field(default=time.time)  # the server's idea of "now" (s)
    # -- limits
    rate_per_second: int = 20  # [INFER] per SecretId, all actions together
    rate_window_s: float = 1.0  # sliding window of this length
    batch_max: int = 100  # [INFER] rows per Create/Modify/DeleteEntityRecords; more: LimitExceeded
    by_id_max: int = 1000  # [DOC] Ids per DescribeEntityRecordsById
    limit_max: int = 200  # [INFER] DescribeEntityRecords Limit
    limit_default: int = 10  # [INFER] Limit when the body has none
    children_max: int = 100  # [INFER] conditions per Filter group
    # [UNKNOWN] (§4.2: the query-by-filter action is not public): DescribeEntityRecords'
    # Filter is applied ("apply") or taken and ignored ("ignore": every record matches and
    # TotalCount counts them all, as a server that does not know the key would answer).
    filter_mode: str = "apply"
    # -- writes
    atomic_writes: bool = True  # [INFER] False: rows before the failing one stay written
    check_relations: bool = True  # [INFER] a relation must name an existing record
    # -- read spellings (§3.3 vs §4.1 disagree)
    ids_as_numbers: bool = False  # Ids as JSON integers (§4.1) instead of strings (§3.3)
    value_key_case: str = "upper"  # "upper": Value/DisplayValue (§3.3); "lower": value/displayValue
    capitalize_field_keys: bool = False  # FieldValue keys with an initial capital (§3.3 sample)
    enum_value: str = "codes"  # Value of an enum on read: option "codes" (§4.1) or "labels"
    # -- faults
    # "5xx" fault: "envelope" (InternalError in HTTP 200), "http" (a 503 page) or "either"
    fault_5xx: str = "envelope"
    fault_timeout_s: float = 30.0  # the "timeout" fault holds the request this long
    timeout_apply: str = "after"  # "after" the delay, "before" it, or "never"
    fault_scope: str = "writes"  # "writes" or "all" endpoints are eligible for faults
    drop_mode: str = "close"  # "close" (FIN) or "reset" (RST) the connection
    # -- iPaaS gateway (--backend ipaas; seeds/000): all [INFER]
    gateway_flow: str = "campuscard-flow"  # POST {base_url}/ipaas/gateway/{flow}
    gateway_token: str | None = None  # None: a random token; "": no token is checked
    gateway_token_header: str = "X-Gateway-Token"
    gateway_chunk_max: int = 200  # studentRecords per call; more: HTTP 400
    # "result": 神笔's answer passed through; "status": {"code": 0, …}; "empty": {} after the
    # flow ran (written); "empty_noop": {} and nothing written (a flow that does nothing)
    gateway_answer: str = "result"
    # True: the flow's 神笔 calls for one gateway call stand or fall together
    gateway_atomic: bool = True
    gateway_labels: dict[str, str] = field(default_factory=_gateway_labels)

    def validate(self) -> None:
        choices = {
            "value_key_case": ("upper", "lower"), "enum_value": ("codes", "labels"),
            "filter_mode": ("apply", "ignore"),
            "fault_5xx": ("envelope", "http", "either"),
            "timeout_apply": ("after", "before", "never"), "fault_scope": ("writes", "all"),
            "drop_mode": ("close", "reset"),
            "gateway_answer": ("result", "status", "empty", "empty_noop"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}")
        if self.students_object == self.cards_object:
            raise ValueError("the students and cards objects need different keys")
        if self.base_path is not None and self.base_path and (
                not self.base_path.startswith("/") or self.base_path.endswith("/")):
            raise ValueError("base_path must be empty or start (and not end) with '/'")
        for name in ("rate_per_second", "batch_max", "by_id_max", "limit_max", "children_max",
                     "gateway_chunk_max"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        if set(self.gateway_labels) != {"open", "freeze", "unfreeze", "cancel"}:
            raise ValueError("gateway_labels must map open, freeze, unfreeze and cancel")
