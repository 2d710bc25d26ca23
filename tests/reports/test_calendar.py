"""Calendar files read back with the icalendar library, as a calendar program would read them."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from planner.cli import run
from planner.db.engine import Database, open_database
from planner.interchange.ics import computer_zone_name, uid
from planner.services.base import NotFound, ValidationFailed
from planner.services.calendar_export import export_calendar
from planner.services.sessions import move_session
from tests.factories import load_into
from tests.reports.clinics import (
    NURSE,
    PSY,
    course,
    document,
    hours,
    patient,
    person,
    session,
)

FIRST, LAST = datetime(2026, 3, 23).date(), datetime(2026, 4, 3).date()
STAMP = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def dst_clinic(zone: str = "Europe/London") -> dict[str, Any]:
    """Sessions at 09:00 local on each side of Europe's change to summer time (2026-03-29)."""
    weekdays = hours(*((d, "08:00", "18:00") for d in ("MO", "TU", "WE", "TH", "FR")))
    return document(
        policy={"time_zone": zone},
        staff=[
            person("S1", "Dr Ana Silva", [PSY], weekdays),
            person("S2", "Tomás Nuñez", [NURSE], weekdays),
        ],
        patients=[
            patient("P-1", "Zoë Łukasiewicz", 1),
            patient("P-2", "Bruno Brandt", 2),
        ],
        courses=[course("C-1", "P-1"), course("C-2", "P-2")],
        sessions=[
            session(
                "X-1", "C-1", "CH-1", "2026-03-27T09:00", "confirmed", (("S1", PSY), ("S2", NURSE))
            ),
            session(
                "X-2", "C-1", "CH-1", "2026-03-30T09:00", "planned", (("S1", PSY), ("S2", NURSE))
            ),
            session("X-3", "C-1", "CH-2", "2026-04-01T09:00", "cancelled", (("S1", PSY),)),
            session("X-4", "C-2", "CH-2", "2026-03-30T12:00", "planned", (("S2", NURSE),)),
        ],
    )


@pytest.fixture
def clinic_db(db: Database) -> Database:
    load_into(db, dst_clinic())
    return db


def events(data: bytes) -> dict[str, Any]:
    """The events of a calendar file by session ref (the UID's first part)."""
    cal = Calendar.from_ical(data)
    return {str(e["UID"]).split(".", 1)[0]: e for e in cal.walk("VEVENT")}


def unfolded(data: bytes) -> str:
    """The file's text with folded lines joined (a name may be split across two lines)."""
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")


