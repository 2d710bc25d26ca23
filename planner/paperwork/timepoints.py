"""Pre-printed vitals time points of a monitoring sheet (pure; no reportlab).

Default policy: baseline, every 10 min to the end of the infusion, every
15 min of recovery, then discharge. The end of the infusion and the end of
recovery are always rows of their own, even when the interval does not
divide the duration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class TimePoint:
    label: str
    planned: datetime | None  # planned clock time (None for discharge: when criteria are met)


def vitals_time_points(
    infusion_start: datetime,
    infusion_minutes: int,
    recovery_minutes: int,
    every_infusion: int,
    every_recovery: int,
) -> list[TimePoint]:
    """Rows of the vitals grid, in order."""
    every_infusion = max(1, every_infusion)
    every_recovery = max(1, every_recovery)
    points = [TimePoint("Baseline (before start)", infusion_start)]
    minute = every_infusion
    while minute < infusion_minutes:
        points.append(TimePoint(f"{minute} min", infusion_start + timedelta(minutes=minute)))
        minute += every_infusion
    end = infusion_start + timedelta(minutes=infusion_minutes)
    points.append(TimePoint(f"{infusion_minutes} min — end of infusion", end))
    after = every_recovery
    while after < recovery_minutes:
        points.append(TimePoint(f"+{after} min after", end + timedelta(minutes=after)))
        after += every_recovery
    if recovery_minutes > 0:
        points.append(
            TimePoint(f"+{recovery_minutes} min after", end + timedelta(minutes=recovery_minutes))
        )
    points.append(TimePoint("Discharge", None))
    return points
