"""Report numbers on small clinics, each expected number counted by hand on a calendar.

The clinics are documents (``tests.reports.clinics``), loaded into a real
database on SQLite and PostgreSQL; the reports are read through the service,
as the command line and the Reports page read them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from planner.db.engine import Database
from planner.services.base import ValidationFailed
from planner.services.reports import run_report
from tests.factories import load_into
from tests.reports.clinics import attendance_clinic, courses_clinic, week_clinic

MON, TUE, WED = date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)


def report(db: Database, kind: str, start: date, end: date) -> dict[str, Any]:
    return run_report(db, kind, start, end).data


def test_utilisation_per_chair_and_day(db: Database) -> None:
    load_into(db, week_clinic())
    data = report(db, "utilisation", MON, WED)
    assert (data["from"], data["to"]) == ("2026-12-07", "2026-12-09")
    # Chair 1. Monday (open 08-12, 13-17 = 480 min): X-1 09:00-11:00 is 120 min inside;
    # X-2 11:30-13:30 is 30 + 30 inside and 60 over lunch; X-3 is cancelled.
    # Tuesday: nothing. Wednesday is a closure day: X-8's 120 min are all outside.
    chair1 = data["chairs"][0]
    assert chair1["chair"] == "CH-1"
    assert [
        (d["date"], d["open_minutes"], d["booked_minutes"], d["outside_minutes"], d["sessions"])
        for d in chair1["days"]
    ] == [
        ("2026-12-07", 480, 180, 60, 2),
        ("2026-12-08", 600, 0, 0, 0),
        ("2026-12-09", 0, 0, 120, 1),
    ]
    assert chair1["days"][2]["rate"] is None  # nothing open: no rate, not 0
    assert (chair1["open_minutes"], chair1["booked_minutes"], chair1["outside_minutes"]) == (
        1080,
        180,
        180,
    )
    assert chair1["rate"] == 0.1667  # 180 / 1080
    # Chair 2. Monday: X-4 16:00-18:00 is 60 inside, 60 after closing. Tuesday: X-5 no-show
    # frees the chair; X-6 10-12 and X-7 11-13 overlap: the chair is held 10-13 = 180 min.
    chair2 = data["chairs"][1]
    assert [(d["booked_minutes"], d["outside_minutes"], d["sessions"]) for d in chair2["days"]] == [
        (60, 60, 1),
        (180, 0, 2),
        (0, 0, 0),
    ]
    assert chair2["rate"] == 0.2222  # 240 / 1080
    # The retired Chair 3 holds nothing in the period and is left out.
    assert [c["chair"] for c in data["chairs"]] == ["CH-1", "CH-2"]
    assert [
        (d["date"], d["open_minutes"], d["booked_minutes"], d["rate"]) for d in data["days"]
    ] == [
        ("2026-12-07", 960, 240, 0.25),
        ("2026-12-08", 1200, 180, 0.15),
        ("2026-12-09", 0, 0, None),
    ]
    assert data["total"] == {
        "open_minutes": 2160,
        "booked_minutes": 420,
        "outside_minutes": 240,
        "sessions": 6,
        "rate": 0.1944,  # 420 / 2160
    }


def test_staff_hours_per_person_and_role(db: Database) -> None:
    load_into(db, week_clinic())
    data = report(db, "staff-hours", MON, WED)
    people = {p["staff"]: p for p in data["staff"]}
    assert [p["name"] for p in data["staff"]] == ["Dr One", "Nurse Three", "Nurse Two"]
    # Dr One: on duty 480 (Mon) + 600 (Tue) + 0 (Wed is a closure day).
    # Booked: Mon 09-11, 11:30-13:30, 16-18 (360) + Tue 10-13 (X-6 and X-7 overlap: 180)
    # + Wed 10-12 (120) = 660 in 6 sessions; the cancelled and no-show ones do not count.
    assert people["S1"] | {"by_role": None} == {
        "staff": "S1",
        "name": "Dr One",
        "roles": ["psychiatrist"],
        "on_duty_minutes": 1080,
        "booked_minutes": 660,
        "sessions": 6,
        "rate": 0.6111,
        "by_role": None,
    }
    # Nurse Two: on leave on Monday, so on duty only Tue 09-17 = 480. Booked Mon 16-18 as
    # anesthesiologist (leave does not erase a booking), Tue 10-12 as nurse and 11-13 as
    # anesthesiologist: 120 + 180 = 300.
    two = people["S2"]
    assert (two["on_duty_minutes"], two["booked_minutes"], two["sessions"], two["rate"]) == (
        480,
        300,
        3,
        0.625,
    )
    assert two["by_role"] == [
        {"role": "anesthesiologist", "booked_minutes": 240, "sessions": 2},
        {"role": "infusion_nurse", "booked_minutes": 120, "sessions": 1},
    ]
    # Nurse Three: Monday 08-18 = 600 on duty; Mon 09-11 and 11:30-13:30 + Wed 10-12 = 360.
    three = people["S3"]
    assert (three["on_duty_minutes"], three["booked_minutes"], three["rate"]) == (600, 360, 0.6)
    assert data["roles"] == [
        {
            "role": "psychiatrist",
            "people": 1,
            "on_duty_minutes": 1080,
            "booked_minutes": 660,
            "sessions": 6,
            "rate": 0.6111,
        },
        {
            "role": "anesthesiologist",
            "people": 1,
            "on_duty_minutes": 480,
            "booked_minutes": 240,
            "sessions": 2,
            "rate": 0.5,
        },
        # Nurse Two and Nurse Three: 480 + 600 on duty, 120 + 360 booked as nurses.
        {
            "role": "infusion_nurse",
            "people": 2,
            "on_duty_minutes": 1080,
            "booked_minutes": 480,
            "sessions": 4,
            "rate": 0.4444,
        },
    ]
    assert data["total"] == {"on_duty_minutes": 2160, "booked_minutes": 1320, "rate": 0.6111}


def test_attendance_per_week_and_patient(db: Database) -> None:
    load_into(db, attendance_clinic())
    data = report(db, "attendance", date(2026, 12, 7), date(2026, 12, 20))
    weeks = {w["week"]: w for w in data["weeks"]}
    assert list(weeks) == ["2026-W50", "2026-W51"]
    # W50: done; no-show X-3; cancelled X-5.
    # no-show rate 1 / (3 + 1); cancellation rate 1 / (3 + 1 + 1).
    assert weeks["2026-W50"] == {
        "week": "2026-W50",
        "monday": "2026-12-07",
        "sessions": 5,
        "done": 3,
        "cancelled": 1,
        "no_show": 1,
        "open": 0,
        "no_show_rate": 0.25,
        "cancellation_rate": 0.2,
    }
    # W51: done X-6; no-show X-8; X-7 planned and X-9 confirmed are open (not in the rates).
    w51 = weeks["2026-W51"]
    assert (w51["done"], w51["no_show"], w51["open"]) == (1, 1, 2)
    assert (w51["no_show_rate"], w51["cancellation_rate"]) == (0.5, 0.0)
    # X-10 on 2026-12-21 is after the period.
    assert data["total"]["sessions"] == 9
    assert data["total"]["no_show_rate"] == 0.3333  # 2 / (4 + 2)
    assert data["total"]["cancellation_rate"] == 0.1429  # 1 / (4 + 2 + 1)
    patients = {p["patient"]: p for p in data["patients"]}
    assert (patients["P-1"]["done"], patients["P-1"]["no_show"], patients["P-1"]["open"]) == (
        3,
        1,
        1,
    )
    assert patients["P-1"]["no_show_rate"] == 0.25
    assert patients["P-2"]["name"] == "Bruno Brandt"
    assert (patients["P-2"]["no_show_rate"], patients["P-2"]["cancellation_rate"]) == (0.5, 0.3333)


def test_a_week_without_outcomes_has_no_rates(db: Database) -> None:
    load_into(db, attendance_clinic())
    data = report(db, "attendance", date(2026, 12, 21), date(2026, 12, 27))
    (week,) = data["weeks"]
    assert week["done"] == 1 and week["no_show_rate"] == 0.0
    empty = report(db, "attendance", date(2027, 1, 4), date(2027, 1, 10))
    assert empty["weeks"][0]["sessions"] == 0
    assert empty["weeks"][0]["no_show_rate"] is None


def test_courses_active_completed_stalled_and_consent(db: Database) -> None:
    load_into(db, courses_clinic())
    data = report(db, "courses", date(2026, 12, 14), date(2026, 12, 20))
    assert data["as_of"] == "2026-12-20"
    by_ref = {c["course"]: c for c in data["courses"]}
    # C-E is cancelled and had nothing in the period: not shown.
    assert [c["course"] for c in data["courses"]] == ["C-B", "C-A", "C-C", "C-D", "C-G", "C-F"]
    # C-A: 4 of 6 done, the last on 12-11, nothing booked: stalled.
    assert {
        k: by_ref["C-A"][k] for k in ("state", "done", "booked", "last", "next", "consent")
    } == {
        "state": "stalled",
        "done": 4,
        "booked": 0,
        "last": "2026-12-11",
        "next": None,
        "consent": "on_file",
    }
    # C-B: last infusion 12-17 (booked, not yet recorded), next 12-24: 7 days, within the gap;
    # no consent on file although the first infusion (12-15) has been given: overdue.
    b = by_ref["C-B"]
    assert (b["state"], b["last"], b["next"], b["gap_days"], b["consent"]) == (
        "active",
        "2026-12-17",
        "2026-12-24",
        7,
        "overdue",
    )
    # C-C: nothing given yet; its first infusion is 9 days after 12-20: stalled, consent needed.
    c = by_ref["C-C"]
    assert (c["state"], c["last"], c["next"], c["consent"]) == (
        "stalled",
        None,
        "2026-12-29",
        "needed",
    )
    assert by_ref["C-D"]["state"] == "completed"  # marked completed
    assert (by_ref["C-G"]["state"], by_ref["C-G"]["done"]) == ("completed", 2)  # 2 of 2 done
    assert (by_ref["C-F"]["state"], by_ref["C-F"]["consent"]) == ("on_hold", "needed")
    assert data["total"] == {
        "active": 1,
        "stalled": 2,
        "completed": 2,
        "on_hold": 1,
        "cancelled": 0,
        "consent_overdue": 1,
    }


def test_a_period_that_ends_before_it_starts_is_refused(db: Database) -> None:
    with pytest.raises(ValidationFailed, match="ends"):
        run_report(db, "utilisation", WED, MON)
    with pytest.raises(ValidationFailed, match="unknown report"):
        run_report(db, "revenue", MON, WED)


def test_an_empty_clinic_gives_empty_reports(db: Database) -> None:
    for kind in ("utilisation", "staff-hours", "attendance", "courses"):
        result = run_report(db, kind, MON, WED)
        assert result.view.summary
    assert report(db, "utilisation", MON, WED)["total"]["rate"] is None
