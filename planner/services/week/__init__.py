"""Snapshots of one week for the planner screen (Qt-free, read-only).

The week planner never queries: it asks ``load_week`` for a frozen picture of
the week (sessions with everything a block shows, chairs, staff, opening
hours, closures and the rules engine's violations) and draws that. Reading
happens in one short transaction; nothing lazy-loads afterwards.
"""

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
from planner.services.week.queries import (
    active_courses,
    change_marker,
    check_week,
    clinic_name,
    course_record,
    find_patients,
    is_empty,
    load_sessions,
    load_staff,
    load_week,
    rules_available,
)

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
    "load_sessions",
    "load_staff",
    "load_week",
    "monday_of",
    "rules_available",
    "staff_load",
    "staff_options",
]
