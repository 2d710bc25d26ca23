"""Small clinic documents for tests: a valid base that each test changes as it needs."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from planner.db.engine import Database
from planner.domain.records import Escort, Patient, StaffMember
from planner.domain.vocabulary import Role
from planner.interchange.validate import parse_document
from planner.services.clinic_io import document_to_json, load_document

BASE_DOCUMENT: dict[str, Any] = {
    "format": "infusion-planner/1",
    "clinic": {
        "name": "Lakeside Infusion Clinic",
        "address": "12 Harbour Road, Springfield",
        "phone": "+1 555 0100",
        "opening_hours": [
            {"weekday": d, "open": "08:00", "close": "18:00"}
            for d in ("MO", "TU", "WE", "TH", "FR")
        ],
        "closures": ["2026-12-25"],
    },
    "policy": {},
    "protocols": [
        {
            "ref": "KET-DEP",
            "name": "Ketamine — depression induction",
            "infusions": 6,
            "prep_minutes": 20,
            "infusion_minutes": 40,
            "recovery_minutes": 60,
            "min_hours_between": 48,
            "max_per_7_days": 3,
            "max_gap_days": 7,
            "dose_mg_per_kg": 0.5,
        }
    ],
    "chairs": [
        {"ref": "CH-1", "name": "Chair 1", "room": "Room A"},
        {"ref": "CH-2", "name": "Chair 2", "room": "Room A"},
    ],
    "staff": [
        {
            "ref": "S1",
            "name": "Dr Ana Silva",
            "roles": ["psychiatrist"],
            "credential_expires": "2027-06-30",
            "hours": [
                {"weekday": d, "start": "08:00", "end": "18:00"}
                for d in ("MO", "TU", "WE", "TH", "FR")
            ],
            "leave": [],
        },
        {
            "ref": "S2",
            "name": "Tomás Nuñez",
            "roles": ["infusion_nurse"],
            "credential_expires": "2027-03-31",
            "hours": [
                {"weekday": d, "start": "08:00", "end": "18:00"}
                for d in ("MO", "TU", "WE", "TH", "FR")
            ],
            "leave": [],
        },
    ],
    "patients": [
        {
            "ref": "P-0001",
            "name": "Zoë Łukasiewicz",
            "date_of_birth": "1985-04-12",
            "record_number": "MRN-1001",
            "weight_kg": 70,
            "flags": [],
            "escort": {"name": "Marek Łukasiewicz", "phone": "+1 555 0111"},
            "notes": "",
        }
    ],
    "courses": [
        {
            "ref": "C-0001",
            "patient": "P-0001",
            "protocol": "KET-DEP",
            "planned_infusions": 6,
            "consent_date": "2026-11-30",
            "status": "active",
        }
    ],
    "sessions": [
        {
            "ref": "X-1",
            "course": "C-0001",
            "chair": "CH-1",
            "start": "2026-12-01T09:00",
            "status": "planned",
            "assignments": [
                {"staff": "S1", "role": "psychiatrist"},
                {"staff": "S2", "role": "infusion_nurse"},
            ],
        }
    ],
}


def base_document() -> dict[str, Any]:
    """A deep copy of a small valid clinic: one session on Tue 2026-12-01 09:00, fully staffed."""
    return copy.deepcopy(BASE_DOCUMENT)


def load_into(db: Database, doc: dict[str, Any], *, today: date | None = None) -> None:
    """Load ``doc`` (checked as of ``today``: a demo built for a later day is not "future")."""
    load_document(db, parse_document(document_to_json(doc), today=today))


def new_patient(name: str, date_of_birth: date, **fields: Any) -> Patient:
    """A patient as the dialog or an import hands it over (the ref is chosen on saving)."""
    escort = Escort(name=fields.pop("escort_name", ""), phone=fields.pop("escort_phone", ""))
    fields.setdefault("record_number", "")
    return Patient(ref=fields.pop("ref", ""), name=name, date_of_birth=date_of_birth, escort=escort, **fields)


def new_staff(name: str, roles: tuple[Role, ...], **fields: Any) -> StaffMember:
    """A staff member as the dialog hands it over (the ref is chosen on saving)."""
    return StaffMember(ref=fields.pop("ref", ""), name=name, roles=roles, **fields)
