"""The typed result of every check: a ``Violation`` with a stable code.

Codes and severities are part of the product's contract: the CLI prints
them, the GUI badges sessions with them and scripts filter on them, so they
are listed once here and never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

Severity = Literal["error", "warning"]
ERROR: Final = "error"
WARNING: Final = "warning"

MISSING_PSYCHIATRIST: Final = "missing-psychiatrist"
MISSING_MONITORING_CLINICIAN: Final = "missing-monitoring-clinician"
SAME_PERSON_BOTH_ROLES: Final = "same-person-both-roles"
ROLE_NOT_HELD: Final = "role-not-held"
CREDENTIAL_EXPIRED: Final = "credential-expired"
STAFF_UNAVAILABLE: Final = "staff-unavailable"
STAFF_ON_LEAVE: Final = "staff-on-leave"
STAFF_OVERBOOKED: Final = "staff-overbooked"
PATIENT_DOUBLE_BOOKED: Final = "patient-double-booked"
CHAIR_DOUBLE_BOOKED: Final = "chair-double-booked"
OUTSIDE_OPENING_HOURS: Final = "outside-opening-hours"
CLINIC_CLOSED: Final = "clinic-closed"
SPACING_TOO_SHORT: Final = "spacing-too-short"
TOO_MANY_PER_WEEK: Final = "too-many-per-week"
INDUCTION_GAP_TOO_LONG: Final = "induction-gap-too-long"
COURSE_OVER_PLANNED: Final = "course-over-planned"
PATIENT_FLAG: Final = "patient-flag"
STAFF_INACTIVE: Final = "staff-inactive"
CHAIR_INACTIVE: Final = "chair-inactive"
ESCORT_MISSING: Final = "escort-missing"
CONSENT_MISSING: Final = "consent-missing"

#: Every code with its severity and a short title (for legends and filters), in display order.
CODES: Final[dict[str, tuple[Severity, str]]] = {
    MISSING_PSYCHIATRIST: (ERROR, "No psychiatrist assigned"),
    MISSING_MONITORING_CLINICIAN: (ERROR, "No monitoring clinician assigned"),
    SAME_PERSON_BOTH_ROLES: (ERROR, "One person fills both required roles"),
    ROLE_NOT_HELD: (ERROR, "Assigned in a role not held"),
    CREDENTIAL_EXPIRED: (ERROR, "Credential expired or missing"),
    STAFF_UNAVAILABLE: (ERROR, "Outside the staff member's hours"),
    STAFF_ON_LEAVE: (ERROR, "Staff member on leave"),
    STAFF_OVERBOOKED: (ERROR, "Staff member over the concurrent-patient limit"),
    STAFF_INACTIVE: (ERROR, "Staff member deactivated"),
    CHAIR_INACTIVE: (ERROR, "Chair no longer in use"),
    PATIENT_DOUBLE_BOOKED: (ERROR, "Patient booked twice at once"),
    CHAIR_DOUBLE_BOOKED: (ERROR, "Chair booked twice at once"),
    OUTSIDE_OPENING_HOURS: (ERROR, "Outside opening hours"),
    CLINIC_CLOSED: (ERROR, "Clinic closed that day"),
    SPACING_TOO_SHORT: (WARNING, "Infusions too close together"),
    TOO_MANY_PER_WEEK: (WARNING, "Too many infusions in 7 days"),
    INDUCTION_GAP_TOO_LONG: (WARNING, "Long gap during induction"),
    COURSE_OVER_PLANNED: (WARNING, "More infusions than planned"),
    PATIENT_FLAG: (WARNING, "Patient has an exclusion flag"),
    ESCORT_MISSING: (WARNING, "No escort name and phone on file"),
    CONSENT_MISSING: (WARNING, "No consent on file for the course"),
}


def severity_of(code: str) -> Severity:
    return CODES[code][0]


@dataclass(frozen=True, slots=True)
class Violation:
    """One problem of one session. ``related`` names the other sessions involved."""

    code: str
    severity: Severity
    session: str
    message: str
    related: tuple[str, ...] = ()
    staff: str | None = None
    patient: str | None = None
    chair: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape the CLI prints (``related`` as a list)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "session": self.session,
            "message": self.message,
            "related": list(self.related),
            "staff": self.staff,
            "patient": self.patient,
            "chair": self.chair,
        }


def make(
    code: str,
    session: str,
    message: str,
    *,
    related: tuple[str, ...] = (),
    staff: str | None = None,
    patient: str | None = None,
    chair: str | None = None,
) -> Violation:
    """A violation with the severity its code always has."""
    return Violation(code, CODES[code][0], session, message, related, staff, patient, chair)


def has_errors(violations: list[Violation] | tuple[Violation, ...]) -> bool:
    return any(v.severity == ERROR for v in violations)
