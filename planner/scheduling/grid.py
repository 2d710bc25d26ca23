"""Fast feasibility for placing sessions: time slots as bits of Python integers.

A period is cut into slots of ``step`` minutes; every resource keeps a bit mask
of the slots it is busy or available in. "Which start slots leave chair 3 free
for 8 slots?" is then a handful of shifts and ANDs over one integer (an
*erosion*), so the planner can ask it thousands of times a second. Existing
sessions off the grid are rounded outwards (conservative); new sessions always
start on the grid, so what is placed here never breaks the rules engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from planner.domain import MONITORING_ROLES, PSYCHIATRIST
from planner.domain.records import StaffMember
from planner.scheduling.model import ClinicSpec, works_on


def span(a: int, b: int) -> int:
    """Bits a..b-1 set (empty when b <= a)."""
    if b <= a:
        return 0
    a = max(a, 0)
    return ((1 << (b - a)) - 1) << a


def _steps(length: int) -> tuple[int, ...]:
    """Shifts that grow a run of 1 bit to ``length`` bits by doubling (1, 2, 4, ..., rest)."""
    steps = _STEPS.get(length)
    if steps is None:
        out, covered = [], 1
        while covered < length:
            k = min(covered, length - covered)
            out.append(k)
            covered += k
        steps = _STEPS[length] = tuple(out)
    return steps


_STEPS: dict[int, tuple[int, ...]] = {}


def erode(mask: int, length: int) -> int:
    """Bits s where s..s+length-1 are all set in ``mask``."""
    for k in _STEPS.get(length) or _steps(length):
        mask &= mask >> k
    return mask


def dilate(mask: int, length: int) -> int:
    """Bits covered by some run of ``length`` bits starting at a set bit of ``mask``."""
    for k in _STEPS.get(length) or _steps(length):
        mask |= mask << k
    return mask


def lowest_bit(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


def iter_bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


class Timeline:
    """Slot numbering of the days first..last (inclusive), ``step`` minutes per slot."""

    def __init__(self, first: date, last: date, step: int = 15) -> None:
        if 1440 % step:
            raise ValueError("the slot length must divide a day")
        self.first = first
        self.last = last
        self.step = step
        self.per_day = 1440 // step
        self.days = (last - first).days + 1
        self.size = self.days * self.per_day
        self.origin = datetime.combine(first, time())
        self.full = span(0, self.size)
        self._day_spans = [span(d * self.per_day, (d + 1) * self.per_day) for d in range(self.days)]

    def minutes(self, when: datetime) -> int:
        """Minutes from the start of the period (negative before it)."""
        return int((when - self.origin).total_seconds() // 60)

    def at(self, slot: int) -> datetime:
        return self.origin + timedelta(minutes=slot * self.step)

    def day_of(self, slot: int) -> int:
        return slot // self.per_day

    def day_date(self, index: int) -> date:
        return self.first + timedelta(days=index)

    def day_span(self, index: int) -> int:
        if 0 <= index < self.days:
            return self._day_spans[index]
        return span(index * self.per_day, (index + 1) * self.per_day)

    def floor(self, minutes: int) -> int:
        return minutes // self.step

    def ceil(self, minutes: int) -> int:
        return -((-minutes) // self.step)

    def slots(self, minutes: int) -> int:
        """Slots needed to cover ``minutes``."""
        return self.ceil(minutes)

    def time_span(self, day_index: int, start: time, end: time) -> int:
        """Slots fully inside [start, end) on one day."""
        base = day_index * self.per_day
        a = self.ceil(start.hour * 60 + start.minute)
        b = self.floor(end.hour * 60 + end.minute) if end != time(0) else self.per_day
        return span(base + a, base + b)


@dataclass
class StaffState:
    """One person's availability and load: ``levels[k]`` = slots with more than k patients."""

    member: StaffMember
    index: int
    limit: int
    avail: int
    levels: list[int]
    available_slots: int
    used_slots: int = 0
    #: Slots where this person can take one more patient (kept up to date by add/remove).
    free_mask: int = 0
    #: The clinic's opening hours, and the complement of ``free_mask & opening`` (for fits).
    open: int = -1
    blocked: int = -1

    def __post_init__(self) -> None:
        self._refresh()

    def _refresh(self) -> None:
        self.free_mask = self.avail & ~self.levels[self.limit - 1] if self.limit > 0 else 0
        self.blocked = ~(self.free_mask & self.open)

    def free(self) -> int:
        """Slots where this person can take one more patient."""
        return self.free_mask

    def add(self, mask: int) -> None:
        levels = self.levels
        for i in range(len(levels) - 1, 0, -1):
            levels[i] |= levels[i - 1] & mask
        levels[0] |= mask
        self.used_slots += mask.bit_count()
        self._refresh()

    def remove(self, mask: int) -> None:
        levels = self.levels
        for i in range(len(levels) - 1):
            keep = levels[i + 1] & mask
            levels[i] = (levels[i] & ~mask) | keep
        levels[-1] &= ~mask
        self.used_slots -= mask.bit_count()
        self._refresh()


