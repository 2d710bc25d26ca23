"""Staff service: validation names the bad field, hours/leave round-trip, week load, audit."""

from __future__ import annotations

from datetime import date, time

import pytest

from planner.db.engine import Database
from planner.services.audit import list_audit
from planner.services.base import ConcurrentEdit, ValidationFailed
from planner.services.staff import (
    HoursRange,
    LeavePeriod,
    StaffInput,
    create_staff,
    credential_state,
    get_staff,
    list_staff,
    set_staff_active,
    update_staff,
    validate_staff,
)
from tests.factories import base_document, load_into

NURSE = StaffInput(
    name="Priya Raman",
    roles=("infusion_nurse", "anesthesiologist"),
    credential_expires=date(2027, 1, 15),
    hours=(
        HoursRange(0, time(8), time(12)),
        HoursRange(0, time(13), time(17)),
        HoursRange(3, time(9), time(15)),
    ),
    leave=(LeavePeriod(date(2026, 12, 21), date(2026, 12, 31)),),
)


def test_create_round_trips_roles_hours_and_leave(db: Database) -> None:
    ref = create_staff(db, NURSE)
    member = get_staff(db, ref)
    assert member.name == "Priya Raman"
    assert member.roles == ("anesthesiologist", "infusion_nurse")  # canonical order
    assert member.hours == NURSE.hours
    assert member.leave == NURSE.leave
    assert [e.summary for e in list_audit(db, ref=ref)] == [
        "added staff member Priya Raman (Anesthesiologist, Infusion nurse)"
    ]


def test_validation_names_each_bad_field(sqlite_db: Database) -> None:
    bad = StaffInput(
        name=" ",
        roles=(),
        hours=(HoursRange(1, time(12), time(9)),),
        leave=(LeavePeriod(date(2026, 5, 2), date(2026, 5, 1)),),
    )
    problems = validate_staff(bad)
    assert set(problems) == {"name", "roles", "hours", "leave"}
    assert "Tuesday" in problems["hours"]
    with pytest.raises(ValidationFailed) as caught:
        create_staff(sqlite_db, bad)
    assert caught.value.fields == problems
    assert list_staff(sqlite_db) == []


def test_overlapping_ranges_on_one_day_are_refused() -> None:
    data = StaffInput(
        name="A",
        roles=("psychiatrist",),
        hours=(HoursRange(2, time(8), time(12)), HoursRange(2, time(11), time(14))),
    )
    assert "Wednesday" in validate_staff(data)["hours"]


def test_update_checks_the_version(sqlite_db: Database) -> None:
    ref = create_staff(sqlite_db, NURSE)
    shown = get_staff(sqlite_db, ref)
    update_staff(
        sqlite_db,
        ref,
        StaffInput(name="Priya R.", roles=("infusion_nurse",)),
        expected_version=shown.version,
    )
    assert get_staff(sqlite_db, ref).hours == ()
    with pytest.raises(ConcurrentEdit):
        update_staff(sqlite_db, ref, NURSE, expected_version=shown.version)
    assert get_staff(sqlite_db, ref).name == "Priya R."


def test_week_load_counts_assigned_sessions_and_leave(sqlite_db: Database) -> None:
    doc = base_document()
    doc["staff"][1]["leave"] = [{"from": "2026-12-03", "to": "2026-12-04"}]
    load_into(sqlite_db, doc)
    by_ref = {m.ref: m for m in list_staff(sqlite_db, week_of=date(2026, 12, 2))}
    assert by_ref["S1"].week_sessions == 1 and by_ref["S1"].week_minutes == 120
    assert by_ref["S1"].week_available_minutes == 5 * 600
    assert by_ref["S2"].week_leave_days == (date(2026, 12, 3), date(2026, 12, 4))
    assert by_ref["S2"].week_available_minutes == 3 * 600
    other_week = {m.ref: m for m in list_staff(sqlite_db, week_of=date(2026, 12, 9))}
    assert other_week["S1"].week_sessions == 0


def test_deactivate_hides_from_active_list(sqlite_db: Database) -> None:
    ref = create_staff(sqlite_db, NURSE)
    set_staff_active(sqlite_db, ref, False)
    assert [m.ref for m in list_staff(sqlite_db, include_inactive=False)] == []
    assert get_staff(sqlite_db, ref).active is False


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
    by_ref = {m.ref: m for m in list_staff(sqlite_db, week_of=date(2026, 12, 2))}
    assert by_ref["S1"].week_sessions == 2
    assert by_ref["S1"].week_minutes == 180
