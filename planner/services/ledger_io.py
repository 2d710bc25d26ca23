"""The controlled-substance log and session records in a whole-clinic load and dump.

``clinic_io`` calls these: lots, counts and records are written after the
staff and sessions they refer to, read back into the document's ``inventory``
and each session's ``record``. Replacing a database's content never drops a
controlled-substance record it holds (they are kept for at least two years):
the document must carry each of them. Accounts stay with the database; their
links to staff members follow the staff refs across a replace.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.db import mapping, models
from planner.db import tables as t
from planner.domain.records import StaffMember
from planner.interchange.schema import ClinicDocument, Inventory, RecordedSession
from planner.services.base import ServiceError

#: Rows of the log and the records, children first (the order to delete in on a replace).
LEDGER_MODELS = (
    models.VitalSign,
    models.MedicationGiven,
    models.DrugWaste,
    models.AdverseEventRow,
    models.RecordAmendment,
    models.SessionRecord,
    models.InventoryCount,
    models.DrugLot,
)


class RecordsWouldBeLost(ServiceError):
    """A replace would drop controlled-substance records this database keeps."""


def _ids(session: Session, table: Any) -> dict[str, int]:
    return {ref: i for i, ref in session.execute(select(table.c.id, table.c.ref))}


def write_ledger(session: Session, doc: ClinicDocument) -> dict[str, int]:
    """Insert the document's lots, counts and session records (after its staff and sessions)."""
    if not doc.inventory.lots and not any(s.record for s in doc.sessions):
        return {}
    session.flush()
    staff = _ids(session, t.staff_member)
    for lot in doc.inventory.lots:
        row = models.DrugLot(ref=lot.ref)
        mapping.write_lot(row, lot, staff)
        session.add(row)
    session.flush()
    lots = _ids(session, t.drug_lot)
    for count in doc.inventory.counts:
        row_count = models.InventoryCount()
        mapping.write_count(row_count, count, staff=staff, lots=lots)
        session.add(row_count)
    sessions = _ids(session, t.infusion_session)
    recorded = 0
    for s in doc.sessions:
        if s.record is not None:
            target = models.SessionRecord(session_id=sessions[s.ref])
            mapping.write_record(target, s.record, staff=staff, lots=lots)
            session.add(target)
            recorded += 1
    out = {"lots": len(doc.inventory.lots), "counts": len(doc.inventory.counts)}
    if recorded:
        out["session records"] = recorded
    return out


def read_ledger(
    session: Session,
    staff: dict[int, StaffMember],
    sessions: mapping.SessionRead,
) -> tuple[Inventory, tuple[RecordedSession, ...]]:
    """The document's ``inventory`` and its sessions, each with its record (if any)."""
    lots = mapping.read_lots(session, staff)
    records = mapping.read_records(session, staff, lots).records
    inventory = Inventory(
        lots=tuple(lots.values()), counts=tuple(mapping.read_counts(session, lots, staff))
    )
    recorded = tuple(
        RecordedSession(
            **{f.name: getattr(s, f.name) for f in dataclasses.fields(s) if f.init},
            record=records.get(sid),
        )
        for sid, s in sessions.sessions.items()
    )
    return inventory, recorded


def keep_on_replace(session: Session, doc: ClinicDocument) -> dict[int, str]:
    """Before a replace: refuse if the document drops a kept record; unlink accounts from staff.

    Returns account id -> staff ref, for ``relink_accounts`` once the new staff exist.
    """
    lots = set(session.scalars(select(t.drug_lot.c.ref)))
    recorded = set(
        session.scalars(
            select(t.infusion_session.c.ref).join(
                t.session_record, t.session_record.c.session_id == t.infusion_session.c.id
            )
        )
    )
    counts = int(session.scalar(select(func.count()).select_from(t.inventory_count)) or 0)
    missing = sorted(lots - {lot.ref for lot in doc.inventory.lots})
    missing_records = sorted(recorded - {s.ref for s in doc.sessions if s.record is not None})
    if missing or missing_records or counts > len(doc.inventory.counts):
        named = [
            *(f"lot {r}" for r in missing[:5]),
            *(f"the record of {r}" for r in missing_records[:5]),
        ]
        if counts > len(doc.inventory.counts):
            dropped = counts - len(doc.inventory.counts)
            named.append(f"{dropped} count" + ("" if dropped == 1 else "s"))
        raise RecordsWouldBeLost(
            "the document would drop controlled-substance records this database keeps ("
            + ", ".join(named)
            + "); they are kept for at least two years, so nothing was replaced: load a "
            "document that carries them (a dump of this database does)"
        )
    links = {
        account_id: ref
        for account_id, ref in session.execute(
            select(t.account.c.id, t.staff_member.c.ref).join(
                t.staff_member, t.staff_member.c.id == t.account.c.staff_id
            )
        )
    }
    if links:
        session.execute(t.account.update().values(staff_id=None))
    return links


def relink_accounts(session: Session, links: dict[int, str]) -> None:
    """Link accounts again to the staff members with the same refs (if the document has them)."""
    if not links:
        return
    session.flush()
    staff = _ids(session, t.staff_member)
    for account_id, ref in links.items():
        if ref in staff:
            session.execute(
                t.account.update().where(t.account.c.id == account_id).values(staff_id=staff[ref])
            )
