"""An M-size clinic for the rules benchmark: 8 chairs, 10 staff, 120 sessions a week.

Rows are bulk-inserted (Core ``executemany``) so building ten years takes
seconds. The schedule is what a busy clinic runs: three slots a day per chair,
Monday-Wednesday-Friday and Tuesday-Thursday courses of six infusions, two
psychiatrists and four monitoring clinicians per slot, plus a realistic
sprinkle of problems (a missing nurse now and then, staff leave, flagged
patients) so the checker has something to report.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert

from planner.db.engine import Database
from planner.db.models import (
    Assignment,
    Chair,
    Clinic,
    Closure,
    Course,
    InfusionSession,
    OpeningHours,
    Patient,
    Protocol,
    StaffHours,
    StaffLeave,
    StaffMember,
)

CHAIRS = 8
SLOTS = (time(8, 0), time(10, 30), time(13, 0))  # 2 h chair time each
PSYCHIATRISTS = 4
MONITORS = 6  # 2 anesthesiologists + 4 infusion nurses
FIRST_MONDAY = date(2027, 1, 4)


def build_clinic(db: Database, weeks: int) -> int:
    """Fill an empty database with ``weeks`` of sessions; returns the number of sessions."""
    sessions: list[dict[str, Any]] = []
    assignments: list[dict[str, Any]] = []
    courses: list[dict[str, Any]] = []
    patients: list[dict[str, Any]] = []
    # One stream per (chair, slot, pattern); every 6 sessions of a stream make a course.
    patterns = ((0, 2, 4), (1, 3))
    streams: dict[tuple[int, int, int], list[int]] = {}
    sid = 0
    for week in range(weeks):
        monday = FIRST_MONDAY + timedelta(weeks=week)
        for weekday in range(5):
            pattern = 0 if weekday in patterns[0] else 1
            day = monday + timedelta(days=weekday)
            for slot, at in enumerate(SLOTS):
                for chair in range(CHAIRS):
                    stream = streams.setdefault((chair, slot, pattern), [])
                    if len(stream) % 6 == 0:
                        cid = len(courses) + 1
                        flags = ["psychosis_history"] if cid % 25 == 0 else []
                        patients.append(
                            {
                                "id": cid,
                                "ref": f"P-{cid:05d}",
                                "name": f"Patient {cid}",
                                "date_of_birth": date(1980, 1, 1) + timedelta(days=cid % 9000),
                                "record_number": f"MRN-{cid:06d}",
                                "weight_kg": 70.0,
                                "flags": flags,
                                "flags_acknowledged_by": "Dr Psych 1" if cid % 50 == 0 else "",
                                "escort_name": "",
                                "escort_phone": "",
                                "notes": "",
                                "archived": False,
                                "version": 1,
                            }
                        )
                        courses.append(
                            {
                                "id": cid,
                                "ref": f"C-{cid:05d}",
                                "patient_id": cid,
                                "protocol_id": 1,
                                "planned_infusions": 6,
                                "status": "active",
                                "pattern": "",
                                "version": 1,
                            }
                        )
                    stream.append(sid)
                    sid += 1
                    sessions.append(
                        {
                            "id": sid,
                            "ref": f"X-{sid:06d}",
                            "course_id": len(courses)
                            if len(stream) % 6 == 1
                            else _course_of(stream, courses, sessions),
                            "chair_id": chair + 1,
                            "start": datetime.combine(day, at),
                            "status": "done" if week < weeks - 4 else "planned",
                            "version": 1,
                        }
                    )
                    psych = 1 + (chair // 4 + 2 * (slot % 2)) % PSYCHIATRISTS
                    monitor = PSYCHIATRISTS + 1 + (chair // 2 + slot) % MONITORS
                    assignments.append(
                        {"session_id": sid, "staff_id": psych, "role": "psychiatrist"}
                    )
                    if sid % 53:  # now and then the nurse is missing
                        role = (
                            "anesthesiologist" if monitor <= PSYCHIATRISTS + 2 else "infusion_nurse"
                        )
                        assignments.append({"session_id": sid, "staff_id": monitor, "role": role})
    with db.begin() as s:
        s.execute(insert(Clinic), [{"name": "Benchmark Clinic", "policy": {}, "version": 1}])
        s.execute(
            insert(OpeningHours),
            [{"weekday": d, "open_time": time(7, 30), "close_time": time(18, 0)} for d in range(5)],
        )
        s.execute(
            insert(Closure),
            [
                {"day": date(2027 + y, 12, 25), "reason": "Christmas"}
                for y in range(weeks // 52 + 1)
            ],
        )
        s.execute(
            insert(Protocol),
            [
                {
                    "id": 1,
                    "ref": "KET-DEP",
                    "name": "Ketamine — depression induction",
                    "infusions": 6,
                    "prep_minutes": 20,
                    "infusion_minutes": 40,
                    "recovery_minutes": 60,
                    "min_hours_between": 48.0,
                    "max_per_7_days": 3,
                    "max_gap_days": 7,
                    "dose_mg_per_kg": 0.5,
                    "version": 1,
                }
            ],
        )
        s.execute(
            insert(Chair),
            [
                {
                    "id": c + 1,
                    "ref": f"CH-{c + 1}",
                    "name": f"Chair {c + 1}",
                    "room": "A",
                    "active": True,
                    "version": 1,
                }
                for c in range(CHAIRS)
            ],
        )
        staff = []
        for i in range(PSYCHIATRISTS + MONITORS):
            if i < PSYCHIATRISTS:
                roles, name = ["psychiatrist"], f"Dr Psych {i + 1}"
            elif i < PSYCHIATRISTS + 2:
                roles, name = ["anesthesiologist"], f"Dr Gas {i + 1}"
            else:
                roles, name = ["infusion_nurse"], f"Nurse {i + 1}"
            staff.append(
                {
                    "id": i + 1,
                    "ref": f"S{i + 1:02d}",
                    "name": name,
                    "roles": roles,
                    "credential_expires": date(2040, 1, 1),
                    "active": True,
                    "version": 1,
                }
            )
        s.execute(insert(StaffMember), staff)
        s.execute(
            insert(StaffHours),
            [
                {
                    "staff_id": i + 1,
                    "weekday": d,
                    "start_time": time(7, 30),
                    "end_time": time(17, 30),
                }
                for i in range(len(staff))
                for d in range(5)
            ],
        )
        leave = []
        for year in range(weeks // 52 + 1):
            start = FIRST_MONDAY + timedelta(weeks=52 * year + 30)
            leave.append(
                {"staff_id": 5, "start_date": start, "end_date": start + timedelta(days=1)}
            )
        s.execute(insert(StaffLeave), leave)
        s.execute(insert(Patient), patients)
        s.execute(insert(Course), courses)
        s.execute(insert(InfusionSession), sessions)
        s.execute(insert(Assignment), assignments)
    return len(sessions)


def _course_of(
    stream: list[int], courses: list[dict[str, Any]], sessions: list[dict[str, Any]]
) -> int:
    """The course of the stream's current block of six (that of its first session)."""
    first = stream[(len(stream) - 1) // 6 * 6]
    return int(sessions[first]["course_id"])
