"""Unexpected errors in the GUI: a clear dialog and a log entry, never a raw traceback.

``install_excepthook(parent_getter)`` replaces ``sys.excepthook`` (and the
thread hook): the full traceback goes to the log file; the user sees what
happened in one sentence and where the log is, so support can be given the
file. ``ServiceError``s that escape a view are shown as plain messages.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from planner.logging_setup import LOGGER, log_file, scrub, setup_logging

ParentGetter = Callable[[], QWidget | None]

_log = logging.getLogger(f"{LOGGER}.errors")


def _tr(text: str) -> str:
    return QApplication.translate("errors", text)


def describe_error(exc: BaseException) -> str:
    """One sentence for the user: the message of a ServiceError, else a plain summary."""
    from planner.services.base import ServiceError
    from planner.services.database import DatabaseError

    if isinstance(exc, ServiceError | DatabaseError):
        return scrub(str(exc))
    detail = scrub(str(exc)).splitlines()[0][:200] if str(exc) else ""
    kind = type(exc).__name__
    return _tr("An unexpected problem stopped this action ({kind}{detail}).").format(
        kind=kind, detail=f": {detail}" if detail else ""
    )


def error_text(exc: BaseException) -> str:
    """The dialog's text: what happened, that nothing half-done was saved, where the log is."""
    return "\n\n".join(
        [
            describe_error(exc),
            _tr("Changes that were not finished were not saved."),
            _tr("Details are in the log file:\n{path}").format(path=log_file()),
        ]
    )


class _Reporter(QObject):
    """Shows the dialog on the GUI thread, one at a time."""

    def __init__(self, parent_getter: ParentGetter) -> None:
        super().__init__()
        self._parent_getter = parent_getter
        self._showing = False
        self.last_text: str | None = None

    def show(self, exc: BaseException) -> None:
        text = error_text(exc)
        self.last_text = text
        if self._showing or QApplication.instance() is None:
            return
        self._showing = True
        try:
            parent = None
            try:
                parent = self._parent_getter()
            except Exception:
                parent = None
            box = QMessageBox(parent)
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle(_tr("Something went wrong"))
            box.setText(text)
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
            box.exec()
        finally:
            self._showing = False


_reporter: _Reporter | None = None


def install_excepthook(parent_getter: ParentGetter) -> _Reporter:
    """Route uncaught exceptions (main and worker threads) to the log and a dialog."""
    global _reporter
    setup_logging()
    reporter = _Reporter(parent_getter)
    _reporter = reporter

    def hook(
        exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        _log.error("unexpected error", exc_info=(exc_type, exc, tb))
        app = QApplication.instance()
        if app is not None and threading.current_thread() is not threading.main_thread():
            QTimer.singleShot(0, app, lambda: reporter.show(exc))
            return
        reporter.show(exc)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook
    return reporter


def uninstall_excepthook() -> None:
    """Put the default hooks back (tests)."""
    global _reporter
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__
    _reporter = None
