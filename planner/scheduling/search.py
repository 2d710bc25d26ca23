"""The auto-planner's state: due infusions (tasks), placements, and the moves on them.

All state lives in a ``Board`` (chairs, staff) and a ``PatientBook`` (spacing,
per-week limits); a placement books both, removing it frees both, so the
search (``courses``, ``constructions``, ``lns``, ``polish``) can try and undo moves cheaply.
Everything is deterministic: ties are broken by refs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from planner.domain.records import Course
from planner.scheduling import courses
from planner.scheduling.bounds import day_bound
from planner.scheduling.grid import Board, Timeline, iter_bits, lowest_bit, span
from planner.scheduling.model import ClinicSpec, CourseProgress, spacing_minutes
from planner.scheduling.visits import PatientBook, Visit, _week_ok
from planner.scheduling.whynot import explain_unplaced

#: ``progress(done, total)``: work done so far out of the planned total.
Progress = Callable[[int, int], None]

#: Search work per day of the period (see ``Solver.budget``): about 0.1 s a day on a small PC.
WORK_PER_DAY = 120_000
#: At most this share of the work goes to the first constructions; the rest to ruin and recreate.
CONSTRUCTION_SHARE = 0.35


@dataclass(frozen=True)
class Placement:
    slot: int
    chair: int
    psychiatrist: int
    monitor: int
    visit: Visit


@dataclass
class Task:
    progress: CourseProgress
    length: int  # chair time in slots
    need: int  # due infusions inside the period
    done: int  # active sessions the course already has
    due: list[int]  # due minute of each needed infusion
    spacing: int  # minutes
    slack: int = 0  # how many more infusions the period could hold for this course by rhythm alone
    overdue: int = 0  # minutes the next infusion was already due when the period starts

    @property
    def course(self) -> Course:
        return self.progress.course


@dataclass(frozen=True)
class Plan:
    placements: tuple[tuple[Placement, ...], ...]

    @property
    def count(self) -> int:
        return sum(len(p) for p in self.placements)


class Solver:
    def __init__(self, clinic: ClinicSpec, first: date, last: date, *, step: int = 15) -> None:
        self.clinic = clinic
        self.tl = Timeline(first, last, step)
        self.board = Board(clinic, self.tl)
        self.book = PatientBook(clinic, self.tl)
        self.tasks: list[Task] = []
        self.not_due = 0
        for progress in sorted(clinic.courses, key=lambda c: c.course.ref):
            remaining, protocol = progress.remaining, progress.course.protocol
            if remaining <= 0:
                continue
            due = self._due_chain(progress, remaining)
            if due:
                length = self.tl.slots(protocol.chair_minutes)
                slack = len(self._due_chain(progress, remaining + 31)) - len(due)
                self.tasks.append(
                    Task(progress, length, len(due), progress.course.planned_infusions - remaining, due,
                         spacing_minutes(protocol), slack, self._overdue(progress))
                )
            self.not_due += remaining - len(due)
        self.cur: list[list[Placement]] = [[] for _ in self.tasks]
        self.shortest = min((t.length for t in self.tasks), default=1)
        #: The distinct session lengths (slots) being planned.
        self.lengths = sorted({t.length for t in self.tasks})
        self._rigidity: list[int] | None = None
        #: Placements made so far, trial ones included: the search's deterministic clock.
        self.work = 0
        self._placed = 0
        #: A course the local search wants placed first in its next recreate step.
        self.focus: int | None = None
        self.progress: Progress | None = None
        self._progress_from = self._progress_total = self._next_report = 0
        self.expect: list[list[float]] = []
        self.waiting = [0.0] * self.tl.days
        self.used = [0] * self.tl.days
        self.capacity = [1] * self.tl.days
        courses.analyse(self)
        self.board.shortest = self.shortest
        open_days = [d for d in range(self.tl.days) if self.board.open & self.tl.day_span(d)]
        self.last_open_day = open_days[-1] if open_days else -1
        #: Infusions each course could get with the clinic to itself (beside existing bookings).
        self.alone = [self._alone(ci) for ci in range(len(self.tasks))]
        #: No plan places more than this: the search stops when it gets there.
        self.bound = min(sum(self.alone), day_bound(self))
        self.work = 0

    def _alone(self, ci: int) -> int:
        """Earliest-first chain of the course on the board as it is (optimal for one course:
        its own infusions never overlap, and an earlier start never leaves fewer later ones)."""
        placed = courses._chain(self, ci, None)
        for p in placed:
            self.remove(ci, p)
        return len(placed)

    # -- due infusions -----------------------------------------------------------------
    def _overdue(self, progress: CourseProgress) -> int:
        """How long before the period the course's next infusion fell due (0: not overdue)."""
        starts = [v.start for v in self.book.course_visits(progress)]
        if progress.last_start is not None:
            starts.append(self.tl.minutes(progress.last_start))
        if not starts:
            return 0
        return max(0, -(max(starts) + spacing_minutes(progress.course.protocol)))

    def _due_chain(self, progress: CourseProgress, wanted: int) -> list[int]:
        tl = self.tl
        end = tl.days * 1440
        spacing = spacing_minutes(progress.course.protocol)
        visits = self.book.course_visits(progress)
        before = [v.start for v in visits if v.start < end]
        t = max(0, max(before) + spacing) if before else 0
        t = max(t, self.book.floor(progress))
        days = [v.day() for v in visits]
        limit = progress.course.protocol.max_per_7_days
        due: list[int] = []
        while len(due) < wanted:
            d = t // 1440
            while d < tl.days and (
                not self.board.open & tl.day_span(d) or (limit > 0 and not _week_ok(days, d, limit))
            ):
                d += 1
            if d >= tl.days:
                break
            t = max(t, d * 1440)
            due.append(t)
            days.append(d)
            t += max(spacing, 1)
        return due

    # -- moves -------------------------------------------------------------------------
    def options(self, ci: int) -> int:
        task = self.tasks[ci]
        mask = self.board.resource_starts(task.length) & self.book.allowed(task.progress, task.length)
        return mask & ~self.banned if self.banned else mask

    def place(self, ci: int, slot: int, chair: int, psy: int, mon: int) -> Placement:
        task = self.tasks[ci]
        start = slot * self.tl.step
        visit = Visit(start, start + task.course.protocol.chair_minutes, task.course.ref, task.spacing)
        self.board.book(chair, slot, task.length, (psy, mon))
        self.book.add(task.course.patient.ref, visit)
        p = Placement(slot, chair, psy, mon, visit)
        self.work += 1
        if self.work >= self._next_report and self.progress is not None:
            self._report()
        if not self.cur[ci]:
            for d, x in enumerate(self.expect[ci]):
                self.waiting[d] -= x
        self.used[slot // self.tl.per_day] += task.length
        self.cur[ci].append(p)
        self._placed += 1
        return p

    def remove(self, ci: int, p: Placement) -> None:
        task = self.tasks[ci]
        self.board.unbook(p.chair, p.slot, task.length, (p.psychiatrist, p.monitor))
        self.book.remove(task.course.patient.ref, p.visit)
        self.cur[ci].remove(p)
        self._placed -= 1
        self.used[p.slot // self.tl.per_day] -= task.length
        if not self.cur[ci]:
            for d, x in enumerate(self.expect[ci]):
                self.waiting[d] += x

    def placed_count(self) -> int:
        return self._placed

    def next_due(self, ci: int) -> int:
        """Due minute of the course's next missing infusion."""
        task = self.tasks[ci]
        return task.due[min(len(self.cur[ci]), len(task.due) - 1)]

    def resources_at(self, slot: int, length: int) -> tuple[int, int, int] | None:
        chair = self.board.best_chair(slot, length)
        if chair is None:
            return None
        pair = self.board.staff_pair(slot, length)
        if pair is None:
            return None
        return chair, pair[0].index, pair[1].index

    def choose(self, ci: int, mask: int) -> tuple[int, int, int, int] | None:
        """Earliest feasible start (see ``_staggered``) with a chair and two people free."""
        length = self.tasks[ci].length
        tl = self.tl
        while mask:
            d = tl.day_of(lowest_bit(mask))
            day_mask = mask & tl.day_span(d)
            while day_mask:
                slot = self._staggered(day_mask)
                res = self.resources_at(slot, length)
                if res is not None:
                    return (slot, *res)
                day_mask &= ~(1 << slot)
            mask &= ~tl.day_span(d)
        return None

    #: Slots after the earliest feasible start that may be taken to avoid a shared start time.
    stagger_window = 0

    def _staggered(self, day_mask: int) -> int:
        """The earliest start, or a slightly later one that nobody else starts at."""
        first = lowest_bit(day_mask)
        starts = self.board.starts
        if not starts.get(first, 0) or not self.stagger_window:
            return first
        for s in iter_bits(day_mask & span(first, first + self.stagger_window + 1)):
            if not starts.get(s, 0):
                return s
        return first

    # -- strategies --------------------------------------------------------------------
    def snapshot(self) -> Plan:
        return Plan(tuple(tuple(sorted(p, key=lambda x: x.slot)) for p in self.cur))

    def restore(self, plan: Plan) -> None:
        self.clear()
        for ci, saved in enumerate(plan.placements):
            for p in saved:
                self.place(ci, p.slot, p.chair, p.psychiatrist, p.monitor)

    def plain_greedy(self) -> Plan:
        """Course by course in due order, each infusion at the earliest feasible start."""
        order = sorted(range(len(self.tasks)), key=lambda i: (self.tasks[i].due[0], self.tasks[i].course.ref))
        board = self.board
        for ci in order:
            task = self.tasks[ci]
            while len(self.cur[ci]) < task.need:
                mask = self.options(ci)
                placed = False
                while mask:
                    slot = lowest_bit(mask)
                    chairs = board.free_chairs(slot, task.length)
                    psy = board.free_staff(board.psychiatrists, slot, task.length)
                    mon = board.free_staff(board.monitors, slot, task.length)
                    pair = next(((p, m) for p in psy for m in mon if p.index != m.index), None)
                    if chairs and pair:
                        self.place(ci, slot, chairs[0], pair[0].index, pair[1].index)
                        placed = True
                        break
                    mask &= ~(1 << slot)
                if not placed:
                    break
        return self.snapshot()

    #: How a track's time of day is picked: "earliest", "latest", "long-late" (sessions longer
    #: than the shortest go as late as they fit) or "tight" (least unusable idle time).
    time_policy = "earliest"
    #: "track" (same time each day first) or "drift-first" (earliest each day first).
    course_policy = "track"
    #: Long sessions stay off over-demanded days (see ``courses.place_course``).
    yield_long = False
    #: Days the course being placed must not use (set by ``courses.place_course``).
    banned = 0
    #: Course order: "slack" (least rhythm slack first), "patterns" (fewest day patterns
    #: first) or "long-first".
    order_policy = "slack"

    # -- course placement (planner.scheduling.courses) -------------------------------
    def place_course(self, ci: int) -> int:
        return courses.place_course(self, ci)

    def late(self, ci: int) -> int:
        return courses.lateness(self, ci)

    def rigidity(self) -> list[int]:
        assert self._rigidity is not None
        return self._rigidity

    def base_order(self) -> list[int]:
        """Most constrained first (see ``order_policy``), then earliest due, most due, ref.

        "long-first": longest sessions first (they need the unbroken stretches of chair
        and staff time that short sessions would fragment), then least slack.
        """
        if self.order_policy == "short-first":
            return sorted(
                range(len(self.tasks)),
                key=lambda i: (
                    self.tasks[i].length, self.tasks[i].slack, self.tasks[i].due[0] // 1440,
                    -self.tasks[i].need, self.tasks[i].course.ref,
                ),
            )
        if self.order_policy == "long-first":
            return sorted(
                range(len(self.tasks)),
                key=lambda i: (
                    -self.tasks[i].length, self.tasks[i].slack, self.tasks[i].due[0] // 1440,
                    -self.tasks[i].need, self.tasks[i].course.ref,
                ),
            )
        first = self.rigidity() if self.order_policy == "patterns" else [t.slack for t in self.tasks]
        return sorted(
            range(len(self.tasks)),
            key=lambda i: (
                first[i], self.tasks[i].due[0] // 1440, -self.tasks[i].need, self.tasks[i].course.ref,
            ),
        )

    def construct_courses(self, order: list[int] | None = None) -> None:
        for ci in self.base_order() if order is None else order:
            self.place_course(ci)

    def unplaced_earliness(self) -> int:
        """How early the infusions left out were due (0 when all are placed; lower is better).

        Among plans placing as many infusions, the one leaving out the latest-due ones keeps
        courses in due order: an overdue course is not passed over for one due later.
        """
        end = self.tl.days * 1440
        return sum(
            end - task.due[k] + task.overdue
            for ci, task in enumerate(self.tasks)
            for k in range(len(self.cur[ci]), task.need)
        )

    def total_late(self) -> int:
        return sum(self.late(ci) for ci in range(len(self.tasks)))

    def clear(self) -> None:
        for ci, ps in enumerate(self.cur):
            for p in list(ps):
                self.remove(ci, p)

    def score(self) -> tuple[int, int, int]:
        """Most infusions placed; then the ones left out are the latest due; then least lateness."""
        return (self._placed, -self.unplaced_earliness(), -self.total_late())

    def budget(self) -> int:
        """Default search work for this clinic and period: about 0.1 s per day of the period.

        Work is counted in placements (``work``), never in seconds, so the plan depends
        on the clinic alone; a placement costs more on a larger clinic and a longer
        period (more chairs and staff to look at, longer masks), hence the divisor.
        """
        size = len(self.board.chairs) + len(self.board.staff)
        return int(WORK_PER_DAY * self.tl.days / (20 + 1.2 * size + 0.6 * self.tl.days))

    def watch(self, progress: Progress | None, total: int) -> None:
        """Report ``progress(done, total)`` about every 1% of ``total`` work from now on."""
        self.progress = progress
        self._progress_from = self.work
        self._progress_total = max(1, total)
        self._next_report = self.work

    def _report(self) -> None:
        assert self.progress is not None
        done = min(self.work - self._progress_from, self._progress_total)
        self._next_report = self.work + max(1, self._progress_total // 100)
        self.progress(done, self._progress_total)

    def solve(self, budget: int | None = None, progress: Progress | None = None) -> Plan:
        """Best of several constructions, ruin and recreate, then the polish.

        ``progress(done, total)`` is called as the work goes on (it may raise to stop).
        """
        from planner.scheduling import lns
        from planner.scheduling.constructions import construct
        from planner.scheduling.polish import balance_staff, due_order, left_shift, stagger

        total = self.budget() if budget is None else budget
        self.watch(progress, total)
        if progress is not None:
            self._report()
        start = self.work
        construct(self, int(total * CONSTRUCTION_SHARE))
        lns.search(self, max(total - (self.work - start), total // 3))
        due_order(self)
        left_shift(self)
        stagger(self)
        balance_staff(self)
        if progress is not None:
            progress(self._progress_total, self._progress_total)
        return self.snapshot()

    def explain(self, ci: int) -> str:
        """Why course ``ci`` is missing infusions, in the clinic's words."""
        return explain_unplaced(self, ci)
