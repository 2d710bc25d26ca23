"""The one validation entry point, ``check``: a clinic snapshot in, sorted violations out."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from planner.domain.policy import Policy
from planner.rules.context import Context, Rec
from planner.rules.data import ClinicData
from planner.rules.group_checks import (
    StaffItem,
    chair_conflicts,
    course_checks,
    patient_conflicts,
    staff_load,
)
from planner.rules.session_checks import check_session
from planner.rules.violation import CODES, ERROR, Violation

_CODE_ORDER = {code: i for i, code in enumerate(CODES)}


def refs_of(sessions: Iterable[Any] | None) -> frozenset[str] | None:
    """Refs from refs or session-like objects (None stays None = no restriction)."""
    if sessions is None:
        return None
    if isinstance(sessions, str):
        return frozenset((sessions,))
    return frozenset(s if isinstance(s, str) else s.ref for s in sessions)


def sort_violations(violations: list[Violation], recs: dict[str, Rec]) -> list[Violation]:
    """Chronological by session, then errors first, then in the order of the code table."""

    def key(v: Violation) -> tuple[Any, ...]:
        rec = recs.get(v.session)
        return (
            rec.start if rec is not None else None,
            v.session,
            0 if v.severity == ERROR else 1,
            _CODE_ORDER.get(v.code, 99),
            v.staff or "",
            v.related,
            v.message,
        )

    return sorted(violations, key=key)


def check(
    data: ClinicData,
    policy: Policy | None = None,
    *,
    sessions: Iterable[Any] | None = None,
) -> list[Violation]:
    """Every violation of the active sessions of ``data`` (cancelled/no-show take part in nothing).

    ``sessions`` (refs or session objects) restricts what is REPORTED; those
    sessions are still checked against everything in ``data``. Without it, a
    ``focus`` attribute of ``data`` (set by ``load_clinic_data`` for a date
    range) restricts the report the same way.
    """
    policy = policy or Policy()
    want = refs_of(sessions)
    if want is None:
        want = getattr(data, "focus", None)
    with gc_paused():
        ctx = Context(policy, data.opening_hours, data.closures)
        flat = (rec for s in data.sessions if (rec := ctx.rec(s)) is not None)
        found, index = check_records(flat, ctx, want)
        return sort_violations(found, index)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while checking.

    A check makes tens of thousands of small records and no reference cycles
    (all of it is freed by reference counting); letting the collector scan the
    whole heap again and again meanwhile costs a third of the time on ten years.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _start_ref(rec: Rec) -> tuple[Any, str]:
    return (rec.start, rec.ref)


def _item_order(item: StaffItem) -> tuple[Any, str]:
    return (item[0], item[2])


def check_records(
    source: Iterable[Rec], ctx: Context, want: frozenset[str] | None
) -> tuple[list[Violation], dict[str, Rec]]:
    """The checks proper, in ONE pass over the records (each is touched while it is hot),
    then per group. Returns the violations and the records by ref.

    Input in (start, ref) order (as ``load_clinic_data`` gives it) makes every group
    come out sorted; otherwise each group is sorted on its own. Groups without a
    wanted session are skipped.
    """
    limits = ctx.limits
    out: list[Violation] = []
    index: dict[str, Rec] = {}
    by_chair: dict[str, list[Rec]] = {}
    by_patient: dict[str, list[Rec]] = {}
    by_course: dict[str, list[Rec]] = {}
    by_staff: dict[str, list[StaffItem]] = {}
    ordered = True
    prev: Rec | None = None
    for r in source:
        index[r.ref] = r
        start = r.start
        if prev is not None and (start < prev.start or (start == prev.start and r.ref < prev.ref)):
            ordered = False
        prev = r
        if want is None or r.ref in want:
            out.extend(check_session(r, ctx))
        by_chair.setdefault(r.chair, []).append(r)
        by_patient.setdefault(r.course.patient_ref, []).append(r)
        by_course.setdefault(r.course.ref, []).append(r)
        for member, role in r.assigned:
            items = by_staff.setdefault(member.ref, [])
            limit = limits.get(role, 1)
            if items and items[-1][2] == r.ref:  # one person in two roles of one session
                if limit < items[-1][3]:
                    items[-1] = (start, r.end, r.ref, limit)
                continue
            items.append((start, r.end, r.ref, limit))
    if not ordered:
        for groups in (by_chair, by_patient, by_course):
            for group in groups.values():
                group.sort(key=_start_ref)
        for items in by_staff.values():
            items.sort(key=_item_order)

    def wanted(group: list[Rec]) -> bool:
        return want is None or any(r.ref in want for r in group)

    found: list[Violation] = []
    for group in by_chair.values():
        if len(group) > 1 and wanted(group):
            found.extend(chair_conflicts(group, ordered=True))
    for group in by_patient.values():
        if len(group) > 1 and wanted(group):
            found.extend(patient_conflicts(group, ordered=True))
    for group in by_course.values():
        if wanted(group):
            found.extend(course_checks(group, ordered=True))
    for member_ref, items in by_staff.items():
        if len(items) < 2 or (want is not None and not any(it[2] in want for it in items)):
            continue
        found.extend(staff_load(member_ref, items, index, ctx, ordered=True))
    if want is not None:
        found = [v for v in found if v.session in want]
    out.extend(found)
    return out, index
