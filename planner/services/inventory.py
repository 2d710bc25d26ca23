"""The ketamine log: lots received, physical counts, balances, the dispensing log.

Nothing here deletes: a controlled-substance record is kept (for at least the
two years the rules ask; the app never removes one). Receipts and counts are
witnessed: in a database with accounts the witness confirms the entry with
their PIN (``planner.services.accounts.witness``) and the person signed in is
who received or counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from planner.db import mapping, models
from planner.db.engine import Database
from planner.domain.base import problems
from planner.domain.inventory import (
    DrugLot,
    InventoryCount,
    Movement,
    balance,
    balance_at_end_of,
    count_problem,
    count_statement,
    in_order,
    latest_count,
    receipt_statement,
    to_mg,
    to_ug,
    witness_problem,
)
from planner.domain.records import StaffMember
from planner.services.accounts import WitnessSeal
from planner.services.base import (
    Clock,
    NotFound,
    ValidationFailed,
    next_ref,
    record_audit,
    retry_on_ref_clash,
    system_clock,
    unit_of_work,
)
from planner.services.permissions import has_accounts, require

LOT_PREFIX = ("LOT", 4)


@dataclass
class Ledger:
    """Everything the log's rules need, read in one transaction."""

    staff: dict[int, StaffMember]
    lots: dict[int, DrugLot]
    counts: list[InventoryCount]
    movements: list[Movement]

    def lot(self, ref: str) -> DrugLot:
        found = next((lot for lot in self.lots.values() if lot.ref == ref), None)
        if found is None:
            raise NotFound(f"no lot with ref {ref!r}")
        return found

    def staff_by_ref(self, ref: str) -> StaffMember:
        found = next((s for s in self.staff.values() if s.ref == ref), None)
        if found is None:
            raise NotFound(f"no staff member with ref {ref!r}")
        return found

    def ids(self) -> tuple[dict[str, int], dict[str, int]]:
        """(staff row id by ref, lot row id by ref)."""
        return (
            {s.ref: i for i, s in self.staff.items()},
            {lot.ref: i for i, lot in self.lots.items()},
        )


def read_ledger(session: Session) -> Ledger:
    staff = mapping.read_staff(session)
    lots = mapping.read_lots(session, staff)
    return Ledger(
        staff=staff,
        lots=lots,
        counts=mapping.read_counts(session, lots, staff),
        movements=mapping.read_movements(session, lots),
    )


def signed_by_me(session: Session, who: StaffMember, what: str, field: str) -> None:
    """With accounts, the person signed in is who receives, counts or wastes."""
    me = signed_in_staff(session, what)
    if me is not None and who.ref != me:
        message = f"{what} is recorded by the person signed in"
        raise ValidationFailed(message, {field: message})


def signed_in_staff(session: Session, what: str) -> str | None:
    """The staff ref of the signed-in account (None without accounts); refuses without a link."""
    actor = session.info.get("actor")
    if actor is None and not has_accounts(session):
        return None
    if actor is None or actor.staff is None:
        raise ValidationFailed(
            f"{what} is signed for by a staff member: link your account to one first"
        )
    return str(actor.staff)


def check_witness(
    session: Session,
    *,
    by: StaffMember | None,
    witness: StaffMember | None,
    what: str,
    statement: str,
    seals: Sequence[WitnessSeal],
    now: datetime,
    field: str = "witness",
) -> None:
    """A witness, not the same person, who (with accounts) confirmed ``statement`` with a PIN."""
    problem = witness_problem(by, witness, what)
    if problem:
        raise ValidationFailed(problem, {field: problem})
    assert witness is not None
    if session.info.get("actor") is None and not has_accounts(session):
        return
    if not any(seal.staff_ref == witness.ref and seal.valid_for(statement, now) for seal in seals):
        message = f"{what} must be confirmed by {witness.name} with their PIN"
        raise ValidationFailed(message, {field: message})


def _problems_or_raise(record: Any, what: str, skip: Sequence[str] = ()) -> None:
    found = problems(record, skip=skip)
    if found:
        text = "; ".join(f"{k.replace('_', ' ')}: {v}" if k else v for k, v in found.items())
        raise ValidationFailed(f"{what} cannot be saved: {text}", found)


