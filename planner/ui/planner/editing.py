"""Changing the week from the planner: every change is an undoable command on a service.

Part of the week planner page (``WeekPlannerPage`` mixes it in): moving, editing, booking,
deleting and status changes, the session editor and the move dialog, free-slot finding.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from planner.scheduling.results import SlotProposal
    from planner.services.week import WeekSnapshot
    from planner.ui.context import AppContext
    from planner.ui.planner.what_if import WeekChecker

    _Base = QWidget
else:
    _Base = object


class PlannerEditing(_Base):
    """The page's changes; it relies on the page's week, checker, undo stack and signals."""

    if TYPE_CHECKING:
        ctx: AppContext
        week: WeekSnapshot | None
        checker: WeekChecker | None
        undo_stack: QUndoStack
        editor: QWidget | None
        move_dialog: QWidget | None
        error_box: QMessageBox | None
        message: Any
        undoOffered: Any  # noqa: N815  (a Qt signal's name)

        @property
        def monday(self) -> date: ...

        def selected_ref(self) -> str | None: ...

        def set_week(self, day: date) -> None: ...

        def go_to_session(self, ref: str, *, keep_focus: bool = False) -> None: ...

    # -- changes (all through undo commands) --------------------------------------------
    def show_error(self, text: str) -> None:
        """Say what went wrong without blocking (the dialog is window-modal)."""
        if self.error_box is not None:  # one at a time: the last one read is done with
            self.error_box.deleteLater()
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Not saved"), text, parent=self)
        box.setObjectName("plannerError")
        box.open()
        self.error_box = box
        self.message.emit(text)

    def move_session(self, ref: str, start: datetime, chair_ref: str) -> None:
        from planner.ui.planner.commands import MoveSessionCommand

        s = self.week.session(ref) if self.week else None
        if s is None:
            return
        self.undo_stack.push(
            MoveSessionCommand(
                self.ctx, ref, start=start, chair_ref=chair_ref, version=s.version,
                on_error=self.show_error,
            )
        )

    def move_with_keyboard(self, ref: str | None = None) -> None:
        """Ask for a day, time and chair (the keyboard's drag) and move the session there."""
        from planner.ui.planner.move_dialog import MoveDialog

        ref = ref or self.selected_ref()
        s = self.week.session(ref) if self.week and ref else None
        if s is None or self.week is None:
            return
        checker = self.checker.move if self.checker is not None else None
        dialog = MoveDialog(week=self.week, session=s, checker=checker, parent=self)

        def accepted() -> None:
            target = dialog.target
            if target is not None:
                self.move_session(s.ref, target[0], target[1])
                self.go_to_session(s.ref)

        dialog.accepted.connect(accepted)
        if self.move_dialog is not None:  # one at a time: the last one is done with
            self.move_dialog.deleteLater()
        self.move_dialog = dialog
        dialog.open()

    def set_status(self, ref: str, status: str) -> None:
        from planner.ui.planner.commands import SetStatusCommand

        s = self.week.session(ref) if self.week else None
        if s is None or s.status == status:
            return
        self.undo_stack.push(
            SetStatusCommand(self.ctx, ref, status, version=s.version, on_error=self.show_error)
        )

    def delete_session(self, ref: str) -> None:
        from planner.ui.planner.commands import DeleteSessionCommand

        if self.week is None or self.week.session(ref) is None:
            return
        command = DeleteSessionCommand(self.ctx, ref, on_error=self.show_error)
        self.undo_stack.push(command)
        if command.error is None:  # deleted: say which, with an Undo at hand
            self.undoOffered.emit(self.tr("Deleted {what}.").format(what=command.words))

    def edit_session(self, ref: str) -> None:
        """Open the editor (non-blocking); Save pushes an edit command."""
        from planner.ui.planner.session_editor import SessionEditor

        s = self.week.session(ref) if self.week else None
        if s is None or self.week is None or self.checker is None:
            return
        editor = SessionEditor(week=self.week, checker=self.checker.candidate, session=s, parent=self)
        editor.accepted.connect(lambda: self._save_edit(ref, s.version, editor))
        editor.finished.connect(lambda _result: self._editor_closed(editor))
        self.editor = editor
        editor.open()

    def _save_edit(self, ref: str, version: int, editor: QWidget) -> None:
        from planner.ui.planner.commands import EditSessionCommand
        from planner.ui.planner.session_editor import SessionEditor

        assert isinstance(editor, SessionEditor)
        self.undo_stack.push(
            EditSessionCommand(self.ctx, ref, editor.draft, version=version, on_error=self.show_error)
        )

    def new_session(
        self,
        start: datetime | None = None,
        chair_ref: str | None = None,
        *,
        course_ref: str | None = None,
    ) -> None:
        """Book a session: at a double-clicked slot, or (no slot given) at the first free
        time from now on for the first course that still needs sessions."""
        from planner.services.week import active_courses
        from planner.ui.planner.session_editor import SessionEditor

        if self.week is None or self.checker is None:
            return
        courses = active_courses(self.ctx.db)
        proposal: SlotProposal | None = None
        if start is None:
            start = self._default_start()
            course_ref = course_ref or next(
                (c.ref for c in sorted(courses, key=lambda c: c.patient_name)
                 if c.booked < c.planned_infusions),
                None,
            )
            if course_ref:
                proposal = self._first_free(course_ref, start)
                if proposal is not None and proposal.start.date() not in self.week.days:
                    proposal = None  # nothing free this week: the week's first time, unstaffed
        editor = SessionEditor(
            week=self.week,
            checker=self.checker.candidate,
            courses=courses,
            start=start,
            chair_ref=chair_ref,
            near=self._free_near,
            after=self._first_free,
            now=self.ctx.clock(),
            parent=self,
        )
        if course_ref:
            editor.course_combo.setCurrentIndex(max(0, editor.course_combo.findData(course_ref)))
        if proposal is not None:
            editor.use_proposal(proposal)
        editor.accepted.connect(lambda: self._save_new(editor))
        editor.finished.connect(lambda _result: self._editor_closed(editor))
        self.editor = editor
        editor.open()

    def _default_start(self) -> datetime:
        """Now (to the next quarter hour) when the shown week is this one, else the week's
        first opening; never a time that has already passed."""
        assert self.week is not None
        now = self.ctx.clock()
        for day in self.week.days:
            if not self.week.is_open(day) or day < now.date():
                continue
            opens, closes = self.week.opening_hours[day.weekday()]
            start = datetime.combine(day, opens)
            if day == now.date():
                quarter = now.replace(second=0, microsecond=0) + timedelta(minutes=-now.minute % 15)
                if quarter.time() >= closes:
                    continue
                start = max(start, quarter)
            return start
        first = next((d for d in self.week.days if self.week.is_open(d)), self.monday)
        return datetime.combine(first, self.week.opening_hours.get(first.weekday(), (time(9), time(17)))[0])

    def _free_near(self, course_ref: str, around: datetime) -> list[SlotProposal]:
        from planner.services.free_slots import nearest_free_starts

        return nearest_free_starts(self.ctx.db, around, course=course_ref, not_before=self.ctx.clock())

    def _first_free(self, course_ref: str, after: datetime) -> SlotProposal | None:
        """The first free place for ``course_ref`` from ``after`` on (None when there is none)."""
        from planner.services.planning import find_slots

        found = find_slots(self.ctx.db, course_ref, earliest=after, limit=1, clock=self.ctx.clock)
        return found.proposals[0] if found.proposals else None

    def find_next_free_slot(self) -> None:
        """Book the selected session's patient at their course's next free time."""
        ref = self.selected_ref()
        s = self.week.session(ref) if self.week and ref else None
        if s is None:
            self.message.emit(
                self.tr("Select one of the patient's sessions first (or find the patient with Ctrl+F).")
            )
            return
        from planner.services.base import ServiceError

        try:
            proposal = self._first_free(s.course_ref, max(self.ctx.clock(), s.start))
        except ServiceError as exc:
            self.message.emit(str(exc))
            return
        if proposal is None:
            self.message.emit(
                self.tr("No free time for {name} in the next four weeks.").format(name=s.patient_name)
            )
            return
        self.set_week(proposal.start.date())
        self.new_session(proposal.start, proposal.chair, course_ref=s.course_ref)
        from planner.ui.planner.session_editor import SessionEditor

        editor = self.editor
        if isinstance(editor, SessionEditor):
            editor.use_proposal(proposal)

    def _save_new(self, editor: QWidget) -> None:
        from planner.ui.planner.commands import CreateSessionCommand
        from planner.ui.planner.session_editor import SessionEditor

        assert isinstance(editor, SessionEditor)
        draft = editor.draft
        if draft.course_ref:
            self.undo_stack.push(CreateSessionCommand(self.ctx, draft, on_error=self.show_error))

    def _editor_closed(self, editor: QWidget) -> None:
        if self.editor is editor:
            self.editor = None
        editor.deleteLater()
