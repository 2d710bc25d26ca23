"""Small clinics written as documents, for reports whose numbers are worked out by hand.

Every session's chair time is 2 hours (protocol P: 20 + 40 + 60 minutes), so
the expected minutes in the tests can be counted on a calendar.
"""

from __future__ import annotations

from typing import Any

from tests.factories import base_document

PROTOCOL = {
    "ref": "P",
    "name": "Ketamine induction",
    "infusions": 6,
    "prep_minutes": 20,
    "infusion_minutes": 40,
    "recovery_minutes": 60,
    "max_gap_days": 7,
}


def hours(*ranges: tuple[str, str, str]) -> list[dict[str, str]]:
    """``("MO", "08:00", "12:00"), …`` as weekly hours."""
    return [{"weekday": d, "start": a, "end": b} for d, a, b in ranges]


def person(
    ref: str, name: str, roles: list[str], weekly: list[dict[str, str]], **extra: Any
) -> dict[str, Any]:
    return {
        "ref": ref,
        "name": name,
        "roles": roles,
        "credential_expires": "2030-01-01",
        "hours": weekly,
        **extra,
    }


def patient(ref: str, name: str, number: int, **extra: Any) -> dict[str, Any]:
    return {
        "ref": ref,
        "name": name,
        "date_of_birth": "1980-05-17",
        "record_number": f"MRN-{number:04d}",
        "weight_kg": 70,
        "escort": {"name": f"Escort of {name}", "phone": f"+1 555 01{number:02d}"},
        **extra,
    }


def course(ref: str, patient_ref: str, **extra: Any) -> dict[str, Any]:
    return {
        "ref": ref,
        "patient": patient_ref,
        "protocol": "P",
        "consent_date": "2026-11-01",
        **extra,
    }


