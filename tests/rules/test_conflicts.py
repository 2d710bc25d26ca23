"""Conflicts between sessions (chair, patient, staff load) and with the clinic's calendar."""

from __future__ import annotations

from datetime import date

from planner.domain.policy import Policy
from planner.domain.records import Chair, Protocol, Session
from planner.rules import check
from tests.rules.builders import (
    ANA,
    BEA,
    C2,
    CH2,
    RAJ,
    TOM,
    WORKDAYS,
    clinic,
    codes,
    course,
    of,
    patient,
    session,
    staff,
)


def test_two_patients_in_one_chair_at_once() -> None:
    found = check(
        clinic(
            session("X-1", "12-01 09:00"),
            session(
                "X-2",
                "12-01 10:00",
                course=C2,
                team=[(RAJ, "psychiatrist"), (BEA, "infusion_nurse")],
            ),
        )
    )
    assert codes(found) == ["chair-double-booked", "chair-double-booked"]
    by_session = {v.session: v for v in found}
    assert by_session["X-1"].related == ("X-2",)
    assert by_session["X-2"].related == ("X-1",)
    assert by_session["X-1"].chair == "CH-1"
    assert "Chair 1" in by_session["X-1"].message and "Jan Kowalski" in by_session["X-1"].message
    assert "10:00–12:00" in by_session["X-1"].message


def test_touching_sessions_in_one_chair_do_not_conflict() -> None:
    found = check(
        clinic(
            session("X-1", "12-01 09:00"),
            session(
                "X-2",
                "12-01 11:00",
                course=C2,
                team=[(RAJ, "psychiatrist"), (BEA, "infusion_nurse")],
            ),
        )
    )
    assert found == []


def test_chair_time_includes_preparation_and_recovery() -> None:
    # 09:00 + 20 + 40 + 60 min = 11:00, so a 10:59 start in the same chair overlaps.
    found = check(
        clinic(
            session("X-1", "12-01 09:00"),
            session(
                "X-2",
                "12-01 10:59",
                course=C2,
                team=[(RAJ, "psychiatrist"), (BEA, "infusion_nurse")],
            ),
        )
    )
    assert codes(found) == ["chair-double-booked", "chair-double-booked"]


def test_session_minutes_override_the_protocol() -> None:
    found = check(
        clinic(
            session("X-1", "12-01 09:00", minutes=(10, 40, 30)),  # ends 10:20
            session(
                "X-2",
                "12-01 10:20",
                course=C2,
                team=[(RAJ, "psychiatrist"), (BEA, "infusion_nurse")],
            ),
        )
    )
    assert found == []


def test_cancelled_session_frees_the_chair() -> None:
    found = check(
        clinic(
            session("X-1", "12-01 09:00", status="cancelled"),
            session(
                "X-2",
                "12-01 10:00",
                course=C2,
                team=[(RAJ, "psychiatrist"), (BEA, "infusion_nurse")],
            ),
            session(
                "X-3",
                "12-01 09:30",
                chair=CH2,
                course=course("C-3", patient("P-3", "Ola Berg")),
                status="no_show",
                team=[(RAJ, "psychiatrist"), (BEA, "infusion_nurse")],
            ),
        )
    )
    assert found == []


def test_patient_in_two_chairs_at_once() -> None:
    found = check(clinic(session("X-1", "12-01 09:00"), session("X-2", "12-01 10:00", chair=CH2)))
    double = of(found, "patient-double-booked")
    assert sorted(v.session for v in double) == ["X-1", "X-2"]
    assert all(v.patient == "P-1" and v.severity == "error" for v in double)
    assert "Chair 2" in next(v.message for v in double if v.session == "X-1")


def test_patient_sessions_touching_do_not_double_book() -> None:
    found = check(clinic(session("X-1", "12-01 09:00"), session("X-2", "12-01 11:00", chair=CH2)))
    assert of(found, "patient-double-booked") == []


def nth_chair(i: int) -> Chair:
    return Chair(ref=f"CH-{i + 1}", name=f"Chair {i + 1}")


def test_psychiatrist_over_the_limit_is_overbooked() -> None:
    chairs = [nth_chair(i) for i in range(5)]
    nurses = [staff(f"N{i}", f"Nurse {i}", ["infusion_nurse"]) for i in range(5)]
    sessions = [
        session(
            f"X-{i + 1}",
            f"12-01 {9 + i // 2:02d}:{(i % 2) * 20:02d}",
            course=course(f"C-{i + 10}", patient(f"P-{i + 10}", f"Patient {i}")),
            chair=chairs[i],
            team=[(ANA, "psychiatrist"), (nurses[i], "infusion_nurse")],
        )
        for i in range(5)
    ]
    # Starts 09:00, 09:20, 10:00, 10:20, 11:00 (2 h each): X-1 ends as X-5 starts, so at
    # most 4 at once — the limit reached, not exceeded.
    assert check(clinic(*sessions)) == []
    sessions[4] = session(
        "X-5",
        "12-01 10:40",
        course=course("C-14", patient("P-14", "Patient 4")),
        chair=chairs[4],
        team=[(ANA, "psychiatrist"), (nurses[4], "infusion_nurse")],
    )
    found = check(clinic(*sessions))
    over = of(found, "staff-overbooked")
    assert sorted(v.session for v in over) == ["X-1", "X-2", "X-3", "X-4", "X-5"]
    assert all(v.staff == "S1" and v.severity == "error" for v in over)
    x5 = next(v for v in over if v.session == "X-5")
    assert x5.related == ("X-1", "X-2", "X-3", "X-4")
    assert "Dr Ana Silva is already with 4 patients 10:40–11:00 (limit 4" in x5.message


