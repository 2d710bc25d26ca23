"""load/dump of the infusion-planner/1 document on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from planner.db.engine import Database
from planner.interchange.validate import DocumentError, parse_document
from planner.services.clinic_io import (
    DatabaseNotEmpty,
    document_to_json,
    dump_document,
    load_document,
)
from planner.services.demo import build_demo_document
from tests.factories import base_document, load_into


def _parse(doc: dict[str, Any]) -> Any:
    return parse_document(json.dumps(doc))


def test_round_trip_is_identical(db: Database) -> None:
    doc = build_demo_document(seed=3, weeks=3, today=date(2026, 12, 2))
    load_into(db, doc)
    first = document_to_json(dump_document(db))
    assert json.loads(first)["sessions"] == sorted(doc["sessions"], key=lambda s: s["ref"])
    assert len(json.loads(first)["patients"]) == len(doc["patients"])
    # dump → load into a fresh database → dump is byte-identical
    load_document(db, parse_document(first), replace=True)
    assert document_to_json(dump_document(db)) == first


def test_base_document_dumps_as_written(db: Database) -> None:
    doc = base_document()
    load_into(db, doc)
    dumped = dump_document(db)
    assert dumped["staff"][0]["name"] == "Dr Ana Silva"
    assert dumped["patients"][0]["name"] == "Zoë Łukasiewicz"
    assert dumped["sessions"] == doc["sessions"]
    assert dumped["protocols"] == doc["protocols"]


def test_optional_keys_take_defaults(db: Database) -> None:
    doc = {
        "format": "infusion-planner/1",
        "protocols": [{"ref": "K", "name": "Ketamine"}],
        "chairs": [{"ref": "C1", "name": "Chair 1"}],
        "patients": [
            {"ref": "P1", "name": "A B", "date_of_birth": "1980-01-01", "record_number": "1"}
        ],
        "courses": [{"ref": "CO1", "patient": "P1", "protocol": "K"}],
        "sessions": [{"ref": "X1", "course": "CO1", "chair": "C1", "start": "2026-12-01T09:00"}],
    }
    load_document(db, _parse(doc))
    dumped = dump_document(db)
    assert dumped["protocols"][0]["infusions"] == 6
    assert dumped["protocols"][0]["recovery_minutes"] == 60
    assert dumped["courses"][0]["planned_infusions"] == 6
    assert dumped["courses"][0]["status"] == "active"
    assert dumped["sessions"][0]["status"] == "planned"
    assert [h["weekday"] for h in dumped["clinic"]["opening_hours"]] == [
        "MO",
        "TU",
        "WE",
        "TH",
        "FR",
    ]


def test_non_empty_database_is_refused_without_replace(db: Database) -> None:
    load_into(db, base_document())
    before = dump_document(db)
    other = base_document()
    other["clinic"]["name"] = "Other clinic"
    with pytest.raises(DatabaseNotEmpty, match="--replace"):
        load_document(db, _parse(other))
    assert dump_document(db) == before
    load_document(db, _parse(other), replace=True)
    assert dump_document(db)["clinic"]["name"] == "Other clinic"


BAD_DOCUMENTS = [
    (
        lambda d: d["sessions"][0]["assignments"][0].update(staff="S9"),
        'sessions[0].assignments[0].staff: no staff member with ref "S9"',
    ),
    (
        lambda d: d["sessions"][0].update(course="C-404"),
        'sessions[0].course: no course with ref "C-404"',
    ),
    (
        lambda d: d["sessions"][0].update(chair="CH-9"),
        'sessions[0].chair: no chair with ref "CH-9"',
    ),
    (
        lambda d: d["courses"][0].update(patient="P-9"),
        'courses[0].patient: no patient with ref "P-9"',
    ),
    (
        lambda d: d["courses"][0].update(protocol="X"),
        'courses[0].protocol: no protocol with ref "X"',
    ),
    (
        lambda d: d["patients"].append(dict(d["patients"][0])),
        'patients[1].ref: duplicate patient ref "P-0001"',
    ),
    (lambda d: d["sessions"][0].update(start="2026-12-01T25:00"), "sessions[0].start"),
    (lambda d: d["patients"][0].update(date_of_birth="1985-02-30"), "patients[0].date_of_birth"),
    (lambda d: d["staff"][0].update(roles=["surgeon"]), "staff[0].roles[0]"),
    (lambda d: d["sessions"][0].update(status="finished"), "sessions[0].status"),
    (
        lambda d: d["sessions"][0]["assignments"][0].update(role="doctor"),
        "sessions[0].assignments[0].role",
    ),
    (
        lambda d: d["staff"][0]["hours"][0].update(start="19:00"),
        "staff[0].hours[0]: end must be after start",
    ),
    (lambda d: d["patients"][0].update(flags=["pregnant"]), "patients[0].flags[0]"),
    (lambda d: d.update(format="infusion-planner/2"), 'format: expected "infusion-planner/1"'),
    (
        lambda d: d["patients"][0].update(colour="red"),
        "patients[0].colour: Extra inputs are not permitted",
    ),
    (
        lambda d: d.update(policy={"concurrent_limits": 3}),
        "policy: unknown policy setting(s): concurrent_limits",
    ),
    (lambda d: d["sessions"][0].update(start="2026-12-01T09:00+02:00"), "leave out the time zone"),
    (lambda d: d["clinic"].update(logo="x" * 1001), "clinic.logo"),
    (
        lambda d: d.update(policy={"concurrent_limit": {"surgeon": 3}}),
        'policy.concurrent_limit.surgeon: unknown role "surgeon"',
    ),
    (
        lambda d: d["sessions"][0].update(start="2026-12-01T09:00:30"),
        "sessions[0].start: times are to the minute",
    ),
    (
        lambda d: d["clinic"]["opening_hours"][0].update(close="18:00:01"),
        "clinic.opening_hours[0].close: times are to the minute",
    ),
    (
        lambda d: d["staff"][0]["hours"][0].update(start="08:00:00.5"),
        "staff[0].hours[0].start: times are to the minute",
    ),
]


@pytest.mark.parametrize(("spoil", "message"), BAD_DOCUMENTS)
def test_bad_document_names_the_path_and_changes_nothing(
    db: Database, spoil: Any, message: str
) -> None:
    load_into(db, base_document())
    before = dump_document(db)
    doc = base_document()
    spoil(doc)
    with pytest.raises(DocumentError) as caught:
        load_document(db, _parse(doc), replace=True)
    assert message in str(caught.value)
    assert dump_document(db) == before


def test_not_json_at_all() -> None:
    with pytest.raises(DocumentError, match="not valid JSON"):
        parse_document("{ this is not json")
    with pytest.raises(DocumentError, match="expected a JSON object"):
        parse_document("[1, 2]")


def test_whole_minutes_with_zero_seconds_are_accepted(db: Database) -> None:
    doc = base_document()
    doc["sessions"][0]["start"] = "2026-12-01T09:00:00"
    doc["staff"][0]["hours"][0]["start"] = "08:00:00"
    load_into(db, doc)
    dumped = dump_document(db)
    assert dumped["sessions"][0]["start"] == "2026-12-01T09:00"
    assert dumped["staff"][0]["hours"][0]["start"] == "08:00"


def test_byte_order_mark_and_empty_documents() -> None:
    text = json.dumps(base_document())
    assert parse_document(b"\xef\xbb\xbf" + text.encode("utf-8")).sessions[0].ref == "X-1"
    assert parse_document("\ufeff" + text).sessions[0].ref == "X-1"
    with pytest.raises(DocumentError, match="the document is empty"):
        parse_document(b"  \n")


def test_settings_saved_before_any_data_are_replaced_not_doubled(db: Database) -> None:
    """A database with only clinic settings (name, hours, closures) still counts as empty;
    loading a document there gives exactly the document's settings."""
    settings_only = {
        "format": "infusion-planner/1",
        "clinic": {"name": "Draft", "closures": ["2026-12-25"]},
    }
    load_document(db, _parse(settings_only))
    doc = base_document()
    load_document(db, _parse(doc))
    dumped = dump_document(db)
    assert dumped["clinic"] == doc["clinic"]
    assert document_to_json(dumped) == document_to_json(doc)


