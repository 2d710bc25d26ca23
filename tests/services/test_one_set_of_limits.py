"""One set of limits: a clinic document, the services and the CSV import refuse the same values,
with the same words (the dialogs' ranges are checked in tests/gui/test_dialog_limits.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, time
from typing import Any

import pytest

from planner.db.engine import Database
from planner.domain.records import Chair, Escort, Patient, Protocol, StaffMember, WeeklyHours
from planner.interchange.validate import DocumentError, parse_document
from planner.services import chairs, patients, protocols, staff
from planner.services.base import ValidationFailed
from planner.services.patient_import import preview_patient_csv
from tests.factories import base_document, load_into

TODAY = date(2026, 11, 29)
FUTURE = date(date.today().year + 2, 1, 1)  # after the clock the document loader reads

# (case, record field, document key → value, record value, CSV column → cell or None)
PATIENT_CASES: list[tuple[str, str, dict[str, Any], dict[str, Any], dict[str, str] | None]] = [
    ("weight 1e-300", "weight_kg", {"weight_kg": 1e-300}, {"weight_kg": 1e-300}, {"weight": "1e-300"}),
    ("weight 10.0", "weight_kg", {"weight_kg": 10.0}, {"weight_kg": 10.0}, {"weight": "10.0"}),
    ("weight 351", "weight_kg", {"weight_kg": 351}, {"weight_kg": 351.0}, {"weight": "351"}),
    (
        "born in the future",
        "date_of_birth",
        {"date_of_birth": FUTURE.isoformat()},
        {"date_of_birth": FUTURE},
        {"dob": FUTURE.isoformat()},
    ),
    (
        "born before 1900",
        "date_of_birth",
        {"date_of_birth": "1899-12-31"},
        {"date_of_birth": date(1899, 12, 31)},
        {"dob": "1899-12-31"},
    ),
    ("name of 201 letters", "name", {"name": "x" * 201}, {"name": "x" * 201}, {"name": "x" * 201}),
    # A CSV file cannot carry a NUL: it is dropped when the file is read.
    ("NUL in a name", "name", {"name": "Zoë\x00Ł"}, {"name": "Zoë\x00Ł"}, None),
    (
        "record number of 81",
        "record_number",
        {"record_number": "M" * 81},
        {"record_number": "M" * 81},
        {"mrn": "M" * 81},
    ),
    (
        "control character in the notes",
        "notes",
        {"notes": "bell\x07"},
        {"notes": "bell\x07"},
        {"notes": "bell\x07"},
    ),
    ("phone of 81", "phone", {"phone": "9" * 81}, {"phone": "9" * 81}, {"phone": "9" * 81}),
    (
        "weighed in the future",
        "weight_measured",
        {"weight_kg": 60, "weight_measured": FUTURE.isoformat()},
        {"weight_kg": 60.0, "weight_measured": FUTURE},
        {"weight measured": FUTURE.isoformat()},
    ),
    (
        "an allergy of 121 letters",
        "allergies",
        {"allergies": ["x" * 121]},
        {"allergies": ("x" * 121,)},
        {"allergies": "x" * 121},
    ),
    (
        "the same allergy twice",
        "allergies",
        {"allergies": ["Latex", "Latex"]},
        {"allergies": ("Latex", "Latex")},
        {"allergies": "Latex;Latex"},
    ),
    (
        "escort phone of 81",
        "escort",
        {"escort": {"name": "", "phone": "9" * 81}},
        {"escort": Escort(phone="9" * 81)},
        {"escort phone": "9" * 81},
    ),
]

GOOD_ROW = {
    "name": "Ada Lovelace",
    "dob": "1980-12-10",
    "mrn": "MRN-9",
    "weight": "60",
    "notes": "",
    "escort phone": "",
}


def _document_problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(DocumentError) as caught:
        parse_document(json.dumps(doc))
    return caught.value.problems


def _service_problem(action: Any) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        action()
    return caught.value.fields


@pytest.mark.parametrize(
    ("field", "in_document", "in_record", "in_csv"),
    [pytest.param(*case[1:], id=case[0]) for case in PATIENT_CASES],
)
def test_a_patient_value_is_refused_by_the_document_the_service_and_the_csv_import(
    sqlite_db: Database,
    field: str,
    in_document: dict[str, Any],
    in_record: dict[str, Any],
    in_csv: dict[str, str] | None,
) -> None:
    load_into(sqlite_db, base_document())
    record = Patient(ref="", name="Ada Lovelace", date_of_birth=date(1980, 12, 10), record_number="")
    found = _service_problem(
        lambda: patients.create_patient(sqlite_db, replace(record, **in_record), today=TODAY)
    )
    assert set(found) == {field}
    message = found[field]

    doc = base_document()
    doc["patients"][0].update(in_document)
    problems = _document_problems(doc)
    assert len(problems) == 1 and problems[0].startswith(f"patients[0].{field}")
    assert problems[0].endswith(message)

    if in_csv is not None:
        row = GOOD_ROW | in_csv
        text = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
        preview = preview_patient_csv(sqlite_db, text, dayfirst=True, today=TODAY)
        assert [p.line for p in preview.problems] == [2] and not preview.rows
        assert preview.problems[0].message == f"{field.replace('_', ' ')}: {message}"


PROTOCOL_CASES = [
    ("dose 0.005 mg/kg", "dose_mg_per_kg", 0.005),
    ("dose 21 mg/kg", "dose_mg_per_kg", 21.0),
    ("no infusions", "infusions", 0),
    ("201 infusions", "infusions", 201),
    ("an infusion of no minutes", "infusion_minutes", 0),
    ("negative recovery", "recovery_minutes", -1),
    ("a year of hours apart", "min_hours_between", 24 * 366.0),
    ("NUL in a name", "name", "Ketamine\x00"),
]


@pytest.mark.parametrize(
    ("field", "value"), [pytest.param(*case[1:], id=case[0]) for case in PROTOCOL_CASES]
)
def test_a_protocol_value_is_refused_by_the_document_and_the_service(
    sqlite_db: Database, field: str, value: Any
) -> None:
    found = _service_problem(
        lambda: protocols.create_protocol(
            sqlite_db, Protocol(ref="", **{"name": "Ketamine", field: value})
        )
    )
    assert set(found) == {field}
    doc = base_document()
    doc["protocols"][0][field] = value
    problems = _document_problems(doc)
    assert problems[0] == f"protocols[0].{field}: {found[field]}"


def _overlapping() -> tuple[WeeklyHours, ...]:
    return (
        WeeklyHours(weekday=0, start=time(8), end=time(12)),
        WeeklyHours(weekday=0, start=time(11), end=time(14)),
    )


OTHER_CASES: list[tuple[str, str, str, dict[str, Any], Any]] = [
    ("chair without a name", "chairs", "name", {"name": ""}, Chair(ref="", name="")),
    ("chair room of 201", "chairs", "room", {"room": "r" * 201}, Chair(ref="", name="C", room="r" * 201)),
    ("staff without a role", "staff", "roles", {"roles": []}, StaffMember(ref="", name="S", roles=())),
    (
        "staff hours that overlap",
        "staff",
        "hours",
        {
            "hours": [
                {"weekday": "MO", "start": "08:00", "end": "12:00"},
                {"weekday": "MO", "start": "11:00", "end": "14:00"},
            ]
        },
        StaffMember(ref="", name="S", roles=("psychiatrist",), hours=_overlapping()),
    ),
]


@pytest.mark.parametrize(
    ("section", "field", "in_document", "record"),
    [pytest.param(*case[1:], id=case[0]) for case in OTHER_CASES],
)
def test_chair_and_staff_values_are_refused_by_the_document_and_the_service(
    sqlite_db: Database, section: str, field: str, in_document: dict[str, Any], record: Any
) -> None:
    create = chairs.create_chair if section == "chairs" else staff.create_staff
    found = _service_problem(lambda: create(sqlite_db, record))
    assert set(found) == {field}
    doc = base_document()
    doc[section][0].update(in_document)
    problems = _document_problems(doc)
    assert problems[0] == f"{section}[0].{field}: {found[field]}"
