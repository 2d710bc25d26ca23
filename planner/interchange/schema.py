"""The ``infusion-planner/1`` document: the domain records of a whole clinic, in one object.

Each section is a tuple of domain records, validated with the records' own
limits. Sections are read in order; each one's records are put into the
validation context by ref, so a later section's refs (a course's ``patient``)
resolve to the records themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

from planner.domain.base import Record
from planner.domain.chart import SessionRecord
from planner.domain.fields import OMIT_DEFAULT, Wire
from planner.domain.inventory import DrugLot, InventoryCount
from planner.domain.markers import After, Before
from planner.domain.records import (
    Chair,
    Clinic,
    ConsentTemplate,
    Course,
    Patient,
    Protocol,
    Session,
    StaffMember,
)

if TYPE_CHECKING:
    from pydantic import ValidationInfo

#: Stands in the context for a record whose section has problems (its refs still exist).
PENDING = object()


def _announce(kind: str) -> Any:
    """Note the refs a section declares before its records are validated."""

    def announce(value: Any, info: ValidationInfo) -> Any:
        if isinstance(info.context, dict) and isinstance(value, list):
            table = info.context.setdefault(kind, {})
            for item in value:
                if isinstance(item, dict) and isinstance(item.get("ref"), str):
                    table.setdefault(item["ref"], PENDING)
        return value

    return Before(announce)


def _register(kind: str) -> Any:
    """Put a validated section's records into the context by ref, for later sections."""

    def register(value: tuple[Any, ...], info: ValidationInfo) -> tuple[Any, ...]:
        if isinstance(info.context, dict):
            table = info.context.setdefault(kind, {})
            for record in value:
                if table.get(record.ref) is PENDING:
                    table[record.ref] = record
        return value

    return After(register)


ConsentTemplates = Annotated[
    tuple[ConsentTemplate, ...],
    _announce("consent_templates"),
    _register("consent_templates"),
    OMIT_DEFAULT,
]
Protocols = Annotated[tuple[Protocol, ...], _announce("protocols"), _register("protocols")]
Chairs = Annotated[tuple[Chair, ...], _announce("chairs"), _register("chairs")]
Staff = Annotated[tuple[StaffMember, ...], _announce("staff"), _register("staff")]
Patients = Annotated[tuple[Patient, ...], _announce("patients"), _register("patients")]
Courses = Annotated[tuple[Course, ...], _announce("courses"), _register("courses")]
Lots = Annotated[tuple[DrugLot, ...], _announce("lots"), _register("lots")]


@dataclass(frozen=True, slots=True, kw_only=True)
class Inventory(Record):
    """The controlled-substance log: lots received and physical counts."""

    lots: Lots = ()
    counts: tuple[InventoryCount, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedSession(Session):
    """A session as a document holds it: with its record once what happened was recorded."""

    record: Annotated[SessionRecord | None, OMIT_DEFAULT] = None


#: Checked against ``Policy`` by ``planner.interchange.validate`` (each key named by its path).
PolicyOverrides = Annotated[dict[str, Any], Wire(lambda d: dict(sorted(d.items())))]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClinicDocument(Record):
    """A whole clinic. Sections come in the order their refs are needed."""

    format: Literal["infusion-planner/1"] = "infusion-planner/1"
    clinic: Clinic = field(default_factory=Clinic)
    #: Only the overrides of the policy defaults, as the clinic wrote them.
    policy: PolicyOverrides = field(default_factory=dict)
    consent_templates: ConsentTemplates = ()
    protocols: Protocols = ()
    chairs: Chairs = ()
    staff: Staff = ()
    patients: Patients = ()
    courses: Courses = ()
    #: Lots refer to staff; session records refer to lots.
    inventory: Annotated[Inventory, OMIT_DEFAULT] = field(default_factory=Inventory)
    sessions: tuple[RecordedSession, ...] = ()