# -- changes -----------------------------------------------------------------------------------


def receive_lot(
    db: Database,
    lot: DrugLot,
    *,
    seals: Sequence[WitnessSeal] = (),
    clock: Clock = system_clock,
) -> str:
    """Record a delivery; returns the new lot's ref (``LOT-0001``…)."""
    _problems_or_raise(lot, "the lot", skip=("ref",))

    def attempt() -> str:
        with unit_of_work(db) as session:
            signed_by_me(session, lot.received_by, "a delivery", "received_by")
            check_witness(
                session,
                by=lot.received_by,
                witness=lot.witness,
                what="a delivery",
                statement=receipt_statement(lot),
                seals=seals,
                now=clock(),
            )
            ref = next_ref(session, models.DrugLot, *LOT_PREFIX)
            ledger = read_ledger(session)
            staff_ids, _lots = ledger.ids()
            for who in (lot.received_by, lot.witness):
                assert who is not None
                ledger.staff_by_ref(who.ref)
            saved = replace(lot, ref=ref)
            row = models.DrugLot(ref=ref)
            mapping.write_lot(row, saved, staff_ids)
            session.add(row)
            record_audit(
                session,
                action="receive",
                entity="lot",
                ref=ref,
                summary=f"received {saved.vials} × {saved.ml_per_vial:g} mL {saved.drug} "
                f"lot {saved.lot_number} ({to_mg(saved.received_ug)} mg)",
                after=_lot_json(saved),
            )
            return ref

    return retry_on_ref_clash(attempt)


def record_count(
    db: Database,
    count: InventoryCount,
    *,
    seals: Sequence[WitnessSeal] = (),
    clock: Clock = system_clock,
) -> int:
    """Record a physical count; returns its discrepancy in µg (counted − balance that day)."""
    _problems_or_raise(count, "the count")
    with unit_of_work(db) as session:
        signed_by_me(session, count.by, "a count", "by")
        check_witness(
            session,
            by=count.by,
            witness=count.witness,
            what="a count",
            statement=count_statement(count),
            seals=seals,
            now=clock(),
        )
        ledger = read_ledger(session)
        lot = ledger.lot(count.lot.ref)
        if count.day < lot.received:
            raise ValidationFailed(
                f"lot {lot.ref} was received on {lot.received:%Y-%m-%d}, after the count",
                {"day": "before the lot was received"},
            )
        expected = balance_at_end_of(lot, ledger.movements, count.day)
        problem = count_problem(replace(count, lot=lot), expected)
        if problem:
            raise ValidationFailed(problem, {"note": problem})
        staff_ids, lot_ids = ledger.ids()
        row = models.InventoryCount()
        mapping.write_count(row, replace(count, lot=lot), staff=staff_ids, lots=lot_ids)
        session.add(row)
        discrepancy = to_ug(count.mg) - expected
        record_audit(
            session,
            action="count",
            entity="inventory_count",
            ref=lot.ref,
            summary=f"counted {count.mg:g} mg of lot {lot.ref} on {count.day:%Y-%m-%d}"
            + (f" (discrepancy {to_mg(discrepancy):g} mg)" if discrepancy else ""),
            after={
                "date": count.day.isoformat(),
                "lot": lot.ref,
                "mg": count.mg,
                "expected_mg": to_mg(expected),
                "note": count.note,
            },
        )
        return discrepancy


def _lot_json(lot: DrugLot) -> dict[str, Any]:
    from planner.interchange.writer import record_to_json

    return record_to_json(lot)


