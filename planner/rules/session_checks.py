"""Checks of one session on its own: staffing, credentials, availability, opening, flags."""

from __future__ import annotations

from planner.domain import MONITORING_ROLES, PSYCHIATRIST
from planner.rules import text
from planner.rules.context import Context, Range, Rec, StaffInfo
from planner.rules.violation import (
    CHAIR_INACTIVE,
    CLINIC_CLOSED,
    CONSENT_MISSING,
    CREDENTIAL_EXPIRED,
    ESCORT_MISSING,
    MISSING_MONITORING_CLINICIAN,
    MISSING_PSYCHIATRIST,
    OUTSIDE_OPENING_HOURS,
    PATIENT_FLAG,
    ROLE_NOT_HELD,
    SAME_PERSON_BOTH_ROLES,
    STAFF_INACTIVE,
    STAFF_ON_LEAVE,
    STAFF_UNAVAILABLE,
    Violation,
    make,
)


def _ranges_text(ranges: list[Range]) -> str:
    return ", ".join(text.time_range(a, b) for a, b in ranges)


def check_session(rec: Rec, ctx: Context) -> list[Violation]:
    """Everything about ``rec`` that needs no other session."""
    out: list[Violation] = []
    assigned = rec.assigned
    if (
        len(assigned) == 2
        and assigned[0][1] == PSYCHIATRIST
        and assigned[1][1] in MONITORING_ROLES
        and assigned[0][0] is not assigned[1][0]
        and assigned[0][0].ref != assigned[1][0].ref
    ):
        # The usual case: one psychiatrist and one monitoring clinician.
        for member, role in assigned:
            if role not in member.roles:
                out.append(_role_not_held(rec, member, role))
            _staff_checks(rec, member, ctx, out)
    else:
        _staffing(rec, ctx, out)
    _clinic_checks(rec, ctx, out)
    course = rec.course
    if course.flags:
        ack = (
            f"acknowledged by {course.acknowledged_by}"
            if course.acknowledged_by
            else "needs a clinician's acknowledgement"
        )
        out.append(
            make(
                PATIENT_FLAG,
                rec.ref,
                f"{course.patient_name} has exclusion flags: {text.flags(course.flags)} — {ack}",
                patient=course.patient_ref,
            )
        )
    _readiness(rec, out)
    return out


def _readiness(rec: Rec, out: list[Violation]) -> None:
    """What must be on file before the day: an escort to take the patient home, and consent."""
    course = rec.course
    if course.escort_missing:
        out.append(
            make(
                ESCORT_MISSING,
                rec.ref,
                f"{course.patient_name} has no escort {course.escort_missing} on file "
                "(no escort, no infusion)",
                patient=course.patient_ref,
            )
        )
    if course.consent_date is None:
        out.append(
            make(
                CONSENT_MISSING,
                rec.ref,
                f"Course {course.ref} of {course.patient_name} has no consent date on file "
                "(the consent must be signed before the first infusion)",
                patient=course.patient_ref,
            )
        )


def _role_not_held(rec: Rec, member: StaffInfo, role: str) -> Violation:
    held = ", ".join(text.role(r) for r in sorted(member.roles)) or "none on record"
    return make(
        ROLE_NOT_HELD,
        rec.ref,
        f"{member.name} is assigned as {text.role(role)} but does not hold that role "
        f"(roles: {held})",
        staff=member.ref,
    )


def _staffing(rec: Rec, ctx: Context, out: list[Violation]) -> None:
    """The general case: any number of assignments, people possibly in two roles."""
    ref = rec.ref
    psych: set[str] = set()
    monitors: set[str] = set()
    members: dict[str, StaffInfo] = {}
    for member, role in rec.assigned:
        members.setdefault(member.ref, member)
        if role == PSYCHIATRIST:
            psych.add(member.ref)
        elif role in MONITORING_ROLES:
            monitors.add(member.ref)
        if role not in member.roles:
            out.append(_role_not_held(rec, member, role))
    if not psych:
        out.append(make(MISSING_PSYCHIATRIST, ref, "No psychiatrist is assigned"))
    if not monitors:
        out.append(
            make(
                MISSING_MONITORING_CLINICIAN,
                ref,
                "No monitoring clinician (anesthesiologist or infusion nurse) is assigned",
            )
        )
    if len(psych) == 1 and psych == monitors:
        (only,) = psych
        out.append(
            make(
                SAME_PERSON_BOTH_ROLES,
                ref,
                f"{members[only].name} fills both the psychiatrist and the monitoring clinician "
                "role; two different people are needed",
                staff=only,
            )
        )
    for member in members.values():
        _staff_checks(rec, member, ctx, out)


def _staff_checks(rec: Rec, member: StaffInfo, ctx: Context, out: list[Violation]) -> None:
    day = rec.day
    if not member.active and not rec.done:
        out.append(
            make(
                STAFF_INACTIVE,
                rec.ref,
                f"{member.name} has been deactivated; assign someone else",
                staff=member.ref,
            )
        )
    if member.expires is None:
        out.append(
            make(
                CREDENTIAL_EXPIRED,
                rec.ref,
                f"No credential expiry date is on record for {member.name}",
                staff=member.ref,
            )
        )
    elif member.expires < day:
        out.append(
            make(
                CREDENTIAL_EXPIRED,
                rec.ref,
                f"{member.name}'s credential expired on {text.day(member.expires)}",
                staff=member.ref,
            )
        )
    for first, last in member.leave:
        if first <= day <= last:
            out.append(
                make(
                    STAFF_ON_LEAVE,
                    rec.ref,
                    f"{member.name} is on leave {text.date_range(first, last)}",
                    staff=member.ref,
                )
            )
            break
    if not member.hours.fits(rec.slot):
        ranges = member.hours.by_day.get(day.weekday())
        if ranges:
            msg = (
                f"{member.name} is not available {text.span(rec.start, rec.end)} on "
                f"{text.weekday_plural(day.weekday())} (hours: {_ranges_text(ranges)})"
            )
        else:
            msg = f"{member.name} has no working hours on {text.weekday_plural(day.weekday())}"
        out.append(make(STAFF_UNAVAILABLE, rec.ref, msg, staff=member.ref))


def _clinic_checks(rec: Rec, ctx: Context, out: list[Violation]) -> None:
    day = rec.day
    if rec.chair in ctx.inactive_chairs and not rec.done:
        out.append(
            make(
                CHAIR_INACTIVE,
                rec.ref,
                f"{rec.chair_name} is no longer in use; move the session to another chair",
                chair=rec.chair,
            )
        )
    if day in ctx.closures:
        reason = ctx.closures[day]
        why = f" ({reason})" if reason else ""
        out.append(make(CLINIC_CLOSED, rec.ref, f"The clinic is closed on {text.day(day)}{why}"))
        return
    if not ctx.has_opening or ctx.opening.fits(rec.slot):
        return
    ranges = ctx.opening.by_day.get(day.weekday())
    if ranges:
        msg = (
            f"{text.span(rec.start, rec.end)} is outside the clinic's opening hours on "
            f"{text.weekday_plural(day.weekday())} ({_ranges_text(ranges)})"
        )
    else:
        msg = f"The clinic is not open on {text.weekday_plural(day.weekday())}"
    out.append(make(OUTSIDE_OPENING_HOURS, rec.ref, msg))
