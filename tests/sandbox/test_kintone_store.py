"""The kintone store without HTTP: the index fast paths answer exactly what a full scan would,
and a failed transaction leaves the rows and every index as they were."""

from __future__ import annotations

from typing import Any

import pytest

from campuscard_gui.core.demo import generate_school
from campuscard_gui.sandbox.kintone.query import parse_query, sort_key
from campuscard_gui.sandbox.kintone.settings import KintoneSettings
from campuscard_gui.sandbox.kintone.store import App, KintoneError, KintoneStore

SCHOOL = generate_school(300, 11)
NOS = [s.student_no for s in SCHOOL.students]


def card(no: str, status: str = "正常") -> dict[str, Any]:
    return {"student_no": {"value": no}, "status": {"value": status},
            "amount": {"value": 1}}


@pytest.fixture(scope="module")
def store() -> KintoneStore:
    st = KintoneStore(SCHOOL, KintoneSettings())
    st.add(2, [card(n) for n in NOS[:100]])
    st.add(2, [card(n, "冻结") for n in NOS[100:180]])
    # gaps in the ids, and revisions above 1
    st.delete(1, [7, 8, 150, 299])
    st.delete(2, [1, 50, 180])
    st.update(1, [{"id": i, "record": {"name": {"value": f"改{i}"}}} for i in (3, 9, 200)])
    st.update(1, [{"id": 9, "record": {}}])
    return st


def reference(app: App, query: str) -> list[int]:
    """The plain way: test every row, then stable sorts by each key, last key first."""
    q = parse_query(query, app.types)
    ids = sorted(app.rows)
    if q.where is not None:
        ids = [i for i in ids if q.where.test(app.rows[i])]
    for code, desc in reversed(q.order or [("$id", True)]):
        ids.sort(key=lambda i, c=code: sort_key(app.types[c], app.rows[i][c]), reverse=desc)
    return ids


def quoted(values: list[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


STUDENT_QUERIES = [
    "", "order by $id asc", "$id > 40 order by $id asc", "$id > 40.5 order by $id asc",
    "$id >= 41 and $id < 90", "$id <= 3", "$id < 1", "$id > 10000", "$id = 5.0", "$id = 4.5",
    "$id = 7", '$id in ("3", 7, "x", "2.0", 9999, 150)', "$id != 10 order by $id asc",
    '$id not in (1, 2, 3) order by $id asc',
    f'student_no = "{NOS[5]}"', f'student_no = "{NOS[7]}"', 'student_no = ""',
    'student_no = "nobody"', f'student_no in ({quoted(NOS[10:40] + ["nobody"])})',
    f'student_no in ({quoted(NOS[10:12] + [""])})', f'student_no not in ({quoted(NOS[:5])})',
    f'student_no != "{NOS[0]}" and $id < 20',
    f'(student_no in ({quoted(NOS[50:70])}) or $id < 5) and student_status in ("在读")',
    f'student_no in ({quoted(NOS[50:70])}) or student_status in ("休学")',
    f'student_no = "{NOS[60]}" or $id > 290',
    'student_status in ("在读") and $id > 100 order by $id desc',
    'student_status in ("在读") and $id > 100 order by $id asc',
    'order by student_status desc, $id asc', 'order by $id asc, name desc',
    'order by name asc', '$revision > 1', '$revision = 3 or $id = 1',
    f'$id > 100 and student_no in ({quoted(NOS[90:130])}) order by student_no desc',
]


@pytest.mark.parametrize("query", STUDENT_QUERIES)
@pytest.mark.parametrize(("limit", "offset"), [(500, 0), (7, 0), (7, 12), (100, 290)])
def test_index_paths_match_a_full_scan(store: KintoneStore, query: str, limit: int,
                                       offset: int):
    expected = reference(store.students, query)
    got = store.select(1, f"{query} limit {limit} offset {offset}", ["$id"], True)
    assert [int(r["$id"]["value"]) for r in got["records"]] == \
        expected[offset:offset + limit]
    assert got["totalCount"] == str(len(expected))
    if "order" in query or not query:
        cursor_ids = store.select_ids(1, query)[1]
        assert cursor_ids == expected


@pytest.mark.parametrize("query", [
    f'student_no in ({quoted(NOS[:120])}) order by $id asc', f'student_no = "{NOS[0]}"',
    f'student_no = "{NOS[100]}" and status in ("冻结")', 'status in ("冻结")', '$id > 170',
])
def test_cards_queries_match_a_full_scan(store: KintoneStore, query: str):
    got = store.select(2, f"{query} limit 500", ["$id"], True)
    expected = reference(store.cards, query)
    assert [int(r["$id"]["value"]) for r in got["records"]] == expected
    assert got["totalCount"] == str(len(expected))


def state(st: KintoneStore) -> list[Any]:
    return [(a.rows.copy(), list(a.ids), {k: dict(v) for k, v in a.unique.items()}, a.next_id)
            for a in (st.students, st.cards)]


def test_a_failed_transaction_puts_rows_and_indexes_back():
    st = KintoneStore(generate_school(50, 3), KintoneSettings())
    nos = [s.student_no for s in generate_school(50, 3).students]
    st.add(2, [card(n) for n in nos[:20]])
    st.delete(2, [4])
    before = state(st)
    with pytest.raises(KintoneError), st.transaction():
        st.add(2, [card(n) for n in nos[30:40]])
        st.update(2, [{"id": 2, "record": {"student_no": {"value": "换号"}}},
                      {"id": 3, "revision": 1, "record": {"status": {"value": "注销"}}}])
        st.delete(2, [5, 6, 31])
        # a nested call that fails half-way rolls back its own part first
        with pytest.raises(KintoneError):
            st.delete(2, [7, 999])
        assert 7 in st.cards.rows
        st.add(2, [card(nos[0])])  # 学号 taken: the outer transaction fails too
    assert state(st) == before
    # the indexes answer as before: the freed 学号 and the restored ids are found again
    assert st.select(2, f'student_no = "{nos[1]}"', ["$id"], False)["records"] == \
        [{"$id": {"type": "__ID__", "value": "2"}}]
    page = st.select(2, "$id > 2 order by $id asc limit 3", ["$id"], False)["records"]
    assert [r["$id"]["value"] for r in page] == ["3", "5", "6"]
    assert st.add(2, [card(nos[45])])["ids"] == ["21"]
