"""Why an infusion could not be placed: name the binding reason in the clinic's words.

"no anesthesiologist or nurse free on Tue afternoon" tells the manager whom
to call; "infeasible" tells them nothing. The diagnosis looks at the start
times the patient's own limits allow and asks which resource is missing there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.scheduling.grid import iter_bits

if TYPE_CHECKING:
    from planner.scheduling.search import Solver

_DAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def describe_when(solver: Solver, mask: int) -> str:
    """'on Tue afternoon', 'on Mon, Wed morning' or 'between Mon 7 Dec and Fri 18 Dec'."""
    tl = solver.tl
    noon = 12 * 60 // tl.step
    parts: list[str] = []
    days = sorted({tl.day_of(s) for s in iter_bits(mask)})
    if len(days) > 4:
        a, b = tl.day_date(days[0]), tl.day_date(days[-1])
        return f"between {_DAY[a.weekday()]} {a.day} {a:%b} and {_DAY[b.weekday()]} {b.day} {b:%b}"
    for d in days:
        day_bits = mask & tl.day_span(d)
        slots = [s - d * tl.per_day for s in iter_bits(day_bits)]
        morning = any(s < noon for s in slots)
        afternoon = any(s >= noon for s in slots)
        name = _DAY[tl.day_date(d).weekday()]
        if tl.days > 7:
            name += f" {tl.day_date(d).day} {tl.day_date(d):%b}"
        if morning and not afternoon:
            name += " morning"
        elif afternoon and not morning:
            name += " afternoon"
        parts.append(name)
    return "on " + ", ".join(parts)


def explain_unplaced(solver: Solver, ci: int) -> str:
    """The binding reason, looked for on the due days the course could not use."""
    placed = list(solver.cur[ci])
    for p in placed:
        solver.remove(ci, p)
    try:
        used_days = {solver.tl.day_of(p.slot) for p in placed}
        return _reason(solver, ci, used_days, bool(placed))
    finally:
        for p in placed:
            solver.place(ci, p.slot, p.chair, p.psychiatrist, p.monitor)


def _reason(solver: Solver, ci: int, used_days: set[int], chained: bool) -> str:
    task = solver.tasks[ci]
    course = task.course
    length = task.length
    board = solver.board
    tl = solver.tl
    allowed = solver.book.allowed(task.progress, length) & board.open_starts(length)
    for d in used_days:
        allowed &= ~tl.day_span(d)
    proto = course.protocol
    if not allowed:
        if not board.open_starts(length):
            return "the clinic is closed or its hours are too short for this protocol in the period"
        return (
            f"no open day left in the period {_hours(proto.min_hours_between)} after the "
            f"previous infusion and within {proto.max_per_7_days} per 7 days"
        )
    suffix = f" (the days its {_hours(proto.min_hours_between)} spacing allows)" if chained else ""
    chair = board.any_chair(length) & allowed
    psy = board.any_psychiatrist(length) & allowed
    mon = board.any_monitor(length) & allowed
    when = describe_when(solver, allowed)
    if not psy and not mon:
        return f"no psychiatrist and no anesthesiologist or nurse free {when}{suffix}"
    if not mon:
        return f"no anesthesiologist or nurse free {when}{suffix}"
    if not psy:
        return f"no psychiatrist free {when}{suffix}"
    if not chair:
        return f"no chair free {when}{suffix}"
    if not psy & mon:
        return f"no psychiatrist and anesthesiologist or nurse free at the same time {when}{suffix}"
    if not chair & mon:
        return f"no chair free while an anesthesiologist or nurse is free {when}{suffix}"
    if not chair & psy:
        return f"no chair free while a psychiatrist is free {when}{suffix}"
    together = chair & psy & mon
    if together and not board.resource_starts(length) & allowed:
        names = sorted({s.member.name for s in board.both_roles if board.staff_starts(s.index, length) & together})
        return (
            f"the only person free {when} for either role is {' or '.join(names)}, "
            f"and a session needs two different people{suffix}"
        )
    return f"no chair, psychiatrist and anesthesiologist or nurse free together {when}{suffix}"


def _hours(value: float) -> str:
    return f"{value:g} h"
