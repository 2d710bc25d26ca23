"""The app's log file: in the user's log folder, owner-only, never holding secrets.

Log lines may name refs (``P-0001``, ``X-00012``) but never patient details;
callers log refs only. As a second line of defence every record passes a
filter that hides database keys (``sqlite+pysqlcipher://:KEY@``, ``PRAGMA
key=...``) and passwords in database URLs, including inside tracebacks.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from planner.db.crypto import redact
from planner.settings import log_dir

LOG_NAME = "planner.log"
LOGGER = "planner"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def scrub(text: str) -> str:
    """``text`` without database keys, URL credentials or the passwords in use."""
    return redact(text)


class _SecretFilter(logging.Filter):
    """Rewrites each record's message (and traceback text) without secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the record as it is
            return True
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            kind, exc, tb = record.exc_info
            record.exc_text = safe_exception_text(kind, exc, tb)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


def safe_exception_text(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """Where it happened (every frame) and what kind of error — without patient details.

    The app's own error messages name patients and times, so only their type is
    logged; other messages keep their first line, without keys, SQL or values.
    """
    from planner.services.base import ServiceError

    if isinstance(exc, ServiceError):
        message = "(message not logged: it may name a patient)"
    else:
        lines = str(exc).splitlines()
        message = scrub(lines[0][:300]) if lines else ""
    frames = "".join(traceback.format_tb(tb))
    return f"Traceback (most recent call last):\n{frames}{exc_type.__name__}: {message}"


class _PrivateFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file created readable by the owner only."""

    def _open(self) -> Any:
        path = Path(self.baseFilename)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
        return super()._open()


def log_file() -> Path:
    return log_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the ``planner`` logger to the log file (idempotent); returns the file's path."""
    path = log_file()
    logger = logging.getLogger(LOGGER)
    logger.setLevel(level)
    for handler in logger.handlers:
        if isinstance(handler, _PrivateFileHandler) and Path(handler.baseFilename) == path:
            return path
    handler = _PrivateFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(_SecretFilter())
    logger.addHandler(handler)
    return path


_crash_file: Any = None


def enable_crash_traces() -> Path | None:
    """Native crashes (a segfault in Qt, a driver, the interpreter) leave their stack in
    the log file: the app may vanish without a dialog, but never without a trace.

    Returns the file, or None when it cannot be opened (the app still starts).
    """
    global _crash_file
    import faulthandler

    if _crash_file is not None:
        return Path(_crash_file.name)
    try:
        path = log_file()
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        _crash_file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the process
    except OSError:
        return None
    faulthandler.enable(_crash_file, all_threads=True)
    return path


def shutdown_logging() -> None:
    """Close the log file (tests switch data folders between runs)."""
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        if isinstance(handler, _PrivateFileHandler):
            logger.removeHandler(handler)
            handler.close()