class Board:
    """Occupancy of chairs and staff over a timeline, with cached start masks per duration."""

    def __init__(self, clinic: ClinicSpec, timeline: Timeline) -> None:
        self.clinic = clinic
        self.tl = timeline
        tl = timeline
        self.open = 0
        for d in range(tl.days):
            day = tl.day_date(d)
            if day in clinic.closures:
                continue
            for o, c in clinic.opening_ranges(day):
                self.open |= tl.time_span(d, o, c)
        self.chairs = list(clinic.chairs)
        self.chair_index = {ref: i for i, ref in enumerate(self.chairs)}
        self.chair_busy = [0] * len(self.chairs)
        self.staff: list[StaffState] = []
        for i, member in enumerate(sorted(clinic.staff, key=lambda s: s.ref)):
            avail = 0
            for d in range(tl.days):
                day = tl.day_date(d)
                if not works_on(member, day):
                    continue
                for h in member.hours:
                    if h.weekday == day.weekday():
                        avail |= tl.time_span(d, h.start, h.end)
            limit = clinic.staff_limit(member)
            self.staff.append(
                StaffState(member, i, limit, avail, [0] * max(limit, 1), max(avail.bit_count(), 1),
                           open=self.open)
            )
        self.staff_index = {s.member.ref: s.index for s in self.staff}
        self.psychiatrists = [s for s in self.staff if PSYCHIATRIST in s.member.roles]
        self.monitors = [s for s in self.staff if any(r in s.member.roles for r in MONITORING_ROLES)]
        #: People in both groups: where one of them is the only one free, a session needs another.
        self.both_roles = [s for s in self.psychiatrists if s in self.monitors]
        #: Start masks per length: the open hours, each chair, each person, and their unions.
        self._open: dict[int, int] = {}
        self._chair: list[dict[int, int]] = [{} for _ in self.chairs]
        self._staff: list[dict[int, int]] = [{} for _ in self.staff]
        self._any: dict[tuple[str, int], int] = {}
        #: Number of sessions starting in each slot (to stagger starts).
        self.starts: dict[int, int] = {}
        for booking in clinic.bookings:
            self._book_existing(booking.chair.ref, booking.start, booking.end,
                                tuple(a.staff.ref for a in booking.assignments))

    # -- existing sessions -------------------------------------------------------------
    def _book_existing(self, chair: str, start: datetime, end: datetime, staff: tuple[str, ...]) -> None:
        tl = self.tl
        a, b = tl.floor(tl.minutes(start)), tl.ceil(tl.minutes(end))
        if b <= 0 or a >= tl.size:
            return
        mask = span(max(a, 0), min(b, tl.size))
        if chair in self.chair_index:
            self.chair_busy[self.chair_index[chair]] |= mask
        for ref in staff:
            if ref in self.staff_index:
                self.staff[self.staff_index[ref]].add(mask)
        if 0 <= a < tl.size:
            self.starts[a] = self.starts.get(a, 0) + 1
        self._open.clear()
        self._any.clear()
        for cache in (*self._chair, *self._staff):
            cache.clear()

    # -- start masks -------------------------------------------------------------------
    def open_starts(self, length: int) -> int:
        mask = self._open.get(length)
        if mask is None:
            mask = self._open[length] = erode(self.open, length)
        return mask

    def chair_starts(self, i: int, length: int) -> int:
        cache = self._chair[i]
        mask = cache.get(length)
        if mask is None:
            mask = cache[length] = erode(self.tl.full & ~self.chair_busy[i], length)
        return mask

    def staff_starts(self, i: int, length: int) -> int:
        cache = self._staff[i]
        mask = cache.get(length)
        if mask is None:
            mask = cache[length] = erode(self.staff[i].free_mask, length)
        return mask

    def any_chair(self, length: int) -> int:
        key = ("chair", length)
        m = self._any.get(key)
        if m is None:
            m = 0
            full, busy = self.tl.full, self.chair_busy
            for i, cache in enumerate(self._chair):
                v = cache.get(length)
                if v is None:
                    v = cache[length] = erode(full & ~busy[i], length)
                m |= v
            self._any[key] = m
        return m

    def _any_staff(self, key: tuple[str, int], group: list[StaffState]) -> int:
        """Starts where somebody of ``group`` is free; also caches where more than one is."""
        m = self._any.get(key)
        if m is None:
            m = several = 0
            length = key[1]
            caches = self._staff
            for s in group:
                cache = caches[s.index]
                v = cache.get(length)
                if v is None:
                    v = cache[length] = erode(s.free_mask, length)
                several |= m & v
                m |= v
            self._any[key] = m
            self._any[(key[0] + "+", length)] = several
        return m

    def any_psychiatrist(self, length: int) -> int:
        return self._any_staff(("psy", length), self.psychiatrists)

    def any_monitor(self, length: int) -> int:
        return self._any_staff(("mon", length), self.monitors)

    def resource_starts(self, length: int) -> int:
        """Starts with a chair, a psychiatrist and a monitoring clinician free: two people,
        so not where one person holding both roles is the only one free for either."""
        key = ("all", length)
        m = self._any.get(key)
        if m is None:
            psy, mon = self.any_psychiatrist(length), self.any_monitor(length)
            m = self.open_starts(length) & self.any_chair(length) & psy & mon
            if self.both_roles and m:
                alone = ~self._any[("psy+", length)] & ~self._any[("mon+", length)]
                for s in self.both_roles:
                    m &= ~(self.staff_starts(s.index, length) & alone)
            self._any[key] = m
        return m

    # -- choosing and booking ----------------------------------------------------------
    def free_chairs(self, slot: int, length: int) -> list[int]:
        bit = 1 << slot
        return [i for i in range(len(self.chairs)) if self.chair_starts(i, length) & bit]

    def free_staff(self, group: list[StaffState], slot: int, length: int) -> list[StaffState]:
        bit = 1 << slot
        return [s for s in group if self.staff_starts(s.index, length) & bit]

    #: Length (slots) of the shortest session being planned: idle gaps shorter than it are waste.
    shortest = 1

    def _waste(self, free: int, slot: int, length: int) -> int:
        """Idle slots too short to use that a session at ``slot`` leaves around it in ``free``."""
        lo = slot - slot % self.tl.per_day
        return _fit(free, slot, slot + length, lo, lo + self.tl.per_day, self.shortest)[0]

    def staff_pair(self, slot: int, length: int) -> tuple[StaffState, StaffState] | None:
        """A psychiatrist and a monitoring clinician (two people) free at ``slot``.

        Best fit first (the person whose free time the session fills most tightly), then
        the least loaded, so capacity is not fragmented and load is spread.
        """
        psy = self._ranked(self.psychiatrists, slot, length)
        if not psy:
            return None
        mon = self._ranked(self.monitors, slot, length)
        for p in psy:
            for m in mon:
                if m.index != p.index:
                    return p, m
        return None

    def _ranked(self, group: list[StaffState], slot: int, length: int) -> list[StaffState]:
        """People of ``group`` free for the session, best fit first (least unusable idle time,
        then least idle time around it), then least loaded; at most three."""
        bit = 1 << slot
        lo = slot - slot % self.tl.per_day
        end, short = slot + length, self.shortest
        below = bit - (1 << lo)
        tail = lo + self.tl.per_day - end
        above = (1 << tail) - 1 if tail > 0 else 0
        caches = self._staff
        scored = []
        for s in group:
            cache = caches[s.index]
            starts = cache.get(length)
            if starts is None:
                starts = cache[length] = erode(s.free_mask, length)
            if starts & bit:
                waste, idle = _idle(s.blocked, slot, end, lo, below, above, tail, short)
                scored.append((waste, idle, s.used_slots / s.available_slots, s.member.ref, s))
        if len(scored) > 1:
            scored.sort(key=_rank_key)
        return [x[4] for x in scored[:3]]

    def best_chair(self, slot: int, length: int) -> int | None:
        """A free chair, the one whose free time the session fills most tightly."""
        bit = 1 << slot
        lo = slot - slot % self.tl.per_day
        end, short = slot + length, self.shortest
        below = bit - (1 << lo)
        tail = lo + self.tl.per_day - end
        above = (1 << tail) - 1 if tail > 0 else 0
        closed = ~self.open
        full = self.tl.full
        best: tuple[int, int] | None = None
        for i, cache in enumerate(self._chair):
            starts = cache.get(length)
            if starts is None:
                starts = cache[length] = erode(full & ~self.chair_busy[i], length)
            if starts & bit:
                waste = _idle(self.chair_busy[i] | closed, slot, end, lo, below, above, tail, short)[0]
                if best is None or waste < best[0]:
                    best = (waste, i)
                    if waste == 0:
                        break
        return None if best is None else best[1]

    def snug_chair_starts(self, length: int) -> tuple[int, int, int]:
        """Starts that fill a chair's free stretch snugly, best first.

        Three masks: both ends touch a session or the closing/opening time; the start
        follows right after a session (continuing the chair's run); either end touches.
        """
        both = follows = one = 0
        closed = ~self.open
        for i, busy in enumerate(self.chair_busy):
            starts = self.chair_starts(i, length)
            if not starts:
                continue
            blocked = busy | closed
            left = starts & (blocked << 1)
            right = starts & (blocked >> length)
            both |= left & right
            follows |= starts & (busy << 1)
            one |= left | right
        return both, follows, one

    def snug_staff_starts(self, length: int) -> tuple[int, int, int]:
        """As ``snug_chair_starts`` for each person's free time (either role)."""
        both = follows = one = 0
        for s in self.staff:
            starts = self.staff_starts(s.index, length)
            if not starts:
                continue
            free = s.free_mask & self.open
            blocked = ~free
            left = starts & (blocked << 1)
            right = starts & (blocked >> length)
            both |= left & right
            follows |= starts & ((s.avail & ~free) << 1)
            one |= left | right
        return both, follows, one

    def waste(self, length: int) -> int:
        """Free chair and staff time (slots) in pieces too short for a ``length``-slot session.

        A plan that leaves its idle time in long stretches can still take more sessions;
        among plans placing as many infusions the search prefers the least waste.
        """
        total = 0
        open_ = self.open
        for busy in self.chair_busy:
            free = open_ & ~busy
            total += (free & ~dilate(erode(free, length), length)).bit_count()
        for s in self.staff:
            for level in s.levels:
                free = s.avail & open_ & ~level
                total += (free & ~dilate(erode(free, length), length)).bit_count()
        return total

    def book(self, chair: int, slot: int, length: int, staff: tuple[int, ...]) -> None:
        mask = span(slot, slot + length)
        self.chair_busy[chair] |= mask
        for i in staff:
            self.staff[i].add(mask)
        self.starts[slot] = self.starts.get(slot, 0) + 1
        self._invalidate(chair, staff)

    def unbook(self, chair: int, slot: int, length: int, staff: tuple[int, ...]) -> None:
        mask = span(slot, slot + length)
        self.chair_busy[chair] &= ~mask
        for i in staff:
            self.staff[i].remove(mask)
        self.starts[slot] -= 1
        self._invalidate(chair, staff)

    def _invalidate(self, chair: int, staff: tuple[int, ...]) -> None:
        self._chair[chair].clear()
        for i in staff:
            self._staff[i].clear()
        self._any.clear()


def _rank_key(x: tuple[int, int, float, str, StaffState]) -> tuple[int, int, float, str]:
    return x[0], x[1], x[2], x[3]



def _fit(free: int, slot: int, end: int, lo: int, hi: int, short: int) -> tuple[int, int]:
    """(unusable, all) idle slots the session [slot, end) leaves in its free stretch of ``free``.

    ``lo``/``hi`` bound the day; idle pieces shorter than ``short`` slots are unusable.
    """
    tail = hi - end
    above = (1 << tail) - 1 if tail > 0 else 0
    return _idle(~free, slot, end, lo, (1 << slot) - (1 << lo), above, tail, short)


def _idle(blocked: int, slot: int, end: int, lo: int, below: int, above: int, tail: int,
          short: int) -> tuple[int, int]:
    """``_fit`` with its masks prepared: ``below`` = the day's slots before ``slot``, ``above``
    = the ``tail`` slots after ``end`` (shifted down to bit 0); ``blocked`` = not free."""
    left = blocked & below
    before = slot - left.bit_length() if left else slot - lo
    right = (blocked >> end) & above
    after = (right & -right).bit_length() - 1 if right else tail
    waste = (before if 0 < before < short else 0) + (after if 0 < after < short else 0)
    return waste, before + after
