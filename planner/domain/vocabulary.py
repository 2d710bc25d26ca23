"""Vocabulary shared by every layer: roles, statuses, flags, weekdays.

These are the stable words of the interchange format and the CLI. Each set is
defined once as a ``Literal`` type (what the records and the document accept)
and the tuples are derived from it.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Role = Literal["psychiatrist", "anesthesiologist", "infusion_nurse"]
SessionStatus = Literal["planned", "confirmed", "done", "cancelled", "no_show"]
CourseStatus = Literal["active", "on_hold", "completed", "cancelled"]
Flag = Literal[
    "pregnancy",
    "breastfeeding",
    "uncontrolled_hypertension",
    "hyperthyroidism",
    "psychosis_history",
    "vascular_aneurysm_avm_bleed",
    "maoi_or_high_dose_benzodiazepine",
    "ketamine_hypersensitivity",
]
WeekdayCode = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
#: A patient's sex as it matters for pregnancy screening ("unknown": not recorded yet).
Sex = Literal["female", "male", "other", "unknown"]
#: What a protocol treats: it chooses the consent wording (alternatives, dosing).
Indication = Literal["depression", "pain", "other"]
PaperSize = Literal["A4", "Letter"]

PSYCHIATRIST: Final = "psychiatrist"
ANESTHESIOLOGIST: Final = "anesthesiologist"
INFUSION_NURSE: Final = "infusion_nurse"

ROLES: Final[tuple[str, ...]] = get_args(Role)
#: Either of these fills the "monitoring clinician" requirement of a session.
MONITORING_ROLES: Final = (ANESTHESIOLOGIST, INFUSION_NURSE)

ROLE_LABELS: Final = {
    PSYCHIATRIST: "Psychiatrist",
    ANESTHESIOLOGIST: "Anesthesiologist",
    INFUSION_NURSE: "Infusion nurse",
}

SESSION_STATUSES: Final[tuple[str, ...]] = get_args(SessionStatus)
#: Sessions in these states take part in no conflict.
INACTIVE_SESSION_STATUSES: Final = frozenset({"cancelled", "no_show"})

COURSE_STATUSES: Final[tuple[str, ...]] = get_args(CourseStatus)

PATIENT_FLAGS: Final[tuple[str, ...]] = get_args(Flag)

FLAG_LABELS: Final = {
    "pregnancy": "Pregnancy",
    "breastfeeding": "Breastfeeding",
    "uncontrolled_hypertension": "Uncontrolled hypertension",
    "hyperthyroidism": "Hyperthyroidism",
    "psychosis_history": "History of psychosis",
    "vascular_aneurysm_avm_bleed": "Aneurysmal vascular disease / AVM / intracranial bleeding",
    "maoi_or_high_dose_benzodiazepine": "MAOIs or high-dose benzodiazepines",
    "ketamine_hypersensitivity": "Prior hypersensitivity to ketamine",
}

SEXES: Final[tuple[str, ...]] = get_args(Sex)
SEX_LABELS: Final = {"female": "Female", "male": "Male", "other": "Other", "unknown": "Not recorded"}
#: Sexes for which a pregnancy check is not applicable.
NO_PREGNANCY_CHECK: Final = frozenset({"male"})

INDICATIONS: Final[tuple[str, ...]] = get_args(Indication)
INDICATION_LABELS: Final = {"depression": "Depression", "pain": "Chronic pain", "other": "Other"}

#: Weekday codes as in RFC 5545 (and dateutil); index = ``date.weekday()``.
WEEKDAYS: Final[tuple[str, ...]] = get_args(WeekdayCode)
WEEKDAY_NAMES: Final = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


def weekday_index(code: str) -> int:
    """Map "MO".."SU" to 0..6; raises ValueError with the allowed codes."""
    try:
        return WEEKDAYS.index(code.upper())
    except ValueError:
        raise ValueError(f"unknown weekday {code!r} (use one of {', '.join(WEEKDAYS)})") from None
