"""Sort-and-sweep primitives behind every overlap and concurrency rule.

Intervals are half-open ``[start, end)``: one ending at 10:00 does not meet
one starting at 10:00, and an empty interval meets nothing. Both functions
sort once and keep only the intervals still open, so the cost is
O(n log n + reported pairs), never all-pairs. ``tests/rules`` compares them
with plain O(n^2) references on random schedules.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from heapq import heappop, heappush
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)


def overlapping_pairs(
    items: Sequence[tuple[Any, Any, K]], *, presorted: bool = False
) -> list[tuple[K, K]]:
    """Every pair ``(a, b)`` of keys whose intervals overlap (``a`` starts no later than ``b``).

    ``presorted``: the items already come in order of start.
    """
    ordered = items if presorted else sorted(items, key=lambda it: it[0])
    pairs: list[tuple[K, K]] = []
    active: list[tuple[Any, K]] = []  # (end, key) of intervals that may still overlap
    for start, end, key in ordered:
        if not start < end:
            continue
        if active:
            active = [a for a in active if a[0] > start]
            for _end, other in active:
                pairs.append((other, key))
        active.append((end, key))
    return pairs


@dataclass(slots=True)
class Overload:
    """How one interval takes part in a load above the limit.

    ``start``/``end``: the span (inside the interval) during which the load is
    over the limit; ``peak``: most intervals open at once then; ``limit``: the
    limit at that peak; ``others``: keys of the other intervals open then.
    """

    start: Any
    end: Any
    peak: int
    limit: int
    others: set[Any] = field(default_factory=set)


def overloads(
    items: Sequence[tuple[Any, Any, K, int]], *, presorted: bool = False
) -> dict[K, Overload]:
    """Intervals open while more intervals are open than allowed.

    Each item is ``(start, end, key, limit)``; at any instant the allowed
    number is the smallest limit among the open intervals (a stricter role
    sets the pace). Keys must be unique. ``presorted``: items come in order of start.
    """
    if not _may_exceed(items, presorted):
        return {}
    events: list[tuple[Any, int, int]] = []  # (time, 0=end/1=start, index)
    for i, (start, end, _key, _limit) in enumerate(items):
        if start < end:
            events.append((start, 1, i))
            events.append((end, 0, i))
    if not events:
        return {}
    events.sort()  # by time, ends (0) before starts (1) at the same instant
    result: dict[K, Overload] = {}
    active: dict[int, int] = {}  # index -> limit
    n = len(events)
    pos = 0
    while pos < n:
        now = events[pos][0]
        while pos < n and events[pos][0] == now:
            _t, kind, i = events[pos]
            if kind:
                active[i] = items[i][3]
            else:
                del active[i]
            pos += 1
        count = len(active)
        if count <= 1 or pos >= n:
            continue
        limit = min(active.values())
        if count <= limit:
            continue
        until = events[pos][0]
        keys = [items[i][2] for i in active]
        for key in keys:
            over = result.get(key)
            if over is None:
                result[key] = Overload(now, until, count, limit, {k for k in keys if k != key})
                continue
            over.end = until
            if count > over.peak:
                over.peak = count
                over.limit = limit
            over.others.update(k for k in keys if k != key)
    return result


def _may_exceed(items: Sequence[tuple[Any, Any, Any, int]], presorted: bool) -> bool:
    """Quick test: could the open count ever pass the smallest limit? (Usually not.)"""
    if len(items) < 2:
        return False
    floor = min(it[3] for it in items)
    ends: list[Any] = []
    for start, end, _key, _limit in items if presorted else sorted(items, key=lambda it: it[0]):
        if not start < end:
            continue
        while ends and ends[0] <= start:
            heappop(ends)
        heappush(ends, end)
        if len(ends) > floor:
            return True
    return False
