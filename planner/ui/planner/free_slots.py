"""Free places offered in the session editor: the nearest free starts when the chosen time is
taken, and "Find next free slot" for the patient's course.

The row only shows and asks; the finders (service calls) are given by the page, and a
chosen place is handed back through ``chosen(SlotProposal)`` for the editor to fill in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from planner.scheduling.results import SlotProposal
from planner.services.base import ServiceError

#: course ref, wished start -> free proposals nearest to it
NearFinder = Callable[[str, datetime], list[SlotProposal]]
#: course ref, earliest start -> the first free proposal from then on (or None)
NextFinder = Callable[[str, datetime], SlotProposal | None]

MAX_SHOWN = 3


class FreeSlotsRow(QWidget):
    """ "Free nearby: [Tue 10:30 · Chair 2] …" and a "Find next free slot" button."""

    chosen = Signal(object)  # SlotProposal

    def __init__(
        self,
        *,
        near: NearFinder | None,
        after: NextFinder | None,
        chair_names: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("freeSlots")
        self.near_finder = near
        self.next_finder = after
        self.chair_names = chair_names
        self.proposals: list[SlotProposal] = []
        self.label = QLabel(self.tr("Free nearby:"), self)
        self.buttons: list[QPushButton] = []
        self.next_button = QPushButton(self.tr("Find next &free slot"), self)
        self.next_button.setObjectName("findNextFree")
        self.next_button.setToolTip(
            self.tr("The first time from then on with a chair and both staff free for this course")
        )
        self.next_button.setEnabled(after is not None)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        for _ in range(MAX_SHOWN):
            button = QPushButton(self)
            button.clicked.connect(lambda _c=False, b=button: self._pick(self.buttons.index(b)))
            button.hide()
            self.buttons.append(button)
            layout.addWidget(button)
        layout.addStretch(1)
        layout.addWidget(self.note)
        layout.addWidget(self.next_button)
        self.label.hide()
        self.setVisible(near is not None or after is not None)  # nothing to offer: no row
        self._pending: tuple[str, datetime] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._look)

    def words(self, p: SlotProposal) -> str:
        return f"{p.start:%a %d %b %H:%M} · {self.chair_names.get(p.chair, p.chair)}"

    # -- nearest free starts, when the chosen time is taken ------------------------------------
    def offer_near(self, course: str | None, around: datetime | None) -> None:
        """Look (a moment later, once typing settles) for free starts near ``around``; None
        hides the offer (the chosen time is fine)."""
        if self.near_finder is None or not course or around is None:
            self._pending = None
            self._timer.stop()
            self.show_proposals([])
            return
        self._pending = (course, around)
        self._timer.start()

    def look_now(self) -> None:
        """Do the pending look at once (tests, and before the dialog is read)."""
        if self._timer.isActive():
            self._timer.stop()
            self._look()

    def _look(self) -> None:
        if self._pending is None or self.near_finder is None:
            return
        course, around = self._pending
        try:
            found = self.near_finder(course, around)
        except ServiceError:
            found = []
        self.show_proposals(found)

    def show_proposals(self, proposals: list[SlotProposal]) -> None:
        self.proposals = proposals[:MAX_SHOWN]
        for i, button in enumerate(self.buttons):
            if i < len(self.proposals):
                button.setText(self.words(self.proposals[i]))
                button.setAccessibleName(
                    self.tr("Use the free time {when}").format(when=self.words(self.proposals[i]))
                )
                button.show()
            else:
                button.hide()
        self.label.setVisible(bool(self.proposals))

    def _pick(self, index: int) -> None:
        if 0 <= index < len(self.proposals):
            self.chosen.emit(self.proposals[index])

    # -- the next free slot ------------------------------------------------------------------
    def find_next(self, course: str | None, after: datetime) -> SlotProposal | None:
        """The first free place from ``after`` on; says so when there is none."""
        self.note.hide()
        if self.next_finder is None or not course:
            return None
        try:
            found = self.next_finder(course, after)
        except ServiceError as exc:
            self.note.setText(str(exc))
            self.note.show()
            return None
        if found is None:
            self.note.setText(self.tr("No free time in the next four weeks."))
            self.note.show()
            return None
        self.chosen.emit(found)
        return found
