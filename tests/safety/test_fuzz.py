"""Property-based tests: malformed documents, CSV files and field values never crash.

Every input ends either in success or in a clear error (``DocumentError``,
``ServiceError``, or the CLI's ``error: ...`` with exit code 2) — never a
traceback — and a refused input leaves the database exactly as it was (the
``dump`` and the audit trail compared before and after). One SQLite database
is reused per test function; only refused inputs are compared, so a valid
change may stay. ``PLANNER_FUZZ_SCALE`` multiplies the number of examples.
"""

from __future__ import annotations

import copy
import json
import math
import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli import run
from planner.db.engine import Database, open_database
from planner.db.models import Base
from planner.db.models import Patient as PatientRowModel
from planner.domain import PATIENT_FLAGS, ROLES, SESSION_STATUSES
from planner.domain.records import Escort, Patient
from planner.interchange.validate import DocumentError, parse_document
from planner.services import patients, sessions
from planner.services.base import ServiceError
from planner.services.clinic_io import dump_document, load_document
from planner.services.patient_import import import_patients, preview_patient_csv
from planner.services.sessions import SessionDraft
from tests.databases import migrated_sqlite
from tests.factories import base_document, load_into

SCALE = float(os.environ.get("PLANNER_FUZZ_SCALE", "1"))
TODAY = date(2026, 11, 29)
#: Examples run, per test (read back by the report).
COUNTS: dict[str, int] = {}


def _examples(n: int) -> Any:
    return settings(
        max_examples=max(1, int(n * SCALE)),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def _count(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


def _state(db: Database) -> tuple[tuple[Any, ...], ...]:
    """Every row of every table, in order: the database exactly (cheaper than a dump)."""
    with db.engine.connect() as connection:
        return tuple(
            tuple(connection.execute(table.select().order_by(*table.primary_key.columns)).all())
            for table in Base.metadata.sorted_tables
        )


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Database]:
    """One SQLite clinic per test function (examples share it)."""
    db = open_database(migrated_sqlite(tmp_path / "fuzz.sqlite3"))
    load_into(db, base_document())
    yield db
    db.close()


@pytest.fixture
def any_clinic(db: Database) -> Database:
    """The same on each back-end (PostgreSQL refuses some text SQLite stores, e.g. NUL)."""
    load_into(db, base_document())
    return db


# ----------------------------------------------------------------- JSON documents

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["", "2026-02-30", "25:00", "CH-1", "S1", "P-0001", "X-1", "MO",
                       "psychiatrist", "planned", "\x00", "9" * 400, "-1", "1e309"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    """The base document with a few random edits, or broken text."""
    doc = base_document()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["replace", "delete", "add", "duplicate"]))
        if not path:
            continue
        parent, last = _get(doc, path[:-1]), path[-1]
        if kind == "replace":
            parent[last] = draw(json_values)
        elif kind == "delete":
            del parent[last]
        elif kind == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = draw(json_values)
        elif kind == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    return text


def _load_checked(db: Database, text: str) -> bool:
    """Load with replace; True if it loaded. Refusals must be clear and change nothing."""
    before = _state(db)
    try:
        load_document(db, parse_document(text), replace=True)
    except (DocumentError, ServiceError) as exc:
        assert str(exc).strip(), "an error without a message"
        assert _state(db) == before, "a refused document changed the database"
        return False
    # Loaded: what is in the database is what the document said.
    assert dump_document(db) == dump_document(db)
    return True


@_examples(1000)
@given(text=mutated_documents())
def test_malformed_documents_are_refused_cleanly(clinic: Database, text: str) -> None:
    _count("json documents (service)")
    if _load_checked(clinic, text):
        load_document(clinic, parse_document(json.dumps(base_document())), replace=True)


@_examples(300)
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_random_bytes_are_not_a_document(clinic: Database, raw: bytes) -> None:
    _count("json documents (random bytes)")
    before = _state(clinic)
    with pytest.raises(DocumentError):
        parse_document(raw)
    assert _state(clinic) == before


