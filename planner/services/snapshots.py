"""Plain dictionaries of sessions for the audit trail's before/after."""

from __future__ import annotations

from typing import Any

from planner.db.models import InfusionSession


def session_snapshot(s: InfusionSession) -> dict[str, Any]:
    return {
        "ref": s.ref,
        "course": s.course.ref,
        "chair": s.chair.ref,
        "start": s.start.isoformat(timespec="minutes"),
        "status": s.status,
        "prep_minutes": s.prep_minutes_override,
        "infusion_minutes": s.infusion_minutes_override,
        "recovery_minutes": s.recovery_minutes_override,
        "assignments": sorted(
            ({"staff": a.staff.ref, "role": a.role} for a in s.assignments),
            key=lambda a: (a["role"], a["staff"]),
        ),
    }
