"""Slot finder for one course: where each remaining infusion can go, earliest feasible first.

Infusions are placed one after another (each respects the spacing and
per-7-days limit from the ones before it); for one chosen infusion the finder
also ranks alternatives: the next feasible starts, at most one per half day so
the choice is a real choice, earliest first.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from planner.scheduling.grid import Board, Timeline, iter_bits, span
from planner.scheduling.model import ClinicSpec, CourseProgress, monitoring_role, spacing_minutes
from planner.scheduling.results import SlotProposal, SlotSuggestions
from planner.scheduling.visits import PatientBook, Visit


class CourseSlots:
    """A board for one course over a horizon, booking what it proposes as it goes."""

    def __init__(self, clinic: ClinicSpec, progress: CourseProgress, first: date, last: date, step: int = 15):
        self.progress = progress
        self.course = progress.course
        self.tl = Timeline(first, last, step)
        self.board = Board(clinic, self.tl)
        self.book = PatientBook(clinic, self.tl)
        self.length = self.tl.slots(self.course.protocol.chair_minutes)
        self.spacing = spacing_minutes(self.course.protocol)

    def options(self, earliest: datetime) -> int:
        lo = max(0, self.tl.ceil(self.tl.minutes(earliest)))
        return (
            self.board.resource_starts(self.length)
            & self.book.allowed(self.progress, self.length)
            & ~span(0, lo)
        )

    def proposal_at(self, slot: int, infusion: int) -> SlotProposal | None:
        chair = self.board.best_chair(slot, self.length)
        pair = self.board.staff_pair(slot, self.length)
        if chair is None or pair is None:
            return None
        start = self.tl.at(slot)
        return SlotProposal(
            infusion=infusion,
            start=start,
            end=start + timedelta(minutes=self.course.protocol.chair_minutes),
            chair=self.board.chairs[chair],
            psychiatrist=pair[0].member.ref,
            monitoring_clinician=pair[1].member.ref,
            monitoring_role=monitoring_role(pair[1].member.roles),
        )

    def ranked(self, mask: int, infusion: int, limit: int) -> list[SlotProposal]:
        """Feasible proposals earliest first, at most one per half day."""
        out: list[SlotProposal] = []
        seen: set[tuple[int, bool]] = set()
        half = 12 * 60 // self.tl.step
        for slot in iter_bits(mask):
            key = (self.tl.day_of(slot), slot % self.tl.per_day >= half)
            if key in seen:
                continue
            prop = self.proposal_at(slot, infusion)
            if prop is not None:
                seen.add(key)
                out.append(prop)
                if len(out) >= limit:
                    break
        return out

    def take(self, prop: SlotProposal) -> None:
        slot = self.tl.minutes(prop.start) // self.tl.step
        chair = self.board.chair_index[prop.chair]
        staff = (self.board.staff_index[prop.psychiatrist], self.board.staff_index[prop.monitoring_clinician])
        self.board.book(chair, slot, self.length, staff)
        minutes = self.tl.minutes(prop.start)
        self.book.add(
            self.course.patient.ref,
            Visit(minutes, minutes + self.course.protocol.chair_minutes, self.course.ref, self.spacing),
        )


def find_course_slots(
    clinic: ClinicSpec,
    progress: CourseProgress,
    *,
    earliest: datetime,
    horizon_days: int = 28,
    alternatives_for: int | None = None,
    limit: int = 5,
    step: int = 15,
) -> SlotSuggestions:
    """Earliest feasible place for each remaining infusion of the course after ``earliest``.

    The search starts no earlier than the course allows (its consent day, a spacing after
    its last booked session), so the horizon is not spent on days it could never use.
    """
    bound = progress.not_before()
    if bound is not None and bound > earliest:
        earliest = bound
    first = earliest.date()
    finder = CourseSlots(clinic, progress, first, first + timedelta(days=horizon_days), step)
    remaining = progress.remaining
    done = progress.course.planned_infusions - remaining  # active sessions so far
    proposals: list[SlotProposal] = []
    alternatives: list[SlotProposal] = []
    unplaced: list[tuple[int, str]] = []
    for k in range(remaining):
        number = done + k + 1
        mask = finder.options(earliest)
        found = finder.ranked(mask, number, limit + 1 if number == alternatives_for else 1)
        if not found:
            unplaced.extend(
                (n, f"no free chair, psychiatrist and monitoring clinician within {horizon_days} days "
                    "that keeps the protocol's spacing")
                for n in range(number, done + remaining + 1)
            )
            break
        proposals.append(found[0])
        if number == alternatives_for:
            alternatives = found[1:]
        finder.take(found[0])
    return SlotSuggestions(progress.course.ref, tuple(proposals), tuple(alternatives), tuple(unplaced))