# -- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LotLine:
    """One lot in the report: its totals over a period, and its latest count."""

    lot: DrugLot
    opening_ug: int
    received_ug: int
    given_ug: int
    wasted_ug: int
    balance_ug: int
    counted: InventoryCount | None
    discrepancy_ug: int | None

    def as_json(self) -> dict[str, Any]:
        """The report's JSON object (documented in the README)."""
        return {
            "lot": self.lot.ref,
            "drug": self.lot.drug,
            "lot_number": self.lot.lot_number,
            "expires": self.lot.expires.isoformat(),
            "opening_mg": to_mg(self.opening_ug),
            "received_mg": to_mg(self.received_ug),
            "given_mg": to_mg(self.given_ug),
            "wasted_mg": to_mg(self.wasted_ug),
            "balance_mg": to_mg(self.balance_ug),
            "counted_mg": None if self.counted is None else to_mg(to_ug(self.counted.mg)),
            "counted_on": None if self.counted is None else self.counted.day.isoformat(),
            "discrepancy_mg": None if self.discrepancy_ug is None else to_mg(self.discrepancy_ug),
        }


def lot_lines(
    ledger: Ledger, *, since: date | None = None, until: date | None = None
) -> list[LotLine]:
    """Every lot received by ``until``, its totals in [since, until], and its latest count."""
    out: list[LotLine] = []
    for lot in ledger.lots.values():
        if until is not None and lot.received > until:
            continue
        totals = balance(lot, ledger.movements, since=since, until=until)
        counted = latest_count(ledger.counts, lot.ref, until)
        discrepancy = (
            None
            if counted is None
            else to_ug(counted.mg) - balance_at_end_of(lot, ledger.movements, counted.day)
        )
        out.append(
            LotLine(
                lot=lot,
                opening_ug=totals.opening_ug,
                received_ug=totals.received_ug,
                given_ug=totals.given_ug,
                wasted_ug=totals.wasted_ug,
                balance_ug=totals.balance_ug,
                counted=counted,
                discrepancy_ug=discrepancy,
            )
        )
    return out


def inventory_report(
    db: Database, *, since: date | None = None, until: date | None = None
) -> list[LotLine]:
    """Per lot: received, given, wasted, balance, latest count and its discrepancy."""
    require(db, "view_record")
    with db.begin() as session:
        return lot_lines(read_ledger(session), since=since, until=until)


def list_lots(db: Database, *, on: date | None = None) -> list[LotLine]:
    """Every lot with its balance now; with ``on``: only lots usable that day (received, not
    expired, something left)."""
    with db.begin() as session:
        lines = lot_lines(read_ledger(session))
    if on is None:
        return lines
    return [
        line
        for line in lines
        if line.lot.received <= on <= line.lot.expires and line.balance_ug > 0
    ]


@dataclass(frozen=True)
class DispensingEntry:
    """One line of the dispensing log: an administration or a waste, with the lot's balance after it."""

    movement: Movement
    lot: DrugLot
    balance_ug: int


def dispensing_log(
    db: Database, since: date, until: date
) -> tuple[list[DispensingEntry], list[LotLine]]:
    """Every administration and waste from a lot between the two days (included), in time order,
    with each lot's running balance; and the lots' totals over the period."""
    require(db, "view_record")
    with db.begin() as session:
        ledger = read_ledger(session)
    lots = {lot.ref: lot for lot in ledger.lots.values()}
    running = {ref: lot.received_ug for ref, lot in lots.items()}
    start = datetime.combine(since, time.min)
    end = datetime.combine(until, time.max)
    entries: list[DispensingEntry] = []
    for m in in_order(ledger.movements):
        running[m.lot] -= m.ug
        if start <= m.at <= end:
            entries.append(DispensingEntry(m, lots[m.lot], running[m.lot]))
    return entries, lot_lines(ledger, since=since, until=until)


@dataclass(frozen=True)
class CountSheet:
    """What a physical inventory on ``day`` should find, lot by lot."""

    day: date
    lines: tuple[LotLine, ...]


def count_sheet(db: Database, day: date) -> CountSheet:
    """Every lot received by ``day`` that should still hold something (or was counted)."""
    require(db, "view_record")
    with db.begin() as session:
        lines = lot_lines(read_ledger(session), until=day)
    return CountSheet(day, tuple(x for x in lines if x.balance_ug or x.counted is not None))


def expected_on(db: Database, lot_ref: str, day: date) -> int:
    """What lot ``lot_ref`` should hold at the end of ``day`` (µg), for the count dialog."""
    with db.begin() as session:
        ledger = read_ledger(session)
    return balance_at_end_of(ledger.lot(lot_ref), ledger.movements, day)
