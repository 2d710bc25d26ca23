"""Planning services on a real database (SQLite and PostgreSQL): one transaction each."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from planner.db.engine import Database
from planner.db.models import AuditEvent, Course, InfusionSession
from planner.services.base import ServiceError, ValidationFailed
from planner.services.checking import check_range
from planner.services.clinic_io import dump_document
from planner.services.planning import (
    apply_autoplan,
    apply_reflow,
    create_course_with_sessions,
    find_slots,
    preview_course_plan,
    propose_autoplan,
    propose_reflow,
)
from tests.factories import base_document, load_into

MON, FRI = date(2026, 11, 30), date(2026, 12, 4)


def _clinic(db: Database, patients: int = 5) -> dict[str, Any]:
    doc = base_document()
    doc["staff"].append({
        "ref": "S3", "name": "Dr Lena Brandt", "roles": ["psychiatrist"], "credential_expires": "2028-01-01",
        "hours": [{"weekday": d, "start": "08:00", "end": "14:00"} for d in ("MO", "TU", "WE", "TH", "FR")],
        "leave": [],
    })
    for i in range(2, patients + 1):
        doc["patients"].append({
            "ref": f"P-{i:04d}", "name": f"Patient {i}", "date_of_birth": "1980-01-01",
            "record_number": f"MRN-{2000 + i}", "weight_kg": 70, "flags": [],
            "escort": {"name": "Escort", "phone": "+1 555 0000"}, "notes": "",
        })
        doc["courses"].append({
            "ref": f"C-{i:04d}", "patient": f"P-{i:04d}", "protocol": "KET-DEP",
            "planned_infusions": 6, "consent_date": "2026-11-20", "status": "active",
        })
    load_into(db, doc)
    return doc


def _sessions(db: Database) -> int:
    with db.begin() as s:
        return int(s.scalar(select(func.count()).select_from(InfusionSession)) or 0)


def test_a_proposal_changes_nothing_and_applying_it_passes_check(db: Database) -> None:
    _clinic(db)
    before = dump_document(db)
    result = propose_autoplan(db, MON, FRI)
    assert dump_document(db) == before
    assert len(result.placed) >= 10
    assert {p.course for p in result.placed} >= {"C-0002", "C-0003"}
    refs = apply_autoplan(db, result)
    assert len(refs) == len(result.placed)
    assert _sessions(db) == 1 + len(refs)
    assert [v for v in check_range(db, MON, FRI) if v.severity == "error"] == []
    with db.begin() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "autoplan")).all()
        assert sorted(e.ref for e in events) == sorted(refs)
    # Applied once: the same week has nothing more due for these courses.
    again = propose_autoplan(db, MON, FRI)
    assert again.placed == ()


def test_apply_writes_nothing_when_the_schedule_changed_since_the_proposal(db: Database) -> None:
    _clinic(db)
    result = propose_autoplan(db, MON, FRI)
    first = result.placed[0]
    # Someone books the first proposed chair and time on another workstation.
    from planner.services.sessions import SessionDraft, create_session

    create_session(db, SessionDraft(course_ref="C-0001", chair_ref=first.chair, start=first.start))
    count = _sessions(db)
    with pytest.raises(ServiceError, match="nothing was saved"):
        apply_autoplan(db, result)
    assert _sessions(db) == count


def test_autoplan_continues_courses_after_their_booked_sessions_and_consent(db: Database) -> None:
    doc = base_document()
    doc["courses"][0]["planned_infusions"] = 3
    # C-0001's one session is booked weeks after the period: nothing goes before it.
    doc["sessions"][0]["start"] = "2027-01-12T09:00"
    doc["patients"].append({
        "ref": "P-0002", "name": "Patient 2", "date_of_birth": "1980-01-01", "record_number": "MRN-2",
        "weight_kg": 70, "flags": [], "escort": {"name": "Escort", "phone": "+1 555 0000"}, "notes": "",
    })
    doc["courses"].append({
        "ref": "C-0002", "patient": "P-0002", "protocol": "KET-DEP", "planned_infusions": 6,
        "consent_date": "2026-12-03", "status": "active",
    })
    load_into(db, doc)
    result = propose_autoplan(db, MON, FRI)
    assert [p for p in result.placed if p.course == "C-0001"] == []
    consented = [p.start.date() for p in result.placed if p.course == "C-0002"]
    assert consented and min(consented) >= date(2026, 12, 3)


def test_find_slots_continues_after_the_course_s_last_booked_session(db: Database) -> None:
    doc = base_document()
    doc["sessions"][0]["start"] = "2027-01-12T09:00"  # far beyond the 28-day horizon from Nov 30
    load_into(db, doc)
    found = find_slots(db, "C-0001", earliest=datetime(2026, 11, 30, 8, 0))
    assert found.unplaced == ()
    assert len(found.proposals) == 5
    assert found.proposals[0].start >= datetime(2027, 1, 14, 9, 0)


def test_preview_writes_nothing_and_create_writes_course_sessions_and_audit(db: Database) -> None:
    _clinic(db, patients=1)
    before = dump_document(db)
    start = datetime(2026, 12, 7, 10, 0)
    plan = preview_course_plan(db, patient="P-0001", protocol="KET-DEP", start=start, pattern="Mon/Wed/Fri")
    assert dump_document(db) == before
    assert len(plan.occurrences) == 6 and not plan.has_errors
    created = create_course_with_sessions(
        db, patient="P-0001", protocol="KET-DEP", start=start, pattern="Mon/Wed/Fri",
        consent_date=date(2026, 12, 1),
    )
    assert len(created.sessions) == 6
    with db.begin() as s:
        course = s.scalars(select(Course).where(Course.ref == created.course)).one()
        assert course.pattern == "Mon/Wed/Fri"
        assert [x.start for x in course.sessions] == [o.start for o in plan.occurrences]
        assert s.scalars(select(AuditEvent).where(AuditEvent.ref == created.course)).one().action == "create"
    assert [v for v in check_range(db, date(2026, 12, 7), date(2026, 12, 31)) if v.severity == "error"] == []


def test_create_refuses_dates_with_errors_and_saves_nothing(db: Database) -> None:
    _clinic(db, patients=1)
    before = dump_document(db)
    with pytest.raises(ValidationFailed, match="have problems"):
        create_course_with_sessions(
            db, patient="P-0001", protocol="KET-DEP", start=datetime(2026, 12, 7, 17, 0), pattern="Mon/Thu",
        )
    assert dump_document(db) == before


def test_reflow_after_a_cancelled_session_on_the_database(db: Database) -> None:
    _clinic(db, patients=1)
    created = create_course_with_sessions(
        db, patient="P-0001", protocol="KET-DEP", start=datetime(2026, 12, 7, 10, 0), pattern="Mon/Wed/Fri",
        infusions=5,
    )
    from planner.services.sessions import set_status

    set_status(db, created.sessions[1], "cancelled")
    proposal = propose_reflow(db, created.sessions[1])
    assert any(m.session is None for m in proposal.moves)
    changed = apply_reflow(db, proposal)
    assert changed
    with db.begin() as s:
        course = s.scalars(select(Course).where(Course.ref == created.course)).one()
        active = sorted(x.start for x in course.sessions if x.status != "cancelled")
    assert len(active) == 5
    assert all((b - a).total_seconds() >= 48 * 3600 for a, b in zip(active, active[1:], strict=False))
    assert [v for v in check_range(db, date(2026, 12, 1), date(2027, 1, 31)) if v.severity == "error"] == []


def test_find_slots_for_one_course(db: Database) -> None:
    _clinic(db, patients=2)
    found = find_slots(db, "C-0002", earliest=datetime(2026, 12, 7, 8, 0), alternatives_for=1, limit=3)
    assert len(found.proposals) == 6
    assert found.proposals[0].start == datetime(2026, 12, 7, 8, 0)
    assert len(found.alternatives) == 3


# -- the command --------------------------------------------------------------------------
def _run(db: Database, *args: str) -> int:
    from planner.cli import run

    return run(["--db", db.url, *args])


def test_autoplan_command_without_apply_changes_nothing(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _clinic(db)
    before = dump_document(db)
    assert _run(db, "autoplan", "--from", "2026-11-30", "--to", "2026-12-04", "--not-before", "2026-11-30T00:00") == 0
    out = capsys.readouterr().out
    assert "Proposal only: nothing was saved" in out
    assert "due infusions placed" in out
    assert dump_document(db) == before


def test_autoplan_command_json_and_apply(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _clinic(db)
    assert _run(db, "autoplan", "--from", "2026-11-30", "--to", "2026-12-04", "--not-before", "2026-11-30T00:00", "--json") == 0
    proposal = json.loads(capsys.readouterr().out)
    assert set(proposal) == {"from", "to", "placed", "unplaced", "summary", "applied", "sessions"}
    assert proposal["applied"] is False and proposal["sessions"] == []
    assert proposal["summary"]["placed"] == len(proposal["placed"])
    assert _run(db, "autoplan", "--from", "2026-11-30", "--to", "2026-12-04", "--not-before", "2026-11-30T00:00", "--json", "--apply") == 0
    applied = json.loads(capsys.readouterr().out)
    assert applied["placed"] == proposal["placed"], "deterministic: the same plan is applied"
    assert len(applied["sessions"]) == len(proposal["placed"])
    assert _sessions(db) == 1 + len(applied["sessions"])


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "2026-12-04", "--to", "2026-11-30"],
        ["--from", "2026-13-01", "--to", "2026-12-04"],
        ["--from", "tomorrow", "--to", "2026-12-04"],
        ["--to", "2026-12-04"],
        ["--from", "2026-11-30", "--to", "2026-12-04", "--not-before", "Wednesday 9am"],
        ["--from", "2026-11-30", "--to", "2026-12-04", "--not-before", "2026-12-02T09:00+01:00"],
        ["--from", "2026-11-30", "--to", "2026-12-04", "--not-before", "9999-12-02T09:00"],
    ],
)
def test_autoplan_command_bad_arguments_exit_2(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    assert _run(sqlite_db, "autoplan", *args) == 2
    assert "error:" in capsys.readouterr().err


def test_nothing_is_proposed_before_now(db: Database) -> None:
    """Planning a week on its Wednesday at 10:00 fills Wednesday from 10:00 on and the days
    after; Monday, Tuesday and Wednesday morning are past."""
    _clinic(db)
    whole = propose_autoplan(db, MON, FRI)
    assert min(p.start for p in whole.placed).date() == MON  # there is room on Monday
    now = datetime.combine(MON + timedelta(days=2), time(10, 0))
    rest = propose_autoplan(db, MON, FRI, not_before=now)
    assert rest.placed, "Wednesday afternoon to Friday still has room"
    assert min(p.start for p in rest.placed) >= now


def test_the_command_plans_from_now_unless_told_otherwise(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _clinic(db)
    today = date.today()
    before = datetime.now()
    assert _run(db, "autoplan", "--from", (today - timedelta(days=3)).isoformat(),
                "--to", (today + timedelta(days=3)).isoformat(), "--json") == 0
    placed = json.loads(capsys.readouterr().out)["placed"]
    assert all(datetime.fromisoformat(p["start"]) >= before.replace(second=0, microsecond=0)
               for p in placed), "an infusion was proposed in the past"


def test_apply_writes_nothing_when_a_course_was_put_on_hold_meanwhile(db: Database) -> None:
    _clinic(db)
    result = propose_autoplan(db, MON, FRI)
    last_course = result.placed[-1].course
    from planner.services.courses import set_course_status

    set_course_status(db, last_course, "on_hold")
    count = _sessions(db)
    with pytest.raises(ServiceError, match="no longer needs it"):
        apply_autoplan(db, result)
    assert _sessions(db) == count


def test_planning_core_does_not_import_qt() -> None:
    import subprocess
    import sys

    code = (
        "import sys, planner.scheduling, planner.services.planning, planner.cli.autoplan_command;"
        "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
