"""Input widgets whose ranges and lengths come from the domain records' limits.

A spin box for ``Protocol.infusions`` takes its range from the field's
annotation, a line edit for ``Patient.name`` its maximum length: the dialogs
offer exactly what the services (and the document loader, and the CSV import)
accept, and a changed limit is changed in one place.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QLocale
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QLineEdit, QSpinBox

from planner.domain.base import Limits, limits
from planner.domain.fields import FIRST_DAY, LAST_DAY, clamp_day
from planner.ui.widgets.date_field import DateField


def _range(lim: Limits, what: str) -> tuple[float, float]:
    if lim.minimum is None or lim.maximum is None:
        raise ValueError(f"{what} has no range")
    return lim.minimum, lim.maximum


def spin_box(cls: type, field: str, *, suffix: str = "") -> QSpinBox:
    """A whole-number spin box over the range of ``cls.field``."""
    return range_spin_box(limits(cls, field), field, suffix=suffix)


def range_spin_box(lim: Limits, name: str, *, suffix: str = "") -> QSpinBox:
    """A whole-number spin box over the range ``lim`` (of a value that is not a field)."""
    low, high = _range(lim, name)
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(int(low), int(high))
    spin.setSuffix(suffix)
    spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    return spin


def double_spin_box(cls: type, field: str, *, decimals: int, suffix: str = "") -> QDoubleSpinBox:
    """A decimal spin box over the range of ``cls.field``."""
    low, high = _range(limits(cls, field), field)
    spin = QDoubleSpinBox()
    spin.setObjectName(field)
    spin.setDecimals(decimals)
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    return spin


def line_edit(cls: type, field: str, text: str = "") -> QLineEdit:
    """A line edit that takes no more characters than ``cls.field`` allows."""
    edit = QLineEdit(text)
    edit.setObjectName(field)
    longest = limits(cls, field).max_length
    if longest is not None:
        edit.setMaxLength(longest)
    return edit


def number_edit(cls: type, field: str, *, decimals: int) -> QLineEdit:
    """A line edit for an optional number in the range of ``cls.field`` (empty: none).

    Typed values outside the range stay visible (not silently clamped) so that
    saving can say what is wrong with them.
    """
    low, high = _range(limits(cls, field), field)
    edit = QLineEdit()
    edit.setObjectName(field)
    validator = QDoubleValidator(low, high, decimals, edit)
    validator.setNotation(QDoubleValidator.Notation.StandardNotation)
    edit.setValidator(validator)
    return edit


def number_value(edit: QLineEdit) -> float | None:
    """The number typed in a ``number_edit`` (None when empty); ValueError when unreadable."""
    text = edit.text().strip()
    if not text:
        return None
    validator = edit.validator()
    locale = validator.locale() if isinstance(validator, QDoubleValidator) else QLocale.c()
    value, ok = locale.toDouble(text)
    if not ok:
        value, ok = QLocale.c().toDouble(text)
    if not ok:
        raise ValueError(f"{text!r} is not a number")
    return float(value)


def calendar_field(
    value: date | None,
    object_name: str,
    *,
    name: str,
    latest: date | None = None,
    optional: bool = False,
) -> DateField:
    """A typed date within the planner's calendar (``CalendarDate``; up to ``latest`` when
    given, e.g. today for a day something was measured); ``name`` is what a screen reader
    says."""
    field = DateField(None if value is None else clamp_day(value), name=name, optional=optional)
    field.setObjectName(object_name)
    field.set_range(FIRST_DAY, LAST_DAY if latest is None else min(latest, LAST_DAY))
    return field
