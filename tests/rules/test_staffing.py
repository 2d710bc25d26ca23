"""The staffing rule: who must be there, holding what, available and credentialed."""

from __future__ import annotations

from datetime import date

from planner.rules import check
from tests.rules.builders import (
    ANA,
    BEA,
    TOM,
    clinic,
    codes,
    hours,
    of,
    session,
    staff,
)


def test_fully_staffed_session_inside_all_hours_has_no_violations() -> None:
    assert check(clinic(session("X-1", "12-01 09:00"))) == []


def test_no_psychiatrist_is_an_error() -> None:
    found = check(clinic(session("X-1", "12-01 09:00", team=[(TOM, "infusion_nurse")])))
    assert codes(found) == ["missing-psychiatrist"]
    assert found[0].severity == "error"
    assert found[0].session == "X-1"


def test_no_monitoring_clinician_is_an_error() -> None:
    found = check(clinic(session("X-1", "12-01 09:00", team=[(ANA, "psychiatrist")])))
    assert codes(found) == ["missing-monitoring-clinician"]
    assert found[0].severity == "error"


def test_empty_session_misses_both_roles() -> None:
    found = check(clinic(session("X-1", "12-01 09:00", team=[])))
    assert codes(found) == ["missing-monitoring-clinician", "missing-psychiatrist"]


def test_anesthesiologist_fills_the_monitoring_role() -> None:
    gas = staff("S9", "Dr Lea Brandt", ["anesthesiologist"])
    found = check(
        clinic(
            session("X-1", "12-01 09:00", team=[(ANA, "psychiatrist"), (gas, "anesthesiologist")])
        )
    )
    assert found == []


def test_one_person_in_both_roles_is_an_error() -> None:
    both = staff("S7", "Dr Kim Ode", ["psychiatrist", "anesthesiologist"])
    found = check(
        clinic(
            session("X-1", "12-01 09:00", team=[(both, "psychiatrist"), (both, "anesthesiologist")])
        )
    )
    assert codes(found) == ["same-person-both-roles"]
    assert found[0].staff == "S7"
    assert "Dr Kim Ode" in found[0].message


def test_dual_role_person_is_fine_when_someone_else_also_monitors() -> None:
    both = staff("S7", "Dr Kim Ode", ["psychiatrist", "anesthesiologist"])
    team = [(both, "psychiatrist"), (both, "anesthesiologist"), (TOM, "infusion_nurse")]
    assert codes(check(clinic(session("X-1", "12-01 09:00", team=team)))) == []


def test_role_not_held_names_the_person_and_role() -> None:
    found = check(
        clinic(session("X-1", "12-01 09:00", team=[(ANA, "psychiatrist"), (ANA, "infusion_nurse")]))
    )
    assert "role-not-held" in codes(found)
    (v,) = of(found, "role-not-held")
    assert v.staff == "S1"
    assert "Dr Ana Silva" in v.message and "infusion nurse" in v.message


def test_credential_expired_before_the_session_day() -> None:
    lapsed = staff("S5", "Tomás Nuñez", ["infusion_nurse"], expires=date(2026, 11, 30))
    found = check(
        clinic(
            session("X-1", "12-01 09:00", team=[(ANA, "psychiatrist"), (lapsed, "infusion_nurse")])
        )
    )
    assert codes(found) == ["credential-expired"]
    assert found[0].staff == "S5"
    assert "30 Nov 2026" in found[0].message


def test_credential_missing_counts_as_expired() -> None:
    unknown = staff("S5", "Tomás Nuñez", ["infusion_nurse"], expires=None)
    found = check(
        clinic(
            session("X-1", "12-01 09:00", team=[(ANA, "psychiatrist"), (unknown, "infusion_nurse")])
        )
    )
    assert codes(found) == ["credential-expired"]


def test_credential_expiring_on_or_after_the_session_day_is_valid() -> None:
    for last_day in (date(2026, 12, 1), date(2026, 12, 2)):
        nurse = staff("S5", "Tomás Nuñez", ["infusion_nurse"], expires=last_day)
        found = check(
            clinic(
                session(
                    "X-1", "12-01 09:00", team=[(ANA, "psychiatrist"), (nurse, "infusion_nurse")]
                )
            )
        )
        assert found == [], last_day


def test_session_running_past_the_end_of_staff_hours() -> None:
    early = staff("S5", "Bea Okafor", ["infusion_nurse"], weekly=hours(start="08:00", end="12:00"))
    found = check(
        clinic(
            session("X-1", "12-01 10:30", team=[(ANA, "psychiatrist"), (early, "infusion_nurse")])
        )
    )
    assert codes(found) == ["staff-unavailable"]
    assert found[0].staff == "S5"
    assert "10:30–12:30" in found[0].message and "08:00–12:00" in found[0].message


def test_session_ending_exactly_at_end_of_staff_hours_is_fine() -> None:
    early = staff("S5", "Bea Okafor", ["infusion_nurse"], weekly=hours(start="08:00", end="12:00"))
    found = check(
        clinic(
            session("X-1", "12-01 10:00", team=[(ANA, "psychiatrist"), (early, "infusion_nurse")])
        )
    )
    assert found == []


