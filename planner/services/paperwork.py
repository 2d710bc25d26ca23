"""Printing paperwork: read what a document needs in one transaction, then build the PDF.

A session with a staffing error (the rules engine's staffing codes) is never
printed as if it were fine: the monitoring sheet and the day packet refuse
with :class:`StaffingIncomplete` naming what is missing, unless a draft is
asked for, which prints "DRAFT — staffing incomplete: …" across every page.
The week schedule marks every violation instead, and the consent form does
not depend on staffing.

Everything is read through :mod:`planner.db.mapping` as domain records, and
"infusion n of N" is the app's one numbering (``mapping.number_sessions``).
The PDF is built after the transaction ends, so printing never holds the
database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session as DbSession

from planner.db import mapping
from planner.db import tables as t
from planner.db.engine import Database
from planner.domain.policy import Policy
from planner.domain.records import Clinic, Course, Protocol, Session
from planner.paperwork import build_consent, build_day_packet, build_monitoring, build_week
from planner.paperwork.data import (
    ConsentData,
    DayPacketData,
    DaySchedule,
    MonitoringData,
    RenderOptions,
    SessionInfo,
    WeekData,
)
from planner.rules.violation import Violation
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
        "staff-inactive",
    }
)
Progress = Callable[[int, int], None]
_S = t.infusion_session.c


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
        courses = mapping.read_courses(session, t.course.c.ref == course_ref)
        if not courses:
            raise NotFound(f"no course with ref {course_ref!r}")
        policy = load_policy(session)
        read = _Sessions(session, _S.course_id.in_(courses))
        data = consent_data(
            next(iter(courses.values())), read, mapping.read_clinic(session), policy
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
        read = _Sessions(session, _S.ref == session_ref, active_only=False)
        if not read.chosen:
            raise NotFound(f"no session with ref {session_ref!r}")
        policy = load_policy(session)
        (info,) = read.infos(_problems(session, [session_ref]))
        data = MonitoringData(clinic=mapping.read_clinic(session), session=info, policy=policy)
        size = _paper(paper, policy)
        from planner.services.session_records import completed_sheet

        completed = completed_sheet(session, data)  # a recorded session: the filled-in sheet
    staffing = _staffing([info])
    note = _gate(staffing, draft, [info], what=f"the monitoring sheet of {session_ref}")
    if completed is not None:
        from planner.paperwork.completed import build_completed_monitoring

        return build_completed_monitoring(completed, _options(size, now, note))
    return build_monitoring(data, _options(size, now, note))


def render_week(
    db: Database,
    monday: date,
    *,
    draft: bool = False,
    paper: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """The week schedule of the week of ``monday`` (any day of it will do), one page per day.

    Violations are marked, never refused: it is the page that shows what is still
    missing. Asked for as a ``draft`` while staffing is incomplete, it also carries
    the draft banner.
    """
    monday -= timedelta(days=monday.weekday())
    with db.begin() as session:
        policy = load_policy(session)
        read = _Sessions(session, _between(monday, monday + timedelta(days=7)))
        infos = read.infos(_problems(session, [s.ref for s in read.chosen]))
        chairs = tuple(
            sorted(mapping.read_chairs(session, t.chair.c.active).values(), key=lambda c: c.ref)
        )
        clinic = mapping.read_clinic(session)
        days = week_days(monday, infos, clinic, _closures(session, monday))
        size = _paper(paper, policy)
    data = WeekData(
        clinic=clinic,
        monday=monday,
        chairs=chairs,
        days=days,
        problems=tuple((s, p) for s in infos for p in s.problems),
    )
    staffing = _staffing(infos)
    note = _gate(staffing, True, infos, what="the week schedule") if draft else None
    return build_week(data, _options(size, now, note))


def render_day(
    db: Database,
    day: date,
    *,
    draft: bool = False,
    paper: str | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The day packet: run sheet, monitoring sheets, and the consent forms still needed."""
    with db.begin() as session:
        policy = load_policy(session)
        read = _Sessions(session, _between(day, day + timedelta(days=1)))
        infos = tuple(read.infos(_problems(session, [s.ref for s in read.chosen])))
        clinic = mapping.read_clinic(session)
        consents: dict[str, ConsentData] = {}
        for s in read.chosen:
            course = s.course
            if course.ref not in consents and _needs_consent(course, read, day):
                consents[course.ref] = consent_data(course, read, clinic, policy)
        size = _paper(paper, policy)
    staffing = _staffing(infos)
    note = _gate(staffing, draft, infos, what=f"the day packet of {day.isoformat()}")
    # each patient's sheet says what is missing on its own session, and nothing else
    notes = {ref: "; ".join(msgs) for ref, msgs in staffing.items()}
    data = DayPacketData(
        clinic=clinic,
        day=day,
        sessions=infos,
        consents=consents,
        policy=policy,
        draft_notes=notes if note else {},
    )
    return build_day_packet(data, _options(size, now, note), progress=progress)


# --- reading -------------------------------------------------------------------------------------


