"""What the backend holds, read the way another integration would: straight through each
sandbox's own wire API with plain httpx (and a TC3 signer written here from the spec), or
with plain sqlite3 for the local database file. Nothing here goes through
``campuscard_gui.connectors``, so a connector that misreads its backend cannot hide its own
duplicates from these counts.

Also the "gates" that hold a local SQLite file's write lock, the local backend's equivalent of
a server that holds a write in flight.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from campuscard_gui.sandbox import SandboxInfo

LIVE = frozenset({"正常", "冻结"})
CANCELLED = "注销"
READ_DEADLINE_S = 60.0


@dataclass(frozen=True, slots=True)
class ServerCard:
    student_no: str
    card_id: str
    status: str


class ServerView:
    """Every card record on one backend, as (学号, record id, status label)."""

    def cards(self) -> list[ServerCard]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    # -- what the scenarios count ------------------------------------------------------------

    def live_by_student(self) -> dict[str, list[ServerCard]]:
        out: dict[str, list[ServerCard]] = {}
        for card in self.cards():
            if card.status in LIVE:
                out.setdefault(card.student_no, []).append(card)
        return out


def duplicates(live: dict[str, list[ServerCard]], students: Iterable[str] | None = None
               ) -> list[str]:
    """The students with two or more live (正常/冻结) cards."""
    wanted = None if students is None else set(students)
    return sorted(no for no, cards in live.items()
                  if len(cards) > 1 and (wanted is None or no in wanted))


def _retrying(call: Callable[[], Any], what: str) -> Any:
    """A read that a busy sandbox (rate limit, injected fault) may refuse: tried again until
    it answers, within a deadline."""
    deadline = time.monotonic() + READ_DEADLINE_S
    delay = 0.05
    while True:
        try:
            return call()
        except (httpx.HTTPError, _Refused) as exc:
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: the sandbox kept refusing the read ({exc})") from exc
            time.sleep(delay)  # backoff between attempts, not a wait for a condition
            delay = min(delay * 2, 1.0)


class _Refused(Exception):
    pass


# -- 简道云 ----------------------------------------------------------------------------------

class JdyView(ServerView):
    def __init__(self, sb: SandboxInfo) -> None:
        self.sb = sb
        self.http = httpx.Client(base_url=f"{sb.base_url}/v5/", timeout=10,
                                 headers={"Authorization": f"Bearer {sb.api_key}"})

    def close(self) -> None:
        self.http.close()

    def _page(self, after: str | None) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"app_id": self.sb.app_id, "entry_id": self.sb.cards_entry_id,
                                "limit": 100, "fields": ["studentInfo", "status"]}
        if after:
            body["data_id"] = after
        r = self.http.post("app/entry/data/list", json=body)
        if r.status_code != 200:
            raise _Refused(f"HTTP {r.status_code} {r.text[:200]}")
        return list(r.json()["data"])

    def cards(self) -> list[ServerCard]:
        out: list[ServerCard] = []
        after: str | None = None
        while True:
            page = _retrying(lambda a=after: self._page(a), "简道云 data/list")
            out += [ServerCard(str(r.get("studentInfo", "")), str(r["_id"]),
                               str(r.get("status", ""))) for r in page]
            if len(page) < 100:
                return out
            after = page[-1]["_id"]


# -- kintone ---------------------------------------------------------------------------------

class KintoneView(ServerView):
    def __init__(self, sb: SandboxInfo) -> None:
        self.sb = sb
        self.http = httpx.Client(base_url=sb.base_url, timeout=10,
                                 headers={"X-Cybozu-API-Token": sb.cards_token})

    def close(self) -> None:
        self.http.close()

    def _page(self, after: int) -> list[dict[str, Any]]:
        r = self.http.get("/k/v1/records.json", params={
            "app": self.sb.cards_app, "fields[0]": "$id", "fields[1]": "student_no",
            "fields[2]": "status", "query": f"$id > {after} order by $id asc limit 500"})
        if r.status_code != 200:
            raise _Refused(f"HTTP {r.status_code} {r.text[:200]}")
        return list(r.json()["records"])

    def cards(self) -> list[ServerCard]:
        out: list[ServerCard] = []
        after = 0
        while True:
            page = _retrying(lambda a=after: self._page(a), "kintone GET records")
            out += [ServerCard(r["student_no"]["value"], r["$id"]["value"], r["status"]["value"])
                    for r in page]
            if len(page) < 500:
                return out
            after = int(page[-1]["$id"]["value"])


# -- 神笔 (and the 神笔 tenant behind the iPaaS gateway) ---------------------------------------

def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def tc3_headers(sb: SandboxInfo, action: str, path: str, body: bytes) -> dict[str, str]:
    """Headers of a TC3-HMAC-SHA256 signed POST (spec §6), signed over the exact body."""
    ts = int(time.time())
    date = datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")
    headers = {"content-type": "application/json", "host": urlsplit(sb.base_url).netloc,
               "x-tc-action": action}
    signed = ["content-type", "host", "x-tc-action"]
    canonical_headers = "".join(f"{n}:{headers[n].lower() if n == 'x-tc-action' else headers[n]}\n"
                                for n in signed)
    canonical = "\n".join(["POST", path, "", canonical_headers, ";".join(signed),
                           hashlib.sha256(body).hexdigest()])
    scope = f"{date}/{sb.service}/tc3_request"
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(ts), scope,
                         hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = _hmac(_hmac(_hmac(("TC3" + sb.secret_key).encode("utf-8"), date), sb.service),
                "tc3_request")
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return {**headers, "x-tc-timestamp": str(ts), "x-tc-version": sb.version,
            "authorization": f"TC3-HMAC-SHA256 Credential={sb.secret_id}/{scope}, "
                             f"SignedHeaders={';'.join(signed)}, Signature={signature}"}


class ShenbiView(ServerView):
    PAGE = 200

    def __init__(self, sb: SandboxInfo) -> None:
        self.sb = sb
        self.http = httpx.Client(timeout=10)
        self._students: dict[str, str] | None = None

    def close(self) -> None:
        self.http.close()

    def _query(self, entity: str, fields: list[str], offset: int) -> list[dict[str, Any]]:
        path = f"{urlsplit(self.sb.base_url).path}/metadata/DescribeEntityRecords"
        body = json.dumps({"AppCode": self.sb.app_code, "Entity": entity, "Fields": fields,
                           "Limit": self.PAGE, "Offset": offset}).encode("utf-8")
        root = self.sb.base_url[:len(self.sb.base_url) - len(urlsplit(self.sb.base_url).path)]
        r = self.http.post(root + path, content=body,
                           headers=tc3_headers(self.sb, "DescribeEntityRecords", path, body))
        if r.status_code != 200:
            raise _Refused(f"HTTP {r.status_code}")
        answer = r.json()["Response"]
        if "Error" in answer:
            raise _Refused(answer["Error"]["Code"])
        return list(answer["Data"]["EntityRecordSet"])

    def _all(self, entity: str, fields: list[str]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        while True:
            offset = len(rows)
            page = _retrying(lambda o=offset: self._query(entity, fields, o),
                             f"神笔 DescribeEntityRecords {entity}")
            rows += page
            if len(page) < self.PAGE:
                return rows

    def students(self) -> dict[str, str]:
        """student record Id -> 学号."""
        if self._students is None:
            rows = self._all(self.sb.students_object, ["student_no"])
            self._students = {str(r["Id"]): str(r["FieldValue"]["student_no"]["Value"])
                              for r in rows}
        return self._students

    def cards(self) -> list[ServerCard]:
        by_id = self.students()
        out = []
        for r in self._all(self.sb.cards_object, ["studentInfo", "status"]):
            fv = r["FieldValue"]
            link = str(fv.get("studentInfo", {}).get("Value", ""))
            status = fv.get("status", {}).get("DisplayValue") or [""]
            out.append(ServerCard(by_id.get(link, f"?{link}"), str(r["Id"]), str(status[0])))
        return out


# -- the local database file -----------------------------------------------------------------

class LocalView(ServerView):
    def __init__(self, db: Path) -> None:
        self.db = db

    def cards(self) -> list[ServerCard]:
        conn = sqlite3.connect(self.db, timeout=30)
        try:
            rows = conn.execute("SELECT student_no, card_id, status FROM cards").fetchall()
        finally:
            conn.close()
        return [ServerCard(*map(str, row)) for row in rows]


def view_for(backend: str, target: SandboxInfo | Path) -> ServerView:
    if backend == "local":
        assert isinstance(target, Path)
        return LocalView(target)
    assert isinstance(target, SandboxInfo)
    if backend == "jiandaoyun":
        return JdyView(target)
    if backend == "kintone":
        return KintoneView(target)
    return ShenbiView(target)


def status_by_card(cards: Iterable[ServerCard]) -> dict[str, str]:
    return {c.card_id: c.status for c in cards}


def live_count(cards: Iterable[ServerCard]) -> Counter[str]:
    return Counter(c.student_no for c in cards if c.status in LIVE)


# -- holding a SQLite file's write lock ------------------------------------------------------

class WriteLock:
    """A connection that can hold ``path``'s write lock (BEGIN IMMEDIATE) while a CLI runs:
    the CLI's own write then waits in SQLite's busy handler, "in flight", until released."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.held = False

    def hold(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.held = True

    def release(self) -> None:
        if self.held:
            self.conn.execute("ROLLBACK")
            self.held = False

    def close(self) -> None:
        self.release()
        self.conn.close()
