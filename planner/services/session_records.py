"""The session record: open it, save it while a draft, sign and lock it, amend it after.

One transaction per action, each audited (entity ``session_record``), each
refused with the words the ledger's rules give: ketamine drawn from an expired
lot or more than a lot holds, a waste without a witness or witnessed by the
same person; and a vital sign outside the policy's alert thresholds without a
note. Signing sets the session's status to ``done``. After signing, a change is
an amendment with a reason that keeps what the record said before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.db import mapping, models
from planner.db import tables as t
from planner.db.engine import Database
from planner.db.models import InfusionSession
from planner.domain import INACTIVE_SESSION_STATUSES
from planner.domain.base import problems
from planner.domain.chart import (
    Amendment,
    Change,
    SessionRecord,
    alert_note_problem,
    entry_problems,
    movements,
    waste_statement,
)
from planner.domain.inventory import ledger_problems
from planner.domain.policy import Policy
from planner.domain.records import Session as SessionInfo
from planner.domain.records import StaffMember
from planner.paperwork.timepoints import TimePoint, vitals_time_points
from planner.services.accounts import WitnessSeal
from planner.services.base import (
    Clock,
    ConcurrentEdit,
    NotFound,
    ServiceError,
    ValidationFailed,
    record_audit,
    system_clock,
    unit_of_work,
)
from planner.services.inventory import (
    LotLine,
    check_witness,
    lot_lines,
    read_ledger,
    signed_by_me,
    signed_in_staff,
)
from planner.services.permissions import check_capability
from planner.settings import current_user

if TYPE_CHECKING:
    from planner.paperwork.completed import CompletedMonitoringData
    from planner.paperwork.data import MonitoringData


@dataclass(frozen=True)
class RecordView:
    """What the record dialog shows: the session, its record (or none yet) and the choices."""

    session: SessionInfo
    number: int
    policy: Policy
    record: SessionRecord | None
    #: The record's version for optimistic locking (None: no record yet).
    version: int | None
    time_points: tuple[TimePoint, ...]
    #: Lots usable on the session's day (received, not expired, something left).
    lots: tuple[LotLine, ...]
    staff: tuple[StaffMember, ...]
    #: The signed-in person's staff ref (None without accounts or without a link).
    me: str | None
    may_write: bool
    may_sign: bool

    @property
    def signed(self) -> bool:
        return self.record is not None and self.record.signed

    def planned_mg(self, weight_kg: float | None = None) -> float | None:
        """The protocol's dose for ``weight_kg`` (default: the patient's weight on file)."""
        weight = weight_kg if weight_kg is not None else self.session.patient.weight_kg
        if weight is None:
            return None
        return round(self.session.protocol.dose_mg_per_kg * weight, 1)

    def staff_member(self, ref: str | None) -> StaffMember | None:
        return next((s for s in self.staff if s.ref == ref), None)


def _session_row(session: Session, ref: str) -> InfusionSession:
    row = session.scalars(select(InfusionSession).where(InfusionSession.ref == ref)).first()
    if row is None:
        raise NotFound(f'no session with ref "{ref}"')
    return row


def _may(session: Session, capability: str) -> bool:
    try:
        check_capability(session, capability)
    except ServiceError:
        return False
    return True


def open_record(db: Database, ref: str) -> RecordView:
    """The session ``ref`` with its record; refuses roles that may not read records."""
    with db.begin() as session:
        check_capability(session, "view_record")
        row = _session_row(session, ref)
        ledger = read_ledger(session)
        read = mapping.read_sessions(session, t.infusion_session.c.id == row.id, staff=ledger.staff)
        info = read.sessions[row.id]
        course_sessions = mapping.read_sessions(
            session, t.infusion_session.c.course_id == row.course_id, staff=ledger.staff
        )
        number = mapping.number_sessions(course_sessions.in_order()).get(ref, 0)
        records = mapping.read_records(
            session, ledger.staff, ledger.lots, t.session_record.c.session_id == row.id
        )
        policy = mapping.read_policy(session)
        may_write = _may(session, "record")
        may_sign = _may(session, "sign")
    start = info.start + timedelta(minutes=info.prep_minutes)
    points = vitals_time_points(
        start,
        info.infusion_minutes,
        info.recovery_minutes,
        policy.vitals_every_minutes_infusion,
        policy.vitals_every_minutes_recovery,
    )
    day = info.start.date()
    lots = tuple(
        line
        for line in lot_lines(ledger)
        if line.lot.received <= day <= line.lot.expires and line.balance_ug > 0
    )
    return RecordView(
        session=info,
        number=number,
        policy=policy,
        record=records.records.get(row.id),
        version=records.versions.get(row.id),
        time_points=tuple(points),
        lots=lots,
        staff=tuple(s for s in ledger.staff.values() if s.active),
        me=None if db.actor is None else db.actor.staff,
        may_write=may_write,
        may_sign=may_sign,
    )


# -- the checks a change passes -----------------------------------------------------------------


def _entries(record: SessionRecord) -> list[tuple[Any, ...]]:
    return [
        (w.lot.ref, w.mg, w.time, w.by.ref, w.witness.ref if w.witness else None)
        for w in record.waste
    ]


def _check(
    session: Session,
    ref: str,
    record: SessionRecord,
    previous: SessionRecord | None,
    *,
    seals: Sequence[WitnessSeal],
    now: datetime,
) -> None:
    """Refuse a record that breaks a limit, a ledger rule or the alert-note rule (nothing saved)."""
    found = problems(record)
    policy = mapping.read_policy(session)
    for i, v in enumerate(record.vitals):
        problem = alert_note_problem(v, policy)
        if problem:
            found[f"vitals[{i}].note"] = problem
    found.update(entry_problems(record))
    if found:
        raise ValidationFailed(_sentence(found), found)
    ledger = read_ledger(session)
    lots = {lot.ref: lot for lot in ledger.lots.values()}
    used = [m.lot.ref for m in record.medications if m.lot] + [w.lot.ref for w in record.waste]
    for lot_ref in used:
        if lot_ref not in lots:
            raise NotFound(f"no lot with ref {lot_ref!r}")
    others = [m for m in ledger.movements if m.where != ref]
    already = ledger_problems(lots, others)
    after = ledger_problems(lots, [*others, *movements(record)])
    own = {k: v for k, v in after.items() if k.startswith(("medications[", "waste["))}
    if not own:
        # Taking this much earlier leaves too little for a later session's dose.
        stray = [v for k, v in after.items() if k not in already]
        own = {"": stray[0]} if stray else {}
    if own:
        raise ValidationFailed(_sentence(own), own)
    before = _entries(previous) if previous is not None else []
    for i, w in enumerate(record.waste):
        key = _entries(record)[i]
        if key in before:
            before.remove(key)
            continue
        signed_by_me(session, w.by, "a waste", f"waste[{i}].by")
        check_witness(
            session,
            by=w.by,
            witness=w.witness,
            what="a waste",
            statement=waste_statement(w, ref),
            seals=seals,
            now=now,
            field=f"waste[{i}].witness",
        )


def _sentence(found: dict[str, str]) -> str:
    return "the record cannot be saved: " + "; ".join(
        f"{k}: {v}" if k else v for k, v in found.items()
    )


def _stamp_entries(
    record: SessionRecord, previous: SessionRecord | None, who: str
) -> SessionRecord:
    """Rows typed in now carry who typed them; rows kept from before keep theirs."""
    kept = {
        dataclasses.replace(v, entered_by=""): v.entered_by
        for v in (previous.vitals if previous else ())
    }
    vitals = tuple(
        dataclasses.replace(v, entered_by=kept.get(dataclasses.replace(v, entered_by=""), who))
        for v in record.vitals
    )
    return dataclasses.replace(record, vitals=vitals)


def _who(session: Session) -> str:
    actor = session.info.get("actor")
    return actor.name if actor is not None else current_user()


def _load(
    session: Session, ref: str, expected_version: int | None
) -> tuple[InfusionSession, models.SessionRecord | None, SessionRecord | None]:
    row = _session_row(session, ref)
    if row.status in INACTIVE_SESSION_STATUSES:
        raise ValidationFailed(
            f"session {ref} is {row.status.replace('_', '-')}: it has no session record"
        )
    stored = session.scalars(
        select(models.SessionRecord).where(models.SessionRecord.session_id == row.id)
    ).first()
    if (stored.version if stored else None) != expected_version:
        raise ConcurrentEdit(ref=ref)
    previous = None
    if stored is not None:
        ledger = read_ledger(session)
        previous = mapping.read_records(
            session, ledger.staff, ledger.lots, t.session_record.c.id == stored.id
        ).records[row.id]
    return row, stored, previous


def _write(
    session: Session,
    row: InfusionSession,
    stored: models.SessionRecord | None,
    record: SessionRecord,
) -> models.SessionRecord:
    ledger = read_ledger(session)
    staff_ids, lot_ids = ledger.ids()
    target = stored or models.SessionRecord(session_id=row.id)
    mapping.write_record(target, record, staff=staff_ids, lots=lot_ids)
    if stored is None:
        session.add(target)
    session.flush()
    return target


def _json(record: SessionRecord | None) -> dict[str, Any] | None:
    from planner.interchange.writer import record_to_json

    return None if record is None else record_to_json(record)


# -- the actions -------------------------------------------------------------------------------------


def save_record(
    db: Database,
    ref: str,
    record: SessionRecord,
    *,
    expected_version: int | None,
    seals: Sequence[WitnessSeal] = (),
    clock: Clock = system_clock,
) -> int:
    """Save the draft record of session ``ref``; returns its new version.

    A signed record is not saved over: changes to it are amendments.
    """
    if record.signed or record.amendments:
        raise ValidationFailed("a record is signed with Sign, not saved signed")
    with unit_of_work(db) as session:
        row, stored, previous = _load(session, ref, expected_version)
        if previous is not None and previous.signed:
            raise ValidationFailed(
                f"the record of {ref} is signed: a change is an amendment with a reason"
            )
        record = _stamp_entries(record, previous, _who(session))
        _check(session, ref, record, previous, seals=seals, now=clock())
        target = _write(session, row, stored, record)
        record_audit(
            session,
            action="update" if stored else "create",
            entity="session_record",
            ref=ref,
            patient_ref=row.course.patient.ref,
            summary=f"session record of {ref} saved (draft)",
            before=_json(previous),
            after=_json(record),
        )
        session.flush()
        return target.version


def sign_record(
    db: Database,
    ref: str,
    *,
    expected_version: int,
    signer: str | None = None,
    clock: Clock = system_clock,
) -> None:
    """Sign and lock the record; the session becomes ``done``.

    With accounts the signer is the signed-in person (their staff member);
    without, ``signer`` names the staff member who signs.
    """
    with unit_of_work(db) as session:
        row, stored, previous = _load(session, ref, expected_version)
        if stored is None or previous is None:
            raise ValidationFailed(f"session {ref} has no record to sign yet: save it first")
        if previous.signed:
            raise ValidationFailed(f"the record of {ref} is already signed")
        me = _signer(session, signer, "sign")
        ledger = read_ledger(session)
        who = ledger.staff_by_ref(me)
        signed = dataclasses.replace(previous, signed_by=who, signed_at=_minute(clock))
        _write(session, row, stored, signed)
        row.status = "done"
        record_audit(
            session,
            action="sign",
            entity="session_record",
            ref=ref,
            patient_ref=row.course.patient.ref,
            summary=f"session record of {ref} signed by {who.name}; session done",
            before={"status": "unsigned"},
            after={"signed_by": who.ref, "signed_at": f"{signed.signed_at:%Y-%m-%dT%H:%M}"},
        )


def _minute(clock: Clock) -> datetime:
    """Record times are to the minute."""
    return clock().replace(second=0, microsecond=0)


def _signer(session: Session, given: str | None, what: str) -> str:
    me = signed_in_staff(session, "a session record")
    if me is not None:
        return me
    if not given:
        raise ValidationFailed(f"choose who is {what}ing", {"by": "required"})
    return given


def amend_record(
    db: Database,
    ref: str,
    record: SessionRecord,
    *,
    reason: str,
    expected_version: int,
    by: str | None = None,
    seals: Sequence[WitnessSeal] = (),
    clock: Clock = system_clock,
) -> int:
    """Change a signed record: the changes are kept with what they replaced, with the reason.

    ``record`` is the amended content (its signature and amendments are ignored).
    Returns the record's new version.
    """
    if not reason.strip():
        raise ValidationFailed("an amendment needs a reason", {"reason": "required"})
    with unit_of_work(db) as session:
        row, stored, previous = _load(session, ref, expected_version)
        if stored is None or previous is None or not previous.signed:
            raise ValidationFailed(f"the record of {ref} is not signed: save it as a draft")
        content = _stamp_entries(record.content(), previous, _who(session))
        changes = diff(_json(previous.content()), _json(content))
        if not changes:
            raise ValidationFailed("nothing was changed, so there is nothing to amend")
        me = _signer(session, by, "amend")
        ledger = read_ledger(session)
        amendment = Amendment(
            at=_minute(clock),
            by=ledger.staff_by_ref(me),
            reason=reason.strip(),
            changes=tuple(changes),
        )
        found = problems(amendment)
        if found:
            raise ValidationFailed(_sentence(found), found)
        amended = dataclasses.replace(
            content,
            signed_by=previous.signed_by,
            signed_at=previous.signed_at,
            amendments=(*previous.amendments, amendment),
        )
        _check(session, ref, amended, previous, seals=seals, now=clock())
        target = _write(session, row, stored, amended)
        record_audit(
            session,
            action="amend",
            entity="session_record",
            ref=ref,
            patient_ref=row.course.patient.ref,
            summary=f"session record of {ref} amended: {reason.strip()}"[:400],
            before={c.path: c.before for c in changes},
            after={c.path: c.after for c in changes},
        )
        session.flush()
        return target.version


def diff(before: Any, after: Any, path: str = "") -> list[Change]:
    """The values that differ between two document forms of a record, by path."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[Change] = []
        for key in dict.fromkeys([*before, *after]):
            out += diff(before.get(key), after.get(key), f"{path}.{key}" if path else key)
        return out
    if isinstance(before, list) and isinstance(after, list):
        out = []
        for i in range(max(len(before), len(after))):
            out += diff(
                before[i] if i < len(before) else None,
                after[i] if i < len(after) else None,
                f"{path}[{i}]",
            )
        return out
    if before == after and type(before) is type(after):
        return []
    return [Change(path=path, before=before, after=after)]


