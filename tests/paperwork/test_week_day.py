"""Week schedule and day packet built from plain data: pages, headers, marks, progress."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

from planner.paperwork import DRAFT_PREFIX, build_day_packet, build_monitoring, build_week
from planner.paperwork.data import RenderOptions
from tests.paperwork import samples
from tests.paperwork.pdfcheck import all_text, page_sizes, pages_text, qpdf_check

OPTIONS = RenderOptions(paper="A4", now=samples.NOW)


def test_a_long_week_has_one_landscape_page_per_day(tmp_path: Path) -> None:
    week = samples.week(per_day=16, days=7, chairs=4)  # 112 sessions, Monday to Sunday
    pdf = build_week(week, OPTIONS)
    pages = pages_text(pdf)
    assert len(pages) == 7
    assert all(w > h for w, h in page_sizes(pdf))
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    for index, (page, day) in enumerate(zip(pages, week.days, strict=True)):
        assert f"{names[index]} {day.day.isoformat()} · open 08:00–18:00 · 16 sessions" in page
        assert f"Page {index + 1} of 7" in page
        assert "Week 2026-W49 · Mon 2026-11-30 – Sun 2026-12-06 · 112 sessions" in page
        for session in day.sessions[:4]:
            assert f"{session.start:%H:%M}–{session.end:%H:%M} · {session.patient.name}" in page
    qpdf_check(pdf, tmp_path)


def test_each_block_names_protocol_infusion_number_and_both_staff() -> None:
    text = pages_text(build_week(samples.week(per_day=4, days=1), OPTIONS))[0]
    assert "Ketamine — depression induction infusion 1 of 6 · X-1" in text
    assert "Psychiatrist: Dr Ana Silva" in text
    assert "Monitoring: Tomás Nuñez" in text


def test_violations_are_marked_on_the_day_and_listed_on_a_last_page() -> None:
    week = samples.week(per_day=4, days=5)
    tuesday = week.days[1]
    bad = samples.unstaffed(tuesday.sessions[0])
    days = list(week.days)
    days[1] = dataclasses.replace(tuesday, sessions=(bad, *tuesday.sessions[1:]))
    week = dataclasses.replace(week, days=tuple(days), problems=((bad, bad.problems[0]),))
    pages = pages_text(build_week(week, OPTIONS))
    assert len(pages) == 6
    assert "⚠ missing-psychiatrist" in pages[1] and "NO PSYCHIATRIST" in pages[1]
    assert "missing-psychiatrist" not in pages[0]
    assert "Problems this week" in pages[5]
    assert "X-1 · Chair 1" in pages[5] and "No psychiatrist is assigned" in pages[5]


def test_overlapping_sessions_in_one_chair_get_their_own_lane() -> None:
    week = samples.week(per_day=2, days=1, chairs=1)
    first, second = week.days[0].sessions
    clash = samples.changed(second, start=datetime(2026, 11, 30, 9, 0))
    day = dataclasses.replace(week.days[0], sessions=(first, clash))
    text = pages_text(build_week(dataclasses.replace(week, days=(day,)), OPTIONS))[0]
    assert text.count("Chair 1 · Room A") == 2
    assert first.patient.name in text and clash.patient.name in text


def test_an_empty_week_still_prints_a_page() -> None:
    week = dataclasses.replace(samples.week(days=0), days=())
    text = all_text(build_week(week, OPTIONS))
    assert "No opening hours and no sessions this week." in text


def test_day_packet_every_page_names_its_own_patient(tmp_path: Path) -> None:
    packet = samples.day_packet(8)
    pdf = build_day_packet(packet, OPTIONS)
    pages = pages_text(pdf)
    assert "Run sheet" in pages[0] and "Tuesday 2026-12-01 · 8 sessions" in pages[0]
    for session in packet.sessions:
        assert session.patient.name in pages[0]
    # after the run sheet: each page belongs to one patient's consent form or monitoring sheet
    headers = [s.patient for s in packet.sessions]
    sheets = 0
    for page in pages[1:]:
        owners = [
            p
            for p in headers
            if f"{p.name} · Date of birth {p.date_of_birth.isoformat()} · Record number {p.record_number}"
            in page
        ]
        assert len(owners) == 1, page[:300]
        assert "Page " in page
        if "Post-infusion monitoring sheet" in page and "Page 1 of" in page:
            sheets += 1
    assert sheets == 8
    assert sorted(packet.consents) == ["C-0001", "C-0007"]
    for course in packet.consents:
        assert any(f"Consent form · {course}" in page and "Page 1 of" in page for page in pages)
    qpdf_check(pdf, tmp_path)


def test_day_packet_numbers_pages_per_paper() -> None:
    packet = dataclasses.replace(samples.day_packet(2), consents={})
    pages = pages_text(build_day_packet(packet, OPTIONS))
    sheet_pages = [p for p in pages if "Post-infusion monitoring sheet · X-1" in p]
    total = len(sheet_pages)
    assert total >= 2
    for number, page in enumerate(sheet_pages, start=1):
        assert f"Page {number} of {total}" in page


def test_day_packet_also_numbers_pages_through_the_whole_packet() -> None:
    """A packet says where each page sits in it, so a missing page is noticed; one paper alone
    does not (its own "Page x of y" is the whole document)."""
    pages = pages_text(build_day_packet(samples.day_packet(3), OPTIONS))
    for number, page in enumerate(pages, start=1):
        assert f"Packet: Page {number} of {len(pages)}" in page
    single = pages_text(build_monitoring(samples.monitoring(), OPTIONS))
    assert not any("Packet" in page for page in single)


def test_a_draft_packet_marks_only_the_incomplete_session_and_names_no_one_else() -> None:
    """Privacy: each patient's pages say what is missing on that patient's own session and
    carry no other patient's name; a consent form is never a draft because of another
    patient's session; the run sheet (the clinic's list of the day) carries the banner."""
    packet = samples.day_packet(3)
    bad = samples.unstaffed(packet.sessions[1])
    packet = dataclasses.replace(
        packet,
        sessions=(packet.sessions[0], bad, packet.sessions[2]),
        draft_notes={"X-2": "No psychiatrist is assigned (missing-psychiatrist)"},
    )
    note = "X-2 (2026-12-01 08:00, Chair 2): No psychiatrist is assigned (missing-psychiatrist)"
    pdf = build_day_packet(packet, dataclasses.replace(OPTIONS, draft_note=note))
    pages = pages_text(pdf)
    assert DRAFT_PREFIX + note in pages[0]
    names = {s.ref: s.patient.name for s in packet.sessions}
    for page in pages[1:]:
        owner = next(ref for ref in names if f"Post-infusion monitoring sheet · {ref}" in page or
                     f"Consent form · C-000{ref[-1]}" in page)
        others = [name for ref, name in names.items() if ref != owner and name in page]
        assert others == [], f"{owner}'s page names {others}"
        if owner == "X-2" and "Post-infusion monitoring sheet" in page:
            assert DRAFT_PREFIX + "No psychiatrist is assigned (missing-psychiatrist)" in page
        else:
            assert "DRAFT" not in page  # complete sessions and every consent form
    assert any("Consent form · C-0001" in p for p in pages)
    clean = pages_text(build_day_packet(samples.day_packet(3), OPTIONS))
    assert not any("DRAFT" in page for page in clean)


def test_day_packet_reports_progress_up_to_the_end() -> None:
    seen: list[tuple[int, int]] = []
    build_day_packet(
        samples.day_packet(4), OPTIONS, progress=lambda done, total: seen.append((done, total))
    )
    totals = {total for _done, total in seen}
    assert len(totals) == 1
    total = totals.pop()
    assert total == 1 + 4 + 1  # run sheet, four sheets, one consent form
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1] == (total, total)


def test_empty_day_packet_is_one_run_sheet_page() -> None:
    packet = dataclasses.replace(
        samples.day_packet(1), sessions=(), consents={}, day=date(2026, 12, 2)
    )
    pages = pages_text(build_day_packet(packet, OPTIONS))
    assert len(pages) == 1 and "No sessions on this day." in pages[0]


def test_short_blocks_keep_both_staff_in_initials_and_same_names_get_record_numbers() -> None:
    """Regression: in 40- and 60-minute blocks the monitoring clinician line vanished."""
    week = samples.week(per_day=2, days=1, chairs=2)
    first, second = week.days[0].sessions
    short = samples.changed(first, prep_minutes_override=0, recovery_minutes_override=0)
    twin = samples.changed(second, patient={"name": short.patient.name})
    day = dataclasses.replace(week.days[0], sessions=(short, twin))
    page = pages_text(build_week(dataclasses.replace(week, days=(day,)), OPTIONS))[0]
    assert "P: AS · M: TN" in page
    assert "AS = Dr Ana Silva" in page and "TN = Tomás Nuñez" in page
    assert f"{short.patient.name} ({short.patient.record_number})" in page
    assert f"{twin.patient.name} ({twin.patient.record_number})" in page
