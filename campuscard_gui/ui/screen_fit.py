"""Windows and dialogs that open inside the screen they are on, however small (1280×720,
1366×768 laptops): a preferred size, shrunk to the available area with room for the window
frame and the taskbar, and a position inside that area."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME_W = 40  # the window frame's borders, left and right together (estimate before showing)
FRAME_H = 60  # the title bar and the bottom border


def available_area(widget: QWidget) -> QRect | None:
    """The screen area ``widget`` may use (without taskbars and docks); None without a screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return None if screen is None else screen.availableGeometry()


def fitting_size(widget: QWidget, width: int, height: int) -> QSize:
    """``width`` × ``height``, or less where the screen is smaller."""
    room = available_area(widget)
    if room is None:
        return QSize(width, height)
    return QSize(max(1, min(width, room.width() - FRAME_W)),
                 max(1, min(height, room.height() - FRAME_H)))


def fit_inside_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to :func:`fitting_size` and centre it in the available area."""
    size = fitting_size(widget, width, height)
    widget.resize(size)
    room = available_area(widget)
    if room is not None:
        widget.move(room.x() + max(0, (room.width() - size.width() - FRAME_W) // 2),
                    room.y() + max(0, (room.height() - size.height() - FRAME_H) // 2))
