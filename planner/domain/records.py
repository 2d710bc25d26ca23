"""The clinic's entities, each defined once: fields, limits, defaults and document keys.

The field order is the order of the keys in a clinic document. A reference
to another entity (a course's patient) holds that entity's record; in a
document it is written as the other entity's ``ref`` and read back through
the validation context (``{"patients": {ref: Patient}}``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from planner.domain.base import Record
from planner.domain.fields import (
    OMIT_DEFAULT,
    Address,
    Allergies,
    BirthDate,
    Bool,
    CalendarDate,
    ClockTime,
    ConsentWording,
    CourseStatusName,
    DosePerKg,
    Flags,
    GapDays,
    HoursBetween,
    IndicationName,
    InfusionMinutes,
    Infusions,
    Logo,
    MeasuredDate,
    MinuteDateTime,
    Minutes,
    Name,
    Notes,
    Pattern,
    PerWeek,
    Phone,
    RecordNumber,
    Ref,
    RoleName,
    Roles,
    SessionStatusName,
    SexName,
    ShortText,
    Weekday,
    WeightKg,
    Wire,
)
from planner.domain.markers import After, Before, Key
from planner.domain.vocabulary import (
    INACTIVE_SESSION_STATUSES,
    MONITORING_ROLES,
    PSYCHIATRIST,
    WEEKDAY_NAMES,
)

T = TypeVar("T")

if TYPE_CHECKING:
    from pydantic import ValidationInfo

#: Section of the validation context holding each kind of record by ref.
KIND_NAMES = {
    "consent_templates": "consent template",
    "protocols": "protocol",
    "chairs": "chair",
    "staff": "staff member",
    "patients": "patient",
    "courses": "course",
    "lots": "lot",
}


class Unresolved(ValueError):
    """A ref to a record that exists in the document but has problems of its own."""


def _resolve(kind: str, cls: type) -> Callable[[Any, ValidationInfo], Any]:
    def resolve(value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, cls):
            return value
        if not isinstance(value, str):
            raise ValueError(f"expected the ref of a {KIND_NAMES[kind]} (text)")
        table: Mapping[str, Any] = (info.context or {}).get(kind, {})
        found = table.get(value)
        if found is None:
            raise ValueError(f'no {KIND_NAMES[kind]} with ref "{value}"')
        if not isinstance(found, cls):
            raise Unresolved(f'{KIND_NAMES[kind]} "{value}" has problems of its own')
        return found

    return resolve


def _ref_of(record: Any) -> str:
    return str(record.ref)


def _apart(start: str, end: str, clash: str) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """A check that the ranges of one weekday (``start``..``end``) do not overlap."""

    def check(ranges: tuple[Any, ...]) -> tuple[Any, ...]:
        by_day: dict[int, list[Any]] = {}
        for r in ranges:
            by_day.setdefault(r.weekday, []).append(r)
        for day, items in sorted(by_day.items()):
            items.sort(key=lambda r: getattr(r, start))
            for a, b in zip(items, items[1:], strict=False):
                if getattr(b, start) < getattr(a, end):
                    raise ValueError(
                        clash.format(
                            day=WEEKDAY_NAMES[day],
                            a=f"{getattr(a, start):%H:%M}–{getattr(a, end):%H:%M}",
                            b=f"{getattr(b, start):%H:%M}–{getattr(b, end):%H:%M}",
                        )
                    )
        return ranges

    return check


# -- the clinic ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningHours(Record):
    """One range of a weekday's opening hours (a day may have several)."""

    weekday: Weekday
    open: ClockTime
    close: ClockTime

    def check(self) -> None:
        if self.close <= self.open:
            raise ValueError(
                f"{WEEKDAY_NAMES[self.weekday]}: closing ({self.close:%H:%M}) must be after "
                f"opening ({self.open:%H:%M})"
            )


def default_opening_hours() -> tuple[OpeningHours, ...]:
    """Monday to Friday, 08:00–18:00."""
    return tuple(OpeningHours(weekday=d, open=time(8), close=time(18)) for d in range(5))


