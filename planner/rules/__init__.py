"""The rules engine: the staffing rule and every schedule conflict, as typed violations.

Pure: no Qt, no database session. It reads the domain records
(``planner.domain.records``) gathered in a ``ClinicData`` and the clinic ``Policy``.

Public API (stable)::

    from planner.rules import check, Violation, IncrementalChecker

    check(data, policy=None, *, sessions=None) -> list[Violation]
        data: a ClinicData (sessions, opening_hours, closures, staff, chairs,
        focus). sessions: refs or session records whose violations to
        REPORT (still checked against everything); default: ``data.focus`` if
        present, else all. Sorted by session start, then errors first.

    Violation(code, severity, session, message, related=(), staff=None,
              patient=None, chair=None)          # frozen; .to_dict(), .is_error
    CODES: code -> (severity, short title);  has_errors(violations) -> bool

    checker = IncrementalChecker(data, policy)   # index once (~ like one check)
    checker.violations(ref)                      # current violations of one session
    checker.what_if(ref, start=dt, chair="CH-2", assignments=[("S1", "psychiatrist"), ...])
    checker.check_candidate(session)             # a new/unsaved session in context
    checker.update(session) -> set[refs]         # after a save: refs whose badges may change
    checker.remove(ref) -> set[refs];  checker.affected(ref);  checker.check_all()
    (unknown session/chair/staff refs raise UnknownRef, a KeyError). Answers are
    complete for what the data holds: built on ``load_clinic_data(s, monday,
    sunday)`` it knows that week +-3 days and every session of its patients.
    Rebuild it when clinic facts change (policy, hours, staff, protocols).

Input: ``ClinicData(sessions, opening_hours, closures, staff, chairs, focus)``
holding domain records (``Session`` computes its ``end`` once).

Database side: ``planner.services.checking`` (load_clinic_data, check_range,
check_sessions), which reads through ``planner.db.mapping``.

Decisions the issue left open:
- Cancelled and no-show sessions are ignored entirely (no conflicts, no own
  violations), and do not count as infusions (spacing, 7-day windows,
  induction numbering, ``course-over-planned``: a no-show did not use up a
  planned infusion).
- A conflict between two sessions (chair, patient, spacing, induction gap,
  staff load) is reported on BOTH sessions, each naming the other in ``related``.
- ``staff-overbooked``: the count is all sessions the member is in at an
  instant; the limit is the smallest ``policy.concurrent_limit`` of the roles
  the member fills then (one role: just that role's limit). Reaching the limit
  is fine; one more is an error on every session open during the excess.
- ``same-person-both-roles``: only when no two different people cover the two
  required roles (the single psychiatrist is also the only monitoring clinician).
- Staff hours and opening hours: the whole chair time must lie inside ONE
  range of that weekday (back-to-back or overlapping ranges join into one;
  a session crossing midnight never fits). A clinic with
  no opening hours recorded at all is treated as not set up: that check is
  skipped. A closure day gives ``clinic-closed`` instead of ``outside-opening-hours``.
- Credential: expired when the expiry date is before the session date, or missing.
- Spacing: start to start, the later session's protocol, across all the
  patient's courses. 7-day windows and induction gaps count calendar days
  (``too-many-per-week``: any 7 consecutive dates; induction gap: date
  difference > ``max_gap_days``), and gaps are checked only for active courses.
- ``patient-flag``: one warning per session while the patient has flags; the
  message names the flags and says who acknowledged them (still a warning).
"""

from __future__ import annotations

from planner.rules.data import ClinicData
from planner.rules.engine import check
from planner.rules.incremental import IncrementalChecker, UnknownRef
from planner.rules.violation import CODES, ERROR, WARNING, Severity, Violation, has_errors

__all__ = [
    "CODES",
    "ERROR",
    "WARNING",
    "ClinicData",
    "IncrementalChecker",
    "Severity",
    "UnknownRef",
    "Violation",
    "check",
    "has_errors",
]
