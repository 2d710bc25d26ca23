"""Crashes that should be sentences: extreme dates, a clinic with 160 chairs, a native crash.

The issue's examples: ``--from 9999-12-31``, ``--week 9999-W52``, ``--date 0001-01-01``
and ``autoplan --from 9999-12-01`` exited 70; ``export week`` with 150+ chairs crashed;
the app once vanished with no dialog and no log.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import run
from planner.db.engine import open_database
from tests.factories import base_document, load_into

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def url(tmp_path: Path) -> str:
    address = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    db = open_database(address)
    load_into(db, base_document())
    db.close()
    return address


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--from", "9999-12-31"],
        ["check", "--to", "9999-12-31"],
        ["check", "--from", "0001-01-01"],
        ["check", "--from", "0001-01-01", "--to", "0001-01-01"],
        ["export", "week", "--week", "9999-W52"],
        ["export", "week", "--week", "9999-12-31"],
        ["export", "week", "--week", "0001-W01"],
        ["export", "day", "--date", "0001-01-01"],
        ["export", "day", "--date", "9999-12-31"],
        ["autoplan", "--from", "9999-12-01", "--to", "9999-12-31"],
        ["autoplan", "--from", "0001-01-01", "--to", "0001-01-03"],
    ],
)
def test_extreme_dates_are_a_sentence_not_a_crash(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    if args[0] == "export":
        args = [*args, "--out", str(tmp_path / "out.pdf")]
    code = run(["--db", url, *args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "error: " in err and "outside the dates this planner works with" in err, err
    assert "Traceback" not in err and "went wrong" not in err
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--from", "2000-01-01", "--to", "2000-01-07"],
        ["export", "week", "--week", "2099-W52"],
        ["export", "day", "--date", "2099-12-31"],
        ["autoplan", "--from", "2099-12-01", "--to", "2099-12-31"],
    ],
)
def test_the_edges_of_the_range_work(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    if args[0] == "export":
        args = [*args, "--out", str(tmp_path / "out.pdf")]
    assert run(["--db", url, *args]) == 0, capsys.readouterr().err


def test_a_week_with_160_chairs_continues_over_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.paperwork.pdfcheck import pages_text

    doc = base_document()
    doc["chairs"] = [
        {"ref": f"CH-{i}", "name": f"Recliner {i:03d}", "room": f"Room {i // 10}"}
        for i in range(1, 161)
    ]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    address = f"sqlite:///{tmp_path / 'big.sqlite3'}"
    assert run(["--db", address, "load", str(path)]) == 0
    out = tmp_path / "week.pdf"
    assert run(["--db", address, "export", "week", "--week", "2026-W49", "--out", str(out)]) == 0
    capsys.readouterr()
    pages = [" ".join(p.split()) for p in pages_text(out.read_bytes())]
    joined = " ".join(pages)
    for i in range(1, 161):
        assert f"Recliner {i:03d}" in joined, f"chair {i} is on no page"
    tuesday = [p for p in pages if "Tuesday 2026-12-01" in p]
    assert len(tuesday) > 1 and "part 1 of" in tuesday[0] and "of 160" in tuesday[0]
    assert any("X-1" in p for p in tuesday), "the session is on no page of its day"


def test_a_native_crash_leaves_its_stack_in_the_log_file(url: str, tmp_path: Path) -> None:
    """Started through the real entry point; then the process dies of a segmentation fault."""
    data = tmp_path / "data"
    script = (
        "import ctypes, sys; from planner.app import main; "
        "main(['--db', sys.argv[1], 'audit', 'verify']); ctypes.string_at(0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, url], cwd=ROOT, capture_output=True, text=True,
        env=dict(os.environ, PLANNER_DATA_DIR=str(data)), timeout=120,
    )
    assert done.returncode < 0 or done.returncode == 139
    log = data / "logs" / "planner.log"
    text = log.read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in text and "string_at" in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
