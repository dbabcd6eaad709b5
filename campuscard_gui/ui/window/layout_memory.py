"""How the operator left the window, remembered in settings.json and put back.

The window's place and size are one per installation (``Settings.window``), put back only when
they fit the available screen area now (a laptop that was docked to a large monitor yesterday
opens the window inside its own screen, at the default size). Per profile
(``Settings.layouts[profile]``): the student table's column widths, hidden columns and sort
(``StudentTableView.header_layout``), the status filters (hence the preset) and the splitter
between the table and the results. Everything read back is checked: the file may be older,
newer or edited by hand, and what does not make sense is left at its default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

from ...core.model import CardStatus, StudentStatus
from ..screen_fit import FRAME_H, FRAME_W
from ..students.filter_bar import FilterBar
from ..students.student_view import StudentTableView

MIN_WIDTH, MIN_HEIGHT = 480, 320  # a saved size smaller than this is not put back


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def capture_window(window: QMainWindow) -> dict[str, Any]:
    """The window's frame position and client size (the normal ones when maximized)."""
    maximized = window.isMaximized()
    if maximized:
        normal = window.normalGeometry()
        x, y, w, h = normal.x(), normal.y(), normal.width(), normal.height()
    else:
        pos, size = window.pos(), window.size()
        x, y, w, h = pos.x(), pos.y(), size.width(), size.height()
    return {"x": x, "y": y, "width": w, "height": h, "maximized": maximized}


def restore_window(window: QMainWindow, saved: Mapping[str, Any]) -> bool:
    """Put back a ``capture_window`` record if it fits the screen it was on (or the window's
    screen): the size when it fits the available area with the frame, the position too when
    the whole window lies inside it (else centred). False when nothing was put back."""
    x, y = _int(saved.get("x")), _int(saved.get("y"))
    w, h = _int(saved.get("width")), _int(saved.get("height"))
    if x is None or y is None or w is None or h is None or w < MIN_WIDTH or h < MIN_HEIGHT:
        return False
    screen = (QGuiApplication.screenAt(QPoint(x + w // 2, y + h // 2)) or window.screen()
              or QGuiApplication.primaryScreen())
    if screen is None:
        return False
    room = screen.availableGeometry()
    if w + FRAME_W > room.width() or h + FRAME_H > room.height():
        return False  # it would not fit: the caller opens the default size inside the screen
    window.resize(w, h)
    if room.contains(QRect(x, y, w + FRAME_W, h + FRAME_H)):
        window.move(x, y)
    else:
        window.move(room.x() + (room.width() - w - FRAME_W) // 2,
                    room.y() + (room.height() - h - FRAME_H) // 2)
    if saved.get("maximized") is True:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    return True


def capture_profile_layout(table: StudentTableView, splitter: QSplitter,
                           filter_bar: FilterBar) -> dict[str, Any]:
    """What is remembered for the profile shown: columns, sort, status filters, splitter."""
    return {
        **table.header_layout(),
        "filter": {"students": sorted(str(s) for s in filter_bar.student_statuses()),
                   "cards": sorted(str(c) for c in filter_bar.card_statuses())},
        "splitter": list(splitter.sizes()),
    }


def _statuses(values: object, kind: type[StudentStatus] | type[CardStatus]) -> set[Any] | None:
    if not isinstance(values, list):
        return None
    out: set[Any] = set()
    for value in values:
        try:
            out.add(kind(value))
        except ValueError:
            continue  # a status this version does not know
    return out


def apply_profile_layout(table: StudentTableView, splitter: QSplitter, filter_bar: FilterBar,
                         layout: Mapping[str, Any]) -> None:
    """Put back a ``capture_profile_layout`` record (what is malformed stays as it is)."""
    table.apply_header_layout(layout)
    remembered = layout.get("filter")
    if isinstance(remembered, dict):
        students = _statuses(remembered.get("students"), StudentStatus)
        cards = _statuses(remembered.get("cards"), CardStatus)
        if students is not None and cards is not None:
            filter_bar.set_statuses(students, cards)
    sizes = layout.get("splitter")
    if isinstance(sizes, list) and len(sizes) == splitter.count() \
            and all(_int(s) is not None and s > 0 for s in sizes):
        splitter.setSizes(sizes)
