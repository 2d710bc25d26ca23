"""Helpers for the record and account GUI tests: a clinic with a ketamine lot, and answering the
modal dialogs a real person would answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from planner.db.engine import Database
from planner.ui.context import AppContext, ChangeHub
from tests.ledger_support import load_clinic, receive

NOW = datetime(2026, 12, 1, 10, 30)


def ledger_context(db: Database) -> AppContext:
    """The clinic of ``tests.ledger_support`` with LOT-0001 (1000 mg) received, at 10:30 on X-1's day."""
    load_clinic(db)
    receive(db)
    return AppContext(db=db, hub=ChangeHub(), clock=lambda: NOW)


def answer(kind: type[QWidget], act: Callable[[Any], None], *, tries: int = 200) -> None:
    """When a modal ``kind`` opens, do ``act`` on it (as the person in front of it would)."""

    def attempt(left: int) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            act(widget)
        elif left:
            QTimer.singleShot(10, lambda: attempt(left - 1))

    QTimer.singleShot(0, lambda: attempt(tries))


def choose(combo: QWidget | None, data: object) -> None:
    assert isinstance(combo, QComboBox)
    index = combo.findData(data)
    assert index >= 0, f"{data!r} is not offered"
    combo.setCurrentIndex(index)
