"""Course date generation: a pattern (RRULE text or a preset) turned into checked dates.

Every occurrence is validated, not only the first: dates on closures or closed
weekdays and dates that would break the protocol's spacing or per-7-days limit
are skipped (and listed, with why); every kept date is then checked for
opening hours, a free chair, a free psychiatrist and monitoring clinician, the
patient's other sessions and the induction gap, and carries its own problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

from dateutil.rrule import rrulestr

from planner.scheduling.grid import Board, Timeline
from planner.scheduling.model import ClinicSpec, CourseProgress, monitoring_role, spacing_minutes
from planner.scheduling.results import CoursePlan, DateProblem, PlannedOccurrence, SkippedDate
from planner.scheduling.visits import PatientBook, Visit, _week_ok

#: Preset name -> RRULE (``None``: the adaptive "every 2–3 days" rhythm).
PRESETS: dict[str, str | None] = {
    "Mon/Wed/Fri": "FREQ=WEEKLY;BYDAY=MO,WE,FR",
    "Mon/Thu": "FREQ=WEEKLY;BYDAY=MO,TH",
    "every 2–3 days": None,
}
_ALIASES = {
    "mon/wed/fri": "Mon/Wed/Fri",
    "mwf": "Mon/Wed/Fri",
    "mon/thu": "Mon/Thu",
    "every 2-3 days": "every 2–3 days",
    "every 2–3 days": "every 2–3 days",
}
#: How many candidate dates are looked at before giving up (about two years of a weekly rule).
MAX_CANDIDATES = 730
_DAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def normalise_pattern(text: str) -> str:
    """A preset name or RRULE text (without the ``RRULE:`` prefix); ValueError when unusable."""
    raw = " ".join(text.strip().split())
    if not raw:
        raise ValueError("choose a pattern: Mon/Wed/Fri, Mon/Thu, every 2–3 days, or an RRULE")
    alias = _ALIASES.get(raw.lower())
    if alias:
        return alias
    rule = re.sub(r"^RRULE:", "", raw, flags=re.IGNORECASE).upper()
    try:
        rrulestr(rule, dtstart=datetime(2000, 1, 3, 9, 0))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a recurrence rule: {raw!r} ({exc})") from None
    return rule


def _candidates(pattern: str, start: datetime, accepted: list[datetime]) -> Iterator[datetime]:
    rule = PRESETS.get(pattern, pattern)
    if rule is not None:
        for n, when in enumerate(rrulestr(rule, dtstart=start)):
            if n >= MAX_CANDIDATES:
                return
            yield when
        return
    # every 2–3 days: two days after the last kept date, else three, else the next day after.
    when = start
    for _ in range(MAX_CANDIDATES):
        yield when
        base = accepted[-1] if accepted else when
        offset = (when - base).days
        when = base + timedelta(days=2) if offset < 2 else when + timedelta(days=1)


def plan_course(
    clinic: ClinicSpec, progress: CourseProgress, start: datetime, pattern: str, count: int, *, step: int = 5
) -> CoursePlan:
    """``count`` dates from ``start`` by ``pattern``, each with a chair, staff and its problems."""
    name = normalise_pattern(pattern)
    course = progress.course
    proto = course.protocol
    spacing = timedelta(hours=proto.min_hours_between)
    history = [b.start for b in clinic.course_bookings(course.ref)]
    accepted: list[datetime] = []
    skipped: list[SkippedDate] = []
    for when in _candidates(name, start, accepted):
        if len(accepted) >= count:
            break
        if when < start:
            continue
        day = when.date()
        if day in clinic.closures:
            skipped.append(SkippedDate(day, "the clinic is closed that day"))
            continue
        if not clinic.opening_ranges(day):
            skipped.append(SkippedDate(day, f"the clinic is closed on {_DAY[day.weekday()]}s"))
            continue
        previous = [t for t in history + accepted if t <= when]
        if previous and when - max(previous) < spacing:
            hours = (when - max(previous)).total_seconds() / 3600
            skipped.append(
                SkippedDate(day, f"only {hours:g} h after the previous infusion "
                                 f"(the protocol asks for at least {proto.min_hours_between:g} h)")
            )
            continue
        days = [(t.date() - start.date()).days for t in history + accepted]
        if proto.max_per_7_days > 0 and not _week_ok(days, (day - start.date()).days, proto.max_per_7_days):
            skipped.append(
                SkippedDate(day, f"would exceed {proto.max_per_7_days} infusions within 7 days")
            )
            continue
        accepted.append(when)
    occurrences = _validate(clinic, progress, accepted, step)
    return CoursePlan(name, occurrences, tuple(skipped))


def _validate(
    clinic: ClinicSpec, progress: CourseProgress, dates: list[datetime], step: int
) -> tuple[PlannedOccurrence, ...]:
    if not dates:
        return ()
    course = progress.course
    tl = Timeline(dates[0].date(), dates[-1].date(), step)
    board = Board(clinic, tl)
    book = PatientBook(clinic, tl)
    proto = course.protocol
    minutes = proto.chair_minutes
    length = tl.slots(minutes)
    spacing = spacing_minutes(proto)
    out: list[PlannedOccurrence] = []
    previous = [b.start for b in clinic.course_bookings(course.ref)]
    for n, when in enumerate(dates, start=1):
        problems: list[DateProblem] = []
        end = when + timedelta(minutes=minutes)
        at = tl.minutes(when)
        slot = at // step
        bit = 1 << slot if at % step == 0 else 0
        if not bit or not board.open_starts(length) & bit:
            problems.append(DateProblem(
                "outside-opening-hours", "error",
                f"{when:%H:%M}–{end:%H:%M} is outside the clinic's opening hours"))
        if bit and not book.allowed(progress, length) & bit:
            problems.append(DateProblem(
                "patient-double-booked", "error",
                "the patient has another session too close to this one (overlap, spacing "
                "or per-7-days limit)"))
        chair = board.best_chair(slot, length) if bit else None
        if chair is None:
            problems.append(DateProblem("chair-double-booked", "error", "no chair is free then"))
        psy = sorted(board.free_staff(board.psychiatrists, slot, length), key=lambda s: s.member.ref) if bit else []
        mon = sorted(board.free_staff(board.monitors, slot, length), key=lambda s: s.member.ref) if bit else []
        pair = next(((p, m) for p in psy for m in mon if p.index != m.index), None)
        if not psy:
            problems.append(DateProblem(
                "missing-psychiatrist", "error",
                "no psychiatrist is available then (hours, leave, credential or patient limit)"))
        if not mon:
            problems.append(DateProblem(
                "missing-monitoring-clinician", "error",
                "no anesthesiologist or infusion nurse is available then "
                "(hours, leave, credential or patient limit)"))
        elif psy and pair is None:
            problems.append(DateProblem(
                "same-person-both-roles", "error",
                "only one person could fill both roles; two different people are needed"))
        if previous and (when.date() - max(previous).date()).days > proto.max_gap_days:
            gap = (when.date() - max(previous).date()).days
            problems.append(DateProblem(
                "induction-gap-too-long", "warning",
                f"{gap} days after the previous infusion (the protocol allows {proto.max_gap_days})"))
        chair_ref = board.chairs[chair] if chair is not None else None
        if chair is not None and pair is not None and bit:
            board.book(chair, slot, length, (pair[0].index, pair[1].index))
        if bit:
            book.add(course.patient.ref, Visit(at, at + minutes, course.ref, spacing))
        out.append(PlannedOccurrence(
            infusion=n,
            start=when,
            end=end,
            chair=chair_ref,
            psychiatrist=pair[0].member.ref if pair else None,
            monitoring_clinician=pair[1].member.ref if pair else None,
            monitoring_role=monitoring_role(pair[1].member.roles) if pair else None,
            problems=tuple(problems),
        ))
        previous.append(when)
    return tuple(out)
