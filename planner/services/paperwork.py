"""Printing paperwork: read what a document needs in one transaction, then build the PDF.

A session with a staffing error (the rules engine's staffing codes) is never
printed as if it were fine: the monitoring sheet and the day packet refuse
with :class:`StaffingIncomplete` naming what is missing, unless a draft is
asked for, which prints "DRAFT — staffing incomplete: …" across every page.
The week schedule marks every violation instead, and the consent form does
not depend on staffing.

The PDF is built after the transaction ends, so printing never holds the
database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from planner.db import models
from planner.db.engine import Database
from planner.db.models import (
    Assignment,
    Chair,
    Clinic,
    Closure,
    Course,
    InfusionSession,
    OpeningHours,
)
from planner.domain import INACTIVE_SESSION_STATUSES, MONITORING_ROLES, PSYCHIATRIST
from planner.domain.policy import Policy
from planner.paperwork import build_consent, build_day_packet, build_monitoring, build_week
from planner.paperwork.data import (
    Appointment,
    ChairInfo,
    ClinicInfo,
    ConsentData,
    DayPacketData,
    DaySchedule,
    MonitoringData,
    PatientInfo,
    Problem,
    ProtocolInfo,
    RenderOptions,
    SessionInfo,
    StaffOnDuty,
    WeekData,
)
from planner.services.base import NotFound, ServiceError, ValidationFailed, system_clock
from planner.services.checking import check_sessions, load_policy
from planner.services.consent_templates import default_wording

#: Violation codes that mean a session is not properly staffed.
STAFFING_CODES = frozenset(
    {
        "missing-psychiatrist",
        "missing-monitoring-clinician",
        "same-person-both-roles",
        "role-not-held",
        "credential-expired",
        "staff-unavailable",
        "staff-on-leave",
        "staff-overbooked",
    }
)
Progress = Callable[[int, int], None]


class StaffingIncomplete(ServiceError):
    """A session's staffing has errors; ``missing`` maps session ref -> what is wrong."""

    def __init__(self, what: str, summary: str, missing: dict[str, tuple[str, ...]]) -> None:
        super().__init__(
            f"{what} cannot be printed: staffing is incomplete — {summary}. "
            "Assign the missing staff, or print a marked draft."
        )
        self.what = what
        self.summary = summary
        self.missing = missing


