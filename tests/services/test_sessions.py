"""Booking and editing sessions: the guard, optimistic locking, the audit trail."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from planner.db.engine import Database
from planner.db.models import AuditEvent
from planner.services import sessions as svc
from planner.services.base import ConcurrentEdit, NotFound, ServiceError, ValidationFailed
from planner.services.clinic_io import dump_document
from tests.factories import base_document, load_into

STAFFED = (("S1", "psychiatrist"), ("S2", "infusion_nurse"))


@pytest.fixture
def clinic(db: Database) -> Database:
    load_into(db, base_document())
    return db


def _draft(start: datetime, chair: str = "CH-2", **kw: object) -> svc.SessionDraft:
    return svc.SessionDraft(course_ref="C-0001", chair_ref=chair, start=start, **kw)  # type: ignore[arg-type]


def test_create_records_session_and_audit(clinic: Database) -> None:
    ref = svc.create_session(clinic, _draft(datetime(2026, 12, 3, 9, 0), assignments=STAFFED))
    row = svc.get_session(clinic, ref)
    assert row.start == datetime(2026, 12, 3, 9, 0)
    assert row.end == datetime(2026, 12, 3, 11, 0)  # 20 + 40 + 60 minutes
    assert sorted((a.staff.ref, a.role) for a in row.assignments) == sorted(STAFFED)
    with clinic.begin() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.ref == ref)).one()
    assert event.action == "create" and event.user == "tester" and event.patient_ref == "P-0001"
    assert event.after is not None and event.after["chair"] == "CH-2"


def test_chair_double_booking_is_refused(clinic: Database) -> None:
    before = dump_document(clinic)
    with pytest.raises(svc.BookingConflict, match="Chair 1 is taken"):
        svc.create_session(
            clinic,
            svc.SessionDraft(
                course_ref="C-0001", chair_ref="CH-1", start=datetime(2026, 12, 1, 10, 0)
            ),
        )
    assert dump_document(clinic) == before


def test_touching_sessions_do_not_conflict(clinic: Database) -> None:
    # X-1 runs 09:00–11:00 on CH-1; one starting at 11:00 on the same chair is fine.
    ref = svc.create_session(clinic, _draft(datetime(2026, 12, 1, 11, 0), chair="CH-1"))
    assert svc.get_session(clinic, ref).chair.ref == "CH-1"


def test_patient_cannot_be_in_two_chairs(clinic: Database) -> None:
    with pytest.raises(svc.BookingConflict, match="already has session X-1"):
        svc.create_session(clinic, _draft(datetime(2026, 12, 1, 10, 30)))


def test_staff_limit_is_enforced_but_reaching_it_is_fine(clinic: Database) -> None:
    doc = base_document()
    doc["policy"] = {"concurrent_limit": {"infusion_nurse": 1}}
    second = dict(doc["patients"][0], ref="P-0002", record_number="MRN-2", name="Second Patient")
    doc["patients"].append(second)
    doc["courses"].append(dict(doc["courses"][0], ref="C-0002", patient="P-0002"))
    load_into_replace(clinic, doc)
    nurse = (("S2", "infusion_nurse"),)
    overlapping = svc.SessionDraft(
        "C-0002", "CH-2", datetime(2026, 12, 1, 10, 0), assignments=nurse
    )
    with pytest.raises(svc.BookingConflict, match="Tomás Nuñez would be with 2 patients"):
        svc.create_session(clinic, overlapping)
    # right after X-1 ends (11:00) the nurse is free again: limit reached, not exceeded
    svc.create_session(
        clinic, svc.SessionDraft("C-0002", "CH-2", datetime(2026, 12, 1, 11, 0), assignments=nurse)
    )


def load_into_replace(db: Database, doc: dict[str, object]) -> None:
    from planner.interchange.validate import parse_document
    from planner.services.clinic_io import document_to_json, load_document

    load_document(db, parse_document(document_to_json(doc)), replace=True)  # type: ignore[arg-type]


def test_move_and_stale_version(clinic: Database) -> None:
    original = svc.get_session(clinic, "X-1")
    version = svc.move_session(
        clinic,
        "X-1",
        start=datetime(2026, 12, 2, 13, 0),
        chair_ref="CH-2",
        expected_version=original.version,
    )
    assert version == original.version + 1
    moved = svc.get_session(clinic, "X-1")
    assert (moved.start, moved.chair.ref) == (datetime(2026, 12, 2, 13, 0), "CH-2")
    with pytest.raises(ConcurrentEdit, match="reload"):
        svc.move_session(
            clinic,
            "X-1",
            start=datetime(2026, 12, 2, 14, 0),
            chair_ref="CH-2",
            expected_version=original.version,
        )
    assert svc.get_session(clinic, "X-1").start == datetime(2026, 12, 2, 13, 0)


def test_assignment_change_bumps_version_and_is_audited(clinic: Database) -> None:
    v0 = svc.get_session(clinic, "X-1").version
    v1 = svc.set_assignments(clinic, "X-1", [("S1", "psychiatrist")])
    assert v1 == v0 + 1
    assert [a.role for a in svc.get_session(clinic, "X-1").assignments] == ["psychiatrist"]
    with clinic.begin() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.ref == "X-1").order_by(AuditEvent.id.desc())
        ).first()
    assert event is not None and event.before is not None and event.after is not None
    assert len(event.before["assignments"]) == 2 and len(event.after["assignments"]) == 1


def test_cancelled_session_frees_the_chair(clinic: Database) -> None:
    svc.set_status(clinic, "X-1", "cancelled")
    ref = svc.create_session(
        clinic,
        svc.SessionDraft(course_ref="C-0001", chair_ref="CH-1", start=datetime(2026, 12, 1, 9, 0)),
    )
    # un-cancelling X-1 now would double-book CH-1
    with pytest.raises(svc.BookingConflict):
        svc.set_status(clinic, "X-1", "planned")
    assert svc.get_session(clinic, ref).status == "planned"


def test_bad_input_is_named(clinic: Database) -> None:
    with pytest.raises(ValidationFailed) as caught:
        svc.create_session(clinic, _draft(datetime(2026, 12, 3, 9), status="finished"))
    assert "status" in caught.value.fields
    with pytest.raises(NotFound, match='no staff member with ref "S9"'):
        svc.create_session(
            clinic, _draft(datetime(2026, 12, 3, 9), assignments=(("S9", "psychiatrist"),))
        )
    with pytest.raises(NotFound, match='no course with ref "C-9"'):
        svc.create_session(clinic, svc.SessionDraft("C-9", "CH-1", datetime(2026, 12, 3, 9)))


def test_done_session_is_never_deleted(clinic: Database) -> None:
    svc.set_status(clinic, "X-1", "done")
    with pytest.raises(ServiceError, match="cannot be deleted"):
        svc.delete_session(clinic, "X-1")
    ref = svc.create_session(clinic, _draft(datetime(2026, 12, 3, 9, 0)))
    svc.delete_session(clinic, ref)
    with pytest.raises(NotFound):
        svc.get_session(clinic, ref)
