"""Deterministic demo school: students and their card records, generated from ``(n, seed)``.

Pure (no I/O). The same ``(n_students, seed)`` gives the same data on every platform and
Python run: only ``random.Random(seed)`` draws in a fixed order, never set or hash order.
Used by the local backend's demo database and by the sandbox servers.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import TypeVar

from .model import Card, CardStatus, Student, StudentRow, StudentStatus

_T = TypeVar("_T")
CARD_ID_WIDTH = 10
_DAY_MS = 86_400_000
_CST = timezone(timedelta(hours=8))

# (college, (major abbreviation, ...)); 班级 = major + 2-digit year + 2-digit class number.
_COLLEGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("计算机学院", ("计科", "软工")),
    ("外国语学院", ("英语", "日语")),
    ("经济管理学院", ("会计", "工商")),
    ("机械工程学院", ("机械", "车辆")),
    ("电子信息学院", ("电信", "通信")),
    ("土木工程学院", ("土木", "建筑")),
    ("文学与新闻学院", ("汉语言", "新闻")),
    ("理学院", ("数学", "物理")),
)
# Common surnames appear more than once so that they are drawn more often.
_SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾"
    "肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建文玲晨浩宇轩然欣怡子涵雨"
    "梓博思佳一诺嘉睿俊泽昊天瑶婷琳晓峰凯颖悦逸航泓宁雪梅海志成嘉怡心蕾雅琪安雯"
)
_COHORTS = (2021, 2022, 2023, 2024)  # students in school; 毕业 students are from 2020
_GRADUATED_COHORT = 2020

# Cumulative thresholds for one uniform draw each (kept explicit so the data is stable).
_STATUS_CUT = ((0.85, StudentStatus.ENROLLED), (0.90, StudentStatus.SUSPENDED),
               (0.93, StudentStatus.WITHDRAWN), (1.0, StudentStatus.GRADUATED))
_NONE, _ACTIVE, _FROZEN, _CANCELLED = (CardStatus.NONE, CardStatus.ACTIVE, CardStatus.FROZEN,
                                       CardStatus.CANCELLED)
_CARD_CUT: dict[StudentStatus, tuple[tuple[float, CardStatus], ...]] = {
    StudentStatus.ENROLLED: ((0.02, _NONE), (0.93, _ACTIVE), (0.97, _FROZEN), (1.0, _CANCELLED)),
    StudentStatus.SUSPENDED: ((0.05, _NONE), (0.35, _ACTIVE), (0.95, _FROZEN), (1.0, _CANCELLED)),
    StudentStatus.WITHDRAWN: ((0.05, _NONE), (0.20, _ACTIVE), (0.45, _FROZEN), (1.0, _CANCELLED)),
    StudentStatus.GRADUATED: ((0.05, _NONE), (0.15, _ACTIVE), (0.20, _FROZEN), (1.0, _CANCELLED)),
}
_NEW_STUDENT_UNOPENED = 0.40  # share of 2024 在读 students whose card is not opened yet
_REPLACED_CARD = 0.03  # share of live cards of 在读 students that replaced a cancelled card

# Every (学籍状态, 卡状态) the window's presets and the four actions need, guaranteed present.
REQUIRED_COMBOS: tuple[tuple[StudentStatus, CardStatus], ...] = (
    (StudentStatus.ENROLLED, _NONE),
    (StudentStatus.ENROLLED, _ACTIVE),
    (StudentStatus.ENROLLED, _FROZEN),
    (StudentStatus.ENROLLED, _CANCELLED),
    (StudentStatus.SUSPENDED, _ACTIVE),
    (StudentStatus.WITHDRAWN, _ACTIVE),
    (StudentStatus.WITHDRAWN, _FROZEN),
)


@dataclass(frozen=True, slots=True)
class DemoSchool:
    """Students sorted by 学号, and every card record, oldest first.

    A student may have several card records (a 注销 card, then a new one); the newest —
    largest ``(open_time, card_id)`` — is the current card. Every card has ``open_time``.
    """

    seed: int
    students: list[Student]
    cards: list[Card]

    def current_cards(self) -> dict[str, Card]:
        """学号 -> current card, for students that have one."""
        current: dict[str, Card] = {}
        for card in self.cards:  # oldest first, so the last one wins
            current[card.student_no] = card
        return current

    def rows(self) -> list[StudentRow]:
        """Students joined with their current card, in 学号 order."""
        current = self.current_cards()
        return [StudentRow(s, current.get(s.student_no)) for s in self.students]


def card_id_for(seq: int) -> str:
    """The card id of the ``seq``-th card record (1-based): sortable, e.g. ``C0000000042``."""
    return f"C{seq:0{CARD_ID_WIDTH}d}"


def _pick(cuts: tuple[tuple[float, _T], ...], u: float) -> _T:
    for cut, value in cuts:
        if u < cut:
            return value
    return cuts[-1][1]


def _term_start_ms(year: int) -> int:
    return int(datetime(year, 9, 1, 8, 0, tzinfo=_CST).timestamp()) * 1000


def generate_school(n_students: int, seed: int = 1) -> DemoSchool:
    """Generate ``n_students`` students and their cards, deterministically from ``seed``."""
    if n_students < 0:
        raise ValueError("n_students must be >= 0")
    rng = random.Random(seed)
    r = rng.random
    statuses: list[StudentStatus] = []
    cards: list[CardStatus] = []
    years: list[int] = []
    for _ in range(n_students):
        status = _pick(_STATUS_CUT, r())
        year = _GRADUATED_COHORT if status is StudentStatus.GRADUATED else _COHORTS[int(r() * 4)]
        if status is StudentStatus.ENROLLED and year == 2024 and r() < _NEW_STUDENT_UNOPENED:
            card = _NONE
        else:
            card = _pick(_CARD_CUT[status], r())
        statuses.append(status)
        years.append(year)
        cards.append(card)
    _ensure_combos(rng, statuses, cards, years)

    # 学号: cohort year + serial within the cohort, zero-padded; sorted by cohort, then serial.
    width = max(6, len(str(n_students)))
    serial = dict.fromkeys((_GRADUATED_COHORT, *_COHORTS), 0)
    numbers: list[str] = []
    for year in years:
        serial[year] += 1
        numbers.append(f"{year}{serial[year]:0{width}d}")
    order = sorted(range(n_students), key=years.__getitem__)  # stable: serial order kept

    students: list[Student] = []
    card_records: list[Card] = []
    surnames, given = _SURNAMES, _GIVEN
    term_start = {y: _term_start_ms(y) for y in serial}
    seq = 0
    for i in order:
        no, year, status, card_status = numbers[i], years[i], statuses[i], cards[i]
        college_no = int(r() * len(_COLLEGES))
        college, majors = _COLLEGES[college_no]
        major = majors[int(r() * len(majors))]
        class_name = f"{major}{year % 100:02d}{int(r() * 4) + 1:02d}"
        surname = (_COMPOUND_SURNAMES[int(r() * 4)] if r() < 0.01
                   else surnames[int(r() * len(surnames))])
        name = surname + given[int(r() * len(given))]
        if r() < 0.7:  # two-character given names are the more common
            name += given[int(r() * len(given))]
        students.append(Student(no, name, college, class_name, status))
        if card_status is _NONE:
            continue
        opened = term_start[year] + int(r() * 20 * _DAY_MS)
        if (status is StudentStatus.ENROLLED and card_status is not _CANCELLED
                and r() < _REPLACED_CARD):
            seq += 1  # the lost card, cancelled; the live one was opened months later
            card_records.append(Card(card_id_for(seq), no, _CANCELLED, opened, Decimal("0.00")))
            opened += int((30 + r() * 300) * _DAY_MS)
        cents = 0 if card_status is _CANCELLED else int(r() * 50_000)
        seq += 1
        card_records.append(
            Card(card_id_for(seq), no, card_status, opened, Decimal(cents).scaleb(-2))
        )
    return DemoSchool(seed, students, card_records)


def _ensure_combos(rng: random.Random, statuses: list[StudentStatus], cards: list[CardStatus],
                   years: list[int]) -> None:
    """Overwrite a few random students so that every REQUIRED_COMBOS pair occurs at least once.

    A reused row never holds the only instance of a required pair, so no pair is lost.
    """
    counts = Counter(zip(statuses, cards, strict=True))
    required = set(REQUIRED_COMBOS)  # membership tests only: order never matters
    for combo in REQUIRED_COMBOS:  # tuple order: deterministic
        if counts[combo]:
            continue
        candidates = [i for i in range(len(statuses))
                      if counts[statuses[i], cards[i]] > 1
                      or (statuses[i], cards[i]) not in required]
        if not candidates:
            return  # fewer students than required combinations
        i = candidates[int(rng.random() * len(candidates))]
        counts[statuses[i], cards[i]] -= 1
        statuses[i], cards[i] = combo
        counts[combo] += 1
        if years[i] == _GRADUATED_COHORT or combo[1] is _NONE:
            years[i] = _COHORTS[-1]  # not graduated; an unopened card belongs to a new student
