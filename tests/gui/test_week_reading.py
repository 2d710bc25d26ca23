"""The week read with SQLAlchemy Core (what the planner draws first) is the week the ORM reads,
and the app paints its first week without loading the ORM at all."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.db.engine import Database
from planner.db.models import Assignment, Course, InfusionSession, StaffMember
from planner.domain import INACTIVE_SESSION_STATUSES, PSYCHIATRIST
from planner.domain.policy import Policy
from planner.services.demo import build_demo_document
from planner.services.week import load_week
from planner.services.week.model import SessionSnapshot, StaffOnSession, StaffSnapshot
from planner.ui.planner.staff_view import StaffRole
from tests.factories import base_document, load_into

ROOT = Path(__file__).resolve().parents[2]
MONDAY = date(2026, 11, 30)


# -- the reference: the same week read through the ORM (eager relationships) -------------------


def _session_options() -> list[Any]:
    return [
        selectinload(InfusionSession.course).selectinload(Course.patient),
        selectinload(InfusionSession.course).selectinload(Course.protocol),
        selectinload(InfusionSession.chair),
        selectinload(InfusionSession.assignments).selectinload(Assignment.staff),
    ]


def _numbers(session: Session, course_ids: Iterable[int]) -> dict[int, int]:
    """Session id -> its position (1-based) among the active sessions of its course."""
    ids = sorted(set(course_ids))
    out: dict[int, int] = {}
    if not ids:
        return out
    rows = session.execute(
        select(InfusionSession.id, InfusionSession.course_id, InfusionSession.status)
        .where(InfusionSession.course_id.in_(ids))
        .order_by(InfusionSession.course_id, InfusionSession.start, InfusionSession.id)
    ).all()
    counter: dict[int, int] = {}
    for sid, cid, status in rows:
        if status in INACTIVE_SESSION_STATUSES:
            out[sid] = 0
            continue
        counter[cid] = counter.get(cid, 0) + 1
        out[sid] = counter[cid]
    return out


def _snapshot(row: InfusionSession, number: int) -> SessionSnapshot:
    course = row.course
    return SessionSnapshot(
        ref=row.ref,
        version=row.version,
        start=row.start,
        status=row.status,
        prep_minutes=row.prep_minutes,
        infusion_minutes=row.infusion_minutes,
        recovery_minutes=row.recovery_minutes,
        overrides=(
            row.prep_minutes_override,
            row.infusion_minutes_override,
            row.recovery_minutes_override,
        ),
        chair_ref=row.chair.ref,
        chair_name=row.chair.name,
        course_ref=course.ref,
        course_status=course.status,
        patient_ref=course.patient.ref,
        patient_name=course.patient.name,
        protocol_ref=course.protocol.ref,
        protocol_name=course.protocol.name,
        number=number,
        planned_infusions=course.planned_infusions,
        protocol_minutes=(
            course.protocol.prep_minutes,
            course.protocol.infusion_minutes,
            course.protocol.recovery_minutes,
        ),
        staff=tuple(
            StaffOnSession(ref=a.staff.ref, name=a.staff.name, role=a.role)
            for a in sorted(row.assignments, key=lambda a: (a.role != PSYCHIATRIST, a.id))
        ),
        patient_record=course.patient.record_number,
    )


def _orm_sessions(session: Session, start: datetime, end: datetime) -> list[SessionSnapshot]:
    """Sessions starting in [start, end), ordered by start then chair."""
    rows = session.scalars(
        select(InfusionSession)
        .where(InfusionSession.start >= start, InfusionSession.start < end)
        .options(*_session_options())
        .order_by(InfusionSession.start, InfusionSession.id)
    ).all()
    numbers = _numbers(session, (r.course_id for r in rows))
    return [_snapshot(r, numbers.get(r.id, 0)) for r in rows]


def _orm_staff(session: Session) -> list[StaffSnapshot]:
    rows = session.scalars(
        select(StaffMember)
        .where(StaffMember.active.is_(True))
        .options(selectinload(StaffMember.hours), selectinload(StaffMember.leave))
        .order_by(StaffMember.name, StaffMember.ref)
    ).all()
    out = []
    for member in rows:
        hours: dict[int, list[tuple[time, time]]] = {}
        for h in member.hours:
            hours.setdefault(h.weekday, []).append((h.start_time, h.end_time))
        out.append(
            StaffSnapshot(
                ref=member.ref,
                name=member.name,
                roles=tuple(member.roles),
                credential_expires=member.credential_expires,
                hours={k: tuple(sorted(v)) for k, v in hours.items()},
                leave=tuple((lv.start_date, lv.end_date) for lv in member.leave),
            )
        )
    return out


def _orm_parts(db: Database, monday: date) -> tuple[list[Any], list[Any]]:
    """Sessions and staff of the week as the ORM reads them (eager relationships)."""
    start = datetime.combine(monday, time(0))
    with db.begin() as session:
        return _orm_sessions(session, start, start + timedelta(days=7)), _orm_staff(session)


def _edge_case_clinic() -> dict[str, Any]:
    """The small clinic plus what a week read can get wrong: overridden durations, a
    cancelled session, a retired chair still holding a session, two opening ranges a day,
    staff on leave with split hours, an inactive staff member, a closure, policy overrides."""
    doc = base_document()
    doc["policy"] = {"fasting_solids_hours": 8, "concurrent_limit": {"infusion_nurse": 3}}
    doc["clinic"]["opening_hours"].append({"weekday": "SA", "open": "09:00", "close": "12:00"})
    doc["clinic"]["opening_hours"].append({"weekday": "SA", "open": "13:00", "close": "15:30"})
    doc["clinic"]["closures"].append("2026-12-04")
    doc["chairs"].append({"ref": "CH-0", "name": "Old chair", "room": "Room B", "active": False})
    nurse = doc["staff"][1]
    nurse["hours"] = [{"weekday": "MO", "start": "13:00", "end": "18:00"},
                      {"weekday": "MO", "start": "07:30", "end": "12:00"}]
    nurse["leave"] = [{"from": "2026-12-10", "to": "2026-12-11"},
                      {"from": "2026-12-02", "to": "2026-12-03"}]
    doc["staff"].append({"ref": "S9", "name": "Former Nurse", "roles": ["infusion_nurse"],
                         "active": False})
    doc["sessions"] += [
        {"ref": "X-2", "course": "C-0001", "chair": "CH-0", "start": "2026-12-03T10:30",
         "status": "confirmed", "prep_minutes": 15, "recovery_minutes": 90,
         "assignments": [{"staff": "S2", "role": "infusion_nurse"},
                         {"staff": "S1", "role": "psychiatrist"}]},
        {"ref": "X-3", "course": "C-0001", "chair": "CH-2", "start": "2026-12-02T09:00",
         "status": "cancelled"},
        {"ref": "X-4", "course": "C-0001", "chair": "CH-1", "start": "2026-12-07T00:00"},
    ]
    return doc


def test_the_core_read_of_a_week_is_the_orm_read(db: Database) -> None:
    load_into(db, _edge_case_clinic())
    week = load_week(db, MONDAY + timedelta(days=3), check=False)
    sessions, staff = _orm_parts(db, MONDAY)
    assert week.sessions == tuple(sessions)
    assert week.staff == tuple(staff)
    assert [s.ref for s in week.sessions] == ["X-1", "X-3", "X-2"]  # X-4 is next week
    x2 = week.session("X-2")
    assert x2 is not None
    assert (x2.prep_minutes, x2.infusion_minutes, x2.recovery_minutes) == (15, 40, 90)
    assert x2.overrides == (15, None, 90) and x2.protocol_minutes == (20, 40, 60)
    assert [p.ref for p in x2.staff] == ["S1", "S2"]  # the psychiatrist first
    assert {s.ref: s.number for s in week.sessions} == {"X-1": 1, "X-3": 0, "X-2": 2}
    assert [(c.ref, c.room) for c in week.chairs] == [("CH-1", "Room A"), ("CH-2", "Room A"),
                                                      ("CH-0", "")]
    assert week.opening_hours[5] == (time(9), time(15, 30))
    assert week.opening_hours[0] == (time(8), time(18))
    assert week.closures == {date(2026, 12, 4): ""}
    assert week.policy == Policy.from_overrides(_edge_case_clinic()["policy"])
    assert week.clinic_name == "Lakeside Infusion Clinic"
    nurse = next(m for m in week.staff if m.ref == "S2")
    assert nurse.hours == {0: ((time(7, 30), time(12)), (time(13), time(18)))}
    assert nurse.leave == ((date(2026, 12, 2), date(2026, 12, 3)), (date(2026, 12, 10), date(2026, 12, 11)))
    assert "S9" not in {m.ref for m in week.staff}
    # The checked read (one transaction with the rules engine) reads the same week.
    checked = load_week(db, MONDAY)
    assert dataclasses.replace(checked, violations=()) == week


def test_the_core_read_matches_the_orm_on_the_demo_clinic(sqlite_db: Database) -> None:
    today = date(2026, 11, 23)
    load_into(sqlite_db, build_demo_document(seed=1, weeks=6, today=today))
    for weeks in (-3, -1, 0, 1, 2):
        monday = today + timedelta(weeks=weeks)
        week = load_week(sqlite_db, monday, check=False)
        sessions, staff = _orm_parts(sqlite_db, monday)
        assert week.sessions == tuple(sessions)
        assert week.staff == tuple(staff)
    assert week.sessions  # the demo weeks are busy


_FIRST_PAINT = r"""
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.parent() is not None \
                and obj.parent().objectName() == "weekView":
            from planner.ui.main_window import MainWindow
            window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
            blocks = sorted(window.planner.week_view.week_scene.blocks)
            heavy = sorted(m for m in sys.modules if m.startswith(
                ("sqlalchemy.orm", "alembic", "planner.db.models", "planner.rules",
                 "planner.services.week.queries", "planner.ui.pages")))
            print("blocks", " ".join(blocks))
            print("loaded", " ".join(heavy), flush=True)
            os._exit(0)
        return False

