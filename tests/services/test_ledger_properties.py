"""Any sequence of receipts, administrations, wastes and counts, through the services on a real
database: each lot's balance stays received − given − wasted and never below zero, what is
refused is exactly what breaks a rule (an independent model predicts it), and a refused
operation changes nothing."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.db import mapping
from planner.db.engine import Database
from planner.domain.chart import Medication, SessionRecord, Waste
from planner.domain.inventory import InventoryCount
from planner.interchange.writer import record_to_json
from planner.services import inventory, session_records
from planner.services.base import ServiceError
from planner.services.inventory import read_ledger
from planner.services.ledger_io import LEDGER_MODELS
from tests.ledger_support import load_clinic, receive, staff

DAY0 = date(2026, 12, 1)
SESSIONS = ("X-1", "X-2", "X-3", "X-4", "X-5", "X-6")


@dataclass(frozen=True)
class Receive:
    vials: int
    received: int  # days from DAY0
    expires: int
    witnessed: bool


@dataclass(frozen=True)
class Give:
    session: int
    lot: int
    mg: int


@dataclass(frozen=True)
class WasteOp:
    session: int
    lot: int
    mg: int
    witness: str  # "ok" | "none" | "same"


@dataclass(frozen=True)
class Count:
    lot: int
    day: int
    short: int  # mg less than the balance
    note: bool
    witnessed: bool


steps = st.lists(
    st.one_of(
        st.builds(
            Receive,
            vials=st.integers(1, 2),
            received=st.integers(-30, 6),
            expires=st.integers(-5, 120),
            witnessed=st.booleans(),
        ),
        st.builds(
            Give,
            session=st.integers(0, 5),
            lot=st.integers(0, 2),
            mg=st.sampled_from([5, 35, 120, 400, 700]),
        ),
        st.builds(
            WasteOp,
            session=st.integers(0, 5),
            lot=st.integers(0, 2),
            mg=st.sampled_from([5, 15, 300]),
            witness=st.sampled_from(["ok", "ok", "none", "same"]),
        ),
        st.builds(
            Count,
            lot=st.integers(0, 2),
            day=st.integers(0, 8),
            short=st.sampled_from([0, 0, 10]),
            note=st.booleans(),
            witnessed=st.booleans(),
        ),
    ),
    min_size=1,
    max_size=10,
)
#: Every sequence starts with a delivery, so most steps have a lot to use.
operations = st.tuples(
    st.builds(
        Receive,
        vials=st.integers(1, 2),
        received=st.integers(-30, 0),
        expires=st.integers(0, 120),
        witnessed=st.just(True),
    ),
    steps,
).map(lambda x: [x[0], *x[1]])


@dataclass
class Model:
    """What the log should hold, worked out without the app's arithmetic."""

    lots: list[dict[str, Any]] = field(default_factory=list)  # ref, received, expires, ug
    moves: list[tuple[str, datetime, int]] = field(default_factory=list)  # lot, at, ug
    given: dict[str, int] = field(default_factory=dict)
    wasted: dict[str, int] = field(default_factory=dict)

    def fits(self, lot: dict[str, Any], at: datetime, ug: int) -> bool:
        if not lot["received"] <= at.date() <= lot["expires"]:
            return False
        held = lot["ug"]
        for _lot, _at, amount in sorted(
            [m for m in self.moves if m[0] == lot["ref"]] + [(lot["ref"], at, ug)],
            key=lambda m: m[1],
        ):
            held -= amount
            if held < 0:
                return False
        return True

    def balance_at(self, lot: dict[str, Any], day: date) -> int:
        end = datetime.combine(day, datetime.max.time())
        return lot["ug"] - sum(a for r, at, a in self.moves if r == lot["ref"] and at <= end)


def _reset(db: Database) -> None:
    with db.engine.begin() as connection:
        for model in LEDGER_MODELS:
            connection.execute(model.__table__.delete())


def _state(db: Database) -> Any:
    with db.begin() as session:
        ledger = read_ledger(session)
        records = mapping.read_records(session, ledger.staff, ledger.lots)
    return (
        [line.as_json() for line in inventory.lot_lines(ledger)],
        len(ledger.counts),
        {sid: record_to_json(r) for sid, r in records.records.items()},
    )


