"""The session record: what happened in the chair, who did it, and its signature.

Check-in, vitals, medications given, waste of the remainder, adverse events and
discharge. Once signed, the record is locked: a change is an amendment with a
reason that keeps what the record said before (``Change.before``), so the
signed original can always be read back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal, get_args

from planner.domain.base import Record
from planner.domain.fields import (
    NOT_IN_DOCUMENT,
    Bool,
    Milligrams,
    MinuteDateTime,
    Name,
    Notes,
    ShortText,
    WeightKg,
)
from planner.domain.inventory import LotRef, Movement, drug_problem, to_ug, witness_problem
from planner.domain.markers import OneOf, Range, Strict
from planner.domain.policy import Policy
from planner.domain.records import StaffRef

Pregnancy = Literal["negative", "positive", "not_applicable"]
PREGNANCY_RESULTS: Final[tuple[str, ...]] = get_args(Pregnancy)
PREGNANCY_LABELS: Final = {"negative": "Negative", "positive": "Positive", "not_applicable": "N/A"}

Route = Literal["IV", "IM", "SC", "PO", "SL", "IN"]
ROUTES: Final[tuple[str, ...]] = get_args(Route)

Systolic = Annotated[int, Strict(), Range(30, 300)]
Diastolic = Annotated[int, Strict(), Range(10, 200)]
HeartRate = Annotated[int, Strict(), Range(10, 300)]
Saturation = Annotated[int, Strict(), Range(30, 100)]
BreathsPerMinute = Annotated[int, Strict(), Range(0, 80)]
Moaas = Annotated[int, Strict(), Range(0, 5)]
AldreteScore = Annotated[int, Strict(), Range(0, 10)]

#: The drug the log follows; its administrations are drawn from a lot.
KETAMINE: Final = "ketamine"


@dataclass(frozen=True, slots=True, kw_only=True)
class Checks(Record):
    """Check-in: what the nurse confirms before the line goes in."""

    escort_present: Bool = False
    escort_name: ShortText = ""
    fasting_confirmed: Bool = False
    no_substances: Bool = False
    consent_verified: Bool = False
    weight_kg: WeightKg | None = None
    pregnancy: Annotated[str, OneOf(PREGNANCY_RESULTS)] | None = None
    allergies_confirmed: Bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Vitals(Record):
    """One row of the vitals grid (a pre-printed time point or an extra row)."""

    time: MinuteDateTime
    systolic: Systolic | None = None
    diastolic: Diastolic | None = None
    heart_rate: HeartRate | None = None
    spo2: Saturation | None = None
    respiratory_rate: BreathsPerMinute | None = None
    moaas: Moaas | None = None
    #: Required when a value is outside the policy's alert thresholds.
    note: ShortText = ""
    #: Who typed the row in (the account; kept in the database, not in a document).
    entered_by: Annotated[ShortText, NOT_IN_DOCUMENT] = ""

    def check(self) -> None:
        if (
            self.systolic is not None
            and self.diastolic is not None
            and self.diastolic >= self.systolic
        ):
            raise ValueError("the diastolic pressure must be below the systolic")


@dataclass(frozen=True, slots=True, kw_only=True)
class Medication(Record):
    """A drug given: ketamine drawn from a lot, or an as-needed drug (no lot)."""

    drug: Name
    lot: LotRef | None = None
    mg: Milligrams
    route: Annotated[str, OneOf(ROUTES)] = "IV"
    start: MinuteDateTime
    end: MinuteDateTime | None = None
    by: StaffRef

    def check(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"{self.drug}: the stop time must not be before the start")


@dataclass(frozen=True, slots=True, kw_only=True)
class Waste(Record):
    """The remainder of a drawn dose, wasted by one person in front of a witness."""

    lot: LotRef
    mg: Milligrams
    time: MinuteDateTime
    by: StaffRef
    #: Required, and a different person (checked with the other log rules).
    witness: StaffRef | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AdverseEvent(Record):
    time: MinuteDateTime
    description: Name
    serious: Bool = False
    action: Notes = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Discharge(Record):
    """Discharge home after ketamine: the criteria, when and by whom."""

    dissociation_resolved: Bool = False
    oriented: Bool = False
    steady_gait: Bool = False
    tolerating_fluids: Bool = False
    nausea_controlled: Bool = False
    vitals_within_limits: Bool = False
    escort_present: Bool = False
    instructions_given: Bool = False
    aldrete: AldreteScore | None = None
    at: MinuteDateTime | None = None
    by: StaffRef | None = None

    def criteria(self) -> tuple[tuple[str, bool], ...]:
        return tuple((name, getattr(self, name)) for name in DISCHARGE_CRITERIA)


DISCHARGE_CRITERIA: Final = (
    "dissociation_resolved",
    "oriented",
    "steady_gait",
    "tolerating_fluids",
    "nausea_controlled",
    "vitals_within_limits",
    "escort_present",
    "instructions_given",
)
DISCHARGE_LABELS: Final = {
    "dissociation_resolved": "Dissociation resolved",
    "oriented": "Oriented",
    "steady_gait": "Steady gait",
    "tolerating_fluids": "Tolerating fluids",
    "nausea_controlled": "Nausea controlled",
    "vitals_within_limits": "Vitals within limits",
    "escort_present": "Escort present",
    "instructions_given": "Written discharge instructions given",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Change(Record):
    """One value an amendment changed: where in the record, what it was, what it became."""

    path: ShortText
    before: Any = None
    after: Any = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Amendment(Record):
    at: MinuteDateTime
    by: StaffRef
    reason: Name
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionRecord(Record):
    """What happened in the chair during one session (in a document: the session's ``record``)."""

    checked_in_at: MinuteDateTime | None = None
    checks: Checks = Checks()
    vitals: tuple[Vitals, ...] = ()
    medications: tuple[Medication, ...] = ()
    waste: tuple[Waste, ...] = ()
    adverse_events: tuple[AdverseEvent, ...] = ()
    discharge: Discharge = Discharge()
    signed_by: StaffRef | None = None
    signed_at: MinuteDateTime | None = None
    amendments: tuple[Amendment, ...] = ()

    def check(self) -> None:
        if (self.signed_by is None) != (self.signed_at is None):
            raise ValueError("a signature needs both signed_by and signed_at")
        if self.amendments and self.signed_at is None:
            raise ValueError("only a signed record has amendments")

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    def content(self) -> SessionRecord:
        """The record without its signature and amendments (what an amendment may change)."""
        import dataclasses

        return dataclasses.replace(self, signed_by=None, signed_at=None, amendments=())


#: The fields of a record an amendment may not touch.
SIGNATURE_FIELDS: Final = ("signed_by", "signed_at", "amendments")


def alerts(v: Vitals, policy: Policy) -> dict[str, str]:
    """Field -> how the value breaks the policy's alert thresholds (empty when within them)."""
    out: dict[str, str] = {}
    if v.systolic is not None and v.systolic > policy.alert_systolic_above:
        out["systolic"] = f"systolic {v.systolic} > {policy.alert_systolic_above} mmHg"
    if v.diastolic is not None and v.diastolic > policy.alert_diastolic_above:
        out["diastolic"] = f"diastolic {v.diastolic} > {policy.alert_diastolic_above} mmHg"
    if v.heart_rate is not None and v.heart_rate > policy.alert_hr_above:
        out["heart_rate"] = f"heart rate {v.heart_rate} > {policy.alert_hr_above} /min"
    if v.heart_rate is not None and v.heart_rate < policy.alert_hr_below:
        out["heart_rate"] = f"heart rate {v.heart_rate} < {policy.alert_hr_below} /min"
    if v.spo2 is not None and v.spo2 < policy.alert_spo2_below:
        out["spo2"] = f"SpO₂ {v.spo2} < {policy.alert_spo2_below}%"
    rr = v.respiratory_rate
    if rr is not None and rr > policy.alert_rr_above:
        out["respiratory_rate"] = f"respiratory rate {rr} > {policy.alert_rr_above} /min"
    if rr is not None and rr < policy.alert_rr_below:
        out["respiratory_rate"] = f"respiratory rate {rr} < {policy.alert_rr_below} /min"
    return out


def alert_note_problem(v: Vitals, policy: Policy) -> str | None:
    """A value outside the alert thresholds needs a note saying what was done."""
    found = alerts(v, policy)
    if found and not v.note.strip():
        return f"{'; '.join(found.values())}: add a note (who was told, what was done)"
    return None


def waste_statement(waste: Waste, session_ref: str) -> str:
    """What a witness confirms with their PIN for a waste."""
    return (
        f"waste of {waste.mg:g} mg from lot {waste.lot.ref} ({waste.lot.lot_number}) at "
        f"{waste.time:%Y-%m-%d %H:%M} by {waste.by.name}, session {session_ref}"
    )


def movements(record: SessionRecord, where: str = "", session_ref: str = "") -> list[Movement]:
    """What the record took from lots: each given dose drawn from a lot and each waste.

    ``where`` prefixes each movement's name (``sessions[3].record.``), so a problem
    found with the ledger's rules names the entry.
    """
    out = [
        Movement(m.lot.ref, m.start, "given", to_ug(m.mg), f"{where}medications[{i}]", m.by.name)
        for i, m in enumerate(record.medications)
        if m.lot is not None
    ]
    out += [
        Movement(
            w.lot.ref,
            w.time,
            "wasted",
            to_ug(w.mg),
            f"{where}waste[{i}]",
            w.by.name,
            w.witness.name if w.witness else "",
        )
        for i, w in enumerate(record.waste)
    ]
    return out


def entry_problems(record: SessionRecord, where: str = "") -> dict[str, str]:
    """Path -> what is wrong with the record's own controlled-substance entries: ketamine not
    drawn from a lot, a lot of another drug, a waste without a witness or witnessed by the
    person who wasted it."""
    out: dict[str, str] = {}
    for i, m in enumerate(record.medications):
        if m.lot is None and m.drug.strip().casefold() == KETAMINE:
            out[f"{where}medications[{i}].lot"] = (
                "ketamine is drawn from a named lot (the log accounts for every milligram)"
            )
        elif m.lot is not None:
            problem = drug_problem(m.lot, m.drug)
            if problem:
                out[f"{where}medications[{i}].lot"] = problem
    for i, w in enumerate(record.waste):
        problem = witness_problem(w.by, w.witness, "a waste")
        if problem:
            out[f"{where}waste[{i}].witness"] = problem
    return out
