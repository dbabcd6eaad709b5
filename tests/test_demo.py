"""The deterministic demo school generator (core/demo.py)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from campuscard_gui.core.demo import REQUIRED_COMBOS, DemoSchool, card_id_for, generate_school
from campuscard_gui.core.model import CardStatus, StudentStatus

ROOT = Path(__file__).resolve().parents[1]


def digest(school: DemoSchool) -> str:
    return hashlib.sha256(repr((school.students, school.cards)).encode()).hexdigest()


def test_same_n_and_seed_give_the_same_data() -> None:
    a, b = generate_school(500, 7), generate_school(500, 7)
    assert a == b
    assert digest(a) == digest(b)
    assert digest(generate_school(500, 8)) != digest(a)


def test_data_does_not_depend_on_the_hash_seed() -> None:
    code = (
        "import hashlib; from campuscard_gui.core.demo import generate_school as g; "
        "s = g(300, 5); print(hashlib.sha256(repr((s.students, s.cards)).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == digest(generate_school(300, 5))


def test_student_numbers_are_unique_sorted_and_zero_padded() -> None:
    school = generate_school(2000, 1)
    numbers = [s.student_no for s in school.students]
    assert len(set(numbers)) == 2000
    assert numbers == sorted(numbers)
    assert all(re.fullmatch(r"20(20|21|22|23|24)\d{6}", n) for n in numbers)


def test_students_look_plausible() -> None:
    school = generate_school(2000, 1)
    colleges = {s.college for s in school.students}
    assert len(colleges) == 8 and "计算机学院" in colleges
    for s in school.students:
        assert 2 <= len(s.name) <= 4
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}\d{4}", s.class_name), s.class_name
        assert s.class_name[-4:-2] == s.student_no[2:4]  # class year = cohort
        if s.status is StudentStatus.GRADUATED:
            assert s.student_no.startswith("2020")
    shares = Counter(s.status for s in school.students)
    assert 0.80 < shares[StudentStatus.ENROLLED] / 2000 < 0.90
    assert all(shares[s] > 0 for s in StudentStatus)


def test_every_card_state_and_preset_is_present() -> None:
    rows = generate_school(2000, 1).rows()
    pairs = Counter((r.student.status, r.card_status) for r in rows)
    assert {status for _, status in pairs} == set(CardStatus)
    for combo in REQUIRED_COMBOS:
        assert pairs[combo] > 0, combo
    assert pairs[StudentStatus.SUSPENDED, CardStatus.ACTIVE] > 0  # 休学但卡仍正常


@pytest.mark.parametrize("n", [7, 10, 25, 60])
def test_presets_exist_even_in_tiny_schools(n: int) -> None:
    for seed in range(5):
        pairs = {(r.student.status, r.card_status) for r in generate_school(n, seed).rows()}
        assert set(REQUIRED_COMBOS) <= pairs, (n, seed)


def test_cards_are_consistent() -> None:
    school = generate_school(3000, 2)
    known = {s.student_no for s in school.students}
    ids = [c.card_id for c in school.cards]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert ids[0] == card_id_for(1) == "C0000000001"
    per_student: dict[str, list[CardStatus]] = {}
    for c in school.cards:
        assert c.student_no in known
        assert isinstance(c.open_time, int) and c.open_time > 1_500_000_000_000
        assert isinstance(c.amount, Decimal) and c.amount.as_tuple().exponent == -2
        assert c.amount >= 0
        if c.status is CardStatus.CANCELLED:
            assert c.amount == 0
        per_student.setdefault(c.student_no, []).append(c.status)
    history = [s for s in per_student.values() if len(s) > 1]
    assert history, "some students replaced a lost card"
    for statuses in per_student.values():  # never two live cards; older cards are cancelled
        assert all(s is CardStatus.CANCELLED for s in statuses[:-1])
    current = school.current_cards()
    for no, cards in per_student.items():
        newest = max((c for c in school.cards if c.student_no == no),
                     key=lambda c: (c.open_time or 0, c.card_id)) if len(cards) > 1 else None
        if newest is not None:
            assert current[no] == newest


def test_edge_sizes() -> None:
    empty = generate_school(0, 1)
    assert empty.students == [] and empty.cards == [] and empty.rows() == []
    assert len(generate_school(1, 1).students) == 1
    with pytest.raises(ValueError):
        generate_school(-1, 1)


def test_benchmark_100k_students() -> None:
    start = time.perf_counter()
    school = generate_school(100_000, 1)
    elapsed = time.perf_counter() - start
    print(f"\ngenerate_school(100000): {elapsed:.3f} s, {len(school.cards)} card records")
    assert len(school.students) == 100_000
    assert len({s.student_no for s in school.students}) == 100_000
