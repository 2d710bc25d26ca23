"""The call list: whom to call the day before, when they arrive, and what to go through.

Every session of the day (cancelled ones too, marked, so the list shows what
was already called off), with the patient's and the escort's numbers and the
arrival time: the infusion's start minus the preparation minutes, which is
where a session's chair time begins (``Session.start``). The preparation
instructions are the clinic's own text (``resources/templates``) with the
policy's fasting and no-substance hours filled in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from planner.domain.policy import Policy
from planner.domain.records import Clinic, Session
from planner.paperwork.template import Block, parse

#: The boxes the caller ticks on paper, per session.
TICK_BOXES = ("reached", "confirmed", "left message", "cancelled")


@dataclass(frozen=True)
class Call:
    """One session to call about."""

    session_ref: str
    #: The session's row version (the GUI marks it confirmed or cancelled with it).
    version: int
    #: When the patient arrives: preparation begins (the session's start).
    arrival: datetime
    infusion_start: datetime
    chair: str
    status: str
    patient_ref: str
    patient_name: str
    #: The patient's own phone ("" when none is on file).
    patient_phone: str
    escort_name: str
    escort_phone: str
    protocol: str
    number: int
    of: int


@dataclass(frozen=True)
class CallList:
    day: date
    clinic_name: str
    calls: tuple[Call, ...]
    instructions: tuple[Block, ...]
    #: The clinic's paper size (A4 or Letter).
    paper: str = "A4"

    @property
    def to_call(self) -> tuple[Call, ...]:
        """The calls still to make: sessions not cancelled and not marked no-show."""
        return tuple(c for c in self.calls if c.status in ("planned", "confirmed"))


def calls(
    sessions: Iterable[Session],
    versions: Mapping[str, int],
    numbers: Mapping[str, int],
) -> tuple[Call, ...]:
    """Calls in the order of arrival (then chair); ``versions``/``numbers`` by session ref."""
    out = []
    for s in sessions:
        patient = s.patient
        out.append(
            Call(
                session_ref=s.ref,
                version=versions.get(s.ref, 0),
                arrival=s.start,
                infusion_start=s.start + timedelta(minutes=s.prep_minutes),
                chair=s.chair.name,
                status=s.status,
                patient_ref=patient.ref,
                patient_name=patient.name,
                patient_phone=patient.phone,
                escort_name=patient.escort.name,
                escort_phone=patient.escort.phone,
                protocol=s.protocol.name,
                number=numbers.get(s.ref, 0),
                of=s.course.planned_infusions,
            )
        )
    return tuple(sorted(out, key=lambda c: (c.arrival, c.chair, c.session_ref)))


def instructions(template: str, policy: Policy, clinic: Clinic) -> tuple[Block, ...]:
    """The clinic's preparation text with the policy's numbers filled in.

    The same small format as the consent wording (``# title``, ``## heading``,
    ``- point``, blank line between paragraphs); an unknown ``{placeholder}``
    is left as written, so a typo shows on paper instead of breaking the list.
    """
    values = {
        "fasting_solids_hours": str(policy.fasting_solids_hours),
        "fasting_clear_liquids_hours": str(policy.fasting_clear_liquids_hours),
        "no_substances_hours": str(policy.no_substances_hours),
        "clinic_name": clinic.name,
        "clinic_phone": clinic.phone or "the clinic",
        "clinic_address": clinic.address.replace("\n", ", "),
    }
    return tuple(parse(template, values))
