"""Snapshots of one week for the planner screen (Qt-free, read-only).

The week planner never queries: it asks ``load_week`` for a frozen picture of
the week (sessions with everything a block shows, chairs, staff, opening
hours, closures and the rules engine's violations) and draws that. Reading
happens in one short transaction; nothing lazy-loads afterwards.

The week is read with SQLAlchemy Core (``reading``); what needs the ORM
(``queries``: the rules check, the dialogs' look-ups) is imported on first use,
so the app's first painted week never waits for the ORM to load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.services.week.model import (
    ChairSnapshot,
    CourseChoice,
    PatientHit,
    SessionSnapshot,
    StaffOnSession,
    StaffOption,
    StaffSnapshot,
    Violation,
    WeekSnapshot,
    WeekSummary,
    copy_violation,
    initials,
    monday_of,
    staff_load,
    staff_options,
)
from planner.services.week.reading import clinic_name, is_empty, load_week

if TYPE_CHECKING:
    from planner.services.week.queries import (
        active_courses,
        change_marker,
        check_week,
        course_record,
        find_patients,
    )

#: Served by ``queries`` (the ORM), imported when first asked for.
_ORM_BACKED = frozenset(
    {
        "active_courses",
        "change_marker",
        "check_week",
        "course_record",
        "find_patients",
    }
)


def __getattr__(name: str) -> Any:
    if name in _ORM_BACKED:
        from planner.services.week import queries

        return getattr(queries, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ChairSnapshot",
    "CourseChoice",
    "PatientHit",
    "SessionSnapshot",
    "StaffOnSession",
    "StaffOption",
    "StaffSnapshot",
    "Violation",
    "WeekSnapshot",
    "WeekSummary",
    "active_courses",
    "change_marker",
    "check_week",
    "clinic_name",
    "copy_violation",
    "course_record",
    "find_patients",
    "initials",
    "is_empty",
    "load_week",
    "monday_of",
    "staff_load",
    "staff_options",
]
