"""Helpers for the sandbox tests: the running-sandbox fixture every test module sets up, and
a thin raw-HTTP client for the 简道云 emulator.

The client is deliberately naive (plain httpx, no retries): the tests check what a client sees
on the wire, not what the app's connector makes of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from campuscard_gui.sandbox import SandboxInfo, run_sandbox

N_STUDENTS = 250
SEED = 7


def sandbox_fixture(backend: str, students: int, seed: int, name: str = "sb"
                    ) -> Callable[..., Iterator[SandboxInfo]]:
    """A fixture ``name``: a fresh ``backend`` sandbox per test with ``students`` students from
    ``seed``. ``@pytest.mark.parametrize(name, [{...}], indirect=True)`` (for ``sb``:
    :func:`options`) passes more run_sandbox options or overrides these."""

    @pytest.fixture(name=name)
    def running(request: pytest.FixtureRequest) -> Iterator[SandboxInfo]:
        options = {"backend": backend, "students": students, "seed": seed,
                   **getattr(request, "param", {})}
        with run_sandbox(**options) as info:
            yield info

    return running


def options(**kw: Any) -> pytest.MarkDecorator:
    """run_sandbox options for a test's ``sb`` sandbox."""
    return pytest.mark.parametrize("sb", [kw], indirect=True)


class Jdy:
    def __init__(self, sb: SandboxInfo, timeout: float = 5.0) -> None:
        self.sb = sb
        self.http = httpx.Client(base_url=f"{sb.base_url}/v5/", timeout=timeout,
                                 headers={"Authorization": f"Bearer {sb.api_key}"})

    def close(self) -> None:
        self.http.close()

    def body(self, form: str | None, **fields: Any) -> dict[str, Any]:
        base: dict[str, Any] = {}
        if form is not None:
            entry = self.sb.students_entry_id if form == "students" else self.sb.cards_entry_id
            base = {"app_id": self.sb.app_id, "entry_id": entry}
        return {**base, **fields}

    def post(self, endpoint: str, form: str | None = "students", **fields: Any) -> httpx.Response:
        return self.http.post(endpoint, json=self.body(form, **fields))

    def ok(self, endpoint: str, form: str | None = "students", **fields: Any) -> Any:
        r = self.post(endpoint, form, **fields)
        assert r.status_code == 200, r.text
        return r.json()

    def err(self, endpoint: str, form: str | None = "students", **fields: Any) -> int:
        r = self.post(endpoint, form, **fields)
        assert r.status_code == 400, r.text
        body = r.json()
        assert set(body) == {"code", "msg"} and body["msg"]
        return int(body["code"])

    def walk(self, form: str = "students", limit: int = 100, **fields: Any
             ) -> tuple[list[dict[str, Any]], int]:
        """Every record via the data_id cursor; returns (records, pages)."""
        rows: list[dict[str, Any]] = []
        pages, cursor = 0, None
        while True:
            extra = {"data_id": cursor} if cursor else {}
            page = self.ok("app/entry/data/list", form, limit=limit, **extra, **fields)["data"]
            pages += 1
            rows += page
            if len(page) < limit:
                return rows, pages
            cursor = page[-1]["_id"]


def card(student_no: str, status: str = "正常", open_ms: int = 1_725_148_800_000,
         amount: float = 0) -> dict[str, Any]:
    return {"studentInfo": {"value": student_no}, "openTime": {"value": open_ms},
            "amount": {"value": amount}, "status": {"value": status}}
