"""Which records a job's results table shows, in which order: the sources a table reads
(``JobRecords``: a journalled job through a ``JournalReader``, keys its positions;
``RecordList``: records in memory, keys their indexes) and ``compute_view``, the outcome
filter, the search and the sort over them (any thread: a view of a big job is made on a
worker). No widget here; the texts searched and sorted by are the ones the table shows
(``ui.labels``)."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt

from ...core.outcomes import OutcomeKind
from .. import labels

if TYPE_CHECKING:
    from ...batch.jobs import JobRecord
    from ...batch.journal_reader import JournalReader

COL_STUDENT_NO, COL_NAME, COL_ACTION, COL_RESULT, COL_REASON, COL_CARD_ID = range(6)
FETCH_BEFORE, FETCH_AFTER = 64, 192  # rows read around a row (a page)


def kind_of(record: JobRecord) -> OutcomeKind | None:
    return None if record.outcome is None else record.outcome.kind


def _haystack(r: JobRecord) -> str:
    """The casefolded texts a search looks in (学号, name, card id, result, reason); a
    search never matches across two columns."""
    return "\x1f".join((r.student_no, r.name, r.card_id, labels.outcome_kind_label(kind_of(r)),
                        labels.outcome_reason_label(r.outcome))).casefold()


_KIND_ORDER = {
    OutcomeKind.FAILED: 0,
    None: 1,
    OutcomeKind.CANCELLED: 2,
    OutcomeKind.SKIPPED: 3,
    OutcomeKind.SUCCEEDED: 4,
}


def _sort_key(column: int) -> Callable[[JobRecord], Any] | None:
    """The key of a column's sort (None: plan order)."""
    if column == COL_STUDENT_NO:
        return lambda r: r.student_no
    if column == COL_NAME:
        return lambda r: r.name
    if column == COL_ACTION:
        return lambda r: r.action.value
    if column == COL_RESULT:
        return lambda r: _KIND_ORDER[kind_of(r)]
    if column == COL_REASON:
        return lambda r: labels.outcome_reason_label(r.outcome)
    if column == COL_CARD_ID:
        return lambda r: r.card_id
    return None


class RecordSource(Protocol):
    """Where a results table's records come from; each record has a key (its journal
    position, or its index in a list). Any thread."""

    def counts(self) -> dict[OutcomeKind | None, int]:
        """Records per outcome kind (None: not decided yet); keys run from 0 to their sum."""

    def keys_of(self, kind: OutcomeKind | None) -> Sequence[int]:
        """The keys of the records of outcome ``kind``, in plan order."""

    def at(self, keys: Sequence[int]) -> list[JobRecord]:
        """The records of ``keys``, in that order."""

    def scan(self) -> Iterator[list[tuple[int, JobRecord]]]:
        """Every (key, record), in plan order, a block at a time."""

    def student_nos(self, keys: Sequence[int]) -> list[str]:
        """学号 of the records of ``keys``, in that order."""

    def student_nos_of(self, kind: OutcomeKind | None) -> list[str]:
        """学号 of the records of outcome ``kind``, in plan order."""


class JobRecords:
    """A journalled job's records, read through ``reader`` (keys: positions)."""

    def __init__(self, reader: JournalReader, job_id: int) -> None:
        self.reader = reader
        self.job_id = job_id

    def counts(self) -> dict[OutcomeKind | None, int]:
        return self.reader.counts(self.job_id)

    def keys_of(self, kind: OutcomeKind | None) -> Sequence[int]:
        return self.reader.positions_of(self.job_id, kind)

    def at(self, keys: Sequence[int]) -> list[JobRecord]:
        return self.reader.records(self.job_id, keys)

    def scan(self) -> Iterator[list[tuple[int, JobRecord]]]:
        for block in self.reader.scan(self.job_id):
            yield [(r.position, r) for r in block]

    def student_nos(self, keys: Sequence[int]) -> list[str]:
        return self.reader.student_nos(self.job_id, keys)

    def student_nos_of(self, kind: OutcomeKind | None) -> list[str]:
        return self.reader.student_nos_of(self.job_id, kind)


class RecordList:
    """Records in memory (keys: their index)."""

    def __init__(self, records: Sequence[JobRecord]) -> None:
        self._records = list(records)

    def counts(self) -> dict[OutcomeKind | None, int]:
        return Counter(kind_of(r) for r in self._records)

    def keys_of(self, kind: OutcomeKind | None) -> Sequence[int]:
        return [i for i, r in enumerate(self._records) if kind_of(r) is kind]

    def at(self, keys: Sequence[int]) -> list[JobRecord]:
        return [self._records[k] for k in keys]

    def scan(self) -> Iterator[list[tuple[int, JobRecord]]]:
        yield list(enumerate(self._records))

    def student_nos(self, keys: Sequence[int]) -> list[str]:
        return [self._records[k].student_no for k in keys]

    def student_nos_of(self, kind: OutcomeKind | None) -> list[str]:
        return [r.student_no for r in self._records if kind_of(r) is kind]


@dataclass(frozen=True)
class ViewParams:
    """What decides the rows shown: the outcome filter, the casefolded search, the sort."""

    kind: OutcomeKind | None = None
    search: str = ""
    sort: tuple[int, Qt.SortOrder] | None = None


@dataclass(frozen=True)
class ResultView:
    """The keys shown (in the shown order), the counts per outcome kind over every record
    (``None``: not decided yet) and how many records there are."""

    keys: Sequence[int]  # range(total) when every record is shown in plan order
    counts: Counter[OutcomeKind | None]
    total: int
    # the records of the rows about to be painted, read with the view (``with_page``): the
    # table paints them without a read on the GUI thread
    records: Mapping[int, JobRecord] = field(default_factory=dict)


EMPTY_VIEW = ResultView(range(0), Counter(), 0)


def compute_view(source: RecordSource, params: ViewParams) -> ResultView:
    """The view of ``source`` under ``params`` (any thread). Without a search or a sort only
    the counts (and the keys of the outcome filtered for) are read; otherwise every record, a
    block at a time."""
    key_of = _sort_key(params.sort[0]) if params.sort is not None else None
    counts: Counter[OutcomeKind | None] = Counter()
    if not params.search and key_of is None:
        counts.update(source.counts())
        total = sum(counts.values())
        keys = range(total) if params.kind is None else array("q", source.keys_of(params.kind))
        return ResultView(keys, counts, total)
    picked: list[Any] = []
    for block in source.scan():
        for key, rec in block:
            kind = kind_of(rec)
            counts[kind] += 1
            if params.kind is not None and kind is not params.kind:
                continue
            if params.search and params.search not in _haystack(rec):
                continue
            picked.append(key if key_of is None else (key_of(rec), key))
    if key_of is not None:
        assert params.sort is not None
        picked.sort(key=itemgetter(0), reverse=params.sort[1] == Qt.SortOrder.DescendingOrder)
        return ResultView(array("q", (k for _s, k in picked)), counts, sum(counts.values()))
    return ResultView(array("q", picked), counts, sum(counts.values()))


def with_page(source: RecordSource, view: ResultView, first_row: int) -> ResultView:
    """``view`` with the records of the page around ``first_row`` (the top row the table
    shows) read as well (any thread)."""
    lo = max(0, min(first_row, len(view.keys)) - FETCH_BEFORE)
    keys = list(view.keys[lo:lo + FETCH_BEFORE + FETCH_AFTER])
    return replace(view, records=dict(zip(keys, source.at(keys), strict=True))) if keys \
        else view
