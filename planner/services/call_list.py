"""The call list of a day: read in one read-only transaction, printed as a PDF.

Marking a session confirmed or cancelled from the list is the session
service's ``set_status``: the list itself never writes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import and_

from planner.db import mapping
from planner.db import tables as t
from planner.db.engine import Database
from planner.reports.call_list import CallList, calls, instructions
from planner.resources_path import ResourceMissing, resource
from planner.services.base import ServiceError, system_clock
from planner.services.read_only import read_only
from planner.services.reports import paper_size, policy_of

#: The clinic's preparation text (``resources/templates``), printed on every call list.
INSTRUCTIONS_TEMPLATE = ("templates", "call_list_instructions.md")


def instructions_text() -> str:
    try:
        return resource(*INSTRUCTIONS_TEMPLATE).read_text(encoding="utf-8")
    except ResourceMissing as exc:
        raise ServiceError(str(exc)) from None


def call_list(db: Database, day: date) -> CallList:
    """Every session of ``day`` (any status), by arrival time, with the instructions."""
    template = instructions_text()
    s = t.infusion_session.c
    first = datetime.combine(day, time())
    with read_only(db) as conn:
        policy = policy_of(conn)
        clinic = mapping.read_clinic(conn)
        read = mapping.read_sessions(
            conn, and_(s.start >= first, s.start < first + timedelta(days=1))
        )
        numbers: dict[str, int] = {}
        if read.courses:
            history = mapping.read_sessions(conn, s.course_id.in_(list(read.courses)))
            numbers = mapping.number_sessions(history.sessions.values())
    versions = {read.sessions[i].ref: v for i, v in read.versions.items()}
    return CallList(
        day=day,
        clinic_name=clinic.name,
        calls=calls(read.sessions.values(), versions, numbers),
        instructions=instructions(template, policy, clinic),
        paper=policy.paper_size,
    )


def render_call_list(
    db: Database, day: date, *, paper: str | None = None, now: datetime | None = None
) -> bytes:
    return print_call_list(call_list(db, day), paper=paper, now=now)


def print_call_list(
    calls_of_day: CallList, *, paper: str | None = None, now: datetime | None = None
) -> bytes:
    """The call list PDF of a list already read (the GUI prints what it shows)."""
    from planner.paperwork.call_list_pdf import build_call_list

    size = paper_size(paper, calls_of_day.paper)
    return build_call_list(calls_of_day, paper=size, now=now or system_clock())
