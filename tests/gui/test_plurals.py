"""Counts read right: "1 session · 1 error", never "1 errors" or "session(s)"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from planner.services.sessions import set_assignments
from planner.ui.pages.audit_page import AuditPage
from planner.ui.widgets.plural import plural

ROOT = Path(__file__).resolve().parents[2]


def test_plural_picks_the_form() -> None:
    assert plural(1, "1 error", "{n} errors") == "1 error"
    assert plural(0, "1 error", "{n} errors") == "0 errors"
    assert plural(3, "1 page to {where}", "{n} pages to {where}") == "3 pages to {where}"


def test_one_session_with_one_error_is_said_in_the_singular(small_window: Any) -> None:
    set_assignments(small_window.ctx.db, "X-1", [("S1", "psychiatrist")])
    small_window.planner.reload()
    assert small_window.summary.text().startswith("1 session · 1 error · 0 warnings")
    assert small_window.dock.windowTitle() == "Problems this week (1 error, 0 warnings)"


def test_audit_count_in_the_singular(qtbot: Any, small_context: Any) -> None:
    page = AuditPage(small_context)
    qtbot.addWidget(page)
    page.show()
    assert page.count.text() == "1 event"  # the clinic was loaded in one event


def test_no_window_text_hedges_with_s_in_brackets() -> None:
    """No text of the desktop app says "course(s)", "row(s)", "page(s)"."""
    found = []
    for path in (ROOT / "planner" / "ui").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"""["'][^"']*\w\(s\)[^"']*["']""", line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
