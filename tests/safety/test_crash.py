"""Crash safety: a writer killed with SIGKILL at random moments loses nothing it committed.

A forked child books sessions (and imports patient batches) through the
services in a loop, telling the parent through a pipe before and after each
commit; the parent kills it with SIGKILL after a random delay. After every
round the database must open, pass ``PRAGMA integrity_check`` and hold exactly
the committed transactions: every reported commit, plus at most the one that
was in flight, complete (its staff and audit event) or not at all.

Rounds: ``CRASH_ROUNDS`` here; ``PLANNER_CRASH_ROUNDS`` raises it, and the
``slow`` test runs many more.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from planner.db.engine import open_database
from planner.db.models import Assignment, AuditEvent, InfusionSession, Patient
from tests.factories import base_document, load_into

CRASH_ROUNDS = int(os.environ.get("PLANNER_CRASH_ROUNDS", "40"))
SLOW_ROUNDS = 300
BASE = datetime(2027, 1, 4, 8, 0)
IMPORT_BATCH = 15
#: Figures of the rounds run in this session (for the summary).
RESULTS: dict[str, int] = {}
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")


def _start(round_no: int, k: int) -> datetime:
    return BASE + timedelta(hours=3 * (round_no * 2000 + k))


def _csv(round_no: int, k: int) -> str:
    lines = ["name,dob,mrn,weight"]
    lines += [
        f"Crash {round_no}-{k}-{i},1980-01-{(i % 28) + 1:02d},R{round_no}-{k}-{i},70"
        for i in range(IMPORT_BATCH)
    ]
    return "\n".join(lines) + "\n"


def _child(url: str, fd: int, round_no: int) -> None:
    """Write forever; report each step on ``fd`` (never returns: killed by the parent)."""
    from planner.services.patient_import import import_patients, preview_patient_csv
    from planner.services.sessions import SessionDraft, create_session

    db = open_database(url)
    os.write(fd, b"ready\n")
    for k in range(10**6):
        if k % 5 == 4:
            preview = preview_patient_csv(db, _csv(round_no, k), dayfirst=True)
            os.write(fd, f"begin import {k}\n".encode())
            import_patients(db, preview)
            os.write(fd, f"done import {k}\n".encode())
            continue
        draft = SessionDraft(
            course_ref="C-0001",
            chair_ref="CH-1" if k % 2 else "CH-2",
            start=_start(round_no, k),
            assignments=(("S1", "psychiatrist"), ("S2", "infusion_nurse")),
        )
        os.write(fd, f"begin session {k}\n".encode())
        create_session(db, draft)
        os.write(fd, f"done session {k}\n".encode())


def _run_and_kill(url: str, round_no: int, rng: random.Random) -> list[str]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            os.close(read_end)
            _child(url, write_end, round_no)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        first = pipe.readline()
        assert first == b"ready\n", "the writer did not start"
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(pid, signal.SIGKILL)
        rest = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
        "the writer stopped by itself (it should run until killed)"
    )
    return rest.decode().splitlines()


def _integrity(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [str(r[0]) for r in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()


def _survive(tmp_path: Path, rounds: int, seed: int) -> dict[str, int]:
    path = tmp_path / "crash.sqlite3"
    url = f"sqlite:///{path}"
    db = open_database(url)
    load_into(db, base_document())
    db.close()
    rng = random.Random(seed)
    committed_starts: set[datetime] = {datetime(2026, 12, 1, 9, 0)}
    committed_patients = 1
    stats = {"rounds": 0, "commits": 0, "in_flight_kept": 0, "in_flight_lost": 0}
    for round_no in range(rounds):
        lines = _run_and_kill(url, round_no, rng)
        done = [line.split() for line in lines if line.startswith("done")]
        begun = [line.split() for line in lines if line.startswith("begin")]
        in_flight = begun[-1] if begun and len(begun) > len(done) else None

        assert _integrity(path) == ["ok"], f"round {round_no}: integrity check failed"
        check = open_database(url)  # opens (and finds the schema at head)
        try:
            with check.begin() as session:
                starts = set(session.scalars(select(InfusionSession.start)).all())
                staffed = session.execute(
                    select(InfusionSession.start, func.count(Assignment.id))
                    .join(Assignment, isouter=True)
                    .group_by(InfusionSession.id)
                ).all()
                patients = session.scalar(select(func.count(Patient.id))) or 0
                booked_events = session.scalar(
                    select(func.count(AuditEvent.id)).where(
                        AuditEvent.entity == "session", AuditEvent.action == "create"
                    )
                ) or 0
        finally:
            check.close()
        for _, kind, k in done:
            if kind == "session":
                committed_starts.add(_start(round_no, int(k)))
            else:
                committed_patients += IMPORT_BATCH
        extra_starts = starts - committed_starts
        missing = committed_starts - starts
        assert not missing, f"round {round_no}: committed sessions lost: {sorted(missing)}"
        extra_patients = patients - committed_patients
        assert extra_patients in (0, IMPORT_BATCH), (
            f"round {round_no}: a patient import was half-written ({extra_patients} extra)"
        )
        allowed = set()
        if in_flight is not None and in_flight[1] == "session":
            allowed = {_start(round_no, int(in_flight[2]))}
        if in_flight is None or in_flight[1] != "import":
            assert extra_patients == 0, f"round {round_no}: patients nobody imported"
        assert extra_starts <= allowed, f"round {round_no}: sessions nobody booked"
        # Every session is whole: both staff assigned, one audit event per booking.
        assert all(n == 2 for start, n in staffed if start != datetime(2026, 12, 1, 9, 0))
        assert booked_events == len(starts) - 1
        if extra_starts or extra_patients:
            stats["in_flight_kept"] += 1
        elif in_flight is not None:
            stats["in_flight_lost"] += 1
        committed_starts |= extra_starts
        committed_patients += extra_patients
        stats["rounds"] += 1
        stats["commits"] += len(done)
    for key, value in stats.items():
        RESULTS[key] = RESULTS.get(key, 0) + value
    return stats


def test_kill_9_during_writes_loses_no_committed_transaction(tmp_path: Path) -> None:
    stats = _survive(tmp_path, CRASH_ROUNDS, seed=20261129)
    print(f"kill -9 rounds survived: {stats}")
    assert stats["rounds"] == CRASH_ROUNDS
    assert stats["commits"] > 0, "the writer never committed anything before being killed"


@pytest.mark.slow
def test_kill_9_many_rounds(tmp_path: Path) -> None:
    stats = _survive(tmp_path, SLOW_ROUNDS, seed=7)
    print(f"kill -9 rounds survived: {stats}")
    assert stats["rounds"] == SLOW_ROUNDS