@dataclass(frozen=True, slots=True, kw_only=True)
class Clinic(Record):
    """The clinic's letterhead, opening hours and closure days."""

    name: ShortText = ""
    address: Address = ""
    phone: Phone = ""
    #: A PNG or JPEG for the consent form's letterhead, kept in the database.
    logo: Annotated[Logo | None, OMIT_DEFAULT] = None
    opening_hours: Annotated[
        tuple[OpeningHours, ...], After(_apart("open", "close", "{day}: two opening ranges overlap"))
    ] = field(default_factory=default_opening_hours)
    closures: tuple[CalendarDate, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsentTemplate(Record):
    """A clinic's own consent wording, kept in the database (never read from a path)."""

    ref: Ref
    name: Name
    text: ConsentWording


ConsentTemplateRef = Annotated[
    ConsentTemplate,
    Before(_resolve("consent_templates", ConsentTemplate)),
    Wire(_ref_of),
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Protocol(Record):
    """A treatment protocol: chair time, spacing rules and dose basis of its courses."""

    ref: Ref
    name: Name
    infusions: Infusions = 6
    prep_minutes: Minutes = 20
    infusion_minutes: InfusionMinutes = 40
    recovery_minutes: Minutes = 60
    min_hours_between: HoursBetween = 48.0
    max_per_7_days: PerWeek = 3
    max_gap_days: GapDays = 7
    dose_mg_per_kg: DosePerKg = 0.5
    #: What it treats; chooses the built-in consent wording (a pain protocol never prints
    #: depression alternatives).
    indication: Annotated[IndicationName, OMIT_DEFAULT] = "depression"
    #: The clinic's own consent wording for this protocol (None: the built-in wording).
    consent_template: Annotated[ConsentTemplateRef | None, OMIT_DEFAULT] = None

    @property
    def chair_minutes(self) -> int:
        return self.prep_minutes + self.infusion_minutes + self.recovery_minutes


@dataclass(frozen=True, slots=True, kw_only=True)
class Chair(Record):
    ref: Ref
    name: Name
    room: ShortText = ""
    active: Annotated[Bool, OMIT_DEFAULT] = True


# -- staff ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class WeeklyHours(Record):
    """One range of a staff member's weekly availability (several a day allowed)."""

    weekday: Weekday
    start: ClockTime
    end: ClockTime

    def check(self) -> None:
        if self.end <= self.start:
            raise ValueError(
                f"end must be after start ({WEEKDAY_NAMES[self.weekday]} "
                f"{self.start:%H:%M}–{self.end:%H:%M})"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class Leave(Record):
    """Leave, both days included (``from``/``to`` in a document)."""

    start: Annotated[CalendarDate, Key("from")]
    end: Annotated[CalendarDate, Key("to")]

    def check(self) -> None:
        if self.end < self.start:
            raise ValueError("'to' must not be before 'from'")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffMember(Record):
    ref: Ref
    name: Name
    roles: Roles
    credential_expires: CalendarDate | None = None
    hours: Annotated[
        tuple[WeeklyHours, ...], After(_apart("start", "end", "{day}: {a} overlaps {b}"))
    ] = ()
    leave: tuple[Leave, ...] = ()
    active: Annotated[Bool, OMIT_DEFAULT] = True

    def credential_valid(self, day: date) -> bool:
        """A credential is valid through its expiry date; none on record is not valid."""
        return self.credential_expires is not None and day <= self.credential_expires

    def on_leave(self, day: date) -> bool:
        return any(lv.covers(day) for lv in self.leave)


# -- patients and courses --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Escort(Record):
    """The responsible adult who takes the patient home (no escort, no infusion)."""

    name: ShortText = ""
    phone: Phone = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Patient(Record):
    """A patient; ``allergies`` None means not recorded (ask), () no known drug allergies."""

    ref: Ref
    name: Name
    date_of_birth: BirthDate
    record_number: RecordNumber
    #: For pregnancy screening: female, male, other or unknown (not recorded).
    sex: Annotated[SexName, OMIT_DEFAULT] = "unknown"
    phone: Annotated[Phone, OMIT_DEFAULT] = ""
    weight_kg: WeightKg | None = None
    #: The day the weight was taken (None: not known).
    weight_measured: Annotated[MeasuredDate | None, OMIT_DEFAULT] = None
    allergies: Annotated[Allergies | None, OMIT_DEFAULT] = None
    flags: Flags = ()
    flags_acknowledged_by: Annotated[ShortText, OMIT_DEFAULT] = ""
    escort: Escort = Escort()
    notes: Notes = ""
    archived: Annotated[Bool, OMIT_DEFAULT] = False

    def check(self) -> None:
        if self.weight_measured is not None and self.weight_kg is None:
            raise ValueError("weight measured: a date needs the weight that was measured")

    def weight_age_days(self, day: date) -> int | None:
        """Days between the weighing and ``day`` (None: no weight or no date on record)."""
        if self.weight_kg is None or self.weight_measured is None:
            return None
        return (day - self.weight_measured).days


PatientRef = Annotated[Patient, Before(_resolve("patients", Patient)), Wire(_ref_of)]
ProtocolRef = Annotated[Protocol, Before(_resolve("protocols", Protocol)), Wire(_ref_of)]
ChairRef = Annotated[Chair, Before(_resolve("chairs", Chair)), Wire(_ref_of)]
StaffRef = Annotated[StaffMember, Before(_resolve("staff", StaffMember)), Wire(_ref_of)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Course(Record):
    """A patient's series of infusions under one protocol (one consent covers it)."""

    ref: Ref
    patient: PatientRef
    protocol: ProtocolRef
    #: A document may leave it out (or null): the protocol's number of infusions.
    planned_infusions: Infusions
    consent_date: CalendarDate | None = None
    status: CourseStatusName = "active"
    #: The recurrence the dates came from (RRULE text or preset name), if any.
    pattern: Annotated[Pattern, OMIT_DEFAULT] = ""

    @classmethod
    def prepare(cls, data: dict[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
        if data.get("planned_infusions") is None:
            protocol = context.get("protocols", {}).get(data.get("protocol"))
            if isinstance(protocol, Protocol):
                data["planned_infusions"] = protocol.infusions
            elif "planned_infusions" in data:
                del data["planned_infusions"]
        return data


CourseRef = Annotated[Course, Before(_resolve("courses", Course)), Wire(_ref_of)]


# -- sessions ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment(Record):
    """A staff member filling a role in a session."""

    staff: StaffRef
    role: RoleName


@dataclass(frozen=True, slots=True, kw_only=True)
class Session(Record):
    """One infusion in a chair; durations are the protocol's unless the session overrides them.

    ``end`` (end of chair time = preparation + infusion + recovery) is worked
    out once when the record is made: the rules read it for every comparison.
    """

    ref: Ref
    course: CourseRef
    chair: ChairRef
    start: MinuteDateTime
    status: SessionStatusName = "planned"
    prep_minutes_override: Annotated[Minutes | None, Key("prep_minutes"), OMIT_DEFAULT] = None
    infusion_minutes_override: Annotated[
        InfusionMinutes | None, Key("infusion_minutes"), OMIT_DEFAULT
    ] = None
    recovery_minutes_override: Annotated[
        Minutes | None, Key("recovery_minutes"), OMIT_DEFAULT
    ] = None
    assignments: tuple[Assignment, ...] = ()
    end: datetime = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "end", self.start + timedelta(minutes=self.chair_minutes))

    @property
    def prep_minutes(self) -> int:
        p = self.prep_minutes_override
        return self.course.protocol.prep_minutes if p is None else p

    @property
    def infusion_minutes(self) -> int:
        p = self.infusion_minutes_override
        return self.course.protocol.infusion_minutes if p is None else p

    @property
    def recovery_minutes(self) -> int:
        p = self.recovery_minutes_override
        return self.course.protocol.recovery_minutes if p is None else p

    @property
    def chair_minutes(self) -> int:
        return self.prep_minutes + self.infusion_minutes + self.recovery_minutes

    @property
    def patient(self) -> Patient:
        return self.course.patient

    @property
    def protocol(self) -> Protocol:
        return self.course.protocol

    @property
    def active(self) -> bool:
        """Cancelled and no-show sessions take part in no conflict."""
        return self.status not in INACTIVE_SESSION_STATUSES

    @property
    def psychiatrist(self) -> Assignment | None:
        """The psychiatrist's assignment, if any."""
        return next((a for a in self.assignments if a.role == PSYCHIATRIST), None)

    @property
    def monitoring(self) -> Assignment | None:
        """The monitoring clinician's assignment (anesthesiologist or infusion nurse)."""
        return next((a for a in self.assignments if a.role in MONITORING_ROLES), None)


def infusion_numbers(sessions: Iterable[tuple[str, str, datetime, bool]]) -> dict[str, int]:
    """Session ref -> n of "infusion n of N": its place among its course's active sessions.

    ``sessions``: (ref, course ref, start, active) of every session of the courses
    concerned, in the order they were stored (equal starts keep that order).
    Cancelled and no-show sessions (not active) get 0: they used up no infusion.
    """
    counter: dict[str, int] = {}
    out: dict[str, int] = {}
    for ref, course, _start, active in sorted(sessions, key=lambda x: x[2]):
        if not active:
            out[ref] = 0
            continue
        counter[course] = counter.get(course, 0) + 1
        out[ref] = counter[course]
    return out
