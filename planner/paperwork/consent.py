"""Consent form for a course (series) of infusions: letterhead, identity, course, wording, signatures.

The wording is the clinic's (a template from resources/ or the clinic's own
file); this module adds the tables that come from the records and the
signature blocks. Sections follow DOMAIN.md "Consent form".
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Image, Paragraph, Table, TableStyle

from planner.domain import FLAG_LABELS, PATIENT_FLAGS
from planner.domain.records import Clinic
from planner.paperwork import facts
from planner.paperwork.blocks import (
    block,
    fmt_date,
    fmt_kg,
    fmt_when,
    identity_line,
    labelled,
    para,
    spacer,
    table,
)
from planner.paperwork.data import ConsentData, RenderOptions, dose_mg
from planner.paperwork.document import build_pdf
from planner.paperwork.pages import Section
from planner.paperwork.scripts import markup as text_markup
from planner.paperwork.styles import CHECKBOX, inner_width, styles
from planner.paperwork.template import Block, parse, with_required_blocks

TITLE = "Consent form"
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def build_consent(data: ConsentData, options: RenderOptions) -> bytes:
    """The consent form of one course as PDF bytes."""
    return build_pdf(
        [consent_section(data, options)],
        paper=options.paper,
        now=options.now,
        clinic=data.clinic.name,
        title=f"{TITLE} — {data.patient.name} — {data.course.ref}",
    )


def consent_section(data: ConsentData, options: RenderOptions) -> Section:
    """The consent form as one section (also used inside a day packet)."""
    width = inner_width(options.paper)
    story: list[Flowable] = [*_build_letterhead(data.clinic, width)]
    builders: dict[str, Callable[[ConsentData, float], list[Flowable]]] = {
        "identity": _build_identity,
        "course": _build_course,
        "contraindications": _build_contraindications,
        "signatures": _build_signatures,
    }
    blocks = with_required_blocks(parse(data.template_text, placeholder_values(data)))
    group: list[Flowable] = []  # one heading and what follows it, kept on one page if it fits
    for item in blocks:
        if item.kind in ("heading", "title") and group:
            story.append(block(*group))
            group = []
        if item.kind == "marker":
            build = builders.get(item.text)
            group += build(data, width) if build else [para(f"[[{item.text}]]")]
        else:
            group.append(_build_text(item))
    if group:
        story.append(block(*group))
    patient = data.patient
    return Section(
        title=TITLE,
        story=story,
        identity=identity_line(patient),
        lines=(
            f"Course {data.course.ref} · {data.protocol.name} · {data.course.planned_infusions} infusions",
        ),
        reference=data.course.ref,
        draft_note=options.draft_note,
        initials=True,
    )


def placeholder_values(data: ConsentData) -> dict[str, str]:
    """What ``{placeholders}`` in the wording are replaced with."""
    patient, protocol, policy = data.patient, data.protocol, data.policy
    return {
        "patient_name": patient.name,
        "date_of_birth": fmt_date(patient.date_of_birth),
        "record_number": patient.record_number,
        "clinic_name": data.clinic.name,
        "clinic_address": data.clinic.address,
        "clinic_phone": data.clinic.phone,
        "protocol": protocol.name,
        "infusions": str(data.course.planned_infusions),
        "planned_dates": planned_dates_text(data),
        "dose_basis": dose_basis_text(data),
        "dose_mg_per_kg": f"{protocol.dose_mg_per_kg:g}",
        "infusion_minutes": str(protocol.infusion_minutes),
        "recovery_minutes": str(protocol.recovery_minutes),
        "course_ref": data.course.ref,
        "fasting_solids_hours": str(policy.fasting_solids_hours),
        "fasting_clear_liquids_hours": str(policy.fasting_clear_liquids_hours),
        "no_substances_hours": str(policy.no_substances_hours),
        "escort_name": patient.escort.name or "—",
        "allergies": facts.allergies(patient).text,
        "crisis_phone": policy.crisis_phone or "________________ (ask the clinic)",
    }


def dose_basis_text(data: ConsentData) -> str:
    per_kg = f"{data.protocol.dose_mg_per_kg:g} mg per kg of body weight"
    weight = data.patient.weight_kg
    total = dose_mg(data.protocol, data.patient)
    if weight is None or total is None:
        return f"{per_kg}; weight to be measured before the first infusion"
    return f"{per_kg}; at {fmt_kg(weight)} kg that is {total:g} mg per infusion"


def planned_dates_text(data: ConsentData) -> str:
    dates = "; ".join(fmt_when(d) for d in data.planned_dates) or "none booked yet"
    missing = data.course.planned_infusions - len(data.planned_dates)
    if missing > 0:
        dates += f" ({missing} more to be booked)"
    return dates


def _build_text(item: Block) -> Paragraph:
    markup = _BOLD.sub(r"<b>\1</b>", text_markup(item.text))
    if item.kind == "title":
        return Paragraph(markup, styles()["title"])
    if item.kind == "heading":
        return Paragraph(markup, styles()["h2"])
    if item.kind == "bullet":
        return Paragraph(markup, styles()["bullet"], bulletText="•")
    return Paragraph(markup, styles()["body"])


def _build_letterhead(clinic: Clinic, width: float) -> list[Flowable]:
    lines = [Paragraph(f"<b>{text_markup(clinic.name or 'Clinic')}</b>", styles()["h2"])]
    contact = " · ".join(x for x in (clinic.address, clinic.phone) if x)
    if contact:
        lines.append(para(contact, "subtitle"))
    logo = _logo(clinic.logo)
    if logo is None:
        return [*lines, spacer(0.2)]
    head = Table([[logo, lines]], colWidths=[3.2 * cm, width - 3.2 * cm], hAlign="LEFT")
    head.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return [head, spacer(0.2)]


def _logo(data: bytes | None) -> Image | None:
    """The clinic's logo, scaled to 3 × 2 cm at most; a broken image is left out."""
    if not data:
        return None
    try:
        image = Image(io.BytesIO(data))
        scale = min(3.0 * cm / image.imageWidth, 2.0 * cm / image.imageHeight)
        image.drawWidth = image.imageWidth * scale
        image.drawHeight = image.imageHeight * scale
    except Exception:  # any unreadable image: the form is still valid without a logo
        return None
    return image


