"""The audit trail records every change (who, when, what, before/after) and only grows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from planner.db.engine import Database
from planner.db.models import AuditEvent
from planner.domain.records import Chair
from planner.services import chairs, courses, patients, sessions
from planner.services.backup import backup_database, restore_database
from planner.services.base import AuditTrailIsAppendOnly, ServiceError, unit_of_work
from planner.services.clinic_io import dump_document
from planner.services.patient_import import import_patients, preview_patient_csv
from planner.services.sessions import SessionDraft
from tests.factories import base_document, load_into, new_patient

TODAY = date(2026, 11, 29)


def _trail(db: Database) -> list[tuple[Any, ...]]:
    with db.begin() as session:
        return [
            (e.at, e.user, e.action, e.entity, e.ref, e.patient_ref, e.summary, e.before, e.after)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def _actions(db: Database, tmp_path: Path) -> list[tuple[str, Callable[[], object]]]:
    added = new_patient(
        "Ines Ferreira", date(1990, 5, 6), record_number="MRN-2002",
        weight_kg=61.0, escort_name="Rui", escort_phone="+1 555 0123",
    )
    draft = SessionDraft(
        course_ref="C-0001", chair_ref="CH-2", start=datetime(2026, 12, 3, 9, 0),
        assignments=(("S1", "psychiatrist"),),
    )
    backup_file = tmp_path / "audit-backup.sqlite3"

    def edit_patient() -> object:
        row = patients.get_patient(db, "P-0002")
        return patients.update_patient(
            db, replace(row.patient, weight_kg=63.5), expected_version=row.version, today=TODAY
        )

    def import_two() -> object:
        text = "name,dob,mrn\nAl One,1970-01-02,IMP-1\nBea Two,02/03/1981,IMP-2\n"
        return import_patients(db, preview_patient_csv(db, text, dayfirst=True, today=TODAY))

    return [
        ("create patient", lambda: patients.create_patient(db, added, today=TODAY)),
        ("edit patient", edit_patient),
        ("archive patient", lambda: patients.archive_patient(db, "P-0002")),
        ("book session", lambda: sessions.create_session(db, draft)),
        ("move session", lambda: sessions.move_session(
            db, "X-00002", start=datetime(2026, 12, 3, 11, 0), chair_ref="CH-1")),
        ("restaff session", lambda: sessions.set_assignments(
            db, "X-00002", [("S1", "psychiatrist"), ("S2", "infusion_nurse")])),
        ("confirm session", lambda: sessions.set_status(db, "X-00002", "confirmed")),
        ("delete session", lambda: sessions.delete_session(db, "X-00002")),
        ("course on hold", lambda: courses.set_course_status(db, "C-0001", "on_hold")),
        ("consent date", lambda: courses.set_consent_date(
            db, "C-0001", date(2026, 11, 28), today=TODAY)),
        ("add chair", lambda: chairs.create_chair(db, Chair(ref="", name="Recliner 3"))),
        ("import patients", import_two),
        ("backup", lambda: backup_database(db, backup_file)),
        ("restore", lambda: restore_database(db, backup_file)),
    ]


def test_every_change_is_recorded_with_who_when_what_and_before_after(
    db: Database, tmp_path: Path
) -> None:
    load_into(db, base_document())
    started = datetime.now() - timedelta(minutes=1)
    for label, action in _actions(db, tmp_path):
        trail_before, content_before = _trail(db), dump_document(db)
        action()
        trail_after, content_after = _trail(db), dump_document(db)
        # Append-only: what was there is still there, unchanged and in order.
        assert trail_after[: len(trail_before)] == trail_before, label
        new = trail_after[len(trail_before):]
        if content_after != content_before or label == "restore":
            assert new, f"{label}: a change left no audit event"
        for at, user, action_name, entity, ref, _patient, summary, before, after in new:
            assert user == "tester", label
            assert started <= at <= datetime.now() + timedelta(minutes=1), label
            assert action_name and entity and summary, label
            if action_name in ("update", "status", "consent", "archive"):
                assert before is not None and after is not None and before != after, label
            if action_name == "create":
                assert after is not None and ref, label
            if action_name == "delete":
                assert before is not None, label


def test_audit_events_cannot_be_changed_or_deleted_through_the_app(sqlite_db: Database) -> None:
    load_into(sqlite_db, base_document())
    trail = _trail(sqlite_db)
    assert trail
    with pytest.raises(ServiceError), unit_of_work(sqlite_db) as session:
        event = session.scalars(select(AuditEvent)).first()
        assert event is not None
        event.summary = "nothing happened here"
    with pytest.raises(AuditTrailIsAppendOnly), unit_of_work(sqlite_db) as session:
        session.delete(session.scalars(select(AuditEvent)).first())
    with pytest.raises(AuditTrailIsAppendOnly), unit_of_work(sqlite_db) as session:
        session.execute(delete(AuditEvent))
    with pytest.raises(AuditTrailIsAppendOnly), unit_of_work(sqlite_db) as session:
        session.execute(update(AuditEvent).values(user="someone else"))
    assert _trail(sqlite_db) == trail


def test_replacing_the_whole_clinic_keeps_the_audit_trail(sqlite_db: Database) -> None:
    from planner.interchange.validate import parse_document
    from planner.services.clinic_io import document_to_json, load_document

    load_into(sqlite_db, base_document())
    trail = _trail(sqlite_db)
    doc = base_document()
    doc["clinic"]["name"] = "Renamed clinic"
    load_document(sqlite_db, parse_document(document_to_json(doc)), replace=True)
    after = _trail(sqlite_db)
    assert after[: len(trail)] == trail
    assert after[-1][2] == "replace"
