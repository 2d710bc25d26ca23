"""Find a patient by name, ref or record number, accents and case aside ("nunez" finds Nuñez).

Typing lists every matching patient under the box (the results list); choosing one,
or Enter, jumps to that patient's next session. Enter again goes on to the next
match, round and round, so several namesakes are checked one after another.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from planner.services.week import PatientHit

Finder = Callable[[str], list[PatientHit]]


class PatientSearchBox(QLineEdit):
    """Emits ``patientChosen(PatientHit, index, count)`` and ``notFound(text)``."""

    patientChosen = Signal(object, int, int)
    notFound = Signal(str)

    def __init__(self, finder: Finder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientSearch")
        self.setAccessibleName(self.tr("Find patient"))
        self.finder = finder
        self.setPlaceholderText(self.tr("Find patient…"))
        self.setClearButtonEnabled(True)
        self.setToolTip(
            self.tr("Type a name, patient ref or record number (accents and capitals do not "
                    "matter); Enter jumps to the next match's session")
        )
        self.hits: list[PatientHit] = []
        self._searched = ""
        #: The match Enter showed last (-1: none yet for this text).
        self.current = -1
        self._labels = QStringListModel(self)
        # The list is the finder's answer as it is: Qt's own filtering knows no accents.
        self._completer = QCompleter(self._labels, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setMaxVisibleItems(12)
        self._completer.activated.connect(self._picked)
        results = self._completer.popup()
        assert results is not None
        self.results = results
        self.results.setAccessibleName(self.tr("Matching patients"))
        # Wide enough for name, record number and next session (the box itself is narrow).
        self.results.setMinimumWidth(380)
        self.setCompleter(self._completer)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._search)
        self.textEdited.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self._enter)

    def label(self, hit: PatientHit) -> str:
        when = f" — next {hit.next_start:%a %d %b %H:%M}" if hit.next_start else ""
        return f"{hit.patient_name} — {hit.record_number}{when}"

    def _search(self) -> None:
        text = self.text().strip()
        self.hits = self.finder(text) if text else []
        self._searched = text
        self.current = -1
        self._labels.setStringList([self.label(h) for h in self.hits])
        if len(self.hits) > 1 and self.hasFocus():
            self._completer.complete()  # several: show the results list

    def _picked(self, label: str) -> None:
        labels = [self.label(h) for h in self.hits]
        if label in labels:
            index = labels.index(label)
            self.current = index
            QTimer.singleShot(0, lambda: self.patientChosen.emit(self.hits[index], index, len(self.hits)))

    def _enter(self) -> None:
        self._timer.stop()
        text = self.text().strip()
        if not text:
            return
        labels = [self.label(h) for h in self.hits]
        if text in labels:  # a line of the results list: that match first
            self.current = labels.index(text) - 1
        elif text != self._searched:
            self._search()
        if not self.hits:
            self.notFound.emit(text)
            return
        self.current = (self.current + 1) % len(self.hits)
        self.results.hide()
        self.patientChosen.emit(self.hits[self.current], self.current, len(self.hits))
