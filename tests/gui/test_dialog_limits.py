"""Every number, date and text box of the edit dialogs offers exactly what the record accepts.

Each spin box's range, each number box's validator, each date field's range and
each line edit's length is compared with the limits of the record field it
fills; a spin box or a limited box the table does not name fails the test, so a
new field cannot be added with a range of its own.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from planner.domain.base import Limits, limits, type_limits
from planner.domain.fields import FIRST_DAY, LAST_DAY
from planner.domain.policy import PatientsPerPerson, Policy
from planner.domain.records import Chair, Clinic, Course, Escort, Patient, Protocol, StaffMember
from planner.ui.pages.chairs_panel import ChairDialog
from planner.ui.pages.clinic_page import DetailsPanel
from planner.ui.pages.patient_dialog import PatientDialog
from planner.ui.pages.policy_panel import GROUPS, PolicyPanel
from planner.ui.pages.protocols_panel import FIELDS, ProtocolDialog
from planner.ui.pages.staff_dialog import StaffDialog
from planner.ui.widgets.date_field import DateField
from tests.gui.conftest import TODAY

#: A line edit's length when nothing limits it (Qt's default).
UNLIMITED = 32767
#: A date field's range: the planner's calendar (``CalendarDate``).
CALENDAR = Limits(minimum=FIRST_DAY.toordinal(), maximum=LAST_DAY.toordinal())
#: A day something was measured: in the calendar, not after today.
MEASURED = Limits(minimum=FIRST_DAY.toordinal(), maximum=TODAY.toordinal())


def _save(_record: Any) -> None:
    raise AssertionError("nothing is saved in this test")


def _part_of_a_date_field(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, DateField):
            return True
        parent = parent.parentWidget()
    return False


def _widgets(root: QWidget) -> dict[str, QWidget]:
    """Spin boxes, number boxes, date fields and length-limited line edits, by object name."""
    found: dict[str, QWidget] = {}
    for widget in root.findChildren(QWidget):
        if _part_of_a_date_field(widget):
            continue  # its text box and its calendar's year box are the field's own
        limited = isinstance(widget, QSpinBox | QDoubleSpinBox | DateField) or (
            isinstance(widget, QLineEdit)
            and (widget.validator() is not None or widget.maxLength() != UNLIMITED)
            and not isinstance(widget.parent(), QAbstractSpinBox)
        )
        if limited:
            assert widget.objectName(), f"a limited {type(widget).__name__} without a name"
            found[widget.objectName()] = widget
    return found


def _offered(widget: QWidget) -> Limits:
    if isinstance(widget, DateField):
        assert widget.minimum is not None and widget.maximum is not None
        return Limits(minimum=widget.minimum.toordinal(), maximum=widget.maximum.toordinal())
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return Limits(minimum=float(widget.minimum()), maximum=float(widget.maximum()))
    assert isinstance(widget, QLineEdit)
    validator = widget.validator()
    if isinstance(validator, QDoubleValidator):
        return Limits(minimum=validator.bottom(), maximum=validator.top())
    return Limits(max_length=widget.maxLength())


def _expected(lim: Limits, widget: QWidget) -> Limits:
    if isinstance(widget, QSpinBox | QDoubleSpinBox | DateField) or isinstance(
        getattr(widget, "validator", lambda: None)(), QDoubleValidator
    ):
        return Limits(minimum=lim.minimum, maximum=lim.maximum)
    return Limits(max_length=lim.max_length)


def _patient(qapp: Any) -> QWidget:
    return PatientDialog(None, today=TODAY, save=_save)


def _staff(qapp: Any) -> QWidget:
    return StaffDialog(None, today=TODAY, save=_save)


def _chair(qapp: Any) -> QWidget:
    return ChairDialog(None, save=_save)


def _protocol(qapp: Any) -> QWidget:
    return ProtocolDialog(None, save=_save)


def _policy(qapp: Any) -> QWidget:
    return PolicyPanel()


def _details(ctx: Any) -> QWidget:
    return DetailsPanel(ctx)


def _new_course(ctx: Any) -> QWidget:
    from planner.ui.pages.new_course_dialog import NewCourseDialog

    return NewCourseDialog(ctx, patient_ref="P-0001", patient_name="Zoë Łukasiewicz")


CASES = [
    pytest.param(
        _patient,
        {
            "name": limits(Patient, "name"),
            "record_number": limits(Patient, "record_number"),
            "phone": limits(Patient, "phone"),
            "weight_kg": limits(Patient, "weight_kg"),
            "weight_measured": MEASURED,
            "flags_acknowledged_by": limits(Patient, "flags_acknowledged_by"),
            "escort_name": limits(Escort, "name"),
            "escort_phone": limits(Escort, "phone"),
            "date_of_birth": Limits(max_length=len("YYYY-MM-DD")),
        },
        id="patient",
    ),
    pytest.param(
        _staff,
        {
            "name": limits(StaffMember, "name"),
            "credential_expires": Limits(max_length=len("YYYY-MM-DD")),
            "leave_from": CALENDAR,
            "leave_to": CALENDAR,
        },
        id="staff member",
    ),
    pytest.param(
        _chair,
        {"chair_name": limits(Chair, "name"), "room": limits(Chair, "room")},
        id="chair",
    ),
    pytest.param(
        _protocol,
        {"protocol_name": limits(Protocol, "name")}
        | {field: limits(Protocol, field) for field, *_ in FIELDS},
        id="protocol",
    ),
    pytest.param(
        _policy,
        {f"concurrent_limit.{role}": type_limits(PatientsPerPerson) for role in Policy().concurrent_limit}
        | {key: limits(Policy, key) for _title, fields in GROUPS for key, *_ in fields}
        | {key: limits(Policy, key) for key in ("crisis_phone", "time_zone")},
        id="policy",
    ),
]


@pytest.mark.parametrize(("make", "expected"), CASES)
def test_each_field_offers_the_records_limits(
    qapp: Any, make: Any, expected: dict[str, Limits]
) -> None:
    widget = make(qapp)
    try:
        shown = _widgets(widget)
        assert set(shown) == set(expected)
        for name, box in shown.items():
            assert _offered(box) == _expected(expected[name], box), name
    finally:
        widget.deleteLater()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(
            _details,
            {"clinic_name": limits(Clinic, "name"), "phone": limits(Clinic, "phone")},
            id="clinic details",
        ),
        pytest.param(
            _new_course,
            {"infusions": limits(Course, "planned_infusions"), "start_date": CALENDAR},
            id="new course",
        ),
    ],
)
def test_each_field_of_the_pages_offers_the_records_limits(
    small_context: Any, make: Any, expected: dict[str, Limits]
) -> None:
    widget = make(small_context)
    try:
        shown = {k: v for k, v in _widgets(widget).items() if k in expected}
        assert set(shown) == set(expected)
        for name, box in shown.items():
            assert _offered(box) == _expected(expected[name], box), name
    finally:
        widget.deleteLater()


def test_a_weight_outside_the_range_stays_visible_and_is_refused(qapp: Any) -> None:
    """Typed, not clamped: the dialog says what is wrong, as the service would."""
    dialog = PatientDialog(None, today=TODAY, save=_save)
    dialog.name.setText("Ada")
    dialog.dob.setText("1980-12-10")
    dialog.weight.setText("351")
    assert not dialog.try_save()
    assert dialog.errors.visible() == {"weight_kg": "Must be between 20 and 350"}
    dialog.deleteLater()
