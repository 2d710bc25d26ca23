"""Course views (n of N, consent, status) and the audit query."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from planner.db.engine import Database
from planner.services.audit import list_audit
from planner.services.base import ConcurrentEdit, ValidationFailed
from planner.services.courses import get_course, list_courses, set_consent_date, set_course_status
from tests.factories import base_document, load_into


def _three_sessions() -> dict:  # type: ignore[type-arg]
    doc = base_document()
    doc["courses"][0]["consent_date"] = None
    first = doc["sessions"][0]
    doc["sessions"] = [
        first,
        {**first, "ref": "X-2", "start": "2026-12-03T09:00", "status": "cancelled"},
        {**first, "ref": "X-3", "start": "2026-12-04T09:00"},
    ]
    return doc


def test_course_view_numbers_active_sessions(db: Database) -> None:
    load_into(db, _three_sessions())
    view = get_course(db, "C-0001")
    assert [(s.session.ref, s.number) for s in view.sessions] == [
        ("X-1", 1),
        ("X-2", 0),
        ("X-3", 2),
    ]
    assert view.scheduled == 2 and view.course.planned_infusions == 6
    assert view.sessions[0].staff_labels() == (
        "Dr Ana Silva (Psychiatrist)",
        "Tomás Nuñez (Infusion nurse)",
    )
    assert view.next_session(datetime(2026, 12, 2)).session.ref == "X-3"  # type: ignore[union-attr]
    assert [v.course.ref for v in list_courses(db, patient_ref="P-0001")] == ["C-0001"]


def test_consent_date_and_status_are_audited(sqlite_db: Database) -> None:
    load_into(sqlite_db, _three_sessions())
    view = get_course(sqlite_db, "C-0001")
    with pytest.raises(ValidationFailed):
        set_consent_date(sqlite_db, "C-0001", date(2026, 12, 5), today=date(2026, 11, 30))
    set_consent_date(
        sqlite_db,
        "C-0001",
        date(2026, 11, 30),
        expected_version=view.version,
        today=date(2026, 11, 30),
    )
    with pytest.raises(ConcurrentEdit):
        set_course_status(sqlite_db, "C-0001", "on_hold", expected_version=view.version)
    set_course_status(sqlite_db, "C-0001", "on_hold")
    assert get_course(sqlite_db, "C-0001").course.status == "on_hold"
    assert list_courses(sqlite_db, statuses=("active",)) == []
    events = list_audit(sqlite_db, patient_ref="P-0001")
    assert [e.action for e in events][:2] == ["status", "consent"]
    assert events[0].summary == "C-0001 active → on_hold"


def test_audit_filters_by_patient_record_and_text(sqlite_db: Database) -> None:
    load_into(sqlite_db, base_document())
    set_course_status(sqlite_db, "C-0001", "completed")
    assert len(list_audit(sqlite_db)) == 2  # the load, the status change
    assert [e.ref for e in list_audit(sqlite_db, ref="c-0001")] == ["C-0001"]
    assert list_audit(sqlite_db, patient_ref="P-9999") == []
    assert [e.action for e in list_audit(sqlite_db, text="loaded clinic")] == ["load"]
    assert list_audit(sqlite_db, since=date(2000, 1, 1), until=date(2000, 1, 2)) == []
