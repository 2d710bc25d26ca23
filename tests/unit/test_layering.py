"""The core never imports Qt, and start-up does not pay for heavy modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = [
    "planner.domain",
    "planner.settings",
    "planner.db.models",
    "planner.db.engine",
    "planner.interchange.validate",
    "planner.services.clinic_io",
    "planner.services.sessions",
    "planner.services.patients",
    "planner.services.demo",
    "planner.cli",
    "planner.rules",
    "planner.scheduling",
    "planner.paperwork",
    "planner.services.checking",
    "planner.services.paperwork",
    "planner.services.planning",
    "planner.services.backup",
    "planner.reports",
    "planner.reports.call_list",
    "planner.services.reports",
    "planner.services.call_list",
    "planner.services.calendar_export",
    "planner.interchange.ics",
    "planner.paperwork.report_pdf",
    "planner.paperwork.call_list_pdf",
]


def _imported_after(modules: list[str]) -> set[str]:
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(result.stdout.split())


def test_core_modules_never_import_qt() -> None:
    loaded = _imported_after(CORE)
    assert not {m for m in loaded if m.startswith("PySide6")}


@pytest.mark.parametrize("entry", ["planner.app", "planner.cli"])
def test_startup_does_not_import_heavy_modules(entry: str) -> None:
    loaded = _imported_after([entry])
    heavy = {m for m in loaded if m.split(".")[0] in {"reportlab", "ortools", "PySide6", "pypdf"}}
    assert not heavy


def test_building_the_command_line_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from planner.cli import build_parser\n"
        "build_parser()\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded = set(result.stdout.split())
    assert not {
        m for m in loaded if m.split(".")[0] in {"reportlab", "ortools", "PySide6", "pypdf"}
    }
