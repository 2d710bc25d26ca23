"""The document's inventory and session records: round trip, and every ledger refusal of
``load`` (exit 2, the JSON path named, the database untouched) on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from planner.cli import run
from planner.db.engine import Database
from planner.services.clinic_io import document_to_json, dump_document
from tests.factories import base_document
from tests.ledger_support import recorded_document


def _load(url: str, doc: dict[str, Any], tmp_path: Path, *extra: str) -> int:
    path = tmp_path / "clinic.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return run(["--db", url, "load", *extra, str(path)])


def test_inventory_and_records_round_trip(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = recorded_document()
    assert _load(db_url, doc, tmp_path) == 0
    assert "1 lots, 1 counts, 1 session records" in capsys.readouterr().out
    out = tmp_path / "dump.json"
    assert run(["--db", db_url, "dump", "--out", str(out)]) == 0
    dumped = json.loads(out.read_text(encoding="utf-8"))
    assert dumped["inventory"] == doc["inventory"]
    assert dumped["sessions"][0]["record"] == doc["sessions"][0]["record"]
    assert "record" not in dumped["sessions"][1]
    assert list(dumped)[-2:] == ["inventory", "sessions"]
    # load → dump is byte-identical
    assert run(["--db", db_url, "load", "--replace", str(out)]) == 0
    again = tmp_path / "again.json"
    assert run(["--db", db_url, "dump", "--out", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_a_document_without_inventory_dumps_without_it(db: Database, tmp_path: Path) -> None:
    assert _load(db.url, base_document(), tmp_path) == 0
    text = document_to_json(dump_document(db))
    assert '"inventory"' not in text and '"record"' not in text


def _record(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["sessions"][0]["record"]


def _overdraw(doc: dict[str, Any]) -> None:
    _record(doc)["medications"][0]["mg"] = 990


def _expired(doc: dict[str, Any]) -> None:
    doc["inventory"]["lots"][0]["expires"] = "2026-11-30"


def _no_waste_witness(doc: dict[str, Any]) -> None:
    _record(doc)["waste"][0]["witness"] = None


def _same_waste_witness(doc: dict[str, Any]) -> None:
    _record(doc)["waste"][0]["witness"] = "S2"


def _no_count_witness(doc: dict[str, Any]) -> None:
    del doc["inventory"]["counts"][0]["witness"]


def _unexplained_count(doc: dict[str, Any]) -> None:
    doc["inventory"]["counts"][0]["mg"] = 940


def _no_lot_witness(doc: dict[str, Any]) -> None:
    doc["inventory"]["lots"][0]["witness"] = None


def _ketamine_without_lot(doc: dict[str, Any]) -> None:
    _record(doc)["medications"][0]["lot"] = None


def _unknown_lot(doc: dict[str, Any]) -> None:
    _record(doc)["waste"][0]["lot"] = "LOT-0099"


def _count_before_receipt(doc: dict[str, Any]) -> None:
    doc["inventory"]["counts"][0]["date"] = "2026-11-01"


def _wrong_drug(doc: dict[str, Any]) -> None:
    _record(doc)["medications"][1]["lot"] = "LOT-0001"  # ondansetron from a ketamine lot


def _fractional_microgram(doc: dict[str, Any]) -> None:
    _record(doc)["waste"][0]["mg"] = 15.0001


REFUSALS: list[tuple[Callable[[dict[str, Any]], None], str]] = [
    (_overdraw, "sessions[0].record.waste[0].mg: lot LOT-0001 (KX-2291) holds only 10 mg"),
    (
        _expired,
        "sessions[0].record.medications[0].lot: lot LOT-0001 (KX-2291) expired on 2026-11-30",
    ),
    (_no_waste_witness, "sessions[0].record.waste[0].witness: a waste needs a witness"),
    (
        _same_waste_witness,
        "sessions[0].record.waste[0].witness: a waste must be witnessed by a different person",
    ),
    (_no_count_witness, "inventory.counts[0].witness: a count needs a witness"),
    (_unexplained_count, "inventory.counts[0].note: the count of lot LOT-0001 (940 mg) differs"),
    (_no_lot_witness, "inventory.lots[0].witness: the receipt of lot LOT-0001 needs a witness"),
    (
        _ketamine_without_lot,
        "sessions[0].record.medications[0].lot: ketamine is drawn from a named lot",
    ),
    (_unknown_lot, 'sessions[0].record.waste[0].lot: no lot with ref "LOT-0099"'),
    (_count_before_receipt, "inventory.counts[0].date: lot LOT-0001 was received on 2026-11-02"),
    (
        _wrong_drug,
        "sessions[0].record.medications[1].lot: lot LOT-0001 holds ketamine, not ondansetron",
    ),
    (_fractional_microgram, "sessions[0].record.waste[0].mg: give at most 3 decimals"),
]


@pytest.mark.parametrize(
    ("breaking", "expected"), REFUSALS, ids=[f.__name__[1:] for f, _ in REFUSALS]
)
def test_load_refuses_a_document_that_breaks_a_ledger_rule(
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    breaking: Callable[[dict[str, Any]], None],
    expected: str,
) -> None:
    doc = recorded_document()
    breaking(doc)
    assert _load(db_url, doc, tmp_path) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err
    assert run(["--db", db_url, "dump", "--out", str(tmp_path / "empty.json")]) == 0
    empty = json.loads((tmp_path / "empty.json").read_text(encoding="utf-8"))
    assert empty["sessions"] == [] and "inventory" not in empty


def test_replace_never_drops_kept_records(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _load(db_url, recorded_document(), tmp_path) == 0
    capsys.readouterr()
    assert _load(db_url, base_document(), tmp_path, "--replace") == 2
    err = capsys.readouterr().err
    assert "would drop controlled-substance records" in err
    assert "lot LOT-0001" in err and "the record of X-1" in err
    out = tmp_path / "after.json"
    assert run(["--db", db_url, "dump", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["inventory"]["lots"][0]["ref"] == "LOT-0001"
