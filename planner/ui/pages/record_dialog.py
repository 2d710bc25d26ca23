"""What every edit dialog shares: a form with an error line under each field, Save and Cancel.

A dialog builds a domain record from its widgets (``value``, with the problems
found while reading them, e.g. a date that is not a date) and checks it with
the record's own limits (``check``); ``try_save`` shows the problems next to
their fields, or hands the record to the ``save`` callable it was given (the
page's service call) and closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from planner.ui.mutation import save_or_show
from planner.ui.pages.common import FieldErrors

R = TypeVar("R")


class RecordDialog(QDialog, Generic[R]):
    def __init__(self, parent: QWidget | None, *, save: Callable[[R], object]) -> None:
        super().__init__(parent)
        self._save = save
        self.errors = FieldErrors()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)

    def add_row(self, form: QFormLayout, label: str, widget: QWidget, field: str = "") -> None:
        """``label`` (its access key moves to ``widget``), and the error line of ``field``."""
        buddy = QLabel(label)
        buddy.setBuddy(widget)
        form.addRow(buddy, widget)
        if field:
            form.addRow("", self.errors.label(field))

    def value(self) -> tuple[R, dict[str, str]]:  # pragma: no cover - every dialog defines it
        """The record entered, and the problems found reading the widgets."""
        raise NotImplementedError

    def check(self, record: R) -> dict[str, str]:  # pragma: no cover - every dialog defines it
        """Field → what is wrong with ``record`` (the service's own check)."""
        raise NotImplementedError

    def show_problems(self, problems: dict[str, str]) -> None:
        self.errors.show(problems)

    def try_save(self) -> bool:
        record, found = self.value()
        found = {**self.check(record), **found}
        return save_or_show(self, found, lambda: self._save(record), self.show_problems)
