"""``load`` and ``load --replace`` race other writers and lose nothing (real CLI processes).

The issue's examples: a ``load`` into an "empty" database while an ``import
patients`` of 3,000 rows runs (both exited 0, the patients were gone), and two
``load``s of different clinics at once (both exited 0, one clinic silently
gone). Now exactly one load wins, the other refuses with a sentence, and every
command that reported success finds its data in the database — or, for what a
``--replace`` swapped out, in the copy it kept. SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from planner.db.engine import open_database
from planner.services.clinic_io import dump_document
from tests.factories import base_document
from tests.safety.conftest import records_in_copy

ROOT = Path(__file__).resolve().parents[2]
#: Races run in this session (read by the summary).
STATS: dict[str, int] = {}


def _count(name: str, n: int = 1) -> None:
    STATS[name] = STATS.get(name, 0) + n


def _start(url: str, data: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PLANNER_DATA_DIR=str(data), PLANNER_USER="racer")
    env.pop("PLANNER_DB_URL", None)
    return subprocess.Popen(
        [sys.executable, "main.py", "--db", url, *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    out, err = proc.communicate(timeout=600)
    assert "Traceback" not in err, err
    assert proc.returncode in (0, 2), (proc.returncode, err)
    if proc.returncode:
        assert err.startswith("error: "), err
    return proc.returncode, out + err


def _clinic(name: str, prefix: str, patients: int = 3) -> dict[str, Any]:
    doc = base_document()
    doc["clinic"]["name"] = name
    template = doc["patients"][0]
    doc["patients"] = [
        dict(template, ref=f"P-{prefix}{i}", name=f"{name} patient {i}",
             record_number=f"{prefix}-MRN-{i}")
        for i in range(patients)
    ]
    doc["courses"][0]["patient"] = f"P-{prefix}0"
    return doc


def _patients(url: str) -> set[str]:
    db = open_database(url)
    try:
        return {p["record_number"] for p in dump_document(db)["patients"]}
    finally:
        db.close()


def _kept_patients(data: Path) -> set[str]:
    """Record numbers in the copies ``load --replace`` kept (SQLite file or JSON)."""
    found: set[str] = set()
    for path in (data / "backups").rglob("before-replace-*"):
        found |= records_in_copy(path)
    return found


def _csv(path: Path, rows: int, tag: str) -> set[str]:
    numbers = {f"{tag}-{i}" for i in range(rows)}
    lines = ["name,dob,mrn,weight"] + [
        f"Imported {tag} {i},1980-01-{i % 28 + 1:02d},{tag}-{i},70" for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return numbers


def _prepare(url: str) -> None:
    """The schema made once (so the race is about the data, not the first migration)."""
    open_database(url).close()


def _wait_for_writing(url: str, proc: subprocess.Popen[str], delay: float) -> None:
    """Let the importer get into its write transaction (or finish)."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)


@pytest.mark.parametrize("rows", [3000])
def test_load_into_an_empty_database_while_an_import_runs_loses_nothing(
    db_url: str, tmp_path: Path, rows: int
) -> None:
    _prepare(db_url)
    data = tmp_path / "data"
    doc = tmp_path / "clinic.json"
    doc.write_text(json.dumps(_clinic("Loaded clinic", "L")), encoding="utf-8")
    imported = _csv(tmp_path / "big.csv", rows, "IMP")
    importer = _start(db_url, data, "import", "patients", str(tmp_path / "big.csv"))
    _wait_for_writing(db_url, importer, 5.0)  # well inside the preview or the write
    loader = _start(db_url, data, "load", str(doc))
    load_code, load_said = _finish(loader)
    import_code, import_said = _finish(importer)
    _count("load racing a 3000-row import")
    final = _patients(db_url)
    if import_code == 0:
        assert imported <= final, "patients an import reported as imported are gone"
    if load_code == 0:
        assert {f"L-MRN-{i}" for i in range(3)} <= final, "a clinic load reported is missing"
    else:
        assert "already holds a clinic" in load_said or "another program is writing" in (
            load_said
        ), load_said
    assert import_code == 0 or load_code == 0, (import_said, load_said)


