"""The call list of a day on screen: whom to call, their numbers, and what to go through.

Marking a session confirmed or cancelled here is the planner's own status
change (an undo command calling the session service; the hub then tells
every view, this list included, that the sessions changed). Print opens the
call list PDF with its boxes to tick.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QBrush, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.reports.call_list import Call, CallList
from planner.services.base import ServiceError
from planner.services.call_list import call_list
from planner.ui.context import SESSION_TARGET, SESSIONS, AppContext
from planner.ui.pages.common import (
    MUTED_BRUSH,
    ROW_ROLE,
    Column,
    RowTableModel,
    compact_rows,
    tr,
)
from planner.ui.widgets.limits import calendar_field
from planner.ui.widgets.palette import error_text_color, status_label
from planner.ui.widgets.plural import plural

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def call_columns() -> list[Column[Call]]:
    def muted(call: Call) -> QBrush | None:
        return None if call.status in ("planned", "confirmed") else MUTED_BRUSH

    return [
        Column(tr("Arrive"), lambda c: f"{c.arrival:%H:%M}", foreground=muted),
        Column(tr("Infusion"), lambda c: f"{c.infusion_start:%H:%M}", foreground=muted),
        Column(tr("Chair"), lambda c: c.chair, foreground=muted),
        Column(
            tr("Patient"),
            lambda c: f"{c.patient_name} ({c.patient_ref})",
            foreground=muted,
            tooltip=lambda c: tr("{0} · infusion {1} of {2}").format(c.session_ref, c.number, c.of),
        ),
        Column(tr("Phone"), lambda c: c.patient_phone or tr("NONE ON FILE"), foreground=muted),
        Column(tr("Escort"), lambda c: c.escort_name or tr("NONE ON FILE"), foreground=muted),
        Column(tr("Escort phone"), lambda c: c.escort_phone, foreground=muted),
        Column(tr("Status"), lambda c: status_label(c.status), foreground=muted),
    ]


def instructions_html(calls: CallList) -> str:
    """The preparation instructions as simple rich text for a label."""
    parts: list[str] = []
    points: list[str] = []

    def flush() -> None:
        if points:
            parts.append("<ul>" + "".join(f"<li>{p}</li>" for p in points) + "</ul>")
            points.clear()

    for block in calls.instructions:
        text = _BOLD.sub(r"<b>\1</b>", escape(block.text))
        if block.kind == "bullet":
            points.append(text)
            continue
        flush()
        parts.append(f"<b>{text}</b>" if block.kind in ("title", "heading") else f"<p>{text}</p>")
    flush()
    return "".join(parts)


class CallListDialog(QDialog):
    """Non-modal: the planner stays usable while the calls are made."""

    def __init__(
        self,
        *,
        ctx: AppContext,
        undo_stack: QUndoStack,
        day: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.undo_stack = undo_stack
        self.setObjectName("call_list_dialog")
        self.setWindowTitle(self.tr("Call list"))
        self.calls: CallList | None = None
        self.preview: QWidget | None = None
        self.model: RowTableModel[Call] = RowTableModel(call_columns(), self)

        self.day = calendar_field(day, "call_list_day", name=self.tr("Day of the sessions"))
        self._day = self.day.value() or day
        day_label = QLabel(self.tr("&Day:"))
        day_label.setBuddy(self.day)
        self.count = QLabel()
        self.count.setObjectName("call_list_count")
        self.print_button = QPushButton(self.tr("&Print call list…"))
        self.print_button.setObjectName("call_list_print")
        self.print_button.setAccessibleName(self.tr("Print the call list"))
        top = QHBoxLayout()
        top.addWidget(day_label)
        top.addWidget(self.day)
        top.addWidget(self.count, 1)
        top.addWidget(self.print_button)

        self.instructions = QLabel()
        self.instructions.setObjectName("call_list_instructions")
        self.instructions.setWordWrap(True)
        self.instructions.setTextFormat(Qt.TextFormat.RichText)
        self.instructions.setAccessibleName(self.tr("Preparation to go through"))

        self.table = QTableView()
        self.table.setObjectName("call_list_table")
        self.table.setAccessibleName(self.tr("Sessions to call about"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        compact_rows(self.table)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.confirm_button = self._button("call_list_confirm", self.tr("Mark &confirmed"))
        self.cancel_button = self._button("call_list_cancel", self.tr("Mark ca&ncelled"))
        self.undo_button = self._button("call_list_undo", self.tr("&Undo"))
        self.show_button = self._button("call_list_show", self.tr("&Show in planner"))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.confirm_button, self.cancel_button, self.undo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_button)
        buttons.addWidget(close)
        self.message = QLabel()
        self.message.setObjectName("call_list_message")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.instructions)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.resize(980, 620)

        self.confirm_button.clicked.connect(lambda: self.mark("confirmed"))
        self.cancel_button.clicked.connect(lambda: self.mark("cancelled"))
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_button.setEnabled(self.undo_stack.canUndo())
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setShortcut(QKeySequence("Ctrl+Z"))
        self.show_button.clicked.connect(self._show_in_planner)
        self.print_button.clicked.connect(self.print_list)
        self.day.dateChanged.connect(self._day_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        ctx.hub.changed.connect(self._changed)
        self.refresh()

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", ""))
        return button

    @property
    def shown_day(self) -> date:
        """The day listed (the last one typed whole, while a new one is being typed)."""
        return self._day

    def _day_changed(self) -> None:
        value = self.day.value()
        if value is not None and value != self._day:
            self._day = value
            self.refresh()

    # -- reading ----------------------------------------------------------------------
    def _changed(self, kinds: frozenset[str]) -> None:
        if SESSIONS in kinds or len(kinds) > 1:
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        keep = self.selected()
        self.message.clear()
        try:
            self.calls = call_list(self.ctx.db, self.shown_day)
        except ServiceError as exc:
            self.calls = None
            self.model.set_rows(())
            self.count.setText(str(exc))
            self._update_buttons()
            return
        self.model.set_rows(self.calls.calls)
        self.instructions.setText(instructions_html(self.calls))
        sessions = plural(len(self.calls.calls), self.tr("1 session"), self.tr("{n} sessions"))
        self.count.setText(
            self.tr("{sessions}, {n} to call").format(sessions=sessions, n=len(self.calls.to_call))
        )
        if keep is not None:
            self.select(keep.session_ref)
        self._update_buttons()

    def selected(self) -> Call | None:
        rows = self.table.selectionModel().selectedRows()
        call = rows[0].data(ROW_ROLE) if rows else None
        return call if isinstance(call, Call) else None

    def select(self, session_ref: str) -> None:
        for row, call in enumerate(self.model.rows()):
            if call.session_ref == session_ref:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        call = self.selected()
        self.confirm_button.setEnabled(call is not None and call.status == "planned")
        self.cancel_button.setEnabled(call is not None and call.status in ("planned", "confirmed"))
        self.show_button.setEnabled(call is not None)
        self.print_button.setEnabled(self.calls is not None)

    # -- acting -----------------------------------------------------------------------
    def mark(self, status: str) -> None:
        """Mark the selected session ``status`` through the planner's undoable change."""
        from planner.ui.planner.commands import SetStatusCommand

        call = self.selected()
        if call is None or call.status == status:
            return
        errors: list[str] = []
        self.undo_stack.push(
            SetStatusCommand(
                self.ctx, call.session_ref, status, version=call.version, on_error=errors.append
            )
        )
        if errors:
            self.message.setStyleSheet(f"color: {error_text_color(self.palette())};")
            self.message.setText(errors[0])
            return
        self.message.setStyleSheet("")
        self.message.setText(
            self.tr("{ref} ({name}) marked {status}. Undo with Ctrl+Z.").format(
                ref=call.session_ref, name=call.patient_name, status=status_label(status).lower()
            )
        )

    def _show_in_planner(self) -> None:
        call = self.selected()
        if call is not None:
            self.ctx.hub.go(SESSION_TARGET, call.session_ref)

    def print_list(self) -> None:
        from planner.services.call_list import print_call_list
        from planner.ui.paperwork.preview_dialog import PreviewDialog

        calls, now = self.calls, self.ctx.clock()
        if calls is None:
            return

        def render(_draft: bool, _progress: object) -> bytes:
            return print_call_list(calls, now=now)

        dialog = PreviewDialog(
            self,
            title=self.tr("Call list — {0}").format(f"{calls.day:%a %d %b %Y}"),
            render=render,
            file_name=f"calllist-{calls.day.isoformat()}.pdf",
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        dialog.start()
        self.preview = dialog


def open_call_list(
    parent: QWidget, ctx: AppContext, undo_stack: QUndoStack, day: date
) -> CallListDialog:
    """Show the call list of ``day`` (non-modal; closed, it is deleted)."""
    dialog = CallListDialog(ctx=ctx, undo_stack=undo_stack, day=day, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.show()
    return dialog
