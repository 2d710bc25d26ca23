"""The period auto-planner: place as many due infusions as possible, then keep rhythm.

Hard limits (never broken): opening hours and closures, chair overlap, staff
weekly hours, leave, credentials, concurrent-patient limits, two different
people for the two roles, the patient's own overlap, and the protocol's
spacing and per-7-days limits (warnings in the rules engine, hard here).

How: courses are placed one at a time, most constrained first, each on a
same-time *track* over a day pattern that keeps the busiest days for the
courses that need them (``courses``); several such constructions are tried
under different policies (``constructions``) and the best is improved by
adaptive ruin and recreate (``lns``: parts of the plan are taken out and the
courses missing infusions placed again, kept when as many or more are placed);
then sessions move to earlier days where they fit (rhythm), shared start
times are spread and staff load is evened out (``polish``). The work budget is
counted in placements, never in seconds, the random choices come from a fixed
seed and ties are broken by refs: the same clinic always gets the same
proposal. A plain earliest-fit greedy (``greedy_autoplan``) is kept as the
benchmark's floor.

Which infusions are *due*: a course's next infusion is due at its last
infusion + the protocol's minimum spacing (a course without infusions: at the
start of the period); each further one a spacing later, moved past closed
days and the per-7-days limit. Due infusions inside the period are the ones
the planner tries to place; later ones are counted as ``not_due``.
A no-show or cancelled session does not use up an infusion: the course's
remaining count is its planned infusions minus its *active* sessions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from planner.scheduling.grid import Board, Timeline
from planner.scheduling.model import ClinicSpec, monitoring_role, spacing_minutes
from planner.scheduling.search import Plan, Progress, Solver
from planner.scheduling.visits import PatientBook, Visit


@dataclass(frozen=True)
class PlacedInfusion:
    course: str
    patient: str
    infusion: int  # 1-based number within the course
    start: datetime
    end: datetime
    chair: str
    psychiatrist: str
    monitoring_clinician: str
    monitoring_role: str
    due: datetime
    patient_name: str = ""
    psychiatrist_name: str = ""
    monitoring_name: str = ""


@dataclass(frozen=True)
class UnplacedInfusion:
    course: str
    patient: str
    infusion: int
    due: datetime
    reason: str
    patient_name: str = ""


@dataclass(frozen=True)
class AutoplanResult:
    """What the planner proposes for a period; nothing is written until it is applied."""

    first: date
    last: date
    placed: tuple[PlacedInfusion, ...]
    unplaced: tuple[UnplacedInfusion, ...]
    #: Remaining infusions of active courses that are not due inside the period.
    not_due: int = 0
    courses: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def due(self) -> int:
        return len(self.placed) + len(self.unplaced)

    def summary(self) -> dict[str, int]:
        late = sum(1 for p in self.placed if p.start.date() > p.due.date())
        return {
            "courses": self.courses,
            "due": self.due,
            "placed": len(self.placed),
            "unplaced": len(self.unplaced),
            "not_due": self.not_due,
            "placed_after_due_day": late,
        }

    def to_json(self) -> dict[str, object]:
        """The stable JSON shape of ``autoplan --json`` (documented in the CLI module)."""
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "placed": [
                {
                    "course": p.course,
                    "patient": p.patient,
                    "infusion": p.infusion,
                    "start": p.start.isoformat(timespec="minutes"),
                    "end": p.end.isoformat(timespec="minutes"),
                    "chair": p.chair,
                    "psychiatrist": p.psychiatrist,
                    "monitoring_clinician": p.monitoring_clinician,
                    "monitoring_role": p.monitoring_role,
                    "due": p.due.isoformat(timespec="minutes"),
                }
                for p in self.placed
            ],
            "unplaced": [
                {
                    "course": u.course,
                    "patient": u.patient,
                    "infusion": u.infusion,
                    "due": u.due.isoformat(timespec="minutes"),
                    "reason": u.reason,
                }
                for u in self.unplaced
            ],
            "summary": self.summary(),
        }

    def unplaced_lines(self) -> list[str]:
        """Honest one-liners: '7 infusions could not be placed: no ... free on Tue afternoon'."""
        groups = Counter(u.reason for u in self.unplaced)
        lines = []
        for reason, n in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0])):
            noun = "infusion" if n == 1 else "infusions"
            lines.append(f"{n} {noun} could not be placed: {reason}")
        return lines


class PlanningCancelled(Exception):
    """Raised by a ``progress`` callback to stop the auto-planner; nothing is proposed."""


def autoplan(
    clinic: ClinicSpec, first: date, last: date, *, step: int = 15, budget: int | None = None,
    progress: Progress | None = None,
) -> AutoplanResult:
    """Propose sessions for the due infusions of ``clinic.courses`` between first and last.

    ``step``: the start-time grid in minutes; ``budget``: search work (default: about a
    tenth of a second per day of the period on a small PC; the result depends on it, never
    on the clock). ``progress(done, total)`` is called about every 1% of the work; it may
    raise ``PlanningCancelled`` to stop.
    """
    solver = Solver(clinic, first, last, step=step)
    plan = solver.solve(budget, progress)
    return _proposal(solver, plan, first, last)


def greedy_autoplan(clinic: ClinicSpec, first: date, last: date, *, step: int = 15) -> AutoplanResult:
    """A plain earliest-fit greedy (course by course, due order): the benchmark's floor."""
    solver = Solver(clinic, first, last, step=step)
    plan = solver.plain_greedy()
    return _proposal(solver, plan, first, last)


