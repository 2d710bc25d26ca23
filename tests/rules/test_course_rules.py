"""A patient's series: spacing, frequency, induction gaps, planned count and exclusion flags."""

from __future__ import annotations

from planner.domain.records import Escort, Protocol
from planner.rules import check
from tests.rules.builders import CH2, clinic, codes, course, of, patient, session

DAILY_OK = Protocol(ref="KET-D", name="Ketamine — daily allowed", min_hours_between=24)


def test_infusions_closer_than_the_protocol_minimum_warn() -> None:
    found = check(clinic(session("X-1", "12-01 09:00"), session("X-2", "12-03 08:59")))
    assert codes(found) == ["spacing-too-short", "spacing-too-short"]
    assert all(v.severity == "warning" and v.patient == "P-1" for v in found)
    later = next(v for v in found if v.session == "X-2")
    assert later.related == ("X-1",)
    assert "Only 47 h 59 min since" in later.message and "at least 48 h" in later.message
    assert "Tue 1 Dec 09:00" in later.message


def test_infusions_exactly_the_minimum_apart_are_fine() -> None:
    assert check(clinic(session("X-1", "12-01 09:00"), session("X-2", "12-03 09:00"))) == []


def test_spacing_counts_across_a_patients_courses() -> None:
    second = course("C-5")  # same patient, another course
    found = check(
        clinic(session("X-1", "12-01 09:00"), session("X-2", "12-02 09:00", course=second))
    )
    assert codes(found) == ["spacing-too-short", "spacing-too-short"]


def test_cancelled_infusion_does_not_count_for_spacing() -> None:
    found = check(
        clinic(session("X-1", "12-01 09:00", status="cancelled"), session("X-2", "12-02 09:00"))
    )
    assert found == []


def test_more_than_three_in_seven_days_warns() -> None:
    c = course(protocol=DAILY_OK)
    found = check(
        clinic(*(session(f"X-{i}", f"12-0{i} 09:00", course=c) for i in range(1, 5)))  # Tue..Fri
    )
    week = of(found, "too-many-per-week")
    assert sorted(v.session for v in week) == ["X-1", "X-2", "X-3", "X-4"]
    assert all(v.severity == "warning" for v in week)
    assert "4 infusions" in week[0].message and "allows 3" in week[0].message
    assert set(week[0].related) == {"X-2", "X-3", "X-4"}


def test_fourth_infusion_on_the_eighth_day_is_fine() -> None:
    c = course(protocol=DAILY_OK)
    found = check(
        clinic(
            session("X-1", "12-01 09:00", course=c),  # Tue
            session("X-2", "12-02 09:00", course=c),
            session("X-3", "12-03 09:00", course=c),
            session("X-4", "12-08 08:00", course=c),  # next Tue: 7 calendar days later
        )
    )
    assert of(found, "too-many-per-week") == []


def test_three_in_seven_days_is_fine() -> None:
    c = course(protocol=DAILY_OK)
    found = check(clinic(*(session(f"X-{i}", f"12-0{i} 09:00", course=c) for i in range(1, 4))))
    assert found == []


def test_gap_over_max_during_induction_warns() -> None:
    found = check(clinic(session("X-1", "12-01 09:00"), session("X-2", "12-09 09:00")))
    gap = of(found, "induction-gap-too-long")
    assert sorted(v.session for v in gap) == ["X-1", "X-2"]
    assert "8 days" in gap[0].message and "at most 7" in gap[0].message
    assert all(v.severity == "warning" and v.patient == "P-1" for v in gap)


def test_gap_of_exactly_max_days_is_fine() -> None:
    assert check(clinic(session("X-1", "12-01 09:00"), session("X-2", "12-08 16:00"))) == []


def test_gap_after_the_induction_is_fine() -> None:
    short = Protocol(ref="KET-2", name="Two-infusion induction", infusions=2)
    c = course(protocol=short)
    found = check(
        clinic(
            session("X-1", "12-01 09:00", course=c),
            session("X-2", "12-03 09:00", course=c),
            session("X-3", "12-29 09:00", course=c),  # a booster weeks later
        )
    )
    assert found == []


