"""Clinic settings: details, opening hours and policy saved as one, against one version."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from planner.db.engine import Database
from planner.domain.policy import Policy
from planner.domain.records import Clinic, OpeningHours
from planner.services import clinic as cs
from planner.services.audit import list_audit
from planner.services.base import ConcurrentEdit, ValidationFailed
from tests.factories import base_document, load_into


def _hours(*ranges: tuple[int, int, int]) -> list[OpeningHours]:
    return [OpeningHours(weekday=d, open=time(a), close=time(b)) for d, a, b in ranges]


def test_fresh_database_is_set_up_from_nothing(db: Database) -> None:
    shown = cs.get_clinic_settings(db)
    assert shown.version == 0 and shown.clinic.name == ""
    version = cs.save_clinic_settings(
        db,
        details=Clinic(name="Harbour Infusions", address="1 Quay St", phone="555"),
        opening_hours=_hours((0, 8, 12), (0, 13, 18)),
        expected_version=0,
    )
    saved = cs.get_clinic_settings(db)
    assert saved.version == version > 0
    clinic = saved.clinic
    assert (clinic.name, clinic.address, clinic.phone) == ("Harbour Infusions", "1 Quay St", "555")
    assert clinic.opening_hours == tuple(_hours((0, 8, 12), (0, 13, 18)))
    cs.add_closure(db, date(2026, 12, 25), "Christmas")
    assert cs.list_closures(db) == [cs.ClosureDay(date(2026, 12, 25), "Christmas")]
    assert cs.get_clinic(db).closures == (date(2026, 12, 25),)


def test_a_stale_version_is_refused_and_nothing_saved(sqlite_db: Database) -> None:
    cs.save_clinic_settings(sqlite_db, details=Clinic(name="A"), expected_version=0)
    shown = cs.get_clinic_settings(sqlite_db)
    cs.save_clinic_settings(sqlite_db, details=Clinic(name="B"), expected_version=shown.version)
    with pytest.raises(ConcurrentEdit):
        cs.save_clinic_settings(sqlite_db, details=Clinic(name="C"), expected_version=shown.version)
    assert cs.get_clinic(sqlite_db).name == "B"


def test_opening_hours_must_make_sense(sqlite_db: Database) -> None:
    with pytest.raises(ValidationFailed, match="Friday") as caught:
        cs.save_clinic_settings(sqlite_db, opening_hours=_hours((4, 18, 8)))
    assert set(caught.value.fields) == {"opening_hours"}
    with pytest.raises(ValidationFailed, match="overlap"):
        cs.save_clinic_settings(sqlite_db, opening_hours=_hours((1, 8, 12), (1, 11, 13)))
    assert cs.get_clinic_settings(sqlite_db).version == 0  # nothing was written


def test_closure_twice_outside_the_calendar_and_removal(sqlite_db: Database) -> None:
    cs.add_closure(sqlite_db, date(2027, 1, 1))
    with pytest.raises(ValidationFailed):
        cs.add_closure(sqlite_db, date(2027, 1, 1))
    with pytest.raises(ValidationFailed, match="2099-12-31"):
        cs.add_closure(sqlite_db, date(2150, 1, 1))
    cs.remove_closure(sqlite_db, date(2027, 1, 1))
    assert cs.list_closures(sqlite_db) == []


def test_policy_stores_only_overrides(sqlite_db: Database) -> None:
    policy = replace(
        Policy(),
        alert_hr_above=130,
        concurrent_limit={"psychiatrist": 1, "anesthesiologist": 2, "infusion_nurse": 2},
        paper_size="Letter",
    )
    cs.save_clinic_settings(sqlite_db, policy=policy)
    stored = cs.get_policy(sqlite_db)
    assert stored.alert_hr_above == 130 and stored.limit_for("psychiatrist") == 1
    assert stored.overrides() == {
        "alert_hr_above": 130,
        "concurrent_limit": {"psychiatrist": 1, "anesthesiologist": 2, "infusion_nurse": 2},
        "paper_size": "Letter",
    }
    with pytest.raises(ValidationFailed) as caught:
        cs.save_clinic_settings(sqlite_db, policy=replace(Policy(), paper_size="A5"))  # type: ignore[arg-type]
    assert set(caught.value.fields) == {"paper_size"}
    with pytest.raises(ValidationFailed) as caught:
        cs.save_clinic_settings(sqlite_db, policy=Policy(alert_hr_below=110, alert_hr_above=100))
    assert "below the high one" in caught.value.fields["alert_hr_below"]


def test_a_refused_policy_saves_nothing_and_the_next_save_works(db: Database) -> None:
    """The bug of three transactions: the details were saved, the policy refused, and the
    next Save was taken for another workstation's change."""
    load_into(db, base_document())
    shown = cs.get_clinic_settings(db)
    renamed = replace(shown.clinic, name="Lakeside Infusions")
    with pytest.raises(ValidationFailed):
        cs.save_clinic_settings(
            db,
            details=renamed,
            policy=replace(shown.policy, alert_hr_below=130),
            expected_version=shown.version,
        )
    assert cs.get_clinic_settings(db) == shown  # neither part was saved
    version = cs.save_clinic_settings(
        db,
        details=renamed,
        policy=replace(shown.policy, alert_hr_below=60),
        expected_version=shown.version,
    )
    saved = cs.get_clinic_settings(db)
    assert saved.version == version
    assert (saved.clinic.name, saved.policy.alert_hr_below) == ("Lakeside Infusions", 60)


@pytest.mark.parametrize("part", ["opening_hours", "policy"])
def test_a_second_workstations_change_is_refused_naming_who_and_when(
    db: Database, part: str
) -> None:
    load_into(db, base_document())
    mine = cs.get_clinic_settings(db)
    theirs = cs.get_clinic_settings(db)  # the other workstation read the same version
    changes = {
        "opening_hours": {"opening_hours": _hours((0, 9, 17))},
        "policy": {"policy": replace(theirs.policy, alert_spo2_below=90)},
    }[part]
    cs.save_clinic_settings(db, **changes, expected_version=theirs.version, user="reception-2")  # type: ignore[arg-type]
    with pytest.raises(ConcurrentEdit) as caught:
        cs.save_clinic_settings(
            db,
            **changes,  # type: ignore[arg-type]
            expected_version=mine.version,
            user="reception-1",
        )
    message = str(caught.value)
    assert "changed by reception-2 at" in message and "reload" in message
    assert caught.value.changed_by == "reception-2"
    assert [e.user for e in list_audit(db) if e.entity == part] == ["reception-2"]
