"""Batch jobs: plans become journalled chunks, run within the backend's limits with retries,
cancellation and crash-safe resume (design.md §5). No Qt here."""

from .jobs import (
    ChunkInfo,
    ChunkState,
    JobInfo,
    JobRecord,
    JobState,
    PendingWrite,
    Wait,
    WaitKind,
)
from .journal import Journal
from .ratelimit import RateLimiter
from .retry import RetryPolicy
from .runner import (
    BatchRunner,
    CancelToken,
    Progress,
    ProgressCallback,
    chunk_size_for,
    current_operator,
    first_chunk_for,
)

__all__ = [
    "BatchRunner", "CancelToken", "ChunkInfo", "ChunkState", "JobInfo", "JobRecord", "JobState",
    "Journal", "PendingWrite", "Progress", "ProgressCallback", "RateLimiter", "RetryPolicy",
    "Wait", "WaitKind", "chunk_size_for", "current_operator", "first_chunk_for",
]
