"""The controlled-substance log: lots received, physical counts, and the balance arithmetic.

Every milligram is accounted for in whole micrograms (amounts are limited to
3 decimals of a mg), so sums are exact: a lot's balance is what it received
less what was given and wasted, and it never goes below zero at any moment.
The rules here are pure; the services, the document loader and the dialogs
all ask them, so each refuses the same things with the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Literal

from planner.domain.base import Record
from planner.domain.fields import (
    CalendarDate,
    CountedMilligrams,
    MgPerMl,
    Millilitres,
    Name,
    Notes,
    RecordNumber,
    Ref,
    ShortText,
    Vials,
    Wire,
)
from planner.domain.markers import Before, Key
from planner.domain.records import StaffMember, StaffRef, _ref_of, _resolve


@dataclass(frozen=True, slots=True, kw_only=True)
class DrugLot(Record):
    """A delivery of one lot of a controlled drug, received by one person and witnessed."""

    ref: Ref
    drug: Name
    lot_number: RecordNumber
    concentration_mg_per_ml: MgPerMl
    ml_per_vial: Millilitres
    vials: Vials
    received: CalendarDate
    expires: CalendarDate
    supplier: ShortText = ""
    invoice: ShortText = ""
    received_by: StaffRef
    #: Required: a lot without a witness is refused (checked with the other log rules).
    witness: StaffRef | None = None

    def check(self) -> None:
        if self.expires < self.received:
            raise ValueError(
                f"lot {self.ref} expires ({self.expires:%Y-%m-%d}) before it was received "
                f"({self.received:%Y-%m-%d})"
            )

    @property
    def received_ug(self) -> int:
        """What the lot held on arrival, in micrograms."""
        total = (
            Decimal(str(self.concentration_mg_per_ml))
            * Decimal(str(self.ml_per_vial))
            * self.vials
            * 1000
        )
        return int(total.to_integral_value())

    @property
    def label(self) -> str:
        return f"{self.ref} — {self.drug} lot {self.lot_number}"


LotRef = Annotated[DrugLot, Before(_resolve("lots", DrugLot)), Wire(_ref_of)]


@dataclass(frozen=True, slots=True, kw_only=True)
class InventoryCount(Record):
    """A physical count of what is left of a lot, by one person and a witness."""

    day: Annotated[CalendarDate, Key("date")]
    lot: LotRef
    mg: CountedMilligrams
    by: StaffRef
    witness: StaffRef | None = None
    #: Required when the count differs from the balance: what explains it.
    note: Notes = ""


# -- the arithmetic ---------------------------------------------------------------------------


def to_ug(mg: float) -> int:
    """Milligrams (at most 3 decimals) as whole micrograms."""
    return int(Decimal(str(mg)).scaleb(3).to_integral_value())


def to_mg(ug: int) -> float | int:
    """Micrograms as milligrams, a whole number written without ``.0``."""
    value = Decimal(ug).scaleb(-3)
    return int(value) if value == value.to_integral_value() else float(value)


def fmt_mg(ug: int) -> str:
    """``37.5 mg`` for 37500 µg."""
    return f"{to_mg(ug):g} mg" if abs(ug) < 10**15 else f"{to_mg(ug)} mg"


Kind = Literal["given", "wasted"]


@dataclass(frozen=True, slots=True)
class Movement:
    """Milligrams leaving a lot: given to a patient or wasted (``where``: what to name it by)."""

    lot: str
    at: datetime
    kind: Kind
    ug: int
    where: str = ""
    #: For the dispensing log: who gave or wasted it, the witness, and for whom.
    by: str = ""
    witness: str = ""
    patient: str = ""


@dataclass(frozen=True, slots=True)
class LotBalance:
    """A lot's totals; ``balance_ug`` = received − given − wasted."""

    lot: DrugLot
    opening_ug: int
    received_ug: int
    given_ug: int
    wasted_ug: int

    @property
    def balance_ug(self) -> int:
        return self.opening_ug + self.received_ug - self.given_ug - self.wasted_ug


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max)


def in_order(movements: Iterable[Movement]) -> list[Movement]:
    """By time; at the same minute what was given comes before what was wasted of it."""
    return sorted(movements, key=lambda m: (m.at, m.kind != "given"))


def balance(
    lot: DrugLot,
    movements: Iterable[Movement],
    *,
    since: date | None = None,
    until: date | None = None,
) -> LotBalance:
    """The lot's totals between ``since`` and ``until`` (days included; None: open-ended)."""
    start = datetime.combine(since, time.min) if since else None
    end = _end_of(until) if until else None
    opening = given = wasted = 0
    received = 0
    if (since is None or lot.received >= since) and (until is None or lot.received <= until):
        received = lot.received_ug
    elif since is not None and lot.received < since:
        opening = lot.received_ug
    for m in movements:
        if m.lot != lot.ref or (end is not None and m.at > end):
            continue
        if start is not None and m.at < start:
            opening -= m.ug
        elif m.kind == "given":
            given += m.ug
        else:
            wasted += m.ug
    return LotBalance(lot, opening, received, given, wasted)


