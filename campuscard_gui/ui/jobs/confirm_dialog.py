"""The action confirmation (design.md §7): what will be written, what will be skipped and why.

For 注销 (irreversible), and for any job writing at least ``guard`` records (the settings'
``mass_write_threshold``: 72,230 freezes must not be one click like 5), the operator types the
number of records before the confirm button is enabled. With nothing to write, the confirm
button stays disabled. Enter confirms exactly when the input is valid; with invalid input it
does nothing (it never cancels: only Escape or 取消 do).

It names where the job writes: 写入：简道云 · 生产（api.jiandaoyun.com） — the profile's kind,
its name and its address (the host of its base or gateway URL; a local profile's database
file name). ``profile_target(profile, paths)`` makes that ``Target``.

显示学生名单 unfolds the plan student by student (学号, 姓名, the card's state now → after, or
why the student is skipped): a ``QTableView`` over ``PlanModel``, which makes each cell's text
when it is drawn, so 100,000 students cost nothing until shown. 导出计划… writes the same as
CSV (UTF-8 with BOM, as the results export). For 注销 the dialog says the total balance on the
cards that will be closed (``plan_balance``), with the locale's separators and two decimals.
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QLocale,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...backends import find
from ...config.paths import Paths
from ...config.settings import Profile
from ...core.errors import CampusCardError
from ...core.model import Action, StudentRow
from ...core.plan import Plan, PlannedSkip, PlannedWrite
from ...export import atomic_target, csv_cell
from .. import labels
from ..screen_fit import fitting_size
from ..text_model import TextTableModel
from ..workers import error_message, run_in_thread

log = logging.getLogger(__name__)



class Target(NamedTuple):
    """Where a job writes: the profile's kind ("" if unknown), its name and its address."""

    kind: str
    name: str
    address: str


def profile_target(profile: Profile, paths: Paths) -> Target:
    """The ``Target`` of ``profile``: local → its database file's name; remote → the host of
    the address its backend keeps (``BackendSpec.url_option``: the gateway URL for iPaaS, else
    the base URL, or the backend's default address)."""
    options = profile.options
    if profile.kind == "local":
        from ...backends.factory import local_database_path

        try:
            address = local_database_path(profile, paths).name
        except CampusCardError:  # a malformed database option: the name still says enough
            log.warning("local database of %s unreadable", profile.name)
            address = ""
        return Target(profile.kind, profile.name, address)
    spec = find(profile.kind)
    url = (options.get(spec.url_option) or spec.default_url) if spec is not None \
        else options.get("base_url")
    try:
        host = urlsplit(url).hostname if isinstance(url, str) else None
    except ValueError:
        host = None
    return Target(profile.kind, profile.name, host or "")


def target_text(target: Target) -> str:
    """"Jiandaoyun · 生产 (api.jiandaoyun.com)": kind, name, address (translated)."""
    return labels.target_label(target.kind, target.name, target.address)


def typed_count(text: str) -> int | None:
    """The number an operator typed: digits, optionally grouped as the locale or a plain
    comma/space groups them ("72,230", "72 230"); None for anything else."""
    group = QLocale().groupSeparator()
    digits = text.strip()
    for sep in {group, ",", " ", "\u00a0", "\u202f"}:
        digits = digits.replace(sep, "")
    return int(digits) if digits.isascii() and digits.isdigit() else None


def plan_balance(plan: Plan, row_for: Callable[[str], StudentRow | None]) -> Decimal:
    """The total ``amount`` on the cards ``plan`` writes (for 注销: the balance closed), each
    card counted once; ``row_for`` finds a student's row (its card) by 学号."""
    total = Decimal("0")
    seen: set[str] = set()
    for write in plan.writes:
        row = row_for(write.student_no)
        card = row.card if row is not None else None
        if card is None or card.card_id != write.card_id or card.card_id in seen:
            continue
        seen.add(card.card_id)
        total += card.amount
    return total


def money_text(amount: Decimal, locale: QLocale | None = None) -> str:
    """"¥12,345.00": two decimals (half up), the locale's group separator and decimal point."""
    loc = locale or QLocale()
    cents = int(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)
    whole, frac = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}¥{loc.toString(whole)}{loc.decimalPoint()}{frac:02d}"