@_examples(100)
@given(text=mutated_documents())
def test_load_command_never_shows_a_traceback(
    clinic: Database, tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _count("json documents (load command)")
    path = tmp_path / "doc.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = _state(clinic)
    code = run(["--db", clinic.url, "load", "--replace", str(path)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code != 0:
        assert code == 2 and err.startswith("error: ")
        assert _state(clinic) == before
    else:
        load_document(clinic, parse_document(json.dumps(base_document())), replace=True)


# ----------------------------------------------------------------------- CSV files

HEADERS = ["name", "Full Name", "dob", "Date of Birth", "mrn", "Record Number", "weight",
           "Weight (kg)", "escort name", "escort phone", "notes", "flags", "other", ""]
cells = st.one_of(
    st.text(max_size=25),
    st.sampled_from(["1980-01-01", "31/12/1975", "12/31/1975", "02/03/1981", "1980", "29/02/2001",
                     "70", "70,5", "-3", "nan", "inf", "1e999", "pregnancy", "pregnancy;telepathy",
                     '"', '""', "\n", "\r\n", ";", ",", "\t", "\x00", "9" * 300, "MRN-1001"]),
)


@st.composite
def csv_files(draw: st.DrawFn) -> str:
    if draw(st.integers(min_value=0, max_value=7)) == 0:
        return draw(st.text(max_size=300))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(cells, max_size=10), max_size=8))

    def line(values: list[str]) -> str:
        quote = draw(st.booleans())
        return delimiter.join(f'"{v}"' if quote else v for v in values)

    return "\n".join([line(header), *(line(r) for r in rows)]) + draw(st.sampled_from(["", "\n"]))


@_examples(1000)
@given(text=csv_files(), dayfirst=st.sampled_from([None, True, False]))
def test_csv_files_preview_cleanly_and_import_all_or_nothing(
    clinic: Database, text: str, dayfirst: bool | None
) -> None:
    _count("csv files")
    before = _state(clinic)
    preview = preview_patient_csv(clinic, text, dayfirst=dayfirst, today=TODAY)
    assert _state(clinic) == before, "a preview changed the database"
    for problem in preview.problems:
        assert str(problem).startswith("line ") and problem.message
    try:
        added = import_patients(clinic, preview, today=TODAY)
    except ServiceError as exc:
        assert str(exc).strip()
        assert _state(clinic) == before, "a refused import changed the database"
        return
    assert not preview.problems
    after = dump_document(clinic)
    assert added == len(preview.rows)
    assert len(after["patients"]) == len(before[Base.metadata.sorted_tables.index(PatientRowModel.__table__)]) + added


@_examples(60)
@given(text=csv_files())
def test_import_command_never_shows_a_traceback(
    clinic: Database, tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _count("csv files (import command)")
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = _state(clinic)
    code = run(["--db", clinic.url, "import", "patients", str(path)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code != 0:
        assert code == 2 and err.startswith("error: ")
        assert _state(clinic) == before


# ------------------------------------------------------------------- field values

names = st.one_of(st.text(max_size=40), st.sampled_from(["", " ", "x" * 201, "Zoë\x00Ł"]))
dates = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
weights = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-1000, 1000).map(float)
)
flag_lists = st.lists(st.sampled_from([*PATIENT_FLAGS, "telepathy", "", "PREGNANCY"]), max_size=4)
short_text = st.one_of(st.text(max_size=30), st.sampled_from(["MRN-1001", "x" * 81, "x" * 300]))
patient_inputs = st.builds(
    Patient,
    ref=st.just(""),
    name=names,
    date_of_birth=dates,
    record_number=short_text,
    weight_kg=weights,
    flags=flag_lists.map(tuple),
    flags_acknowledged_by=short_text,
    escort=st.builds(Escort, name=short_text, phone=short_text),
    notes=st.text(max_size=100),
)


def _stored_like(data: Patient, row: patients.PatientRow) -> None:
    stored = row.patient
    assert stored.name == data.name
    assert stored.date_of_birth == data.date_of_birth
    assert stored.weight_kg == data.weight_kg or (
        stored.weight_kg is not None and data.weight_kg is not None
        and math.isclose(stored.weight_kg, data.weight_kg)
    )
    assert set(stored.flags) == set(data.flags)
    assert stored.escort == data.escort


@_examples(700)
@given(data=patient_inputs)
def test_patient_fields_are_saved_or_refused_cleanly(any_clinic: Database, data: Patient) -> None:
    _count("patient field values (create)")
    before = _state(any_clinic)
    try:
        ref = patients.create_patient(any_clinic, data, today=TODAY)
    except ServiceError as exc:
        assert str(exc).strip()
        assert _state(any_clinic) == before
        return
    _stored_like(data, patients.get_patient(any_clinic, ref))


@_examples(400)
@given(data=patient_inputs)
def test_patient_edits_are_saved_or_refused_cleanly(any_clinic: Database, data: Patient) -> None:
    _count("patient field values (update)")
    data = replace(data, ref="P-0001")
    version = patients.get_patient(any_clinic, "P-0001").version
    before = _state(any_clinic)
    try:
        patients.update_patient(any_clinic, data, expected_version=version, today=TODAY)
    except ServiceError as exc:
        assert str(exc).strip()
        assert _state(any_clinic) == before
        return
    _stored_like(data, patients.get_patient(any_clinic, "P-0001"))


minutes = st.one_of(st.none(), st.integers(min_value=-10**6, max_value=10**6))
session_drafts = st.builds(
    SessionDraft,
    course_ref=st.sampled_from(["C-0001", "C-9999", "", "c-0001"]),
    chair_ref=st.sampled_from(["CH-1", "CH-2", "CH-3", ""]),
    start=st.datetimes(min_value=datetime(2026, 11, 30), max_value=datetime(2026, 12, 4)),
    status=st.sampled_from([*SESSION_STATUSES, "", "PLANNED", "lost"]),
    prep_minutes=minutes,
    infusion_minutes=minutes,
    recovery_minutes=minutes,
    assignments=st.lists(
        st.tuples(st.sampled_from(["S1", "S2", "S9", ""]), st.sampled_from([*ROLES, "janitor"])),
        max_size=3,
    ).map(tuple),
)


@_examples(400)
@given(draft=session_drafts)
def test_session_bookings_are_saved_or_refused_cleanly(
    any_clinic: Database, draft: SessionDraft
) -> None:
    _count("session field values")
    before = _state(any_clinic)
    try:
        ref = sessions.create_session(any_clinic, draft)
    except ServiceError as exc:
        assert str(exc).strip()
        assert _state(any_clinic) == before
        return
    saved = sessions.get_session(any_clinic, ref)
    assert saved.start == draft.start.replace(second=0, microsecond=0)
    assert saved.end - saved.start <= timedelta(minutes=3 * 24 * 60)
    sessions.set_status(any_clinic, ref, "cancelled")  # keep the day free for the next example