def _apply(db: Database, op: Any, model: Model) -> bool | None:
    """Run one operation; True when done, False when refused, None when it does not apply."""
    people = staff(db)
    if isinstance(op, Receive):
        if op.expires < op.received:
            return None
        try:
            ref = receive(
                db,
                vials=op.vials,
                received=DAY0 + timedelta(days=op.received),
                expires=DAY0 + timedelta(days=op.expires),
                witness="S2" if op.witnessed else None,
            )
        except ServiceError:
            assert not op.witnessed
            return False
        assert op.witnessed
        model.lots.append(
            {
                "ref": ref,
                "received": DAY0 + timedelta(days=op.received),
                "expires": DAY0 + timedelta(days=op.expires),
                "ug": op.vials * 500_000,
            }
        )
        return True
    if not model.lots:
        return None
    lot = model.lots[op.lot % len(model.lots)]
    drawn = next(x.lot for x in inventory.list_lots(db) if x.lot.ref == lot["ref"])
    if isinstance(op, Count):
        day = DAY0 + timedelta(days=op.day)
        expected = model.balance_at(lot, day)
        counted = (expected - op.short * 1000) / 1000
        count = InventoryCount(
            day=day,
            lot=drawn,
            mg=max(counted, 0.0),
            by=people["S1"],
            witness=people["S2"] if op.witnessed else None,
            note="vial broken" if op.note else "",
        )
        ok = (
            op.witnessed
            and day >= lot["received"]
            and (op.note or round(count.mg * 1000) == expected)
        )
        try:
            inventory.record_count(db, count)
        except ServiceError:
            assert not ok
            return False
        assert ok
        return True
    ref = SESSIONS[op.session]
    view = session_records.open_record(db, ref)
    record = view.record or SessionRecord(checked_in_at=view.session.start)
    k = len(record.medications) + len(record.waste)
    at = view.session.start + timedelta(minutes=20 + k)
    ug = op.mg * 1000
    if isinstance(op, Give):
        entry = Medication(drug="ketamine", lot=drawn, mg=float(op.mg), start=at, by=people["S2"])
        changed = dataclasses.replace(record, medications=(*record.medications, entry))
        ok = model.fits(lot, at, ug)
    else:
        witness = {"ok": people["S1"], "none": None, "same": people["S2"]}[op.witness]
        entry_w = Waste(lot=drawn, mg=float(op.mg), time=at, by=people["S2"], witness=witness)
        changed = dataclasses.replace(record, waste=(*record.waste, entry_w))
        ok = op.witness == "ok" and model.fits(lot, at, ug)
    try:
        session_records.save_record(db, ref, changed, expected_version=view.version)
    except ServiceError:
        assert not ok, f"{op} was refused but fits the log"
        return False
    assert ok, f"{op} was accepted but breaks the log"
    model.moves.append((lot["ref"], at, ug))
    kind = model.given if isinstance(op, Give) else model.wasted
    kind[lot["ref"]] = kind.get(lot["ref"], 0) + ug
    return True


def test_any_sequence_keeps_the_balance(db: Database) -> None:
    load_clinic(db)

    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(operations)
    def run(ops: list[Any]) -> None:
        _reset(db)
        model = Model()
        for op in ops:
            before = _state(db)
            done = _apply(db, op, model)
            event(f"{type(op).__name__}: {'done' if done else 'refused' if done is False else '-'}")
            after = _state(db)
            if done is False:
                assert after == before, f"refused {op} changed something"
            lines, _counts, _records = after
            for line, lot in zip(lines, model.lots, strict=True):
                ref = lot["ref"]
                assert line["lot"] == ref
                given_mg = model.given.get(ref, 0) / 1000
                wasted_mg = model.wasted.get(ref, 0) / 1000
                assert line["received_mg"] == lot["ug"] / 1000
                assert (line["given_mg"], line["wasted_mg"]) == (given_mg, wasted_mg)
                assert line["balance_mg"] == lot["ug"] / 1000 - given_mg - wasted_mg
                assert line["balance_mg"] >= 0
        entries, _totals = inventory.dispensing_log(
            db, DAY0 - timedelta(days=60), DAY0 + timedelta(days=60)
        )
        assert all(e.balance_ug >= 0 for e in entries)

    run()
