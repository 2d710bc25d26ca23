"""Protocols: the record's limits, unique names, a used protocol stays; consent wording per protocol."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from planner.db.engine import Database
from planner.domain.records import Protocol
from planner.services import consent_templates as ct
from planner.services import protocols as ps
from planner.services.base import ServiceError, ValidationFailed
from tests.factories import base_document, load_into


def test_used_protocol_cannot_be_deleted_but_edited(db: Database) -> None:
    load_into(db, base_document())
    (row,) = ps.list_protocols(db)
    assert row.courses == 1
    with pytest.raises(ServiceError, match="used by 1 course"):
        ps.delete_protocol(db, row.protocol.ref)
    ps.update_protocol(db, replace(row.protocol, infusion_minutes=50), expected_version=row.version)
    assert ps.list_protocols(db)[0].protocol.infusion_minutes == 50
    with pytest.raises(ValidationFailed) as caught:
        ps.create_protocol(db, Protocol(ref="", name=row.protocol.name.upper(), dose_mg_per_kg=0.0))
    assert set(caught.value.fields) == {"name", "dose_mg_per_kg"}
    assert caught.value.fields["dose_mg_per_kg"] == "must be between 0.01 and 20"


def test_an_unused_protocol_is_created_and_deleted(sqlite_db: Database) -> None:
    ref = ps.create_protocol(sqlite_db, Protocol(ref="", name="Esketamine", infusions=8))
    assert [(r.protocol.ref, r.protocol.infusions, r.courses) for r in ps.list_protocols(sqlite_db)] == [
        (ref, 8, 0)
    ]
    ps.delete_protocol(sqlite_db, ref)
    assert ps.list_protocols(sqlite_db) == []


def test_consent_wording_is_imported_once_and_chosen_per_protocol(
    sqlite_db: Database, tmp_path: Path
) -> None:
    with pytest.raises(ValidationFailed, match="not a file"):
        ct.read_wording_file(tmp_path / "missing.txt")
    with pytest.raises(ValidationFailed, match="not a file"):
        ct.read_wording_file("/dev/zero")
    (tmp_path / "latin1.txt").write_bytes("Jürgen".encode("latin-1"))
    with pytest.raises(ValidationFailed, match="UTF-8"):
        ct.read_wording_file(tmp_path / "latin1.txt")
    (tmp_path / "huge.txt").write_bytes(b"a" * (ct.MAX_FILE_BYTES + 1))
    with pytest.raises(ValidationFailed, match="larger"):
        ct.read_wording_file(tmp_path / "huge.txt")
    with pytest.raises(ValidationFailed, match="NUL"):
        ct.import_template(sqlite_db, "Bad", "text\x00")
    protocol = ps.create_protocol(sqlite_db, Protocol(ref="", name="Ketamine"))
    template = tmp_path / "consent.txt"
    template.write_text("Our wording", encoding="utf-8")
    ref = ct.import_template(
        sqlite_db, "Ours", ct.read_wording_file(template), protocols=[protocol]
    )
    [row] = ct.list_templates(sqlite_db)
    assert (row.template.ref, row.template.text, row.protocols) == (ref, "Our wording", (protocol,))
    (shown,) = ps.list_protocols(sqlite_db)
    assert shown.protocol.consent_template == row.template
    ps.update_protocol(sqlite_db, replace(shown.protocol, infusions=4), expected_version=shown.version)
    assert ct.list_templates(sqlite_db)[0].protocols == (protocol,)  # an edit keeps the wording
    with pytest.raises(ServiceError, match="used by 1 protocol"):
        ct.delete_template(sqlite_db, ref)
    ct.use_template(sqlite_db, protocol, None)
    ct.delete_template(sqlite_db, ref)
    assert ct.list_templates(sqlite_db) == []