def test_two_loads_of_different_clinics_exactly_one_wins(db_url: str, tmp_path: Path) -> None:
    _prepare(db_url)
    rng = random.Random(11)
    data = tmp_path / "data"
    docs = []
    for tag in ("A", "B"):
        path = tmp_path / f"{tag}.json"
        path.write_text(json.dumps(_clinic(f"Clinic {tag}", tag, 1500)), encoding="utf-8")
        docs.append(path)
    rounds = int(os.environ.get("PLANNER_RACE_ROUNDS", "4"))
    for round_no in range(rounds):
        if round_no:
            _empty(db_url)
        first = _start(db_url, data, "load", str(docs[0]))
        time.sleep(rng.uniform(0.0, 0.3))
        second = _start(db_url, data, "load", str(docs[1]))
        results = [_finish(first), _finish(second)]
        _count("two loads at once")
        codes = sorted(code for code, _ in results)
        assert codes == [0, 2], results
        loser = next(said for code, said in results if code == 2)
        assert "already holds a clinic" in loser or "another program is writing" in loser, loser
        winner = docs[[code for code, _ in results].index(0)]
        db = open_database(db_url)
        try:
            assert dump_document(db) == json.loads(winner.read_text())
        finally:
            db.close()


def _empty(url: str) -> None:
    """Back to an empty clinic between rounds (the audit trail stays)."""
    from sqlalchemy import delete

    from planner.services.base import unit_of_work
    from planner.services.clinic_io import CONTENT_MODELS

    db = open_database(url)
    try:
        with unit_of_work(db) as session:
            for model in CONTENT_MODELS:
                session.execute(delete(model))
    finally:
        db.close()


_IMPORTER = r"""
import sys
from pathlib import Path
from planner.cli import run
url, folder, batches = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
for k in range(batches):
    csv = folder / f"batch-{k}.csv"
    rows = [f"Batch {k} patient {i},1980-02-{i % 28 + 1:02d},B{k}-{i},70" for i in range(20)]
    csv.write_text("name,dob,mrn,weight\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code = run(["--db", url, "import", "patients", str(csv)])
    print(f"batch {k} exit {code}", flush=True)
"""


def test_replace_racing_imports_keeps_every_patient_somewhere(
    db_url: str, tmp_path: Path
) -> None:
    """What ``--replace`` swaps out is in the copy it kept, taken in the same locked step:
    a batch of patients committed just before the replace is in the copy, one committed
    after it is in the database. An importer commits batch after batch meanwhile."""
    _prepare(db_url)
    data = tmp_path / "data"
    doc = tmp_path / "clinic.json"
    doc.write_text(json.dumps(_clinic("Replacement", "R", 1500)), encoding="utf-8")
    assert _finish(_start(db_url, data, "load", str(doc)))[0] == 0
    batches = tmp_path / "batches"
    batches.mkdir()
    env = dict(os.environ, PLANNER_DATA_DIR=str(data), PLANNER_USER="importer")
    importer = subprocess.Popen(
        [sys.executable, "-c", _IMPORTER, db_url, str(batches), "40"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    rounds = int(os.environ.get("PLANNER_RACE_ROUNDS", "3"))
    replaced = 0
    for _ in range(rounds):
        code, said = _finish(_start(db_url, data, "load", "--replace", str(doc)))
        _count("replace racing imports")
        if code == 0:
            replaced += 1
            assert "backup of the replaced content" in said, said
        else:
            assert "another program is writing" in said, said
    out, err = importer.communicate(timeout=600)
    assert "Traceback" not in err, err
    done = [int(line.split()[1]) for line in out.splitlines() if line.endswith("exit 0")]
    somewhere = _patients(db_url) | _kept_patients(data)
    lost = [k for k in done if not {f"B{k}-{i}" for i in range(20)} <= somewhere]
    assert not lost, f"batches reported imported but found nowhere: {lost}"
    assert replaced and done
