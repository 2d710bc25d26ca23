"""A small clinic with a ketamine log and session records, for the ledger's tests."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import Any

from planner.db.engine import Database
from planner.domain.chart import Medication, SessionRecord, Vitals, Waste
from planner.domain.inventory import DrugLot
from planner.domain.records import StaffMember
from planner.services import accounts, inventory, session_records
from tests.factories import base_document, load_into

#: Sessions X-1 … X-6 on Tuesday 2026-12-01 … Friday 2026-12-04 and the next Monday/Tuesday.
DAYS = ("2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08")

LOT = {
    "ref": "LOT-0001",
    "drug": "ketamine",
    "lot_number": "KX-2291",
    "concentration_mg_per_ml": 50,
    "ml_per_vial": 10,
    "vials": 2,
    "received": "2026-11-02",
    "expires": "2027-05-31",
    "supplier": "Pharma Supply Ltd",
    "invoice": "INV-7781",
    "received_by": "S1",
    "witness": "S2",
}


def clinic_document(*, sessions: int = 6) -> dict[str, Any]:
    """The base clinic with a third staff member (a nurse) and ``sessions`` sessions."""
    doc = base_document()
    doc["courses"][0]["planned_infusions"] = 6
    doc["staff"].append(
        {
            "ref": "S3",
            "name": "Grace Okafor",
            "roles": ["infusion_nurse"],
            "credential_expires": "2027-09-30",
            "hours": [
                {"weekday": d, "start": "08:00", "end": "18:00"}
                for d in ("MO", "TU", "WE", "TH", "FR")
            ],
            "leave": [],
        }
    )
    template = doc["sessions"][0]
    doc["sessions"] = [
        copy.deepcopy(template) | {"ref": f"X-{i + 1}", "start": f"{day}T09:00"}
        for i, day in enumerate(DAYS[:sessions])
    ]
    return doc


def recorded_document() -> dict[str, Any]:
    """The clinic with one lot, a count and a signed record of X-1 (a valid document)."""
    doc = clinic_document()
    doc["inventory"] = {
        "lots": [dict(LOT)],
        "counts": [
            {
                "date": "2026-12-01",
                "lot": "LOT-0001",
                "mg": 950,
                "by": "S1",
                "witness": "S2",
                "note": "",
            }
        ],
    }
    doc["sessions"][0]["status"] = "done"
    doc["sessions"][0]["record"] = {
        "checked_in_at": "2026-12-01T08:52",
        "checks": {
            "escort_present": True,
            "escort_name": "Marek Łukasiewicz",
            "fasting_confirmed": True,
            "no_substances": True,
            "consent_verified": True,
            "weight_kg": 70,
            "pregnancy": "not_applicable",
            "allergies_confirmed": True,
        },
        "vitals": [
            {
                "time": "2026-12-01T09:20",
                "systolic": 128,
                "diastolic": 82,
                "heart_rate": 76,
                "spo2": 98,
                "respiratory_rate": 14,
                "moaas": 5,
                "note": "",
            },
            {
                "time": "2026-12-01T09:40",
                "systolic": 186,
                "diastolic": 98,
                "heart_rate": 92,
                "spo2": 97,
                "respiratory_rate": 16,
                "moaas": 3,
                "note": "Dr Silva informed; rate slowed",
            },
        ],
        "medications": [
            {
                "drug": "ketamine",
                "lot": "LOT-0001",
                "mg": 35,
                "route": "IV",
                "start": "2026-12-01T09:20",
                "end": "2026-12-01T10:00",
                "by": "S2",
            },
            {
                "drug": "ondansetron",
                "lot": None,
                "mg": 4,
                "route": "IV",
                "start": "2026-12-01T09:45",
                "end": None,
                "by": "S2",
            },
        ],
        "waste": [
            {"lot": "LOT-0001", "mg": 15, "time": "2026-12-01T10:02", "by": "S2", "witness": "S3"}
        ],
        "adverse_events": [
            {
                "time": "2026-12-01T09:44",
                "description": "Nausea",
                "serious": False,
                "action": "Ondansetron 4 mg IV",
            }
        ],
        "discharge": {
            "dissociation_resolved": True,
            "oriented": True,
            "steady_gait": True,
            "tolerating_fluids": True,
            "nausea_controlled": True,
            "vitals_within_limits": True,
            "escort_present": True,
            "instructions_given": True,
            "aldrete": 10,
            "at": "2026-12-01T11:05",
            "by": "S2",
        },
        "signed_by": "S1",
        "signed_at": "2026-12-01T11:10",
        "amendments": [],
    }
    return doc


def load_clinic(db: Database, doc: dict[str, Any] | None = None) -> None:
    load_into(db, doc if doc is not None else clinic_document())


def staff(db: Database) -> dict[str, StaffMember]:
    view = session_records.open_record(db, "X-1")
    return {s.ref: s for s in view.staff}


def receive(
    db: Database,
    *,
    vials: int = 2,
    received: date = date(2026, 11, 2),
    expires: date = date(2027, 5, 31),
    by: str = "S1",
    witness: str | None = "S2",
    seals: tuple[accounts.WitnessSeal, ...] = (),
) -> str:
    people = staff(db)
    return inventory.receive_lot(
        db,
        DrugLot(
            ref="",
            drug="ketamine",
            lot_number="KX-2291",
            concentration_mg_per_ml=50.0,
            ml_per_vial=10.0,
            vials=vials,
            received=received,
            expires=expires,
            supplier="Pharma Supply Ltd",
            invoice="INV-7781",
            received_by=people[by],
            witness=people[witness] if witness else None,
        ),
        seals=seals,
    )


def lot(db: Database, ref: str = "LOT-0001") -> DrugLot:
    return next(line.lot for line in inventory.list_lots(db) if line.lot.ref == ref)


def dose_record(
    db: Database,
    *,
    session: str = "X-1",
    lot_ref: str = "LOT-0001",
    given: float = 35.0,
    wasted: float | None = 15.0,
    by: str = "S2",
    witness: str | None = "S1",
    when: datetime | None = None,
) -> SessionRecord:
    """A draft record: a vitals row, ketamine from the lot, and the remainder wasted."""
    people = staff(db)
    view = session_records.open_record(db, session)
    start = when or view.session.start.replace(minute=20)
    drawn = lot(db, lot_ref)
    return SessionRecord(
        checked_in_at=view.session.start,
        vitals=(Vitals(time=start, systolic=124, diastolic=80, heart_rate=72, spo2=98),),
        medications=(Medication(drug="ketamine", lot=drawn, mg=given, start=start, by=people[by]),),
        waste=()
        if wasted is None
        else (
            Waste(
                lot=drawn,
                mg=wasted,
                time=start + timedelta(minutes=40),
                by=people[by],
                witness=people[witness] if witness else None,
            ),
        ),
    )
