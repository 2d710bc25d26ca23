"""A dialog of labelled fields with a line for what was refused, in words, and its buttons.

``attempt(action)`` runs the service call of the dialog: a refusal (a
``ServiceError``, or a ``ValueError`` from reading a field) is shown in red and
the dialog stays open with everything typed; success closes it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget


class FormDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        *,
        ok_text: str = "",
        cancel_text: str = "",
        width: int = 460,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.intro = QLabel()
        self.intro.setObjectName("form_intro")
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setObjectName("form_error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        if ok_text:
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        if cancel_text:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def say(self, text: str) -> None:
        """A sentence above the fields."""
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def fail(self, text: str) -> bool:
        self.error.setText(text[:1].upper() + text[1:])
        return False

    def attempt(self, action: Callable[[], object]) -> bool:
        from planner.services.base import ServiceError  # not at start-up: the login asks first

        try:
            action()
        except (ServiceError, ValueError) as exc:
            return self.fail(str(exc))
        self.error.clear()
        self.accept()
        return True

    def save(self) -> bool:  # pragma: no cover - each dialog defines it
        raise NotImplementedError
