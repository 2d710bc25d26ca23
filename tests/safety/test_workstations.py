"""Two workstations on one database: no silent overwrite, no double booking.

Each workstation is its own ``Database`` (own engine, own connections), as two
PCs of a clinic would be. Runs on the SQLite file and on the real PostgreSQL
server (``PLANNER_TEST_PG_URL``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from planner.db.engine import Database, open_database
from planner.db.models import Patient
from planner.domain.records import Patient as PatientRecord
from planner.services import courses, patients, sessions
from planner.services.audit import list_audit
from planner.services.base import ConcurrentEdit, ServiceError, unit_of_work
from planner.services.sessions import BookingConflict, SessionDraft
from tests.factories import base_document, load_into, new_patient

from .conftest import full_state

#: Racing rounds per test; each round starts THREADS bookings at the same instant.
ROUNDS = 12
THREADS = 4
STATS: dict[str, int] = {"racing_bookings": 0}


def _patient_input(row: patients.PatientRow, **changes: Any) -> PatientRecord:
    """The patient of ``row`` as edited in the dialog."""
    return replace(row.patient, **changes)


def test_second_save_of_a_session_is_refused_with_who_and_when(
    workstations: tuple[Database, Database],
) -> None:
    front_desk, nurse_station = workstations
    seen_by_front = sessions.get_session(front_desk, "X-1")
    seen_by_nurse = sessions.get_session(nurse_station, "X-1")
    sessions.move_session(
        front_desk, "X-1", start=datetime(2026, 12, 1, 10, 0), chair_ref="CH-1",
        expected_version=seen_by_front.version, user="alice",
    )
    before = full_state(front_desk)
    with pytest.raises(ConcurrentEdit) as refused:
        sessions.move_session(
            nurse_station, "X-1", start=datetime(2026, 12, 1, 11, 0), chair_ref="CH-2",
            expected_version=seen_by_nurse.version, user="bob",
        )
    message = str(refused.value)
    assert "changed by alice at " in message
    assert "— reload" in message
    assert refused.value.changed_by == "alice"
    # Nothing of the first save was lost, nothing of the second written.
    assert full_state(front_desk) == before
    assert sessions.get_session(nurse_station, "X-1").start == datetime(2026, 12, 1, 10, 0)
    # After reloading, the second workstation's change goes through and both are on record.
    fresh = sessions.get_session(nurse_station, "X-1")
    sessions.move_session(
        nurse_station, "X-1", start=datetime(2026, 12, 1, 11, 0), chair_ref="CH-2",
        expected_version=fresh.version, user="bob",
    )
    users = [e.user for e in list_audit(front_desk, ref="X-1")]
    assert users[:2] == ["bob", "alice"]


def test_second_save_of_a_patient_is_refused_and_nothing_is_lost(
    workstations: tuple[Database, Database],
) -> None:
    first, second = workstations
    row_a = patients.get_patient(first, "P-0001")
    row_b = patients.get_patient(second, "P-0001")
    patients.update_patient(
        first, _patient_input(row_a, weight_kg=72.0),
        expected_version=row_a.version, user="alice",
    )
    with pytest.raises(ConcurrentEdit) as refused:
        patients.update_patient(
            second, _patient_input(row_b, escort=replace(row_b.patient.escort, phone="+1 555 0199")),
            expected_version=row_b.version, user="bob",
        )
    assert "changed by alice at " in str(refused.value)
    saved = patients.get_patient(second, "P-0001")
    assert saved.patient.weight_kg == 72.0
    assert saved.patient.escort == row_b.patient.escort


def test_second_save_of_a_course_is_refused(
    workstations: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = workstations
    version_a = courses.get_course(first, "C-0001").version
    version_b = courses.get_course(second, "C-0001").version
    monkeypatch.setenv("PLANNER_USER", "alice")
    courses.set_course_status(first, "C-0001", "on_hold", expected_version=version_a)
    monkeypatch.setenv("PLANNER_USER", "bob")
    with pytest.raises(ConcurrentEdit) as refused:
        courses.set_consent_date(
            second, "C-0001", date(2026, 11, 29), expected_version=version_b,
            today=date(2026, 11, 30),
        )
    assert "changed by alice at " in str(refused.value)
    view = courses.get_course(second, "C-0001")
    assert view.course.status == "on_hold"


def test_stale_write_inside_a_transaction_is_caught_by_the_version_column(
    workstations: tuple[Database, Database],
) -> None:
    """The version column itself refuses a stale UPDATE (no expected_version given)."""
    first, second = workstations
    with pytest.raises(ConcurrentEdit) as refused, unit_of_work(first) as session:
        patient = session.scalars(select(Patient).where(Patient.ref == "P-0001")).one()
        row = patients.get_patient(second, "P-0001")
        patients.update_patient(
            second, _patient_input(row, notes="allergy to latex"), user="bob"
        )
        patient.notes = "stale edit"
    assert "changed by bob at " in str(refused.value)
    assert patients.get_patient(first, "P-0001").patient.notes == "allergy to latex"


# ------------------------------------------------------------------ racing bookings


def _racing_clinic(db_url: str, *, psychiatrist_limit: int | None = None) -> None:
    doc = base_document()
    doc["chairs"] += [
        {"ref": f"CH-{n}", "name": f"Chair {n}", "room": "Room B"} for n in range(3, THREADS + 1)
    ]
    template = doc["patients"][0]
    for n in range(2, THREADS + 1):
        doc["patients"].append(
            template | {"ref": f"P-000{n}", "name": f"Patient {n}", "record_number": f"MRN-10{n}"}
        )
        doc["courses"].append(doc["courses"][0] | {"ref": f"C-000{n}", "patient": f"P-000{n}"})
    if psychiatrist_limit is not None:
        doc["policy"] = {"concurrent_limit": {"psychiatrist": psychiatrist_limit}}
    db = open_database(db_url)
    load_into(db, doc)
    db.close()


def _race(drafts: list[SessionDraft], engines: list[Database]) -> list[str | BaseException]:
    """Start every booking at the same instant, each from its own thread."""
    barrier = threading.Barrier(len(drafts))
    results: list[str | BaseException] = [RuntimeError("did not run")] * len(drafts)

    def book(index: int) -> None:
        barrier.wait()
        try:
            results[index] = sessions.create_session(
                engines[index % len(engines)], drafts[index], user=f"desk{index}"
            )
        except BaseException as exc:  # collected and asserted on below
            results[index] = exc

    threads = [threading.Thread(target=book, args=(i,)) for i in range(len(drafts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    STATS["racing_bookings"] += len(drafts)
    return results


def _race_calls(
    calls: list[Callable[[Database], object]], engines: list[Database]
) -> list[object]:
    """Run each call from its own thread, all released at the same instant."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [RuntimeError("did not run")] * len(calls)

    def go(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index](engines[index % len(engines)])
        except BaseException as exc:  # collected and asserted on by the caller
            results[index] = exc

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _booked(db: Database) -> list[tuple[str, datetime]]:
    from planner.db.models import InfusionSession

    with db.begin() as session:
        return [
            (s.chair.ref, s.start)
            for s in session.scalars(select(InfusionSession).order_by(InfusionSession.id))
        ]


