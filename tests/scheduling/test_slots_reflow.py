"""Slot finder for one course, and reflow after a cancelled session."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from bench.records import booking
from planner.domain.records import Session, StaffMember
from planner.scheduling import ClinicSpec, CourseProgress, find_course_slots, reflow_course

from .support import DEP, clinic, course, rules_check, staff

MON = datetime(2027, 3, 1, 9, 0)
CHAIR = timedelta(minutes=DEP.chair_minutes)


def _people() -> tuple[StaffMember, ...]:
    return (staff("D1", "psychiatrist"), staff("N1", "infusion_nurse"), staff("N2", "infusion_nurse"))


def test_slot_finder_proposes_each_remaining_infusion_earliest_first_and_feasible() -> None:
    c = course("C1", 3)
    spec = clinic(staff=_people(), courses=(c,))
    found = find_course_slots(spec, c, earliest=MON, horizon_days=14, alternatives_for=2, limit=4)
    starts = [p.start for p in found.proposals]
    assert starts[0] == MON  # the first free start at or after "earliest"
    assert all(b - a >= timedelta(hours=48) for a, b in zip(starts, starts[1:], strict=False))
    assert [p.infusion for p in found.proposals] == [1, 2, 3]
    sessions = [
        (c.course.ref, p.chair, p.start, f"S{i}", ((p.psychiatrist, "psychiatrist"), (p.monitoring_clinician, p.monitoring_role)))
        for i, p in enumerate(found.proposals)
    ]
    assert [v for v in rules_check(spec, sessions) if v.severity == "error"] == []
    # Alternatives for infusion 2: later than the proposal, earliest first, one per half day.
    alts = [a.start for a in found.alternatives]
    assert len(alts) == 4
    assert alts == sorted(alts) and alts[0] > found.proposals[1].start
    assert len({(a.date(), a.hour >= 12) for a in alts}) == 4


def test_slot_finder_says_when_nothing_fits() -> None:
    c = course("C1", 2)
    spec = clinic(staff=(staff("D1", "psychiatrist"),), courses=(c,))
    found = find_course_slots(spec, c, earliest=MON, horizon_days=7)
    assert found.proposals == ()
    assert [n for n, _ in found.unplaced] == [1, 2]


def _series() -> tuple[CourseProgress, ClinicSpec, list[Session]]:
    c = course("C1", 1, planned=5)
    # Mon done, Wed cancelled (not active, so not a booking), then Fri, Mon, Wed planned.
    days = [0, 4, 7, 9]
    people = _people()
    bookings = [
        booking(f"X{d}", c.course, "CH-1", MON + timedelta(days=d),
                (("D1", "psychiatrist"), ("N1", "infusion_nurse")), {s.ref: s for s in people})
        for d in days
    ]
    return c, clinic(staff=people, courses=(c,), bookings=tuple(bookings)), bookings


def test_reflow_makes_up_the_missed_infusion_and_keeps_spacing() -> None:
    c, spec, bookings = _series()
    missed_end = MON + timedelta(days=2) + CHAIR
    proposal = reflow_course(spec, c, trigger="XW", after=missed_end)
    assert proposal.problems == ()
    moved = {m.session: m for m in proposal.moves}
    assert None in moved, "a make-up infusion is proposed"
    final = {b.ref: b.start for b in bookings}
    for ref, move in moved.items():
        final[ref or "make-up"] = move.new.start
        if move.old_start is not None:
            assert move.new.start >= move.old_start, "later sessions never move earlier"
    series = sorted(final.values())
    assert len(series) == 5
    assert all(b - a >= timedelta(hours=48) for a, b in zip(series, series[1:], strict=False))
    assert moved[None].new.start.date() == (MON + timedelta(days=3)).date()  # Thursday, same time
    assert moved[None].new.start.time() == MON.time()
    # The new and moved sessions pass the rules engine in the context of the rest.
    kept = tuple(b for b in spec.bookings if b.ref not in moved)
    context = dataclasses.replace(spec, bookings=kept)
    sessions = [
        (c.course.ref, m.new.chair, m.new.start, m.session or "NEW",
         ((m.new.psychiatrist, "psychiatrist"), (m.new.monitoring_clinician, m.new.monitoring_role)))
        for m in proposal.moves
    ]
    assert [v for v in rules_check(context, sessions) if v.severity == "error"] == []
    assert [v.code for v in rules_check(context, sessions) if v.code == "spacing-too-short"] == []


def test_reflow_leaves_sessions_alone_when_spacing_still_holds() -> None:
    c, spec, bookings = _series()
    # Cancelled Friday instead: the make-up goes after it; Mon and Wed keep their places
    # only if 48 h from the make-up still holds, which the proposal decides.
    after = MON + timedelta(days=11) + CHAIR  # after the last session
    proposal = reflow_course(spec, c, trigger="XF", after=after)
    assert [m.session for m in proposal.moves] == [None]
    assert proposal.moves[0].new.start >= bookings[-1].start + timedelta(hours=48)
