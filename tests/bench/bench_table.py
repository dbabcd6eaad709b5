"""Benchmark of the student table at scale, against a QSortFilterProxyModel baseline.

    python tests/bench/bench_table.py --rows 100000 [--repeat 5] [--json]

Measures (median of ``--repeat`` runs, ``time.perf_counter``) on the deterministic demo school:
loading the model (``set_rows``), one search keystroke, sorting by 姓名 (cold: no cached order),
select-all-filtered (one QItemSelection range selected in the real StudentTableView), and
planning an action over that selection (collecting the selected rows + ``plan_action``).
On the same rows and in the same run it measures the same filter (学号/姓名/班级 substring,
case-insensitive, through ``filterAcceptsRow``) and the same sort through a
QSortFilterProxyModel over a plain QAbstractTableModel. Prints figures, ratios and targets with
PASS/MISS; exits 0 unless something crashed (it is a measurement, not a test).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import (  # noqa: E402
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from campuscard_gui.core.demo import generate_school  # noqa: E402
from campuscard_gui.core.model import Action, StudentRow  # noqa: E402
from campuscard_gui.core.plan import plan_action  # noqa: E402
from campuscard_gui.ui.students.student_model import (  # noqa: E402
    COL_CLASS,
    COL_NAME,
    COL_STUDENT_NO,
    COLUMN_COUNT,
    StudentTableModel,
)
from campuscard_gui.ui.students.student_view import StudentTableView  # noqa: E402

SEARCH = "软工23"  # a keystroke that leaves a realistic share of rows (one major and cohort)
TARGETS_MS = {"load": 300.0, "filter": 30.0, "sort": 100.0, "plan": 200.0}
TARGET_SPEEDUP = 20.0
ASC = Qt.SortOrder.AscendingOrder
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
Index = QModelIndex | QPersistentModelIndex


class PlainModel(QAbstractTableModel):
    """The baseline's source model: precomputed display strings, nothing else."""

    def __init__(self, rows: list[StudentRow]) -> None:
        super().__init__()
        self._cells = [
            (
                r.student.student_no, r.student.name, r.student.college, r.student.class_name,
                r.student.status.value, r.card_status.value, "", "",
                r.card.card_id if r.card is not None else "",
            )
            for r in rows
        ]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY and index.isValid():
            return self._cells[index.row()][index.column()]
        return None