def test_chair_time_must_fit_inside_one_range_not_two_adjacent_pieces() -> None:
    split = staff(
        "S5",
        "Bea Okafor",
        ["infusion_nurse"],
        weekly=hours(start="08:00", end="10:00") + hours(start="10:30", end="18:00"),
    )
    team = [(ANA, "psychiatrist"), (split, "infusion_nurse")]
    assert codes(check(clinic(session("X-1", "12-01 09:00", team=team)))) == ["staff-unavailable"]
    assert check(clinic(session("X-2", "12-01 10:30", team=team))) == []


def test_staff_with_no_hours_that_weekday_is_unavailable() -> None:
    weekend = staff("S5", "Bea Okafor", ["infusion_nurse"], weekly=hours(days=[5, 6]))
    found = check(
        clinic(
            session("X-1", "12-01 09:00", team=[(ANA, "psychiatrist"), (weekend, "infusion_nurse")])
        )
    )
    assert codes(found) == ["staff-unavailable"]
    assert "Tuesdays" in found[0].message


def test_staff_on_leave_that_day() -> None:
    away = staff(
        "S5", "Bea Okafor", ["infusion_nurse"], leave=[(date(2026, 11, 30), date(2026, 12, 4))]
    )
    found = check(
        clinic(
            session("X-1", "12-01 09:00", team=[(ANA, "psychiatrist"), (away, "infusion_nurse")])
        )
    )
    assert codes(found) == ["staff-on-leave"]
    assert found[0].staff == "S5"


def test_leave_dates_are_inclusive_at_both_ends() -> None:
    for first, last in (
        (date(2026, 12, 1), date(2026, 12, 3)),
        (date(2026, 11, 28), date(2026, 12, 1)),
    ):
        away = staff("S5", "Bea Okafor", ["infusion_nurse"], leave=[(first, last)])
        found = check(
            clinic(
                session(
                    "X-1", "12-01 09:00", team=[(ANA, "psychiatrist"), (away, "infusion_nurse")]
                )
            )
        )
        assert codes(found) == ["staff-on-leave"], (first, last)


def test_leave_ending_the_day_before_or_starting_the_day_after_is_fine() -> None:
    for first, last in (
        (date(2026, 11, 20), date(2026, 11, 30)),
        (date(2026, 12, 2), date(2026, 12, 9)),
    ):
        away = staff("S5", "Bea Okafor", ["infusion_nurse"], leave=[(first, last)])
        found = check(
            clinic(
                session(
                    "X-1", "12-01 09:00", team=[(ANA, "psychiatrist"), (away, "infusion_nurse")]
                )
            )
        )
        assert found == [], (first, last)


def test_problems_of_several_staff_are_reported_per_person() -> None:
    lapsed_psych = staff("S6", "Dr Raj Patel", ["psychiatrist"], expires=date(2026, 1, 1))
    lapsed_nurse = staff("S5", "Bea Okafor", ["infusion_nurse"], expires=date(2026, 1, 1))
    found = check(
        clinic(
            session(
                "X-1",
                "12-01 09:00",
                team=[(lapsed_psych, "psychiatrist"), (lapsed_nurse, "infusion_nurse")],
            )
        )
    )
    assert sorted(v.staff or "" for v in of(found, "credential-expired")) == ["S5", "S6"]


def test_cancelled_and_no_show_sessions_are_not_checked() -> None:
    for status in ("cancelled", "no_show"):
        assert check(clinic(session("X-1", "12-01 09:00", team=[], status=status))) == []


def test_done_and_confirmed_sessions_are_checked() -> None:
    for status in ("done", "confirmed"):
        found = check(
            clinic(session("X-1", "12-01 09:00", team=[(TOM, "infusion_nurse")], status=status))
        )
        assert codes(found) == ["missing-psychiatrist"], status


def test_bea_unused_in_a_session_does_not_matter() -> None:
    # Staff known to the clinic but not assigned never produce violations.
    away = staff("S5", "Bea Okafor", ["infusion_nurse"], expires=None)
    assert check(clinic(session("X-1", "12-01 09:00"), staff_list=[ANA, TOM, BEA, away])) == []


def test_back_to_back_ranges_of_a_day_count_as_one() -> None:
    """A shift recorded as 08:00–10:00 and 10:00–18:00 covers a session 09:00–11:00."""
    split = staff(
        "S5",
        "Bea Okafor",
        ["infusion_nurse"],
        weekly=hours(start="08:00", end="10:00") + hours(start="10:00", end="18:00"),
    )
    team = [(ANA, "psychiatrist"), (split, "infusion_nurse")]
    assert check(clinic(session("X-1", "12-01 09:00", team=team))) == []
    late = check(clinic(session("X-2", "12-01 16:30", team=team)))
    assert codes(late) == ["outside-opening-hours", "staff-unavailable", "staff-unavailable"]
