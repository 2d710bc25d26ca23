"""The GUI never shows a raw traceback: an unexpected error becomes a dialog naming the log."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from planner.logging_setup import log_file, shutdown_logging  # noqa: E402
from planner.services.base import ServiceError  # noqa: E402
from planner.ui.errors import install_excepthook, uninstall_excepthook  # noqa: E402

#: The offscreen platform says this for every dialog; it is not about our code.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def hooked(qapp: QApplication) -> Iterator[object]:
    reporter = install_excepthook(lambda: None)
    yield reporter
    uninstall_excepthook()
    shutdown_logging()


def _raise_and_capture(exc: BaseException) -> tuple[str, str]:
    """Send ``exc`` through the hook; return the dialog's title and text (then close it)."""
    seen: list[tuple[str, str]] = []

    def close_dialog() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.windowTitle(), box.text()))
            box.done(0)
        else:
            QTimer.singleShot(20, close_dialog)

    QTimer.singleShot(20, close_dialog)
    try:
        raise exc
    except BaseException:
        sys.excepthook(*sys.exc_info())
    assert seen, "no dialog was shown"
    return seen[0]


def test_unexpected_error_shows_what_and_where_the_log_is(hooked: object, qtbot: object) -> None:
    title, text = _raise_and_capture(ZeroDivisionError("division by zero"))
    assert title == "Something went wrong"
    assert "ZeroDivisionError" in text and "division by zero" in text
    assert str(log_file()) in text
    assert "Traceback" not in text and 'File "' not in text
    logged = Path(log_file()).read_text(encoding="utf-8")
    assert "Traceback" in logged and "ZeroDivisionError" in logged


def test_service_errors_read_as_their_message(hooked: object, qtbot: object) -> None:
    _, text = _raise_and_capture(ServiceError("Chair 1 is taken by Ada 09:00–11:00 (X-00002)"))
    assert text.startswith("Chair 1 is taken by Ada")
    assert "ServiceError" not in text


def test_keys_in_an_error_are_hidden(hooked: object, qtbot: object) -> None:
    secret = "sqlite+pysqlcipher://:hunter2-key@//tmp/x.db"
    _, text = _raise_and_capture(RuntimeError(f"cannot open {secret}"))
    assert "hunter2-key" not in text
    assert "hunter2-key" not in Path(log_file()).read_text(encoding="utf-8")


def test_the_log_names_where_but_not_who(hooked: object, qtbot: object) -> None:
    _raise_and_capture(ServiceError("Zoë Łukasiewicz already has session X-00002 09:00–11:00"))
    logged = Path(log_file()).read_text(encoding="utf-8")
    assert "ServiceError" in logged and "test_error_dialog.py" in logged
    assert "Łukasiewicz" not in logged
