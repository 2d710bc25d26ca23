"""Checking what is stored: snapshot reading, date ranges with their context, clinic policy."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from planner.db.engine import Database
from planner.services.base import NotFound, ValidationFailed
from planner.services.checking import check_range, check_sessions, load_clinic_data, run_check
from tests.factories import base_document, load_into


def _session(ref: str, start: str, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "ref": ref,
        "course": "C-0001",
        "chair": "CH-1",
        "start": start,
        "status": "planned",
        "assignments": [
            {"staff": "S1", "role": "psychiatrist"},
            {"staff": "S2", "role": "infusion_nurse"},
        ],
    }
    item.update(extra)
    return item


def test_valid_clinic_has_no_violations(db: Database) -> None:
    load_into(db, base_document())
    assert check_range(db) == []


def test_unstaffed_session_is_found_only_inside_the_range(db: Database) -> None:
    doc = base_document()
    doc["sessions"][0]["assignments"] = [{"staff": "S1", "role": "psychiatrist"}]
    load_into(db, doc)
    found = check_range(db, date(2026, 12, 1), date(2026, 12, 1))
    assert [(v.session, v.code) for v in found] == [("X-1", "missing-monitoring-clinician")]
    assert check_range(db, date(2026, 12, 2), None) == []
    assert check_range(db, None, date(2026, 11, 30)) == []


def test_range_is_checked_against_sessions_just_outside_it(db: Database) -> None:
    doc = base_document()
    doc["courses"][0]["planned_infusions"] = 1
    doc["sessions"].append(_session("X-2", "2026-12-02T09:00", chair="CH-2"))
    load_into(db, doc)
    found = check_range(db, date(2026, 12, 2), date(2026, 12, 2))
    assert {v.session for v in found} == {"X-2"}
    assert sorted(v.code for v in found) == ["course-over-planned", "spacing-too-short"]
    spacing = next(v for v in found if v.code == "spacing-too-short")
    assert spacing.related == ("X-1",)


def test_clinic_policy_limits_apply(db: Database) -> None:
    doc = base_document()
    doc["policy"] = {"concurrent_limit": {"infusion_nurse": 1}}
    doc["patients"].append(
        {
            "ref": "P-0002",
            "name": "Jan Kowalski",
            "date_of_birth": "1970-01-01",
            "record_number": "MRN-1002",
            "escort": {"name": "Ewa Kowalska", "phone": "+48 600 000 000"},
        }
    )
    doc["courses"].append(
        {
            "ref": "C-0002",
            "patient": "P-0002",
            "protocol": "KET-DEP",
            "planned_infusions": 6,
            "consent_date": "2026-11-30",
        }
    )
    doc["sessions"].append(_session("X-2", "2026-12-01T10:00", chair="CH-2", course="C-0002"))
    load_into(db, doc)
    found = check_range(db)
    assert sorted((v.session, v.code, v.staff) for v in found) == [
        ("X-1", "staff-overbooked", "S2"),
        ("X-2", "staff-overbooked", "S2"),
    ]


def test_check_sessions_reports_only_those_sessions(db: Database) -> None:
    doc = base_document()
    doc["sessions"].append(_session("X-2", "2026-12-01T10:00", chair="CH-2"))
    load_into(db, doc)
    with db.begin() as session:
        found = check_sessions(session, ["X-2"])
        assert {v.session for v in found} == {"X-2"}
        assert "patient-double-booked" in {v.code for v in found}
        with pytest.raises(NotFound, match="X-99"):
            check_sessions(session, ["X-2", "X-99"])


def test_snapshot_is_usable_after_the_transaction(db: Database) -> None:
    doc = base_document()
    doc["patients"][0]["flags"] = ["pregnancy"]
    load_into(db, doc)
    with db.begin() as session:
        data = load_clinic_data(session, date(2026, 12, 1), date(2026, 12, 31))
    (s,) = data.sessions
    assert s.course.patient.name == "Zoë Łukasiewicz"
    assert s.course.patient.flags == ("pregnancy",)
    assert [a.staff.name for a in s.assignments] == ["Dr Ana Silva", "Tomás Nuñez"]
    assert s.end.hour == 11
    assert data.focus == frozenset({"X-1"})
    assert list(data.closures) == [date(2026, 12, 25)]
    assert {h.weekday for h in data.opening_hours} == {0, 1, 2, 3, 4}


def test_closure_and_cancelled_sessions_from_the_database(db: Database) -> None:
    doc = base_document()
    doc["courses"][0]["planned_infusions"] = 2
    doc["sessions"].append(_session("X-2", "2026-12-04T09:00", chair="CH-2"))
    doc["clinic"]["closures"] = ["2026-12-04"]
    doc["sessions"].append(_session("X-3", "2026-12-01T09:30", chair="CH-1", status="cancelled"))
    load_into(db, doc)
    report = run_check(db)
    assert [(v.session, v.code) for v in report.violations] == [("X-2", "clinic-closed")]
    assert report.checked == 2
    assert set(report.sessions) == {"X-1", "X-2", "X-3"}


def test_range_ending_before_it_starts_is_refused(db: Database) -> None:
    load_into(db, base_document())
    with pytest.raises(ValidationFailed):
        run_check(db, date(2026, 12, 2), date(2026, 12, 1))


def test_a_very_long_session_just_before_the_range_is_context(db: Database) -> None:
    """The format allows up to 3 x 24 h of chair time: a session starting more than two
    days before the range can still hold the chair when the range begins."""
    doc = base_document()
    doc["patients"].append(
        {
            "ref": "P-0002",
            "name": "Jan Kowalski",
            "date_of_birth": "1970-01-01",
            "record_number": "MRN-1002",
        }
    )
    doc["courses"].append({"ref": "C-0002", "patient": "P-0002", "protocol": "KET-DEP"})
    doc["sessions"].append(
        _session(
            "X-0",
            "2026-11-28T10:00",
            course="C-0002",
            prep_minutes=1440,
            infusion_minutes=1440,
            recovery_minutes=1440,
        )
    )
    load_into(db, doc)
    found = check_range(db, date(2026, 12, 1), date(2026, 12, 1))
    chair = [v for v in found if v.code == "chair-double-booked"]
    assert [(v.session, v.related) for v in chair] == [("X-1", ("X-0",))]
