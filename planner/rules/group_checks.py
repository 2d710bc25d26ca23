"""Checks across sessions: chair, patient, staff member and course groups.

Each function takes the active records of ONE group (one chair, one patient,
...) and returns the violations of every session of it. A conflict between two
sessions is reported on both, each naming the other in ``related``, so a badge
appears wherever either session is shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from planner.rules import text
from planner.rules.context import Context, Rec
from planner.rules.sweeps import overlapping_pairs, overloads
from planner.rules.violation import (
    CHAIR_DOUBLE_BOOKED,
    COURSE_OVER_PLANNED,
    INDUCTION_GAP_TOO_LONG,
    PATIENT_DOUBLE_BOOKED,
    SPACING_TOO_SHORT,
    STAFF_OVERBOOKED,
    TOO_MANY_PER_WEEK,
    Violation,
    make,
)

WEEK = timedelta(days=7)


def _by_start(recs: Sequence[Rec]) -> list[Rec]:
    return sorted(recs, key=lambda r: (r.start, r.ref))


def _overlaps(seq: Sequence[Rec]) -> list[tuple[Rec, Rec]]:
    """Overlapping pairs of records sorted by start; one linear pass when there are none."""
    latest = None
    for r in seq:
        if r.start < r.end:
            if latest is not None and r.start < latest:
                break
            if latest is None or r.end > latest:
                latest = r.end
    else:
        return []
    by_ref = {r.ref: r for r in seq}
    pairs = overlapping_pairs([(r.start, r.end, r.ref) for r in seq], presorted=True)
    return [(by_ref[a], by_ref[b]) for a, b in pairs]


def chair_conflicts(recs: Sequence[Rec], ordered: bool = False) -> list[Violation]:
    """Two sessions in one chair at once (chair time, half-open).

    ``ordered``: ``recs`` already come sorted by (start, ref) (saves a sort).
    """
    if len(recs) < 2:
        return []
    out: list[Violation] = []
    for a, b in _overlaps(recs if ordered else _by_start(recs)):
        for this, other in ((a, b), (b, a)):
            out.append(
                make(
                    CHAIR_DOUBLE_BOOKED,
                    this.ref,
                    f"{this.chair_name} is also booked for {other.course.patient_name} "
                    f"{text.span(other.start, other.end)} (session {other.ref})",
                    related=(other.ref,),
                    chair=this.chair,
                )
            )
    return out


def patient_conflicts(recs: Sequence[Rec], ordered: bool = False) -> list[Violation]:
    """One patient's sessions: overlaps and spacing (start to start, the later session's protocol)."""
    if len(recs) < 2:
        return []
    seq = recs if ordered else _by_start(recs)
    out: list[Violation] = []
    for a, b in _overlaps(seq):
        for this, other in ((a, b), (b, a)):
            out.append(
                make(
                    PATIENT_DOUBLE_BOOKED,
                    this.ref,
                    f"{this.course.patient_name} is also booked {text.span(other.start, other.end)} "
                    f"in {other.chair_name} (session {other.ref})",
                    related=(other.ref,),
                    patient=this.course.patient_ref,
                )
            )
    for prev, cur in zip(seq, seq[1:], strict=False):
        need = cur.course.min_hours
        seconds = (cur.start - prev.start).total_seconds()
        if seconds >= need * 3600:
            continue
        name = cur.course.patient_name
        got = text.duration(seconds)
        out.append(
            make(
                SPACING_TOO_SHORT,
                cur.ref,
                f"Only {got} since {name}'s previous infusion ({text.when(prev.start)}); "
                f"the protocol asks for at least {text.hours(need)}",
                related=(prev.ref,),
                patient=cur.course.patient_ref,
            )
        )
        out.append(
            make(
                SPACING_TOO_SHORT,
                prev.ref,
                f"Only {got} before {name}'s next infusion ({text.when(cur.start)}); "
                f"the protocol asks for at least {text.hours(need)}",
                related=(cur.ref,),
                patient=cur.course.patient_ref,
            )
        )
    return out


def course_checks(recs: Sequence[Rec], ordered: bool = False) -> list[Violation]:
    """One course's sessions: per-7-day frequency, induction gaps, more than planned."""
    if not recs:
        return []
    course = recs[-1].course  # the newest facts when a what-if record comes last
    seq = recs if ordered else _by_start(recs)
    out: list[Violation] = []
    n = len(seq)
    patient = course.patient_ref
    # Any 7 consecutive calendar days holding more than max_per_7_days infusions.
    if n > course.max_per_7:
        flagged: set[str] = set()
        j = 0
        for i in range(n):
            j = max(j, i)
            while j < n and seq[j].day - seq[i].day < WEEK:
                j += 1
            count = j - i
            if count <= course.max_per_7:
                continue
            window = seq[i:j]
            first = window[0].day
            label = text.date_range(first, first + timedelta(days=6))
            for r in window:
                if r.ref in flagged:
                    continue
                flagged.add(r.ref)
                out.append(
                    make(
                        TOO_MANY_PER_WEEK,
                        r.ref,
                        f"{course.patient_name} has {count} infusions of course {course.ref} "
                        f"within 7 days ({label}); the protocol allows {course.max_per_7}",
                        related=tuple(w.ref for w in window if w.ref != r.ref),
                        patient=patient,
                    )
                )
    # Gaps between consecutive infusions of the induction (the first N).
    if course.status == "active":
        induction = seq[: course.infusions]
        for k in range(1, len(induction)):
            prev, cur = induction[k - 1], induction[k]
            gap = (cur.day - prev.day).days
            if gap <= course.max_gap_days:
                continue
            limit = course.max_gap_days
            out.append(
                make(
                    INDUCTION_GAP_TOO_LONG,
                    cur.ref,
                    f"{gap} days since the previous induction infusion of course {course.ref} "
                    f"({text.day(prev.day)}); the protocol allows at most {limit} days",
                    related=(prev.ref,),
                    patient=patient,
                )
            )
            out.append(
                make(
                    INDUCTION_GAP_TOO_LONG,
                    prev.ref,
                    f"{gap} days until the next induction infusion of course {course.ref} "
                    f"({text.day(cur.day)}); the protocol allows at most {limit} days",
                    related=(cur.ref,),
                    patient=patient,
                )
            )
    if n > course.planned:
        for k in range(course.planned, n):
            out.append(
                make(
                    COURSE_OVER_PLANNED,
                    seq[k].ref,
                    f"This is infusion {k + 1} of course {course.ref}, which plans "
                    f"{course.planned}",
                    patient=patient,
                )
            )
    return out