def test_gap_in_a_course_on_hold_is_not_reported() -> None:
    paused = course(status="on_hold")
    found = check(
        clinic(
            session("X-1", "12-01 09:00", course=paused),
            session("X-2", "12-15 09:00", course=paused),
        )
    )
    assert found == []


def test_more_sessions_than_planned_warns_on_the_extra_ones() -> None:
    c = course(planned=2)
    found = check(
        clinic(
            session("X-1", "12-01 09:00", course=c),
            session("X-2", "12-03 09:00", course=c),
            session("X-3", "12-07 09:00", course=c),
        )
    )
    assert codes(found) == ["course-over-planned"]
    assert found[0].session == "X-3"
    assert "infusion 3" in found[0].message and "plans 2" in found[0].message


def test_planned_count_reached_is_fine_and_cancelled_do_not_count() -> None:
    c = course(planned=2)
    found = check(
        clinic(
            session("X-1", "12-01 09:00", course=c),
            session("X-2", "12-03 09:00", course=c, status="cancelled"),
            session("X-3", "12-03 09:00", course=c, chair=CH2),
        )
    )
    assert found == []


def test_flagged_patient_warns_on_every_session_naming_the_flags() -> None:
    flagged = course("C-7", patient("P-7", "Ida Berg", flags=["pregnancy", "psychosis_history"]))
    found = check(
        clinic(
            session("X-1", "12-01 09:00", course=flagged),
            session("X-2", "12-03 09:00", course=flagged),
        )
    )
    assert codes(found) == ["patient-flag", "patient-flag"]
    v = found[0]
    assert v.severity == "warning" and v.patient == "P-7"
    assert "Pregnancy" in v.message and "History of psychosis" in v.message
    assert "acknowledgement" in v.message


def test_acknowledged_flag_still_warns_and_says_who() -> None:
    flagged = course("C-7", patient("P-7", "Ida Berg", flags=["pregnancy"], ack="Dr Ana Silva"))
    found = check(clinic(session("X-1", "12-01 09:00", course=flagged)))
    assert codes(found) == ["patient-flag"]
    assert "acknowledged by Dr Ana Silva" in found[0].message


def test_patient_without_flags_gets_no_flag_warning() -> None:
    assert check(clinic(session("X-1", "12-01 09:00", course=course(who=patient(flags=[]))))) == []


def test_a_patient_without_escort_name_and_phone_warns_on_each_session() -> None:
    """No escort, no infusion: a name alone is not enough, the phone is needed to call them."""
    nobody = course("C-7", patient("P-7", "Jan Kowalski", escort=Escort()))
    name_only = course("C-8", patient("P-8", "Ewa Nowak", escort=Escort(name="Adam Nowak")))
    found = check(
        clinic(
            session("X-1", "12-01 09:00", course=nobody),
            session("X-2", "12-04 09:00", course=nobody),
            session("X-3", "12-01 09:00", chair=CH2, course=name_only),
        )
    )
    assert [(v.session, v.code, v.severity) for v in found] == [
        ("X-1", "escort-missing", "warning"),
        ("X-3", "escort-missing", "warning"),
        ("X-2", "escort-missing", "warning"),
    ]
    assert "Jan Kowalski has no escort name and phone on file" in found[0].message
    assert "Ewa Nowak has no escort phone on file" in found[1].message
    assert found[0].patient == "P-7"


def test_a_course_without_a_consent_date_warns_on_each_session() -> None:
    unsigned = course("C-9", consent=None)
    found = check(
        clinic(session("X-1", "12-01 09:00", course=unsigned), session("X-2", "12-04 09:00"))
    )
    assert [(v.session, v.code, v.severity) for v in found] == [
        ("X-1", "consent-missing", "warning")
    ]
    assert "Course C-9 of Zoë Łukasiewicz has no consent date on file" in found[0].message
