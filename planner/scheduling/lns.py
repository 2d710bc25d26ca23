"""Ruin and recreate: the auto-planner's local search after its first constructions.

A construction places courses one after the other, so an early choice (a start
time that leaves half an hour of a nurse's morning unusable, a chain that takes
the only afternoon a scarce psychiatrist works) is never revisited. Here a part
of the plan is taken out (*ruin*: a stretch of one day, the sessions around one
session, a few whole courses, or one person's day) and every course missing
infusions is placed again where it now fits (*recreate*), in one of several
orders and with one of several start-time choices. The new plan is kept when it
places at least as many infusions and leaves no more unusable idle time (chair or
staff time in pieces too short for a session: what a later infusion would need),
so the search walks across equally full plans towards tidier ones; otherwise it is
undone. Which kinds of ruin, order and start choice are drawn adapts to what paid
off recently (adaptive large-neighbourhood search). The best plan seen (most
infusions, then the ones left out due latest, then least lateness) is the result;
the search stops early at the upper bound (``bounds``).

Deterministic: a fixed-seed generator and a work budget counted in
placements, never in seconds.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from planner.scheduling import courses
from planner.scheduling.grid import iter_bits, lowest_bit, span

if TYPE_CHECKING:
    from planner.scheduling.search import Placement, Solver

SEED = 20270301

Moves = list[tuple[int, "Placement"]]


# -- ruin ------------------------------------------------------------------------------------
def _placed(solver: Solver) -> list[tuple[int, Placement]]:
    return [(ci, p) for ci, ps in enumerate(solver.cur) for p in ps]


def _take(solver: Solver, items: list[tuple[int, Placement]]) -> Moves:
    for ci, p in items:
        solver.remove(ci, p)
    return items


def _window(solver: Solver, rng: random.Random, lo: int, hi: int) -> Moves:
    keep = rng.choice((0.6, 0.8, 1.0))
    return _take(solver, [(ci, p) for ci, p in _placed(solver) if lo <= p.slot < hi and rng.random() < keep])


def _anchor(solver: Solver, rng: random.Random) -> Placement | None:
    items = [p for ps in solver.cur for p in ps]
    return items[rng.randrange(len(items))] if items else None


def ruin_day(solver: Solver, rng: random.Random) -> Moves:
    """Sessions of one whole day (the day can then be packed afresh)."""
    anchor = _anchor(solver, rng)
    if anchor is None:
        return []
    day = solver.tl.day_of(anchor.slot) * solver.tl.per_day
    return _window(solver, rng, day, day + solver.tl.per_day)


def ruin_half_day(solver: Solver, rng: random.Random) -> Moves:
    """Sessions starting in one morning or one afternoon."""
    anchor = _anchor(solver, rng)
    if anchor is None:
        return []
    tl = solver.tl
    day = tl.day_of(anchor.slot) * tl.per_day
    noon = day + 12 * 60 // tl.step
    lo, hi = (day, noon) if anchor.slot < noon else (noon, day + tl.per_day)
    return _window(solver, rng, lo, hi)


def ruin_hours(solver: Solver, rng: random.Random) -> Moves:
    """Sessions starting within a few hours of one session."""
    anchor = _anchor(solver, rng)
    if anchor is None:
        return []
    reach = rng.randint(2, 4) * 60 // solver.tl.step
    return _window(solver, rng, anchor.slot - reach, anchor.slot + reach)
def ruin_related(solver: Solver, rng: random.Random) -> Moves:
    """The sessions nearest in time to one session on its day (they compete for the same people)."""
    items = _placed(solver)
    if not items:
        return []
    tl = solver.tl
    _ci, anchor = items[rng.randrange(len(items))]
    day = tl.day_of(anchor.slot)
    same_day = [(abs(p.slot - anchor.slot), rng.random(), ci, p) for ci, p in items if tl.day_of(p.slot) == day]
    same_day.sort(key=lambda x: (x[0], x[1]))
    k = rng.randint(3, 12)
    return _take(solver, [(ci, p) for _d, _r, ci, p in same_day[:k]])


def ruin_courses(solver: Solver, rng: random.Random) -> Moves:
    """Every session of a few courses (their chains may then take other days or times)."""
    placed = [ci for ci, ps in enumerate(solver.cur) if ps]
    if not placed:
        return []
    chosen = rng.sample(placed, min(len(placed), rng.randint(2, 6)))
    return _take(solver, [(ci, p) for ci in sorted(chosen) for p in list(solver.cur[ci])])


def ruin_person(solver: Solver, rng: random.Random) -> Moves:
    """One person's sessions on one day (their day can then be packed afresh)."""
    items = _placed(solver)
    if not items:
        return []
    tl = solver.tl
    _ci, anchor = items[rng.randrange(len(items))]
    who = anchor.psychiatrist if rng.random() < 0.5 else anchor.monitor
    day = tl.day_of(anchor.slot)
    return _take(solver, [
        (ci, p) for ci, p in items
        if tl.day_of(p.slot) == day and who in (p.psychiatrist, p.monitor)
    ])


