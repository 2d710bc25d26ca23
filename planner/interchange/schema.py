"""Pydantic schema of the ``infusion-planner/1`` document.

Parsing is strict (JSON types only, no unknown keys) so that a typo in a
clinic's file is reported, not silently ignored. Cross-references (refs that
must exist, duplicates) are checked by ``planner.interchange.validate``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
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
Ref = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^\S(.*\S)?$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Minutes = Annotated[int, Field(ge=0, le=24 * 60)]


class _Doc(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=True)


def _to_the_minute(value: time | datetime) -> None:
    """Schedules are planned to the minute; seconds would be lost on ``dump``."""
    if value.second or value.microsecond:
        raise ValueError("times are to the minute: leave out the seconds (e.g. 09:00)")


class OpeningHoursDoc(_Doc):
    weekday: Weekday
    open: time
    close: time

    @field_validator("open", "close")
    @classmethod
    def _minutes(cls, value: time) -> time:
        _to_the_minute(value)
        return value

    @model_validator(mode="after")
    def _ordered(self) -> OpeningHoursDoc:
        if self.close <= self.open:
            raise ValueError("close must be after open")
        return self


def _default_opening_hours() -> list[OpeningHoursDoc]:
    return [
        OpeningHoursDoc(weekday=day, open=time(8), close=time(18))
        for day in ("MO", "TU", "WE", "TH", "FR")
    ]


class ClinicDoc(_Doc):
    name: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=400)
    phone: str = Field(default="", max_length=80)
    logo: str | None = Field(default=None, max_length=1000)
    opening_hours: list[OpeningHoursDoc] = Field(default_factory=_default_opening_hours)
    closures: list[date] = Field(default_factory=list)


class ProtocolDoc(_Doc):
    ref: Ref
    name: Name
    infusions: int = Field(default=6, ge=1, le=200)
    prep_minutes: Minutes = 20
    infusion_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 40
    recovery_minutes: Minutes = 60
    min_hours_between: float = Field(default=48.0, ge=0, le=24 * 365)
    max_per_7_days: int = Field(default=3, ge=1, le=50)
    max_gap_days: int = Field(default=7, ge=1, le=3650)
    dose_mg_per_kg: float = Field(default=0.5, gt=0, le=20)


class ChairDoc(_Doc):
    ref: Ref
    name: Name
    room: str = Field(default="", max_length=200)
    active: bool = True


class HoursDoc(_Doc):
    weekday: Weekday
    start: time
    end: time

    @field_validator("start", "end")
    @classmethod
    def _minutes(cls, value: time) -> time:
        _to_the_minute(value)
        return value

    @model_validator(mode="after")
    def _ordered(self) -> HoursDoc:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class LeaveDoc(_Doc):
    from_: date = Field(alias="from")
    to: date

    @model_validator(mode="after")
    def _ordered(self) -> LeaveDoc:
        if self.to < self.from_:
            raise ValueError("'to' must not be before 'from'")
        return self


class StaffDoc(_Doc):
    ref: Ref
    name: Name
    roles: list[Role]
    credential_expires: date | None = None
    hours: list[HoursDoc] = Field(default_factory=list)
    leave: list[LeaveDoc] = Field(default_factory=list)
    active: bool = True

    @field_validator("roles")
    @classmethod
    def _unique_roles(cls, roles: list[str]) -> list[str]:
        if len(set(roles)) != len(roles):
            raise ValueError("a role is listed twice")
        return roles


class EscortDoc(_Doc):
    name: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=80)


class PatientDoc(_Doc):
    ref: Ref
    name: Name
    date_of_birth: date
    record_number: Annotated[str, Field(min_length=1, max_length=80)]
    weight_kg: float | None = Field(default=None, gt=0, le=500)
    flags: list[Flag] = Field(default_factory=list)
    flags_acknowledged_by: str = Field(default="", max_length=200)
    escort: EscortDoc = Field(default_factory=EscortDoc)
    notes: str = ""
    archived: bool = False

    @field_validator("flags")
    @classmethod
    def _unique_flags(cls, flags: list[str]) -> list[str]:
        if len(set(flags)) != len(flags):
            raise ValueError("a flag is listed twice")
        return flags


class CourseDoc(_Doc):
    ref: Ref
    patient: Ref
    protocol: Ref
    planned_infusions: int | None = Field(default=None, ge=1, le=200)
    consent_date: date | None = None
    status: CourseStatus = "active"
    pattern: str = Field(default="", max_length=400)


class AssignmentDoc(_Doc):
    staff: Ref
    role: Role


class SessionDoc(_Doc):
    ref: Ref
    course: Ref
    chair: Ref
    start: datetime
    status: SessionStatus = "planned"
    prep_minutes: Minutes | None = None
    infusion_minutes: Annotated[int, Field(ge=1, le=24 * 60)] | None = None
    recovery_minutes: Minutes | None = None
    assignments: list[AssignmentDoc] = Field(default_factory=list)

    @field_validator("start")
    @classmethod
    def _local_time(cls, start: datetime) -> datetime:
        if start.tzinfo is not None:
            raise ValueError("times are local to the clinic: leave out the time zone")
        _to_the_minute(start)
        return start


class ClinicDocument(_Doc):
    format: Literal["infusion-planner/1"]
    clinic: ClinicDoc = Field(default_factory=ClinicDoc)
    policy: dict[str, Any] = Field(default_factory=dict)
    protocols: list[ProtocolDoc] = Field(default_factory=list)
    chairs: list[ChairDoc] = Field(default_factory=list)
    staff: list[StaffDoc] = Field(default_factory=list)
    patients: list[PatientDoc] = Field(default_factory=list)
    courses: list[CourseDoc] = Field(default_factory=list)
    sessions: list[SessionDoc] = Field(default_factory=list)
