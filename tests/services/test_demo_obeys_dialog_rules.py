"""The demo clinic obeys the rules the dialogs enforce: nothing in it could not have been typed.

It once held consent dates after "today" — a date the consent dialog refuses — so a
manager looking around saw courses "signed" next week.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from planner.domain.policy import Policy
from planner.interchange.validate import parse_document
from planner.services.clinic import settings_problems
from planner.services.demo import build_demo_document
from planner.services.patients import patient_problems
from planner.services.protocols import protocol_problems
from planner.services.staff import staff_problems


@pytest.mark.parametrize(
    "today", [date(2026, 11, 30), date(2026, 12, 2), date(2026, 12, 5), date(2027, 1, 1)]
)
def test_every_record_of_the_demo_passes_its_dialogs_checks(today: date) -> None:
    doc = build_demo_document(seed=1, weeks=4, today=today)
    parsed = parse_document(json.dumps(doc), today=today)
    for p in parsed.patients:
        assert patient_problems(p, today=today) == {}, p.ref
    records = [p.record_number for p in parsed.patients]
    assert len(records) == len(set(records))
    for s in parsed.staff:
        assert staff_problems(s) == {}, s.ref
    for c in parsed.courses:
        if c.consent_date is not None:  # the consent dialog refuses a date after today
            assert c.consent_date <= today, (c.ref, c.consent_date)
    for pr in parsed.protocols:
        assert protocol_problems(pr) == {}, pr.ref
    assert settings_problems(parsed.clinic, Policy.from_overrides(parsed.policy)) == {}