def test_a_staff_members_calendar_in_the_clinics_zone_across_summer_time(
    clinic_db: Database,
) -> None:
    result = export_calendar(clinic_db, FIRST, LAST, staff_ref="S1", now=STAMP)
    found = events(result.data)
    assert sorted(found) == ["X-1", "X-2", "X-3"]  # not X-4: S1 is not assigned to it
    london = ZoneInfo("Europe/London")
    before, after = found["X-1"].decoded("DTSTART"), found["X-2"].decoded("DTSTART")
    # The same clock time on both sides of the change, the right moment on each.
    assert (before.hour, after.hour) == (9, 9)
    assert str(before.tzinfo) == str(after.tzinfo) == "Europe/London"
    assert before.utcoffset() == timedelta(0) and after.utcoffset() == timedelta(hours=1)
    assert before.astimezone(UTC).hour == 9 and after.astimezone(UTC).hour == 8
    assert after == datetime(2026, 3, 30, 9, 0, tzinfo=london)
    # Chair time: 20 + 40 + 60 minutes.
    assert found["X-2"].decoded("DTEND") - after == timedelta(hours=2)
    cal = Calendar.from_ical(result.data)
    zones = list(cal.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Europe/London"]
    assert {str(p["TZNAME"]) for p in zones[0].subcomponents} >= {"GMT", "BST"}
    assert (result.zone, result.events, result.cancelled) == ("Europe/London", 3, 1)
    assert "Psychiatrist" in str(found["X-1"]["SUMMARY"])


def test_new_york_changes_on_its_own_date(db: Database) -> None:
    doc = dst_clinic("America/New_York")
    doc["sessions"][0]["start"] = "2026-03-06T09:00"  # Friday before 2026-03-08
    doc["sessions"][1]["start"] = "2026-03-09T09:00"  # Monday after
    load_into(db, doc)
    found = events(export_calendar(db, datetime(2026, 3, 2).date(), LAST, staff_ref="S1").data)
    assert found["X-1"].decoded("DTSTART").astimezone(UTC).hour == 14  # EST, UTC-5
    assert found["X-2"].decoded("DTSTART").astimezone(UTC).hour == 13  # EDT, UTC-4


def test_uids_stay_the_same_so_a_new_export_updates_the_events(clinic_db: Database) -> None:
    first = events(export_calendar(clinic_db, FIRST, LAST, now=STAMP).data)
    again = events(export_calendar(clinic_db, FIRST, LAST, now=STAMP + timedelta(days=1)).data)
    assert {r: str(e["UID"]) for r, e in first.items()} == {
        r: str(e["UID"]) for r, e in again.items()
    }
    assert str(first["X-2"]["UID"]) == uid("X-2", "lakeside-infusion-clinic")
    move_session(clinic_db, "X-2", start=datetime(2026, 3, 30, 14, 0), chair_ref="CH-2")
    moved = events(export_calendar(clinic_db, FIRST, LAST, now=STAMP + timedelta(days=2)).data)
    assert str(moved["X-2"]["UID"]) == str(first["X-2"]["UID"])
    assert moved["X-2"].decoded("DTSTART").hour == 14
    # A newer SEQUENCE makes calendar programs take the moved time over the old one.
    assert int(moved["X-2"]["SEQUENCE"]) > int(first["X-2"]["SEQUENCE"])
    assert "Chair 2" in str(moved["X-2"]["LOCATION"])


def test_cancelled_sessions_are_cancelled_events(clinic_db: Database) -> None:
    found = events(export_calendar(clinic_db, FIRST, LAST).data)
    assert str(found["X-3"]["STATUS"]) == "CANCELLED"
    assert str(found["X-1"]["STATUS"]) == "CONFIRMED"
    assert str(found["X-2"]["STATUS"]) == "TENTATIVE"


def test_no_patient_name_birth_date_or_record_number_by_default(clinic_db: Database) -> None:
    for who in ({}, {"staff_ref": "S2"}, {"patient_ref": "P-1"}):
        data = export_calendar(clinic_db, FIRST, LAST, **who).data  # type: ignore[arg-type]
        text = unfolded(data)
        for private in ("Zoë", "Łukasiewicz", "Bruno", "Brandt", "1980-05-17", "19800517", "MRN-"):
            assert private not in text, (who, private)
        for event in Calendar.from_ical(data).walk("VEVENT"):
            shown = " ".join(str(event.get(k, "")) for k in ("SUMMARY", "DESCRIPTION", "LOCATION"))
            assert "Zoë" not in shown and "Bruno" not in shown
            assert "Chair" in shown and "X-" in shown


def test_with_names_puts_the_patients_name_in_and_nothing_more(clinic_db: Database) -> None:
    data = export_calendar(clinic_db, FIRST, LAST, with_names=True).data
    found = events(data)
    assert str(found["X-1"]["SUMMARY"]).startswith("Zoë Łukasiewicz")
    assert "Bruno Brandt" in str(found["X-4"]["DESCRIPTION"])
    text = unfolded(data)
    assert "1980-05-17" not in text and "MRN-" not in text


def test_a_patients_calendar_holds_only_their_sessions(clinic_db: Database) -> None:
    result = export_calendar(clinic_db, FIRST, LAST, patient_ref="P-2")
    assert sorted(events(result.data)) == ["X-4"]
    assert "P-2" in str(Calendar.from_ical(result.data)["X-WR-CALNAME"])


def test_unknown_refs_and_both_at_once_are_refused(clinic_db: Database) -> None:
    with pytest.raises(NotFound, match="S9"):
        export_calendar(clinic_db, FIRST, LAST, staff_ref="S9")
    with pytest.raises(NotFound, match="P-9"):
        export_calendar(clinic_db, FIRST, LAST, patient_ref="P-9")
    with pytest.raises(ValidationFailed, match="not both"):
        export_calendar(clinic_db, FIRST, LAST, staff_ref="S1", patient_ref="P-1")


def test_without_a_clinic_zone_the_computers_zone_is_used(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = dst_clinic()
    doc["policy"] = {}
    load_into(db, doc)
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert computer_zone_name() == "Asia/Tokyo"
    result = export_calendar(db, FIRST, LAST, staff_ref="S1")
    assert result.zone == "Asia/Tokyo"
    assert events(result.data)["X-1"].decoded("DTSTART").utcoffset() == timedelta(hours=9)


# -- the command line ------------------------------------------------------------------------


@pytest.fixture
def clinic_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    database = open_database(url)
    load_into(database, dst_clinic())
    database.close()
    return url


def test_export_ics_writes_a_private_file(
    clinic_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cal" / "ana.ics"
    code = run(
        [
            "--db",
            clinic_url,
            "export",
            "ics",
            "--staff",
            "S1",
            "--from",
            "2026-03-23",
            "--to",
            "2026-04-03",
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "3 session(s), 1 cancelled of Dr Ana Silva" in captured.out
    assert "Europe/London" in captured.out
    assert captured.err == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(events(out.read_bytes())) == ["X-1", "X-2", "X-3"]


def test_with_names_warns_on_stderr(
    clinic_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.ics"
    code = run(
        [
            "--db",
            clinic_url,
            "export",
            "ics",
            "--from",
            "2026-03-23",
            "--to",
            "2026-04-03",
            "--out",
            str(out),
            "--with-names",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert "warning" in captured.err and "names patients" in captured.err
    assert "Zoë Łukasiewicz" in unfolded(out.read_bytes())


@pytest.mark.parametrize(
    "args",
    [
        ["--staff", "S9"],
        ["--staff", "S1", "--patient", "P-1"],
        ["--staff", "S1", "--from", "2026-04-03", "--to", "2026-03-23"],
        ["--staff", "S1", "--from", "2026-13-01"],
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    clinic_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    out = tmp_path / "x.ics"
    dates = [] if "--from" in args else ["--from", "2026-03-23", "--to", "2026-04-03"]
    code = run(["--db", clinic_url, "export", "ics", *args, *dates, "--out", str(out)])
    assert code == 2
    assert capsys.readouterr().err.startswith(("error:", "usage:"))
    assert not out.exists()