def test_nurse_limit_two_reached_is_fine_three_is_not() -> None:
    def mk(i: int, start: str) -> Session:
        psych = staff(f"D{i}", f"Dr {i}", ["psychiatrist"])
        return session(
            f"X-{i}",
            start,
            course=course(f"C-{i + 10}", patient(f"P-{i + 10}", f"Patient {i}")),
            chair=nth_chair(i),
            team=[(psych, "psychiatrist"), (TOM, "infusion_nurse")],
        )

    assert check(clinic(mk(1, "12-01 09:00"), mk(2, "12-01 09:30"), mk(3, "12-01 11:00"))) == []
    found = check(clinic(mk(1, "12-01 09:00"), mk(2, "12-01 09:30"), mk(3, "12-01 10:59")))
    over = of(found, "staff-overbooked")
    assert sorted(v.session for v in over) == ["X-1", "X-2", "X-3"]
    assert all(v.staff == "S2" for v in over)
    assert "(limit 2 as infusion nurse)" in over[0].message


def test_policy_limit_one_to_one() -> None:
    policy = Policy.from_overrides({"concurrent_limit": {"infusion_nurse": 1}})
    data = clinic(
        session("X-1", "12-01 09:00"),
        session("X-2", "12-01 10:00", chair=CH2, course=C2),
    )
    assert codes(check(data)) == []
    assert codes(check(data, policy)) == ["staff-overbooked", "staff-overbooked"]


def test_clinic_closed_on_a_closure_day() -> None:
    found = check(clinic(session("X-1", "12-25 09:00"), closures=[date(2026, 12, 25)]))
    assert codes(found) == ["clinic-closed"]
    assert "Fri 25 Dec 2026" in found[0].message and "Christmas" in found[0].message


def test_day_after_a_closure_is_open() -> None:
    assert check(clinic(session("X-1", "12-24 09:00"), closures=[date(2026, 12, 25)])) == []


def test_outside_opening_hours() -> None:
    found = check(clinic(session("X-1", "12-01 16:30")))
    assert codes(found) == ["outside-opening-hours", "staff-unavailable", "staff-unavailable"]
    (v,) = of(found, "outside-opening-hours")
    assert "16:30–18:30" in v.message and "08:00–18:00" in v.message


def test_session_filling_the_opening_hours_exactly_is_fine() -> None:
    data = clinic(
        session("X-1", "12-01 16:00"), session("X-2", "12-03 08:00", chair=CH2, course=C2)
    )
    assert check(data) == []


def test_clinic_not_open_that_weekday() -> None:
    weekend_staff = [(staff("S8", "Dr W", ["psychiatrist"], weekly=None), "psychiatrist")]
    found = check(clinic(session("X-1", "12-05 09:00", team=weekend_staff)))
    (v,) = of(found, "outside-opening-hours")
    assert "not open on Saturdays" in v.message


def test_no_opening_hours_on_record_skips_that_check() -> None:
    assert codes(check(clinic(session("X-1", "12-01 09:00"), opening=[]))) == []


def test_staff_in_one_session_each_at_different_times_is_fine() -> None:
    other = Protocol(ref="KET-PAIN", name="Ketamine — pain", min_hours_between=0)
    found = check(
        clinic(
            session("X-1", "12-01 09:00", course=course("C-1", protocol=other)),
            session("X-2", "12-01 11:00", course=course("C-1", protocol=other)),
        )
    )
    assert found == []


def test_violations_are_sorted_by_time_then_errors_first() -> None:
    flagged = course("C-9", patient("P-9", "Ida Flag", flags=["pregnancy"]))
    found = check(
        clinic(
            session("X-2", "12-02 09:00", course=flagged, team=[]),
            session("X-1", "12-01 09:00", course=C2, team=[(ANA, "psychiatrist")]),
        )
    )
    assert [(v.session, v.code) for v in found] == [
        ("X-1", "missing-monitoring-clinician"),
        ("X-2", "missing-psychiatrist"),
        ("X-2", "missing-monitoring-clinician"),
        ("X-2", "patient-flag"),
    ]


def test_reporting_can_be_restricted_to_some_sessions() -> None:
    data = clinic(
        session("X-1", "12-01 09:00", team=[]),
        session(
            "X-2", "12-01 10:00", course=C2, team=[(RAJ, "psychiatrist"), (BEA, "infusion_nurse")]
        ),
    )
    found = check(data, sessions=["X-2"])
    assert [(v.session, v.code, v.related) for v in found] == [
        ("X-2", "chair-double-booked", ("X-1",))
    ]
    assert {v.session for v in check(data)} == {"X-1", "X-2"}


def test_opening_hours_in_back_to_back_pieces_join() -> None:
    """Opening hours stored as a morning and an afternoon that meet at 12:00 are one day."""
    rows = [(d, a, b) for d in WORKDAYS for a, b in (("08:00", "12:00"), ("12:00", "18:00"))]
    assert check(clinic(session("X-1", "12-01 11:00"), opening=rows)) == []
    gap = [(d, a, b) for d in WORKDAYS for a, b in (("08:00", "12:00"), ("12:30", "18:00"))]
    found = check(clinic(session("X-1", "12-01 11:00"), opening=gap))
    (v,) = of(found, "outside-opening-hours")
    assert "08:00–12:00, 12:30–18:00" in v.message
