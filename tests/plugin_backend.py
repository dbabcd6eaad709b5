"""A backend that exists only in the tests: a read-only, in-memory school ("memo"), its options
declared once, its own ``profiles add`` flag, and a profile-dialog editor — registered with
``backends.register`` alone, to show that the CLI, the dialog and the factory take a new
backend without any change to their code (issue 10)."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from campuscard_gui.backends import BackendSpec, CliFlag, Listed
from campuscard_gui.backends.profile_flags import checked, flagged_numbers
from campuscard_gui.config.options import number, parse_numbers
from campuscard_gui.connectors.base import (
    CardCreate,
    CardUpdate,
    Consistency,
    Limits,
    ListProgress,
    RecordResult,
)
from campuscard_gui.core.errors import ConfigError, FatalError
from campuscard_gui.core.model import Card, CardStatus, Student, StudentRow, StudentStatus

KIND = "memo"


@dataclass(frozen=True, slots=True)
class MemoOptions:
    base_url: str  # a pretend address: the dialog's editors all have one
    school: str
    students: int = number(3, 1, 10_000, flag="--students", help="学生人数")
    timeout_s: float = number(5.0, 0.5, 60, unit="s", flag="--timeout",
                              help="单个请求的超时秒数")
    concurrency: int = number(1, 1, 4, flag="--concurrency", help="同时进行的请求数")

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> MemoOptions:
        school = str(options.get("school") or "").strip()
        if not school:
            raise ConfigError("内存学校配置缺少“school”")
        base_url = str(options.get("base_url") or "https://memo.invalid")
        return cls(base_url, school, **parse_numbers(cls, options, "内存学校"))


class MemoConnector:
    """Lists a made-up school; refuses every write (read-only)."""

    kind = KIND
    limits = Limits(batch_size=10)
    consistency = Consistency()

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.options = MemoOptions.parse(options)

    def list_rows(self, progress: ListProgress | None = None) -> list[StudentRow]:
        return [StudentRow(Student(f"M{i:04d}", f"学生{i}", self.options.school, "一班",
                                   StudentStatus.ENROLLED))
                for i in range(self.options.students)]

    def read_cards(self, student_nos: Iterable[str]) -> dict[str, Card]:
        return {}

    def create_cards(self, items: Sequence[CardCreate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        raise FatalError("内存学校是只读的", code="read_only")

    def update_cards(self, items: Sequence[CardUpdate], status: CardStatus,
                     idempotency_key: str) -> list[RecordResult]:
        raise FatalError("内存学校是只读的", code="read_only")

    def check_connection(self) -> None:
        return None

    def close(self) -> None:
        return None


def _cli_options(args: argparse.Namespace, profiles: Mapping[str, Any]) -> dict[str, Any]:
    options = {"base_url": args.base_url or "https://memo.invalid",
               "school": (args.school or "").strip(), **flagged_numbers(args, MemoOptions)}
    return checked(MemoOptions.parse, options)


SPEC = BackendSpec(
    kind=KIND,
    label="内存学校",
    label_en="In-memory school",
    connect=lambda profile, paths, credentials: MemoConnector(profile.options),
    options_class=lambda: MemoOptions,
    cli_flags=(CliFlag("--base-url", "随意的地址", "URL"), CliFlag("--school", "学校名称", "NAME")),
    cli_options=_cli_options,
    listed=(Listed("school", "学校"), Listed("students", "人数", 3)),
    editor="plugin_editor:MemoEditor",
    read_only=True,
)


# -- its sandbox: registered with sandbox.registry.register alone ------------------------------

class MemoServer:
    """A tiny server for the memo kind: GET {base}/students answers the school's size."""

    def __init__(self, school: str, students: int) -> None:
        import threading

        from starlette.applications import Starlette
        from starlette.responses import JSONResponse
        from starlette.routing import Mount, Route

        async def count(_request: Any) -> JSONResponse:
            return JSONResponse({"school": school, "students": students})

        self.stopping = threading.Event()
        self.mount = Mount("/memo", app=Starlette(routes=[Route("/students", count)]))
        self.app = Starlette(routes=[self.mount])

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


def _build_sandbox(*, students: int, **_kw: Any) -> tuple[MemoServer, Any]:
    server = MemoServer("一中", students)
    return server, lambda url: {"base_url": f"{url}/memo", "school": "一中"}


def sandbox_spec() -> Any:
    from campuscard_gui.sandbox.registry import SandboxSpec

    return SandboxSpec(KIND, _build_sandbox, frozenset({"students"}), frozenset(),
                       line_keys=("base_url", "school"))