class PlanModel(TextTableModel):
    """The plan student by student: the writes (in plan order), then the skips. The texts are
    made in ``data()`` for the rows drawn; nothing is built per row up front."""

    COLUMNS = 5  # 学号, 姓名, card now, card after, skipped because

    def __init__(self, plan: Plan, parent: QWidget | None = None) -> None:
        super().__init__((), parent)
        self._writes: Sequence[PlannedWrite] = plan.writes
        self._skips: Sequence[PlannedSkip] = plan.skips
        self._headers = (self.tr("Student No."), self.tr("Name"), self.tr("Card now"),
                         self.tr("Card after"), self.tr("Skipped because"))
        self._skipped = self.tr("(skipped)")

    def row_count(self) -> int:
        return len(self._writes) + len(self._skips)

    def cell(self, row: int, column: int) -> str:
        n = len(self._writes)
        if row < n:
            write = self._writes[row]
            return (write.student_no, write.name, labels.card_status_label(write.from_status),
                    labels.card_status_label(write.to_status), "")[column]
        skip = self._skips[row - n]
        if column == 4:
            return labels.skip_reason_label(skip.skipped.reason, skip.skipped.detail)
        return (skip.student_no, skip.name, "", self._skipped)[column]

    def headers(self) -> tuple[str, ...]:
        return self._headers


def write_plan_csv(path: Path, headers: Sequence[str], n_rows: int,
                   cell: Callable[[int, int], str], meta: Sequence[tuple[str, str]] = ()
                   ) -> int:
    """Write ``n_rows`` rows of ``cell(row, column)`` under ``headers`` to ``path`` as CSV
    (UTF-8 with BOM, CRLF; a formula-like cell kept as text), after the ``meta`` lines and an
    empty line; atomically (a temporary file replaced into place). Returns ``n_rows``."""
    with atomic_target(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, dialect="excel")
        for key, value in meta:
            writer.writerow([csv_cell(key), csv_cell(value)])
        if meta:
            writer.writerow([])
        writer.writerow([csv_cell(h) for h in headers])
        width = len(headers)
        for r in range(n_rows):
            writer.writerow([csv_cell(cell(r, c)) for c in range(width)])
    return n_rows


