"""The action confirmation (design.md §7): what will be written, what will be skipped and why.

For 注销 (irreversible), and for any job writing at least ``guard`` records (the settings'
``mass_write_threshold``: 72,230 freezes must not be one click like 5), the operator types the
number of records before the confirm button is enabled. With nothing to write, the confirm
button stays disabled. Enter confirms exactly when the input is valid; with invalid input it
does nothing (it never cancels: only Escape or 取消 do).

It names where the job writes: 写入：简道云 · 生产（api.jiandaoyun.com） — the profile's kind,
its name and its address (the host of its base or gateway URL; a local profile's database
file name). ``profile_target(profile, paths)`` makes that ``Target``.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import NamedTuple
from urllib.parse import urlsplit

from PySide6.QtCore import QLocale, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...backends import find
from ...config.paths import Paths
from ...config.settings import Profile
from ...core.errors import CampusCardError
from ...core.model import Action
from ...core.plan import Plan
from .. import labels

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


class ConfirmDialog(QDialog):
    """Accept = run the plan. ``plan`` is shown, never changed."""

    def __init__(self, plan: Plan, parent: QWidget | None = None, *,
                 target: Target | tuple[str, str, str] | None = None,
                 guard: int = 0, stale: str | None = None) -> None:
        """``target``: (kind, profile name, address) of the backend the job will write to;
        ``guard``: from this many records on, the count must be typed (0: only 注销);
        ``stale``: why the rows the plan was made from may be out of date."""
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
        if self.count_edit is not None:
            self.count_edit.setFocus()
        self._update_ok()

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