def _missing_start(solver: Solver, rng: random.Random) -> tuple[int, int] | None:
    """A course missing infusions and a start its patient could take (chairs and staff aside)."""
    tasks = solver.tasks
    missing = [ci for ci in range(len(tasks)) if len(solver.cur[ci]) < tasks[ci].need]
    if not missing:
        return None
    ci = missing[rng.randrange(len(missing))]
    length = tasks[ci].length
    mask = solver.book.allowed(tasks[ci].progress, length) & solver.board.open_starts(length)
    if not mask:
        return None
    bits = iter_bits(mask)
    return ci, bits[rng.randrange(len(bits))]


def ruin_for_missing(solver: Solver, rng: random.Random) -> Moves:
    """Room for a course missing infusions: the sessions around a start its patient could take."""
    found = _missing_start(solver, rng)
    if found is None:
        return []
    ci, slot = found
    reach = rng.randint(0, 8)
    lo, hi = slot - reach - 16, slot + solver.tasks[ci].length + reach
    solver.focus = ci
    return _take(solver, [(cj, p) for cj, ps in enumerate(solver.cur) for p in ps if lo < p.slot < hi])


def ruin_eject(solver: Solver, rng: random.Random) -> Moves:
    """Just enough sessions taken out for a missing infusion to fit at one start its patient can take.

    Sessions overlapping the start are taken out one at a time, in random order, until a
    chair and both people are free there (at most three); the recreate step then places
    the missing course first and tries the others elsewhere (an ejection chain).
    """
    found = _missing_start(solver, rng)
    if found is None:
        return []
    ci, slot = found
    tasks = solver.tasks
    length = tasks[ci].length
    end = slot + length
    blockers = [(cj, p) for cj, ps in enumerate(solver.cur) for p in ps
                if p.slot < end and p.slot + tasks[cj].length > slot]
    rng.shuffle(blockers)
    taken: Moves = []
    for cj, p in blockers[:3]:
        solver.remove(cj, p)
        taken.append((cj, p))
        if solver.options(ci) >> slot & 1:
            solver.focus = ci
            return taken
    for cj, p in reversed(taken):
        solver.place(cj, p.slot, p.chair, p.psychiatrist, p.monitor)
    return []


RUINS = (ruin_day, ruin_half_day, ruin_hours, ruin_related, ruin_courses, ruin_person, ruin_for_missing,
         ruin_eject)


# -- recreate ---------------------------------------------------------------------------------
ORDERS = ("random", "shortest", "longest", "constrained", "due")


def _order(solver: Solver, rng: random.Random, courses: list[int], kind: str) -> list[int]:
    tasks = solver.tasks
    noise = {ci: rng.random() for ci in courses}
    if kind == "shortest":
        return sorted(courses, key=lambda ci: (tasks[ci].length, noise[ci]))
    if kind == "longest":
        return sorted(courses, key=lambda ci: (-tasks[ci].length, noise[ci]))
    if kind == "constrained":
        return sorted(courses, key=lambda ci: (solver.options(ci).bit_count(), noise[ci]))
    if kind == "due":
        return sorted(courses, key=lambda ci: (solver.next_due(ci), noise[ci]))
    return sorted(courses, key=lambda ci: noise[ci])


def _pick(solver: Solver, ci: int, mask: int, rng: random.Random, policy: str) -> tuple[int, int, int, int] | None:
    """A start and resources for one more infusion of course ``ci`` among ``mask``."""
    if policy == "earliest" or not mask:
        return solver.choose(ci, mask)
    if policy.startswith("snug"):
        length = solver.tasks[ci].length
        board = solver.board
        tiers = board.snug_chair_starts(length) if policy == "snug-chair" else board.snug_staff_starts(length)
        for snug in tiers:
            snug &= mask
            if snug:
                choice = solver.choose(ci, snug)
                if choice is not None:
                    return choice
        return solver.choose(ci, mask)
    tl = solver.tl
    days = []
    m = mask
    while m:
        d = tl.day_of(lowest_bit(m))
        days.append(d)
        m &= ~tl.day_span(d)
    if policy == "any-day":
        d = days[rng.randrange(len(days))]
        return solver.choose(ci, mask & tl.day_span(d)) or solver.choose(ci, mask)
    # Latest start of a random day: packs from the end of the day.
    d = days[rng.randrange(len(days))]
    for slot in reversed(iter_bits(mask & tl.day_span(d))):
        res = solver.resources_at(slot, solver.tasks[ci].length)
        if res is not None:
            return (slot, *res)
    return solver.choose(ci, mask)


