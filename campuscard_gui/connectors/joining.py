"""Students joined with their current card, for every remote backend.

A backend's records differ in shape (简道云: ``{widget: value}``; kintone:
``{code: {"type", "value"}}``), so the join takes a :class:`RecordReader` that knows how to
read one. The rules are the same everywhere:

A student whose 学籍状态 is empty or not mapped, or whose current card's status is, is left
out (and counted in a warning) rather than shown under a guessed state: every guess is one
that some action or preset would act on (shown as 休学, the "休学但卡仍正常" preset would
freeze the card; a card shown as 未开通 could be opened a second time). If students exist but
none has a known 学籍状态, the label mapping is wrong: raised.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..config.fieldmap import FieldMap
from ..core.errors import ConnectorError
from ..core.model import Card, Student, StudentRow
from ..core.text import _

log = logging.getLogger(__name__)

Record = Mapping[str, Any]
_EXAMPLES = 5


@dataclass(frozen=True, slots=True)
class RecordReader:
    """How to read one backend's records."""

    service: str  # the backend's name in messages ("简道云", "kintone")
    text: Callable[[Record, str], str]  # (record, field) -> the value as text ("" if none)
    record_id: Callable[[Record], str]
    card: Callable[[Record, FieldMap], Card | None]  # None: status label unknown


def unknown_label_error(rec: Record, fm: FieldMap, reader: RecordReader) -> ConnectorError:
    label = reader.text(rec, fm.card_status)
    shown = f"“{label}”" if label else _("空白")
    return ConnectorError(
        _("学号 {value} 的卡记录状态为{shown}，不在字段对应的卡状态选项中，无法判断这张卡是否有效"
          "。请在配置中检查卡状态的选项对应，或在{service}中更正该记录。").format(
            value=reader.text(rec, fm.card_student), shown=shown, service=reader.service),
        code="label")


def cards_of(current: Mapping[str, Record], fm: FieldMap,
             reader: RecordReader) -> dict[str, Card]:
    """学号 -> Card for each current card record; an unmapped status label raises (never
    guess whether a card is live: a wrong guess opens a second card or misses one)."""
    found: dict[str, Card] = {}
    for no, rec in current.items():
        card = reader.card(rec, fm)
        if card is None:
            raise unknown_label_error(rec, fm, reader)
        found[no] = card
    return found


class Joiner:
    """Joins students with their current cards (``current``: 学号 -> that student's current
    card record) a part at a time — parts may be joined on several threads as they are read
    (``join(part, key)``) — and tallies what it leaves out; ``warnings`` says it once for
    every part, its examples in the parts' order (``key``)."""

    def __init__(self, current: Mapping[str, Record], fm: FieldMap,
                 reader: RecordReader) -> None:
        self._current = current
        self._fm = fm
        self._reader = reader
        self._lock = threading.Lock()
        self._seen = 0
        self._joined = 0
        self._bad_student: Counter[str] = Counter()
        self._bad_card: Counter[str] = Counter()
        self._examples: dict[Any, list[str]] = {}

    def join(self, students: Iterable[Record], key: Any = 0) -> list[StudentRow]:
        """These students (in the order given) joined with their current card."""
        fm, current, reader = self._fm, self._current, self._reader
        text = reader.text
        rows: list[StudentRow] = []
        bad_student: Counter[str] = Counter()
        bad_card: Counter[str] = Counter()
        examples: list[str] = []
        seen = 0
        for rec in students:
            seen += 1
            no = text(rec, fm.student_no)
            if not no:
                bad_student[_("（学号为空）")] += 1
                continue
            label = text(rec, fm.student_status)
            status = fm.student_status_of(label)
            if status is None:
                bad_student[label or _("空白")] += 1
                if len(examples) < _EXAMPLES:
                    examples.append(no)
                continue
            student = Student(no, text(rec, fm.name), text(rec, fm.college),
                              text(rec, fm.class_name), status, reader.record_id(rec))
            card_rec = current.get(no)
            if card_rec is None:
                rows.append(StudentRow(student))
                continue
            card = reader.card(card_rec, fm)
            if card is None:
                bad_card[text(card_rec, fm.card_status) or _("空白")] += 1
                if len(examples) < _EXAMPLES:
                    examples.append(no)
                continue
            rows.append(StudentRow(student, card))
        with self._lock:
            self._seen += seen
            self._joined += len(rows)
            self._bad_student.update(bad_student)
            self._bad_card.update(bad_card)
            if examples:
                self._examples.setdefault(key, []).extend(examples)
        return rows

    def warnings(self, *, whole: bool = True) -> list[str]:
        """What the operator is told about the students left out (logged too). ``whole``
        False: the students joined are only those a refresh reads again, so none being known
        proves nothing; True: students exist but none has a known 学籍状态 raises."""
        bad_student, bad_card = self._bad_student, self._bad_card
        if whole and self._seen and not self._joined and bad_student and not bad_card:
            raise ConnectorError(
                _("学生表中 {seen} 名学生的学籍状态都无法识别（{bad_student}）。请在配置的选项对应"
                  "中设置学校使用的学籍状态文字。").format(
                    seen=self._seen, bad_student=_counts(bad_student)), code="label")
        warnings = []
        if bad_student:
            warnings.append(
                _("{value} 名学生的学号或学籍状态为空或无法识别（{bad_student}），未列出。").format(
                    value=sum(bad_student.values()), bad_student=_counts(bad_student)))
        if bad_card:
            warnings.append(
                _("{value} 名学生的当前卡记录状态无法识别（{bad_card}），未列出，以免重复开卡"
                  "。").format(
                    value=sum(bad_card.values()), bad_card=_counts(bad_card)))
        if warnings:
            examples = [no for k in sorted(self._examples) for no in self._examples[k]]
            warnings.append(_("例如学号：{examples}。请检查配置中的选项对应，或在{service}中更正这些"
                              "记录。").format(examples=_("、").join(examples[:_EXAMPLES]),
                                              service=self._reader.service))
            log.warning("%s", "".join(warnings))
        return warnings


def join_rows(students: Iterable[Record], current: Mapping[str, Record], fm: FieldMap,
              reader: RecordReader, *, whole: bool = True
              ) -> tuple[list[StudentRow], list[str]]:
    """Students (in the order given) joined with ``current`` (学号 -> that student's current
    card record), and warnings for the operator (see the module doc). ``whole`` False: the
    students are only those a refresh reads again, so none being known proves nothing."""
    joiner = Joiner(current, fm, reader)
    rows = joiner.join(students)
    return rows, joiner.warnings(whole=whole)


def _counts(counter: Counter[str]) -> str:
    return _("、").join(_("“{k}” {n} 名").format(k=k, n=n) if k != _("空白")
                        else _("空白 {n} 名").format(n=n) for k, n in counter.most_common(5))
