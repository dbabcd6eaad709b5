"""The subset of kintone's query language the emulator understands (specs/kintone.md §1.2).

``<conditions> [order by f asc|desc, …] [limit N] [offset M]`` with ``= != > < >= <=``,
``in (…)``, ``not in (…)``, ``and``, ``or`` and parentheses. Values are double-quoted strings
(``\\"`` and ``\\\\`` escaped) or bare numbers. Anything else is a query error.

A parsed condition is a small tree (:class:`Cond`, :class:`AllOf`, :class:`AnyOf`) whose every
node carries its compiled ``test``; the store reads the tree to use its indexes and always
re-checks candidates with ``test``, so an index can only narrow, never change, a result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .schema import DATETIME_TYPES, parse_datetime

Record = Mapping[str, Any]  # field code -> stored value (str), "$id"/"$revision" included
Predicate = Callable[[Record], bool]

CHOICE_TYPES = frozenset({"DROP_DOWN", "RADIO_BUTTON", "CHECK_BOX", "MULTI_SELECT"})
NUMERIC_TYPES = frozenset({"NUMBER", "__ID__", "__REVISION__", "RECORD_NUMBER"})

_TOKEN = re.compile(r'''\s*(?:
    (?P<str>"(?:[^"\\]|\\.)*")
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<op>!=|>=|<=|=|>|<)
  | (?P<punct>[(),])
  | (?P<word>[^\s()",=!<>]+)
)''', re.VERBOSE)


class QueryError(Exception):
    """A query the emulator rejects: ``code`` is kintone's (GAIA_IQ11, CB_VA01…)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Cond:
    """``field op value`` or ``field [not] in (values)``; op is one of = != > < >= <= in, not in."""

    field: str
    op: str
    values: tuple[str, ...]
    test: Predicate


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Node, ...]
    test: Predicate


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Node, ...]
    test: Predicate


Node = Cond | AllOf | AnyOf


@dataclass(slots=True)
class Query:
    where: Node | None = None
    order: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    limit: int | None = None
    offset: int | None = None


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise QueryError("GAIA_IQ02", f"Invalid query near position {pos}.")
        kind = m.lastgroup or ""
        value = m.group(kind)
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out.append(_Tok(kind, value))
        pos = m.end()
    return out


def number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


