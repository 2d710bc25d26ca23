"""The demo clinic obeys the rules the dialogs enforce: nothing in it could not have been typed.

It once held consent dates after "today" — a date the consent dialog refuses — so a
manager looking around saw courses "signed" next week.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from planner.domain import WEEKDAYS
from planner.domain.policy import Policy
from planner.services.clinic_settings import (
    OpeningRange,
    ProtocolInput,
    validate_opening_hours,
    validate_policy,
    validate_protocol,
)
from planner.services.demo import build_demo_document
from planner.services.patients import PatientInput, validate_patient
from planner.services.staff import HoursRange, LeavePeriod, StaffInput, validate_staff

DAY = {code: i for i, code in enumerate(WEEKDAYS)}


def _patient(p: dict[str, Any]) -> PatientInput:
    escort = p.get("escort") or {}
    return PatientInput(
        name=p["name"],
        date_of_birth=date.fromisoformat(p["date_of_birth"]),
        record_number=p["record_number"],
        weight_kg=p.get("weight_kg"),
        flags=tuple(p.get("flags", ())),
        flags_acknowledged_by=p.get("flags_acknowledged_by", ""),
        escort_name=escort.get("name", ""),
        escort_phone=escort.get("phone", ""),
        notes=p.get("notes", ""),
    )


def _staff(s: dict[str, Any]) -> StaffInput:
    return StaffInput(
        name=s["name"],
        roles=tuple(s["roles"]),
        credential_expires=date.fromisoformat(s["credential_expires"]) if s.get("credential_expires") else None,
        hours=tuple(
            HoursRange(DAY[h["weekday"]], time.fromisoformat(h["start"]), time.fromisoformat(h["end"]))
            for h in s["hours"]
        ),
        leave=tuple(
            LeavePeriod(date.fromisoformat(lv["from"]), date.fromisoformat(lv["to"]))
            for lv in s.get("leave", [])
        ),
    )


@pytest.mark.parametrize(
    "today", [date(2026, 11, 30), date(2026, 12, 2), date(2026, 12, 5), date(2027, 1, 1)]
)
def test_every_record_of_the_demo_passes_its_dialogs_checks(today: date) -> None:
    doc = build_demo_document(seed=1, weeks=4, today=today)
    for p in doc["patients"]:
        assert validate_patient(_patient(p), today=today) == {}, p["ref"]
    records = [p["record_number"] for p in doc["patients"]]
    assert len(records) == len(set(records))
    for s in doc["staff"]:
        assert validate_staff(_staff(s)) == {}, s["ref"]
    for c in doc["courses"]:
        if c.get("consent_date"):  # the consent dialog refuses a date after today
            assert date.fromisoformat(c["consent_date"]) <= today, (c["ref"], c["consent_date"])
    for pr in doc["protocols"]:
        fields = {k: v for k, v in pr.items() if k not in ("ref",)}
        assert validate_protocol(ProtocolInput(**fields)) == {}, pr["ref"]
    hours = [
        OpeningRange(DAY[h["weekday"]], time.fromisoformat(h["open"]), time.fromisoformat(h["close"]))
        for h in doc["clinic"]["opening_hours"]
    ]
    assert validate_opening_hours(hours) == {}
    assert validate_policy(Policy.from_overrides(doc.get("policy"))) == {}