def _proposal(solver: Solver, plan: Plan, first: date, last: date) -> AutoplanResult:
    tl = solver.tl
    placed: list[PlacedInfusion] = []
    unplaced: list[UnplacedInfusion] = []
    for ci, task in enumerate(solver.tasks):
        course = task.course
        spots = sorted(plan.placements[ci], key=lambda p: p.slot)
        for k, p in enumerate(spots):
            mon = solver.board.staff[p.monitor].member
            psy = solver.board.staff[p.psychiatrist].member
            start = tl.at(p.slot)
            placed.append(
                PlacedInfusion(
                    course=course.ref,
                    patient=course.patient.ref,
                    infusion=task.done + k + 1,
                    start=start,
                    end=start + timedelta(minutes=course.protocol.chair_minutes),
                    chair=solver.board.chairs[p.chair],
                    psychiatrist=psy.ref,
                    monitoring_clinician=mon.ref,
                    monitoring_role=monitoring_role(mon.roles),
                    due=tl.origin + timedelta(minutes=task.due[min(k, len(task.due) - 1)]),
                    patient_name=course.patient.name,
                    psychiatrist_name=psy.name,
                    monitoring_name=mon.name,
                )
            )
        missing = task.need - len(spots)
        if missing > 0:
            reason = solver.explain(ci)
            for k in range(len(spots), task.need):
                unplaced.append(
                    UnplacedInfusion(
                        course=course.ref,
                        patient=course.patient.ref,
                        infusion=task.done + k + 1,
                        due=tl.origin + timedelta(minutes=task.due[k]),
                        reason=reason,
                        patient_name=course.patient.name,
                    )
                )
    placed.sort(key=lambda p: (p.start, p.chair))
    unplaced.sort(key=lambda u: (u.due, u.course, u.infusion))
    return AutoplanResult(
        first=first,
        last=last,
        placed=tuple(placed),
        unplaced=tuple(unplaced),
        not_due=solver.not_due,
        courses=len(solver.tasks),
    )


def verify_placements(clinic: ClinicSpec, result: AutoplanResult) -> list[str]:
    """Problems that stop ``result`` from being written into ``clinic`` as it is now."""
    tl = Timeline(result.first, result.last, 5)
    board = Board(clinic, tl)
    book = PatientBook(clinic, tl)
    courses = {c.course.ref: c for c in clinic.courses}
    used: Counter[str] = Counter()
    problems: list[str] = []
    for p in sorted(result.placed, key=lambda x: (x.start, x.course)):
        progress = courses.get(p.course)
        label = f"{p.course} infusion {p.infusion} {p.start:%a %d %b %H:%M}"
        minutes = tl.minutes(p.start)
        if progress is None or used[p.course] >= progress.remaining or minutes % tl.step:
            problems.append(f"{label}: the course no longer needs it")
            continue
        protocol = progress.course.protocol
        length = tl.slots(protocol.chair_minutes)
        slot = minutes // tl.step
        bit = 1 << slot
        chair = board.chair_index.get(p.chair)
        psy = board.staff_index.get(p.psychiatrist)
        mon = board.staff_index.get(p.monitoring_clinician)
        if chair is None or psy is None or mon is None or psy == mon:
            problems.append(f"{label}: a chair or staff member is no longer available")
            continue
        if "psychiatrist" not in board.staff[psy].member.roles or (
            p.monitoring_role not in board.staff[mon].member.roles
        ):
            problems.append(f"{label}: a staff member no longer holds the role")
            continue
        ok = (
            board.open_starts(length) & bit
            and board.chair_starts(chair, length) & bit
            and board.staff_starts(psy, length) & bit
            and board.staff_starts(mon, length) & bit
            and book.allowed(progress, length) & bit
        )
        if not ok:
            problems.append(f"{label}: its chair, staff or the patient is no longer free")
            continue
        board.book(chair, slot, length, (psy, mon))
        visit = Visit(minutes, minutes + protocol.chair_minutes, p.course, spacing_minutes(protocol))
        book.add(progress.course.patient.ref, visit)
        used[p.course] += 1
    return problems