class _Parser:
    def __init__(self, text: str, types: Mapping[str, str]) -> None:
        self.toks = _tokens(text)
        self.i = 0
        self.types = types

    def peek(self, offset: int = 0) -> _Tok | None:
        j = self.i + offset
        return self.toks[j] if j < len(self.toks) else None

    def word(self, *words: str) -> bool:
        """Consume the keyword sequence ``words`` (case-insensitive) if it comes next."""
        for k, w in enumerate(words):
            t = self.peek(k)
            if t is None or t.kind != "word" or t.text.lower() != w:
                return False
        self.i += len(words)
        return True

    def take(self) -> _Tok:
        t = self.peek()
        if t is None:
            raise QueryError("GAIA_IQ02", "Unexpected end of query.")
        self.i += 1
        return t

    def expect(self, kind: str, text: str | None = None) -> _Tok:
        t = self.take()
        if t.kind != kind or (text is not None and t.text != text):
            raise QueryError("GAIA_IQ02", f"Invalid query near {t.text!r}.")
        return t

    def at_clause(self) -> bool:
        t = self.peek()
        return t is None or (t.kind == "word" and t.text.lower() in ("order", "limit", "offset"))

    # ---------------------------------------------------------------- grammar

    def parse(self) -> Query:
        q = Query()
        if not self.at_clause():
            q.where = self.disjunction()
        if self.word("order", "by"):
            while True:
                name = self.field()
                desc = False
                if self.word("desc"):
                    desc = True
                else:
                    self.word("asc")
                q.order.append((name, desc))
                t = self.peek()
                if t is None or t.kind != "punct" or t.text != ",":
                    break
                self.i += 1
        if self.word("limit"):
            q.limit = self.integer("limit")
        if self.word("offset"):
            q.offset = self.integer("offset")
        if self.peek() is not None:
            raise QueryError("GAIA_IQ02", f"Invalid query near {self.take().text!r}.")
        return q

    def integer(self, what: str) -> int:
        t = self.take()
        if t.kind != "num" or not t.text.isdigit():
            raise QueryError("CB_VA01", f"{what} must be a non-negative integer.")
        return int(t.text)

    def field(self) -> str:
        t = self.take()
        if t.kind != "word" or t.text not in self.types:
            raise QueryError("GAIA_IQ11", f"Specified field ({t.text}) not found.")
        return t.text

    def disjunction(self) -> Node:
        parts = [self.conjunction()]
        while self.word("or"):
            parts.append(self.conjunction())
        if len(parts) == 1:
            return parts[0]
        tests = [p.test for p in parts]
        return AnyOf(tuple(parts), lambda r: any(t(r) for t in tests))

    def conjunction(self) -> Node:
        parts = [self.factor()]
        while self.word("and"):
            parts.append(self.factor())
        if len(parts) == 1:
            return parts[0]
        tests = [p.test for p in parts]
        return AllOf(tuple(parts), lambda r: all(t(r) for t in tests))

    def factor(self) -> Node:
        t = self.peek()
        if t is not None and t.kind == "punct" and t.text == "(":
            self.i += 1
            inner = self.disjunction()
            self.expect("punct", ")")
            return inner
        name = self.field()
        ftype = self.types[name]
        negate = self.word("not", "in")
        if negate or self.word("in"):
            return self.membership(name, ftype, negate)
        op = self.expect("op").text
        if ftype in CHOICE_TYPES:
            raise QueryError("GAIA_IQ03",
                             f"The operator ({op}) cannot be used for the field ({name}).")
        value = self.value()
        return Cond(name, op, (value,), _compare(name, ftype, op, value))

    def membership(self, name: str, ftype: str, negate: bool) -> Cond:
        self.expect("punct", "(")
        values = [self.value()]
        while True:
            t = self.take()
            if t.kind == "punct" and t.text == ")":
                break
            if t.kind != "punct" or t.text != ",":
                raise QueryError("GAIA_IQ02", f"Invalid query near {t.text!r}.")
            values.append(self.value())
        op = "not in" if negate else "in"
        if ftype in NUMERIC_TYPES:
            nums = {number(v) for v in values}

            def num_in(r: Record) -> bool:
                return (number(r.get(name)) in nums) != negate

            return Cond(name, op, tuple(values), num_in)
        wanted = set(values)

        def str_in(r: Record) -> bool:
            return (str(r.get(name) or "") in wanted) != negate

        return Cond(name, op, tuple(values), str_in)

    def value(self) -> str:
        t = self.take()
        if t.kind not in ("str", "num"):
            raise QueryError("GAIA_IQ02", f"Invalid query near {t.text!r}.")
        return t.text


def _compare(name: str, ftype: str, op: str, raw: str) -> Predicate:
    if ftype in NUMERIC_TYPES:
        target = number(raw)
        if target is None:
            raise QueryError("GAIA_IQ02", f"Invalid number: {raw!r}.")

        def key(r: Record) -> Any:
            return number(r.get(name))
    elif ftype in DATETIME_TYPES:  # compared as instants; stored values are UTC minutes
        when = parse_datetime(raw) if raw.strip() else None
        if when is None:
            raise QueryError("GAIA_IQ02", f"Invalid datetime: {raw!r}.")
        target_t: Any = when
        target = target_t

        def key(r: Record) -> Any:
            v = r.get(name)
            return "" if v is None else str(v)
    else:
        target_s: Any = raw
        target = target_s

        def key(r: Record) -> Any:
            v = r.get(name)
            return "" if v is None else str(v)

    def test(r: Record) -> bool:
        v = key(r)
        if op == "=":
            return bool(v == target)
        if op == "!=":
            return bool(v != target)
        if v is None or v == "":
            return False
        if op == ">":
            return bool(v > target)
        if op == "<":
            return bool(v < target)
        if op == ">=":
            return bool(v >= target)
        return bool(v <= target)

    return test


def parse_query(text: str, types: Mapping[str, str]) -> Query:
    """Parse ``text`` against the app's field types (code -> kintone type)."""
    return _Parser(text or "", types).parse()


def sort_key(ftype: str, value: Any) -> tuple[int, Any]:
    """Order key for ``order by``: empties first, numbers numerically."""
    if value is None or value == "":
        return (0, "")
    if ftype in NUMERIC_TYPES:
        n = number(value)
        return (1, n if n is not None else Decimal(0))
    return (1, str(value))
