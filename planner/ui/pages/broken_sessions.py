"""After a change of hours, leave, closures or staff: the booked sessions it broke, to open.

``RuleImpact.before()`` reads the booked sessions' errors; after the save,
``RuleImpact.report(parent, before)`` lists the new ones in a dialog whose
"Show in planner" opens the chosen session in the week planner.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.services.base import ServiceError
from planner.services.rule_impact import BrokenSession, booked_errors, newly_broken
from planner.ui.context import SESSION_TARGET, AppContext
from planner.ui.widgets.plural import plural
from planner.ui.widgets.screen_fit import resize_to_fit


class BrokenSessionsDialog(QDialog):
    """The sessions a change broke; double-click, Enter or "Show in planner" opens one."""

    def __init__(self, ctx: AppContext, broken: list[BrokenSession], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("brokenSessions")
        self.setWindowTitle(self.tr("Booked sessions that now break the rules"))
        refs = {b.ref for b in broken}
        self.heading = heading = QLabel(
            plural(
                len(refs),
                self.tr("This change breaks the rules for 1 booked session:"),
                self.tr("This change breaks the rules for {n} booked sessions:"),
            )
        )
        heading.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("brokenList")
        self.list.setAccessibleName(self.tr("Sessions that now break the rules"))
        self.list.setWordWrap(True)
        for b in broken:
            item = QListWidgetItem(f"{b.start:%a %d %b %H:%M} · {b.chair} · {b.patient} — {b.message}")
            item.setData(Qt.ItemDataRole.UserRole, b.ref)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.open_current())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = QPushButton(self.tr("&Show in planner"), self)
        self.open_button.setDefault(True)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self.open_current)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        note = QLabel(self.tr("The sessions are kept as booked; move them or change their staff."))
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(buttons)
        resize_to_fit(self, 720, 360)

    def open_current(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.ctx.hub.go(SESSION_TARGET, str(item.data(Qt.ItemDataRole.UserRole)))
        self.accept()


class RuleImpact:
    """Reads the booked sessions' errors before a change, and reports what it broke."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.dialog: BrokenSessionsDialog | None = None

    def before(self) -> frozenset[BrokenSession] | None:
        try:
            return booked_errors(self.ctx.db, self.ctx.today())
        except ServiceError:  # no rules engine, or a database problem: nothing to compare
            return None

    def report(self, parent: QWidget, before: frozenset[BrokenSession] | None) -> list[BrokenSession]:
        """Show the sessions the change broke (none: nothing is shown); returns them."""
        if before is None:
            return []
        broken = newly_broken(before, booked_errors(self.ctx.db, self.ctx.today()))
        if broken:
            self.dialog = BrokenSessionsDialog(self.ctx, broken, parent)
            self.dialog.open()
        return broken
