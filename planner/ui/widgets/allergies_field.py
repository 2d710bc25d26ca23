"""A patient's drug allergies as the record keeps them: not recorded, none known, or a list.

"Not recorded" (the sheets print "ALLERGIES NOT RECORDED — ask") and "no known
drug allergies" are different answers, so they are two choices of their own,
never an empty list box that could mean either. The names are typed one per line.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

NOT_RECORDED, NONE_KNOWN, LISTED = range(3)


def allergies_text(allergies: tuple[str, ...] | None) -> str:
    """The answer in words, for a list or a preview."""
    if allergies is None:
        return QCoreApplication.translate("AllergiesField", "not recorded")
    if not allergies:
        return QCoreApplication.translate("AllergiesField", "none known")
    return "; ".join(allergies)


class AllergiesField(QWidget):
    """``value()`` is None (not recorded), ``()`` (none known) or the names typed."""

    #: The choice or the names changed.
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.not_recorded = QRadioButton(self.tr("Not &yet recorded"))
        self.not_recorded.setObjectName("allergies_not_recorded")
        self.none_known = QRadioButton(self.tr("No known drug a&llergies"))
        self.none_known.setObjectName("allergies_none_known")
        self.listed = QRadioButton(self.tr("&Allergic to (one per line):"))
        self.listed.setObjectName("allergies_listed")
        self.group = QButtonGroup(self)
        for index, button in enumerate((self.not_recorded, self.none_known, self.listed)):
            self.group.addButton(button, index)
        self.names = QPlainTextEdit()
        self.names.setObjectName("allergies")
        self.names.setAccessibleName(self.tr("Drug allergies, one per line"))
        self.names.setPlaceholderText(self.tr("e.g. Penicillin\nLatex"))
        self.names.setTabChangesFocus(True)
        self.names.setFixedHeight(56)
        self.not_recorded.setChecked(True)
        self.names.setEnabled(False)
        self.group.idToggled.connect(self._toggled)
        self.names.textChanged.connect(self.edited)
        choices = QHBoxLayout()
        choices.setContentsMargins(0, 0, 0, 0)
        for button in (self.not_recorded, self.none_known, self.listed):
            choices.addWidget(button)
        choices.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(choices)
        layout.addWidget(self.names)

    def _toggled(self, index: int, checked: bool) -> None:
        if not checked:
            return
        self.names.setEnabled(index == LISTED)
        if index == LISTED:
            self.names.setFocus()
        self.edited.emit()

    def choice(self) -> int:
        return self.group.checkedId()

    def set_value(self, allergies: tuple[str, ...] | None) -> None:
        if allergies is None:
            self.not_recorded.setChecked(True)
        elif not allergies:
            self.none_known.setChecked(True)
        else:
            self.names.setPlainText("\n".join(allergies))
            self.listed.setChecked(True)

    def typed_names(self) -> tuple[str, ...]:
        """The names typed, one a line (blank lines left out, spaces around a name trimmed)."""
        return tuple(line.strip() for line in self.names.toPlainText().splitlines() if line.strip())

    def problem(self) -> str:
        """Why the field cannot be saved as it is ("" when it can)."""
        if self.choice() == LISTED and not self.typed_names():
            return self.tr("Type at least one allergy, or choose “No known drug allergies”.")
        return ""

    def value(self) -> tuple[str, ...] | None:
        """What the record keeps (names are kept while another choice is shown, not saved)."""
        choice = self.choice()
        if choice == NOT_RECORDED:
            return None
        if choice == NONE_KNOWN:
            return ()
        return self.typed_names()