def _two_engines(db_url: str) -> list[Database]:
    return [open_database(db_url), open_database(db_url)]


def test_racing_bookings_of_one_chair_book_it_once(db_url: str) -> None:
    _racing_clinic(db_url)
    engines = _two_engines(db_url)
    try:
        for round_no in range(ROUNDS):
            start = datetime(2027, 1, 4, 9, 0) + timedelta(days=round_no)
            drafts = [
                SessionDraft(course_ref=f"C-000{n + 1}", chair_ref="CH-1", start=start)
                for n in range(THREADS)
            ]
            results = _race(drafts, engines)
            won = [r for r in results if isinstance(r, str)]
            lost = [r for r in results if not isinstance(r, str)]
            assert len(won) == 1, results
            assert all(isinstance(r, BookingConflict) for r in lost), lost
        booked = _booked(engines[0])
        assert len(booked) == 1 + ROUNDS
        assert len(set(booked)) == len(booked)
    finally:
        for db in engines:
            db.close()


def test_racing_bookings_of_one_staff_member_respect_the_limit(db_url: str) -> None:
    _racing_clinic(db_url, psychiatrist_limit=1)
    engines = _two_engines(db_url)
    try:
        for round_no in range(ROUNDS):
            start = datetime(2027, 2, 1, 13, 0) + timedelta(days=round_no)
            drafts = [
                SessionDraft(
                    course_ref=f"C-000{n + 1}", chair_ref=f"CH-{n + 1}", start=start,
                    assignments=(("S1", "psychiatrist"),),
                )
                for n in range(THREADS)
            ]
            results = _race(drafts, engines)
            won = [r for r in results if isinstance(r, str)]
            lost = [r for r in results if not isinstance(r, str)]
            assert len(won) == 1, results
            assert all(isinstance(r, BookingConflict) for r in lost), lost
    finally:
        for db in engines:
            db.close()


