"""What every edit dialog shares: a form with an error line under each field, Save and Cancel.

A dialog builds a domain record from its widgets (``value``, with the problems
found while reading them, e.g. a date that is not a date) and checks it with
the record's own limits (``check``); ``try_save`` shows the problems next to
their fields, or hands the record to the ``save`` callable it was given (the
page's service call) and closes; ``confirm`` (optional) is a last question
asked about a record that can be saved (e.g. sessions still booked on a chair
being taken out of use), and No keeps the dialog open. Once shown, a field's error follows the user's
corrections: each change to a field checks the record again and clears what is
now right, without flagging fields the user has not reached yet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from planner.ui.mutation import save_or_show
from planner.ui.pages.common import FieldErrors

R = TypeVar("R")


class RecordDialog(QDialog, Generic[R]):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        save: Callable[[R], object],
        confirm: Callable[[R], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._confirm = confirm
        self.errors = FieldErrors()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        self.errors.live(self.problems, self.problems_changed)

    def add_row(self, form: QFormLayout, label: str, widget: QWidget, field: str = "") -> None:
        """``label`` (its access key moves to ``widget``, and it names it for a screen reader),
        and the error line of ``field``, which a change to ``widget`` may clear."""
        buddy = QLabel(label)
        buddy.setBuddy(widget)
        form.addRow(buddy, widget)
        if field:
            form.addRow("", self.errors.label(field, widget))

    def value(self) -> tuple[R, dict[str, str]]:  # pragma: no cover - every dialog defines it
        """The record entered, and the problems found reading the widgets."""
        raise NotImplementedError

    def check(self, record: R) -> dict[str, str]:  # pragma: no cover - every dialog defines it
        """Field → what is wrong with ``record`` (the service's own check)."""
        raise NotImplementedError

    def problems(self) -> dict[str, str]:
        """What is wrong with the fields as they are (empty when they can be saved)."""
        record, found = self.value()
        return {**self.check(record), **found}

    def show_problems(self, problems: dict[str, str]) -> None:
        self.errors.show(problems)

    def problems_changed(self, still: dict[str, str]) -> None:
        """The problems still shown after the user corrected a field."""

    def try_save(self) -> bool:
        record, _found = self.value()
        problems = self.problems()
        if not problems and self._confirm is not None and not self._confirm(record):
            return False
        return save_or_show(self, problems, lambda: self._save(record), self.show_problems)
