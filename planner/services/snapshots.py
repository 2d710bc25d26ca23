"""Plain dictionaries of entities for the audit trail's before/after."""

from __future__ import annotations

from typing import Any

from planner.db.models import InfusionSession, Patient


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


def patient_snapshot(p: Patient) -> dict[str, Any]:
    return {
        "ref": p.ref,
        "name": p.name,
        "date_of_birth": p.date_of_birth.isoformat(),
        "record_number": p.record_number,
        "weight_kg": p.weight_kg,
        "flags": list(p.flags),
        "flags_acknowledged_by": p.flags_acknowledged_by,
        "escort_name": p.escort_name,
        "escort_phone": p.escort_phone,
        "notes": p.notes,
        "archived": p.archived,
    }