StaffItem = tuple[datetime, datetime, str, int]


def staff_items(member_ref: str, recs: Sequence[Rec], ctx: Context) -> list[StaffItem]:
    """(start, end, ref, limit) of each session of the member; the limit is the smallest
    of the roles the member fills in it."""
    limits = ctx.limits
    items = []
    for r in recs:
        limit = 0
        for member, role in r.assigned:
            if member.ref == member_ref:
                lim = limits.get(role, 1)
                if limit == 0 or lim < limit:
                    limit = lim
        items.append((r.start, r.end, r.ref, limit))
    return items


def staff_load(
    member_ref: str,
    items: Sequence[StaffItem],
    recs: Mapping[str, Rec],
    ctx: Context,
    ordered: bool = False,
) -> list[Violation]:
    """A staff member with more patients at once than the limit of the role(s) filled.

    The count is the member's concurrent sessions, whatever role; the limit at an
    instant is the smallest among the roles the member fills then. ``recs`` maps
    the refs of ``items`` to their records (read only when there is something to say).
    """
    if len(items) < 2:
        return []
    found = overloads(items, presorted=ordered)
    if not found:
        return []
    out: list[Violation] = []
    for ref, over in found.items():
        r = recs[ref]
        name, role = member_ref, ""
        for member, filled in r.assigned:
            if member.ref == member_ref and (not role or ctx.limit(filled) < ctx.limit(role)):
                name, role = member.name, filled
        start = max(over.start, r.start)
        end = min(over.end, r.end)
        others = over.peak - 1
        out.append(
            make(
                STAFF_OVERBOOKED,
                ref,
                f"{name} is already with {text.plural(others, 'patient')} {text.span(start, end)} "
                f"(limit {over.limit} as {text.role(role)})",
                related=tuple(sorted(over.others)),
                staff=member_ref,
            )
        )
    return out
