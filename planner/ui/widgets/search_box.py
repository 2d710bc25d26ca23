"""Find a patient by name, ref or record number; Enter jumps to their next session."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from planner.services.week import PatientHit

Finder = Callable[[str], list[PatientHit]]


class PatientSearchBox(QLineEdit):
    """Suggests patients while typing (debounced); emits ``patientChosen(PatientHit)``."""

    patientChosen = Signal(object)
    notFound = Signal(str)

    def __init__(self, finder: Finder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientSearch")
        self.finder = finder
        self.setPlaceholderText(self.tr("Find patient…"))
        self.setClearButtonEnabled(True)
        self.setToolTip(self.tr("Type a name, patient ref or record number; Enter jumps to the next session"))
        self._hits: list[PatientHit] = []
        self._labels = QStringListModel(self)
        self._completer = QCompleter(self._labels, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._completer.activated.connect(self._picked)
        self.setCompleter(self._completer)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._search)
        self.textEdited.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self._enter)

    def _label(self, hit: PatientHit) -> str:
        return f"{hit.patient_name} — {hit.record_number} ({hit.patient_ref})"

    def _search(self) -> None:
        self._hits = self.finder(self.text())
        self._labels.setStringList([self._label(h) for h in self._hits])

    def _picked(self, label: str) -> None:
        hit = next((h for h in self._hits if self._label(h) == label), None)
        if hit is not None:
            QTimer.singleShot(0, lambda: self.patientChosen.emit(hit))

    def _enter(self) -> None:
        self._timer.stop()
        text = self.text().strip()
        if not text:
            return
        hits = self.finder(text)
        self._hits = hits
        exact = [h for h in hits if self._label(h) == text]
        if exact or hits:
            self.patientChosen.emit((exact or hits)[0])
        else:
            self.notFound.emit(text)
