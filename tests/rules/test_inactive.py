"""A session whose staff member or chair is no longer in use is reported (an error)."""

from __future__ import annotations

from dataclasses import replace

from planner.domain.policy import Policy
from planner.rules import check
from planner.rules.violation import CODES
from tests.rules.builders import ANA, CH1, TOM, clinic, codes, of, session


def test_a_deactivated_staff_member_on_a_session_is_an_error() -> None:
    gone = replace(ANA, active=False)
    found = check(
        clinic(
            session("X-1", "12-01 09:00", team=((gone, "psychiatrist"), (TOM, "infusion_nurse")))
        ),
        Policy(),
    )
    assert codes(found) == ["staff-inactive"]
    (v,) = of(found, "staff-inactive")
    assert v.is_error and v.staff == "S1" and "Dr Ana Silva has been deactivated" in v.message


def test_a_chair_no_longer_in_use_is_an_error() -> None:
    retired = replace(CH1, active=False)
    found = check(clinic(session("X-1", "12-01 09:00", chair=retired)), Policy())
    assert codes(found) == ["chair-inactive"]
    (v,) = of(found, "chair-inactive")
    assert v.is_error and v.chair == "CH-1" and "Chair 1 is no longer in use" in v.message


def test_history_stays_as_it_was() -> None:
    """A session that took place is not a problem because its nurse left since."""
    gone = replace(TOM, active=False)
    done = session(
        "X-1",
        "11-02 09:00",
        status="done",
        team=((ANA, "psychiatrist"), (gone, "infusion_nurse")),
        chair=replace(CH1, active=False),
    )
    assert codes(check(clinic(done), Policy())) == []


def test_the_codes_are_errors_in_the_legend() -> None:
    assert CODES["staff-inactive"][0] == "error"
    assert CODES["chair-inactive"][0] == "error"
