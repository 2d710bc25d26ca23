"""Kills and races against the commands that replace or copy a whole database.

SIGKILL at random moments during ``load --replace`` and ``backup --out``; a
``restore`` racing batch imports. After each: the database is whole (the old
content or the new, never a mix), the audit chain verifies, no file under a
backup's real name is half-written, and every batch an import reported is in
the database or in the copy a restore kept. Through the real CLI processes.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from planner.cli import run
from planner.db.engine import open_database
from planner.services.backup import verify_backup
from planner.services.clinic_io import dump_document
from tests.factories import base_document, load_into
from tests.safety.conftest import records_in_copy
from tests.safety.test_load_race import _IMPORTER, _finish, _start

ROOT = Path(__file__).resolve().parents[2]
STATS: dict[str, int] = {}
ROUNDS = int(os.environ.get("PLANNER_CRASH_ROUNDS", "8"))


def _count(name: str, n: int = 1) -> None:
    STATS[name] = STATS.get(name, 0) + n


def _big(name: str, patients: int) -> dict[str, Any]:
    doc = base_document()
    doc["clinic"]["name"] = name
    template = doc["patients"][0]
    doc["patients"] = [
        dict(template, ref=f"P-{i}", name=f"{name} {i}", record_number=f"{name[:1]}-{i}")
        for i in range(patients)
    ]
    doc["courses"][0]["patient"] = "P-0"
    return doc


def _kill_at_random(proc: subprocess.Popen[Any], rng: random.Random, most: float) -> bool:
    time.sleep(rng.uniform(0.2, most))
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        return True
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    return False


def test_sigkill_during_load_replace_leaves_old_or_new_never_a_mix(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _big("Old clinic", 600), _big("New clinic", 600)
    docs = []
    for n, doc in enumerate((first, second)):
        path = tmp_path / f"doc{n}.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        docs.append(path)
    db = open_database(db_url)
    load_into(db, first)
    db.close()
    data = tmp_path / "data"
    rng = random.Random(7)
    killed = 0
    for round_no in range(ROUNDS):
        target = docs[(round_no + 1) % 2]
        proc = _start(db_url, data, "load", "--replace", str(target))
        killed += _kill_at_random(proc, rng, 4.0)
        db = open_database(db_url)
        try:
            now = dump_document(db)
        finally:
            db.close()
        assert now in (first, second), f"round {round_no}: the content is a mix"
        assert run(["--db", db_url, "audit", "verify"]) == 0, capsys.readouterr().out
        for copy in (data / "backups").rglob("before-replace-*"):
            assert not copy.name.endswith(".tmp")
            if copy.suffix == ".json":
                assert json.loads(copy.read_text())["clinic"]["name"] in ("Old clinic", "New clinic")
            else:
                check = sqlite3.connect(copy)
                assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                check.close()
        if now != (first if round_no % 2 else second):  # killed before the commit
            db = open_database(db_url)
            try:  # put the expected content back for the alternation
                from planner.interchange.validate import parse_document
                from planner.services.clinic_io import load_document

                load_document(db, parse_document(target.read_bytes()), replace=True)
            finally:
                db.close()
    _count("load --replace killed with SIGKILL", killed)
    assert killed, "no round was killed in the middle"


def test_sigkill_during_backup_never_leaves_a_half_backup(
    db_url: str, tmp_path: Path
) -> None:
    db = open_database(db_url)
    load_into(db, _big("Clinic", 3000))
    data = tmp_path / "data"
    rng = random.Random(3)
    killed = 0
    for round_no in range(ROUNDS):
        out = tmp_path / f"copy-{round_no}"
        proc = _start(db_url, data, "backup", "--out", str(out))
        killed += _kill_at_random(proc, rng, 3.0)
        if out.exists():
            assert verify_backup(db, out) in ("sqlite", "json")
        leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(f".copy-{round_no}")]
        for leftover in leftovers:  # a killed writer's temporary file, never the real name
            assert leftover.name.endswith(".tmp")
    db.close()
    _count("backup killed with SIGKILL", killed)


def test_restore_racing_imports_keeps_every_patient_somewhere(
    db_url: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    db = open_database(db_url)
    load_into(db, _big("Clinic", 800))
    db.close()
    backup = tmp_path / ("early.sqlite3" if db_url.startswith("sqlite") else "early.json")
    assert _finish(_start(db_url, data, "backup", "--out", str(backup)))[0] == 0
    batches = tmp_path / "batches"
    batches.mkdir()
    env = dict(os.environ, PLANNER_DATA_DIR=str(data), PLANNER_USER="importer")
    importer = subprocess.Popen(
        [sys.executable, "-c", _IMPORTER, db_url, str(batches), "30"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    restored = 0
    for _ in range(3):
        code, said = _finish(_start(db_url, data, "restore", str(backup)))
        _count("restore racing imports")
        if code == 0:
            restored += 1
        else:
            assert "another program is writing" in said, said
    out, err = importer.communicate(timeout=600)
    assert "Traceback" not in err, err
    done = [int(line.split()[1]) for line in out.splitlines() if line.endswith("exit 0")]
    found = _records(db_url)
    for kept in (data / "backups").rglob("before-restore-*"):
        found |= records_in_copy(kept)
    lost = [k for k in done if not {f"B{k}-{i}" for i in range(20)} <= found]
    assert not lost, f"batches reported imported but found nowhere: {lost}"
    assert restored and done
    assert run(["--db", db_url, "audit", "verify"]) == 0


def _records(url: str) -> set[str]:
    db = open_database(url)
    try:
        return {p["record_number"] for p in dump_document(db)["patients"]}
    finally:
        db.close()
