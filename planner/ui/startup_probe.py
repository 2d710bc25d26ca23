"""A hidden switch for smoke tests and start-up benchmarks of the source and the bundle.

With ``PLANNER_EXIT_AFTER_FIRST_PAINT=1`` the app prints one line when the week
planner first paints (``first week painted: 2026-W49, 23 sessions``) and quits a
moment later, once the start-up work that follows the first paint (the checks,
the automatic backup) has run. A first-start offer on an empty database is
answered with its default button (the demo clinic), as a user pressing Enter
would, and says so. Without the variable the probe is never installed.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

ENV_PROBE = "PLANNER_EXIT_AFTER_FIRST_PAINT"
#: Long enough for the work queued behind the first paint (the backup waits 500 ms).
QUIT_AFTER_MS = 1500


def _say(line: str) -> None:
    if sys.stdout is not None:  # a windowed program on Windows has no output
        print(line, flush=True)


class FirstPaintProbe(QObject):
    """Watches every event of the app for the first-start offer and the week's first paint."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.Show and isinstance(watched, QMessageBox):
            if watched.objectName() == "firstStart" and watched.defaultButton() is not None:
                _say(f"first-start offer: {watched.text()} → {watched.defaultButton().text()}")
                QTimer.singleShot(0, watched.defaultButton().click)
        elif kind == QEvent.Type.Paint and not self.painted and isinstance(watched, QWidget):
            parent = watched.parentWidget()
            if parent is not None and parent.objectName() == "weekView":
                self.painted = True
                _say(f"first week painted: {_week_summary(parent)}")
                QTimer.singleShot(QUIT_AFTER_MS, self._app.quit)
        return False


def _week_summary(view: QWidget) -> str:
    """``2026-W49, 23 sessions`` from the page that holds the view (or less, if it changed)."""
    widget: QWidget | None = view
    while widget is not None:
        week = getattr(widget, "week", None)
        if week is not None and hasattr(week, "monday") and hasattr(week, "sessions"):
            year, number, _ = week.monday.isocalendar()
            return f"{year}-W{number:02d}, {len(week.sessions)} sessions"
        widget = widget.parentWidget()
    return "a week"


def install(app: QApplication) -> FirstPaintProbe:
    probe = FirstPaintProbe(app)
    app.installEventFilter(probe)
    return probe
