"""Lock the app after the policy's idle minutes; the same person unlocks it with their password.

Every open window (the main window and any dialog with unsaved input) is
covered, not closed, so nothing typed is lost and nothing is readable while
locked. Only a database with accounts locks.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget

from planner.ui.account.login_dialog import LoginDialog
from planner.ui.context import AppContext

_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class _Cover(QLabel):
    """What a locked window shows instead of its content."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lock_cover")
        self.setText(self.tr("Locked"))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAutoFillBackground(True)
        self.setStyleSheet("background: #2d3440; color: #e8ebf0; font-size: 20pt;")
        self.setGeometry(window.rect())
        self.raise_()
        self.show()


class IdleLock(QObject):
    lockedChanged = Signal(bool)

    def __init__(
        self,
        ctx: AppContext,
        *,
        clock: Callable[[], float] = time.monotonic,
        check_every_ms: int = 15_000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.clock = clock
        self.last_input = clock()
        self.locked = False
        self.dialog: LoginDialog | None = None
        self._covers: list[_Cover] = []
        self._watching = False
        self.watch()
        self.timer = QTimer(self)
        self.timer.setInterval(check_every_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def watch(self) -> None:
        """Watch for input only while someone is signed in (every event passes the filter)."""
        app = QApplication.instance()
        wanted = self.ctx.db.actor is not None
        if app is None or wanted == self._watching:
            return
        if wanted:
            app.installEventFilter(self)
            self.last_input = self.clock()
        else:
            app.removeEventFilter(self)
        self._watching = wanted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not self.locked and event.type() in _INPUT:
            self.last_input = self.clock()
        return False

    def idle_minutes(self) -> int:
        from planner.services.clinic import get_policy  # the ORM, once someone has signed in

        return get_policy(self.ctx.db).idle_lock_minutes

    def check(self) -> None:
        """Lock when someone is signed in and nothing was typed or clicked for the policy's minutes."""
        self.watch()
        if self.locked or self.ctx.db.actor is None:
            return
        minutes = self.idle_minutes()
        if self.clock() - self.last_input >= minutes * 60:
            self.lock(minutes)

    def lock(self, minutes: int) -> None:
        self.locked = True
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and not isinstance(window, LoginDialog):
                self._covers.append(_Cover(window))
        self.dialog = LoginDialog(None, self.ctx, locked_minutes=minutes)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.finished.connect(self._answered)
        self.dialog.open()
        self.lockedChanged.emit(True)

    def _answered(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            QApplication.quit()
            return
        self.unlock()

    def unlock(self) -> None:
        for cover in self._covers:
            with contextlib.suppress(RuntimeError):  # its window may have gone meanwhile
                cover.deleteLater()
        self._covers.clear()
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
        self.locked = False
        self.last_input = self.clock()
        self.lockedChanged.emit(False)