class _Sessions:
    """The sessions matching ``where`` (``chosen``: active ones unless told otherwise, by start,
    chair and ref) read with every session of their courses, for numbering and what comes next."""

    def __init__(
        self, db: DbSession, where: ColumnElement[bool], *, active_only: bool = True
    ) -> None:
        wanted = set(db.scalars(select(_S.id).where(where)))
        read = mapping.read_sessions(db, _S.course_id.in_(select(_S.course_id).where(where)))
        #: Every session of the courses concerned, in the order they were stored.
        self.stored: list[Session] = list(read.sessions.values())
        self.chosen: list[Session] = sorted(
            (s for i, s in read.sessions.items() if i in wanted and (s.active or not active_only)),
            key=lambda s: (s.start, s.chair.ref, s.ref),
        )
        self.numbers = mapping.number_sessions(self.stored)
        self.place = {s.ref: i for i, s in enumerate(self.stored)}
        self.by_course: dict[str, list[Session]] = {}
        for s in sorted(self.stored, key=lambda s: s.start):  # stable: stored order on a tie
            if s.active:
                self.by_course.setdefault(s.course.ref, []).append(s)

    def next_after(self, s: Session) -> Session | None:
        """The course's next active session after ``s``."""
        key = (s.start, self.place[s.ref])
        course = self.by_course.get(s.course.ref, [])
        return next((o for o in course if (o.start, self.place[o.ref]) > key), None)

    def infos(self, problems: dict[str, list[Violation]]) -> list[SessionInfo]:
        return [
            SessionInfo(
                session=s,
                number=self.numbers.get(s.ref, 0),
                next_session=self.next_after(s),
                problems=tuple(problems.get(s.ref, ())),
            )
            for s in self.chosen
        ]


def _between(first: date, end: date) -> ColumnElement[bool]:
    """Sessions starting in [first, end)."""
    return (_S.start >= datetime.combine(first, time())) & (
        _S.start < datetime.combine(end, time())
    )


def _closures(db: DbSession, monday: date) -> dict[date, str]:
    c = t.closure.c
    rows = db.execute(
        select(c.day, c.reason).where(c.day >= monday, c.day <= monday + timedelta(days=6))
    )
    return {day: reason or "" for day, reason in rows}


def _problems(db: DbSession, refs: Sequence[str]) -> dict[str, list[Violation]]:
    """Violations per session ref."""
    if not refs:
        return {}
    out: dict[str, list[Violation]] = {}
    for v in check_sessions(db, list(refs)):
        out.setdefault(v.session, []).append(v)
    return out


def template_text(protocol: Protocol) -> str:
    """The protocol's own consent wording (kept in the database), else the shipped default."""
    if protocol.consent_template is not None:
        return protocol.consent_template.text
    return default_wording(protocol.indication)


def consent_data(course: Course, read: _Sessions, clinic: Clinic, policy: Policy) -> ConsentData:
    return ConsentData(
        clinic=clinic,
        course=course,
        planned_dates=tuple(s.start for s in read.by_course.get(course.ref, ())),
        template_text=template_text(course.protocol),
        policy=policy,
    )


def _needs_consent(course: Course, read: _Sessions, day: date) -> bool:
    """A consent form goes into the packet when none is on file or the series starts that day."""
    if course.consent_date is None:
        return True
    active = read.by_course.get(course.ref, [])
    return bool(active) and active[0].start.date() == day


# --- printing ------------------------------------------------------------------------------------


def _options(paper: str, now: datetime | None, note: str | None = None) -> RenderOptions:
    return RenderOptions(paper=paper, now=now or system_clock(), draft_note=note)


def _paper(paper: str | None, policy: Policy) -> str:
    chosen = (paper or policy.paper_size or "A4").strip()
    if chosen.lower() not in ("a4", "letter"):
        raise ValidationFailed(f"paper must be A4 or Letter, not {chosen!r}")
    return "A4" if chosen.lower() == "a4" else "Letter"


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
    """The draft note to print, or StaffingIncomplete when staffing is incomplete and no draft.

    The printed note names sessions by ref and time only: a banner on a page never carries
    a patient's name (the refusal, shown on screen to staff, does).
    """
    if not staffing:
        return None
    by_ref = {s.ref: s for s in infos}
    named, printed = [], []
    for ref, messages in staffing.items():
        s = by_ref[ref]
        what_is_missing = "; ".join(messages)
        named.append(f"{ref} ({s.patient.name}, {s.start:%Y-%m-%d %H:%M}): {what_is_missing}")
        printed.append(f"{ref} ({s.start:%Y-%m-%d %H:%M}, {s.chair.name}): {what_is_missing}")
    if draft:
        return " · ".join(printed)
    raise StaffingIncomplete(what, " · ".join(named), staffing)


def week_days(
    monday: date, infos: Sequence[SessionInfo], clinic: Clinic, closures: dict[date, str]
) -> tuple[DaySchedule, ...]:
    """The days that get a page: those with sessions or normal opening hours."""
    hours: dict[int, list[tuple[time, time]]] = {}
    for h in clinic.opening_hours:
        hours.setdefault(h.weekday, []).append((h.open, h.close))
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
            open_from = datetime.combine(day, min(a for a, _ in ranges))
            open_until = datetime.combine(day, max(b for _, b in ranges))
        days.append(DaySchedule(day, open_from, open_until, closed, todays))
    return tuple(days)