def balance_at_end_of(lot: DrugLot, movements: Iterable[Movement], day: date) -> int:
    """What the lot should hold at the end of ``day`` (0 before it was received)."""
    if day < lot.received:
        return 0
    return balance(lot, movements, until=day).balance_ug


def day_problem(lot: DrugLot, movement: Movement) -> str | None:
    """A lot is used only between the day it was received and its expiry date."""
    day = movement.at.date()
    verb = "given" if movement.kind == "given" else "wasted"
    if day > lot.expires:
        return (
            f"lot {lot.ref} ({lot.lot_number}) expired on {lot.expires:%Y-%m-%d}; "
            f"nothing may be {verb} from it on {day:%Y-%m-%d}"
        )
    if day < lot.received:
        return (
            f"lot {lot.ref} ({lot.lot_number}) was received on {lot.received:%Y-%m-%d}, "
            f"after {day:%Y-%m-%d}"
        )
    return None


def drug_problem(lot: DrugLot, drug: str) -> str | None:
    if drug.strip().casefold() != lot.drug.strip().casefold():
        return f"lot {lot.ref} holds {lot.drug}, not {drug}"
    return None


def ledger_problems(lots: Mapping[str, DrugLot], movements: Sequence[Movement]) -> dict[str, str]:
    """Path -> what is wrong: ``<where>.lot`` for a movement from a lot outside its dates,
    ``<where>.mg`` for the first movement that takes a lot below zero (giving or wasting more
    than it holds then)."""
    out: dict[str, str] = {}
    for m in movements:
        problem = day_problem(lots[m.lot], m)
        if problem:
            out.setdefault(f"{m.where}.lot", problem)
    for lot in lots.values():
        short = overdrawn(lot, movements)
        if short is not None:
            held, first = short
            what = "giving" if first.kind == "given" else "wasting"
            out.setdefault(
                f"{first.where}.mg",
                f"lot {lot.ref} ({lot.lot_number}) holds only {fmt_mg(held)} on "
                f"{first.at:%Y-%m-%d %H:%M}: {what} {fmt_mg(first.ug)} is more than it holds",
            )
    return out


def overdrawn(lot: DrugLot, movements: Iterable[Movement]) -> tuple[int, Movement] | None:
    """The balance just before, and the first movement that takes the lot below zero."""
    held = lot.received_ug
    for m in in_order(x for x in movements if x.lot == lot.ref):
        if m.ug > held:
            return held, m
        held -= m.ug
    return None


def witness_problem(by: StaffMember | None, witness: StaffMember | None, what: str) -> str | None:
    """A controlled-substance entry needs a witness, and not the same person."""
    if witness is None:
        return f"{what} needs a witness: a second person who saw it"
    if by is not None and witness.ref == by.ref:
        return f"{what} must be witnessed by a different person than {by.name}"
    return None


def count_problem(count: InventoryCount, expected_ug: int) -> str | None:
    """A count that differs from the balance must say why."""
    if to_ug(count.mg) != expected_ug and not count.note.strip():
        return (
            f"the count of lot {count.lot.ref} ({fmt_mg(to_ug(count.mg))}) differs from its "
            f"balance ({fmt_mg(expected_ug)}) by {fmt_mg(to_ug(count.mg) - expected_ug)}: "
            "explain the discrepancy in the note"
        )
    return None


def latest_count(
    counts: Sequence[InventoryCount], lot: str, until: date | None = None
) -> InventoryCount | None:
    """The last count of ``lot`` on or before ``until`` (in the order they were taken)."""
    found = None
    for c in counts:
        if (
            c.lot.ref == lot
            and (until is None or c.day <= until)
            and (found is None or c.day >= found.day)
        ):
            found = c
    return found


def receipt_statement(lot: DrugLot) -> str:
    """What a witness confirms with their PIN for a delivery."""
    return (
        f"receipt of {lot.drug} lot {lot.lot_number}: {lot.vials} × {lot.ml_per_vial:g} mL at "
        f"{lot.concentration_mg_per_ml:g} mg/mL ({fmt_mg(lot.received_ug)}) on "
        f"{lot.received:%Y-%m-%d} by {lot.received_by.name}"
    )


def count_statement(count: InventoryCount) -> str:
    """What a witness confirms with their PIN for a physical count."""
    return (
        f"count of lot {count.lot.ref} ({count.lot.lot_number}): {count.mg:g} mg on "
        f"{count.day:%Y-%m-%d} by {count.by.name}"
    )
