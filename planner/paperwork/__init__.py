"""Printable paperwork: consent form, monitoring sheet, week schedule, day packet (PDF).

Pure builders: plain data (:mod:`planner.paperwork.data`) in, PDF bytes out.
reportlab is imported only when a document is built, so importing this
package costs the app nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.paperwork.data import (
    DRAFT_PREFIX,
    ConsentData,
    DayPacketData,
    MonitoringData,
    RenderOptions,
    WeekData,
)


def build_consent(data: ConsentData, options: RenderOptions) -> bytes:
    """Consent form of one course."""
    from planner.paperwork.consent import build_consent as build

    return build(data, options)


def build_monitoring(data: MonitoringData, options: RenderOptions) -> bytes:
    """Post-infusion monitoring sheet of one session."""
    from planner.paperwork.monitoring import build_monitoring as build

    return build(data, options)


def build_week(data: WeekData, options: RenderOptions) -> bytes:
    """Week schedule: one landscape page per day, chairs × times."""
    from planner.paperwork.week import build_week as build

    return build(data, options)


def build_day_packet(
    data: DayPacketData,
    options: RenderOptions,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Run sheet + every session's monitoring sheet + the consent forms still needed."""
    from planner.paperwork.day import build_day_packet as build

    return build(data, options, progress=progress)


__all__ = [
    "DRAFT_PREFIX",
    "build_consent",
    "build_day_packet",
    "build_monitoring",
    "build_week",
]
