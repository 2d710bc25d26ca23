"""The domain records' limits and the words they are refused in.

``limits`` is what the dialogs build their spin boxes and line edits from;
``problems`` is what the services, the dialogs and the CSV import check a
record with; ``validate`` is what the document loader reads a record with.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

import pytest

from planner.domain.base import Invalid, Limits, limits, problems, type_limits, validate
from planner.domain.fields import MAX_WEIGHT_KG, MIN_WEIGHT_KG
from planner.domain.policy import PatientsPerPerson, Policy
from planner.domain.records import (
    Chair,
    Clinic,
    Course,
    Escort,
    Leave,
    OpeningHours,
    Patient,
    Protocol,
    Session,
    StaffMember,
    WeeklyHours,
)

TODAY = date(2026, 11, 30)
ADA = Patient(ref="P-1", name="Ada Lovelace", date_of_birth=date(1980, 12, 10), record_number="M-1")
NURSE = StaffMember(ref="S-1", name="Tomás Nuñez", roles=("infusion_nurse",))


@pytest.mark.parametrize(
    ("cls", "field", "expected"),
    [
        (Patient, "weight_kg", Limits(MIN_WEIGHT_KG, MAX_WEIGHT_KG)),
        (Patient, "name", Limits(min_length=1, max_length=200)),
        (Patient, "record_number", Limits(min_length=1, max_length=80)),
        (Escort, "phone", Limits(min_length=0, max_length=80)),
        (Protocol, "dose_mg_per_kg", Limits(0.01, 20)),
        (Protocol, "infusions", Limits(1, 200)),
        (Protocol, "infusion_minutes", Limits(1, 24 * 60)),
        (Protocol, "recovery_minutes", Limits(0, 24 * 60)),
        (Course, "planned_infusions", Limits(1, 200)),
        (StaffMember, "roles", Limits(min_length=1, max_length=3)),
        (Policy, "alert_spo2_below", Limits(50, 100)),
        (Policy, "backups_keep", Limits(1, 1000)),
        (Chair, "active", Limits()),
    ],
)
def test_limits_read_off_the_annotations(cls: type, field: str, expected: Limits) -> None:
    assert limits(cls, field) == expected


def test_limits_of_a_value_that_is_not_a_field() -> None:
    assert type_limits(PatientsPerPerson) == Limits(1, 20)


def test_making_a_record_never_validates() -> None:
    nonsense = Patient(ref="", name="", date_of_birth=date(3000, 1, 1), record_number="")
    assert set(problems(nonsense, today=TODAY)) == {"ref", "name", "date_of_birth", "record_number"}


def _session(**changes: Any) -> Session:
    course = Course(ref="C-1", patient=ADA, protocol=Protocol(ref="K", name="K"), planned_infusions=6)
    values: dict[str, Any] = {
        "ref": "X-1",
        "course": course,
        "chair": Chair(ref="CH-1", name="Chair 1"),
        "start": datetime(2026, 12, 1, 9),
    }
    return Session(**(values | changes))


@pytest.mark.parametrize(
    ("record", "field", "message"),
    [
        (replace(ADA, weight_kg=351.0), "weight_kg", "must be between 20 and 350"),
        (replace(ADA, weight_kg=1e-300), "weight_kg", "must be between 20 and 350"),
        (replace(ADA, weight_kg=float("nan")), "weight_kg", "must be between 20 and 350"),
        (replace(ADA, weight_kg=True), "weight_kg", "should be a valid number"),  # type: ignore[arg-type]
        (replace(ADA, name=""), "name", "must not be empty"),
        (replace(ADA, name="   "), "name", "must not be empty"),
        (replace(ADA, name="x" * 201), "name", "at most 200 characters"),
        (replace(ADA, name="Zoë\x00"), "name", "contains a NUL character (\\0)"),
        (replace(ADA, notes="bell\x07"), "notes", "contains a control character (U+0007)"),
        (replace(ADA, record_number=" M-1"), "record_number", "must not start or end with a space"),
        (replace(ADA, date_of_birth=date(2027, 1, 1)), "date_of_birth", "is in the future"),
        (replace(ADA, date_of_birth=date(1899, 12, 31)), "date_of_birth", "is before 1900"),
        (replace(ADA, flags=("pregnancy", "pregnancy")), "flags", "a flag is listed twice"),
        (replace(ADA, escort=Escort(phone="9" * 81)), "escort", "phone: at most 80 characters"),
        (replace(NURSE, roles=()), "roles", "needs at least one"),
        (replace(NURSE, roles=("psychiatrist", "psychiatrist")), "roles", "a role is listed twice"),
        (
            replace(NURSE, hours=(WeeklyHours(weekday=0, start=time(12), end=time(9)),)),
            "hours",
            "[0]: end must be after start (Monday 12:00–09:00)",
        ),
        (
            replace(
                NURSE,
                hours=(
                    WeeklyHours(weekday=0, start=time(8), end=time(12)),
                    WeeklyHours(weekday=0, start=time(11), end=time(14)),
                ),
            ),
            "hours",
            "Monday: 08:00–12:00 overlaps 11:00–14:00",
        ),
        (
            replace(NURSE, hours=(WeeklyHours(weekday=7, start=time(8), end=time(9)),)),
            "hours",
            "[0].weekday: must be between 0 and 6",
        ),
        (
            replace(NURSE, leave=(Leave(start=date(2026, 5, 2), end=date(2026, 5, 1)),)),
            "leave",
            "[0]: 'to' must not be before 'from'",
        ),
        (
            replace(NURSE, leave=(Leave(start=date(1999, 12, 31), end=date(2000, 1, 1)),)),
            "leave",
            "[0].start: must be between 2000-01-01 and 2099-12-31",
        ),
        (
            Clinic(
                opening_hours=(
                    OpeningHours(weekday=1, open=time(8), close=time(12)),
                    OpeningHours(weekday=1, open=time(11), close=time(13)),
                )
            ),
            "opening_hours",
            "Tuesday: two opening ranges overlap",
        ),
        (Clinic(logo=b"GIF89a"), "logo", "the logo must be a PNG or JPEG image"),
        (Protocol(ref="K", name="K", dose_mg_per_kg=0.005), "dose_mg_per_kg", "must be between 0.01 and 20"),
        (Policy(alert_hr_below=110, alert_hr_above=100), "", "the low heart-rate alert must be below the high one"),
        (Policy(paper_size="A5"), "paper_size", "must be 'A4' or 'Letter'"),  # type: ignore[arg-type]
        (
            _session(start=datetime(2026, 12, 1, 9, 0, 30)),
            "start",
            "times are to the minute: leave out the seconds (e.g. 09:00)",
        ),
        (_session(status="finished"), "status", "must be 'planned', 'confirmed', 'done', 'cancelled' or 'no_show'"),
    ],
)
def test_problems_name_the_field_and_say_what_is_wrong(record: Any, field: str, message: str) -> None:
    assert problems(record, today=TODAY) == {field: message}


def test_a_good_record_has_no_problems_and_skipped_fields_are_not_checked() -> None:
    assert problems(ADA, today=TODAY) == {}
    new = replace(ADA, ref="", record_number="")
    assert problems(new, skip=["ref", "record_number"], today=TODAY) == {}


def test_born_today_is_fine_but_tomorrow_is_not() -> None:
    assert problems(replace(ADA, date_of_birth=TODAY), today=TODAY) == {}
    assert problems(replace(ADA, date_of_birth=date(2026, 12, 1)), today=TODAY) == {
        "date_of_birth": "is in the future"
    }


def test_a_document_entry_is_read_strictly() -> None:
    entry = {"ref": "P-1", "name": "Ada", "date_of_birth": "1980-12-10", "record_number": "M-1"}
    assert validate(Patient, entry) == Patient(
        ref="P-1", name="Ada", date_of_birth=date(1980, 12, 10), record_number="M-1"
    )
    with pytest.raises(Invalid) as caught:
        validate(Patient, entry | {"weight_kg": "70"})  # no text for a number
    assert caught.value.fields == {"weight_kg": "should be a valid number"}
    with pytest.raises(Invalid) as caught:
        validate(Patient, entry | {"colour": "red"})
    assert caught.value.fields == {"colour": "Extra inputs are not permitted (not a known key)"}
    with pytest.raises(Invalid) as caught:
        validate(Patient, entry | {"date_of_birth": "10/12/1980"})
    assert caught.value.fields == {"date_of_birth": "'10/12/1980' is not a date (YYYY-MM-DD)"}


def test_leave_is_written_from_and_to_in_a_document() -> None:
    leave = validate(Leave, {"from": "2026-12-21", "to": "2026-12-31"})
    assert (leave.start, leave.end) == (date(2026, 12, 21), date(2026, 12, 31))
    assert leave.covers(date(2026, 12, 31)) and not leave.covers(date(2027, 1, 1))
