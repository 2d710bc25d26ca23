"""The controlled-substance papers: the dispensing log and the count sheet (PDF).

Pure builders, as the other documents: plain data in, PDF bytes out. The
dispensing log lists every administration and waste of a period in time order
with each lot's running balance; the count sheet is what a physical inventory
is written on, lot by lot, with the balance on record to compare against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import cm
from reportlab.platypus import Flowable

from planner.domain.records import Clinic
from planner.paperwork.blocks import block, fmt_date, heading, para, spacer, table
from planner.paperwork.data import RenderOptions
from planner.paperwork.document import build_pdf
from planner.paperwork.pages import Section
from planner.paperwork.styles import SHADE, inner_width

LOG_TITLE = "Controlled-substance dispensing log"
COUNT_TITLE = "Controlled-substance count sheet"


@dataclass(frozen=True)
class LotSummary:
    """A lot's totals over the period (amounts in mg, as printed)."""

    ref: str
    drug: str
    lot_number: str
    concentration: str  # "50 mg/mL × 10 mL"
    received_on: date
    expires: date
    opening: str
    received: str
    given: str
    wasted: str
    balance: str
    last_count: str = ""  # "950 mg on 2026-12-01 (discrepancy −10 mg)"


@dataclass(frozen=True)
class DispensingLine:
    at: datetime
    patient: str
    session: str
    lot: str
    given: str
    wasted: str
    by: str
    witness: str
    balance: str


@dataclass(frozen=True)
class DispensingLogData:
    clinic: Clinic
    since: date
    until: date
    lines: tuple[DispensingLine, ...]
    lots: tuple[LotSummary, ...]


@dataclass(frozen=True)
class CountSheetData:
    clinic: Clinic
    day: date
    lots: tuple[LotSummary, ...]


def build_dispensing_log(data: DispensingLogData, options: RenderOptions) -> bytes:
    width = inner_width(options.paper, wide=True)
    story: list[Flowable] = [heading("Administrations and waste, in time order")]
    rows: list[list[object]] = [
        [
            "Date / time",
            "Patient",
            "Session",
            "Lot",
            "Given (mg)",
            "Wasted (mg)",
            "By",
            "Witness",
            "Lot balance (mg)",
        ]
    ]
    rows += [
        [
            f"{line.at:%Y-%m-%d %H:%M}",
            line.patient,
            line.session,
            line.lot,
            line.given,
            line.wasted,
            line.by,
            line.witness,
            line.balance,
        ]
        for line in data.lines
    ]
    if not data.lines:
        rows.append(
            ["", para("Nothing was given or wasted from a lot in this period.", "cell"), *[""] * 7]
        )
    fractions = [0.11, 0.2, 0.07, 0.09, 0.07, 0.07, 0.14, 0.14, 0.11]
    widths = [width * f / sum(fractions) for f in fractions]
    story.append(table(rows, widths, header=True, head_style="head_small"))
    story += [spacer(0.3), *_lot_totals(data.lots, width, "Lots over the period")]
    story += [spacer(0.4), _review(width)]
    section = Section(
        title=LOG_TITLE,
        story=story,
        lines=(f"Period: {fmt_date(data.since)} to {fmt_date(data.until)} (both days included)",),
        reference=f"{data.since:%Y-%m-%d}–{data.until:%Y-%m-%d}",
        wide=True,
    )
    return build_pdf(
        [section], paper=options.paper, now=options.now, clinic=data.clinic.name, title=LOG_TITLE
    )


def _lot_totals(lots: tuple[LotSummary, ...], width: float, title: str) -> list[Flowable]:
    rows: list[list[object]] = [
        [
            "Lot",
            "Drug",
            "Lot number",
            "Strength",
            "Expires",
            "Opening",
            "Received",
            "Given",
            "Wasted",
            "Balance",
        ]
    ]
    rows += [
        [
            s.ref,
            s.drug,
            s.lot_number,
            s.concentration,
            fmt_date(s.expires),
            s.opening,
            s.received,
            s.given,
            s.wasted,
            s.balance,
        ]
        for s in lots
    ]
    fractions = [0.1, 0.1, 0.11, 0.14, 0.1, 0.09, 0.09, 0.09, 0.09, 0.09]
    widths = [width * f / sum(fractions) for f in fractions]
    return [block(heading(title), table(rows, widths, header=True, head_style="head_small"))]


def _review(width: float) -> Flowable:
    rows = [["Reviewed by (name)", "Signature", "Date"], ["", "", ""]]
    return table(rows, [width * 0.4, width * 0.4, width * 0.2], header=True, row_height=1.1 * cm)


def build_count_sheet(data: CountSheetData, options: RenderOptions) -> bytes:
    width = inner_width(options.paper, wide=True)
    rows: list[list[object]] = [
        [
            "Lot",
            "Drug, lot number",
            "Strength",
            "Expires",
            "Balance on record (mg)",
            "Last count",
            "Counted (mL)",
            "Counted (mg)",
            "Discrepancy (mg)",
            "Counted by",
            "Witness",
        ]
    ]
    expired: list[int] = []
    for i, s in enumerate(data.lots, start=1):
        rows.append(
            [
                s.ref,
                f"{s.drug}, {s.lot_number}",
                s.concentration,
                fmt_date(s.expires) + (" (expired)" if s.expires < data.day else ""),
                s.balance,
                s.last_count,
                "",
                "",
                "",
                "",
                "",
            ]
        )
        if s.expires < data.day:
            expired.append(i)
    if not data.lots:
        rows.append(["", para("No lot holds anything on this day.", "cell"), *[""] * 9])
    fractions = [0.07, 0.13, 0.1, 0.08, 0.09, 0.12, 0.07, 0.07, 0.08, 0.095, 0.095]
    widths = [width * f / sum(fractions) for f in fractions]
    extra = [("BACKGROUND", (0, r), (5, r), SHADE) for r in expired]
    story: list[Flowable] = [
        para(
            "Count every vial of every lot below, open and unopened; write the volume left in mL "
            "and its milligrams (mL × strength). Record the count in the app with the witness; "
            "a count that differs from the balance on record needs a note explaining it.",
            "body",
        ),
        spacer(0.2),
        table(rows, widths, header=True, head_style="head_small", row_height=1.0 * cm, extra=extra),
        spacer(0.4),
    ]
    signatures = [
        ["", "Name", "Signature", "Date / time"],
        ["Counted by", "", "", ""],
        ["Witness", "", "", ""],
    ]
    story.append(
        block(
            heading("Signatures"),
            table(
                signatures,
                [width * 0.15, width * 0.35, width * 0.3, width * 0.2],
                header=True,
                row_height=1.1 * cm,
            ),
        )
    )
    section = Section(
        title=COUNT_TITLE,
        story=story,
        lines=(f"Physical inventory on {fmt_date(data.day)}",),
        reference=f"{data.day:%Y-%m-%d}",
        wide=True,
    )
    return build_pdf(
        [section], paper=options.paper, now=options.now, clinic=data.clinic.name, title=COUNT_TITLE
    )
