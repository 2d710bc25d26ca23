"""Course date generation: presets and RRULEs, closures skipped, every occurrence checked."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from bench.records import booking
from planner.scheduling import ClinicSpec, normalise_pattern, plan_course

from .support import PAIN, clinic, course, staff

START = datetime(2027, 3, 1, 9, 0)  # a Monday


def _clinic(**kw: object) -> ClinicSpec:
    base: dict[str, object] = {"staff": (staff("D1", "psychiatrist"), staff("N1", "infusion_nurse"))}
    base.update(kw)
    return clinic(**base)


def test_mon_wed_fri_gives_six_dates_at_the_start_time_with_staff_and_chair() -> None:
    plan = plan_course(_clinic(), course("NEW", 6), START, "Mon/Wed/Fri", 6)
    assert [o.start.weekday() for o in plan.occurrences] == [0, 2, 4, 0, 2, 4]
    assert all(o.start.time() == time(9) for o in plan.occurrences)
    assert [o.infusion for o in plan.occurrences] == [1, 2, 3, 4, 5, 6]
    assert not plan.has_errors
    assert all(o.chair and o.psychiatrist == "D1" and o.monitoring_clinician == "N1" for o in plan.occurrences)


def test_a_closure_is_skipped_and_listed_and_the_course_still_gets_all_its_dates() -> None:
    closed = date(2027, 3, 3)
    plan = plan_course(_clinic(closures=frozenset({closed})), course("NEW", 6), START, "Mon/Wed/Fri", 6)
    days = [o.start.date() for o in plan.occurrences]
    assert closed not in days
    assert len(days) == 6
    assert [(s.day, s.reason) for s in plan.skipped] == [(closed, "the clinic is closed that day")]


def test_every_occurrence_is_validated_not_only_the_first() -> None:
    # The only nurse is on leave in the second week: those dates carry the problem.
    leave = ((date(2027, 3, 8), date(2027, 3, 12)),)
    spec = _clinic(staff=(staff("D1", "psychiatrist"), staff("N1", "infusion_nurse", leave=leave)))
    plan = plan_course(spec, course("NEW", 6), START, "Mon/Wed/Fri", 6)
    flagged = [o.start.date() for o in plan.occurrences if o.has_errors]
    assert flagged == [date(2027, 3, 8), date(2027, 3, 10), date(2027, 3, 12)]
    for o in plan.occurrences[3:]:
        assert [p.code for p in o.problems] == ["missing-monitoring-clinician"]
        assert o.monitoring_clinician is None


def test_dates_outside_opening_hours_are_errors() -> None:
    plan = plan_course(_clinic(), course("NEW", 3), START.replace(hour=17), "Mon/Thu", 3)
    assert all("outside-opening-hours" in [p.code for p in o.problems] for o in plan.occurrences)


def test_a_daily_rule_is_thinned_to_the_protocol_spacing() -> None:
    plan = plan_course(_clinic(), course("NEW", 4), START, "FREQ=DAILY", 4)
    starts = [o.start for o in plan.occurrences]
    assert all(b - a >= timedelta(hours=48) for a, b in zip(starts, starts[1:], strict=False))
    assert any("only 24 h after the previous infusion" in s.reason for s in plan.skipped)


def test_the_per_week_limit_is_honoured() -> None:
    # 24 h spacing allows daily, but at most 4 in any 7 days.
    plan = plan_course(_clinic(), course("NEW", 8, PAIN), START, "RRULE:FREQ=DAILY", 8)
    days = [o.start.date() for o in plan.occurrences]
    for d in days:
        assert sum(1 for x in days if d <= x <= d + timedelta(days=6)) <= PAIN.max_per_7_days
    assert any("4 infusions within 7 days" in s.reason for s in plan.skipped)


def test_every_two_to_three_days_steps_over_the_weekend() -> None:
    plan = plan_course(_clinic(), course("NEW", 6), START, "every 2-3 days", 6)
    starts = [o.start.date() for o in plan.occurrences]
    gaps = {(b - a).days for a, b in zip(starts, starts[1:], strict=False)}
    assert gaps <= {2, 3}
    assert all(d.weekday() < 5 for d in starts)
    assert plan.pattern == "every 2–3 days"


def test_existing_sessions_of_the_patient_are_taken_into_account() -> None:
    c = course("C1", 3)
    plan = plan_course(_clinic(bookings=(booking("X1", c.course, "CH-1", START),)), c, START + timedelta(days=1), "Mon/Wed/Fri", 3)
    # Wednesday 09:00 is exactly 48 h after Monday 09:00: allowed.
    assert plan.occurrences[0].start == START + timedelta(days=2)
    assert not plan.has_errors


@pytest.mark.parametrize("text", ["", "FREQ=SOMETIMES", "hello"])
def test_an_unusable_pattern_is_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"pattern|recurrence"):
        normalise_pattern(text)