app = QApplication(sys.argv[:1])
watch = FirstPaint()
app.installEventFilter(watch)
from planner.ui.launch import run_gui
run_gui(["--db", os.environ["FIRST_PAINT_DB"]])
"""


def test_the_first_painted_frame_shows_the_week_before_the_orm_is_loaded(
    tmp_path: Path, sqlite_db: Database
) -> None:
    """Start the app as ``python main.py --db URL`` does; at the first paint of the week its
    blocks are this week's sessions, and neither the ORM nor the rules engine was loaded."""
    today = date.today()
    load_into(sqlite_db, build_demo_document(seed=1, weeks=4, today=today))
    assert sqlite_db.path is not None
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        FIRST_PAINT_DB=f"sqlite:///{sqlite_db.path}",
        XDG_CONFIG_HOME=str(tmp_path / "config"),  # no remembered week: the app opens today's
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-c", _FIRST_PAINT],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )
    lines = dict((line + " ").split(" ", 1) for line in result.stdout.splitlines())
    expected = sorted(s.ref for s in load_week(sqlite_db, today).sessions)
    assert expected  # the demo clinic is busy this week
    assert lines["blocks"].split() == expected
    assert lines["loaded"].split() == []


def test_a_narrow_window_lays_the_week_out_once_with_its_scroll_bar(
    qtbot: Any, app_context: Any, gui_settings: Any
) -> None:
    """The blocks are built for the viewport the week ends up with (scroll bar included),
    not once for the bare viewport and again when the bar appears."""
    from planner.ui.main_window import MainWindow

    window = MainWindow(ctx=app_context, settings=gui_settings, load_pages=False)
    qtbot.addWidget(window)
    page = window.planner
    scene = page.week_view.week_scene
    built: list[tuple[int, int]] = []
    show_week = scene.show_week

    def counting(*args: Any, **kwargs: Any) -> None:
        viewport = page.week_view.viewport().size()
        built.append((viewport.width(), viewport.height()))
        show_week(*args, **kwargs)

    scene.show_week = counting  # type: ignore[method-assign]
    window.setWindowState(Qt.WindowState.WindowNoState)  # not maximised on the small test screen
    window.resize(1000, 600)  # too narrow for a week of chairs at a readable width
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)
    viewport = page.week_view.viewport().size()
    assert page.week_view.horizontalScrollBar().isVisible()
    assert len(built) == 1, built
    assert page._laid_out is not None
    assert page._laid_out[1:3] == (viewport.width(), viewport.height())
    taller = scene.sceneRect().height() > viewport.height()
    assert page.week_view.verticalScrollBar().isVisible() == taller


def test_the_staff_view_shows_the_week_shown_when_it_is_opened(qtbot: Any, main_window: Any) -> None:
    """The hidden staff view is filled when it is opened, with the week shown at that moment."""
    page = main_window.planner
    page.step_week(1)
    page.show_staff()
    model = page.staff_view.staff_model
    assert model.week is page.week
    page.step_week(-1)  # while it is shown, it follows the week
    assert model.week is page.week
    busy = {p.ref for s in page.week.sessions if s.active for p in s.staff}
    shown = {model.index(r, 0).data(StaffRole) for r in range(model.rowCount())}
    assert busy <= shown
