"""The clinic's time zone: an IANA name in the policy, checked, kept by dump and load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli import run
from planner.db.engine import open_database
from planner.domain.policy import Policy
from planner.services.clinic_io import dump_document
from tests.factories import base_document, load_into


def test_known_zones_are_accepted_and_others_refused() -> None:
    assert Policy().time_zone == ""  # not set: the computer's zone
    assert Policy.from_overrides({"time_zone": "America/New_York"}).time_zone == "America/New_York"
    assert Policy.from_overrides({"time_zone": " Europe/London "}).time_zone == "Europe/London"
    for bad in ("Mars/Olympus", "../../etc/passwd", "localtime", "Europe/ London", 1):
        with pytest.raises(ValueError):
            Policy.from_overrides({"time_zone": bad})


def test_the_zone_goes_through_dump_and_load(tmp_path: Path) -> None:
    doc = base_document()
    doc["policy"] = {"time_zone": "Europe/Lisbon"}
    database = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    load_into(database, doc)
    assert dump_document(database)["policy"] == {"time_zone": "Europe/Lisbon"}
    database.close()


def test_clinic_time_zone_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    database = open_database(url)
    load_into(database, base_document())
    database.close()
    assert run(["--db", url, "clinic", "time-zone"]) == 0
    assert "not set" in capsys.readouterr().out
    assert run(["--db", url, "clinic", "time-zone", "Atlantis/Lost"]) == 2
    assert "unknown time zone 'Atlantis/Lost'" in capsys.readouterr().err
    assert run(["--db", url, "clinic", "time-zone", "Europe/Berlin"]) == 0
    assert run(["--db", url, "clinic", "time-zone"]) == 0
    assert capsys.readouterr().out.strip().endswith("Europe/Berlin")
    assert run(["--db", url, "dump", "--out", str(tmp_path / "d.json")]) == 0
    assert json.loads((tmp_path / "d.json").read_text())["policy"]["time_zone"] == "Europe/Berlin"
    assert run(["--db", url, "clinic", "time-zone", "--computer"]) == 0
    assert "this computer's" in capsys.readouterr().out
