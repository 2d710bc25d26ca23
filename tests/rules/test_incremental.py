"""The incremental checker: what-if moves, candidates and keeping the index current."""

from __future__ import annotations

import dataclasses

import pytest

from planner.domain.records import Session
from planner.rules import IncrementalChecker, UnknownRef, check
from tests.rules.builders import ANA, BEA, C2, CH2, RAJ, TOM, at, clinic, codes, session


def _two_patients() -> list[Session]:
    return [
        session("X-1", "12-01 09:00"),
        session(
            "X-2", "12-01 11:00", course=C2, team=[(RAJ, "psychiatrist"), (BEA, "infusion_nurse")]
        ),
    ]


def test_what_if_moving_into_an_occupied_chair() -> None:
    checker = IncrementalChecker(clinic(*_two_patients()))
    assert checker.violations("X-2") == []
    found = checker.what_if("X-2", start=at("12-01 10:00"))
    assert codes(found) == ["chair-double-booked"]
    assert found[0].related == ("X-1",)
    # Nothing changed by asking.
    assert checker.violations("X-2") == []
    assert checker.what_if("X-2", start=at("12-01 10:00"), chair="CH-2") == []


def test_what_if_restaffing() -> None:
    checker = IncrementalChecker(clinic(*_two_patients()))
    found = checker.what_if("X-2", assignments=[("S1", "psychiatrist")])
    assert codes(found) == ["missing-monitoring-clinician"]
    both = checker.what_if("X-2", assignments=[(ANA, "psychiatrist"), ("S2", "infusion_nurse")])
    assert both == []


def test_unknown_refs_are_refused_clearly() -> None:
    checker = IncrementalChecker(clinic(*_two_patients()))
    with pytest.raises(UnknownRef, match="X-9"):
        checker.what_if("X-9", start=at("12-01 10:00"))
    with pytest.raises(UnknownRef, match="CH-9"):
        checker.what_if("X-1", chair="CH-9")
    with pytest.raises(UnknownRef, match="S-9"):
        checker.what_if("X-1", assignments=[("S-9", "psychiatrist")])
    assert checker.violations("X-9") == []


def test_update_moves_a_session_and_names_who_is_affected() -> None:
    sessions = _two_patients()
    checker = IncrementalChecker(clinic(*sessions))
    moved = dataclasses.replace(sessions[1], start=at("12-01 10:00"))
    touched = checker.update(moved)
    assert {"X-1", "X-2"} <= touched
    assert codes(checker.violations("X-1")) == ["chair-double-booked"]
    assert checker.check_all() == check(clinic(sessions[0], moved))


def test_cancelling_through_update_clears_the_conflict() -> None:
    a, b = _two_patients()
    b = dataclasses.replace(b, start=at("12-01 10:00"))
    checker = IncrementalChecker(clinic(a, b))
    assert codes(checker.violations("X-1")) == ["chair-double-booked"]
    touched = checker.update(dataclasses.replace(b, status="cancelled"))
    assert "X-1" in touched
    assert "X-2" not in checker
    assert checker.violations("X-1") == []


def test_remove_and_add_back() -> None:
    a, b = _two_patients()
    b = dataclasses.replace(b, start=at("12-01 10:00"))
    checker = IncrementalChecker(clinic(a, b))
    assert checker.remove("X-2") == {"X-1", "X-2"}
    assert checker.violations("X-1") == []
    assert checker.remove("X-2") == set()
    checker.update(b)
    assert codes(checker.violations("X-2")) == ["chair-double-booked"]


def test_candidate_session_not_yet_saved() -> None:
    checker = IncrementalChecker(clinic(*_two_patients()))
    new = session(
        "(new)", "12-01 09:30", chair=CH2, team=[(ANA, "psychiatrist"), (TOM, "infusion_nurse")]
    )
    found = checker.check_candidate(new)
    assert codes(found) == ["patient-double-booked", "spacing-too-short"]
    assert all(v.session == "(new)" for v in found)


def test_affected_lists_neighbours() -> None:
    checker = IncrementalChecker(clinic(*_two_patients()))
    assert checker.affected("X-1") == {"X-1"}
    checker.update(session("X-3", "12-03 09:00"))  # same patient as X-1
    assert checker.affected("X-1") == {"X-1", "X-3"}
