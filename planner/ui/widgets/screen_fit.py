"""Size a dialog as wished, but never larger than the free area of the screen it opens on."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: Room left for the window frame and title bar a window manager adds.
FRAME_ALLOWANCE = 60


def fit_size(wanted_width: int, wanted_height: int, free_width: int, free_height: int) -> tuple[int, int]:
    """The wished size, shrunk to fit ``free_width`` x ``free_height`` minus a frame allowance."""
    return (
        max(200, min(wanted_width, free_width - FRAME_ALLOWANCE)),
        max(200, min(wanted_height, free_height - FRAME_ALLOWANCE)),
    )


def resize_to_fit(widget: QWidget, width: int, height: int) -> None:
    """``widget.resize(width, height)``, shrunk to the screen of its parent (or the primary one)."""
    anchor = widget.parentWidget() or widget
    screen = anchor.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        widget.resize(width, height)
        return
    area = screen.availableGeometry()
    widget.resize(*fit_size(width, height, area.width(), area.height()))