def _build_identity(data: ConsentData, width: float) -> list[Flowable]:
    p = data.patient
    allergy = facts.allergies(p)
    pairs = [
        ("Patient name", para(p.name, "cell_bold")),
        ("Date of birth", fmt_date(p.date_of_birth)),
        ("Record number", p.record_number),
        ("Clinic", data.clinic.name),
        ("Allergies", para(allergy.text, "alert" if allergy.alert else "cell_bold")),
        ("Phone", p.phone or "—"),
    ]
    return [labelled(pairs, [3.2 * cm, width / 2 - 3.2 * cm] * 2)]


def _build_course(data: ConsentData, width: float) -> list[Flowable]:
    consent = (
        f"signed {fmt_date(data.course.consent_date)} (on file)"
        if data.course.consent_date
        else "not yet signed"
    )
    pairs = [
        ("Protocol", f"{data.protocol.name} ({data.protocol.ref})"),
        (
            "Number of infusions",
            f"{data.course.planned_infusions} planned in this series (course {data.course.ref})",
        ),
        ("Planned dates", planned_dates_text(data)),
        ("Dose basis", dose_basis_text(data)),
        (
            "Infusion",
            f"about {data.protocol.infusion_minutes} min, then about "
            f"{data.protocol.recovery_minutes} min monitored recovery",
        ),
        ("Consent status", consent),
    ]
    return [labelled(pairs, [3.8 * cm, width - 3.8 * cm])]


def _build_contraindications(data: ConsentData, width: float) -> list[Flowable]:
    rows: list[list[object]] = [["Condition", "I do not have this (initials)", "On file"]]
    for flag in PATIENT_FLAGS:
        on_file = ""
        if flag in data.patient.flags:
            who = data.patient.flags_acknowledged_by
            on_file = "recorded — discuss" + (f"; acknowledged by {who}" if who else "")
        rows.append([FLAG_LABELS[flag], f"{CHECKBOX}  ________", on_file])
    return [
        table(rows, [width * 0.52, width * 0.24, width * 0.24], header=True, row_height=0.75 * cm)
    ]


def _build_signatures(data: ConsentData, width: float) -> list[Flowable]:
    line = 1.15 * cm
    quarter = width / 4

    def signer(title: str, columns: list[str], values: list[str]) -> Flowable:
        # a paragraph: the title spans all four columns, a plain cell would wrap at the first
        rows: list[list[object]] = [[para(title, "head"), "", "", ""], [*columns], [*values]]
        extra = [
            ("SPAN", (0, 0), (-1, 0)),
        ]
        heights = [None, None, line]  # a roomy row to sign in
        t = table(
            rows, [quarter] * 4, header=True, heights=heights, extra=extra, repeat_header=False
        )
        return block(t, spacer(0.25))

    return [
        signer(
            "Patient",
            ["Printed name", "Signature", "Date", "Time"],
            [data.patient.name, "", "", ""],
        ),
        signer(
            "Legally authorised representative (if the patient cannot consent)",
            ["Printed name", "Relationship / authority", "Signature", "Date"],
            ["", "", "", ""],
        ),
        signer("Witness", ["Printed name", "Signature", "Date", "Time"], ["", "", "", ""]),
        signer(
            "Clinician obtaining consent",
            ["Name", "Credentials", "Signature", "Date"],
            ["", "", "", ""],
        ),
        signer(
            "Interpreter (if used)",
            ["Name", "Language", "Signature", "Date"],
            ["", "", "", ""],
        ),
    ]