def test_racing_bookings_that_do_not_clash_all_succeed(db_url: str) -> None:
    """Nothing lost: bookings of different chairs and staff at the same instant all go in."""
    _racing_clinic(db_url)
    engines = _two_engines(db_url)
    try:
        for round_no in range(ROUNDS // 2):
            start = datetime(2027, 3, 1, 9, 0) + timedelta(days=round_no)
            drafts = [
                SessionDraft(course_ref=f"C-000{n + 1}", chair_ref=f"CH-{n + 1}", start=start)
                for n in range(THREADS)
            ]
            results = _race(drafts, engines)
            assert all(isinstance(r, str) for r in results), results
            assert len(set(results)) == THREADS
    finally:
        for db in engines:
            db.close()


def test_no_booking_failure_is_anything_but_a_clear_message(db_url: str) -> None:
    """A refused booking always explains itself (what is taken, by whom, when)."""
    _racing_clinic(db_url)
    engines = _two_engines(db_url)
    try:
        start = datetime(2027, 4, 5, 9, 0)
        results = _race(
            [SessionDraft(course_ref=f"C-000{n + 1}", chair_ref="CH-1", start=start)
             for n in range(THREADS)],
            engines,
        )
        for result in results:
            if isinstance(result, ServiceError):
                assert "Chair 1 is taken by" in str(result)
    finally:
        for db in engines:
            db.close()


def test_racing_moves_into_one_slot_move_only_one(db_url: str) -> None:
    """Sessions on other chairs dragged into the same chair and time at the same moment."""
    _racing_clinic(db_url)
    engines = _two_engines(db_url)
    try:
        for round_no in range(ROUNDS // 2):
            day = datetime(2027, 5, 3, 8, 0) + timedelta(days=round_no)
            refs = [
                sessions.create_session(
                    engines[0],
                    SessionDraft(course_ref=f"C-000{n + 1}", chair_ref=f"CH-{n + 1}",
                                 start=day + timedelta(hours=3 * n)),
                )
                for n in range(THREADS)
            ]
            target = day + timedelta(hours=12)
            results = _race_calls(
                [
                    (lambda db, ref=ref, n=n, target=target: sessions.move_session(
                        db, ref, start=target, chair_ref="CH-1", user=f"desk{n}"))
                    for n, ref in enumerate(refs)
                ],
                engines,
            )
            STATS["racing_bookings"] += THREADS
            moved = [r for r in results if isinstance(r, int)]
            refused = [r for r in results if not isinstance(r, int)]
            assert len(moved) == 1, results
            assert all(isinstance(r, BookingConflict) for r in refused), refused
            in_slot = [s for s in _booked(engines[1]) if s == ("CH-1", target)]
            assert len(in_slot) == 1
    finally:
        for db in engines:
            db.close()


def test_patients_added_at_the_same_moment_are_all_kept(db_url: str) -> None:
    """Two front desks adding patients at once: every one is saved under its own ref."""
    _racing_clinic(db_url)
    engines = _two_engines(db_url)
    try:
        barrier = threading.Barrier(THREADS)
        results: list[object] = [None] * THREADS

        def add(index: int) -> None:
            barrier.wait()
            try:
                results[index] = patients.create_patient(
                    engines[index % 2],
                    new_patient(f"Walk-in {index}", date(1980, 1, index + 1),
                                record_number=f"W-{index}"),
                    today=date(2026, 11, 29),
                )
            except BaseException as exc:  # asserted below
                results[index] = exc

        threads = [threading.Thread(target=add, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert all(isinstance(r, str) for r in results), results
        assert len(set(results)) == THREADS  # type: ignore[arg-type]
        names = {p.patient.name for p in patients.list_patients(engines[1])}
        assert {f"Walk-in {i}" for i in range(THREADS)} <= names
    finally:
        for db in engines:
            db.close()