def render_consent(
    db: Database,
    course_ref: str,
    *,
    draft: bool = False,
    paper: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """The consent form of course ``course_ref`` (``draft`` has no effect: staffing is not on it)."""
    with db.begin() as session:
        course = session.scalars(_course_query().where(Course.ref == course_ref)).first()
        if course is None:
            raise NotFound(f"no course with ref {course_ref!r}")
        policy = load_policy(session)
        data = consent_data(
            course, clinic_info(_clinic(session)), policy, _template_text(course.protocol)
        )
        size = _paper(paper, policy)
    return build_consent(data, _options(size, now))


def render_monitoring(
    db: Database,
    session_ref: str,
    *,
    draft: bool = False,
    paper: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """The monitoring sheet of session ``session_ref``; refuses when its staffing is incomplete."""
    with db.begin() as session:
        row = session.scalars(_session_query().where(InfusionSession.ref == session_ref)).first()
        if row is None:
            raise NotFound(f"no session with ref {session_ref!r}")
        policy = load_policy(session)
        problems = _problems(session, [row.ref])
        info = session_info(row, problems.get(row.ref, ()))
        data = MonitoringData(clinic=clinic_info(_clinic(session)), session=info, policy=policy)
        size = _paper(paper, policy)
    staffing = _staffing([info])
    note = _gate(staffing, draft, [info], what=f"the monitoring sheet of {session_ref}")
    return build_monitoring(data, _options(size, now, note))


def render_week(
    db: Database,
    monday_or_isoweek: date | str,
    *,
    draft: bool = False,
    paper: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """The week schedule (one landscape page per day); violations are marked, never refused.

    It is the page that shows what is still missing, so it prints either way; asked for
    as a ``draft`` while staffing is incomplete, it also carries the draft banner.
    """
    monday = parse_week(monday_or_isoweek)
    with db.begin() as session:
        policy = load_policy(session)
        rows = _sessions_between(session, monday, monday + timedelta(days=7))
        problems = _problems(session, [r.ref for r in rows])
        infos = [session_info(r, problems.get(r.ref, ())) for r in rows]
        chairs, days = week_days(session, monday, infos)
        data = WeekData(
            clinic=clinic_info(_clinic(session)),
            monday=monday,
            chairs=chairs,
            days=days,
            problems=tuple((s, p) for s in infos for p in s.problems),
        )
        size = _paper(paper, policy)
    staffing = _staffing(infos)
    note = _gate(staffing, True, infos, what="the week schedule") if draft else None
    return build_week(data, _options(size, now, note))


def render_day(
    db: Database,
    day: date | str,
    *,
    draft: bool = False,
    paper: str | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The day packet: run sheet, monitoring sheets, and the consent forms still needed."""
    when = parse_day(day)
    with db.begin() as session:
        policy = load_policy(session)
        rows = _sessions_between(session, when, when + timedelta(days=1))
        problems = _problems(session, [r.ref for r in rows])
        infos = tuple(session_info(r, problems.get(r.ref, ())) for r in rows)
        clinic = clinic_info(_clinic(session))
        consents: dict[str, ConsentData] = {}
        for row in rows:
            course = row.course
            if course.ref in consents or not _needs_consent(course, when):
                continue
            consents[course.ref] = consent_data(
                course, clinic, policy, _template_text(course.protocol)
            )
        size = _paper(paper, policy)
    staffing = _staffing(infos)
    note = _gate(staffing, draft, infos, what=f"the day packet of {when.isoformat()}")
    notes = {ref: "; ".join(f"{ref}: {m}" for m in msgs) for ref, msgs in staffing.items()}
    data = DayPacketData(
        clinic=clinic,
        day=when,
        sessions=infos,
        consents=consents,
        policy=policy,
        draft_notes=notes if note else {},
    )
    return build_day_packet(data, _options(size, now, note), progress=progress)


_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def parse_week(value: date | str) -> date:
    """The Monday of ``2026-W49``, of a date ``2026-12-01``, or of a ``date``."""
    if isinstance(value, date):
        return value - timedelta(days=value.weekday())
    text = value.strip()
    match = _ISO_WEEK.match(text)
    if match:
        try:
            return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError:
            raise ValidationFailed(f"there is no week {text} (weeks run 1–52 or 53)") from None
    return parse_week(parse_day(text))


def parse_day(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(
            f"{value!r} is not a date or week (use 2026-12-01 or 2026-W49)"
        ) from None


def _options(paper: str, now: datetime | None, note: str | None = None) -> RenderOptions:
    return RenderOptions(paper=paper, now=now or system_clock(), draft_note=note)


def _paper(paper: str | None, policy: Policy) -> str:
    chosen = (paper or policy.paper_size or "A4").strip()
    if chosen.lower() not in ("a4", "letter"):
        raise ValidationFailed(f"paper must be A4 or Letter, not {chosen!r}")
    return "A4" if chosen.lower() == "a4" else "Letter"


def _clinic(session: Session) -> Clinic | None:
    return session.scalars(select(Clinic).order_by(Clinic.id)).first()


def _template_text(protocol: models.Protocol) -> str:
    """The protocol's own consent wording (kept in the database), else the shipped default."""
    if protocol.consent_template is not None:
        return protocol.consent_template.text
    return default_wording()


def _course_query() -> Select[Any]:
    return select(Course).options(
        selectinload(Course.patient),
        selectinload(Course.protocol),
        selectinload(Course.sessions).selectinload(InfusionSession.chair),
    )


def _session_query() -> Select[Any]:
    return select(InfusionSession).options(
        selectinload(InfusionSession.chair),
        selectinload(InfusionSession.assignments).selectinload(Assignment.staff),
        selectinload(InfusionSession.course).selectinload(Course.patient),
        selectinload(InfusionSession.course).selectinload(Course.protocol),
        selectinload(InfusionSession.course)
        .selectinload(Course.sessions)
        .selectinload(InfusionSession.chair),
    )


def _sessions_between(session: Session, first: date, end: date) -> list[InfusionSession]:
    """Active sessions starting in [first, end), by start."""
    lo = datetime.combine(first, datetime.min.time())
    hi = datetime.combine(end, datetime.min.time())
    query = (
        _session_query()
        .join(Chair, InfusionSession.chair_id == Chair.id)
        .where(InfusionSession.start >= lo, InfusionSession.start < hi)
        .order_by(InfusionSession.start, Chair.ref, InfusionSession.ref)
    )
    return [row for row in session.scalars(query).all() if row in active_sessions(row.course)]


def _problems(session: Session, refs: Sequence[str]) -> dict[str, list[tuple[str, str, str]]]:
    """Violations per session ref as (code, severity, message)."""
    if not refs:
        return {}
    out: dict[str, list[tuple[str, str, str]]] = {}
    for v in check_sessions(session, list(refs)):
        out.setdefault(v.session, []).append((v.code, v.severity, v.message))
    return out


def _staffing(infos: Sequence[SessionInfo]) -> dict[str, tuple[str, ...]]:
    """Per session ref, what is wrong with its staffing: the message and its rule code.

    The code (``missing-psychiatrist`` ...) is the same word the planner and the
    ``check`` command show, so the refusal and the draft banner can be matched to them.
    """
    out: dict[str, tuple[str, ...]] = {}
    for s in infos:
        found = tuple(
            dict.fromkeys(
                f"{p.message} ({p.code})"
                for p in s.problems
                if p.severity == "error" and p.code in STAFFING_CODES
            )
        )
        if found:
            out[s.ref] = found
    return out


def _gate(
    staffing: dict[str, tuple[str, ...]], draft: bool, infos: Sequence[SessionInfo], *, what: str
) -> str | None:
    """The draft note to print, or StaffingIncomplete when staffing is incomplete and no draft."""
    if not staffing:
        return None
    by_ref = {s.ref: s for s in infos}
    parts = []
    for ref, messages in staffing.items():
        s = by_ref[ref]
        parts.append(f"{ref} ({s.patient.name}, {s.start:%Y-%m-%d %H:%M}): " + "; ".join(messages))
    summary = " · ".join(parts)
    if draft:
        return summary
    raise StaffingIncomplete(what, summary, staffing)


def _needs_consent(course: Course, day: date) -> bool:
    """A consent form goes into the packet when none is on file or the series starts that day."""
    if course.consent_date is None:
        return True
    active = active_sessions(course)
    return bool(active) and active[0].start.date() == day


# --- from rows to the plain data the builders take -------------------------------------------


def active_sessions(course: Course) -> list[InfusionSession]:
    """The course's sessions that count as infusions (not cancelled / no-show), by start."""
    return [s for s in course.sessions if s.status not in INACTIVE_SESSION_STATUSES]


def clinic_info(clinic: Clinic | None) -> ClinicInfo:
    if clinic is None:
        return ClinicInfo(name="")
    return ClinicInfo(clinic.name, clinic.address, clinic.phone, clinic.logo)


def _patient(course: Course) -> PatientInfo:
    p = course.patient
    return PatientInfo(
        ref=p.ref,
        name=p.name,
        date_of_birth=p.date_of_birth,
        record_number=p.record_number,
        weight_kg=p.weight_kg,
        flags=tuple(p.flags or ()),
        flags_acknowledged_by=p.flags_acknowledged_by,
        escort_name=p.escort_name,
        escort_phone=p.escort_phone,
    )


def _protocol(course: Course) -> ProtocolInfo:
    pr = course.protocol
    return ProtocolInfo(
        pr.ref,
        pr.name,
        pr.infusions,
        pr.prep_minutes,
        pr.infusion_minutes,
        pr.recovery_minutes,
        pr.dose_mg_per_kg,
    )


def consent_data(course: Course, clinic: ClinicInfo, policy: Policy, template: str) -> ConsentData:
    return ConsentData(
        clinic=clinic,
        patient=_patient(course),
        course_ref=course.ref,
        protocol=_protocol(course),
        planned_infusions=course.planned_infusions,
        planned_dates=tuple(s.start for s in active_sessions(course)),
        template_text=template,
        policy=policy,
        consent_date=course.consent_date,
    )


def _staff(row: InfusionSession, roles: Sequence[str]) -> StaffOnDuty | None:
    for a in row.assignments:
        if a.role in roles:
            return StaffOnDuty(a.staff.ref, a.staff.name, a.role)
    return None


def session_info(row: InfusionSession, problems: Sequence[tuple[str, str, str]]) -> SessionInfo:
    """Everything the papers print about one session; n of N counts active sessions only."""
    course = row.course
    active = active_sessions(course)
    earlier = [s for s in active if (s.start, s.id) < (row.start, row.id)]
    later = [s for s in active if (s.start, s.id) > (row.start, row.id)]
    following = Appointment(later[0].start, later[0].chair.name) if later else None
    return SessionInfo(
        ref=row.ref,
        start=row.start,
        status=row.status,
        chair_ref=row.chair.ref,
        chair_name=row.chair.name,
        chair_room=row.chair.room,
        prep_minutes=row.prep_minutes,
        infusion_minutes=row.infusion_minutes,
        recovery_minutes=row.recovery_minutes,
        number=len(earlier) + 1,
        of=course.planned_infusions,
        course_ref=course.ref,
        patient=_patient(course),
        protocol=_protocol(course),
        psychiatrist=_staff(row, (PSYCHIATRIST,)),
        monitoring=_staff(row, MONITORING_ROLES),
        consent_date=course.consent_date,
        next_appointment=following,
        problems=tuple(Problem(code, severity, message) for code, severity, message in problems),
    )


def week_days(
    session: Session, monday: date, infos: Sequence[SessionInfo]
) -> tuple[tuple[ChairInfo, ...], tuple[DaySchedule, ...]]:
    """The chairs, and the days that get a page: those with sessions or normal opening hours."""
    chairs = tuple(
        ChairInfo(c.ref, c.name, c.room)
        for c in session.scalars(select(Chair).where(Chair.active).order_by(Chair.ref))
    )
    hours: dict[int, list[OpeningHours]] = {}
    for h in session.scalars(select(OpeningHours)):
        hours.setdefault(h.weekday, []).append(h)
    sunday = monday + timedelta(days=6)
    closures = {
        c.day: c.reason
        for c in session.scalars(
            select(Closure).where(Closure.day >= monday, Closure.day <= sunday)
        )
    }
    days: list[DaySchedule] = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        todays = tuple(s for s in infos if s.start.date() == day)
        ranges = hours.get(day.weekday(), [])
        closed = closures.get(day)
        if not todays and (closed is not None or not ranges):
            continue
        open_from = open_until = None
        if ranges and closed is None:
            open_from = datetime.combine(day, min(r.open_time for r in ranges))
            open_until = datetime.combine(day, max(r.close_time for r in ranges))
        days.append(DaySchedule(day, open_from, open_until, closed, todays))
    return chairs, tuple(days)
