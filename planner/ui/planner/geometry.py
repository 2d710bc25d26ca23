"""Where things go on the week canvas: days, chair columns, the time axis, snapping.

Pure arithmetic (no widgets), so layout and drag snapping are easy to test and
cheap to recompute on every resize.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from planner.services.week import SessionSnapshot, WeekSnapshot

SNAP_MINUTES = 5
AXIS_WIDTH = 46.0
HEADER_HEIGHT = 46.0
CLOSED_WIDTH = 34.0
MIN_CHAIR_WIDTH = 54.0
MIN_PX_PER_MINUTE = 0.7
MAX_PX_PER_MINUTE = 3.0
#: A readable card is never made wider than this for one long name (it is elided instead).
MAX_CARD_WIDTH = 170.0
#: Hour heights the zoom (Ctrl+wheel, Ctrl+= / Ctrl+-) moves between, in pixels.
MIN_HOUR_HEIGHT = 30
MAX_HOUR_HEIGHT = 240


@dataclass(frozen=True)
class DayColumn:
    day: date
    x: float
    width: float
    open: bool
    #: Chairs shown as sub-columns (empty for a collapsed closed day).
    chairs: tuple[str, ...]

    @property
    def chair_width(self) -> float:
        return self.width / len(self.chairs) if self.chairs else self.width


@dataclass(frozen=True)
class WeekGeometry:
    columns: tuple[DayColumn, ...]
    first_minute: int  # minutes after midnight at the top of the axis
    last_minute: int
    px_per_minute: float

    @property
    def width(self) -> float:
        if not self.columns:
            return AXIS_WIDTH
        last = self.columns[-1]
        return last.x + last.width

    @property
    def height(self) -> float:
        return HEADER_HEIGHT + (self.last_minute - self.first_minute) * self.px_per_minute

    def y_of(self, moment: datetime | time) -> float:
        minutes = moment.hour * 60 + moment.minute
        return HEADER_HEIGHT + (minutes - self.first_minute) * self.px_per_minute

    def column_of(self, day: date) -> DayColumn | None:
        return next((c for c in self.columns if c.day == day), None)

    def chair_x(self, day: date, chair_ref: str) -> tuple[float, float] | None:
        """Left edge and width of a chair's column on ``day``."""
        column = self.column_of(day)
        if column is None or chair_ref not in column.chairs:
            return None
        width = column.chair_width
        return column.x + column.chairs.index(chair_ref) * width, width

    def block_rect(self, s: SessionSnapshot) -> tuple[float, float, float, float] | None:
        """(x, y, w, h) of a session's block, or None when its day or chair is not shown."""
        where = self.chair_x(s.start.date(), s.chair_ref)
        if where is None:
            return None
        x, width = where
        top = self.y_of(s.start)
        return x, top, width, max(8.0, s.chair_minutes * self.px_per_minute)

    def slot_at(self, x: float, y: float) -> tuple[date, str] | None:
        """The (day, chair) under a scene point, if any."""
        for column in self.columns:
            if column.x <= x < column.x + column.width and column.chairs:
                index = min(int((x - column.x) // column.chair_width), len(column.chairs) - 1)
                return column.day, column.chairs[index]
        return None

    def time_at(
        self, day: date, y: float, *, snap: int = SNAP_MINUTES, floor: bool = False
    ) -> datetime:
        """The moment at height ``y`` on ``day``, rounded to ``snap`` minutes (``floor``: the
        start of the ``snap`` minutes clicked in, as for a double-click on an empty slot)."""
        minutes = self.first_minute + (y - HEADER_HEIGHT) / self.px_per_minute
        minutes = snap * (math.floor(minutes / snap) if floor else round(minutes / snap))
        minutes = max(0, min(24 * 60 - snap, int(minutes)))
        return datetime.combine(day, time(0)) + timedelta(minutes=minutes)


def _minute(value: time) -> int:
    return value.hour * 60 + value.minute


def minute_range(week: WeekSnapshot, days: list[date]) -> tuple[int, int]:
    """Whole hours covering opening hours and every shown session."""
    opens, closes = week.day_range()
    first = _minute(opens)
    last = _minute(closes) if closes != time(0) else 24 * 60
    shown = set(days)
    for s in week.sessions:
        if s.start.date() in shown:
            first = min(first, _minute(s.start.time()))
            end = s.end
            last = max(last, 24 * 60 if end.date() > s.start.date() else _minute(end.time()))
    first = 60 * (first // 60)
    last = min(24 * 60, 60 * math.ceil(last / 60))
    return first, max(last, first + 60)


def layout(
    week: WeekSnapshot,
    *,
    viewport_width: float,
    viewport_height: float,
    day: date | None = None,
    min_chair_width: float = MIN_CHAIR_WIDTH,
    hour_height: float | None = None,
) -> WeekGeometry:
    """Fit the week (or one ``day``) into the viewport; columns never get narrower than
    ``min_chair_width`` (what its cards need to be read), the view scrolls instead.
    ``hour_height`` (pixels) is the zoom the user chose; None fits the day to the height."""
    days = [day] if day is not None else week.days
    chairs = tuple(c.ref for c in week.chairs) or ("",)
    busy_days = {s.start.date() for s in week.sessions}
    collapsed = [d for d in days if not week.is_open(d) and d not in busy_days and day is None]
    full_days = len(days) - len(collapsed)
    room = viewport_width - AXIS_WIDTH - CLOSED_WIDTH * len(collapsed) - 2
    readable = max(MIN_CHAIR_WIDTH, min(MAX_CARD_WIDTH, min_chair_width))
    chair_width = max(readable, room / max(1, full_days * len(chairs)))
    columns = []
    x = AXIS_WIDTH
    for d in days:
        if d in collapsed:
            columns.append(DayColumn(d, x, CLOSED_WIDTH, False, ()))
            x += CLOSED_WIDTH
        else:
            width = chair_width * len(chairs)
            columns.append(DayColumn(d, x, width, week.is_open(d), chairs))
            x += width
    first, last = minute_range(week, days)
    if hour_height is not None:
        ppm = max(MIN_HOUR_HEIGHT, min(MAX_HOUR_HEIGHT, hour_height)) / 60
    else:
        ppm = (viewport_height - HEADER_HEIGHT - 4) / (last - first)
        ppm = max(MIN_PX_PER_MINUTE, min(MAX_PX_PER_MINUTE, ppm))
    return WeekGeometry(tuple(columns), first, last, ppm)
