"""Day packet: the run sheet, then each patient's consent form (when needed) and monitoring sheet.

One PDF, one section per paper: every page carries the header of its own
patient and "Page x of y" of its own paper, so a packet can be printed in
one go and handed out per patient.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from reportlab.platypus import Flowable

from planner.domain import WEEKDAY_NAMES
from planner.paperwork import facts
from planner.paperwork.blocks import fmt_date, para, plural, spacer, staff_name, table
from planner.paperwork.consent import consent_section
from planner.paperwork.data import DayPacketData, MonitoringData, RenderOptions, SessionInfo
from planner.paperwork.document import build_pdf
from planner.paperwork.monitoring import infusion_of, monitoring_section
from planner.paperwork.pages import Section
from planner.paperwork.styles import ALERT, ALERT_SHADE, WARN_SHADE, inner_width

TITLE = "Run sheet"


def build_day_packet(
    data: DayPacketData,
    options: RenderOptions,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The day's packet as PDF bytes; ``progress(done, total)`` is called per paper laid out."""
    sections = [_build_run_sheet(data, options)]
    done_consents: set[str] = set()
    for s in data.sessions:
        if s.course.ref in data.consents and s.course.ref not in done_consents:
            done_consents.add(s.course.ref)
            # consent does not depend on staffing: never a draft because of any session
            consent = consent_section(data.consents[s.course.ref], replace(options, draft_note=None))
            sections.append(consent)
        note = _sheet_note(s.ref, data, options.draft_note)
        sheet = MonitoringData(clinic=data.clinic, session=s, policy=data.policy)
        sections.append(monitoring_section(sheet, replace(options, draft_note=note)))
    return build_pdf(
        sections,
        paper=options.paper,
        now=options.now,
        clinic=data.clinic.name,
        title=f"Day packet {data.day.isoformat()}",
        progress=progress,
    )


def _sheet_note(ref: str, data: DayPacketData, packet_note: str | None) -> str | None:
    """A patient's sheet is a draft only for what is missing on its own session: it never
    names another session, let alone another patient."""
    if not packet_note:
        return None
    return data.draft_notes.get(ref)


def _build_run_sheet(data: DayPacketData, options: RenderOptions) -> Section:
    width = inner_width(options.paper, wide=True)
    story: list[Flowable] = []
    if data.sessions:
        story.append(_build_run_table(data, width))
    else:
        story.append(para("No sessions on this day."))
    consents = [s for s in data.sessions if s.course.ref in data.consents]
    if consents:
        names = ", ".join(dict.fromkeys(f"{s.patient.name} ({s.course.ref})" for s in consents))
        story += [spacer(0.2), para(f"Consent forms in this packet: {names}.", "note")]
    day = data.day
    return Section(
        title=TITLE,
        story=story,
        lines=(
            f"{WEEKDAY_NAMES[day.weekday()]} {day.isoformat()} · {plural(len(data.sessions), 'session')}",
        ),
        reference=day.isoformat(),
        draft_note=options.draft_note,
        wide=True,
    )


def _build_run_table(data: DayPacketData, width: float) -> Flowable:
    head: list[object] = [
        "Time",
        "Chair",
        "Patient",
        "Allergies",
        "Protocol",
        "Psychiatrist",
        "Monitoring clinician",
        "Escort",
        "Consent",
        "Checks",
    ]
    rows: list[list[object]] = [head]
    extra: list[tuple[object, ...]] = []
    for s in data.sessions:
        rows.append(_run_row(s, data))
        if facts.allergies(s.patient).alert:
            extra.append(("TEXTCOLOR", (3, len(rows) - 1), (3, len(rows) - 1), ALERT))
        errors = any(p.severity == "error" for p in s.problems)
        if s.problems:
            extra.append(
                (
                    "BACKGROUND",
                    (0, len(rows) - 1),
                    (-1, len(rows) - 1),
                    ALERT_SHADE if errors else WARN_SHADE,
                )
            )
    # Checks is wide enough for the longest rule code on Letter landscape; longer text wraps
    fractions = [0.07, 0.06, 0.13, 0.1, 0.11, 0.09, 0.09, 0.1, 0.07, 0.18]
    return table(rows, [width * f for f in fractions], header=True, style="cell_small", extra=extra)


def _run_row(s: SessionInfo, data: DayPacketData) -> list[object]:
    p = s.patient
    escort = "\n".join(x for x in (p.escort.name, p.escort.phone) if x) or "NONE ON FILE"
    if s.course.ref in data.consents:
        consent = "form in packet" + ("" if s.consent_date else " — not signed yet")
    else:
        consent = f"signed {fmt_date(s.consent_date)}" if s.consent_date else "NOT ON FILE"
    # "ok" only when the planner found nothing, readiness warnings included
    checks = (
        "\n".join(f"{'⚠ ' if x.severity == 'error' else ''}{x.code}" for x in s.problems)
        or "ok"
    )
    return [
        f"{s.start:%H:%M}–{s.end:%H:%M}",
        s.chair.name,
        f"{p.name}\n{p.record_number} · {fmt_date(p.date_of_birth)}",
        facts.allergies(p).text,
        f"{s.protocol.name}\n{infusion_of(s)}",
        staff_name(s.psychiatrist, "— missing —"),
        staff_name(s.monitoring, "— missing —"),
        escort,
        consent,
        checks,
    ]