class SearchProxy(QSortFilterProxyModel):
    """The baseline filter: the same case-insensitive substring over 学号, 姓名 and 班级."""

    def __init__(self) -> None:
        super().__init__()
        self._needle = ""

    def set_needle(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            self._needle = text.lower()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._needle = text.lower()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._needle:
            return True
        src = self.sourceModel()
        for col in (COL_STUDENT_NO, COL_NAME, COL_CLASS):
            if self._needle in str(src.index(source_row, col, source_parent).data()).lower():
                return True
        return False


def median_ms(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None
              ) -> float:
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(n_rows: int, repeat: int) -> dict[str, Any]:
    app = QApplication.instance() or QApplication([])
    rows = generate_school(n_rows, seed=1).rows()

    model = StudentTableModel()
    view = StudentTableView(model)
    view.resize(1200, 700)
    view.show()
    app.processEvents()

    ours: dict[str, float] = {}
    ours["load"] = median_ms(lambda: model.set_rows(rows), repeat)
    shown_after_filter = 0

    def filter_once() -> None:
        nonlocal shown_after_filter
        model.set_filter(SEARCH)
        shown_after_filter = model.rowCount()

    ours["filter"] = median_ms(filter_once, repeat, setup=lambda: model.set_filter(""))
    model.set_filter("")
    def unsorted_cold() -> None:
        model.sort(-1)
        model._orders.clear()  # no cached order: measure the real sort

    ours["sort"] = median_ms(lambda: model.sort(COL_NAME, ASC), repeat, setup=unsorted_cold)
    ours["sort_cached"] = median_ms(lambda: model.sort(COL_NAME, ASC), repeat,
                                    setup=lambda: model.sort(-1))
    model.sort(-1)

    sm = view.selectionModel()
    ours["select_all"] = median_ms(view.select_all_filtered, repeat, setup=sm.clearSelection)
    planned = 0

    def plan() -> None:
        nonlocal planned
        planned = plan_action(Action.FREEZE, view.selected_rows()).total

    ours["plan"] = median_ms(plan, repeat)
    ours["collect_selected"] = median_ms(view.selected_rows, repeat)
    sm.clearSelection()
    view.hide()

    # ---- baseline: QSortFilterProxyModel over a plain model, same rows, a QTableView ------
    plain = PlainModel(rows)
    proxy = SearchProxy()
    proxy.setSourceModel(plain)
    base_view = QTableView()
    base_view.setModel(proxy)
    base_view.resize(1200, 700)
    base_view.show()
    app.processEvents()
    base: dict[str, float] = {}
    base_repeat = max(1, min(repeat, 3))
    shown_baseline = 0

    def base_filter() -> None:
        nonlocal shown_baseline
        proxy.set_needle(SEARCH)
        shown_baseline = proxy.rowCount()

    base["filter"] = median_ms(base_filter, base_repeat, setup=lambda: proxy.set_needle(""))
    proxy.set_needle("")
    base["sort"] = median_ms(lambda: proxy.sort(COL_NAME, ASC), base_repeat,
                             setup=lambda: proxy.sort(-1))
    base_view.setModel(None)

    if shown_baseline != shown_after_filter:
        raise AssertionError(f"filters disagree: {shown_after_filter} vs {shown_baseline}")

    ratios = {k: base[k] / ours[k] if ours[k] > 0 else float("inf") for k in ("filter", "sort")}
    verdict = {k: ours[k] <= t for k, t in TARGETS_MS.items()}
    verdict.update({f"{k}_speedup": ratios[k] >= TARGET_SPEEDUP for k in ratios})
    return {
        "rows": n_rows,
        "repeat": repeat,
        "search": SEARCH,
        "rows_after_filter": shown_after_filter,
        "planned": planned,
        "ms": {k: round(v, 2) for k, v in ours.items()},
        "baseline_ms": {k: round(v, 2) for k, v in base.items()},
        "speedup": {k: round(v, 1) for k, v in ratios.items()},
        "targets_ms": TARGETS_MS,
        "target_speedup": TARGET_SPEEDUP,
        "pass": verdict,
    }


def report(result: dict[str, Any]) -> str:
    ms, base, speedup, ok = (result["ms"], result["baseline_ms"], result["speedup"],
                             result["pass"])
    lines = [
        f"student table benchmark: {result['rows']} rows, median of {result['repeat']}"
        f" (search {result['search']!r} -> {result['rows_after_filter']} rows)",
    ]
    labels = {"load": "load (set_rows)", "filter": "filter keystroke", "sort": "sort by name",
              "sort_cached": "sort by name (cached)", "select_all": "select all filtered",
              "plan": f"plan over selection ({result['planned']})",
              "collect_selected": "  of which: collect selected rows"}
    for key, label in labels.items():
        target = result["targets_ms"].get(key)
        mark = "" if target is None else f"  target <= {target:.0f} ms  {_mark(ok[key])}"
        lines.append(f"  {label:<32} {ms[key]:9.2f} ms{mark}")
    for key in ("filter", "sort"):
        lines.append(
            f"  baseline proxy {key:<17} {base[key]:9.2f} ms  speedup {speedup[key]:.1f}x"
            f"  target >= {result['target_speedup']:.0f}x  {_mark(ok[f'{key}_speedup'])}"
        )
    return "\n".join(lines)


def _mark(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = run(args.rows, max(1, args.repeat))
    print(json.dumps(result, ensure_ascii=False) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
