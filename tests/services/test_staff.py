"""Staff service: validation names the bad field, hours/leave round-trip, week load, audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from planner.db.engine import Database
from planner.domain.records import Leave, WeeklyHours
from planner.services.audit import list_audit
from planner.services.base import ConcurrentEdit, ValidationFailed
from planner.services.staff import (
    create_staff,
    credential_state,
    get_staff,
    list_staff,
    set_staff_active,
    staff_problems,
    update_staff,
)
from tests.factories import base_document, load_into, new_staff

NURSE = new_staff(
    "Priya Raman",
    ("infusion_nurse", "anesthesiologist"),
    credential_expires=date(2027, 1, 15),
    hours=(
        WeeklyHours(weekday=0, start=time(8), end=time(12)),
        WeeklyHours(weekday=0, start=time(13), end=time(17)),
        WeeklyHours(weekday=3, start=time(9), end=time(15)),
    ),
    leave=(Leave(start=date(2026, 12, 21), end=date(2026, 12, 31)),),
)


def test_create_round_trips_roles_hours_and_leave(db: Database) -> None:
    ref = create_staff(db, NURSE)
    member = get_staff(db, ref).member
    assert member.name == "Priya Raman"
    assert member.roles == ("anesthesiologist", "infusion_nurse")  # canonical order
    assert member.hours == NURSE.hours
    assert member.leave == NURSE.leave
    assert [e.summary for e in list_audit(db, ref=ref)] == [
        "added staff member Priya Raman (Anesthesiologist, Infusion nurse)"
    ]


def test_validation_names_each_bad_field(sqlite_db: Database) -> None:
    bad = new_staff(
        " ",
        (),
        hours=(WeeklyHours(weekday=1, start=time(12), end=time(9)),),
        leave=(Leave(start=date(2026, 5, 2), end=date(2026, 5, 1)),),
    )
    problems = staff_problems(bad, new=True)
    assert set(problems) == {"name", "roles", "hours", "leave"}
    assert "Tuesday" in problems["hours"]
    with pytest.raises(ValidationFailed) as caught:
        create_staff(sqlite_db, bad)
    assert caught.value.fields == problems
    assert list_staff(sqlite_db) == []


def test_overlapping_ranges_on_one_day_are_refused() -> None:
    data = new_staff(
        "A",
        ("psychiatrist",),
        hours=(
            WeeklyHours(weekday=2, start=time(8), end=time(12)),
            WeeklyHours(weekday=2, start=time(11), end=time(14)),
        ),
    )
    assert staff_problems(data, new=True)["hours"] == "Wednesday: 08:00–12:00 overlaps 11:00–14:00"


def test_update_checks_the_version(sqlite_db: Database) -> None:
    ref = create_staff(sqlite_db, NURSE)
    shown = get_staff(sqlite_db, ref)
    update_staff(
        sqlite_db,
        new_staff("Priya R.", ("infusion_nurse",), ref=ref),
        expected_version=shown.version,
    )
    assert get_staff(sqlite_db, ref).member.hours == ()
    with pytest.raises(ConcurrentEdit):
        update_staff(sqlite_db, replace(NURSE, ref=ref), expected_version=shown.version)
    assert get_staff(sqlite_db, ref).member.name == "Priya R."


def test_week_load_counts_assigned_sessions_and_leave(sqlite_db: Database) -> None:
    doc = base_document()
    doc["staff"][1]["leave"] = [{"from": "2026-12-03", "to": "2026-12-04"}]
    load_into(sqlite_db, doc)
    by_ref = {m.member.ref: m for m in list_staff(sqlite_db, week_of=date(2026, 12, 2))}
    assert by_ref["S1"].week_sessions == 1 and by_ref["S1"].week_minutes == 120
    assert by_ref["S1"].week_available_minutes == 5 * 600
    assert by_ref["S2"].week_leave_days == (date(2026, 12, 3), date(2026, 12, 4))
    assert by_ref["S2"].week_available_minutes == 3 * 600
    other_week = {m.member.ref: m for m in list_staff(sqlite_db, week_of=date(2026, 12, 9))}
    assert other_week["S1"].week_sessions == 0


def test_deactivate_hides_from_active_list(sqlite_db: Database) -> None:
    ref = create_staff(sqlite_db, NURSE)
    set_staff_active(sqlite_db, ref, False)
    assert [m.member.ref for m in list_staff(sqlite_db, include_inactive=False)] == []
    assert get_staff(sqlite_db, ref).member.active is False


@pytest.mark.parametrize(
    ("expires", "state"),
    [
        (None, "missing"),
        (date(2026, 11, 29), "expired"),
        (date(2026, 12, 30), "expiring"),
        (date(2027, 1, 1), "valid"),
    ],
)
def test_credential_state(expires: date | None, state: str) -> None:
    assert credential_state(expires, date(2026, 11, 30), 30) == state


def test_parallel_patients_count_once_in_the_week_load(sqlite_db: Database) -> None:
    doc = base_document()
    second = dict(doc["patients"][0], ref="P-0002", record_number="MRN-2", name="Second Patient")
    doc["patients"].append(second)
    doc["courses"].append(dict(doc["courses"][0], ref="C-0002", patient="P-0002"))
    # 09:00–11:00 on CH-1 and 10:00–12:00 on CH-2: the psychiatrist works 09:00–12:00.
    doc["sessions"].append(
        dict(doc["sessions"][0], ref="X-2", course="C-0002", chair="CH-2", start="2026-12-01T10:00")
    )
    load_into(sqlite_db, doc)
    by_ref = {m.member.ref: m for m in list_staff(sqlite_db, week_of=date(2026, 12, 2))}
    assert by_ref["S1"].week_sessions == 2
    assert by_ref["S1"].week_minutes == 180