def test_a_document_dumps_in_its_own_order(db: Database) -> None:
    """Refs that sort differently as text (X-2, X-10) and a nurse listed before the
    psychiatrist: load then dump gives the document back unchanged."""
    doc = base_document()
    doc["chairs"] = [{"ref": f"CH-{n}", "name": f"Chair {n}", "room": "Room A"} for n in (2, 10, 1)]
    first = doc["sessions"][0]
    first["assignments"].reverse()
    doc["sessions"] = [
        dict(first, ref=f"X-{n}", chair=f"CH-{n}", start=f"2026-12-{n:02d}T09:00")
        for n in (2, 10, 1)
    ]
    load_into(db, doc)
    assert document_to_json(dump_document(db)) == document_to_json(doc)


@pytest.mark.parametrize(
    "today",
    [date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 24), date(2026, 12, 31)],
    ids=["friday", "saturday", "christmas-eve", "new-years-eve"],
)
def test_demo_has_its_deliberate_problems_whatever_the_day(db: Database, today: date) -> None:
    """Late in the week and in holiday weeks too: the rules have errors to find ahead."""
    from planner.services.checking import check_range

    load_into(db, build_demo_document(seed=1, weeks=4, today=today), today=today)
    ahead = {v.code for v in check_range(db, today, None) if v.is_error}
    assert ahead == {"missing-monitoring-clinician", "staff-on-leave"}