def session(
    ref: str,
    course_ref: str,
    chair: str,
    start: str,
    status: str = "planned",
    staff: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    return {
        "ref": ref,
        "course": course_ref,
        "chair": chair,
        "start": start,
        "status": status,
        "assignments": [{"staff": s, "role": r} for s, r in staff],
    }


def document(**sections: Any) -> dict[str, Any]:
    doc = base_document()
    doc["protocols"] = [PROTOCOL]
    doc["clinic"]["closures"] = []
    doc.update(sections)
    return doc


PSY, NURSE, ANA = "psychiatrist", "infusion_nurse", "anesthesiologist"


def week_clinic() -> dict[str, Any]:
    """Mon 2026-12-07 to Wed 2026-12-09.

    Opening hours: Monday 08–12 and 13–17 (480 min), Tuesday 08–18 (600 min),
    Wednesday 09–13 but 2026-12-09 is a closure day. Chairs CH-1, CH-2 in use,
    CH-3 retired (no sessions).
    """
    return document(
        clinic={
            "name": "Hand-Counted Clinic",
            "address": "1 Test Street",
            "phone": "+1 555 0000",
            "opening_hours": [
                {"weekday": "MO", "open": "08:00", "close": "12:00"},
                {"weekday": "MO", "open": "13:00", "close": "17:00"},
                {"weekday": "TU", "open": "08:00", "close": "18:00"},
                {"weekday": "WE", "open": "09:00", "close": "13:00"},
            ],
            "closures": ["2026-12-09"],
        },
        chairs=[
            {"ref": "CH-1", "name": "Chair 1", "room": "A"},
            {"ref": "CH-2", "name": "Chair 2", "room": "A"},
            {"ref": "CH-3", "name": "Chair 3", "room": "B", "active": False},
        ],
        staff=[
            # on duty: Mon 480 + Tue 600 + Wed 0 (closure) = 1080 min
            person(
                "S1",
                "Dr One",
                [PSY],
                hours(
                    ("MO", "08:00", "12:00"),
                    ("MO", "13:00", "17:00"),
                    ("TU", "08:00", "18:00"),
                    ("WE", "08:00", "12:00"),
                ),
            ),
            # on duty: Mon on leave (0) + Tue 480 = 480 min
            person(
                "S2",
                "Nurse Two",
                [ANA, NURSE],
                hours(("MO", "08:00", "16:00"), ("TU", "09:00", "17:00")),
                leave=[{"from": "2026-12-07", "to": "2026-12-07"}],
            ),
            # on duty: Mon 600 = 600 min
            person("S3", "Nurse Three", [NURSE], hours(("MO", "08:00", "18:00"))),
        ],
        patients=[patient("P-1", "Alma Avery", 1), patient("P-2", "Bruno Brandt", 2)],
        courses=[course("C-1", "P-1"), course("C-2", "P-2")],
        sessions=[
            # Monday
            session(
                "X-1", "C-1", "CH-1", "2026-12-07T09:00", "planned", (("S1", PSY), ("S3", NURSE))
            ),
            session("X-2", "C-2", "CH-1", "2026-12-07T11:30", "done", (("S1", PSY), ("S3", NURSE))),
            session(
                "X-3", "C-1", "CH-1", "2026-12-07T10:00", "cancelled", (("S1", PSY), ("S2", NURSE))
            ),
            session(
                "X-4", "C-2", "CH-2", "2026-12-07T16:00", "confirmed", (("S1", PSY), ("S2", ANA))
            ),
            # Tuesday
            session(
                "X-5", "C-1", "CH-2", "2026-12-08T08:00", "no_show", (("S1", PSY), ("S2", NURSE))
            ),
            session(
                "X-6", "C-1", "CH-2", "2026-12-08T10:00", "planned", (("S1", PSY), ("S2", NURSE))
            ),
            session(
                "X-7", "C-2", "CH-2", "2026-12-08T11:00", "planned", (("S1", PSY), ("S2", ANA))
            ),
            # Wednesday, a closure day
            session(
                "X-8", "C-1", "CH-1", "2026-12-09T10:00", "planned", (("S1", PSY), ("S3", NURSE))
            ),
            # after the period
            session(
                "X-9", "C-2", "CH-1", "2026-12-10T10:00", "planned", (("S1", PSY), ("S3", NURSE))
            ),
        ],
    )


def attendance_clinic() -> dict[str, Any]:
    """Two ISO weeks, 2026-W50 (Mon 12-07) and 2026-W51 (Mon 12-14), and one session after."""
    s = session
    return document(
        patients=[patient("P-1", "Alma Avery", 1), patient("P-2", "Bruno Brandt", 2)],
        courses=[course("C-1", "P-1"), course("C-2", "P-2")],
        sessions=[
            s("X-1", "C-1", "CH-1", "2026-12-07T09:00", "done"),
            s("X-2", "C-1", "CH-1", "2026-12-09T09:00", "done"),
            s("X-3", "C-1", "CH-1", "2026-12-11T09:00", "no_show"),
            s("X-4", "C-2", "CH-2", "2026-12-07T09:00", "done"),
            s("X-5", "C-2", "CH-2", "2026-12-10T09:00", "cancelled"),
            s("X-6", "C-1", "CH-1", "2026-12-14T09:00", "done"),
            s("X-7", "C-1", "CH-1", "2026-12-17T09:00", "planned"),
            s("X-8", "C-2", "CH-2", "2026-12-15T09:00", "no_show"),
            s("X-9", "C-2", "CH-2", "2026-12-18T09:00", "confirmed"),
            s("X-10", "C-2", "CH-2", "2026-12-21T09:00", "done"),  # after the period
        ],
    )


def courses_clinic() -> dict[str, Any]:
    """Seven courses looked at on 2026-12-20 (period 2026-12-14 .. 2026-12-20)."""
    s = session
    return document(
        patients=[
            patient(f"P-{i}", name, i)
            for i, name in enumerate(
                [
                    "Alma Avery",
                    "Bruno Brandt",
                    "Cleo Carter",
                    "Dana Dorn",
                    "Emil Eck",
                    "Fay Fox",
                    "Gus Gray",
                ],
                start=1,
            )
        ],
        courses=[
            course("C-A", "P-1"),  # 4 done, nothing booked: stalled
            course("C-B", "P-2", consent_date=None),  # booked within the gap; consent overdue
            course(
                "C-C", "P-3", consent_date=None
            ),  # first one 9 days away: stalled; consent needed
            course("C-D", "P-4", status="completed"),  # completed, a session in the period
            course("C-E", "P-5", status="cancelled"),  # cancelled, nothing in the period: not shown
            course("C-F", "P-6", status="on_hold", consent_date=None),  # on hold, nothing booked
            course("C-G", "P-7", planned_infusions=2),  # both done: completed
        ],
        sessions=[
            s("A1", "C-A", "CH-1", "2026-12-01T09:00", "done"),
            s("A2", "C-A", "CH-1", "2026-12-04T09:00", "done"),
            s("A3", "C-A", "CH-1", "2026-12-08T09:00", "done"),
            s("A4", "C-A", "CH-1", "2026-12-11T09:00", "done"),
            s("B1", "C-B", "CH-2", "2026-12-15T09:00", "done"),
            s("B2", "C-B", "CH-2", "2026-12-17T09:00", "planned"),
            s("B3", "C-B", "CH-2", "2026-12-24T09:00", "planned"),
            s("C1", "C-C", "CH-1", "2026-12-29T09:00", "planned"),
            s("D1", "C-D", "CH-2", "2026-12-14T12:00", "done"),
            s("E1", "C-E", "CH-1", "2026-11-20T09:00", "cancelled"),
            s("G1", "C-G", "CH-1", "2026-12-14T12:00", "done"),
            s("G2", "C-G", "CH-1", "2026-12-16T12:00", "done"),
        ],
    )
