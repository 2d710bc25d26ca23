"""Undo/redo for every change made in the planner: each command calls the session services.

A command that fails (a booking conflict, a change from another workstation)
marks itself obsolete so it leaves the undo stack, and keeps the error for the
page to show. After each call the hub says the sessions changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from planner.services.base import ServiceError
from planner.services.sessions import (
    SessionDraft,
    create_session,
    delete_session,
    draft_of,
    get_session,
    move_session,
    set_status,
    update_session,
)
from planner.ui.context import SESSIONS, AppContext
from planner.ui.widgets.palette import status_label
from planner.ui.widgets.plural import plural

ErrorSink = Callable[[str], None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Commands", text)


def session_words(row: Any) -> str:
    """"Ana Rossi's session on Tue 01 Dec 09:00": how undo, redo and messages name a session
    (a person recognises the patient and the time, not "X-00113")."""
    return _tr("{patient}'s session on {when}").format(
        patient=row.course.patient.name, when=f"{row.start:%a %d %b %H:%M}"
    )


class _ServiceCommand(QUndoCommand):
    """Runs ``_do``/``_undo``; failures are reported once, and the command drops out."""

    def __init__(self, ctx: AppContext, text: str, on_error: ErrorSink | None) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.on_error = on_error
        self.error: str | None = None
        #: The session this command last touched (for selecting it after redo/undo).
        self.focus: str | None = None

    def _run(self, action: Callable[[], None]) -> None:
        try:
            action()
        except ServiceError as exc:
            self.error = str(exc)
            self.setObsolete(True)
            if self.on_error is not None:
                self.on_error(self.error)
        finally:
            self.ctx.hub.notify({SESSIONS})

    def redo(self) -> None:
        self._run(self._do)

    def undo(self) -> None:
        self._run(self._undo)

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class MoveSessionCommand(_ServiceCommand):
    def __init__(
        self,
        ctx: AppContext,
        ref: str,
        *,
        start: datetime,
        chair_ref: str,
        version: int,
        on_error: ErrorSink | None = None,
    ) -> None:
        current = get_session(ctx.db, ref)
        super().__init__(ctx, _tr("Move {session}").format(session=session_words(current)), on_error)
        self.ref = ref
        self.focus = ref
        self.old = (current.start, current.chair.ref)
        self.new = (start, chair_ref)
        self.version: int | None = version

    def _do(self) -> None:
        self.version = move_session(
            self.ctx.db,
            self.ref,
            start=self.new[0],
            chair_ref=self.new[1],
            expected_version=self.version,
        )

    def _undo(self) -> None:
        self.version = move_session(
            self.ctx.db,
            self.ref,
            start=self.old[0],
            chair_ref=self.old[1],
            expected_version=self.version,
        )


class EditSessionCommand(_ServiceCommand):
    def __init__(
        self,
        ctx: AppContext,
        ref: str,
        draft: SessionDraft,
        *,
        version: int,
        on_error: ErrorSink | None = None,
        text: str | None = None,
    ) -> None:
        current = get_session(ctx.db, ref)
        words = session_words(current)
        super().__init__(ctx, text or _tr("Edit {session}").format(session=words), on_error)
        self.ref = ref
        self.focus = ref
        self.before = draft_of(current)
        self.after = draft
        self.version: int | None = version

    def _do(self) -> None:
        self.version = update_session(
            self.ctx.db, self.ref, self.after, expected_version=self.version
        )

    def _undo(self) -> None:
        self.version = update_session(
            self.ctx.db, self.ref, self.before, expected_version=self.version
        )


class SetStatusCommand(_ServiceCommand):
    def __init__(
        self,
        ctx: AppContext,
        ref: str,
        status: str,
        *,
        version: int,
        on_error: ErrorSink | None = None,
    ) -> None:
        current = get_session(ctx.db, ref)
        super().__init__(
            ctx,
            _tr("Mark {session} {status}").format(
                session=session_words(current), status=status_label(status).lower()
            ),
            on_error,
        )
        self.ref = ref
        self.focus = ref
        self.old_status = current.status
        self.status = status
        self.version: int | None = version

    def _do(self) -> None:
        self.version = set_status(self.ctx.db, self.ref, self.status, expected_version=self.version)

    def _undo(self) -> None:
        self.version = set_status(
            self.ctx.db, self.ref, self.old_status, expected_version=self.version
        )


class CreateSessionCommand(_ServiceCommand):
    """Undo deletes the new session; redo books it again (under a new ref)."""

    def __init__(
        self, ctx: AppContext, draft: SessionDraft, *, on_error: ErrorSink | None = None
    ) -> None:
        super().__init__(ctx, _tr("New session"), on_error)
        self.draft = draft
        self.ref: str | None = None

    def _do(self) -> None:
        self.ref = create_session(self.ctx.db, self.draft)
        self.focus = self.ref
        self.setText(_tr("Book {session}").format(session=session_words(get_session(self.ctx.db, self.ref))))

    def _undo(self) -> None:
        if self.ref is not None:
            delete_session(self.ctx.db, self.ref)
            self.focus = None


class DeleteSessionCommand(_ServiceCommand):
    """Undo books the same session again (same time, chair, durations and staff)."""

    def __init__(self, ctx: AppContext, ref: str, *, on_error: ErrorSink | None = None) -> None:
        current = get_session(ctx.db, ref)
        self.words = session_words(current)
        super().__init__(ctx, _tr("Delete {session}").format(session=self.words), on_error)
        self.ref = ref
        self.draft = draft_of(current)

    def _do(self) -> None:
        delete_session(self.ctx.db, self.ref)
        self.focus = None

    def _undo(self) -> None:
        self.ref = create_session(self.ctx.db, self.draft)
        self.focus = self.ref


class ApplyAutoplanCommand(_ServiceCommand):
    """Books an auto-plan proposal in one transaction; undo deletes those sessions again."""

    def __init__(self, ctx: AppContext, result: Any, *, on_error: ErrorSink | None = None) -> None:
        super().__init__(
            ctx,
            plural(len(result.placed), _tr("Auto-plan: book 1 session"), _tr("Auto-plan: book {n} sessions")),
            on_error,
        )
        self.result = result
        self.refs: tuple[str, ...] = ()

    def _do(self) -> None:
        from planner.services.planning import apply_autoplan

        self.refs = apply_autoplan(self.ctx.db, self.result)
        self.focus = self.refs[0] if self.refs else None

    def _undo(self) -> None:
        for ref in reversed(self.refs):
            delete_session(self.ctx.db, ref)
        self.refs = ()
        self.focus = None