class ConfirmDialog(QDialog):
    """Accept = run the plan. ``plan`` is shown, never changed. ``planExported(path)`` after
    导出计划… wrote the plan."""

    planExported = Signal(str)

    def __init__(self, plan: Plan, parent: QWidget | None = None, *,
                 target: Target | tuple[str, str, str] | None = None,
                 guard: int = 0, stale: str | None = None,
                 balance: Decimal | None = None) -> None:
        """``target``: (kind, profile name, address) of the backend the job will write to;
        ``guard``: from this many records on, the count must be typed (0: only 注销);
        ``stale``: why the rows the plan was made from may be out of date; ``balance``: for
        注销, the total on the cards that will be closed (``plan_balance``)."""
        super().__init__(parent)
        self.setObjectName("confirmDialog")
        self.plan = plan
        action = plan.action
        n_writes = len(plan.writes)
        n_skips = len(plan.skips)
        action_text = labels.action_label(action)
        self.setWindowTitle(self.tr("Confirm: %1").replace("%1", action_text))
        self.setAccessibleName(self.windowTitle())

        layout = QVBoxLayout(self)

        self.headline = QLabel(self._headline(action, n_writes), self)
        self.headline.setObjectName("confirmHeadline")
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        layout.addWidget(self.headline)

        self.target: Target | None = None
        self.target_label = QLabel(self)
        self.target_label.setObjectName("confirmTarget")
        self.target_label.setWordWrap(True)
        if target is not None:
            self.target = Target(*target)
            self.target_label.setText(
                labels.fill(self.tr("Writes to: %1"), target_text(self.target)))
            self.target_label.setAccessibleName(self.target_label.text())
            layout.addWidget(self.target_label)
        else:
            self.target_label.hide()

        self.stale_label: QLabel | None = None
        if stale:
            self.stale_label = QLabel(labels.fill(self.tr(
                "%1\nEach student's card is read again right before it is written: a card "
                "that changed since is skipped, never overwritten."), stale), self)
            self.stale_label.setObjectName("confirmStale")
            self.stale_label.setWordWrap(True)
            layout.addWidget(self.stale_label)

        self.skip_label = QLabel(self)
        self.skip_label.setObjectName("confirmSkipLabel")
        self.skip_label.setWordWrap(True)
        self.skip_table = QTableWidget(self)
        self.skip_table.setObjectName("skipReasonTable")
        self.skip_table.setAccessibleName(self.tr("Skipped students by reason"))
        self._fill_skips()
        if n_skips:
            self.skip_label.setText(
                self.tr("%Ln selected student(s) will be skipped:", "", n_skips))
        else:
            self.skip_label.setText(self.tr("No selected student is skipped."))
            self.skip_table.hide()
        layout.addWidget(self.skip_label)
        layout.addWidget(self.skip_table)

        self.balance_label: QLabel | None = None
        self.balance_text = ""
        if action is Action.CANCEL and balance is not None and n_writes:
            self.balance_text = money_text(balance)
            self.balance_label = QLabel(labels.fill(self.tr(
                "Total balance on the cards that will be cancelled: %1"),
                self.balance_text), self)
            self.balance_label.setObjectName("confirmBalance")
            self.balance_label.setWordWrap(True)
            self.balance_label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse)
            self.balance_label.setAccessibleName(self.balance_label.text())
            layout.addWidget(self.balance_label)

        # 显示学生名单: the plan student by student, folded until asked for
        self.list_button = QPushButton(self)
        self.list_button.setObjectName("confirmShowListButton")
        self.list_button.setCheckable(True)
        self.list_button.setAccessibleName(self.tr("Show the list of students"))
        self.list_button.toggled.connect(self._show_list)
        self.export_button = QPushButton(self.tr("&Export plan…"), self)
        self.export_button.setObjectName("confirmExportPlanButton")
        self.export_button.setAccessibleName(
            self.tr("Export the plan: the students written and skipped, with the reasons"))
        self.export_button.setToolTip(self.export_button.accessibleName())
        self.export_button.clicked.connect(self._on_export_clicked)
        list_row = QHBoxLayout()
        list_row.addWidget(self.list_button)
        list_row.addStretch(1)
        list_row.addWidget(self.export_button)
        layout.addLayout(list_row)
        self.plan_model = PlanModel(plan, self)
        self.student_table = QTableView(self)
        self.student_table.setObjectName("confirmStudentTable")
        self.student_table.setAccessibleName(self.tr("Students in this job"))
        self.student_table.setModel(self.plan_model)
        self.student_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.student_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.student_table.verticalHeader().setVisible(False)
        # fixed row heights and column widths: nothing is measured per row
        self.student_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.student_table.verticalHeader().setDefaultSectionSize(
            self.student_table.fontMetrics().height() + 8)
        header = self.student_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, chars in enumerate((12, 10, 10, 10)):
            header.resizeSection(column, self.student_table.fontMetrics().averageCharWidth()
                                 * chars + 24)
        self.student_table.setMinimumHeight(120)
        self.student_table.hide()
        layout.addWidget(self.student_table, 1)
        self._update_list_button()
        self._exporting = False

        self.count_edit: QLineEdit | None = None
        mass = guard > 0 and n_writes >= guard
        if n_writes and (action.irreversible or mass):
            count = QLocale().toString(n_writes)
            if action.irreversible:
                text = self.tr("Cancelling a card cannot be undone. To confirm, type the number "
                               "of cards that will be cancelled (%1):")
            else:
                text = self.tr("This job writes %1 records at once. To confirm, type that "
                               "number:")
            warning = QLabel(text.replace("%1", count), self)
            warning.setObjectName("confirmWarning")
            warning.setWordWrap(True)
            if action.irreversible:
                warning.setStyleSheet("color: #b00020;")
            layout.addWidget(warning)
            self.count_edit = QLineEdit(self)
            self.count_edit.setObjectName("confirmCountEdit")
            self.count_edit.setAccessibleName(
                self.tr("Number of cards to cancel") if action.irreversible
                else self.tr("Number of records to write"))
            self.count_edit.setPlaceholderText(count)
            self.count_edit.textChanged.connect(self._update_ok)
            warning.setBuddy(self.count_edit)
            layout.addWidget(self.count_edit)

        self.buttons = QDialogButtonBox(self)
        self.confirm_button = QPushButton(action_text, self)
        self.confirm_button.setObjectName("confirmButton")
        self.confirm_button.setAccessibleName(
            self.tr("Confirm: %1").replace("%1", action_text))
        self.buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("confirmCancelButton")
        self.cancel_button.setAccessibleName(self.tr("Do not run"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        # Enter presses the confirm button, which is enabled only when the input is valid
        # (a typed count that matches, where one is asked for); Enter never cancels.
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setDefault(False)
        self.confirm_button.setAutoDefault(True)
        self.confirm_button.setDefault(True)
        for button in (self.list_button, self.export_button):
            button.setAutoDefault(False)  # Enter confirms (or does nothing), never these
        if self.count_edit is not None:
            self.count_edit.setFocus()
        self._update_ok()
        self.resize(fitting_size(self, 640, self.sizeHint().height()))

    def _headline(self, action: Action, n: int) -> str:
        if n == 0:
            return self.tr("Nothing will be written: none of the selected students can be "
                           "changed this way.")
        if action is Action.OPEN:
            return self.tr("A campus card will be opened for %Ln student(s).", "", n)
        if action is Action.FREEZE:
            return self.tr("The card of %Ln student(s) will be frozen.", "", n)
        if action is Action.UNFREEZE:
            return self.tr("The card of %Ln student(s) will be unfrozen.", "", n)
        return self.tr("The card of %Ln student(s) will be cancelled.", "", n)

    def _fill_skips(self) -> None:
        table = self.skip_table
        # By reason and detail, so that 休学 and 退学 show as separate lines.
        summary = Counter((s.skipped.reason, s.skipped.detail) for s in self.plan.skips
                          ).most_common()
        table.setColumnCount(2)
        table.setRowCount(len(summary))
        table.setHorizontalHeaderLabels([self.tr("Reason"), self.tr("Students")])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for row, ((reason, detail), count) in enumerate(summary):
            table.setItem(row, 0, QTableWidgetItem(labels.skip_reason_label(reason, detail)))
            count_item = QTableWidgetItem(str(count))
            count_item.setTextAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, 1, count_item)
        rows_height = sum(table.rowHeight(r) for r in range(min(len(summary), 6)))
        table.setMaximumHeight(header.sizeHint().height() + rows_height + 4)

    def skip_rows(self) -> list[tuple[str, int]]:
        """The skip table as shown: (reason text, count)."""
        out = []
        for row in range(self.skip_table.rowCount()):
            reason = self.skip_table.item(row, 0)
            count = self.skip_table.item(row, 1)
            assert reason is not None and count is not None
            out.append((reason.text(), int(count.text())))
        return out

    # ---- the list of students --------------------------------------------------------------

    def _update_list_button(self) -> None:
        n = QLocale().toString(self.plan.total)
        self.list_button.setText(
            (self.tr("Hide the list of students (%1)") if self.list_button.isChecked()
             else self.tr("Show the list of students (%1)")).replace("%1", n))

    @Slot(bool)
    def _show_list(self, shown: bool) -> None:
        self.student_table.setVisible(shown)
        self._update_list_button()
        if shown:
            room = fitting_size(self, 760, 620)
            if self.height() < room.height() or self.width() < room.width():
                self.resize(max(self.width(), room.width()), max(self.height(), room.height()))

    @Slot()
    def _on_export_clicked(self) -> None:
        name = f"campuscard-plan-{self.plan.action.value}.csv"
        path, _chosen = QFileDialog.getSaveFileName(
            self, self.tr("Export plan"), str(Path.home() / name),
            self.tr("CSV, UTF-8 (*.csv)"))
        if path:
            target = Path(path)
            if target.suffix.lower() != ".csv":
                target = target.with_name(target.name + ".csv")
            self.export_plan_to(target)

    def plan_meta(self) -> list[tuple[str, str]]:
        """What heads the exported plan: the action, where it writes, the counts."""
        meta = [(self.tr("Action"), labels.action_label(self.plan.action))]
        if self.target is not None:
            meta.append((self.tr("Writes to"), target_text(self.target)))
        locale = QLocale()
        meta.append((self.tr("Written"), locale.toString(len(self.plan.writes))))
        meta.append((self.tr("Skipped"), locale.toString(len(self.plan.skips))))
        if self.balance_text:
            meta.append((self.tr("Total balance on the cards cancelled"), self.balance_text))
        return meta

    def export_plan_to(self, path: Path) -> None:
        """Write the plan (every student: written or skipped and why) to ``path`` as CSV, off
        the GUI thread; ``planExported(path)`` when done, a message box when it failed."""
        if self._exporting:
            return
        model = self.plan_model
        headers = (*model.headers()[:4], self.tr("Skipped because"))
        meta = self.plan_meta()
        n_rows = model.rowCount()
        cell = model.cell  # made on the worker thread, from the plan (read-only)
        cannot = self.tr("Cannot write %1: %2")

        def write() -> int:
            try:
                return write_plan_csv(path, headers, n_rows, cell, meta)
            except OSError as exc:  # expected (disk full, no permission): not a bug
                raise CampusCardError(labels.fill(cannot, str(path),
                                                  exc.strerror or str(exc)),
                                      code="export") from exc

        def done(_n: int) -> None:
            self._exporting = False
            self.export_button.setEnabled(True)
            self.planExported.emit(str(path))

        def failed(exc: BaseException) -> None:
            self._exporting = False
            self.export_button.setEnabled(True)
            QMessageBox.warning(self, self.tr("Export failed"), error_message(exc))

        self._exporting = True
        self.export_button.setEnabled(False)
        run_in_thread(write, done, failed, parent=self)

    @Slot()
    def _update_ok(self) -> None:
        n = len(self.plan.writes)
        ok = n > 0
        if ok and self.count_edit is not None:
            ok = typed_count(self.count_edit.text()) == n
        self.confirm_button.setEnabled(ok)

    def accept(self) -> None:
        if self.confirm_button.isEnabled():  # Enter in the line edit must obey the gating too
            super().accept()
