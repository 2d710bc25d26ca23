"""The one way the pages change data: run a service call, tell the pages what changed, or say why not.

Every change the user makes goes through ``commit`` (errors left to the caller,
as an edit dialog shows a ``ValidationFailed`` next to its fields) or ``attempt``
(a ``ServiceError`` shown in a message box). After a successful call the hub
says which kinds of data changed, and each page decides whether to refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from planner.services.base import ConcurrentEdit, ServiceError, ValidationFailed
from planner.ui.context import AppContext

T = TypeVar("T")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Pages", text)


def show_error(parent: QWidget | None, exc: ServiceError, title: str | None = None) -> None:
    """Tell the user what went wrong, in words they can act on (never a traceback)."""
    if isinstance(exc, ConcurrentEdit):
        heading = _tr("Changed elsewhere")
    elif isinstance(exc, ValidationFailed):
        heading = _tr("Not saved")
    else:
        heading = title or _tr("Could not complete")
    QMessageBox.warning(parent, heading, str(exc))


def commit(ctx: AppContext, action: Callable[[], T], changes: Iterable[str]) -> T:
    """Run one service call; when it succeeds, tell the pages which ``changes`` it made."""
    result = action()
    ctx.hub.notify(changes)
    return result


def attempt(
    ctx: AppContext,
    parent: QWidget | None,
    action: Callable[[], object],
    changes: Iterable[str],
    *,
    title: str | None = None,
) -> bool:
    """``commit``, showing a ``ServiceError`` to the user; True when the change was made."""
    try:
        commit(ctx, action, changes)
    except ServiceError as exc:
        show_error(parent, exc, title)
        return False
    return True


def save_or_show(
    dialog: QDialog,
    problems: dict[str, str],
    save: Callable[[], object],
    show_problems: Callable[[dict[str, str]], None],
) -> bool:
    """The save step of every edit dialog: problems next to their fields, or save and close.

    Nothing is saved while ``problems`` (checked before saving) is non-empty; a
    ``ValidationFailed`` from the service lands next to its fields too, any other
    ``ServiceError`` in a message box. Returns True when the dialog was accepted.
    """
    if problems:
        show_problems(problems)
        return False
    try:
        save()
    except ValidationFailed as exc:
        show_problems(exc.fields or {"name": str(exc)})
        return False
    except ServiceError as exc:
        show_error(dialog, exc)
        return False
    show_problems({})
    dialog.accept()
    return True
