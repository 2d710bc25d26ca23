"""Patients: per-field validation, unique record numbers, archive instead of delete."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from planner.db.engine import Database
from planner.services import patients as svc
from planner.services.base import ConcurrentEdit, ValidationFailed
from planner.services.clinic_io import dump_document
from tests.factories import base_document, load_into, new_patient

TODAY = date(2026, 11, 29)


@pytest.fixture
def clinic(db: Database) -> Database:
    load_into(db, base_document())
    return db


def test_bad_fields_are_each_named_and_nothing_saved(clinic: Database) -> None:
    before = dump_document(clinic)
    bad = new_patient("  ", date(2030, 1, 1), record_number="MRN-1001", weight_kg=7.0)
    with pytest.raises(ValidationFailed) as caught:
        svc.create_patient(clinic, bad, today=TODAY)
    assert set(caught.value.fields) == {"name", "date_of_birth", "record_number", "weight_kg"}
    assert "future" in caught.value.fields["date_of_birth"]
    assert "P-0001" in caught.value.fields["record_number"]
    assert "between 20 and 350" in caught.value.fields["weight_kg"]
    assert dump_document(clinic) == before


def test_create_list_update_archive(clinic: Database) -> None:
    ref = svc.create_patient(
        clinic,
        new_patient(
            "Алексей Смирнов",
            date(1979, 5, 6),
            weight_kg=82.5,
            flags=("psychosis_history",),
            escort_name="Ольга",
        ),
        today=TODAY,
    )
    rows = svc.list_patients(clinic, "смирнов", now=datetime(2026, 11, 1))
    assert [r.patient.ref for r in rows] == [ref]
    assert rows[0].patient.record_number == f"MRN-{ref}"
    assert rows[0].patient.flags == ("psychosis_history",)
    assert rows[0].patient.escort.name == "Ольга"
    zoe = svc.list_patients(clinic, "MRN-1001", now=datetime(2026, 11, 1))[0]
    assert (zoe.active_course_ref, zoe.next_session_ref) == ("C-0001", "X-1")
    shown = rows[0]
    version = svc.update_patient(
        clinic,
        replace(shown.patient, weight_kg=80.0),
        expected_version=shown.version,
        today=TODAY,
    )
    assert version == shown.version + 1
    with pytest.raises(ConcurrentEdit):
        svc.update_patient(
            clinic, replace(shown.patient, name="X"), expected_version=shown.version, today=TODAY
        )
    svc.archive_patient(clinic, ref)
    assert [r.patient.ref for r in svc.list_patients(clinic, "смирнов")] == []
    archived = svc.list_patients(clinic, "смирнов", include_archived=True)
    assert archived[0].patient.archived and archived[0].patient.weight_kg == 80


def test_a_record_number_is_kept_unique_on_update(clinic: Database) -> None:
    ref = svc.create_patient(clinic, new_patient("Second", date(1990, 1, 1)), today=TODAY)
    shown = svc.get_patient(clinic, ref)
    with pytest.raises(ValidationFailed) as caught:
        svc.update_patient(
            clinic,
            replace(shown.patient, record_number="MRN-1001"),
            expected_version=shown.version,
            today=TODAY,
        )
    assert caught.value.fields == {"record_number": "record number already used by patient P-0001"}


def test_sex_phone_weighing_day_and_allergies_survive_an_edit_and_an_archive(
    clinic: Database,
) -> None:
    ref = svc.create_patient(
        clinic,
        new_patient(
            "Olga Petrenko",
            date(1979, 3, 14),
            sex="female",
            phone="+380 44 123 4567",
            weight_kg=64.0,
            weight_measured=date(2026, 11, 2),
            allergies=("Penicillin",),
        ),
        today=TODAY,
    )
    row = svc.get_patient(clinic, ref)
    svc.update_patient(
        clinic, replace(row.patient, notes="prefers the window chair"), expected_version=row.version
    )
    svc.set_archived(clinic, ref, True)
    kept = svc.get_patient(clinic, ref).patient
    assert (kept.sex, kept.phone, kept.weight_kg) == ("female", "+380 44 123 4567", 64.0)
    assert (kept.weight_measured, kept.allergies) == (date(2026, 11, 2), ("Penicillin",))
    assert kept.notes == "prefers the window chair" and kept.archived
    svc.update_patient(clinic, replace(kept, allergies=()), expected_version=None)
    assert svc.get_patient(clinic, ref).patient.allergies == ()  # none known, not "not recorded"


def test_a_weighing_day_needs_its_weight(clinic: Database) -> None:
    with pytest.raises(ValidationFailed) as caught:
        svc.create_patient(
            clinic, new_patient("Ada", date(1980, 1, 1), weight_measured=date(2026, 11, 2)), today=TODAY
        )
    assert caught.value.fields == {"weight_measured": "a date needs the weight that was measured"}
