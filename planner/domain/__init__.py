"""The domain: the clinic's vocabulary and its entities, each defined once with its limits.

``planner.domain.records`` holds the entities, ``planner.domain.policy`` the
clinic policy, ``planner.domain.fields`` the limits they are built from.
"""

from planner.domain.vocabulary import (
    ANESTHESIOLOGIST,
    COURSE_STATUSES,
    FLAG_LABELS,
    INACTIVE_SESSION_STATUSES,
    INFUSION_NURSE,
    MONITORING_ROLES,
    PATIENT_FLAGS,
    PSYCHIATRIST,
    ROLE_LABELS,
    ROLES,
    SESSION_STATUSES,
    WEEKDAY_NAMES,
    WEEKDAYS,
    weekday_index,
)

__all__ = [
    "ANESTHESIOLOGIST",
    "COURSE_STATUSES",
    "FLAG_LABELS",
    "INACTIVE_SESSION_STATUSES",
    "INFUSION_NURSE",
    "MONITORING_ROLES",
    "PATIENT_FLAGS",
    "PSYCHIATRIST",
    "ROLE_LABELS",
    "ROLES",
    "SESSION_STATUSES",
    "WEEKDAY_NAMES",
    "WEEKDAYS",
    "weekday_index",
]