#: Start choices: earliest; earliest of a random day; latest of a random day; a start that
#: fills a chair's free stretch snugly; one that fills a person's free time snugly.
POLICIES = ("earliest", "any-day", "latest", "snug-chair", "snug-staff")


def recreate(solver: Solver, rng: random.Random, ruined: Moves, kind: str = "random",
             policy: str = "earliest", tracks: bool = False) -> Moves:
    """Place again the courses missing infusions (``kind``: their order; ``policy``: the start
    choice; ``tracks``: a course with nothing placed first tries a same-time track)."""
    tasks = solver.tasks
    touched = {ci for ci, _p in ruined}
    freed: dict[int, int] = {}
    for cj, p in ruined:
        end = p.slot + tasks[cj].length
        for length in solver.lengths:
            freed[length] = freed.get(length, 0) | span(p.slot - length + 1, end)
    book = solver.book
    # A course that lost nothing can only gain where the ruin freed chairs or staff.
    missing = [
        ci for ci in range(len(tasks))
        if len(solver.cur[ci]) < tasks[ci].need
        and (ci in touched or book.allowed(tasks[ci].progress, tasks[ci].length) & freed[tasks[ci].length])
    ]
    order = _order(solver, rng, missing, kind)
    if solver.focus is not None and solver.focus in order:
        order.remove(solver.focus)
        order.insert(0, solver.focus)
    solver.focus = None
    added: Moves = []
    for ci in order:
        if tracks and not solver.cur[ci] and solver.options(ci) and courses.track(solver, ci):
            added.extend((ci, p) for p in solver.cur[ci])
        while len(solver.cur[ci]) < tasks[ci].need:
            choice = _pick(solver, ci, solver.options(ci), rng, policy)
            if choice is None:
                break
            added.append((ci, solver.place(ci, *choice)))
    return added


# -- the search -------------------------------------------------------------------------------
class Adaptive:
    """Weights of one kind of choice, moved towards what recently paid off (adaptive LNS)."""

    SEGMENT = 40
    REACTION = 0.25
    FLOOR = 0.1

    def __init__(self, size: int) -> None:
        self.weights = [1.0] * size
        self.scores = [0.0] * size
        self.uses = [0] * size
        self.rounds = 0

    def pick(self, rng: random.Random) -> int:
        return rng.choices(range(len(self.weights)), self.weights)[0]

    def reward(self, i: int, value: float) -> None:
        self.scores[i] += value
        self.uses[i] += 1

    def tick(self) -> None:
        self.rounds += 1
        if self.rounds % self.SEGMENT:
            return
        for i, used in enumerate(self.uses):
            if used:
                mean = self.scores[i] / used
                self.weights[i] = max(self.FLOOR, (1 - self.REACTION) * self.weights[i] + self.REACTION * mean)
            self.scores[i], self.uses[i] = 0.0, 0


#: Rewards: a new best plan, a better current plan, an equally good one.
NEW_BEST, BETTER, EQUAL = 8.0, 3.0, 1.0


def search(solver: Solver, budget: int) -> None:
    """Ruin and recreate until ``budget`` more work is done; leaves the best plan in ``solver``."""
    rng = random.Random(SEED)
    start = solver.work
    limit = start + budget
    total = solver.bound
    best = solver.score()
    best_plan = solver.snapshot()
    shortest = solver.shortest
    current = (best[0], -solver.board.waste(shortest))
    ruins, orders, policies, tracks = Adaptive(len(RUINS)), Adaptive(len(ORDERS)), Adaptive(len(POLICIES)), Adaptive(2)
    while solver.work < limit and current[0] < total:
        choice = (ruins.pick(rng), orders.pick(rng), policies.pick(rng), tracks.pick(rng))
        removed = RUINS[choice[0]](solver, rng)
        solver.work += 1
        if not removed:
            continue
        added = recreate(solver, rng, removed, ORDERS[choice[1]], POLICIES[choice[2]], bool(choice[3]))
        count = solver.placed_count()
        reward = 0.0
        if count >= current[0]:
            key = (count, -solver.board.waste(shortest))
            if key >= current:
                reward = BETTER if key > current else EQUAL
                current = key
                if count >= best[0]:
                    now = solver.score()
                    if now > best:
                        reward = NEW_BEST if count > best[0] else reward
                        best, best_plan = now, solver.snapshot()
        for adaptive, i in zip((ruins, orders, policies, tracks), choice, strict=True):
            adaptive.reward(i, reward)
            adaptive.tick()
        if reward:
            continue
        for ci, p in reversed(added):
            solver.remove(ci, p)
        for ci, p in removed:
            solver.place(ci, p.slot, p.chair, p.psychiatrist, p.monitor)
    solver.restore(best_plan)
