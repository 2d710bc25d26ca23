"""What the sheets say about a patient's allergies, weight and pregnancy check (pure text).

One wording for every document: "not recorded" is never printed like "none known".
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from planner.domain.records import Patient
from planner.domain.vocabulary import NO_PREGNANCY_CHECK

ALLERGIES_NOT_RECORDED = "ALLERGIES NOT RECORDED — ask"
NO_KNOWN_ALLERGIES = "No known drug allergies"


class Fact(NamedTuple):
    text: str
    #: Printed in the alert colour: something to act on.
    alert: bool


def allergies(patient: Patient) -> Fact:
    if patient.allergies is None:
        return Fact(ALLERGIES_NOT_RECORDED, True)
    if not patient.allergies:
        return Fact(NO_KNOWN_ALLERGIES, False)
    return Fact("ALLERGIES: " + "; ".join(patient.allergies), True)


def weight_is_current(patient: Patient, day: date, max_age_days: int) -> bool:
    """A weight on file, weighed at most ``max_age_days`` before ``day``."""
    age = patient.weight_age_days(day)
    return age is not None and 0 <= age <= max_age_days


def weight_on_file(patient: Patient, day: date) -> str:
    """``70 kg, weighed 2026-11-20 (11 days ago)``, or why there is none to trust."""
    if patient.weight_kg is None:
        return "no weight on file"
    kg = f"{patient.weight_kg:g} kg"
    age = patient.weight_age_days(day)
    if patient.weight_measured is None or age is None:
        return f"{kg}, date weighed not recorded"
    when = f"weighed {patient.weight_measured.isoformat()}"
    return f"{kg}, {when} ({age} day{'' if age == 1 else 's'} ago)"


def pregnancy_rule(patient: Patient) -> Fact:
    """What the record says about the pregnancy check."""
    if patient.sex in NO_PREGNANCY_CHECK:
        return Fact(f"sex on record: {patient.sex} — N/A", False)
    if patient.sex == "unknown":
        return Fact("SEX NOT RECORDED — ask; test where relevant", True)
    return Fact(f"sex on record: {patient.sex} — test before the infusion", False)