# -- the day's list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordSummary:
    """One session of a day with the state of its record (for the day's list)."""

    ref: str
    start: datetime
    patient: str
    record_number: str
    chair: str
    status: str
    state: str  # "none" | "draft" | "signed"


def day_records(db: Database, day: Any) -> list[RecordSummary]:
    """The day's active sessions by start, each with whether its record is begun or signed."""
    first = datetime.combine(day, datetime.min.time())
    s, r = t.infusion_session.c, t.session_record.c
    with db.begin() as session:
        read = mapping.read_sessions(
            session, (s.start >= first) & (s.start < first + timedelta(days=1))
        )
        states = dict(
            session.execute(
                select(r.session_id, r.signed_at).where(r.session_id.in_(list(read.sessions)))
            ).all()
        )
    out = []
    for sid, info in sorted(read.sessions.items(), key=lambda x: (x[1].start, x[1].chair.name)):
        if not info.active:
            continue
        state = "none" if sid not in states else ("signed" if states[sid] else "draft")
        out.append(
            RecordSummary(
                ref=info.ref,
                start=info.start,
                patient=info.patient.name,
                record_number=info.patient.record_number,
                chair=info.chair.name,
                status=info.status,
                state=state,
            )
        )
    return out


def refuse_if_recorded(session: Session, session_id: int, ref: str) -> None:
    """A session with a record is part of the chart (and maybe of the ketamine log): kept."""
    found = session.scalar(
        select(t.session_record.c.id).where(t.session_record.c.session_id == session_id)
    )
    if found is not None:
        raise ServiceError(
            f"{ref} has a session record (what happened in the chair is kept); it cannot be "
            "deleted — set its status instead"
        )


def completed_sheet(session: Session, data: MonitoringData) -> CompletedMonitoringData | None:
    """What the completed monitoring sheet of a recorded session prints (None: no record yet).

    Printing a record is reading it: a role that may not read records is refused.
    """
    found = session.scalar(
        select(t.session_record.c.id)
        .join(t.infusion_session, t.infusion_session.c.id == t.session_record.c.session_id)
        .where(t.infusion_session.c.ref == data.session.ref)
    )
    if found is None:
        return None
    from planner.paperwork.completed import CompletedMonitoringData

    check_capability(session, "view_record")
    ledger = read_ledger(session)
    record = mapping.read_records(
        session, ledger.staff, ledger.lots, t.session_record.c.id == found
    ).records
    return CompletedMonitoringData(
        clinic=data.clinic,
        session=data.session,
        record=next(iter(record.values())),
        policy=data.policy,
    )
