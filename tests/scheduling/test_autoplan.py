"""The period auto-planner on plain clinic specs, checked by the real rules engine."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from bench.records import booking
from planner.scheduling import autoplan, greedy_autoplan
from planner.scheduling.autoplan import AutoplanResult

from .support import DEP, FRIDAY, MONDAY, clinic, course, random_week, rules_check, staff


def _as_sessions(result: AutoplanResult) -> list[tuple[str, str, datetime, str, tuple[tuple[str, str], ...]]]:
    return [
        (p.course, p.chair, p.start, f"NEW-{i}",
         (("" + p.psychiatrist, "psychiatrist"), (p.monitoring_clinician, p.monitoring_role)))
        for i, p in enumerate(result.placed)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_every_proposed_session_passes_the_rules_engine_with_no_error(seed: int) -> None:
    spec = random_week(seed)
    result = autoplan(spec, MONDAY, FRIDAY)
    assert result.placed, "a tight week still places most infusions"
    violations = rules_check(spec, _as_sessions(result))
    errors = [v for v in violations if v.severity == "error"]
    assert errors == []
    # Spacing and the 7-day limit are hard for the planner, not just warnings.
    hard = [v for v in violations if v.code in ("spacing-too-short", "too-many-per-week", "course-over-planned")]
    assert hard == []


def test_the_same_clinic_always_gets_the_same_proposal() -> None:
    spec = random_week(7)
    assert autoplan(spec, MONDAY, FRIDAY) == autoplan(spec, MONDAY, FRIDAY)


@pytest.mark.parametrize("seed", [11, 12])
def test_places_at_least_as_many_as_a_plain_earliest_fit_greedy(seed: int) -> None:
    spec = random_week(seed, chairs=4, courses=20)
    assert len(autoplan(spec, MONDAY, FRIDAY).placed) >= len(greedy_autoplan(spec, MONDAY, FRIDAY).placed)


def test_earlier_due_courses_get_the_earlier_places() -> None:
    # One nurse who can take one session a day (08:00-10:00); three courses want the
    # first days: A and B are due Monday, C on Tuesday. Earliest due goes first.
    nurse = staff("N1", "infusion_nurse", [(d, time(8), time(10)) for d in range(5)])
    doctor = staff("D1", "psychiatrist")
    last = {"CA": datetime(2027, 2, 27, 8), "CB": datetime(2027, 2, 27, 8), "CC": datetime(2027, 2, 28, 8)}
    courses = tuple(course(ref, 1) for ref in last)
    bookings = tuple(booking(f"H-{c.course.ref}", c.course, "", last[c.course.ref]) for c in courses)
    spec = clinic(staff=(nurse, doctor), courses=courses, bookings=bookings,
                  concurrent_limit={"psychiatrist": 4, "infusion_nurse": 1})
    result = autoplan(spec, MONDAY, FRIDAY)
    days = {p.course: p.start.date() for p in result.placed}
    assert days == {"CA": MONDAY, "CB": MONDAY + timedelta(days=1), "CC": MONDAY + timedelta(days=2)}
    for p in result.placed:
        assert p.start >= p.due, "never before the protocol's spacing allows"


def test_a_full_day_is_reported_honestly_with_the_binding_reason() -> None:
    # Tuesday only: the only nurse works 08:00-12:00 (two lanes x two sessions = 4 infusions).
    nurse = staff("N1", "infusion_nurse", [(1, time(8), time(12))])
    doctor = staff("D1", "psychiatrist")
    spec = clinic(chairs=("CH-1", "CH-2", "CH-3", "CH-4"), staff=(nurse, doctor),
                  courses=tuple(course(f"C{i}", 1) for i in range(7)))
    tuesday = MONDAY + timedelta(days=1)
    result = autoplan(spec, tuesday, tuesday)
    assert len(result.placed) == 4
    assert result.summary()["due"] == 7
    assert result.unplaced_lines() == [
        "3 infusions could not be placed: no anesthesiologist or nurse free on Tue"
    ]


def test_the_reason_names_the_part_of_the_day_the_patients_could_come() -> None:
    # Three courses had an infusion on Sunday 13:00, so 48 h spacing allows Tuesday
    # afternoon only; the nurse works Tuesday mornings.
    nurse = staff("N1", "infusion_nurse", [(1, time(8), time(12))])
    sunday = datetime(2027, 2, 28, 13)
    courses = tuple(course(f"C{i}", 1) for i in range(3))
    bookings = tuple(booking(f"H{i}", c.course, "", sunday) for i, c in enumerate(courses))
    spec = clinic(staff=(nurse, staff("D1", "psychiatrist")), courses=courses, bookings=bookings)
    tuesday = MONDAY + timedelta(days=1)
    result = autoplan(spec, tuesday, tuesday)
    assert result.placed == ()
    assert result.unplaced_lines() == [
        "3 infusions could not be placed: no anesthesiologist or nurse free on Tue afternoon"
    ]


def test_a_psychiatrist_on_leave_is_named_as_the_reason() -> None:
    nurse = staff("N1", "infusion_nurse")
    doctor = staff("D1", "psychiatrist", leave=((MONDAY, FRIDAY),))
    spec = clinic(staff=(nurse, doctor), courses=(course("C1", 1),))
    result = autoplan(spec, MONDAY, FRIDAY)
    assert result.placed == ()
    assert "no psychiatrist free" in result.unplaced[0].reason


def test_two_different_people_fill_the_two_roles() -> None:
    both = staff("B1", "psychiatrist")
    both = replace(both, roles=("psychiatrist", "infusion_nurse"))
    spec = clinic(staff=(both,), courses=(course("C1", 1),))
    result = autoplan(spec, MONDAY, FRIDAY)
    assert result.placed == ()
    nurse = staff("N1", "infusion_nurse")
    result = autoplan(clinic(staff=(both, nurse), courses=(course("C1", 1),)), MONDAY, FRIDAY)
    (p,) = result.placed
    assert p.psychiatrist != p.monitoring_clinician


def test_expired_credentials_and_closures_are_respected() -> None:
    expired = staff("N0", "infusion_nurse", expires=date(2027, 3, 2))
    nurse = staff("N1", "infusion_nurse", [(3, time(8), time(18))])
    spec = clinic(staff=(expired, nurse, staff("D1", "psychiatrist")), courses=(course("C1", 1),),
                  closures=frozenset({MONDAY, MONDAY + timedelta(days=1)}))
    (p,) = autoplan(spec, MONDAY, FRIDAY).placed
    # Mon and Tue closed; N0's credential expired after Tuesday, so Wednesday has no nurse.
    assert p.start.date() == MONDAY + timedelta(days=3)
    assert p.monitoring_clinician == "N1"


def test_starts_are_staggered_instead_of_piling_up_at_opening() -> None:
    people = [staff(f"D{i}", "psychiatrist") for i in range(3)] + [staff(f"N{i}", "infusion_nurse") for i in range(6)]
    spec = clinic(chairs=tuple(f"CH-{i}" for i in range(8)), staff=tuple(people),
                  courses=tuple(course(f"C{i}", 1) for i in range(8)))
    result = autoplan(spec, MONDAY, MONDAY)
    assert len(result.placed) == 8
    shared = Counter(p.start for p in result.placed)
    assert max(shared.values()) <= 2
    assert all(p.start.date() == MONDAY for p in result.placed)


def test_courses_follow_the_protocol_rhythm_within_the_week() -> None:
    people = (staff("D1", "psychiatrist"), staff("N1", "infusion_nurse"))
    spec = clinic(staff=people, courses=(course("C1", 6),))
    result = autoplan(spec, MONDAY, FRIDAY)
    starts = [p.start for p in result.placed]
    assert [s.weekday() for s in starts] == [0, 2, 4]
    assert all(b - a >= timedelta(hours=DEP.min_hours_between) for a, b in zip(starts, starts[1:], strict=False))
    assert result.not_due == 3
    assert [p.infusion for p in result.placed] == [1, 2, 3]


def test_json_shape_is_stable() -> None:
    spec = random_week(3)
    doc = autoplan(spec, MONDAY, FRIDAY).to_json()
    assert set(doc) == {"from", "to", "placed", "unplaced", "summary"}
    placed = doc["placed"]
    summary = doc["summary"]
    assert isinstance(placed, list) and isinstance(summary, dict)
    assert set(placed[0]) == {
        "course", "patient", "infusion", "start", "end", "chair", "psychiatrist",
        "monitoring_clinician", "monitoring_role", "due",
    }
    assert set(summary) == {
        "courses", "due", "placed", "unplaced", "not_due", "placed_after_due_day",
    }


def test_remaining_infusions_come_after_the_course_s_last_session_and_its_consent() -> None:
    """A course already booked late in the period (or beyond it) is continued, never back-filled."""
    people = (staff("PS", "psychiatrist"), staff("NU", "infusion_nurse"))
    booked_late = course("C-LATE", 2, planned=3)
    later = datetime.combine(FRIDAY, time(8))
    far = course("C-FAR", 2, planned=3)
    consent = course("C-CONSENT", 2, consent=MONDAY + timedelta(days=2))
    spec = clinic(
        staff=people,
        courses=(
            booked_late,
            # Its only session lies weeks after the period and was not even read into bookings.
            replace(far, last_start=datetime.combine(FRIDAY + timedelta(days=30), time(9))),
            consent,
        ),
        bookings=(booking("B1", booked_late.course, "CH-1", later, (("PS", "psychiatrist"),),
                          {s.ref: s for s in people}),),
    )
    spec = replace(spec, courses=(replace(booked_late, last_start=later), *spec.courses[1:]))
    result = autoplan(spec, MONDAY, FRIDAY + timedelta(days=7))
    by_course: dict[str, list[datetime]] = {}
    for p in result.placed:
        by_course.setdefault(p.course, []).append(p.start)
    assert "C-FAR" not in by_course
    assert by_course["C-LATE"] and min(by_course["C-LATE"]) >= later + timedelta(hours=48)
    assert by_course["C-CONSENT"] and min(by_course["C-CONSENT"]).date() >= MONDAY + timedelta(days=2)
    # Numbering continues the course: infusions 2 and 3 of C-LATE.
    assert sorted(p.infusion for p in result.placed if p.course == "C-LATE") == [2, 3]


def test_when_only_one_can_be_placed_the_earlier_due_course_gets_the_place() -> None:
    # One place all week (Wed 10:00-12:00). CB was infused on Monday, so it is due on Wednesday;
    # CA is new and due on Tuesday (its consent day). Either fits the Wednesday place: the
    # earlier due course must get it, not the one that happens to be more constrained.
    nurse = staff("N1", "infusion_nurse", [(2, time(10), time(12))])
    monday_9 = datetime.combine(MONDAY, time(9))
    ca = course("CA", 1, consent=MONDAY + timedelta(days=1))
    cb = course("CB", 1, planned=2, last_start=monday_9)
    spec = clinic(
        chairs=("CH-1",), staff=(nurse, staff("D1", "psychiatrist")), courses=(ca, cb),
        bookings=(booking("H-CB", cb.course, "", monday_9),),
    )
    result = autoplan(spec, MONDAY, FRIDAY)
    assert [p.course for p in result.placed] == ["CA"]
    assert [(u.course, u.due.date()) for u in result.unplaced] == [("CB", MONDAY + timedelta(days=2))]


def test_an_overdue_course_is_not_passed_over_for_a_new_one() -> None:
    # One place all week; CB's next infusion fell due last week, CA is new: both are "due"
    # on Monday as far as this week goes, but CB has waited longer and gets the place.
    nurse = staff("N1", "infusion_nurse", [(2, time(10), time(12))])
    ten_days_ago = datetime.combine(MONDAY - timedelta(days=10), time(9))
    cb = course("CB", 1, planned=2, last_start=ten_days_ago)
    spec = clinic(chairs=("CH-1",), staff=(nurse, staff("D1", "psychiatrist")),
                  courses=(course("CA", 1), cb))
    result = autoplan(spec, MONDAY, FRIDAY)
    assert [p.course for p in result.placed] == ["CB"]
    assert [u.course for u in result.unplaced] == ["CA"]


def test_a_day_s_new_sessions_are_shared_between_the_people_free_for_them() -> None:
    # Dr A filled Monday (Dr B works Tuesdays only), so over the period Dr B is less loaded;
    # on Tuesday both are free all day and the new sessions must not all go to Dr B.
    doctors = (staff("DA", "psychiatrist"), staff("DB", "psychiatrist", [(1, time(8), time(18))]))
    nurses = tuple(staff(f"N{i}", "infusion_nurse") for i in range(4))
    monday = datetime.combine(MONDAY, time(8))
    old = tuple(course(f"OLD{i}{k}", 0, planned=1) for i in range(4) for k in range(5))
    people = {s.ref: s for s in doctors + nurses}
    busy = tuple(
        booking(f"H{i}{k}", old[5 * i + k].course, f"CH-{i + 1}", monday + timedelta(hours=2 * k),
                (("DA", "psychiatrist"), (f"N{i}", "infusion_nurse")), people)
        for i in range(4) for k in range(5)
    )
    spec = clinic(chairs=tuple(f"CH-{i + 1}" for i in range(4)), staff=doctors + nurses,
                  courses=old + tuple(course(f"C{i}", 1) for i in range(8)), bookings=busy)
    result = autoplan(spec, MONDAY, MONDAY + timedelta(days=1))
    assert len(result.placed) == 8
    assert {p.start.date() for p in result.placed} == {MONDAY + timedelta(days=1)}
    load = Counter(p.psychiatrist for p in result.placed)
    assert min(load["DA"], load["DB"]) >= 3, load
    assert [v for v in rules_check(spec, _as_sessions(result)) if v.severity == "error"] == []
