"""Patients: per-field validation, unique record numbers, archive instead of delete."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from planner.db.engine import Database
from planner.services import patients as svc
from planner.services.base import ConcurrentEdit, ValidationFailed
from planner.services.clinic_io import dump_document
from tests.factories import base_document, load_into

TODAY = date(2026, 11, 29)


@pytest.fixture
def clinic(db: Database) -> Database:
    load_into(db, base_document())
    return db


def test_bad_fields_are_each_named_and_nothing_saved(clinic: Database) -> None:
    before = dump_document(clinic)
    bad = svc.PatientInput(
        name="  ", date_of_birth=date(2030, 1, 1), record_number="MRN-1001", weight_kg=7
    )
    with pytest.raises(ValidationFailed) as caught:
        svc.create_patient(clinic, bad, today=TODAY)
    assert set(caught.value.fields) == {"name", "date_of_birth", "record_number", "weight_kg"}
    assert "future" in caught.value.fields["date_of_birth"]
    assert "P-0001" in caught.value.fields["record_number"]
    assert dump_document(clinic) == before


def test_create_list_update_archive(clinic: Database) -> None:
    ref = svc.create_patient(
        clinic,
        svc.PatientInput(
            name="Алексей Смирнов",
            date_of_birth=date(1979, 5, 6),
            weight_kg=82.5,
            flags=("psychosis_history",),
            escort_name="Ольга",
        ),
        today=TODAY,
    )
    rows = svc.list_patients(clinic, "смирнов", now=datetime(2026, 11, 1))
    assert [r.ref for r in rows] == [ref]
    assert rows[0].record_number == f"MRN-{ref}" and rows[0].flags == ("psychosis_history",)
    zoe = svc.list_patients(clinic, "MRN-1001", now=datetime(2026, 11, 1))[0]
    assert (zoe.active_course_ref, zoe.next_session_ref) == ("C-0001", "X-1")
    version = svc.update_patient(
        clinic,
        ref,
        svc.PatientInput(name="Алексей Смирнов", date_of_birth=date(1979, 5, 6), weight_kg=80),
        expected_version=rows[0].version,
        today=TODAY,
    )
    assert version == rows[0].version + 1
    with pytest.raises(ConcurrentEdit):
        svc.update_patient(
            clinic,
            ref,
            svc.PatientInput(name="X", date_of_birth=date(1979, 5, 6)),
            expected_version=rows[0].version,
            today=TODAY,
        )
    svc.archive_patient(clinic, ref)
    assert [r.ref for r in svc.list_patients(clinic, "смирнов")] == []
    archived = svc.list_patients(clinic, "смирнов", include_archived=True)
    assert archived[0].archived and archived[0].weight_kg == 80
