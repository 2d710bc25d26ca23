"""Printing the ketamine log: the dispensing log of a period and the count sheet of a day.

Read in one transaction (through ``planner.services.inventory``), built after it.
"""

from __future__ import annotations

from datetime import date, datetime

from planner.db import mapping
from planner.db.engine import Database
from planner.domain.inventory import fmt_mg, to_mg
from planner.domain.records import Clinic
from planner.paperwork.data import RenderOptions
from planner.paperwork.ledger import (
    CountSheetData,
    DispensingLine,
    DispensingLogData,
    LotSummary,
    build_count_sheet,
    build_dispensing_log,
)
from planner.services.base import ValidationFailed, system_clock
from planner.services.inventory import LotLine, count_sheet, dispensing_log


def _amount(ug: int) -> str:
    return f"{to_mg(ug):g}"


def lot_summary(line: LotLine) -> LotSummary:
    lot = line.lot
    last = ""
    if line.counted is not None:
        last = f"{line.counted.mg:g} mg on {line.counted.day:%Y-%m-%d}"
        if line.discrepancy_ug:
            last += f" (discrepancy {fmt_mg(line.discrepancy_ug)})"
    return LotSummary(
        ref=lot.ref,
        drug=lot.drug,
        lot_number=lot.lot_number,
        concentration=f"{lot.concentration_mg_per_ml:g} mg/mL × {lot.ml_per_vial:g} mL",
        received_on=lot.received,
        expires=lot.expires,
        opening=_amount(line.opening_ug),
        received=_amount(line.received_ug),
        given=_amount(line.given_ug),
        wasted=_amount(line.wasted_ug),
        balance=f"{_amount(line.balance_ug)} ({line.balance_ug / 1000 / lot.concentration_mg_per_ml:.4g} mL)",
        last_count=last,
    )


def _setting(db: Database, paper: str | None) -> tuple[Clinic, str]:
    with db.begin() as session:
        clinic = mapping.read_clinic(session)
        policy = mapping.read_policy(session)
    chosen = (paper or policy.paper_size).strip().lower()
    if chosen not in ("a4", "letter"):
        raise ValidationFailed(f"paper must be A4 or Letter, not {paper!r}")
    return clinic, "A4" if chosen == "a4" else "Letter"


def render_dispensing_log(
    db: Database,
    since: date,
    until: date,
    *,
    paper: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """Every administration and waste between the two days, with running balances."""
    if until < since:
        raise ValidationFailed("--to must not be before --from")
    entries, lots = dispensing_log(db, since, until)
    clinic, size = _setting(db, paper)
    lines = tuple(
        DispensingLine(
            at=e.movement.at,
            patient=e.movement.patient,
            session=e.movement.where,
            lot=f"{e.lot.ref} ({e.lot.lot_number})",
            given=_amount(e.movement.ug) if e.movement.kind == "given" else "",
            wasted=_amount(e.movement.ug) if e.movement.kind == "wasted" else "",
            by=e.movement.by,
            witness=e.movement.witness,
            balance=_amount(e.balance_ug),
        )
        for e in entries
    )
    data = DispensingLogData(
        clinic=clinic,
        since=since,
        until=until,
        lines=lines,
        lots=tuple(lot_summary(x) for x in lots if x.received_ug or x.opening_ug),
    )
    return build_dispensing_log(data, RenderOptions(paper=size, now=now or system_clock()))


def render_count_sheet(
    db: Database, day: date, *, paper: str | None = None, now: datetime | None = None
) -> bytes:
    """The count sheet for a physical inventory on ``day``."""
    sheet = count_sheet(db, day)
    clinic, size = _setting(db, paper)
    data = CountSheetData(clinic=clinic, day=day, lots=tuple(lot_summary(x) for x in sheet.lines))
    return build_count_sheet(data, RenderOptions(paper=size, now=now or system_clock()))
