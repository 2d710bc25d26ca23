"""An amendment of a signed record: what changes (before and after) and why."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.domain.chart import Change


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_shown(v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class AmendDialog(QDialog):
    """Lists the changes to a signed record and asks for the reason (required)."""

    def __init__(self, parent: QWidget | None, changes: Sequence[Change]) -> None:
        super().__init__(parent)
        self.setObjectName("amend_dialog")
        self.setWindowTitle(self.tr("Amend the signed record"))
        intro = QLabel(
            self.tr(
                "The record is signed. These changes are kept with what it said before, "
                "with your name, the time and the reason."
            )
        )
        intro.setWordWrap(True)
        table = QTableWidget(len(changes), 3)
        table.setObjectName("amend_changes")
        table.setHorizontalHeaderLabels([self.tr("Where"), self.tr("Before"), self.tr("After")])
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for row, change in enumerate(changes):
            for column, text in enumerate(
                (change.path, _shown(change.before), _shown(change.after))
            ):
                table.setItem(row, column, QTableWidgetItem(text))
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.reason = QLineEdit()
        self.reason.setObjectName("amend_reason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("e.g. transcription error: the monitor showed 134"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Amend"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(table)
        layout.addWidget(QLabel(self.tr("&Reason:")))
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def _accept(self) -> None:
        if not self.reason.text().strip():
            self.error.setText(self.tr("Give the reason for the amendment."))
            return
        self.accept()
