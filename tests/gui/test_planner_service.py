"""The Qt-free week snapshot the planner draws: numbering, violations, staff choices, search."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from planner.db.engine import Database
from planner.services.sessions import SessionDraft, create_session, set_assignments, set_status
from planner.services.week import (
    active_courses,
    change_marker,
    find_patients,
    initials,
    load_week,
    staff_options,
)
from tests.factories import base_document, load_into

MONDAY = date(2026, 11, 30)
BOTH = (("S1", "psychiatrist"), ("S2", "infusion_nurse"))


def _book(
    db: Database, when: datetime, chair: str = "CH-1", staff: tuple = BOTH, course: str = "C-0001"
) -> str:
    return create_session(
        db, SessionDraft(course_ref=course, chair_ref=chair, start=when, assignments=staff)
    )


def test_week_snapshot_numbers_sessions_within_the_course(sqlite_db: Database) -> None:
    load_into(sqlite_db, base_document())
    second = _book(sqlite_db, datetime(2026, 12, 3, 9, 0))
    third = _book(sqlite_db, datetime(2026, 12, 8, 9, 0))
    cancelled = _book(sqlite_db, datetime(2026, 12, 4, 9, 0))
    set_status(sqlite_db, cancelled, "cancelled")
    week = load_week(sqlite_db, MONDAY + timedelta(days=2))  # any day finds its Monday
    assert week.monday == MONDAY
    numbers = {s.ref: s.number for s in week.sessions}
    assert numbers == {"X-1": 1, second: 2, cancelled: 0}
    assert third not in numbers
    x1 = week.session("X-1")
    assert x1 is not None
    assert (x1.patient_name, x1.protocol_ref, x1.planned_infusions) == ("Zoë Łukasiewicz", "KET-DEP", 6)
    assert [p.role for p in x1.staff] == ["psychiatrist", "infusion_nurse"]
    assert x1.end == datetime(2026, 12, 1, 11, 0)
    assert not week.is_open(MONDAY + timedelta(days=5))
    summary = week.summary()
    assert summary.sessions == 2
    # 2 sessions x 120 min over 5 days x 10 h x 2 chairs.
    assert round(summary.utilisation, 1) == round(100 * 240 / (5 * 600 * 2), 1)


def test_week_snapshot_carries_the_rules_engine_violations(sqlite_db: Database) -> None:
    load_into(sqlite_db, base_document())
    assert load_week(sqlite_db, MONDAY).violations_of("X-1") == []
    set_assignments(sqlite_db, "X-1", [("S1", "psychiatrist")])
    week = load_week(sqlite_db, MONDAY)
    codes = {v.code for v in week.violations_of("X-1")}
    assert "missing-monitoring-clinician" in codes
    assert week.summary().errors >= 1


def test_staff_options_say_who_cannot_take_the_session(sqlite_db: Database) -> None:
    doc = base_document()
    doc["staff"][1]["leave"] = [{"from": "2026-12-02", "to": "2026-12-02"}]
    doc["staff"].append(
        {
            "ref": "S3",
            "name": "Dr Lee Park",
            "roles": ["anesthesiologist", "psychiatrist"],
            "credential_expires": "2026-01-31",
            "hours": [{"weekday": "TU", "start": "08:00", "end": "12:00"}],
            "leave": [],
        }
    )
    doc["patients"].append(
        {"ref": "P-0002", "name": "Ivo Andrić", "date_of_birth": "1970-01-01", "record_number": "MRN-2"}
    )
    doc["courses"].append(
        {"ref": "C-0002", "patient": "P-0002", "protocol": "KET-DEP", "planned_infusions": 6}
    )
    load_into(sqlite_db, doc)
    # S2 now has 2 patients at 10:00 (the limit of an infusion nurse).
    _book(sqlite_db, datetime(2026, 12, 1, 9, 30), chair="CH-2", course="C-0002")
    week = load_week(sqlite_db, MONDAY)
    tue = datetime(2026, 12, 1, 10, 0)
    monitoring = {
        (o.ref, o.role): o.problems
        for o in staff_options(week, ["anesthesiologist", "infusion_nurse"], tue, tue + timedelta(hours=2))
    }
    assert monitoring[("S2", "infusion_nurse")] == ("overbooked",)
    assert monitoring[("S3", "anesthesiologist")] == ("credential_expired",)
    wed = datetime(2026, 12, 2, 9, 0)
    later = {
        o.ref: o.problems
        for o in staff_options(week, ["infusion_nurse", "anesthesiologist"], wed, wed + timedelta(hours=2))
    }
    assert later["S2"] == ("on_leave",)
    assert later["S3"] == ("off_hours", "credential_expired")
    psychiatrists = staff_options(week, ["psychiatrist"], tue, tue + timedelta(hours=2))
    assert [o.ref for o in psychiatrists] == ["S1", "S3"]  # nobody without the role


def test_search_finds_the_next_session_and_courses_offer_what_is_left(sqlite_db: Database) -> None:
    load_into(sqlite_db, base_document())
    later = _book(sqlite_db, datetime(2026, 12, 10, 9, 0))
    hits = find_patients(sqlite_db, "łukas", after=datetime(2026, 12, 2, 0, 0))
    assert [(h.patient_ref, h.next_session) for h in hits] == [("P-0001", later)]
    assert find_patients(sqlite_db, "MRN-1001", after=datetime(2026, 11, 1))[0].next_session == "X-1"
    assert find_patients(sqlite_db, "nobody", after=datetime(2026, 11, 1)) == []
    (course,) = active_courses(sqlite_db)
    assert (course.ref, course.booked, course.planned_infusions) == ("C-0001", 2, 6)


def test_change_marker_moves_with_every_saved_change(sqlite_db: Database) -> None:
    load_into(sqlite_db, base_document())
    before = change_marker(sqlite_db)
    assert change_marker(sqlite_db) == before
    set_status(sqlite_db, "X-1", "confirmed")
    assert change_marker(sqlite_db) != before


def test_initials_skip_titles() -> None:
    assert initials("Dr Ana Silva") == "AS"
    assert initials("Tomás Nuñez") == "TN"
    assert initials("Madonna") == "MA"