def test_patient_details_and_protocol_indication_round_trip(db: Database) -> None:
    """Allergies keep "not recorded" (absent), "none known" ([]) and a list apart; sex, phone,
    the weighing date and a protocol's indication survive load and dump as written."""
    doc = base_document()
    doc["protocols"].append(dict(doc["protocols"][0], ref="KET-PAIN", name="Pain", indication="pain"))
    first = {
        "ref": "P-0001",
        "name": "Zoë Łukasiewicz",
        "date_of_birth": "1985-04-12",
        "record_number": "MRN-1001",
        "sex": "female",
        "phone": "+1 555 0123",
        "weight_kg": 70,
        "weight_measured": "2026-11-20",
        "allergies": ["Penicillin"],
        "flags": [],
        "escort": {"name": "Marek Łukasiewicz", "phone": "+1 555 0111"},
        "notes": "",
    }
    doc["patients"][0] = first
    doc["patients"] += [
        dict(first, ref="P-0002", record_number="MRN-2", allergies=[]),
        {k: v for k, v in first.items() if k not in ("sex", "phone", "weight_measured", "allergies")}
        | {"ref": "P-0003", "record_number": "MRN-3"},
    ]
    text = document_to_json(doc)
    load_document(db, parse_document(text))
    dumped = dump_document(db)
    assert dumped["patients"] == doc["patients"]
    assert dumped["protocols"] == doc["protocols"]
    assert "allergies" not in dumped["patients"][2]  # not recorded stays unwritten
    assert document_to_json(dumped) == text


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda d: d["patients"][0].update(sex="f"), "patients[0].sex"),
        (lambda d: d["patients"][0].update(allergies=["Latex", "Latex"]), "listed twice"),
        (lambda d: d["patients"][0].update(allergies=[" "]), "patients[0].allergies[0]"),
        (lambda d: d["patients"][0].update(weight_measured="2999-01-01"), "weight_measured"),
        (
            lambda d: d["patients"][0].update(weight_kg=None, weight_measured="2026-11-20"),
            "a date needs the weight",
        ),
        (lambda d: d["protocols"][0].update(indication="anxiety"), "protocols[0].indication"),
    ],
)
def test_patient_details_are_checked(spoil: Any, message: str) -> None:
    doc = base_document()
    spoil(doc)
    with pytest.raises(DocumentError, match=message.replace("[", r"\[").replace("]", r"\]")):
        _parse(doc)
